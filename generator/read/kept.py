"""Read: the model of an unchanged dataset, kept between builds so that it is not read again.

Reading a dataset (its descriptor through frictionless, every row typed) is most of what a build does for a
dataset that did not change. ``load`` keeps each dataset's model as JSON under ``.cache/load/``, named by the
generator's own files, where the descriptor is, and every file of the dataset's folder by content
(``key``). The values keep their exact types: a Decimal its digits, a date its day, a read-only mapping its
order. A value of a type this module does not know (``Unsupported``) means the dataset is not kept: it is
read every time. Only the classes of the model are ever made from an entry (``CLASSES``); nothing is
imported or run. A table's rows are kept as ``HeldRows`` holds them (pickled values, compressed: decoding
them value by value and holding them again was half of reading a thousand entries back), and read back
with only the classes of a cell's value allowed (``models.CELL_CLASSES``), checked against their field names.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime
import json
import sys
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any

from generator import cache
from generator.issues import Issue
from generator.models import (
    Cells,
    Change,
    ColumnStats,
    Dataset,
    Field,
    ForeignKey,
    HeldRows,
    License,
    LineMap,
    Resource,
    Row,
    TableChange,
    Text,
)
from generator.records import Dialect

FOLDER = "load"
CLASSES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        Dataset,
        Resource,
        Field,
        ForeignKey,
        Row,
        LineMap,
        ColumnStats,
        License,
        Text,
        Dialect,
        Change,
        TableChange,
    )
}
_TAG = "$"
_MAPPINGS: dict[type, str] = {dict: "dict", MappingProxyType: "mapping", Cells: "cells"}


class Unsupported(ValueError):
    """A value the codec does not know how to keep exactly."""


def key(descriptor: Path, digest: str) -> str | None:
    """The key of the dataset whose descriptor is ``descriptor``: the generator, the descriptor's place, and
    ``digest``, every file of its folder by name and content (``cache.folder_digest``, hex). None when the
    folder holds a symbolic link (what it points to could change without the folder changing)."""
    folder = descriptor.parent
    if any(p.is_symlink() for p in folder.rglob("*")):
        return None
    return cache.key_of(FOLDER, str(descriptor.absolute()), digest)


def find(folder: Path, entry_key: str) -> tuple[Dataset, list[Issue]] | None:
    """The dataset (without its history, which git gives) and the loading problems kept under ``entry_key``,
    or None if no whole entry is there."""
    value = recall(folder / f"{entry_key}.json", entry_key)
    if not isinstance(value, dict) or not isinstance(value.get("dataset"), Dataset):
        return None
    try:
        return value["dataset"], [cache.issue_from_json(item) for item in value["issues"]]
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def keep(folder: Path, entry_key: str, dataset: Dataset, issues: list[Issue]) -> bool:
    """Keep ``dataset`` (its history left out) and ``issues`` under ``entry_key``. Returns False, keeping
    nothing, when a value cannot be kept exactly."""
    value = {"dataset": dataclasses.replace(dataset, history=()), "issues": [cache.issue_to_json(i) for i in issues]}
    return remember(folder / f"{entry_key}.json", entry_key, value)


def recall(path: Path, entry_key: str) -> Any:
    """The value ``remember`` kept at ``path`` under ``entry_key``, or None if no whole entry is there."""
    data = cache.read_whole(path)
    if data is None:
        return None
    try:
        entry = json.loads(data.decode("utf-8"), object_hook=_decode)
        if entry.get("format") != cache.FORMAT or entry.get("key") != entry_key:
            return None
        return entry["value"]
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def remember(path: Path, entry_key: str, value: Any) -> bool:
    """Keep ``value`` (of the model's classes and plain values: ``encode``) at ``path`` under ``entry_key``.
    Returns False, keeping nothing, when a value cannot be kept exactly."""
    try:
        text = json.dumps({"format": cache.FORMAT, "key": entry_key, "value": encode(value)}, ensure_ascii=False)
        text.encode("utf-8")  # a lone surrogate cannot be written
    except (Unsupported, UnicodeEncodeError, ValueError):
        return False
    cache.keep_text(path, text)
    return True


def encode(value: Any) -> Any:
    """``value`` as JSON data that ``decode`` turns back into an equal value of the same types."""
    kind = type(value)
    if value is None or kind in (str, int, bool):
        return value
    if kind is Decimal:
        return {_TAG: "decimal", "v": str(value)}
    if kind is datetime.datetime:
        return {_TAG: "datetime", "v": value.isoformat()}
    if kind is datetime.date:
        return {_TAG: "date", "v": value.isoformat()}
    if kind is datetime.time:
        return {_TAG: "time", "v": value.isoformat()}
    if isinstance(value, Path) and kind is type(Path()):
        return {_TAG: "path", "v": str(value)}
    if kind is list:
        return [encode(v) for v in value]
    if kind is HeldRows:  # the bytes it holds (each shape's field names once, then each row's values)
        try:
            HeldRows.from_data(value.data, len(value))  # as ``decode`` reads them back: its values' classes
        except ValueError as exc:
            raise Unsupported(str(exc)) from None
        return {_TAG: "held", "v": base64.b64encode(value.data).decode("ascii"), "n": len(value)}
    if kind is tuple:
        return {_TAG: "tuple", "v": [encode(v) for v in value]}
    if kind in (dict, MappingProxyType, Cells):
        if not all(type(k) is str for k in value):
            raise Unsupported("a mapping whose keys are not all texts")
        pairs = [[k, encode(v)] for k, v in value.items()]
        return {_TAG: _MAPPINGS[kind], "v": pairs}
    if dataclasses.is_dataclass(value) and CLASSES.get(kind.__name__) is kind:
        return {_TAG: kind.__name__, "v": [[f.name, encode(getattr(value, f.name))] for f in dataclasses.fields(value)]}
    raise Unsupported(kind.__name__)


def encode_text(value: Any) -> str:
    """``value`` as the JSON text ``decode`` reads (``encode``); raises ``Unsupported`` for a value it cannot
    hold exactly."""
    return json.dumps(encode(value), ensure_ascii=False)


def decode(data: str) -> Any:
    """The value ``encode`` wrote, from its JSON text."""
    return json.loads(data, object_hook=_decode)


def _decode(item: dict[str, Any]) -> Any:
    tag = item.get(_TAG)
    if tag is None:
        return item  # the entry's own envelope
    value = item["v"]
    if tag == "decimal":
        return Decimal(value)
    if tag == "datetime":
        return datetime.datetime.fromisoformat(value)
    if tag == "date":
        return datetime.date.fromisoformat(value)
    if tag == "time":
        return datetime.time.fromisoformat(value)
    if tag == "path":
        return Path(value)
    if tag == "tuple":
        return tuple(value)
    if tag == "held":  # no Row is made: the rows are held as they were (repeated texts one object)
        return HeldRows.from_data(base64.b64decode(value, validate=True), int(item["n"]))
    if tag == "dict":
        return {str(k): v for k, v in value}
    if tag == "mapping":
        return MappingProxyType({str(k): v for k, v in value})
    if tag == "cells":  # repeated texts down a column become one object, as when the rows were read
        return Cells.of({str(k): sys.intern(v) if type(v) is str else v for k, v in value})
    cls = CLASSES.get(tag)
    if cls is None:
        raise ValueError(f"not a class of the model: {tag!r}")
    return cls(**{str(k): v for k, v in value})
