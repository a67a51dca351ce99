"""Read: a plain CSV table's rows are read with the csv module and each field's own frictionless cell reader,
not through frictionless's row stream (``load._plain_csv``, ``load._plain_rows``), and they must be the rows
that stream gives, cell for cell and line for line: on generated files of every awkward kind, on this
project's datasets and on the third-party corpus. A table that is not plain is read through frictionless."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from frictionless import Dialect, Package, Schema
from frictionless.resources import TableResource
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from generator.check import large
from generator.read import load
from generator.read.load import _frictionless_rows, _plain_csv, _plain_rows, find_descriptors, line_map, read_rows
from generator.records import dialect_in, records

from conftest import ROOT

CORPUS = ROOT.parent / "shared" / "corpus"

TYPES = ("string", "integer", "number", "date", "boolean", "year")
# Cells a field of any type may meet: its own kind of value, another type's, missing-value markers, and text
# with what CSV must quote (delimiters, quotes, line ends), spaces and Vietnamese letters.
_CELL = st.one_of(
    st.sampled_from(["", "NA", "0", "-3", "12.5", "1e3", "2024-02-29", "2023-13-01", "true", "no", "2019", " 7"]),
    st.text(alphabet="aĐơ ,;|\t'\"\n\r=-0123456789.", max_size=8),
)


def _frictionless(resource: TableResource) -> list[Any]:
    return [(number, names, repr(values)) for number, names, values in _frictionless_rows(resource)]


def _plainly(resource: TableResource, plain: tuple[Path, Any]) -> list[Any]:
    return [(number, names, repr(values)) for number, names, values in _plain_rows(resource, *plain)]


@st.composite
def _tables(draw: st.DrawFn) -> tuple[bytes, dict[str, Any], dict[str, Any]]:
    """A CSV file's bytes, a schema and the dialect declared for it."""
    width = draw(st.integers(1, 4))
    types = draw(st.lists(st.sampled_from(TYPES), min_size=width, max_size=width))
    names = [f"f{i}" for i in range(width)]
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    labels = draw(
        st.sampled_from(
            [names, names[::-1], [n.upper() for n in names], names[:-1], [*names, "extra"], ["", *names[1:]]]
        )
    )
    rows = draw(st.lists(st.lists(_CELL, min_size=0, max_size=width + 1), max_size=8))
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerow(labels)
    for row in rows:
        writer.writerow(row)  # an empty list writes a blank line
    text = out.getvalue()
    if draw(st.booleans()):
        text = text.rstrip("\r\n")  # no line end after the last record
    data = text.encode("utf-8")
    if draw(st.integers(0, 9)) == 0:
        data = b"\xef\xbb\xbf" + data
    if draw(st.integers(0, 9)) == 0:
        data = b"\n" + data  # a blank line before the header
    schema: dict[str, Any] = {"fields": [{"name": n, "type": t} for n, t in zip(names, types, strict=True)]}
    schema["missingValues"] = draw(st.sampled_from([[""], ["", "NA"], ["NA"]]))
    declared = draw(st.sampled_from(["none", "delimiter", "both"]))
    dialect: dict[str, Any] = {}
    if declared != "none":
        dialect["delimiter"] = delimiter
    if declared == "both":
        dialect["quoteChar"] = '"'
    return data, schema, dialect


def _resource(folder: Path, data: bytes, schema: dict[str, Any], dialect: dict[str, Any]) -> TableResource:
    (folder / "table.csv").write_bytes(data)
    return TableResource(
        path="table.csv",
        basepath=str(folder),
        schema=Schema.from_descriptor(schema),
        encoding="utf-8",
        dialect=Dialect.from_descriptor(dialect),
    )


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_tables())
@example((b"a,b\n1,x,2024-01-01\n2\n\n,\n", {"fields": [{"name": "a", "type": "integer"}]}, {}))
@example((b'a;b\n"1;2";"x\n\ny"\n', {"fields": [{"name": "a"}, {"name": "b"}], "missingValues": ["NA"]}, {}))
def test_a_plain_tables_rows_are_frictionless_rows(tmp_path: Path, table: tuple[bytes, dict, dict]) -> None:
    resource = _resource(tmp_path, *table)
    expected = _frictionless(resource)
    plain = _plain_csv(resource)
    event("read plainly" if plain is not None else "read through frictionless")
    if plain is not None:
        assert _plainly(resource, plain) == expected


