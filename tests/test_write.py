"""The writer: only changed files are written, generated files of a dataset that is gone are removed, and
hand-written files under docs/ are never touched."""

from __future__ import annotations

import hashlib
import os
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from generator import cache, i18n
from generator.build import Checked, generate
from generator.cache import file_digest
from generator.models import Cells, HeldRows, Row, rows_by, rows_where
from generator.outputs.render import Site, _member_rows, member_tables
from generator.outputs.tables import Context, MemberTables, member_resource
from generator.publish import write as write_module
from generator.publish.write import generated_files, handwritten_files, record, write_site

from conftest import FIXTURES

VALID = FIXTURES / "valid"
OLD = 1_000_000_000  # an mtime long past (2001), so that any rewrite shows

HAND_WRITTEN = {
    "assets/extra.css": b"body { color: #123; }\n",
    "notes.md": "# Ghi chú\n\nViết tay.\n".encode(),
    "du-lieu-cu/README.md": b"not a generated path: only du-lieu/ is\n",
    "dia-phuong.md": b"a file named like a generated folder\n",
}


def render(root: Path) -> Site:
    checked, site = generate(root)
    assert site is not None, [i.as_tuple() for i in checked.issues]
    return site


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``folder``: its bytes and mtime."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def age(folder: Path) -> None:
    for p in folder.rglob("*"):
        if p.is_file():
            os.utime(p, (OLD, OLD))


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """A docs folder holding only hand-written files."""
    folder = tmp_path / "docs"
    for path, data in HAND_WRITTEN.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)
    return folder


def test_first_write_writes_every_page_and_file(valid: Path, docs: Path) -> None:
    site = render(valid)
    report = write_site(site, docs)
    assert sorted(report.written) == sorted([*site.pages, *site.files, *site.blobs])
    assert report.removed == [] and report.unchanged == 0
    for path, text in site.pages.items():
        assert (docs / path).read_bytes() == text.encode("utf-8")
    for path, source in site.files.items():
        assert (docs / path).read_bytes() == source.read_bytes()
    for path, data in site.blobs.items():
        assert (docs / path).read_bytes() == data
    assert generated_files(docs) == set(site.pages) | set(site.files) | set(site.blobs) | set(site.blobs)


def test_second_write_changes_nothing(valid: Path, docs: Path) -> None:
    site = render(valid)
    write_site(site, docs)
    age(docs)
    before = snapshot(docs)
    report = write_site(render(valid), docs)
    assert report.written == [] and report.removed == []
    assert report.unchanged == len(site.pages) + len(site.files) + len(site.blobs)
    assert snapshot(docs) == before  # same bytes, same mtimes


def test_only_a_changed_page_is_written(valid: Path, docs: Path) -> None:
    site = render(valid)
    write_site(site, docs)
    age(docs)
    before = snapshot(docs)
    pages = dict(site.pages)
    pages["dia-phuong/alpha.md"] += "\nOne more line.\n"
    report = write_site(Site(pages, site.files, site.blobs), docs)
    assert report.written == ["dia-phuong/alpha.md"] and report.removed == []
    after = snapshot(docs)
    assert {path for path in after if after[path] != before[path]} == {"dia-phuong/alpha.md"}


def test_generated_files_of_a_dataset_that_is_gone_are_removed(valid: Path, docs: Path, tmp_path: Path) -> None:
    write_site(render(valid), docs)
    # also a page left over from an older build, in a generated folder
    (docs / "du-lieu/old-dataset").mkdir()
    (docs / "du-lieu/old-dataset/index.md").write_text("old\n", encoding="utf-8")
    age(docs)
    hand_written = {path: value for path, value in snapshot(docs).items() if path in HAND_WRITTEN}

    root = tmp_path / "without-figures"
    shutil.copytree(VALID, root)
    shutil.rmtree(root / "datasets/figures")
    site = render(root)
    report = write_site(site, docs)

    before = {*render(valid).pages, *render(valid).files, *render(valid).blobs, "du-lieu/old-dataset/index.md"}
    # everything of the figures dataset goes (its page, files, charts), and nothing else
    assert set(report.removed) == before - {*site.pages, *site.files, *site.blobs}
    assert {
        "du-lieu/figures/index.md",
        "du-lieu/figures/figures.csv",
        "du-lieu/figures/figures.xlsx",
        "du-lieu/old-dataset/index.md",
    } <= set(report.removed)
    assert not (docs / "du-lieu/figures").exists()
    assert not (docs / "du-lieu/old-dataset").exists()
    assert generated_files(docs) == set(site.pages) | set(site.files) | set(site.blobs)
    assert {path: value for path, value in snapshot(docs).items() if path in HAND_WRITTEN} == hand_written


def test_hand_written_files_are_never_touched(valid: Path, docs: Path, tmp_path: Path) -> None:
    age(docs)
    before = snapshot(docs)
    write_site(render(valid), docs)
    empty = tmp_path / "empty"
    (empty / "datasets").mkdir(parents=True)
    write_site(render(empty), docs)  # a catalogue with no dataset: most generated files go
    after = snapshot(docs)
    assert {path: after[path] for path in before} == before
    assert set(after) - set(before) == generated_files(docs)


