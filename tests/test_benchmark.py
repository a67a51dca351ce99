"""benchmarks/run.py's synthetic catalogue, at a tiny size: valid, and the same bytes for the same seed.

The benchmark itself (the timings) is not part of the test suite; only the data it builds on is checked.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path
from types import ModuleType

import frictionless
import pytest

from generator.build import check

ROOT = Path(__file__).resolve().parent.parent


def _load_run() -> ModuleType:
    spec = importlib.util.spec_from_file_location("benchmark_run", ROOT / "benchmarks" / "run.py")
    assert spec is not None and spec.loader is not None
    module = sys.modules.setdefault("benchmark_run", importlib.util.module_from_spec(spec))
    if not hasattr(module, "main"):
        spec.loader.exec_module(module)  # registered first: its dataclasses look their module up
    return module


run = _load_run()
DATASETS, ROWS, SMALL_ROWS = 3, 120, 10


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("benchmark") / "project"
    names = run.make_project(root, ROOT, DATASETS, ROWS, seed=7, git=False, small_rows=SMALL_ROWS)
    assert names == ["synthetic-0001", "synthetic-0002", "synthetic-0003", run.LARGE_NAME]
    return root


def test_same_seed_same_bytes(project: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    run.make_project(again, ROOT, DATASETS, ROWS, seed=7, git=False, small_rows=SMALL_ROWS)
    assert _files(again / "datasets") == _files(project / "datasets")
    other = tmp_path / "other"
    run.make_project(other, ROOT, DATASETS, ROWS, seed=8, git=False, small_rows=SMALL_ROWS)
    assert _files(other / "datasets") != _files(project / "datasets")


def test_project_holds_only_inputs(project: Path) -> None:
    """The hand-written docs are copied, never the generated pages."""
    configs = {p.name for p in ROOT.glob("mkdocs*.yml")}
    assert {p.name for p in project.iterdir()} == {*configs, "overrides", "docs", "datasets"}
    assert not set(run.generated_paths(ROOT)) & {p.name for p in (project / "docs").iterdir()}


def test_catalogue_is_valid(project: Path) -> None:
    """The generator's own validation (frictionless on every package and row, with the references to
    members and sources, plus the site's checks) finds nothing, not even a warning."""
    checked = check(project)
    assert [i.as_tuple() for i in checked.issues] == []
    large = checked.catalogue.get(run.LARGE_NAME)
    assert large is not None
    (resource,) = large.resources
    assert len(resource.rows) == ROWS
    assert len(resource.fields) == 8
    assert resource.primary_key == ("id",)
    places = [str(r.cells["place"]) for r in resource.rows]
    assert all(unicodedata.is_normalized("NFC", p) for p in places)
    assert any(not p.isascii() for p in places)
    small = checked.catalogue.get("synthetic-0001")
    assert small is not None
    assert [len(r.rows) for r in small.resources] == [SMALL_ROWS, SMALL_ROWS]


def test_large_package_valid_with_frictionless_alone(project: Path) -> None:
    report = frictionless.validate(str(project / "datasets" / run.LARGE_NAME / "datapackage.yaml"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_frictionless_baseline_checks_every_row(project: Path) -> None:
    """The baseline validates every row of every package (references to other datasets left out)."""
    descriptors = sorted(str(p) for p in (project / "datasets").glob("*/datapackage.yaml"))
    result = subprocess.run(
        [sys.executable, "-c", run._FRICTIONLESS, *descriptors], capture_output=True, text=True, check=True
    )
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    members, sources = (len(run._ids(project / "datasets", name)) for name in ("members", "sources"))
    assert summary == {
        "packages": DATASETS + 3,
        "rows": DATASETS * 2 * SMALL_ROWS + ROWS + members + sources,
        "errors": 0,
    }


def test_change_cell_changes_then_restores(project: Path, tmp_path: Path) -> None:
    datasets = tmp_path / "datasets"
    shutil.copytree(project / "datasets", datasets)
    before = _files(datasets)
    run.change_cell(datasets, 0)
    changed = _files(datasets)
    assert [k for k in before if before[k] != changed[k]] == ["synthetic-0001/figures.csv"]
    run.change_cell(datasets, 1)
    assert _files(datasets) == before
