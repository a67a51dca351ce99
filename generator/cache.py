"""Nothing done twice: what validating a dataset found, kept under ``.cache/validate/`` and reused while
nothing it depends on has changed; and the one way every cache of the build keeps an entry (``entry``:
written under another name and renamed into place, its SHA-256 recorded beside it and checked before use).
Validation results, summaries of large tables (``keep_json``/``stored_json``), exports, charts and cards
(``entry``, ``drawn``) all go through it; only the build's stamp (one record of the last build, not an
entry by content) is written apart (``stamp.py``).

A dataset's key is the SHA-256 of everything its problems can depend on: the generator itself (the bytes of
its code, templates and translations, and frictionless' version), the dataset's descriptor and files, and
the descriptors and files of the datasets it refers to (their keys are checked by its foreign keys). Change
one byte of any of them and the dataset is validated again. The cache holds JSON, never code: a tampered
entry can at worst hide a problem on the machine that holds it, and CI builds from a clean clone.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict
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


def file_digest(path: Path) -> bytes:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError:
        digest.update(b"<unreadable>")
    return digest.digest()


def _dataset_digest(dataset: Dataset) -> bytes:
    """Every file of the dataset's folder, by name and content (the descriptor, its tables, anything else)."""
    digest = hashlib.sha256(dataset.name.encode() + b"\0")
    folder = dataset.folder
    for path in sorted(p for p in folder.rglob("*") if p.is_file() or p.is_symlink()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(b"link" if path.is_symlink() else file_digest(path))
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


def entry(path: Path, make: Callable[[Path], object]) -> Path:
    """The cache entry ``path``, made by ``make(partial)`` unless a whole one is there. Whole means its bytes
    hash to the SHA-256 recorded beside it (``<path>.sha256``) when it was made: a truncated, damaged or
    swapped entry is made again, never published. The entry is written under another name and renamed into
    place, then its digest: a build stopped midway leaves an entry without a matching digest, made again."""
    if whole(path):
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    make(partial)
    digest = file_digest(partial).hex()
    partial.replace(path)
    record = _digest_path(path)
    record_partial = record.with_name(record.name + ".partial")
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
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    _digest_path(path).unlink(missing_ok=True)  # no longer whole: ``entry`` makes it again
    entry(path, lambda partial: partial.write_text(text, encoding="utf-8"))


def whole(path: Path) -> bool:
    """Whether the cache entry ``path`` holds the bytes it was made with (its recorded SHA-256)."""
    try:
        expected = _digest_path(path).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return False
    return path.is_file() and not path.is_symlink() and file_digest(path).hex() == expected


def read_whole(path: Path) -> bytes | None:
    """The bytes of the cache entry ``path`` if it is whole (``whole``), read once; else ``None``."""
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


def drawn(folder: Path | None, spec_json: str, suffix: str, draw: Callable[[str], bytes]) -> bytes:
    """A picture (a chart's SVG, a card's PNG) that vl-convert draws from the Vega-Lite ``spec_json``,
    kept under ``folder`` by the SHA-256 of the specification and vl-convert's version (``entry``: verified
    before use), so that the next build does not draw an unchanged one again. Without ``folder`` it is drawn
    every time."""
    if folder is None:
        return draw(spec_json)
    key = hashlib.sha256(f"{version('vl-convert-python')}\0{spec_json}".encode()).hexdigest()
    path = folder / f"{key}{suffix}"
    kept = read_whole(path)  # one read: verified and returned
    if kept is not None:
        return kept
    return entry(path, lambda partial: partial.write_bytes(draw(spec_json))).read_bytes()
