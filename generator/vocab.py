"""The controlled vocabularies of figures: units, qualifiers, price bases, periods, statuses and standards,
with their labels.

What a figure is (its unit, qualifier, price basis, the period it covers, whether it is a result, an estimate
or a plan target, and the standard it was measured under) is data: columns of an observations table. The
schema's ``enum`` constraint restricts them; this module says how each code reads on the site, and the
validator reports a code that has no label here.
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
    words_vi: tuple[str, ...] = ()  # how a source writes it before a number, when not only ``label_vi``


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
        Term("million-vnd", "triệu đồng", "million VND", symbol_vi="triệu đồng", symbol_en="million VND"),
        Term("km2", "ki-lô-mét vuông (km²)", "square kilometres (km²)", symbol_vi="km²"),
        Term("person", "người", "persons", symbol_vi="người", symbol_en="people"),
    )
}

QUALIFIERS: dict[str, Term] = {
    t.code: t
    for t in (
        Term("more-than", "hơn", "more than", words_vi=("hơn", "trên")),
        Term("nearly", "gần", "nearly"),
        Term("about", "khoảng", "about"),
    )
}
# Qualifiers of a value that is only approximately known: never ranked or summed as an exact figure.
APPROXIMATE = frozenset({"nearly", "about"})

PRICE_BASES: dict[str, Term] = {
    t.code: t
    for t in (
        Term("constant-2010", "giá so sánh năm 2010", "2010 constant prices"),
        Term("current", "giá hiện hành", "current prices"),
        Term("not-stated", "nguồn không nêu loại giá", "price basis not stated by the source"),
        Term("not-applicable", "không áp dụng", "not applicable"),
    )
}

# The part of the year a figure covers. Only full-year figures are charted, ranked or compared by year; the
# others are shown in tables, labelled (``symbol_*`` is the short label written after the year).
FULL_YEAR = "full-year"
PERIODS: dict[str, Term] = {
    t.code: t
    for t in (
        Term(FULL_YEAR, "cả năm", "full year"),
        Term("first-quarter", "quý I", "first quarter", symbol_vi="quý I", symbol_en="Q1"),
        Term("first-half", "6 tháng đầu năm", "first half", symbol_vi="6 tháng", symbol_en="H1"),
        Term("nine-months", "9 tháng đầu năm", "first nine months", symbol_vi="9 tháng", symbol_en="9 months"),
        Term("as-of-date", "tính đến một ngày", "as of a date", symbol_vi="đến ngày", symbol_en="to date"),
    )
}

# What kind of figure it is. Estimates are marked wherever they appear; plan targets are never charted or
# ranked with what was achieved.
RESULT, ESTIMATE, PLAN_TARGET = "result", "estimate", "plan-target"
STATUSES: dict[str, Term] = {
    t.code: t
    for t in (
        Term(RESULT, "kết quả", "result"),
        Term(ESTIMATE, "ước tính", "estimate", symbol_vi="ước", symbol_en="est."),
        Term(PLAN_TARGET, "chỉ tiêu kế hoạch", "plan target", symbol_vi="kế hoạch", symbol_en="target"),
    )
}

# The standard a figure was measured under, where the definition changed over time (a series break): figures
# under different standards are never joined in a chart or compared. Empty when the indicator never changed.
STANDARDS: dict[str, Term] = {
    t.code: t
    for t in (
        Term("poverty-2016-2020", "chuẩn nghèo giai đoạn 2016–2020", "2016–2020 poverty standard"),
        Term(
            "poverty-2022-2025",
            "chuẩn nghèo đa chiều giai đoạn 2022–2025",
            "2022–2025 multidimensional poverty standard",
        ),
    )
}

# How far a source can be trusted (the ``authority`` column of the sources): a secondary copy (an
# encyclopaedia mirror, a republished list) is labelled, and never preferred to an official page or the press.
SECONDARY = "secondary"

# Which vocabulary each column of an observations table must come from.
OBSERVATION_VOCABULARIES: dict[str, dict[str, Term]] = {
    "unit": UNITS,
    "qualifier": QUALIFIERS,
    "price_basis": PRICE_BASES,
    "period": PERIODS,
    "status": STATUSES,
    "standard": STANDARDS,
}