def test_ordinary_tables_are_read_plainly(tmp_path: Path) -> None:
    """The plain reading is what the tables of this project take: declared UTF-8, a header of the fields,
    quoted cells over several lines, a missing cell, a blank line, a cell that is not of its type."""
    schema = {"fields": [{"name": "id"}, {"name": "n", "type": "integer"}, {"name": "on", "type": "date"}]}
    data = 'id,n,on\nĐak Pơ,1,2024-01-02\n"a,""b""\nc",,2024-02-30\n\ny,2\n'.encode()
    resource = _resource(tmp_path, data, schema, {})
    plain = _plain_csv(resource)
    assert plain is not None
    assert _plainly(resource, plain) == _frictionless(resource)
    rows = list(read_rows(resource, line_map(resource)))
    assert [r.number for r in rows] == [2, 3, 5, 6]  # the lines an editor shows: the quoted cell takes 3 and 4
    assert [r.cells["id"] for r in rows] == ["Đak Pơ", 'a,"b"\nc', None, "y"]
    assert [r.cells["on"] for r in rows][1:] == [None, None, None]


@pytest.mark.parametrize(
    ("data", "schema", "dialect", "encoding"),
    [
        (b"a,b\n1,2\n", {"fields": [{"name": "a"}, {"name": "b"}]}, {}, None),  # encoding not declared
        (b"a,b\n1,2\n", {"fields": [{"name": "a"}, {"name": "b"}]}, {}, "cp1258"),
        (b"a,b\n1,2\n", {"fields": [{"name": "a"}, {"name": "b"}]}, {"header": False}, "utf-8"),
        (b"a,b\n#c\n1,2\n", {"fields": [{"name": "a"}, {"name": "b"}]}, {"commentChar": "#"}, "utf-8"),
        (b"a,b\n1,2\n", {"fields": [{"name": "a"}]}, {}, "utf-8"),  # a label more than the fields
        # frictionless sniffs that spaces after a delimiter are skipped (for the quoted cell's ", "), and
        # so reads " 2" as "2" (unless told otherwise: load does, ``load.pin_dialect``)
        (b'a,b\nx, 1\n"y, ""z""\nw", 2\n', {"fields": [{"name": "a"}, {"name": "b"}]}, {}, "utf-8"),
        (b"", {"fields": [{"name": "a"}]}, {}, "utf-8"),
    ],
    ids=["undeclared", "cp1258", "no-header", "comments", "more-labels", "initial-space", "empty"],
)
def test_other_tables_are_read_through_frictionless(
    tmp_path: Path, data: bytes, schema: dict, dialect: dict, encoding: str | None
) -> None:
    (tmp_path / "table.csv").write_bytes(data)
    resource = TableResource(
        path="table.csv",
        basepath=str(tmp_path),
        schema=Schema.from_descriptor(schema),
        encoding=encoding,
        dialect=Dialect.from_descriptor(dialect),
    )
    assert _plain_csv(resource) is None
    rows = list(read_rows(resource, line_map(resource)))
    assert [(r.number, list(r.cells.values())) for r in rows] == [
        (number, values) for number, _, values in _frictionless_rows(resource)
    ]


def _packages() -> list[Path]:
    found = find_descriptors(ROOT / "datasets")
    if CORPUS.is_dir():
        found += sorted(p for p in CORPUS.glob("*/datapackage.*") if p.suffix in (".json", ".yaml", ".yml"))
    return found


@pytest.mark.parametrize("descriptor", _packages(), ids=lambda p: f"{p.parent.parent.name}/{p.parent.name}")
def test_real_tables_read_plainly_are_read_as_frictionless_reads_them(descriptor: Path) -> None:
    """This project's datasets (every table of which is plain) and the third-party packages, whose tables
    are plain or not as they come."""
    descriptor_data, _ = load.parse_descriptor(descriptor, descriptor.parent)
    assert descriptor_data is not None
    package = Package(descriptor_data, basepath=str(descriptor.parent))
    tables = [r for r in package.resources if isinstance(r, TableResource) and r.schema.fields]
    plain = {r.name: _plain_csv(r) for r in tables}
    if descriptor.is_relative_to(ROOT / "datasets"):
        assert all(plain.values()), f"not read plainly: {[n for n, p in plain.items() if p is None]}"
    for resource in tables:
        reading = plain[resource.name]
        if reading is not None:
            assert _plainly(resource, reading) == _frictionless(resource), resource.name


