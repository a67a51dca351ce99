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
    after_vi: tuple[str, ...] = ()  # how a source writes it after a number and its unit ("42 tỷ đồng trở lên")


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
        Term("household", "hộ", "households", symbol_vi="hộ", symbol_en="households"),
    )
}

QUALIFIERS: dict[str, Term] = {
    t.code: t
    for t in (
        Term("more-than", "hơn", "more than", words_vi=("hơn", "trên"), after_vi=("trở lên",)),
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
        Term("ntm-2016-2020", "bộ tiêu chí nông thôn mới 2016–2020", "2016–2020 new-rural criteria"),
        Term("ntm-2021-2025", "bộ tiêu chí nông thôn mới 2021–2025", "2021–2025 new-rural criteria"),
    )
}

# What a row of the conflicts dataset records: two sources that disagree about one figure (one value used),
# an apparent conflict that is not one (another concept, period or cut-off date), or a figure left out
# because its source looks wrong or could not be read.
DISAGREEMENT = "disagreement"
CONFLICT_KINDS: dict[str, Term] = {
    t.code: t
    for t in (
        Term(DISAGREEMENT, "Các nguồn nói khác nhau", "Sources that disagree"),
        Term("not-a-conflict", "Tưởng là mâu thuẫn nhưng không phải", "Apparent conflicts that are not"),
        Term("not-entered", "Số liệu không đưa lên trang", "Figures left out"),
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

# The EU's data themes (publications.europa.eu/resource/authority/data-theme): a dataset's ``themes`` in its
# descriptor. Catalogues (DCAT-AP's dcat:theme) carry their addresses; the catalogue page filters by their
# names, in the page's language.
THEME_SCHEME = "http://publications.europa.eu/resource/authority/data-theme"
THEMES: dict[str, Term] = {
    t.code: t
    for t in (
        Term("AGRI", "Nông nghiệp, thủy sản, lâm nghiệp và lương thực", "Agriculture, fisheries, forestry and food"),
        Term("ECON", "Kinh tế và tài chính", "Economy and finance"),
        Term("EDUC", "Giáo dục, văn hóa và thể thao", "Education, culture and sport"),
        Term("ENER", "Năng lượng", "Energy"),
        Term("ENVI", "Môi trường", "Environment"),
        Term("GOVE", "Chính quyền và khu vực công", "Government and public sector"),
        Term("HEAL", "Y tế", "Health"),
        Term("INTR", "Vấn đề quốc tế", "International issues"),
        Term("JUST", "Tư pháp, hệ thống pháp luật và an toàn công cộng", "Justice, legal system and public safety"),
        Term("REGI", "Vùng và đô thị", "Regions and cities"),
        Term("SOCI", "Dân số và xã hội", "Population and society"),
        Term("TECH", "Khoa học và công nghệ", "Science and technology"),
        Term("TRAN", "Giao thông", "Transport"),
    )
}
