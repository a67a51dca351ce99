"""What the build keeps between runs (``.cache/``) is verified before use, and what it published is checked
before a build is skipped: a damaged cache entry is made again, a file deleted from ``site/`` is restored.

Each case damages the cache (or the site) of a built copy of the small fixture, builds again, and compares
the result byte for byte with a build of the same input from nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator import cache
from generator.build import build
from generator.models import ColumnStats, Field, Text
from generator.records import PLAIN, Dialect

from conftest import FIXTURES, copy_project

SOURCES_CSV = "datasets/sources/sources.csv"


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def built(root: Path) -> dict[str, bytes]:
    checked, report = build(root)
    assert report is not None, [i.as_tuple() for i in checked.issues if i.is_error]
    return files(root / "site")


def change_data(root: Path) -> None:
    """A change of one source's title: the build renders again, and takes unchanged exports from the cache."""
    path = root / SOURCES_CSV
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Hội nghị tổng kết năm 2023", "Hội nghị tổng kết năm 2023 (sửa)", 1), encoding="utf-8")


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The site built from nothing, after the change."""
    root = copy_project(tmp_path_factory.mktemp("reference"), FIXTURES / "valid" / "datasets")
    change_data(root)
    return built(root)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = copy_project(tmp_path / "project", FIXTURES / "valid" / "datasets")
    built(root)
    return root


def entries(root: Path, folder: str) -> list[Path]:
    found = [p for p in sorted((root / ".cache" / folder).iterdir()) if not p.name.endswith(cache.DIGEST_SUFFIX)]
    assert found, f"nothing cached under .cache/{folder}"
    return found


def test_truncated_exports_in_the_cache_are_made_again(project: Path, reference: dict[str, bytes]) -> None:
    for entry in entries(project, "exports"):
        entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 2])
    change_data(project)
    assert built(project) == reference


def test_swapped_charts_in_the_cache_are_drawn_again(project: Path, reference: dict[str, bytes]) -> None:
    charts = entries(project, "charts")
    assert len(charts) >= 2
    first, second = charts[0].read_bytes(), charts[1].read_bytes()
    assert first != second
    charts[0].write_bytes(second)
    charts[1].write_bytes(first)
    change_data(project)
    assert built(project) == reference


def test_an_entry_without_its_digest_is_made_again(project: Path, reference: dict[str, bytes]) -> None:
    for entry in entries(project, "exports") + entries(project, "cards"):
        Path(str(entry) + cache.DIGEST_SUFFIX).unlink()
        entry.write_bytes(b"left by a build stopped midway")
    change_data(project)
    assert built(project) == reference


@pytest.mark.parametrize("victim", ["index.html", "du-lieu/figures/figures.csv", "en/so-sanh/index.html"])
def test_a_file_deleted_from_the_site_is_restored_by_the_next_build(project: Path, victim: str) -> None:
    before = files(project / "site")
    (project / "site" / victim).unlink()
    assert built(project) == before


def test_a_file_edited_in_the_site_is_restored_by_the_next_build(project: Path) -> None:
    before = files(project / "site")
    page = project / "site/gioi-thieu/index.html"
    page.write_text("<html>edited by hand</html>", encoding="utf-8")
    assert built(project) == before


def test_an_intact_site_is_not_built_again(project: Path) -> None:
    checked, report = build(project)
    assert checked.up_to_date and report is not None


def test_a_cache_folder_removed_entirely_is_rebuilt(project: Path, reference: dict[str, bytes]) -> None:
    shutil.rmtree(project / ".cache")
    change_data(project)
    assert built(project) == reference


# --- every cache through one helper: an entry edited in place is never trusted ---------------------------------


def test_a_summary_edited_in_the_cache_is_made_again(tmp_path: Path) -> None:
    """A large table's summary whose bytes changed after it was kept (here its row count, still valid JSON)
    is computed again: summaries are kept by ``cache.keep_json``, verified like every other entry."""
    table = tmp_path / "t.csv"
    table.write_text("a\n1\n2\n3\n", encoding="utf-8")
    fields = (Field("a", "integer", Text("a"), Text("")),)
    made: list[int] = []

    def make(path: Path, fields: tuple[Field, ...], dialect: Dialect) -> tuple[int, tuple[ColumnStats, ...]]:
        made.append(1)
        return 3, ()

    folder = tmp_path / "summaries"
    assert cache.summary(folder, table, fields, PLAIN, make)[0] == 3
    assert cache.summary(folder, table, fields, PLAIN, make)[0] == 3 and len(made) == 1  # kept
    (entry,) = [p for p in folder.iterdir() if p.suffix == ".json"]
    entry.write_text(entry.read_text(encoding="utf-8").replace('"rows": 3', '"rows": 99'), encoding="utf-8")
    assert cache.summary(folder, table, fields, PLAIN, make)[0] == 3 and len(made) == 2  # not 99: made again


def test_a_validation_entry_edited_or_without_its_digest_is_not_used(tmp_path: Path) -> None:
    folder = tmp_path / "validate"
    cache.store(folder, "k", [])
    assert cache.load(folder, "k") == []
    entry = folder / "k.json"
    entry.write_text(entry.read_text(encoding="utf-8").replace('"issues": []', '"issues": [ ]'), encoding="utf-8")
    assert cache.load(folder, "k") is None  # the same data, other bytes: not what was kept
    cache.store(folder, "k", [])
    (folder / ("k.json" + cache.DIGEST_SUFFIX)).unlink()
    assert cache.load(folder, "k") is None
