"""Copies made of hard links and kept between builds (``generator/publish/mirror.py``): made equal to what
they copy by changing only what differs, whatever state they were left in."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.publish import mirror


def tree(folder: Path) -> dict[str, object]:
    """What a copy must show: each file's bytes, each link's target, each folder."""
    found: dict[str, object] = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[relative] = ("link", os.readlink(path))
        elif path.is_dir():
            found[relative] = "dir"
        else:
            found[relative] = path.read_bytes()
    return found


@pytest.fixture
def source(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    for path, data in {"index.md": "trang chủ", "du-lieu/a/index.md": "A", "du-lieu/b/index.md": "B"}.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(data, encoding="utf-8")
    (folder / "assets").mkdir()
    (folder / "assets/extra.css").write_text("body {}", encoding="utf-8")
    (folder / "latest").symlink_to("du-lieu/a")
    return folder


def test_a_copy_is_made_of_links_to_the_same_files(source: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    mirror.make(copy, mirror.listing(source))
    assert tree(copy) == tree(source)
    assert os.path.samefile(copy / "du-lieu/a/index.md", source / "du-lieu/a/index.md")
    assert (copy / "latest").is_symlink() and not (copy / "du-lieu").is_symlink()


def test_a_kept_copy_is_brought_up_to_date_changing_only_what_differs(source: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    mirror.make(copy, mirror.listing(source))
    unchanged = (copy / "du-lieu/b/index.md").stat().st_ino
    # the source changes the way the writer changes it: files replaced, added, removed; a folder becomes a file
    (source / "du-lieu/a/new.md").write_text("A2", encoding="utf-8")
    os.replace(source / "du-lieu/a/new.md", source / "du-lieu/a/index.md")
    (source / "du-lieu/c").mkdir()
    (source / "du-lieu/c/index.md").write_text("C", encoding="utf-8")
    (source / "assets/extra.css").unlink()
    (source / "assets").rmdir()
    (source / "assets").write_text("now a file", encoding="utf-8")
    (source / "latest").unlink()
    (source / "latest").symlink_to("du-lieu/c")
    # and the copy holds things of its own: a stray file and folder
    (copy / "stray.md").write_text("x", encoding="utf-8")
    (copy / "du-lieu/stray").mkdir()
    mirror.make(copy, mirror.listing(source))
    assert tree(copy) == tree(source)
    assert (copy / "du-lieu/b/index.md").stat().st_ino == unchanged  # left as it was
    assert os.path.samefile(copy / "du-lieu/a/index.md", source / "du-lieu/a/index.md")


def test_a_copy_of_several_folders_takes_the_last_ones_file(source: Path, tmp_path: Path) -> None:
    """Each other language's pages: the hand-written files of docs/, then docs/<lang>/ over them."""
    english = source / "en"
    english.mkdir()
    (english / "index.md").write_text("home", encoding="utf-8")
    copy = tmp_path / "copy"
    mirror.make(copy, {**mirror.listing(source, skip=("du-lieu", "en")), **mirror.listing(english)})
    assert sorted(tree(copy)) == ["assets", "assets/extra.css", "index.md", "latest"]
    assert (copy / "index.md").read_text(encoding="utf-8") == "home"


def test_a_copy_is_kept_and_taken_back(source: Path, tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    copy = tmp_path / "copy"
    mirror.make(copy, mirror.listing(source))
    mirror.keep(root, "docs", copy)
    assert not copy.exists()
    assert mirror.take(root, "docs", tmp_path / "again") and tree(tmp_path / "again") == tree(source)
    assert not mirror.take(root, "docs", tmp_path / "once-more")  # taken: gone from the cache
