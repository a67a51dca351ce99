"""Publish: folders made of hard links to others' files, kept from one build to the next.

A build stages ``docs/`` as hard links (``site.stage_pages``), and each other language's pages with the
hand-written files; an incremental MkDocs build takes every page it did not build from ``site/``. Made anew
each time, those copies cost a link and an unlink per file and a ``mkdir`` and an ``rmdir`` per folder: at a
thousand datasets some 34,000 files and 10,000 folders, about 4 s of a build after a one-cell change. So the
copies a build leaves behind (the ``docs/`` and ``site/`` it replaced, the pages it staged) are kept under
``.cache/mirrors/`` and made equal to what they must copy next time (``make``): only the entries that differ
are linked, replaced or removed. A file is the same when it is the same file (device and inode): the
writer and MkDocs replace files, they never write into one, so a linked file holds what its original holds.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Collection, Mapping
from pathlib import Path

from generator import config

# relative path -> ("dir", 0, 0, "") | ("file", device, inode, source path) | ("link", 0, 0, its target)
Entry = tuple[str, int, int, str]
Listing = dict[str, Entry]


def listing(folder: Path, skip: Collection[str] = ()) -> Listing:
    """Every entry under ``folder`` by path relative to it (links are not followed), without the top-level
    names in ``skip``."""
    found: Listing = {}
    stack = [("", str(folder))]
    while stack:
        prefix, current = stack.pop()
        with os.scandir(current) as entries:
            for entry in entries:
                if not prefix and entry.name in skip:
                    continue
                relative = prefix + entry.name
                info = entry.stat(follow_symlinks=False)
                if stat.S_ISLNK(info.st_mode):
                    found[relative] = ("link", 0, 0, os.readlink(entry.path))
                elif stat.S_ISDIR(info.st_mode):
                    found[relative] = ("dir", 0, 0, "")
                    stack.append((relative + "/", entry.path))
                else:
                    found[relative] = ("file", info.st_dev, info.st_ino, entry.path)
    return found


def make(target: Path, wanted: Mapping[str, Entry]) -> None:
    """Make the folder ``target`` hold exactly ``wanted`` (``listing``): each file a hard link to its source
    (a copy where links are not possible), each link with its target. What is there already and the same is
    left as it is; anything else is removed."""
    target.mkdir(parents=True, exist_ok=True)
    present = listing(target)
    removed: set[str] = set()
    for path in sorted(present, reverse=True):  # a folder's contents before the folder
        if _same(present[path], wanted.get(path)):
            continue
        if present[path][0] == "dir":
            shutil.rmtree(target / path)  # with what it holds that was the same: made again below
            removed.update(p for p in present if p.startswith(path + "/"))
        else:
            (target / path).unlink()
        removed.add(path)
    for path in sorted(wanted):  # a folder before its contents
        entry = wanted[path]
        if path in present and path not in removed:
            continue  # the same (anything else was removed)
        full = target / path
        if entry[0] == "dir":
            full.mkdir()
        elif entry[0] == "link":
            os.symlink(entry[3], full)
        else:
            link_or_copy(entry[3], full)


def link_or_copy(source: str | Path, target: str | Path) -> None:
    """Make ``target`` a hard link to the file ``source``, or a copy of it (with its times) where the file
    system cannot link (another device). ``target`` must not exist."""
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, target, follow_symlinks=False)


def _same(present: Entry, wanted: Entry | None) -> bool:
    """Whether the entry present is the one wanted: the same kind, and the same file or link target."""
    if wanted is None or present[0] != wanted[0]:
        return False
    return present[1:3] == wanted[1:3] if present[0] == "file" else present[3] == wanted[3]


def take(root: Path, name: str, target: Path) -> bool:
    """Move the kept mirror ``name`` (under ``.cache/mirrors/`` of ``root``) to ``target``, if there is one."""
    kept = _folder(root, name)
    if not kept.is_dir() or kept.is_symlink() or target.exists():
        return False
    kept.rename(target)
    return True


def keep(root: Path, name: str, folder: Path | None) -> None:
    """Keep ``folder`` (a copy the build is done with) as the mirror ``name`` for the next build."""
    if folder is None or not folder.is_dir() or folder.is_symlink():
        return
    kept = _folder(root, name)
    if kept.exists() or kept.is_symlink():
        shutil.rmtree(kept, ignore_errors=True)
        if kept.exists() or kept.is_symlink():
            return
    kept.parent.mkdir(parents=True, exist_ok=True)
    folder.rename(kept)


def _folder(root: Path, name: str) -> Path:
    return root / config.CACHE_DIR / "mirrors" / name
