"""Nothing done twice, for the whole build: a record of the last successful build (``.cache/build.json``),
so that ``build`` with nothing changed reads no table, renders nothing and runs no MkDocs.

The record holds the key of the build's inputs, the problems that build found (warnings: they are printed
again, and fail ``--strict`` again), and the size and modification time of every generated file it left
under ``docs/`` and of every file of ``site/``. A build is skipped only when the key is the same and
``docs/`` and ``site/`` still hold exactly those files: a file edited or removed by hand means a build.

The key is the SHA-256 of everything the output depends on: every file under ``datasets/`` by name and
content, the hand-written files of ``docs/`` and ``overrides/``, the MkDocs configurations, the generator's
own files, the versions of the libraries that shape the output, and the environment the build reads
(``SITE_URL``, the build date).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from generator import cache, config, i18n
from generator.issues import Issue
from generator.publish.write import generated_files, handwritten_files

FORMAT = 2  # 2: the record lists site/'s files too
# The libraries whose version changes the pages or the site (read, not assumed: an upgrade means a build).
LIBRARIES = (
    "babel",
    "frictionless",
    "jinja2",
    "markdown",
    "mkdocs",
    "mkdocs-material",
    "pillow",
    "pymdown-extensions",
    "pyyaml",
    "vl-convert-python",
    "xlsxwriter",
)


@dataclass(frozen=True)
class Stamp:
    """What the last successful build was made from (``key``), found (``issues``) and wrote under docs/."""

    key: str
    issues: list[Issue]
    files: dict[str, tuple[int, int]]  # generated file under docs/ -> (size, mtime in ns)


def _path(root: Path) -> Path:
    return root / config.CACHE_DIR / "build.json"


Add = Callable[[str, bytes], None]  # puts a labelled input into a hash


def add_surroundings(add: Add, root: Path, commit: bool = True) -> None:
    """What a build reads besides the datasets (and MkDocs besides the pages): the generator's own files,
    the versions of ``LIBRARIES`` and of Python, ``SITE_URL``, ``SOURCE_DATE_EPOCH``, the last commit (the
    pages' history and the build date come from it), the hand-written files of ``docs/`` and ``overrides/``,
    and the MkDocs configurations. Without ``commit``, leaves out the last commit and ``SOURCE_DATE_EPOCH``
    (for MkDocs they date only the sitemaps, which every build writes). Shared by the build's key and
    ``site.read_inputs``."""
    add("python", sys.version.encode())
    add("generator", cache.generator_fingerprint().encode())
    for name in LIBRARIES:
        try:
            add("version:" + name, version(name).encode())
        except PackageNotFoundError:
            add("version:" + name, b"<none>")
    add("SITE_URL", os.environ.get("SITE_URL", "").encode())
    if commit:
        add("SOURCE_DATE_EPOCH", os.environ.get("SOURCE_DATE_EPOCH", "").encode())
        add("commit", last_commit(root).encode())
    inputs = handwritten_files(root / config.DOCS_DIR)
    inputs += [p for p in (root / "overrides").rglob("*") if p.is_file()]
    inputs += list(root.glob("mkdocs*.yml"))
    _add_files(add, root, inputs)


def _add_files(add: Add, root: Path, paths: list[Path]) -> None:
    for path in sorted(paths):
        # remembered: the build's process for reading and rendering forks from this one and keys the same files
        digest = b"link" if path.is_symlink() else cache.file_digest(path, remember=True)
        add("input:" + path.relative_to(root).as_posix(), digest)


def labelled(digest: Any) -> Add:
    """``add`` for ``digest`` (a hashlib object): the label's hash, then the data's, so no two inputs run
    together."""

    def add(label: str, data: bytes) -> None:
        digest.update(hashlib.sha256(label.encode()).digest() + hashlib.sha256(data).digest())

    return add


def inputs_key(root: Path) -> str:
    """The key of a build of ``root``: every file under ``datasets/`` by name and content, and
    ``add_surroundings``."""
    digest = hashlib.sha256(f"{FORMAT}\0".encode())
    add = labelled(digest)
    add_surroundings(add, root)
    _add_files(add, root, [p for p in (root / config.DATASETS_DIR).rglob("*") if p.is_file() or p.is_symlink()])
    return digest.hexdigest()


def last_commit(root: Path) -> str:
    """The hash and date (seconds since 1970) of the repository's last commit, or "" outside git."""
    try:
        result = subprocess.run(
            ["git", "log", "-1", "--format=%H %ct"], cwd=root, capture_output=True, text=True, check=False, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def commit_time(root: Path) -> str | None:
    """The date of the repository's last commit, in seconds since 1970, or None outside git."""
    parts = last_commit(root).split()
    return parts[1] if len(parts) == 2 and parts[1].isdigit() else None


def _files(docs: Path) -> dict[str, tuple[int, int]]:
    found = {}
    for name in sorted(generated_files(docs)):
        info = (docs / name).lstat()
        found[name] = (info.st_size, info.st_mtime_ns)
    return found


def site_files(site: Path) -> dict[str, tuple[int, int]]:
    """Every file of the built site: path -> (size, mtime in ns). A build is skipped only while ``site/``
    still holds exactly these: a file deleted, truncated or edited by hand there means a new build."""
    found = {}
    for folder, _dirs, names in os.walk(site):
        relative = folder[len(str(site)) + 1 :].replace(os.sep, "/")
        for name in names:
            info = os.lstat(os.path.join(folder, name))
            found[f"{relative}/{name}" if relative else name] = (info.st_size, info.st_mtime_ns)
    return dict(sorted(found.items()))


def up_to_date(root: Path, key: str) -> Stamp | None:
    """The record of the last build if it was made from ``key`` and its output is still in place, else None."""
    try:
        data = json.loads(_path(root).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT or data.get("key") != key:
            return None
        stamp = Stamp(
            key=key,
            issues=[cache.issue_from_json(item) for item in data["issues"]],
            files={str(name): (int(size), int(mtime)) for name, (size, mtime) in data["files"].items()},
        )
        published = {str(name): (int(size), int(mtime)) for name, (size, mtime) in data["site"].items()}
    except (OSError, ValueError, KeyError, TypeError):
        return None
    site = root / config.SITE_DIR
    homes = [site / "index.html"] + [site / lang / "index.html" for lang in i18n.LANGUAGES[1:]]
    if not all(home.is_file() for home in homes) or _files(root / config.DOCS_DIR) != stamp.files:
        return None
    if site_files(site) != published:
        return None
    return stamp


def record(root: Path, key: str, issues: list[Issue]) -> None:
    """Remember a successful build of ``key`` that found ``issues`` (written whole, then renamed)."""
    data: dict[str, Any] = {
        "format": FORMAT,
        "key": key,
        "issues": [cache.issue_to_json(i) for i in issues],
        "files": _files(root / config.DOCS_DIR),
        "site": site_files(root / config.SITE_DIR),
    }
    path = _path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    partial.replace(path)


def forget(root: Path) -> None:
    """Drop the record (before a build that may change docs/ or site/, so that a failure never looks done)."""
    _path(root).unlink(missing_ok=True)
