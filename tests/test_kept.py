"""An unchanged dataset's model is kept between builds and read back exactly (``generator/read/kept.py``)."""

from __future__ import annotations

import base64
import collections
import dataclasses
import datetime
import json
import os
import pickle
import shutil
import zlib
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

from generator import cache, config
from generator.build import check, generate
from generator.issues import Issue, msg
from generator.models import Cells, Dataset, HeldRows, Row
from generator.read import kept
from generator.read.load import load_catalogue

from conftest import FIXTURES, ROOT, copy_project

CORPUS = ROOT.parent / "shared" / "corpus"


def _exact(value: Any) -> Any:
    """``value`` with every type and digit visible (``==`` calls Decimal('1.0') and Decimal('1.00') equal)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, [(f.name, _exact(getattr(value, f.name))) for f in dataclasses.fields(value)])
    if isinstance(value, Mapping):
        return (type(value).__name__, [(k, _exact(v)) for k, v in value.items()])
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [_exact(v) for v in value])
    return (type(value).__name__, repr(value))


EVERY_KIND = {
    "a": Decimal("100.30"),
    "b": Decimal("1E+3"),
    "c": datetime.date(2024, 1, 22),
    "d": datetime.datetime(2024, 1, 22, 7, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=7))),
    "e": datetime.time(7, 30),
    "f": True,
    "g": 12,
    "h": None,
    "i": ["x", 1],
    "j": {"k": Decimal("0.5")},
    "k": "Đak Pơ | <script>",
}


@pytest.mark.parametrize("cells", [MappingProxyType(EVERY_KIND), Cells.of(EVERY_KIND)], ids=["mapping", "cells"])
def test_values_of_every_kind_come_back_with_their_type_and_digits(cells: Mapping[str, Any]) -> None:
    row = Row(7, cells)
    back = kept.decode(json.dumps(kept.encode(row)))
    assert _exact(back) == _exact(row)


Point = collections.namedtuple("Point", "x y")  # a class of this module: rows holding one can be pickled


def _held_entry(names: tuple[tuple[str, ...], ...], rows: list[Any], count: int | None = None) -> str:
    """A kept entry's text for rows held as ``names`` and ``rows`` (as ``HeldRows`` holds them)."""
    data = zlib.compress(pickle.dumps((names, rows), protocol=pickle.HIGHEST_PROTOCOL))
    return json.dumps({"$": "held", "v": base64.b64encode(data).decode(), "n": len(rows) if count is None else count})


def test_held_rows_are_kept_as_held_and_come_back_exactly() -> None:
    """A table's rows are kept as they are held (their bytes), and come back held, with every value's type
    and digits, without a ``Row`` made on the way."""
    rows = HeldRows([Row(2, Cells.of(EVERY_KIND)), Row(3, Cells.of({"a": Decimal("0.10"), "k": "Kbang"}))])
    data = json.dumps(kept.encode(rows))
    back = kept.decode(data)
    assert type(back) is HeldRows and back._made is None and back.data == rows.data
    assert [_exact(r) for r in back] == [_exact(r) for r in rows]
    assert _exact(list(kept.decode(_held_entry(*rows.unpacked())))) == _exact(list(rows))


