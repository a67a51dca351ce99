"""What changed in each dataset, and when, read from the repository's history (git), never typed by hand.

One ``git log`` over ``datasets/`` gives every commit with the files it touched; each commit is listed under
the datasets whose folder it touched. For readers, a commit is described by what it did to the data, not by
its message (written for developers, in English): each table's rows added, removed and changed (matched by
the table's primary key as the commit's descriptor declares it, else as whole rows), columns added or
removed, and whether the descriptor changed. The old and new files are read in one ``git cat-file --batch``.
Outside a git repository (an exported copy) there is no history, and the site says so.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import hashlib
import io
import re
import subprocess
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path, PurePosixPath

import yaml

from generator import cache, config
from generator.models import Change, TableChange
from generator.read import kept
from generator.read.guard.parse import parse_yaml
from generator.records import PLAIN, Dialect, dialect_in, records

_COMMIT = "commit "  # starts each commit's line in the log; every file name starts with the datasets' folder
# Every commit that touched the datasets, with the files it touched, NUL-separated: no name can break it.
_LOG = ("git", "log", "-z", f"--format={_COMMIT}%H %h", "--name-only", "--no-renames", "--relative")
HISTORY = "history"  # the cache folder of read histories
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
# What git may hold but no page or feed can carry: control characters, halves of surrogate pairs (a file name
# that is not UTF-8) and noncharacters. History text is not validated (old files, old headers), so these are
# shown as U+FFFD.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")


def _readable(text: str) -> str:
    return _UNPRINTABLE.sub("\ufffd", text)


def _git(root: Path, *args: str) -> str:
    try:
        result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout if result.returncode == 0 else ""


def dataset_histories(root: Path, keep: Path | None = None) -> Mapping[str, tuple[Change, ...]]:
    """Dataset folder name -> its changes, newest first. Empty unless ``root`` is the top of a git work tree
    (a folder inside another repository, such as a test fixture, has no history of its own).

    Any commit git can store is read: file names come NUL-separated (``-z``), and each commit's date and
    message are parsed from the raw commit object, so no character of a message and no date can break the
    reading. ``keep``: a cache folder where the result is kept under the log it was read from (commits
    never change: the same log is the same history), so that it is not read again until a commit is added."""
    if _git(root, "rev-parse", "--show-toplevel").strip() != str(root.resolve()):
        return {}
    try:
        result = subprocess.run(
            [*_LOG, "--", config.DATASETS_DIR],
            cwd=root,
            capture_output=True,
            check=False,
            timeout=120,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    if result.returncode != 0:
        return {}
    if keep is None:
        return _histories(root, result.stdout)
    log_key = cache.key_of(HISTORY, hashlib.sha256(result.stdout).hexdigest())
    place = keep / f"{log_key}.json"
    found = kept.recall(place, log_key)
    if isinstance(found, dict):
        return found
    histories = _histories(root, result.stdout)
    if kept.remember(place, log_key, dict(histories)):
        for old in keep.glob("*.json") if keep.is_dir() else ():  # the histories of earlier logs
            if old.name != place.name:
                cache.discard(old)
    return histories


def _histories(root: Path, log: bytes) -> Mapping[str, tuple[Change, ...]]:
    commits: list[tuple[str, str, dict[str, list[str]]]] = []
    for token in log.decode("utf-8", "surrogateescape").split("\0"):
        name = token.removeprefix("\n")
        if name.startswith(_COMMIT):
            full, _, short = name.removeprefix(_COMMIT).partition(" ")
            commits.append((full, short, {}))
        elif name and commits:
            parts = PurePosixPath(name).parts
            if len(parts) > 2:
                commits[-1][2].setdefault(parts[1], []).append("/".join(parts[2:]))
    histories: dict[str, list[Change]] = {}
    with _Objects(root) as objects:
        for full, short, touched in commits:
            when, time, subject = _commit(objects.read([full]).get(full, b""))
            for folder in sorted(touched):
                blobs = objects.read(_specs(full, {folder: touched[folder]}))  # one dataset's files at a time
                tables, descriptor = _what_changed(full, folder, touched[folder], blobs)
                change = Change(short, when, subject, time, tables, descriptor)
                histories.setdefault(folder, []).append(change)
    return {folder: tuple(changes) for folder, changes in histories.items()}


def _commit(raw: bytes) -> tuple[datetime.date | None, str, str]:
    """A raw commit object's date (author's, else committer's; None if neither can be represented), that
    date and time in ISO 8601 with its offset, and its subject (the first paragraph on one line)."""
    head, _, message = raw.partition(b"\n\n")
    moments = {}
    for line in head.split(b"\n"):
        role, _, rest = line.partition(b" ")
        if role in (b"author", b"committer"):
            moments[role] = _moment(rest)
    moment = moments.get(b"author") or moments.get(b"committer")
    paragraph = message.decode("utf-8", "replace").strip().split("\n\n", 1)[0]
    subject = _readable(_CONTROL.sub(" ", paragraph).strip())
    if moment is None:
        return None, "", subject
    return moment.date(), moment.isoformat(), subject


def _moment(ident: bytes) -> datetime.datetime | None:
    """``Name <email> 1700000000 +0700`` -> that moment at that offset; None if Python cannot represent it
    (a year beyond 9999) or the line is malformed. An impossible offset (beyond a day) is read as UTC."""
    _, _, when = ident.rpartition(b">")
    parts = when.split()
    try:
        seconds = int(parts[0])
        sign, hours, minutes = parts[1][:1], int(parts[1][1:3]), int(parts[1][3:5])
        offset = datetime.timedelta(hours=hours, minutes=minutes) * (-1 if sign == b"-" else 1)
        zone = datetime.timezone(offset) if abs(offset) < datetime.timedelta(days=1) else datetime.UTC
        return datetime.datetime.fromtimestamp(seconds, zone)
    except (IndexError, ValueError, OverflowError, OSError):
        return None


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


class _Objects:
    """Commits, and blobs as ``commit:path``, read from one ``git cat-file --batch`` kept running while the
    history is read: asked for a dataset at a time, so that one dataset's files are held at once, not the whole
    history's (a first commit of a thousand datasets and a million-row table is every file of the catalogue).
    Missing objects are left out. A path with a line break, which the batch cannot take (one name a line), is
    read on its own."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._git: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> _Objects:
        try:
            self._git = subprocess.Popen(
                ["git", "cat-file", "--batch"],
                cwd=self._root,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            self._git = None
        return self

    def __exit__(self, *_: object) -> None:
        self._stop()

    def read(self, specs: Iterable[str]) -> dict[str, bytes]:
        found = {}
        for spec in specs:
            data = _object(self._root, spec) if "\n" in spec else self._next(spec)
            if data is not None:
                found[spec] = data
        return found

    def _next(self, spec: str) -> bytes | None:
        """One object, asked for and read before the next: git never waits on a full pipe while we write."""
        git = self._git
        if git is None or git.stdin is None or git.stdout is None:
            return None
        try:
            git.stdin.write(spec.encode("utf-8", "surrogateescape") + b"\n")
            git.stdin.flush()
            header = git.stdout.readline().split()  # "<id> <type> <size>", or "<spec> missing"
            if len(header) != 3 or not header[2].isdigit():
                if not header:  # git ended
                    self._stop()
                return None
            size = int(header[2])
            data = git.stdout.read(size)
            if len(data) != size or git.stdout.read(1) != b"\n":
                self._stop()
                return None
        except OSError:
            self._stop()
            return None
        return data if header[1] in (b"blob", b"commit") else None

    def _stop(self) -> None:
        """End git's process (at the end, or when its output stopped making sense: no more objects)."""
        git, self._git = self._git, None
        if git is not None:
            for pipe in (git.stdin, git.stdout):
                if pipe is not None:
                    pipe.close()
            try:
                git.wait(timeout=10)
            except subprocess.TimeoutExpired:
                git.kill()
                git.wait()


def _object(root: Path, spec: str) -> bytes | None:
    try:
        result = subprocess.run(
            ["git", "cat-file", "blob", spec.encode("utf-8", "surrogateescape")],
            cwd=root,
            capture_output=True,
            check=False,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


def _what_changed(
    commit: str, folder: str, files: Sequence[str], blobs: Mapping[str, bytes]
) -> tuple[tuple[TableChange, ...], bool]:
    base = f"{config.DATASETS_DIR}/{folder}"
    declared = _tables(next((blobs[s] for n in config.DESCRIPTOR_NAMES if (s := f"{commit}:{base}/{n}") in blobs), b""))
    tables = []
    for name in files:
        if not name.endswith(".csv"):
            continue
        old, new = blobs.get(f"{commit}^:{base}/{name}"), blobs.get(f"{commit}:{base}/{name}")
        key, dialect = declared.get(name, ((), PLAIN))
        tables.append(_compare(_readable(name), old, new, key, dialect))
    described = any(PurePosixPath(name).name in config.DESCRIPTOR_NAMES for name in files)
    return tuple(t for t in tables if t != TableChange(t.path)), described


def _tables(descriptor: bytes) -> dict[str, tuple[tuple[str, ...], Dialect]]:
    """Each resource's primary key and dialect, by its path, as the descriptor declares them (JSON is YAML
    too). An old descriptor from the history is read with the same guards as the current one (no aliases,
    no tags, bounded nesting): a commit of long ago cannot hang the build."""
    try:
        data = parse_yaml(descriptor.decode("utf-8")) if descriptor else None
    except (yaml.YAMLError, ValueError):  # UnicodeDecodeError and Unreadable are ValueErrors
        return {}
    tables = {}
    for resource in data.get("resources", []) if isinstance(data, dict) else []:
        if isinstance(resource, dict) and isinstance(resource.get("path"), str):
            schema = resource.get("schema") if isinstance(resource.get("schema"), dict) else {}
            key = schema.get("primaryKey") if isinstance(schema, dict) else None
            primary = (key,) if isinstance(key, str) else tuple(map(str, key or ()))
            tables[resource["path"]] = (primary, dialect_in(resource))
    return tables


def _records(data: bytes, dialect: Dialect) -> Iterator[list[str]]:
    """The non-empty records of a version of a CSV file, read as a stream (a million-row table read from git
    is never held as rows)."""
    encoding = "utf-8-sig" if dialect.encoding.lower().replace("_", "-") in ("utf-8", "utf8") else dialect.encoding
    try:
        codecs.lookup(encoding)
    except LookupError:
        encoding = "utf-8-sig"
    handle = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, errors="replace", newline="")
    try:
        yield from (cells for _, cells in records(handle, dialect) if cells)
    except csv.Error:
        return


def _header(data: bytes | None, dialect: Dialect) -> list[str]:
    return next(_records(data, dialect), []) if data is not None else []


def _count(data: bytes, dialect: Dialect) -> int:
    """The data rows (the records after the header)."""
    return max(sum(1 for _ in _records(data, dialect)) - 1, 0)


def _index(data: bytes, dialect: Dialect, key: tuple[str, ...], common: list[str]) -> dict[bytes, bytes]:
    """Each row of a version of a table by its key: a 16-byte digest of the key's cells -> a 16-byte digest of
    its cells in the columns both versions have (two versions of a row differ exactly when the digests do,
    but for a chance of 2^-128). Memory grows by some 150 bytes a row, not by the row."""
    rows = _records(data, dialect)
    header = next(rows, [])
    key_at = [header.index(k) for k in key]
    common_at = [header.index(c) for c in common]
    index: dict[bytes, bytes] = {}
    for cells in rows:
        cells += [""] * (len(header) - len(cells))
        index[_digest(cells[i] for i in key_at)] = _digest(cells[i] for i in common_at)
    return index


def _digest(cells: Iterable[str]) -> bytes:
    digest = hashlib.blake2b(digest_size=16)
    for cell in cells:
        digest.update(cell.encode("utf-8", "surrogatepass") + b"\0")
    return digest.digest()


def _compare(
    path: str, old: bytes | None, new: bytes | None, key: tuple[str, ...], dialect: Dialect = PLAIN
) -> TableChange:
    if old is None:
        return TableChange(path, added=_count(new, dialect) if new is not None else 0, created=True)
    if new is None:
        return TableChange(path, removed=_count(old, dialect), deleted=True)
    old_header, new_header = _header(old, dialect), _header(new, dialect)
    common = [c for c in new_header if c in old_header]
    if not key or not all(k in common for k in key):
        key = tuple(common)
    before, after = _index(old, dialect, key, common), _index(new, dialect, key, common)
    changed = sum(1 for k in before.keys() & after.keys() if before[k] != after[k])
    return TableChange(
        path,
        added=len(after.keys() - before.keys()),
        removed=len(before.keys() - after.keys()),
        changed=changed,
        columns_added=tuple(_readable(c) for c in new_header if c not in old_header),
        columns_removed=tuple(_readable(c) for c in old_header if c not in new_header),
    )
