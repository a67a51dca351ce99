"""A build with nothing changed since the last one reads, renders and builds nothing (``generator/publish/stamp.py``),
and any change to what the output depends on builds again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_build_atomic import edit, snapshot

from generator import build as build_module
from generator import cli
from generator.build import build
from generator.publish.write import generated_files


@pytest.fixture
def project(built_project: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(built_project, root, symlinks=True)  # copy2: the generated files keep their mtimes
    return root


@pytest.fixture
def no_generate(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any real build fail: a build that is skipped never gets here."""

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("the build read and rendered the datasets again")

    monkeypatch.setattr(build_module, "generate", fail)


def test_a_build_with_nothing_changed_is_skipped(project: Path, no_generate: None) -> None:
    before = snapshot(project)
    checked, report = build(project)
    assert checked.up_to_date and checked.catalogue is None
    assert report is not None and report.written == [] and report.removed == []
    assert report.unchanged == len(generated_files(project / "docs")) > 100
    assert snapshot(project) == before


def test_the_command_says_nothing_was_built_again(
    project: Path, no_generate: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["--root", str(project), "build", "--lang", "en"]) == 0
    assert "Nothing changed since the last build of site/" in capsys.readouterr().err


CHANGES = {
    "a data cell": (
        "datasets/sources/sources.csv",
        "Thị xã An Khê làm Cụm trưởng",
        "Thị xã An Khê làm Cụm trưởng (đã sửa)",
    ),
    "a descriptor": ("datasets/sources/datapackage.yaml", "    title: Sources\n", "    title: All sources\n"),
    "a hand-written file of docs/": ("docs/assets/extra.css", "\n", "\n/* changed */\n"),
    "the MkDocs configuration": ("mkdocs.yml", "docs_dir: docs\n", "docs_dir: docs  # changed\n"),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_any_change_to_an_input_builds_again(project: Path, change: tuple[str, str, str]) -> None:
    path, old, new = change
    edit(project / path, old, new)
    checked, report = build(project)
    assert not checked.up_to_date and report is not None
    again, _ = build(project)
    assert again.up_to_date


def test_a_new_file_in_datasets_builds_again(project: Path) -> None:
    (project / "datasets/sources/notes.txt").write_text("ghi chú\n", encoding="utf-8")
    assert not build(project)[0].up_to_date


def test_the_site_address_builds_again(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITE_URL", "https://example.org/cum2/")
    assert not build(project)[0].up_to_date


@pytest.mark.parametrize("damage", ["edited", "removed"])
def test_a_generated_file_changed_by_hand_is_built_again(project: Path, damage: str) -> None:
    page = project / "docs/du-lieu/index.md"
    good = page.read_bytes()
    if damage == "removed":
        page.unlink()
    else:
        page.write_bytes(good + b"\nhand edit\n")
    checked, report = build(project)
    assert not checked.up_to_date and report is not None
    assert page.read_bytes() == good


def test_a_removed_site_is_built_again(project: Path) -> None:
    shutil.rmtree(project / "site")
    checked, _ = build(project)
    assert not checked.up_to_date and (project / "site/en/index.html").is_file()


def test_warnings_come_back_and_still_fail_strict(project: Path) -> None:
    edit(project / "datasets/sources/datapackage.yaml", "    title: Sources\n", "")
    first, report = build(project)
    assert report is not None and first.issues and not first.ok(strict=True)
    before = snapshot(project)
    again, report = build(project)
    assert again.up_to_date and report is not None
    assert sorted(i.as_tuple() for i in again.issues) == sorted(i.as_tuple() for i in first.issues)
    strict, report = build(project, strict=True)
    assert strict.up_to_date and report is None and not strict.ok(strict=True)
    assert snapshot(project) == before


def test_a_failed_build_is_never_taken_for_a_good_one(project: Path) -> None:
    """After a failure the record is gone: putting the data back builds again (docs/ and site/ were left
    as they were, but nothing vouches for them)."""
    csv_path = project / "datasets/production-value/production-value.csv"
    good = csv_path.read_text(encoding="utf-8")
    edit(csv_path, ",18797.39,", ",mười tám nghìn,")
    assert build(project)[1] is None
    csv_path.write_text(good, encoding="utf-8")
    checked, report = build(project)
    assert not checked.up_to_date and report is not None