# The only quoted cell of this table follows ", ": from that, frictionless guesses that spaces after a comma are
# skipped, unless the descriptor says otherwise, and reads " x" as "x" (an enum of "x" and "y" then passes).
SPACED = b'id,kind\n"q, ""r""", x\nw,y\n'
SPACED_YAML = """\
name: spaced
title: Spaced
licenses: [{name: CC-BY-4.0, path: "https://creativecommons.org/licenses/by/4.0/", title: CC BY 4.0}]
resources:
  - name: spaced
    path: spaced.csv
    encoding: utf-8
DIALECT
    schema:
      fields:
        - {name: id, type: string}
        - {name: kind, type: string, constraints: {enum: ["x", "y"]}}
"""


def _spaced(tmp_path: Path, dialect: str = "") -> Path:
    folder = tmp_path / "spaced"
    folder.mkdir()
    (folder / "spaced.csv").write_bytes(SPACED)
    descriptor = folder / "datapackage.yaml"
    descriptor.write_text(SPACED_YAML.replace("DIALECT\n", dialect), encoding="utf-8")
    return descriptor


def _errors(resource: Any) -> list[tuple[Any, ...]]:
    return [tuple(e) for e in resource.validate().flatten(["rowNumber", "fieldName", "type"])]


def test_frictionless_reads_a_table_as_records_does_not_as_it_would_guess(tmp_path: Path) -> None:
    """Load and validation read every table in the dialect ``records`` reads it in (``load.pin_dialect``):
    " x" stays " x" in the model's rows, in validation (so the enum fails, as the file holds " x") and in
    every other reader; the descriptor as published is not changed."""
    descriptor = _spaced(tmp_path)
    guessed = Package(load.parse_descriptor(descriptor, tmp_path)[0], basepath=str(descriptor.parent))
    assert _errors(guessed.resources[0]) == [], "frictionless no longer guesses: this test shows nothing"
    dataset, problems = load.read_package(descriptor, tmp_path, None)
    assert dataset is not None and not [p for p in problems if p.is_error]
    (resource,) = dataset.resources
    assert resource.dialect.skipinitialspace is False
    with (descriptor.parent / "spaced.csv").open(encoding="utf-8", newline="") as handle:
        records_read = [cells for _, cells in records(handle, resource.dialect)][1:]
    assert [list(r.cells.values()) for r in resource.rows] == records_read == [['q, "r"', " x"], ["w", "y"]]
    assert _errors(load._open_package(descriptor, tmp_path).resources[0]) == [(2, "kind", "constraint-error")]
    assert "skipInitialSpace" not in json.dumps(dict(dataset.published))


def test_a_declared_skip_initial_space_is_read_by_every_reader(tmp_path: Path) -> None:
    descriptor = _spaced(tmp_path, "    dialect: {skipInitialSpace: true}\n")
    dataset, _ = load.read_package(descriptor, tmp_path, None)
    assert dataset is not None
    (resource,) = dataset.resources
    assert resource.dialect.skipinitialspace is True
    with (descriptor.parent / "spaced.csv").open(encoding="utf-8", newline="") as handle:
        records_read = [cells for _, cells in records(handle, resource.dialect)][1:]
    assert [list(r.cells.values()) for r in resource.rows] == records_read == [['q, "r"', "x"], ["w", "y"]]
    assert _errors(load._open_package(descriptor, tmp_path).resources[0]) == []
    assert dialect_in(dict(dataset.published["resources"][0])).skipinitialspace is True


def test_a_large_table_s_pieces_are_read_as_they_were_written(tmp_path: Path) -> None:
    """A piece is checked in the plain dialect ``large.split`` wrote it in: frictionless would otherwise guess
    each piece's dialect from its own first lines."""
    descriptor = _spaced(tmp_path)
    dataset, _ = load.read_package(descriptor, tmp_path, None)
    assert dataset is not None
    (resource,) = dataset.resources
    pieces = large.split(descriptor.parent / "spaced.csv", 2, 1, tmp_path / "pieces", resource.dialect)
    found = large.check_piece(dataset, resource, pieces[0], "spaced.csv", large.schema_of(dataset, resource))
    assert [(i.row, i.field, i.code) for i in found] == [(2, "kind", "constraint-error")]
