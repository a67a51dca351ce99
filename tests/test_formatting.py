"""Numbers and dates the Vietnamese way (and the English way), with the precision the data has."""

from __future__ import annotations

import datetime
import decimal
from decimal import Decimal

import pytest

from generator.outputs import formatting


@pytest.mark.parametrize(
    ("value", "vi", "en"),
    [
        (Decimal("2735.764"), "2.735,764", "2,735.764"),
        (10858, "10.858", "10,858"),
        (Decimal("10858"), "10.858", "10,858"),
        (Decimal("100.30"), "100,30", "100.30"),  # the trailing zero was published: it stays
        (Decimal("100.3"), "100,3", "100.3"),
        (90497, "90.497", "90,497"),
        (Decimal("5696.5"), "5.696,5", "5,696.5"),
        (Decimal("356.667"), "356,667", "356.667"),
        (Decimal("0.33"), "0,33", "0.33"),
        (Decimal("0.000"), "0,000", "0.000"),
        (0, "0", "0"),
        (129, "129", "129"),
        (1000, "1.000", "1,000"),
        (Decimal("-5.50"), "-5,50", "-5.50"),
        (Decimal("1234567.891234567"), "1.234.567,891234567", "1,234,567.891234567"),
        (Decimal("1E+3"), "1.000", "1,000"),
    ],
)
def test_number(value: Decimal | int, vi: str, en: str) -> None:
    assert formatting.number(value) == vi  # Vietnamese is the default
    assert formatting.number(value, "vi") == vi
    assert formatting.number(value, "en") == en


def test_number_keeps_every_digit_of_a_long_decimal() -> None:
    """No float round trip: 0.1 + 0.2 style artefacts can never appear."""
    value = Decimal("0.30000000000000000001")
    assert formatting.number(value) == "0,30000000000000000001"


def test_number_refuses_a_boolean() -> None:
    with pytest.raises(TypeError):
        formatting.number(True)


def test_number_never_formats_a_float_silently() -> None:
    with pytest.raises((TypeError, decimal.InvalidOperation)):
        formatting.number(0.1)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "vi", "en"),
    [
        (datetime.date(2025, 7, 1), "1 tháng 7, 2025", "July 1, 2025"),
        (datetime.date(2024, 1, 23), "23 tháng 1, 2024", "January 23, 2024"),
        (datetime.date(2024, 12, 31), "31 tháng 12, 2024", "December 31, 2024"),
    ],
)
def test_date(value: datetime.date, vi: str, en: str) -> None:
    assert formatting.date(value) == vi
    assert formatting.date(value, "en") == en


@pytest.mark.parametrize(
    ("value", "vi", "en"),
    [
        ("2024-01", "tháng 1 năm 2024", "January 2024"),  # a month: no day is invented
        ("2025-12", "tháng 12 năm 2025", "December 2025"),
        ("2024-01-23", "23 tháng 1, 2024", "January 23, 2024"),
        ("2024", "2024", "2024"),
    ],
)
def test_partial_date(value: str, vi: str, en: str) -> None:
    assert formatting.partial_date(value) == vi
    assert formatting.partial_date(value, "en") == en
