"""The one CSV record reader every stage uses: a table's records in the dialect its descriptor declares
(delimiter, quote character, encoding), each with the line an editor shows it on.

Frictionless reads typed rows for validation; everything else that reads a CSV file (a large table's summary,
pieces and keys, its copy for Excel, the text checks, line numbers, the history and the diff of old versions)
reads it here, so that a table declared with ``;`` or in Windows-1258 is read the same way everywhere. The
model's typed rows are read here too, each cell by its field's frictionless cell reader, where frictionless
would read the file the same way (``load._plain_csv``); elsewhere through frictionless's row stream.
Frictionless is given the same dialect (``load.pin_dialect``, ``large.check_piece``): left to itself it
guesses what a descriptor does not declare from a table's first lines.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

Record = tuple[int, list[str]]  # the line the record starts on (the header is line 1), and its cells


@dataclass(frozen=True)
class Dialect:
    """How a CSV file is written: what the descriptor declares, or the defaults of Table Schema's CSV."""

    delimiter: str = ","
    quotechar: str = '"'
    encoding: str = "utf-8"
    skipinitialspace: bool = False  # ``skipInitialSpace``: spaces after a delimiter are not part of the cell


PLAIN = Dialect()  # comma, double quote, UTF-8: what a descriptor that declares nothing means


def dialect_of(declared: object) -> Dialect:
    """The dialect a frictionless resource declares (``dialect: {delimiter, quoteChar, skipInitialSpace}``,
    ``encoding``); the defaults for what it does not declare, or declares wrongly (a delimiter of two
    characters)."""
    declared_dialect = getattr(declared, "dialect", None)
    control = (
        declared_dialect.get_control("csv")
        if declared_dialect is not None and declared_dialect.has_control("csv")
        else None
    )
    delimiter = getattr(control, "delimiter", None)
    quote = getattr(control, "quote_char", None)
    encoding = getattr(declared, "encoding", None)
    return Dialect(
        delimiter if isinstance(delimiter, str) and len(delimiter) == 1 else ",",
        quote if isinstance(quote, str) and len(quote) == 1 else '"',
        encoding if isinstance(encoding, str) and encoding else "utf-8",
        getattr(control, "skip_initial_space", False) is True,
    )


def dialect_in(resource: Mapping[str, Any]) -> Dialect:
    """The dialect a resource declares in a descriptor read as plain data (an old version, from git):
    ``dialect: {delimiter, quoteChar, skipInitialSpace}`` (or under ``dialect.csv``) and ``encoding``."""
    found: dict[str, Any] = {}
    dialect = resource.get("dialect")
    if isinstance(dialect, Mapping):
        control = dialect.get("csv")
        for place in (dialect, control if isinstance(control, Mapping) else {}):
            for key, name in (("delimiter", "delimiter"), ("quoteChar", "quotechar")):
                value = place.get(key)
                if isinstance(value, str) and len(value) == 1:
                    found.setdefault(name, value)
            if isinstance(place.get("skipInitialSpace"), bool):
                found.setdefault("skipinitialspace", place["skipInitialSpace"])
    encoding = resource.get("encoding")
    if isinstance(encoding, str) and encoding:
        found["encoding"] = encoding
    return Dialect(**found)


def records(handle: TextIO, dialect: Dialect) -> Iterator[Record]:
    """Each record of an open text file (opened with ``newline=""``), with the line it starts on: a quoted
    cell over several lines counts all of them, as an editor does. A blank line is a record with no cells
    (frictionless counts it as a row, and reports it)."""
    reader = csv.reader(
        handle, delimiter=dialect.delimiter, quotechar=dialect.quotechar, skipinitialspace=dialect.skipinitialspace
    )
    line = 1
    for cells in reader:
        yield line, cells
        line = reader.line_num + 1


def file_records(path: Path, dialect: Dialect, errors: str = "strict") -> Iterator[Record]:
    """``records`` of the file at ``path``, decoded with the dialect's encoding (``errors`` as ``open``'s)."""
    with path.open(encoding=dialect.encoding, errors=errors, newline="") as handle:
        yield from records(handle, dialect)


def text_records(text: str, dialect: Dialect) -> Iterator[Record]:
    """``records`` of CSV text already decoded (an old version of a file, read from git)."""
    yield from records(io.StringIO(text, newline=""), dialect)
