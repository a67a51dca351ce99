"""The same input gives byte-identical output: generated pages and the whole built site."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from generator.build import build
from generator.publish import stamp

from conftest import copy_project


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_two_builds_are_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1706486400")
    first, second = copy_project(tmp_path / "a"), copy_project(tmp_path / "b")
    for root in (first, second):
        checked, report = build(root)
        assert report is not None, [i.as_tuple() for i in checked.issues]
    assert tree_digest(first / "docs") == tree_digest(second / "docs")
    assert tree_digest(first / "site") == tree_digest(second / "site")
    assert len(tree_digest(first / "site")) > 30


def test_rebuild_with_nothing_changed_writes_nothing(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    assert build(root)[1] is not None
    stamp.forget(root)  # a full build (not one skipped as up to date) that finds every page already written
    checked, report = build(root)
    assert report is not None and not checked.up_to_date
    assert report.written == [] and report.removed == [] and report.unchanged > 0
