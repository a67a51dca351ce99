"""Publish: put the rendered pages and the published files under a docs folder.

The writer touches only the generated paths (``config.GENERATED_PATHS``): it writes a file only when its
bytes change, and removes generated files that are no longer rendered (a dataset that is gone).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from generator import config

if TYPE_CHECKING:  # the renderer is not imported by the process that only publishes
    from generator.outputs.render import Site


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0


def write_site(site: Site, docs_dir: Path) -> WriteReport:
    """Write ``site`` under ``docs_dir``. Returns what changed, as paths relative to ``docs_dir``."""
    report = WriteReport()
    wanted = set(site.pages) | set(site.files) | set(site.blobs)
    for path, content in _contents(site):
        target = safe_target(docs_dir, path)
        _unlink_symlinks(docs_dir, target)
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
    _remove_empty_dirs(docs_dir)
    return report


def _contents(site: Site) -> Iterator[tuple[str, bytes | Path]]:
    """Each file to write with its content, one at a time: the pages' texts are not all made whole at once."""
    for path, text in site.pages.items():
        yield path, text.encode("utf-8")
    yield from site.files.items()
    yield from site.blobs.items()


def _replace(target: Path, content: bytes | Path) -> None:
    """Put ``content`` at ``target`` as a new file (written beside it, then renamed over it): the old file is
    never written into, so a copy of it made by a hard link (the build's staging folder) stays as it was,
    and a reader never sees half a file."""
    partial = target.with_name(f".{target.name}.partial")
    try:
        if isinstance(content, Path):
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
    parts = PurePosixPath(path).parts
    if not parts or PurePosixPath(path).is_absolute() or ".." in parts or "\\" in path:
        raise ValueError(f"refusing to write outside {docs_dir}: {path!r}")
    return docs_dir.joinpath(*parts)


def _unlink_symlinks(docs_dir: Path, target: Path) -> None:
    """Remove any symbolic link on the way from ``docs_dir`` to ``target``: generated paths belong to the
    generator, and writing through a link would write outside ``docs/``."""
    current = docs_dir
    for part in target.relative_to(docs_dir).parts:
        current = current / part
        if current.is_symlink():
            current.unlink()
            return
        if not current.is_dir():
            return


def generated_files(docs_dir: Path) -> set[str]:
    """Files under the generated paths of ``docs_dir``, relative to it."""
    found: set[str] = set()
    for name in config.GENERATED_PATHS:
        path = docs_dir / name
        if path.is_file() or path.is_symlink():
            found.add(name)
        elif path.is_dir():
            found.update(p.relative_to(docs_dir).as_posix() for p in path.rglob("*") if not p.is_dir())
    return found


def _remove_empty_dirs(docs_dir: Path) -> None:
    for name in config.GENERATED_PATHS:
        path = docs_dir / name
        if path.is_dir() and not path.is_symlink():
            for folder in sorted((p for p in path.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
                if not any(folder.iterdir()):
                    folder.rmdir()
