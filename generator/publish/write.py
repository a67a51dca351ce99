"""Publish: put the rendered pages and the published files under a docs folder.

The writer touches only the generated paths (``config.GENERATED_PATHS``): it writes a file only when its
bytes change, and removes generated files that are no longer rendered (a dataset that is gone).
"""

from __future__ import annotations

import os
import shutil
import stat
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generator import cache, config
from generator.publish import mirror

if TYPE_CHECKING:  # the renderer is not imported by the process that only publishes
    from generator.outputs.render import Site


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0


# What the writer left under docs/ at the last publish (``record``): generated path -> (SHA-256 in hexadecimal,
# inode, size, modification time in ns). A file that still has that inode, size and time holds those bytes.
Known = Mapping[str, tuple[str, int, int, int]]


def write_site(
    site: Site, docs_dir: Path, digests: Mapping[str, str] | None = None, known: Known | None = None
) -> WriteReport:
    """Write ``site`` under ``docs_dir``. Returns what changed, as paths relative to ``docs_dir``.

    A file is left as it is when it already holds the bytes to write: when ``digests`` (each path's SHA-256,
    ``Site.digest``) matches what ``known`` (``record``) says the file, still the same by inode, size and
    time, holds; otherwise by comparing the bytes."""
    report = WriteReport()
    wanted = set(site.paths())
    checked: set[str] = set()  # folders seen to be folders, not links
    for path in site.paths():
        target = safe_target(docs_dir, path)
        _unlink_symlinks(docs_dir, target, checked)
        if digests is not None and known and _known_same(target, digests[path], known.get(path)):
            report.unchanged += 1
            continue
        content = site.content(path)
        if _same(target, content):
            report.unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        _replace(target, content)
        report.written.append(path)
    for path in sorted(generated_files(docs_dir)):
        if path not in wanted:
            (docs_dir / path).unlink()
            report.removed.append(path)
    # A folder is emptied by removing files: here, or by hand (looked for whenever docs/ is compared whole)
    if report.removed or not known:
        _remove_empty_dirs(docs_dir)
    return report


def record(docs_dir: Path, digests: Mapping[str, str], settled: float = 1.0) -> dict[str, tuple[str, int, int, int]]:
    """``Known`` for the next ``write_site``: each file of ``digests`` under ``docs_dir`` (as it was just
    published) with its inode, size and time. A file changed less than ``settled`` seconds ago is left out:
    the clock that dates files ticks in steps of milliseconds, so an edit made in the same step would not
    show (it is compared byte by byte next time)."""
    found = {}
    newest = time.time_ns() - int(settled * 1e9)
    for path, digest in digests.items():
        try:
            info = os.lstat(safe_target(docs_dir, path))
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode) and info.st_mtime_ns < newest:
            found[path] = (digest, info.st_ino, info.st_size, info.st_mtime_ns)
    return found


def _known_same(target: Path, digest: str, known: tuple[str, int, int, int] | None) -> bool:
    """Whether ``target`` is the file ``known`` describes (inode, size, time) and that file holds ``digest``."""
    if known is None or known[0] != digest:
        return False
    try:
        info = os.lstat(target)
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and (info.st_ino, info.st_size, info.st_mtime_ns) == known[1:]


def _replace(target: Path, content: bytes | Path) -> None:
    """Put ``content`` at ``target`` as a new file (written beside it, then renamed over it): the old file is
    never written into, so a copy of it made by a hard link (the build's staging folder) stays as it was,
    and a reader never sees half a file. A file that is a cache entry (``cache.linkable``: never written
    into) is put there as a hard link to it, not copied; any other file (a dataset's own CSV, which an
    editor may write into) is copied."""
    partial = target.with_name(f".{target.name}.partial")
    try:
        if isinstance(content, Path):
            if cache.linkable(content):
                mirror.link_or_copy(content, partial)
            else:
                shutil.copyfile(content, partial)  # streamed: a large table's file is never held in memory
        else:
            partial.write_bytes(content)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def _same(target: Path, content: bytes | Path) -> bool:
    """Whether ``target`` already holds ``content``, compared a block at a time."""
    if not target.is_file() or target.is_symlink():
        return False
    if isinstance(content, bytes):
        return target.stat().st_size == len(content) and target.read_bytes() == content
    if target.stat().st_size != content.stat().st_size:
        return False
    with target.open("rb") as old, content.open("rb") as new:
        while True:
            a, b = old.read(1 << 20), new.read(1 << 20)
            if a != b:
                return False
            if not a:
                return True


def safe_target(docs_dir: Path, path: str) -> Path:
    """``docs_dir / path``, refusing any path that could leave ``docs_dir`` (absolute, or with a ``..`` step):
    the validator refuses such names first; this is the writer's own guarantee."""
    parts = [part for part in path.split("/") if part not in ("", ".")]
    if not parts or path.startswith("/") or ".." in parts or "\\" in path:
        raise ValueError(f"refusing to write outside {docs_dir}: {path!r}")
    return docs_dir.joinpath(*parts)


def _unlink_symlinks(docs_dir: Path, target: Path, checked: set[str] | None = None) -> None:
    """Remove any symbolic link on the way from ``docs_dir`` to ``target``: generated paths belong to the
    generator, and writing through a link would write outside ``docs/``. ``checked``: the folders already seen
    to be folders in this run (not looked at again)."""
    if checked is not None and str(target.parent) in checked:
        return
    current = docs_dir
    for part in target.relative_to(docs_dir).parts:
        current = current / part
        if current.is_symlink():
            current.unlink()
            return
        if not current.is_dir():
            return
        if checked is not None:
            checked.add(str(current))


def generated_files(docs_dir: Path) -> set[str]:
    """Files under the generated paths of ``docs_dir``, relative to it."""
    found: set[str] = set()
    for name in config.GENERATED_PATHS:
        path = docs_dir / name
        if path.is_file() or path.is_symlink():
            found.add(name)
        elif path.is_dir():
            found.update(_files_under(path, name))
    return found


def handwritten_files(docs_dir: Path) -> list[Path]:
    """The files of ``docs_dir`` outside the generated paths (styles, scripts, hand-written pages), by path.
    The generated folders are not walked: at a thousand datasets they hold some 16,000 files."""
    found = []
    for entry in sorted(os.scandir(docs_dir), key=lambda e: e.name) if docs_dir.is_dir() else ():
        if entry.name in config.GENERATED_PATHS:
            continue
        if entry.is_dir(follow_symlinks=False):
            found += [docs_dir / relative for relative in sorted(_files_under(Path(entry.path), entry.name))]
        else:
            found.append(docs_dir / entry.name)
    return found


def _files_under(folder: Path, prefix: str) -> Iterator[str]:
    """The files (and links) under ``folder``, as ``prefix/...`` paths; links to folders are not followed."""
    for current, dirs, names in os.walk(folder):
        relative = prefix + current[len(str(folder)) :].replace(os.sep, "/")
        yield from (f"{relative}/{name}" for name in names)
        for name in dirs:
            if os.path.islink(os.path.join(current, name)):
                yield f"{relative}/{name}"


def _remove_empty_dirs(docs_dir: Path) -> None:
    for name in config.GENERATED_PATHS:
        path = docs_dir / name
        if path.is_dir() and not path.is_symlink():
            for folder in sorted((p for p in path.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
                if not any(folder.iterdir()):
                    folder.rmdir()
