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


def test_every_page_is_weighed_not_one(tmp_path: Path) -> None:
    """The benchmark lists every HTML page of 300 kB or more (issue 19: it weighed only the largest and the
    large resource's page), and its table says the target is missed."""
    site = tmp_path / "site"
    for path, size in (("index.html", 1000), ("du-lieu/index.html", 310_000), ("du-lieu/x/index.html", 300_000)):
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_bytes(b"x" * size)
    sizes = run._page_sizes(site)
    assert sizes["pages_over_limit"] == [
        {"page": "du-lieu/index.html", "bytes": 310_000},
        {"page": "du-lieu/x/index.html", "bytes": 300_000},
    ]
    line = next(line for line in run.report(_results(sizes)).splitlines() if line.startswith("| every page"))
    assert "2 of 3 pages" in line and line.endswith("| < 300 kB each | **no** |")


def _results(pages: dict[str, object]) -> dict[str, object]:
    catalogue = {
        "cold_s": 100.0,
        "cold_cpu_s": 150.0,
        "noop_s": 1.0,
        "noop_cpu_s": 1.0,
        "noop_share": 0.01,
        "noop_written": [0],
        "changed_s": 20.0,
        "changed_cpu_s": 25.0,
        "changed_share": 0.2,
        "changed_written": [12],
        "peak_mb": 300.0,
        "largest_process_mb": 200.0,
        "frictionless_s": 50.0,
        "frictionless_cpu_s": 50.0,
        "frictionless_peak_mb": 100.0,
        "frictionless_checked": {"rows": 10, "errors": 0},
        "mkdocs_s": 100.0,
        "mkdocs_cpu_s": 100.0,
        "mkdocs_peak_mb": 200.0,
        "baseline_ratio": 100 / 150,
        "baseline_cpu_ratio": 1.0,
        **pages,
    }
    machine = {
        "cpus": 2,
        "cpu": "x",
        "memory_mb": 1,
        "load_average": [0.0],
        "python": "3",
        "platform": "p",
        "frictionless": "5",
        "mkdocs": "1",
        "mkdocs-material": "9",
        "commit": "abc",
    }
    return {"size": {"datasets": 3, "rows": 10}, "runs": 1, "seed": 1, "catalogue": catalogue, "machine": machine}


def test_the_table_gives_each_target_its_verdict() -> None:
    sizes = {
        "html_pages": 1,
        "pages_over_limit": [],
        "largest_page_bytes": 1000,
        "largest_page": "index.html",
        "large_pages": {},
        "large_page_bytes": None,
        "search_indexes": {},
        "site_bytes": 1000,
        "first_visits": {"home": {"load": 120_000, "with_search": 300_000}},
        "first_visit_bytes": 120_000,
        "first_visit_page": "home",
    }
    table = run.report(_results(sizes))
    rows = [line.split("|") for line in table.splitlines() if line.startswith("| ")]

    def verdict(figure: str) -> str:
        return next(cells[-2].strip() for cells in rows if cells[1].strip().startswith(figure))

    assert verdict("rebuild, one cell of one small dataset changed") == "**no**"  # 20% of cold
    assert verdict("first visit, gzip on the wire") == "yes"
    assert verdict("cold build ÷ (frictionless + mkdocs), wall time") == "**no**"  # 0.67
    assert verdict("cold build ÷ (frictionless + mkdocs), CPU time") == "yes"  # 1.00
    assert verdict("peak memory") == "**no**"


def test_the_cold_build_is_reported_stage_by_stage(tmp_path: Path) -> None:
    """Each cold build's ``--timings`` file, as medians in a table beside the baselines, with the CPU time
    spent on what neither frictionless nor MkDocs does."""
    runs = []
    for i, (load, render) in enumerate(((10.0, 40.0), (12.0, 44.0), (30.0, 42.0))):
        stages = {"load": load, "validate": 50.0, "render.exports": 20.0, "render.pages.vi": 9.0}
        stages.update({"render": render, "stage": 5.0, "mkdocs": 90.0, "publish": 95.0, "build": 250.0})
        runs.append(tmp_path / f"cold-{i}.json")
        runs[-1].write_text(
            json.dumps({"stages": [{"stage": k, "wall_s": v / 2, "cpu_s": v} for k, v in stages.items()]})
        )
    medians = run.stage_medians(runs)
    assert [s["stage"] for s in medians] == [
        "load",
        "validate",
        "render.exports",
        "render.pages.vi",
        "render",
        "stage",
        "mkdocs",
        "publish",
        "build",
    ]
    assert medians[0] == {"stage": "load", "wall_s": 6.0, "cpu_s": 12.0}
    assert medians[4] == {"stage": "render", "wall_s": 21.0, "cpu_s": 42.0}
    results = _results({})
    results["catalogue"]["cold_stages"] = medians  # type: ignore[index]
    table = run.stage_table(results["catalogue"], 3)  # type: ignore[arg-type]
    assert "| load | 6.0 s | 12.0 s |" in table
    assert "| ↳ render.exports | 10.0 s | 20.0 s |" in table
    assert "| ↳ render.pages.vi | 4.5 s | 9.0 s |" in table  # inside render only: there is no render.pages
    assert "| *frictionless alone* | 50.0 s | 50.0 s |" in table
    # 12 + 42 + 5 + (95 - 90) = 64 s of the cold build's 150 s; the target allows 50 + 100 s
    summary = table[-1]
    assert "64.0 s of CPU, 43% of the cold build's 150.0 s" in summary and "allows 150.0 s" in summary
