"""Hints that say the fix itself, for the two mistakes maintainers make most: a number typed the Vietnamese
way (``3.100,5``) in a data file, which writes ``3100.5``; and an id that is not in the table it refers to
(``dak-p0``), answered with the closest id and the list of valid ones."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from decimal import Decimal

from babel.numbers import NumberFormatError, parse_decimal

from generator.issues import Message, msg, show
from generator.models import Resource

_TYPE = re.compile(r'type is "(number|integer)/')
_VIETNAMESE_NUMBER = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})*(?:,\d+)?|[+-]?\d+,\d+")
MAX_IDS_SHOWN = 30


def number_hint(cell: object, note: str, file: str) -> Message | None:
    """For a type error of a number or integer field whose cell is a number written the Vietnamese way
    (dots between thousands, a comma before the decimals): the same number as the data files write it."""
    if not isinstance(cell, str) or not _TYPE.search(note):
        return None
    text = cell.strip().replace("\u00a0", "").replace("\u202f", "")
    if not _VIETNAMESE_NUMBER.fullmatch(text):
        return None
    try:
        value = parse_decimal(text, locale="vi", strict=True)
    except NumberFormatError:
        return None
    if 'type is "integer/' in note and value != value.to_integral_value():
        return None
    written = _plain(value)
    if written == text:
        return None
    return msg(
        "Write the number in {file} the way data files do, without thousands separators and with a point "
        "before the decimals: {written} (not {cell}).",
        file=file,
        written=written,
        cell=show(cell),
    )


def _plain(value: Decimal) -> str:
    """``Decimal('3100.5')`` -> ``3100.5``; ``Decimal('1.000E+3')`` -> ``1000``: digits only, no exponent."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def reference_ids(target: Resource, column: str) -> list[str]:
    """The ids a reference may name: the values of ``column`` in the referenced table, once each, in order."""
    return list(dict.fromkeys(str(v) for row in target.rows if (v := row.cells.get(column)) is not None))


def reference_hint(value: str, table: str, ids: Sequence[str], file: str) -> Message:
    """For a value that is not an id of the referenced ``table``: the closest id, if one is close, and the
    ids there are (the first ``MAX_IDS_SHOWN``)."""
    shown = ", ".join(ids[:MAX_IDS_SHOWN]) + (", …" if len(ids) > MAX_IDS_SHOWN else "")
    close = difflib.get_close_matches(value.strip().lower(), [i.lower() for i in ids], n=1, cutoff=0.6)
    if close:
        suggestion = next(i for i in ids if i.lower() == close[0])
        return msg(
            "Did you mean {suggestion}? Write one of the ids of {table} in {file}: {ids}.",
            suggestion=show(suggestion),
            table=table,
            file=file,
            ids=shown,
        )
    return msg(
        "Write one of the ids of {table} in {file}: {ids}; or add {value} to {table} first.",
        table=table,
        file=file,
        ids=shown,
        value=show(value),
    )
