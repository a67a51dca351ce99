"""Row checks of the generator's own that frictionless runs with its own, on every table and on every piece
of a large one: their errors get row numbers, fields and messages like frictionless' errors.

- ``finite_numbers``: a number or integer cell must be finite and within the range of a double (about
  ±1.8 × 10^308). Frictionless reads ``NaN``, ``INF`` and ``1e999`` as numbers, but JSON has no NaN or
  infinity, spreadsheets and charts hold doubles, and the site cannot publish what it cannot write.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from decimal import Decimal

import attrs
from frictionless import Check, Checklist, Row, errors

LARGEST = Decimal(sys.float_info.max)  # the largest finite double: beyond it, a chart's number is infinite


class NumberOutOfRangeError(errors.CellError):
    type = "number-out-of-range"
    title = "Number Out Of Range"
    description = "A number is not finite, or is beyond what a double can hold."
    template = 'The cell "{cell}" in row at position "{rowNumber}" and field "{fieldName}" cannot be published: {note}'


@attrs.define(kw_only=True, repr=False)
class finite_numbers(Check):
    type = "finite-numbers"
    Errors = [NumberOutOfRangeError]  # noqa: RUF012 - frictionless' own form

    def validate_row(self, row: Row) -> Iterator[NumberOutOfRangeError]:
        for field in self.resource.schema.fields:
            if field.type not in ("number", "integer"):
                continue
            value = row[field.name]
            if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
                continue
            number = Decimal(value) if isinstance(value, (int, float)) else value
            if not number.is_finite():
                note = "not a finite number"
            elif abs(number) > LARGEST:
                note = "beyond the largest number a double can hold"
            else:
                continue
            yield NumberOutOfRangeError.from_row(row, note=note, field_name=field.name)


def checklist() -> Checklist:
    """The checks every validation runs besides frictionless' own."""
    return Checklist(checks=[finite_numbers()])
