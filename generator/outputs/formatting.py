"""Numbers and dates as Vietnamese readers write them, through Babel (``2.735,764``; ``22 tháng 1, 2024``).

Precision is kept exactly as the data has it: ``Decimal('10858')`` stays ``10.858`` and
``Decimal('100.30')`` stays ``100,30``; no float ever enters.
"""

from __future__ import annotations

import datetime
import functools
from decimal import Decimal, localcontext

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_skeleton
from babel.numbers import NumberPattern, format_decimal, parse_pattern

from generator import config


def number(value: Decimal | int, locale: str = config.LOCALE) -> str:
    """A number with the locale's grouping and decimal signs and exactly the digits it was stored with."""
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(value, float):
        raise TypeError("a float has lost the digits the data had: pass a Decimal")
    decimal = value if isinstance(value, Decimal) else Decimal(value)
    _, stored, exponent = decimal.as_tuple()
    if not isinstance(exponent, int):
        raise ValueError(f"{decimal} is not a finite number")  # validate rejects NaN and infinities
    digits = -exponent if exponent < 0 else 0
    # Babel rounds in the current decimal context (28 digits by default): a longer number, such as a 29-digit
    # code or 1e308 written out, needs a context that holds all of its digits.
    with localcontext() as context:
        context.prec = max(context.prec, len(stored) + max(exponent, 0) + 2)
        return format_decimal(decimal, format=_pattern(digits), locale=_locale(locale), decimal_quantization=False)


# Parsed once: a build formats a number for most cells of every table, and Babel parses a locale or pattern
# given as text on every call (half the time of a call).
@functools.cache
def _pattern(digits: int) -> NumberPattern:
    return parse_pattern("#,##0" + ("." + "0" * digits if digits else ""))


@functools.cache
def _locale(name: str) -> Locale:
    return Locale.parse(name)


def file_size(size: int, locale: str = config.LOCALE) -> str:
    """``850 B``, ``12,4 KB``, ``3,1 MB`` (1 KB = 1024 bytes), with a no-break space before the unit."""
    if size < 1024:
        return f"{number(size, locale)}\u00a0B"
    for unit, scale in (("KB", 1024), ("MB", 1024**2), ("GB", 1024**3)):
        if size < scale * 1024 or unit == "GB":
            value = (Decimal(size) / scale).quantize(Decimal("0.1"))
            return f"{number(value, locale)}\u00a0{unit}"
    raise AssertionError("unreachable")


def date(value: datetime.date, locale: str = config.LOCALE) -> str:
    """A date in the locale's long form."""
    return babel_format_date(value, format="long", locale=_locale(locale))


def partial_date(value: str, locale: str = config.LOCALE) -> str:
    """``YYYY-MM-DD`` or ``YYYY-MM`` (a source's date is as precise as it says) in the locale's form."""
    parts = value.split("-")
    if len(parts) == 3:
        return date(datetime.date(int(parts[0]), int(parts[1]), int(parts[2])), locale)
    if len(parts) == 2:
        return format_skeleton("yMMMM", datetime.date(int(parts[0]), int(parts[1]), 1), locale=locale)
    return value
