"""A build after a change reads only the pages that changed (``generator/publish/incremental.py``), and what
it publishes is byte for byte what a whole build of the same inputs publishes."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from pathlib import Path

import pytest

from generator import build as pipeline
from generator import config
from generator.publish import incremental, site

from conftest import FIXTURES, copy_project


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _built(root: Path) -> None:
    checked, report = pipeline.build(root)
    assert report is not None, [i.as_tuple() for i in checked.issues]


def _set_cell(path: Path, column: str, value: str, row: int = 1) -> None:
    """Put ``value`` in ``column`` of data row ``row`` of the CSV file ``path``."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[row][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _change_a_cell(root: Path) -> None:
    """A note of one figure of the repository's data (nothing else depends on it)."""
    table = root / "datasets" / "production-value" / "production-value.csv"
    _set_cell(table, "note", "Ghi chú thêm để kiểm thử.")
    _set_cell(table, "note_en", "A note added for a test.")


def _rename_an_indicator(root: Path) -> None:
    """An indicator's title in the small fixture."""
    _set_cell(root / "datasets" / "figures" / "indicators.csv", "title", "Tổng giá trị sản xuất (đã sửa)")


class Spy:
    """Records each incremental MkDocs build's changed files (the builds run in forked processes: the
    record is a file)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, record: Path) -> None:
        self.record = record
        original = incremental.Incremental.__init__

        def init(plugin: incremental.Incremental, changed: frozenset[str], previous: Path) -> None:
            with record.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(sorted(changed)) + "\n")
            original(plugin, changed, previous)

        monkeypatch.setattr(incremental.Incremental, "__init__", init)

    def builds(self) -> list[list[str]]:
        if not self.record.exists():
            return []
        return [json.loads(line) for line in self.record.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def changed_whole(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's datasets with one cell changed, built whole (no site before)."""
    root = copy_project(tmp_path_factory.mktemp("whole") / "project")
    _change_a_cell(root)
    _built(root)
    return root


