"""A build either succeeds completely or changes nothing: invalid data, or MkDocs failing, leaves docs/ and
site/ exactly as the previous good build left them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.build import build
from generator.site import SiteBuildError

SOURCES_CSV = "datasets/sources/sources.csv"


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file of site/ and docs/ (symlinks included, not followed): bytes and mtime."""
    found = {}
    for top in ("site", "docs"):
        for path in sorted((root / top).rglob("*")):
            if path.is_symlink():
                found[path.relative_to(root).as_posix()] = (str(path.readlink()).encode(), 0)
            elif path.is_file():
                found[path.relative_to(root).as_posix()] = (path.read_bytes(), path.stat().st_mtime_ns)
    return found


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def project(built_project: Path, tmp_path: Path) -> Path:
    """A copy of the session's built project (the real datasets, built once): site/ and docs/ are there."""
    root = tmp_path / "project"
    shutil.copytree(built_project, root, symlinks=True)
    assert (root / "site/index.html").is_file() and (root / "docs/du-lieu/index.md").is_file()
    return root


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".build-"))


def test_invalid_data_changes_nothing(project: Path) -> None:
    before = snapshot(project)
    edit(project / "datasets/production-value/production-value.csv", ",18797.39,", ",mười tám nghìn,")
    checked, report = build(project)
    assert report is None
    assert ("production-value", "datasets/production-value/production-value.csv", 2, "value", "type-error") in {
        i.as_tuple() for i in checked.issues
    }
    assert snapshot(project) == before
    assert leftovers(project) == []


def test_warnings_under_strict_change_nothing(project: Path) -> None:
    before = snapshot(project)
    edit(project / "datasets/sources/datapackage.yaml", "    title: Sources\n", "")
    checked, report = build(project, strict=True)
    assert report is None and checked.ok() and not checked.ok(strict=True)
    assert snapshot(project) == before


MKDOCS_BREAKAGES = {
    "unknown-theme": ("  name: material\n", "  name: no-such-theme\n"),
    "yaml-syntax": ("docs_dir: docs\n", "docs_dir: [docs\n"),
    # valid configuration, but the build itself fails under --strict: the page is not found
    "nav-to-missing-page": ("  - Giới thiệu: gioi-thieu.md\n", "  - Giới thiệu: gioi-thieu.md\n  - Mất: khong-co.md\n"),
}


@pytest.mark.parametrize("breakage", MKDOCS_BREAKAGES.values(), ids=MKDOCS_BREAKAGES.keys())
def test_mkdocs_failure_changes_nothing(project: Path, breakage: tuple[str, str]) -> None:
    before = snapshot(project)
    # a data change that a successful build would write to docs/ and site/
    edit(project / SOURCES_CSV, "Thị xã An Khê làm Cụm trưởng", "Thị xã An Khê làm Cụm trưởng (đã sửa)")
    mkdocs_yml = project / "mkdocs.yml"
    good = mkdocs_yml.read_text(encoding="utf-8")
    edit(mkdocs_yml, *breakage)

    with pytest.raises(SiteBuildError):
        build(project)
    assert snapshot(project) == before
    assert leftovers(project) == []

    # and the same data does build once MkDocs is fixed: the failure above was not vacuous
    mkdocs_yml.write_text(good, encoding="utf-8")
    _, report = build(project)
    assert report is not None and report.written
    assert snapshot(project) != before
    assert "(đã sửa)" in (project / "site/gioi-thieu/index.html").read_text(encoding="utf-8")