@pytest.mark.parametrize(
    ("names", "rows", "count", "error"),
    [
        ((("a",),), [(2, 1, ("x",))], None, "does not match"),  # a shape that is not there
        ((("a",),), [(2, 0, ("x", "y"))], None, "does not match"),  # more values than names
        ((("a",),), [(2, 0, ("x",))], 5, "not as many"),
        ((("a",),), [(2, 0, (Point(1, 2),))], None, "not a class of a cell"),
        ((("a",),), [(2, 0, (Path("/etc/passwd"),))], None, "not a class of a cell"),
        (((1,),), [(2, 0, ("x",))], None, "not texts"),
        ((("a",),), [["2", 0, ("x",)]], None, "not a number"),
        ((("a",),), [(2, "0", ("x",))], None, "not a number"),  # a shape that is not an index
    ],
    ids=["shape", "values", "count", "namedtuple", "path", "names", "row", "shape-text"],
)
def test_kept_rows_that_are_not_rows_of_cells_are_refused(names: Any, rows: Any, count: int | None, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        kept.decode(_held_entry(names, rows, count))


def test_kept_rows_never_run_code(tmp_path: Path) -> None:
    """Bytes that would run a command when unpickled are refused before anything is made."""
    mark = tmp_path / "ran"

    class Runs:
        def __reduce__(self) -> tuple[Any, ...]:
            return (os.system, (f"touch {mark}",))

    with pytest.raises(ValueError, match=r"posix\.system is not a class of a cell"):
        kept.decode(_held_entry((("a",),), [(2, 0, (Runs(),))]))
    assert not mark.exists()


def test_rows_with_values_it_cannot_read_back_are_not_kept() -> None:
    """Rows holding a value of a class a kept entry may not make (a frictionless ``yearmonth``, a named
    tuple) are refused when kept: that dataset is read every time."""
    with pytest.raises(kept.Unsupported):
        kept.encode(HeldRows([Row(2, Cells.of({"a": Point(1, 2)}))]))


@pytest.mark.parametrize("value", [1.5, object(), {1: "a"}, collections.namedtuple("Point", "x y")(1, 2)])
def test_a_value_it_cannot_keep_exactly_is_refused(value: object) -> None:
    with pytest.raises(kept.Unsupported):
        kept.encode(value)


def test_only_the_model_s_classes_are_made() -> None:
    with pytest.raises(ValueError, match="not a class of the model"):
        kept.decode(json.dumps({"$": "Popen", "v": [["args", "rm -rf /"]]}))


def _datasets(root: Path) -> list[Dataset]:
    loaded, issues = load_catalogue(root)
    assert not [i for i in issues if i.is_error]
    return [item.dataset for item in loaded]


def test_the_repository_s_datasets_are_kept_and_read_back_exactly(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    first = _datasets(root)
    folder = root / config.CACHE_DIR / kept.FOLDER
    assert len(list(folder.glob("*.json"))) == len(first), "not every dataset was kept"
    again = _datasets(root)
    assert [_exact(d) for d in again] == [_exact(d) for d in first]


def test_a_changed_byte_reads_the_dataset_again(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project", FIXTURES / "valid" / "datasets")
    _datasets(root)
    table = root / "datasets" / "figures" / "figures.csv"
    table.write_text(table.read_text(encoding="utf-8").replace("2735.764", "2735.765", 1), encoding="utf-8")
    figures = next(d for d in _datasets(root) if d.name == "figures")
    values = [row.cells["value"] for row in figures.resources[0].rows]
    assert Decimal("2735.765") in values and Decimal("2735.764") not in values


def test_a_build_digests_each_dataset_s_files_once_and_keys_what_it_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``load`` takes each folder's digest (``Dataset.digest``) and every later stage's keys use it: the
    benchmark's one-cell rebuild took it five times per dataset (validation's key, the key of each dataset it
    refers to, the exports' and tables' keys). A file changed after loading does not change the keys of what
    was read from it."""
    root = copy_project(tmp_path / "project", FIXTURES / "valid" / "datasets")
    taken: list[str] = []
    real = cache.folder_digest

    def counted(folder: Path, name: str) -> bytes:
        taken.append(folder.name)
        return real(folder, name)

    monkeypatch.setattr(cache, "folder_digest", counted)
    checked, site = generate(root)
    assert site is not None and checked.catalogue is not None
    names = sorted(d.folder.name for d in checked.catalogue.datasets)
    assert sorted(taken) == names, "each dataset's folder is digested once, by load"
    figures = checked.catalogue.get("figures")
    assert figures is not None and figures.digest == real(figures.folder, "figures").hex()
    key = cache.dataset_key(figures, checked.catalogue)
    table = figures.folder / "figures.csv"
    table.write_text(table.read_text(encoding="utf-8").replace("2735.764", "2735.765", 1), encoding="utf-8")
    assert cache.dataset_key(figures, checked.catalogue) == key
    assert real(figures.folder, "figures").hex() != figures.digest


def test_a_kept_dataset_is_validated_from_its_files_when_it_must_be(tmp_path: Path) -> None:
    """A kept dataset is validated again when a dataset it refers to changed: its frictionless package is
    made then, from its descriptor."""
    root = copy_project(tmp_path / "project", FIXTURES / "valid" / "datasets")
    check(root)
    members = root / "datasets" / "members" / "members.csv"
    members.write_text(members.read_text(encoding="utf-8").replace("beta,", "gamma,", 1), encoding="utf-8")
    checked = check(root)
    assert "figures" in checked.checked
    assert any(i.code == "foreign-key" and i.dataset == "figures" for i in checked.issues), [
        i.as_tuple() for i in checked.issues
    ]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the third-party corpus is not beside this checkout")
def test_third_party_packages_are_kept_exactly_or_not_at_all(tmp_path: Path) -> None:
    kept_count = 0
    for package in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        root = tmp_path / package.name
        (root / "datasets").mkdir(parents=True)
        shutil.copytree(package, root / "datasets" / package.name)
        for path in root.rglob("*"):
            path.chmod(0o644 if path.is_file() else 0o755)
        loaded, _ = load_catalogue(root)
        if not loaded:
            continue
        again, _ = load_catalogue(root)
        assert [_exact(i.dataset) for i in again] == [_exact(i.dataset) for i in loaded], package.name
        kept_count += len(list((root / config.CACHE_DIR / kept.FOLDER).glob("*.json")))
    assert kept_count >= 5


def test_a_dataset_is_kept_with_its_loading_problems(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project", FIXTURES / "valid" / "datasets")
    loaded, _ = load_catalogue(root)
    dataset = loaded[0].dataset
    problem = Issue(
        "datasets/figures/datapackage.yaml",
        3,
        "title",
        "type-error",
        msg("The value {value} of row {row} is not a number.", value="12,5", row=7),
        "Viết số với dấu chấm thập phân.",
        dataset=dataset.name,
    )
    assert kept.keep(tmp_path / "kept", "k", dataset, [problem])
    found = kept.find(tmp_path / "kept", "k")
    assert found is not None
    assert _exact(found[0]) == _exact(dataclasses.replace(dataset, history=())) and found[1] == [problem]
    assert kept.find(tmp_path / "kept", "another key") is None
