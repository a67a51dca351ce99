"""Every file a build publishes, read back with its format's own parser: JSON (no NaN, no Infinity), XML
(feeds, sitemaps, SVG charts), CSV (every row as long as the header), YAML, XLSX, ZIP (each member read as
its own format), PNG, and HTML and text as UTF-8. ``unparsable(site)`` lists what fails, as ``path: why``."""

from __future__ import annotations

import csv
import gzip
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import yaml
from PIL import Image


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def _json(data: bytes) -> None:
    json.loads(data.decode("utf-8"), parse_constant=_no_constant)


def _xml(data: bytes) -> None:
    ElementTree.fromstring(data)


def _csv(data: bytes) -> None:
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        raise ValueError("no header")
    widths = {len(row) for row in rows}
    if len(widths) != 1:
        raise ValueError(f"rows of different lengths: {sorted(widths)}")


def _yaml(data: bytes) -> None:
    yaml.safe_load(data.decode("utf-8"))


def _xlsx(data: bytes) -> None:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    for sheet in book.worksheets:
        for _row in sheet.iter_rows(values_only=True):
            pass


def _zip(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        bad = archive.testzip()
        if bad is not None:
            raise ValueError(f"member {bad} is damaged")
        for name in archive.namelist():
            if reader := parser(name):
                try:
                    reader(archive.read(name))
                except Exception as exc:
                    raise ValueError(f"member {name}: {exc}") from exc


def _png(data: bytes) -> None:
    with Image.open(io.BytesIO(data)) as image:
        image.verify()


def _html(data: bytes) -> None:
    text = data.decode("utf-8")
    HTMLParser().feed(text)
    if "<html" not in text or "</html>" not in text:
        raise ValueError("not a whole HTML document")


def _text(data: bytes) -> None:
    data.decode("utf-8")


def _gzip(data: bytes, inner: Callable[[bytes], None]) -> None:
    inner(gzip.decompress(data))


_PARSERS: dict[str, Callable[[bytes], None]] = {
    ".json": _json,
    ".jsonld": _json,
    ".webmanifest": _json,
    ".map": _json,
    ".xml": _xml,
    ".svg": _xml,
    ".csv": _csv,
    ".yaml": _yaml,
    ".yml": _yaml,
    ".xlsx": _xlsx,
    ".zip": _zip,
    ".png": _png,
    ".html": _html,
    ".txt": _text,
    ".js": _text,
    ".css": _text,
}


def parser(name: str) -> Callable[[bytes], None] | None:
    """The parser of a file named ``name`` (by its extension; ``.gz`` read through gzip), or None."""
    if name.endswith(".gz"):
        inner = parser(name.removesuffix(".gz"))
        return (lambda data: _gzip(data, inner)) if inner else None
    return _PARSERS.get(Path(name).suffix.lower())


def unparsable(site: Path) -> Iterator[str]:
    """``path: why`` for every file of ``site`` that its format's parser rejects, or that has no parser."""
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(site).as_posix()
        reader = parser(path.name)
        if reader is None:
            yield f"{name}: no parser for this kind of file"
            continue
        try:
            reader(path.read_bytes())
        except Exception as exc:
            yield f"{name}: {type(exc).__name__}: {exc}"
