"""The controlled vocabularies of figures: units, qualifiers and price bases, with their labels.

A figure's unit, qualifier and price basis are data (columns of an observations table). The schema's
``enum`` constraint restricts them; this module says how each code reads on the site, and the validator
reports a code that has no label here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    code: str
    label_vi: str  # how the term reads on a Vietnamese page
    label_en: str
    symbol_vi: str = ""  # written after a number ("tỷ đồng", "%"); empty when nothing is written
    symbol_en: str = ""  # the same on an English page ("billion VND"); empty: as in Vietnamese


UNITS: dict[str, Term] = {
    t.code: t
    for t in (
        Term("billion-vnd", "tỷ đồng", "billion VND", symbol_vi="tỷ đồng", symbol_en="billion VND"),
        Term("ha", "héc-ta (ha)", "hectares (ha)", symbol_vi="ha"),
        Term("percent", "phần trăm (%)", "per cent (%)", symbol_vi="%"),
        Term(
            "percentage-point",
            "điểm phần trăm",
            "percentage points",
            symbol_vi="điểm phần trăm",
            symbol_en="percentage points",
        ),
        Term("count", "số lượng", "count"),
    )
}

QUALIFIERS: dict[str, Term] = {t.code: t for t in (Term("more-than", "hơn", "more than"),)}

PRICE_BASES: dict[str, Term] = {
    t.code: t
    for t in (
        Term("constant-2010", "giá so sánh năm 2010", "2010 constant prices"),
        Term("current", "giá hiện hành", "current prices"),
        Term("not-stated", "nguồn không nêu loại giá", "price basis not stated by the source"),
        Term("not-applicable", "không áp dụng", "not applicable"),
    )
}

# Which vocabulary each column of an observations table must come from.
OBSERVATION_VOCABULARIES: dict[str, dict[str, Term]] = {
    "unit": UNITS,
    "qualifier": QUALIFIERS,
    "price_basis": PRICE_BASES,
}
