"""A build either succeeds completely or changes nothing: invalid data, or MkDocs failing, leaves docs/ and
site/ exactly as the previous good build left them."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from generator import workers
from generator.build import build
from generator.cli import main
from generator.publish import site as site_module
from generator.publish import write as write_module
from generator.publish.site import SiteBuildError

from conftest import FIXTURES, copy_project
from published import unparsable

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


# --- publishing: one atomic switch, and nothing left half-done by a failure or a kill ---------------------------


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """The small valid fixture as a project, built once: docs/ and site/ are there."""
    root = copy_project(tmp_path / "small", FIXTURES / "valid" / "datasets")
    _, report = build(root)
    assert report is not None and (root / "site/index.html").is_file()
    return root


def _change_data(root: Path) -> None:
    edit(root / "datasets/sources/sources.csv", "Tổng kết Cụm thi đua năm 2023", "Tổng kết Cụm thi đua năm 2023 (sửa)")


def _failing_on(call: int, error: int, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """``site._replace_folder`` fails with ``error`` on its ``call``-th use (1: docs/, 2: site/)."""
    calls: list[int] = []
    real = site_module._replace_folder

    def replace(new: Path, target: Path, previous: Path) -> Path | None:
        calls.append(1)
        if len(calls) == call:
            raise OSError(error, os.strerror(error), str(target))
        return real(new, target, previous)

    monkeypatch.setattr(site_module, "_replace_folder", replace)
    return calls


@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EBUSY, errno.EPERM], ids=["no-space", "busy", "immutable"])
def test_a_failed_switch_of_site_puts_docs_back(
    small: Path, error: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(small)
    _change_data(small)
    calls = _failing_on(2, error, monkeypatch)
    assert main(["--root", str(small), "build", "--lang", "en"]) == 1
    assert len(calls) == 3  # docs/ switched, site/ failed, docs/ switched back
    err = capsys.readouterr().err
    assert os.strerror(error) in err and "docs/ and site/ are unchanged" in err and "Traceback" not in err
    assert snapshot(small) == before
    assert leftovers(small) == []


def test_no_space_while_staging_changes_nothing(small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(small)
    _change_data(small)
    written: list[Path] = []

    def full_disk(target: Path, content: bytes | Path) -> None:
        written.append(target)
        if len(written) > 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))
        real_replace(target, content)

    real_replace = write_module._replace
    monkeypatch.setattr(write_module, "_replace", full_disk)
    monkeypatch.setattr(workers, "SEPARATE", False)  # the pages are written in this process, to be watched
    with pytest.raises(SiteBuildError, match="No space left on device"):
        build(small)
    assert len(written) == 4 and all(".build-" in str(p) for p in written)  # only ever the staging copy
    assert snapshot(small) == before
    assert leftovers(small) == []


KILL_BETWEEN_SWITCHES = """
import os, signal, sys
from pathlib import Path
import generator.publish.site as site
from generator.build import build
real = site._replace_folder
calls = []
def replace(new, target, previous):
    result = real(new, target, previous)
    calls.append(target)
    if len(calls) == int(sys.argv[2]):
        os.kill(os.getpid(), signal.SIGKILL)
    return result
site._replace_folder = replace
build(Path(sys.argv[1]))
"""


@pytest.mark.parametrize("after", [1, 2], ids=["after-docs", "after-site"])
def test_a_build_killed_while_publishing_leaves_a_whole_site_and_the_next_build_cleans_up(
    small: Path, after: int
) -> None:
    _change_data(small)
    killed = subprocess.run([sys.executable, "-c", KILL_BETWEEN_SWITCHES, str(small), str(after)], check=False)
    assert killed.returncode == -signal.SIGKILL
    assert (small / "site/index.html").is_file()  # never missing: each switch is one atomic exchange
    assert list(unparsable(small / "site")) == []
    assert leftovers(small)  # the killed build's staging folder
    _, report = build(small)
    assert report is not None
    assert leftovers(small) == []
    assert "(sửa)" in (small / "site/gioi-thieu/index.html").read_text(encoding="utf-8")


def test_without_atomic_exchange_a_kill_between_renames_is_repaired(
    small: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the system cannot exchange folders, the switch is two renames; a build killed between them left
    site/ renamed into its staging folder: the next build puts it back before anything else."""
    stage = small / ".build-killed"
    stage.mkdir()
    (small / "site").rename(stage / "previous-site")
    site_module._clean_up_after_killed_builds(small)
    assert (small / "site/index.html").is_file()
    assert leftovers(small) == []

    def no_exchange(a: Path, b: Path) -> None:
        raise OSError(errno.ENOSYS, "renameat2 is not available")

    monkeypatch.setattr(site_module, "_exchange", no_exchange)
    _change_data(small)
    _, report = build(small)
    assert report is not None and leftovers(small) == []
    assert "(sửa)" in (small / "site/gioi-thieu/index.html").read_text(encoding="utf-8")


def test_a_hand_written_file_edited_during_the_build_is_not_undone(
    small: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(small)
    _change_data(small)
    real = site_module._build_languages

    def edit_meanwhile(root: Path, stage: Path, site: object, changed: frozenset[str] | None) -> None:
        real(root, stage, site, changed)  # type: ignore[arg-type]
        (root / "docs/assets/extra.css").write_text("/* edited meanwhile */\n", encoding="utf-8")

    monkeypatch.setattr(site_module, "_build_languages", edit_meanwhile)
    with pytest.raises(SiteBuildError, match="changed during the build"):
        build(small)
    assert (small / "docs/assets/extra.css").read_text(encoding="utf-8") == "/* edited meanwhile */\n"
    assert {k: v for k, v in snapshot(small).items() if k != "docs/assets/extra.css"} == {
        k: v for k, v in before.items() if k != "docs/assets/extra.css"
    }
