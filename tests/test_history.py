"""The history of a dataset, on its page and in the feeds, says what changed in the data, in the reader's
language, not the commit's message (written for developers), and each feed entry carries the commit's full
timestamp. Checked on a copy of the repository made into a git repository of its own, with two commits."""

from __future__ import annotations

import datetime
import os
import re
import shutil
import subprocess
from pathlib import Path

import feedparser
import pytest

from generator.build import build
from generator.models import Change, Dataset, Resource, TableChange, Text
from generator.outputs.exports import change_text
from generator.read import history

from conftest import copy_project

SUBJECT = "Fix Kbang's 2024 value and add the 2025 first-half row (developer wording)"
PV = "datasets/production-value/production-value.csv"


def git(root: Path, *args: str, when: str = "2026-11-30T09:15:00+07:00") -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    env |= {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("history"))
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Initial data")
    csv = root / PV
    text = csv.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    changed = next(i for i, line in enumerate(lines) if line.startswith("2024,full-year,kbang,production-value,"))
    first = lines[changed].split(",")
    first[-2] = "Ghi chú thử."  # the note (Vietnamese) of Kbang's 2024 figure
    lines[changed] = ",".join(first)
    extra = lines[changed].replace("2024,full-year,", "2025,first-half,", 1)
    csv.write_text("".join(lines) + extra, encoding="utf-8")
    git(root, "commit", "-q", "-am", SUBJECT, when="2026-11-30T16:45:30+07:00")
    checked, report = build(root)
    assert report is not None, [i.as_tuple() for i in checked.issues if i.is_error]
    return root


def test_the_dataset_page_says_what_changed_in_the_data(project: Path) -> None:
    page = (project / "site/du-lieu/production-value/index.html").read_text(encoding="utf-8")
    assert "Số liệu theo địa phương: 1 dòng mới, 1 dòng sửa" in page
    assert SUBJECT not in page and "Initial data" not in page
    english = (project / "site/en/du-lieu/production-value/index.html").read_text(encoding="utf-8")
    assert "rows added: 1, rows changed: 1" in english


def test_each_feed_speaks_its_language_with_full_timestamps(project: Path) -> None:
    for path, words in (
        ("site/feed.xml", "1 dòng mới, 1 dòng sửa"),
        ("site/en/feed.xml", "rows added: 1, rows changed: 1"),
    ):
        feed = feedparser.parse((project / path).read_bytes())
        assert not feed.bozo, feed.bozo_exception
        entry = next(e for e in feed.entries if words in e.title)
        assert SUBJECT not in entry.title and SUBJECT not in entry.summary
        assert entry.updated == "2026-11-30T16:45:30+07:00"  # the commit's time and offset, not midnight
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", feed.feed.updated)
    head = (project / "site/en/index.html").read_text(encoding="utf-8")
    assert 'type="application/atom+xml" href="feed.xml"' in head  # the English pages advertise the English feed


def test_a_change_is_described_by_its_tables_and_descriptor() -> None:
    resource = Resource("t", "t.csv", Text("Bảng thử", "Test table"), Text(""), (), (), (), ())
    dataset = Dataset("d", Path("."), Path("d.yaml"), Text("d"), Text(""), "1", (), (), (resource,))
    change = Change(
        "abc1234",
        datetime.date(2026, 1, 2),
        "anything",
        tables=(TableChange("t.csv", added=2, changed=1, columns_added=("note_en",)),),
        descriptor=True,
    )
    assert (
        change_text(change, dataset, "vi")
        == "Bảng thử: 2 dòng mới, 1 dòng sửa, thêm cột note_en; sửa phần mô tả bộ dữ liệu"
    )
    assert change_text(change, dataset, "en").startswith(
        "Test table: rows added: 2, rows changed: 1, columns added: note_en"
    )
    created = Change("abc1234", change.date, "x", tables=(TableChange("t.csv", added=1500, created=True),))
    assert change_text(created, dataset, "vi") == "Bảng thử: công bố 1.500 dòng"


def test_two_versions_of_a_table_are_compared_by_key() -> None:
    from generator.read.history import _compare

    old = b"id,a,b\n1,x,y\n2,x,y\n3,x,y\n"
    new = b"id,a,c\n1,x,z\n2,q,z\n4,x\n"
    assert _compare("t.csv", old, new, ("id",)) == TableChange(
        "t.csv", added=1, removed=1, changed=1, columns_added=("c",), columns_removed=("b",)
    )
    assert _compare("t.csv", None, new, ("id",)) == TableChange("t.csv", added=3, created=True)
    assert _compare("t.csv", old, None, ("id",)) == TableChange("t.csv", removed=3, deleted=True)


def test_a_history_is_read_once_for_each_log(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Commits never change: the history read from one log is kept and given back until a commit is added."""
    root = tmp_path / "project"
    shutil.copytree(project, root, symlinks=True)
    keep = tmp_path / "kept-history"
    fresh = history.dataset_histories(root)
    assert len(fresh["production-value"]) == 2
    reads: list[int] = []
    read = history._histories
    monkeypatch.setattr(history, "_histories", lambda *args: reads.append(1) or read(*args))
    assert history.dataset_histories(root, keep) == fresh and len(reads) == 1
    assert history.dataset_histories(root, keep) == fresh and len(reads) == 1, "read again from git"
    csv = root / PV
    csv.write_text(csv.read_text(encoding="utf-8").replace("Ghi chú thử.", "Ghi chú khác."), encoding="utf-8")
    git(root, "commit", "-q", "-am", "Another note", when="2026-12-01T08:00:00+07:00")
    after = history.dataset_histories(root, keep)
    assert len(reads) == 2 and after == history.dataset_histories(root)
    assert (
        len(after["production-value"]) == 3 and after["production-value"][0].tables[0].changed == 2
    )  # both rows with the note
    assert len(list(keep.glob("*.json"))) == 1, "the history of the old log is still kept"


def test_objects_are_read_one_request_at_a_time_and_missing_ones_left_out(project: Path) -> None:
    """The history asks git for one dataset's files at a time (``history._Objects``, one ``cat-file`` kept
    running): a missing file, a folder (a tree, not a file) and a commit come back as they should, in any
    order, and the process keeps answering after each."""
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=project, capture_output=True, text=True, check=True)
    commit = head.stdout.strip()
    with history._Objects(project) as objects:
        first = objects.read([f"{commit}:{PV}", f"{commit}:datasets/no-such/file.csv", f"{commit}:datasets"])
        assert list(first) == [f"{commit}:{PV}"]
        assert first[f"{commit}:{PV}"] == (project / PV).read_bytes()
        second = objects.read([commit, f"{commit}^:{PV}"])
        assert second[commit].startswith(b"tree ")
        assert second[f"{commit}^:{PV}"] != first[f"{commit}:{PV}"]  # the version before the last commit
    assert objects.read([f"{commit}:{PV}"]) == {}  # after the end: nothing, and no error
