"""Validating a large table (``Resource.large``) on every core, in memory that does not grow with it.

Frictionless checks a table row by row in one process, and for its primary key, ``unique`` fields and
foreign keys it keeps every key it has seen. For a large table the work is divided instead:

- the file is cut at record boundaries into one piece per core (``split``), each with the header, and
  frictionless checks each piece in its own process (types, formats, constraints, the shape of every row)
  against the table's schema without its keys; a piece's row numbers are turned back into the file's lines;
- one more streaming pass (``check_keys``) checks the primary key and ``unique`` fields by a 64-bit hash
  of each key (8 bytes a row, sorted; rows whose hashes collide are read again and compared for real) and
  the foreign keys against the referenced tables' keys (small tables: members, sources, indicators).

Problems are reported with frictionless' codes and the generator's messages for them, as for any table.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import itertools
from array import array
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from frictionless import Dialect as FlDialect
from frictionless import Resource as FlResource
from frictionless import Schema
from frictionless.formats import CsvControl

from generator.check import checks, hints
from generator.issues import FRICTIONLESS_MESSAGES, Issue, frictionless_hint, frictionless_message, show
from generator.models import Catalogue, Dataset, Resource
from generator.records import PLAIN, Dialect, file_records, records


@dataclass(frozen=True)
class Piece:
    """A piece of a large table's file: its own CSV file (with the header), and the record number, in the
    original file, of its first data row (the header is record 1)."""

    path: Path
    first_record: int
    first: bool  # the piece with the file's first rows: only its header problems are reported


def split(source: Path, count: int, pieces: int, folder: Path, dialect: Dialect = PLAIN) -> list[Piece]:
    """Cut ``source`` (``count`` data records, as loading counted them; written in ``dialect``) into
    ``pieces`` files of about as many records each, at record boundaries (a quoted cell over several lines
    stays whole), streaming. The pieces are written as plain CSV: UTF-8, ``,`` and ``"``."""
    per_piece = max(1, -(-count // max(1, pieces)))
    folder.mkdir(parents=True, exist_ok=True)
    made: list[Piece] = []
    with source.open(encoding=dialect.encoding, newline="") as handle:
        reader = (cells for _, cells in records(handle, dialect))
        header = next(reader, [])
        out = None
        try:
            for index, record in enumerate(reader):
                if index % per_piece == 0:
                    if out is not None:
                        out.close()
                    path = folder / f"{source.stem}-{len(made):03d}.csv"
                    out = path.open("w", encoding="utf-8", newline="")
                    writer = csv.writer(out, lineterminator="\n")
                    writer.writerow(header)
                    made.append(Piece(path, index + 2, not made))
                writer.writerow(record)
        finally:
            if out is not None:
                out.close()
    if not made:  # a header and no rows: the header alone, checked as it is
        path = folder / f"{source.stem}-000.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            csv.writer(out, lineterminator="\n").writerow(header)
        made.append(Piece(path, 2, True))
    return made


def _schema_without_keys(descriptor: Mapping[str, Any]) -> dict[str, Any]:
    """The table's schema for checking a piece: no primary key, no foreign keys, no ``unique`` constraint
    (``check_keys`` checks those over the whole file)."""
    schema = copy.deepcopy(dict(descriptor))
    schema.pop("primaryKey", None)
    schema.pop("foreignKeys", None)
    for field in schema.get("fields", []):
        if isinstance(field, dict) and isinstance(field.get("constraints"), dict):
            field["constraints"].pop("unique", None)
    return schema


def check_piece(
    dataset: Dataset, resource: Resource, piece: Piece, file: str, schema: Mapping[str, Any]
) -> list[Issue]:
    """Frictionless on one piece; its row numbers turned into the original file's lines."""
    table = FlResource(
        path=piece.path.name,
        basepath=str(piece.path.parent),
        schema=Schema.from_descriptor(_schema_without_keys(schema)),
        format="csv",
        encoding="utf-8",
        # as ``split`` wrote it: frictionless guesses nothing (it would sniff a piece's delimiter and whether
        # spaces after it are skipped from its first lines, each piece on its own)
        dialect=FlDialect(controls=[CsvControl(delimiter=",", quote_char='"', skip_initial_space=False)]),
    )
    report = table.validate(checks.checklist())

    def line(record: int) -> int:  # a record of the piece -> the line of the original file
        return resource.lines.line(piece.first_record + record - 2)

    issues = []
    for task in report.tasks:
        for error in task.errors:
            record = getattr(error, "row_number", None)
            if record is None and not piece.first:
                continue  # header problems: once, from the first piece
            code = str(getattr(error, "type", "error"))
            row = line(record) if isinstance(record, int) else None
            field = getattr(error, "field_name", None) or None
            issues.append(
                Issue(
                    file,
                    row,
                    field,
                    code,
                    frictionless_message(error, line),
                    frictionless_hint(code, file),
                    dataset=dataset.name,
                )
            )
    return issues


# --- keys ---------------------------------------------------------------------------------------------------


def _key_value(text: str, field_type: str) -> str:
    """A key cell as frictionless compares it: by value for numbers (``01`` and ``1`` are one integer)."""
    if field_type in ("integer", "year"):
        try:
            return str(int(text))
        except ValueError:
            return text
    if field_type == "number":
        try:
            return str(Decimal(text).normalize())
        except InvalidOperation:
            return text
    return text


def _records(source: Path, dialect: Dialect) -> Iterator[tuple[int, list[str]]]:
    """The data records of ``source``, each with the line it starts on (the header left out)."""
    reader = file_records(source, dialect)
    next(reader, None)
    yield from reader


def _hash(values: tuple[str, ...]) -> int:
    data = "\x1f".join(values).encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")


def check_keys(dataset: Dataset, resource: Resource, catalogue: Catalogue, file: str) -> list[Issue]:
    """The primary key and every ``unique`` field of a large table, each value once in the whole file, and
    its foreign keys, each value present in the referenced table."""
    source = dataset.folder / resource.path
    names = [f.name for f in resource.fields]
    types = {f.name: f.type for f in resource.fields}
    issues: list[Issue] = []
    keys: list[tuple[str, tuple[str, ...]]] = []
    if resource.primary_key:
        keys.append(("primary-key", resource.primary_key))
    schema = schema_of(dataset, resource)
    for field in schema.get("fields", []):
        constraints = field.get("constraints") if isinstance(field, dict) else None
        if isinstance(constraints, dict) and constraints.get("unique"):
            keys.append(("unique-error", (str(field["name"]),)))
    for code, fields in keys:
        issues.extend(_duplicates(dataset, resource, source, file, code, fields, names, types))
    issues.extend(_foreign_keys(dataset, resource, catalogue, source, file, names, types))
    return issues


def schema_of(dataset: Dataset, resource: Resource) -> dict[str, Any]:
    for entry in dataset.published.get("resources", []):
        if isinstance(entry, dict) and entry.get("name") == resource.name and isinstance(entry.get("schema"), dict):
            return dict(entry["schema"])
    return {}


def _repeated(hashes: array[int]) -> set[int]:
    """The hashes that are there more than once. Sorted an eighth at a time (by their top three bits): sorted
    whole, a million 8-byte hashes became a list of a million Python integers, some 44 MB."""
    repeated: set[int] = set()
    for top in range(8):
        part = sorted(h for h in hashes if h >> 61 == top)
        repeated.update(a for a, b in itertools.pairwise(part) if a == b)
    return repeated


def _duplicates(
    dataset: Dataset,
    resource: Resource,
    source: Path,
    file: str,
    code: str,
    fields: tuple[str, ...],
    names: list[str],
    types: Mapping[str, str],
) -> list[Issue]:
    """Rows whose key repeats an earlier row's: hashes first (8 bytes a row), then the rows whose hashes
    collide read again and compared by their values."""
    positions = [names.index(f) for f in fields if f in names]
    if len(positions) != len(fields):
        return []  # a key naming a missing column: frictionless reports the schema
    hashes = array("Q")
    for _, cells in _records(source, resource.dialect):
        values = tuple(_key_value(cells[p], types[names[p]]) if p < len(cells) else "" for p in positions)
        hashes.append(_hash(values))
    repeated = _repeated(hashes)
    del hashes
    if not repeated:
        return []
    first_seen: dict[tuple[str, ...], int] = {}
    issues = []
    for line, cells in _records(source, resource.dialect):
        values = tuple(_key_value(cells[p], types[names[p]]) if p < len(cells) else "" for p in positions)
        if _hash(values) not in repeated:
            continue
        if values in first_seen:
            other = first_seen[values]
            message = (
                FRICTIONLESS_MESSAGES["primary-key"].fill(other=other)
                if code == "primary-key"
                else FRICTIONLESS_MESSAGES["unique-error"].fill(cell=show(values[0]), other=other)
            )
            issues.append(
                Issue(
                    file,
                    line,
                    ",".join(fields),
                    code,
                    message,
                    frictionless_hint(code, file),
                    dataset=dataset.name,
                )
            )
        else:
            first_seen[values] = line
    return issues


def _foreign_keys(
    dataset: Dataset,
    resource: Resource,
    catalogue: Catalogue,
    source: Path,
    file: str,
    names: list[str],
    types: Mapping[str, str],
) -> list[Issue]:
    checks = []
    for fk in resource.foreign_keys:
        target = catalogue.resource(fk.package or dataset.name, fk.resource)
        positions = [names.index(f) for f in fk.fields if f in names]
        if target is None or target.large or len(positions) != len(fk.fields):
            continue  # a missing target is reported with the package; a large one is not held to check
        ref_types = {f.name: f.type for f in target.fields}
        known = {
            tuple(_key_value(str(row.cells.get(f)), ref_types.get(f, "string")) for f in fk.ref_fields)
            for row in target.rows
        }
        checks.append((fk, positions, known, hints.reference_ids(target, fk.ref_fields[0])))
    if not checks:
        return []
    issues = []
    for line, cells in _records(source, resource.dialect):
        for fk, positions, known, ids in checks:
            raw = tuple(cells[p] if p < len(cells) else "" for p in positions)
            if all(v == "" for v in raw):
                continue  # an empty reference is allowed (frictionless: a missing value is not a reference)
            values = tuple(_key_value(v, types[names[p]]) for v, p in zip(raw, positions, strict=True))
            if values in known:
                continue
            table = "/".join((fk.package or dataset.name, fk.resource))
            issues.append(
                Issue(
                    file,
                    line,
                    ",".join(fk.fields),
                    "foreign-key",
                    FRICTIONLESS_MESSAGES["foreign-key"].fill(
                        values=", ".join(show(v) for v in raw),
                        fields=", ".join(fk.fields),
                        table=table,
                        columns=", ".join(fk.ref_fields),
                    ),
                    hints.reference_hint(raw[0], table, ids, file)
                    if len(raw) == 1
                    else frictionless_hint("foreign-key", file),
                    dataset=dataset.name,
                )
            )
    return issues