def test_a_symlink_at_a_generated_path_is_replaced_not_written_through(valid: Path, docs: Path) -> None:
    (docs / "index.md").symlink_to(docs / "notes.md")
    age(docs)
    site = render(valid)
    write_site(site, docs)
    assert not (docs / "index.md").is_symlink()
    assert (docs / "index.md").read_text(encoding="utf-8") == site.pages["index.md"]
    assert (docs / "notes.md").read_bytes() == HAND_WRITTEN["notes.md"]


def test_a_symlinked_generated_folder_is_not_written_through(valid: Path, docs: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (docs / "du-lieu").symlink_to(outside, target_is_directory=True)
    site = render(valid)
    write_site(site, docs)
    assert list(outside.iterdir()) == []
    assert generated_files(docs) == set(site.pages) | set(site.files) | set(site.blobs)


@pytest.mark.parametrize("path", ["../escaped.md", "/tmp/escaped.md", "du-lieu/../../escaped.md", "a\\..\\b.md"])
def test_the_writer_never_writes_outside_docs(tmp_path: Path, path: str) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    with pytest.raises(ValueError, match="refusing to write outside"):
        write_site(Site({path: "x"}, {}), docs)
    assert not (tmp_path / "escaped.md").exists() and list(docs.iterdir()) == []


def _digests(site: Site) -> dict[str, str]:
    return {path: site.digest(path) for path in site.paths()}


def test_a_recorded_file_is_known_unchanged_without_being_read(
    valid: Path, docs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = render(valid)
    write_site(site, docs)
    age(docs)
    known = record(docs, _digests(site))
    assert set(known) == set(site.paths())
    compared: list[Path] = []
    original = write_module._same

    def same(target: Path, content: bytes | Path) -> bool:
        compared.append(target)
        return original(target, content)

    monkeypatch.setattr(write_module, "_same", same)
    report = write_site(site, docs, _digests(site), known)
    assert report.written == [] and report.unchanged == len(known) and compared == []


def test_a_recorded_file_edited_by_hand_is_compared_and_written_again(valid: Path, docs: Path) -> None:
    site = render(valid)
    write_site(site, docs)
    age(docs)
    known = record(docs, _digests(site))
    # edited in place (same inode, same size), then its time changes: the record no longer describes it
    page = docs / "index.md"
    original = page.read_bytes()
    with page.open("r+b") as handle:
        handle.write(b"X")
    report = write_site(site, docs, _digests(site), known)
    assert report.written == ["index.md"] and page.read_bytes() == original


def test_a_file_recorded_with_other_bytes_is_compared(valid: Path, docs: Path) -> None:
    """The record says which bytes the file held: a page whose new digest differs is not taken as unchanged,
    and a wrong digest in the record never hides a change (the bytes are compared)."""
    site = render(valid)
    write_site(site, docs)
    age(docs)
    known = dict(record(docs, _digests(site)))
    _, inode, size, mtime = known["index.md"]
    # the record says the page holds other bytes than the new page (an older version, same inode, size, time)
    known["index.md"] = ("0" * 64, inode, size, mtime)
    with (docs / "index.md").open("r+b") as handle:
        handle.write(b"X")
    os.utime(docs / "index.md", ns=(mtime, mtime))
    assert (docs / "index.md").stat().st_ino == inode
    report = write_site(site, docs, _digests(site), known)
    assert "index.md" in report.written and (docs / "index.md").read_text(encoding="utf-8") == site.pages["index.md"]


def test_a_file_changed_in_the_last_second_is_not_recorded(valid: Path, docs: Path) -> None:
    """Files are dated in clock steps of milliseconds: an edit in the same step as the build's write would
    not show, so a file newer than ``settled`` is left for a byte comparison next time."""
    site = render(valid)
    write_site(site, docs)
    age(docs)
    os.utime(docs / "index.md")  # now
    known = record(docs, _digests(site), settled=60)
    assert "index.md" not in known and "gioi-thieu.md" in known


def test_held_rows_pick_rows_without_making_the_table() -> None:
    rows = [Row(n + 2, Cells.of({"member_id": f"m{n % 3}", "value": n})) for n in range(30)]
    held = HeldRows(rows)
    picked = held.where("member_id", "m1")
    assert picked == [r for r in rows if r.cells["member_id"] == "m1"] and held._made is None
    assert held.where("absent", "m1") == [] and rows_where(tuple(rows), "member_id", "m2") == held.where(
        "member_id", "m2"
    )
    list(held)  # made: picked from the made rows
    assert held.where("member_id", "m1") == picked


def test_held_rows_are_split_by_value_in_one_pass_as_picking_each_value_would() -> None:
    """``rows_by`` gives each value the rows ``rows_where`` would, held rows staying held; rows of another
    shape (without the field, or a list in it: no key equals it) are nobody's."""
    rows = [Row(n + 2, Cells.of({"member_id": f"m{n % 4}", "value": n})) for n in range(30)]
    rows += [Row(40, Cells.of({"value": 1})), Row(41, Cells.of({"member_id": ["m1"], "value": 2}))]
    rows += [Row(42, Cells.of({"member_id": 1, "value": 3})), Row(43, Cells.of({"member_id": Decimal(1)}))]
    values = ["m0", "m1", "m2", "absent", 1]
    held = HeldRows(rows)
    split = rows_by(held, "member_id", values)
    assert held._made is None and all(type(found) is HeldRows for found in split.values())
    for table in (held, tuple(rows)):
        split = rows_by(table, "member_id", values)
        assert list(split) == values
        for value in values:
            assert list(split[value]) == rows_where(tuple(rows), "member_id", value), value
    assert [r.number for r in split[1]] == [42, 43] and not split["absent"]


def test_member_pages_pick_the_rows_each_member_would_pick_alone(repository_checked: Checked) -> None:
    """Every member's rows are split out of the catalogue at once, and shared by the languages: each member
    gets exactly the rows that picking its own out of every table gives."""
    catalogue = repository_checked.catalogue
    assert catalogue is not None
    members = member_resource(catalogue)
    assert members is not None and len(members.rows) >= 5
    shared: dict[object, MemberTables] = {}
    for lang in i18n.LANGUAGES:
        ctx = Context(catalogue, lang, member_rows=shared)
        for member in members.rows:
            alone = {dataset.name: _member_rows(dataset, member) for dataset in catalogue.datasets}
            split = member_tables(member, ctx)
            assert split.keys() == alone.keys()
            for name, tables in alone.items():
                assert [(r.name, f, list(rows)) for r, f, rows in split[name]] == [
                    (r.name, f, list(rows)) for r, f, rows in tables
                ], (member.cells["id"], name)
            assert any(split.values()), member.cells["id"]
    assert shared.keys() == {member.cells["id"] for member in members.rows}


def test_a_large_file_is_hashed_again_once_it_changes(tmp_path: Path) -> None:
    path = tmp_path / "large.csv"
    path.write_bytes(b"a" * (2 << 20))
    first = file_digest(path)
    assert file_digest(path) == first == hashlib.sha256(b"a" * (2 << 20)).digest()
    replacement = tmp_path / "new.csv"
    replacement.write_bytes(b"b" * (2 << 20))
    os.replace(replacement, path)  # another file at the same path
    assert file_digest(path) == hashlib.sha256(b"b" * (2 << 20)).digest()


def test_hand_written_files_are_found_without_walking_the_generated_ones(docs: Path, tmp_path: Path) -> None:
    (docs / "du-lieu" / "x").mkdir(parents=True)
    (docs / "du-lieu" / "x" / "index.md").write_text("generated", encoding="utf-8")
    outside = tmp_path / "shared"
    outside.mkdir()
    (docs / "shared").symlink_to(outside, target_is_directory=True)
    found = [p.relative_to(docs).as_posix() for p in handwritten_files(docs)]
    assert found == sorted([*HAND_WRITTEN, "shared"])


def test_a_cache_entry_is_published_as_a_hard_link_and_a_data_file_as_a_copy(docs: Path, tmp_path: Path) -> None:
    """A download the cache made is never written into (``cache.entry`` renames a new file into place), so
    docs/ links to it instead of copying it; a dataset's own CSV may be edited in place, so it is copied."""
    data = tmp_path / "datasets" / "x" / "x.csv"
    data.parent.mkdir(parents=True)
    data.write_bytes(b"id,value\n1,2\n")
    with cache.workspace(tmp_path / ".cache"):
        made = cache.entry(tmp_path / ".cache" / "exports" / "x.zip", lambda partial: partial.write_bytes(b"zip"))
        outside = tmp_path / "made-elsewhere.zip"
        outside.write_bytes(b"zip")
        site = Site({}, {"du-lieu/x/x.zip": made, "du-lieu/x/x.csv": data, "du-lieu/x/y.zip": outside})
        write_site(site, docs)
        assert os.path.samefile(docs / "du-lieu/x/x.zip", made)
        assert not os.path.samefile(docs / "du-lieu/x/x.csv", data)
        assert not os.path.samefile(docs / "du-lieu/x/y.zip", outside)  # not the cache's: copied
        with data.open("r+b") as editor:  # an editor that writes into the file it opened
            editor.write(b"ID")
        assert (docs / "du-lieu/x/x.csv").read_bytes() == b"id,value\n1,2\n"
        made.unlink()  # an entry removed (or replaced by a rename) leaves the published file whole
    assert (docs / "du-lieu/x/x.zip").read_bytes() == b"zip"


def test_without_a_workspace_every_file_is_copied(docs: Path, tmp_path: Path) -> None:
    kept = tmp_path / ".cache" / "exports" / "x.zip"
    kept.parent.mkdir(parents=True)
    kept.write_bytes(b"zip")
    write_site(Site({}, {"du-lieu/x/x.zip": kept}), docs)
    assert not os.path.samefile(docs / "du-lieu/x/x.zip", kept)
