"""Nothing done twice: what validating a dataset found, kept under ``.cache/validate/`` and reused while
nothing it depends on has changed; and the one way every cache of the build keeps an entry (``entry``:
written under another name and renamed into place, its SHA-256 recorded beside it and checked before use).
Validation results, summaries of large tables (``keep_json``/``stored_json``), exports, charts and cards
(``entry``, ``drawn``) all go through it; only the build's stamp (one record of the last build, not an
entry by content) is written apart (``stamp.py``).

Nothing is kept before the publish step: a command opens a ``workspace`` first, and while it is open every
new entry is made in the command's own scratch folder (``.cache/pending/<pid>-<token>/``), where the same
command finds it again; ``Workspace.keep`` moves them into ``.cache/`` only once the build has published (or
``validate`` has reported), and a command that fails leaves ``.cache/`` as it was. The scratch folder of a
process that died is removed by the next workspace.

A dataset's key is the SHA-256 of everything its problems can depend on: the generator itself (the bytes of
its code, templates and translations, and frictionless' version), the dataset's descriptor and files, and
the descriptors and files of the datasets it refers to (their keys are checked by its foreign keys). Change
one byte of any of them and the dataset is validated again. The cache holds data, never code (JSON; a kept
table's rows are pickled values, read back with only a cell's classes allowed: ``models.CELL_CLASSES``): a
tampered entry can at worst hide a problem on the machine that holds it, and CI builds from a clean clone.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from generator.issues import Issue, Message, Param, Severity, Text
from generator.models import Catalogue, ColumnStats, Dataset, Field
from generator.records import Dialect

FORMAT = 1  # the layout of a cache entry; bump it when the entry changes shape
_PACKAGE = Path(__file__).parent


@cache
def generator_fingerprint() -> str:
    """The generator's own version, exactly: a hash of every file of the package (code, templates,
    translations) and of frictionless' version, so that any change to how data is checked empties the cache."""
    digest = hashlib.sha256(f"{FORMAT}\0{version('frictionless')}\0".encode())
    for path in sorted(p for p in _PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


# Digests already taken in this process, by path, with the file's identity when it was read (device, inode,
# size, time in ns): a build reads a cache entry several times (the cache checks it, then the site's inputs
# hash it), and at the benchmark's million rows a large table's files are some 280 MB. Kept for files of
# ``_LARGE`` bytes or more, for checked cache entries (``whole``: some 9,000 at a thousand datasets) and for
# the files a build's key hashes (``stamp``; then ``load`` keys the datasets' files, in a process forked from
# that one, and the site's inputs hash them: 3,006 in the benchmark's catalogue).
_LARGE = 1 << 20
_digests: dict[str, tuple[tuple[int, int, int, int], bytes]] = {}


def file_digest(path: Path, remember: bool = False) -> bytes:
    """The SHA-256 of the file ``path`` (of ``<unreadable>`` if it cannot be read). Read once while it stays
    the same file (by inode, size and time) if it has ``_LARGE`` bytes or more, or with ``remember``."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            info = os.fstat(handle.fileno())
            identity = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)
            known = _digests.get(str(path))
            if known is not None and known[0] == identity:
                return known[1]
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
            if remember or info.st_size >= _LARGE:
                _digests[str(path)] = (identity, digest.digest())
    except OSError:
        digest.update(b"<unreadable>")
    return digest.digest()


def _dataset_digest(dataset: Dataset) -> bytes:
    """Every file of the dataset's folder, by name and content (the descriptor, its tables, anything else):
    as ``load`` took it (``Dataset.digest``: a build keys what it read, not what a file holds by the time a
    later stage asks), else taken now."""
    return bytes.fromhex(dataset.digest) if dataset.digest else folder_digest(dataset.folder, dataset.folder.name)


def folder_digest(folder: Path, name: str) -> bytes:
    """Every file under ``folder``, by path and content, after ``name``; a symbolic link counts as ``link``
    (what it points to is not read)."""
    digest = hashlib.sha256(name.encode() + b"\0")
    for path in sorted(p for p in folder.rglob("*") if p.is_file() or p.is_symlink()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(b"link" if path.is_symlink() else file_digest(path, remember=True))
    return digest.digest()


def dataset_key(dataset: Dataset, catalogue: Catalogue) -> str:
    """The key of a dataset's validation: the generator, the dataset, and the datasets it refers to."""
    digest = hashlib.sha256(generator_fingerprint().encode())
    digest.update(_dataset_digest(dataset))
    referenced = sorted({fk.package for r in dataset.resources for fk in r.foreign_keys if fk.package})
    for name in referenced:
        other = catalogue.get(name)
        digest.update(name.encode() + b"\0" + (_dataset_digest(other) if other else b"<missing>"))
    return digest.hexdigest()


# --- entries ---------------------------------------------------------------------------------------------------


def _text_to_json(text: Text | Param) -> Any:
    if isinstance(text, Message):
        return {"id": text.id, "params": [[name, _text_to_json(value)] for name, value in text.params]}
    return text


def _text_from_json(data: Any) -> Any:
    if isinstance(data, dict):
        return Message(str(data["id"]), tuple((str(k), _text_from_json(v)) for k, v in data["params"]))
    if isinstance(data, (str, int)) and not isinstance(data, bool):
        return data
    raise ValueError(f"not a message: {data!r}")


def issue_to_json(issue: Issue) -> dict[str, Any]:
    return {
        "file": issue.file,
        "row": issue.row,
        "field": issue.field,
        "code": issue.code,
        "what": _text_to_json(issue.what),
        "fix": _text_to_json(issue.fix),
        "severity": issue.severity.value,
        "dataset": issue.dataset,
    }


def issue_from_json(data: dict[str, Any]) -> Issue:
    return Issue(
        file=str(data["file"]),
        row=int(data["row"]) if data["row"] is not None else None,
        field=str(data["field"]) if data["field"] is not None else None,
        code=str(data["code"]),
        what=_text_from_json(data["what"]),
        fix=_text_from_json(data["fix"]),
        severity=Severity(data["severity"]),
        dataset=str(data["dataset"]) if data["dataset"] is not None else None,
    )


def load(folder: Path, key: str) -> list[Issue] | None:
    """The problems stored under ``key``, or ``None`` if there are none (or the entry is not whole, or cannot
    be read)."""
    data = stored_json(folder / f"{key}.json")
    try:
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("key") != key:
            return None
        return [issue_from_json(item) for item in data["issues"]]
    except (ValueError, KeyError, TypeError):
        return None


def store(folder: Path, key: str, issues: list[Issue]) -> None:
    """Keep ``issues`` under ``key`` (``keep_json``: written whole or not at all, with its digest)."""
    keep_json(folder / f"{key}.json", {"format": FORMAT, "key": key, "issues": [issue_to_json(i) for i in issues]})


def kept(folder: Path, key: str, make: Callable[[], Any]) -> Any:
    """The JSON data kept under ``key`` in ``folder`` if a whole entry is there, else ``make()``'s, kept
    (``keep_json``). ``key`` must name everything the data is made from."""
    place = folder / f"{key}.json"
    data = stored_json(place)
    if isinstance(data, dict) and data.get("format") == FORMAT and data.get("key") == key and "data" in data:
        return data["data"]
    made = make()
    keep_json(place, {"format": FORMAT, "key": key, "data": made})
    return made


def key_of(*parts: str) -> str:
    """A key naming the generator's own files and ``parts`` (each hashed on its own: no two run together)."""
    digest = hashlib.sha256(generator_fingerprint().encode())
    for part in parts:
        digest.update(hashlib.sha256(part.encode()).digest())
    return digest.hexdigest()


def dataset_digest(dataset: Dataset) -> str:
    """Every file of the dataset's folder, by name and content (hex)."""
    return _dataset_digest(dataset).hex()


# --- summaries of large tables ----------------------------------------------------------------------------------

Summarise = Callable[[Path, tuple[Field, ...], Dialect], tuple[int, tuple[ColumnStats, ...]]]


def _value_to_json(value: object) -> Any:
    for kind, cls in (("datetime", datetime.datetime), ("date", datetime.date), ("decimal", Decimal)):
        if isinstance(value, cls):
            return [kind, value.isoformat() if not isinstance(value, Decimal) else str(value)]
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise ValueError(f"a summary holds {type(value).__name__}")


def _value_from_json(data: Any) -> object:
    if isinstance(data, list):
        kind, text = data
        if kind == "datetime":
            return datetime.datetime.fromisoformat(text)
        if kind == "date":
            return datetime.date.fromisoformat(text)
        return Decimal(text)
    return data


def _decimal_or_none(value: object) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    raise ValueError("a total is a number")


def summary(
    folder: Path, path: Path, fields: tuple[Field, ...], dialect: Dialect, make: Summarise
) -> tuple[int, tuple[ColumnStats, ...]]:
    """``make(path, fields, dialect)`` (the row count and column summaries of a large table), kept under
    ``folder`` by the file's content, its dialect, the fields' names and types, and the generator's own files."""
    digest = hashlib.sha256(generator_fingerprint().encode() + file_digest(path))
    digest.update(json.dumps({"fields": [[f.name, f.type] for f in fields], "how": asdict(dialect)}).encode())
    place = folder / f"{digest.hexdigest()}.json"
    data = stored_json(place)
    try:
        if not isinstance(data, dict):
            raise ValueError("no summary kept")
        stats = tuple(
            ColumnStats(
                name=str(c["name"]),
                filled=int(c["filled"]),
                empty=int(c["empty"]),
                minimum=_value_from_json(c["minimum"]),
                maximum=_value_from_json(c["maximum"]),
                total=_decimal_or_none(_value_from_json(c["total"])),
                distinct=int(c["distinct"]),
                distinct_capped=bool(c["distinct_capped"]),
            )
            for c in data["stats"]
        )
        return int(data["rows"]), stats
    except (ValueError, KeyError, TypeError):
        pass
    count, stats = make(path, fields, dialect)
    record = {
        "rows": count,
        "stats": [
            {
                "name": c.name,
                "filled": c.filled,
                "empty": c.empty,
                "minimum": _value_to_json(c.minimum),
                "maximum": _value_to_json(c.maximum),
                "total": _value_to_json(c.total),
                "distinct": c.distinct,
                "distinct_capped": c.distinct_capped,
            }
            for c in stats
        ],
    }
    keep_json(place, record)
    return count, stats


# --- the one way an entry is kept ---------------------------------------------------------------------------------


@dataclass
class Workspace:
    """Where a command makes its new cache entries (``scratch``) until it keeps them in ``root``."""

    root: Path
    scratch: Path
    discarded: list[Path] = field(default_factory=list)

    def pending(self, path: Path) -> Path | None:
        """Where the entry ``path`` of ``root`` is made while the workspace is open (None: not in ``root``, or
        already in ``scratch``)."""
        if path.is_relative_to(self.scratch) or not path.is_relative_to(self.root):
            return None
        return self.scratch / path.relative_to(self.root)

    def keep(self) -> None:
        """Move every entry made in ``scratch`` into ``root`` (each by one rename: its data, then its digest)
        and remove the entries ``discard`` named."""
        made = [p for p in self.scratch.rglob("*") if p.is_file() and not p.name.endswith(".partial")]
        for source in sorted(made, key=lambda p: (p.name.endswith(DIGEST_SUFFIX), p)):
            target = self.root / source.relative_to(self.scratch)
            target.parent.mkdir(parents=True, exist_ok=True)
            source.replace(target)
        for path in self.discarded:
            path.unlink(missing_ok=True)
            _digest_path(path).unlink(missing_ok=True)
        self.discarded.clear()


_open: list[Workspace] = []  # the open workspace of this process, if any (forked workers inherit it)
PENDING_DIR = "pending"


@contextmanager
def workspace(root: Path) -> Iterator[Workspace]:
    """Open a workspace for the cache under ``root`` (``.cache/``): until ``keep``, new entries are made in a
    scratch folder of this process, removed when the workspace closes. Scratch folders of processes that no
    longer run are removed first."""
    pending = root / PENDING_DIR
    for old in pending.glob("*-*") if pending.is_dir() else ():
        if old.is_dir() and not old.is_symlink() and not _running(old.name.split("-")[0]):
            shutil.rmtree(old, ignore_errors=True)
    scratch = pending / f"{os.getpid()}-{secrets.token_hex(4)}"
    try:
        scratch.mkdir(parents=True)
    except FileNotFoundError:  # another command removed the empty pending/ just then
        scratch.mkdir(parents=True)
    opened = Workspace(root, scratch)
    _open.append(opened)
    try:
        yield opened
    finally:
        _open.remove(opened)
        shutil.rmtree(scratch, ignore_errors=True)
        with contextlib.suppress(OSError):  # another command's scratch folder may be there
            pending.rmdir()


def _running(pid: str) -> bool:
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        pass  # another user's process
    return True


def discarding() -> tuple[Path, ...]:
    """The entries the open workspace will remove when it is kept (``discard``)."""
    return tuple(_open[-1].discarded) if _open else ()


def _pending(path: Path) -> Path | None:
    return _open[-1].pending(path) if _open else None


def linkable(path: Path) -> bool:
    """Whether ``path`` is an entry of the cache the open workspace is for (in ``.cache/`` or the workspace's
    scratch folder). An entry is never written into: ``entry`` makes a new file and renames it into place, and
    ``Workspace.keep`` moves it by a rename. So a hard link to an entry (a download in ``docs/``) holds the
    bytes the entry was made with for as long as it exists, whatever becomes of the entry afterwards."""
    return bool(_open) and path.is_relative_to(_open[-1].root) and path.is_file() and not path.is_symlink()


def discard(path: Path) -> None:
    """Remove the cache entry ``path`` (and its digest): at once, or when the open workspace is kept."""
    if _open and _open[-1].pending(path) is not None:
        _open[-1].discarded.append(path)
        return
    path.unlink(missing_ok=True)
    _digest_path(path).unlink(missing_ok=True)


def entry(path: Path, make: Callable[[Path], object]) -> Path:
    """The cache entry ``path``, made by ``make(partial)`` unless a whole one is there. Whole means its bytes
    hash to the SHA-256 recorded beside it (``<path>.sha256``) when it was made: a truncated, damaged or
    swapped entry is made again, never published. The entry is written under another name and renamed into
    place, then its digest: a build stopped midway leaves an entry without a matching digest, made again.
    While a ``workspace`` is open, a new entry is made in its scratch folder (and that is what is returned)."""
    found = whole_entry(path)
    if found is not None:
        return found
    path = _pending(path) or path
    path.parent.mkdir(parents=True, exist_ok=True)
    # named by this process: processes working side by side (loading's pool) may make the same entry at once
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    make(partial)
    digest = file_digest(partial).hex()
    partial.replace(path)
    record = _digest_path(path)
    record_partial = record.with_name(f"{record.name}.{os.getpid()}.partial")
    record_partial.write_text(digest, encoding="ascii")
    record_partial.replace(record)
    return path


def stored_json(path: Path) -> Any:
    """The JSON of the cache entry ``path`` if it is whole (``whole``), else ``None``."""
    data = read_whole(path)
    try:
        return json.loads(data.decode("utf-8")) if data is not None else None
    except ValueError:
        return None


def keep_json(path: Path, data: Any) -> None:
    """Keep ``data`` as the cache entry ``path`` (``entry``: written under another name, renamed into place,
    its digest recorded), replacing whatever is there."""
    keep_text(path, json.dumps(data, ensure_ascii=False, sort_keys=True))


def keep_text(path: Path, text: str) -> None:
    """``keep_json`` for JSON already written as ``text``."""
    target = _pending(path) or path
    _digest_path(target).unlink(missing_ok=True)  # no longer whole: ``entry`` makes it again
    entry(target, lambda partial: partial.write_text(text, encoding="utf-8"))


def whole(path: Path) -> bool:
    """Whether the cache entry ``path`` holds the bytes it was made with (its recorded SHA-256)."""
    try:
        expected = _digest_path(path).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return False
    return path.is_file() and not path.is_symlink() and file_digest(path, remember=True).hex() == expected


def whole_entry(path: Path) -> Path | None:
    """Where the cache entry ``path`` is whole (``whole``): in place, or in the open workspace; else ``None``."""
    if whole(path):
        return path
    pending = _pending(path)
    return pending if pending is not None and whole(pending) else None


def read_whole(path: Path) -> bytes | None:
    """The bytes of the cache entry ``path`` if it is whole (``whole``), read once; else ``None``. An entry
    made in the open workspace is read from there."""
    pending = _pending(path)
    if pending is not None and (made := _read_whole(pending)) is not None:
        return made
    return _read_whole(path)


def _read_whole(path: Path) -> bytes | None:
    try:
        expected = _digest_path(path).read_text(encoding="ascii").strip()
        if path.is_symlink():
            return None
        data = path.read_bytes()
    except (OSError, UnicodeDecodeError):
        return None
    return data if hashlib.sha256(data).hexdigest() == expected else None


def _digest_path(path: Path) -> Path:
    return path.with_name(path.name + DIGEST_SUFFIX)


DIGEST_SUFFIX = ".sha256"  # beside each cache entry: the SHA-256 of its bytes when it was made


def drawn(
    folder: Path | None, spec_json: str, suffix: str, draw: Callable[[str], bytes], tool: str = "vl-convert-python"
) -> bytes:
    """A picture (a chart's SVG, a card's PNG) that ``tool`` (vl-convert, Pillow) draws from ``spec_json``, kept
    under ``folder`` by the SHA-256 of the specification and the tool's version (``entry``: verified before
    use), so that the next build does not draw an unchanged one again. Without ``folder`` it is drawn every
    time."""
    if folder is None:
        return draw(spec_json)
    path = _drawing(folder, spec_json, suffix, tool)
    kept = read_whole(path)  # one read: verified and returned
    if kept is not None:
        return kept
    return entry(path, lambda partial: partial.write_bytes(draw(spec_json))).read_bytes()


def drawn_file(folder: Path, spec_json: str, suffix: str, draw: Callable[[str], bytes], tool: str) -> Path:
    """``drawn``, as the cache entry's file: published by copying it, never held in memory."""
    return entry(_drawing(folder, spec_json, suffix, tool), lambda partial: partial.write_bytes(draw(spec_json)))


def drawn_kept(folder: Path, spec_json: str, suffix: str, tool: str) -> Path | None:
    """The file ``drawn_file`` would give if it is already there whole, without drawing it; else None."""
    return whole_entry(_drawing(folder, spec_json, suffix, tool))


def _drawing(folder: Path, spec_json: str, suffix: str, tool: str) -> Path:
    key = hashlib.sha256(f"{_version(tool)}\0{spec_json}".encode()).hexdigest()
    return folder / f"{key}{suffix}"


@cache
def _version(tool: str) -> str:
    """The installed version of ``tool`` (read once a process: importlib reads the package's metadata)."""
    return version(tool)
