"""What changed in each dataset, and when, read from the repository's history (git), never typed by hand.

One ``git log`` over ``datasets/`` gives every commit with the files it touched; each commit is listed under
the datasets whose folder it touched. For readers, a commit is described by what it did to the data, not by
its message (written for developers, in English): each table's rows added, removed and changed (matched by
the table's primary key as the commit's descriptor declares it, else as whole rows), columns added or
removed, and whether the descriptor changed. The old and new files are read in one ``git cat-file --batch``.
Outside a git repository (an exported copy) there is no history, and the site says so.
"""

from __future__ import annotations

import csv
import datetime
import io
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml

from generator import config

_RECORD = "\x1e"  # separates commits in the log output
_FIELD = "\x1f"  # separates a commit's fields


@dataclass(frozen=True)
class TableChange:
    """What one commit did to one CSV file of a dataset."""

    path: str  # inside the dataset's folder
    added: int = 0
    removed: int = 0
    changed: int = 0
    columns_added: tuple[str, ...] = ()
    columns_removed: tuple[str, ...] = ()
    created: bool = False  # the file is new: ``added`` is its row count
    deleted: bool = False


@dataclass(frozen=True)
class Change:
    """One commit that touched a dataset's folder."""

    commit: str  # abbreviated hash
    date: datetime.date  # the commit's author date
    subject: str  # the first line of its message (for developers; pages describe ``tables`` instead)
    time: str = ""  # the author date and time, ISO 8601 with its offset (feeds need a full timestamp)
    tables: tuple[TableChange, ...] = ()
    descriptor: bool = False  # the descriptor (titles, descriptions, schema) changed


def _git(root: Path, *args: str) -> str:
    try:
        result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout if result.returncode == 0 else ""