def test_a_changed_cell_builds_only_its_pages_and_publishes_what_a_whole_build_does(
    tmp_path: Path, changed_whole: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_project(tmp_path / "project")
    _built(root)
    published = root / config.SITE_DIR
    # hard links to every published file: a build that wrote into one of them would change these too
    before = {}
    for path in sorted(p for p in published.rglob("*") if p.is_file()):
        keep = tmp_path / "kept" / path.relative_to(published)
        keep.parent.mkdir(parents=True, exist_ok=True)
        os.link(path, keep)
        before[path.relative_to(published).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()

    spy = Spy(monkeypatch, tmp_path / "builds.jsonl")
    _change_a_cell(root)
    _built(root)

    builds = spy.builds()
    assert len(builds) == 2, "expected one incremental build per language"
    pages = [p for build in builds for p in build if p.endswith(".md")]
    assert any(p.startswith("du-lieu/production-value/") for p in pages), builds
    all_pages = sum(1 for _ in (changed_whole / config.DOCS_DIR).rglob("*.md"))
    assert 0 < len(pages) < all_pages / 2, f"{len(pages)} of {all_pages} pages read again"

    whole, incremental_site = _tree(changed_whole / config.SITE_DIR), _tree(published)
    assert sorted(incremental_site) == sorted(whole)
    different = [name for name in whole if whole[name] != incremental_site[name]]
    assert not different, f"{len(different)} files differ from a whole build, e.g. {different[:5]}"
    kept = {
        p.relative_to(tmp_path / "kept").as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((tmp_path / "kept").rglob("*"))
        if p.is_file()
    }
    assert kept == before, "the incremental build wrote into a file of the site it replaced"


@pytest.fixture
def small(tmp_path: Path) -> Path:
    root = copy_project(tmp_path / "project", FIXTURES / "valid" / "datasets")
    _built(root)
    return root


def test_a_new_page_means_a_whole_build(small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spy = Spy(monkeypatch, tmp_path / "builds.jsonl")
    members = small / "datasets" / "members" / "members.csv"
    beta = members.read_text(encoding="utf-8").splitlines()[2]
    members.write_text(
        members.read_text(encoding="utf-8") + beta.replace("beta,Đak Beta", "gamma,Gamma", 1) + "\n",
        encoding="utf-8",
    )
    _built(small)
    assert spy.builds() == [], "a build with a new page was not built whole"
    assert (small / config.SITE_DIR / config.MEMBERS_DIR / "gamma" / "index.html").is_file()


def test_a_site_changed_by_hand_means_a_whole_build(
    small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = Spy(monkeypatch, tmp_path / "builds.jsonl")
    edited = small / config.SITE_DIR / "index.html"
    edited.write_text("edited by hand", encoding="utf-8")
    _rename_an_indicator(small)
    _built(small)
    assert spy.builds() == []
    assert edited.read_text(encoding="utf-8") != "edited by hand"


def test_an_incremental_build_that_fails_is_built_whole(
    small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = copy_project(tmp_path / "whole", FIXTURES / "valid" / "datasets")
    _rename_an_indicator(whole)
    _built(whole)

    index = small / config.SITE_DIR / incremental.SEARCH_INDEX
    data = json.loads(index.read_text(encoding="utf-8"))
    data["docs"].append({"location": "no-such-page/", "title": "x", "text": "x"})
    index.write_text(json.dumps(data), encoding="utf-8")
    # the edited index would mean a whole build by the listing alone: record the listing as it is now
    manifest = small / config.CACHE_DIR / site.MANIFEST
    record = json.loads(manifest.read_text(encoding="utf-8"))
    record["listing"] = site._listing(small)
    manifest.write_text(json.dumps(record), encoding="utf-8")

    spy = Spy(monkeypatch, tmp_path / "builds.jsonl")
    _rename_an_indicator(small)
    _built(small)
    assert spy.builds(), "the incremental build was not tried"
    assert _tree(small / config.SITE_DIR) == _tree(whole / config.SITE_DIR)


def test_merged_entries_keep_the_order_of_a_whole_build() -> None:
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

    files = Files([File(name, "docs", "site", use_directory_urls=True) for name in ("index.md", "a.md", "b.md")])
    for file in files:
        Page(None, file, {})  # type: ignore[arg-type]
        setattr(file, "is_modified", (lambda m=file.src_uri == "a.md": m))  # noqa: B010
    kept = [
        {"location": "", "title": "Home", "text": ""},
        {"location": "a/", "title": "A", "text": "old"},
        {"location": "b/", "title": "B", "text": ""},
        {"location": "b/#x", "title": "X", "text": ""},
    ]
    built = [{"location": "a/", "title": "A", "text": "new"}, {"location": "a/#y", "title": "Y", "text": ""}]
    merged = incremental.merged_entries(files, kept, built)
    assert [(e["location"], e["text"]) for e in merged] == [
        ("", ""),
        ("a/", "new"),
        ("a/#y", ""),
        ("b/", ""),
        ("b/#x", ""),
    ]


def test_a_change_to_a_referenced_dataset_reaches_the_pages_that_name_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A member's name is in the cells of every table that refers to it: those tables are made again (the
    kept tables are named by the datasets they refer to), and the result is a whole build's."""

    def rename(root: Path) -> None:
        _set_cell(root / "datasets" / "members" / "members.csv", "name", "An Khê (tên mới)")

    whole = copy_project(tmp_path / "whole")
    rename(whole)
    _built(whole)
    root = copy_project(tmp_path / "project")
    _built(root)
    spy = Spy(monkeypatch, tmp_path / "builds.jsonl")
    rename(root)
    _built(root)
    assert spy.builds(), "not built incrementally"
    page = (root / config.SITE_DIR / "du-lieu" / "production-value" / "index.html").read_text(encoding="utf-8")
    assert "An Khê (tên mới)" in page
    assert _tree(root / config.SITE_DIR) == _tree(whole / config.SITE_DIR)


def test_an_entry_of_no_page_or_without_a_location_is_refused() -> None:
    from mkdocs.exceptions import PluginError
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

    files = Files([File("index.md", "docs", "site", use_directory_urls=True)])
    for file in files:
        Page(None, file, {})  # type: ignore[arg-type]
        setattr(file, "is_modified", lambda: False)  # noqa: B010
    with pytest.raises(PluginError, match="of no page"):
        incremental.merged_entries(files, [{"location": "gone/", "title": "", "text": ""}], [])
    with pytest.raises(PluginError, match="without a location"):
        incremental.merged_entries(files, [{"title": "", "text": ""}], [])