def dataset_histories(root: Path) -> Mapping[str, tuple[Change, ...]]:
    """Dataset folder name -> its changes, newest first. Empty unless ``root`` is the top of a git work tree
    (a folder inside another repository, such as a test fixture, has no history of its own)."""
    if _git(root, "rev-parse", "--show-toplevel").strip() != str(root.resolve()):
        return {}
    try:
        result = subprocess.run(
            [
                "git",
                "log",
                f"--format={_RECORD}%h{_FIELD}%H{_FIELD}%as{_FIELD}%aI{_FIELD}%s",
                "--name-only",
                "--no-renames",
                "--relative",
                "--",
                config.DATASETS_DIR,
            ],
            cwd=root,
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
            timeout=120,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    if result.returncode != 0:
        return {}
    commits: list[tuple[str, str, datetime.date, str, str, dict[str, list[str]]]] = []
    for record in result.stdout.split(_RECORD)[1:]:
        head, _, names = record.partition("\n")
        short, full, day, time, subject = head.split(_FIELD, 4)
        touched: dict[str, list[str]] = {}
        for name in names.splitlines():
            parts = PurePosixPath(name).parts
            if len(parts) > 2:
                touched.setdefault(parts[1], []).append("/".join(parts[2:]))
        commits.append((short, full, datetime.date.fromisoformat(day), time, subject.strip(), touched))
    blobs = _blobs(root, [spec for c in commits for spec in _specs(c[1], c[5])])
    histories: dict[str, list[Change]] = {}
    for short, full, when, time, subject, touched in commits:
        for folder in sorted(touched):
            tables, descriptor = _what_changed(full, folder, touched[folder], blobs)
            change = Change(short, when, subject, time, tables, descriptor)
            histories.setdefault(folder, []).append(change)
    return {folder: tuple(changes) for folder, changes in histories.items()}


def _specs(commit: str, touched: Mapping[str, list[str]]) -> list[str]:
    """The blobs a commit's description needs: each touched CSV before and after, and the descriptor."""
    specs = []
    for folder, files in touched.items():
        base = f"{config.DATASETS_DIR}/{folder}"
        specs += [f"{commit}:{base}/{name}" for name in config.DESCRIPTOR_NAMES]
        for name in files:
            if name.endswith(".csv"):
                specs += [f"{commit}:{base}/{name}", f"{commit}^:{base}/{name}"]
    return specs


def _blobs(root: Path, specs: Sequence[str]) -> dict[str, bytes]:
    """The contents of ``specs`` (``commit:path``), read by one ``git cat-file --batch``; missing ones left out."""
    if not specs:
        return {}
    try:
        result = subprocess.run(
            ["git", "cat-file", "--batch"],
            cwd=root,
            input=("\n".join(specs) + "\n").encode("utf-8"),
            capture_output=True,
            check=False,
            timeout=120,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    out, found, at = result.stdout, {}, 0
    for spec in specs:
        end = out.find(b"\n", at)
        if end < 0:
            break
        header = out[at:end].split()
        at = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            found[spec] = out[at : at + size]
            at += size + 1
    return found


def _what_changed(
    commit: str, folder: str, files: Sequence[str], blobs: Mapping[str, bytes]
) -> tuple[tuple[TableChange, ...], bool]:
    base = f"{config.DATASETS_DIR}/{folder}"
    keys = _primary_keys(
        next((blobs[s] for n in config.DESCRIPTOR_NAMES if (s := f"{commit}:{base}/{n}") in blobs), b"")
    )
    tables = []
    for name in files:
        if not name.endswith(".csv"):
            continue
        old, new = blobs.get(f"{commit}^:{base}/{name}"), blobs.get(f"{commit}:{base}/{name}")
        tables.append(_compare(name, old, new, keys.get(name, ())))
    described = any(PurePosixPath(name).name in config.DESCRIPTOR_NAMES for name in files)
    return tuple(t for t in tables if t != TableChange(t.path)), described


def _primary_keys(descriptor: bytes) -> dict[str, tuple[str, ...]]:
    """Each resource's primary key, by its path, as the descriptor declares it (JSON is YAML too)."""
    try:
        data = yaml.safe_load(descriptor.decode("utf-8")) if descriptor else None
    except (yaml.YAMLError, UnicodeDecodeError):
        return {}
    keys = {}
    for resource in data.get("resources", []) if isinstance(data, dict) else []:
        if isinstance(resource, dict) and isinstance(resource.get("path"), str):
            schema = resource.get("schema") if isinstance(resource.get("schema"), dict) else {}
            key = schema.get("primaryKey") if isinstance(schema, dict) else None
            keys[resource["path"]] = (key,) if isinstance(key, str) else tuple(map(str, key or ()))
    return keys


def _rows(data: bytes | None) -> tuple[list[str], list[dict[str, str]]]:
    if data is None:
        return [], []
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig", "replace"), newline=""))
    header = next(reader, [])
    return header, [dict(zip(header, row, strict=False)) for row in reader if row]


def _compare(path: str, old: bytes | None, new: bytes | None, key: tuple[str, ...]) -> TableChange:
    old_header, old_rows = _rows(old)
    new_header, new_rows = _rows(new)
    if old is None:
        return TableChange(path, added=len(new_rows), created=True)
    if new is None:
        return TableChange(path, removed=len(old_rows), deleted=True)
    common = [c for c in new_header if c in old_header]
    if not key or not all(k in common for k in key):
        key = tuple(common)

    def index(rows: list[dict[str, str]]) -> dict[tuple[str, ...], dict[str, str]]:
        return {tuple(r.get(k, "") for k in key): r for r in rows}

    before, after = index(old_rows), index(new_rows)
    changed = sum(1 for k in before.keys() & after.keys() if any(before[k].get(c) != after[k].get(c) for c in common))
    return TableChange(
        path,
        added=len(after.keys() - before.keys()),
        removed=len(before.keys() - after.keys()),
        changed=changed,
        columns_added=tuple(c for c in new_header if c not in old_header),
        columns_removed=tuple(c for c in old_header if c not in new_header),
    )
