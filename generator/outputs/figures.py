"""Figures (rows of observations tables) as series, and the warnings their own data calls for.

Nothing here is written by hand per figure: whether two values may be compared is decided from their price
basis, unit, qualifier, period, status and standard columns, so a new row that breaks comparability gets its
warning by itself. Only full-year figures are ranked or charted by year; estimates are marked wherever they
appear and never ranked with results; plan targets are never ranked or charted; figures under different
standards (a series break) are never compared.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from generator import config, mdsafe
from generator.mdsafe import Md
from generator.models import Dataset, Resource, Row
from generator.outputs.tables import (
    LEFT,
    RIGHT,
    Context,
    Table,
    conflict_link,
    documented_conflicts,
    figure_value,
    in_language,
    refers_to,
    row_label,
    source_url,
)
from generator.vocab import (
    APPROXIMATE,
    ESTIMATE,
    FULL_YEAR,
    PERIODS,
    PLAN_TARGET,
    PRICE_BASES,
    RESULT,
    STANDARDS,
    STATUSES,
    UNITS,
)

# Codes that are a price basis at all ("not applicable" is not): values at two of them cannot be compared.
REAL_BASES = frozenset(code for code in PRICE_BASES if code != "not-applicable")
MISSING = Md("—")  # no figure published for this cell: never filled by computation


@dataclass(frozen=True)
class FigureRow:
    """One figure with what a reader needs to place it: its indicator, member, year and qualities."""

    row: Row
    indicator_id: str
    indicator: str
    member_id: str | None
    member: str | None
    year: object
    basis: str
    unit: str
    qualifier: str | None
    note: str
    period: str = FULL_YEAR
    status: str = RESULT
    standard: str | None = None
    conflicts: tuple[str, ...] = ()  # ids of the documented conflicts between sources about this figure
    period_label: str = ""  # "" for a full year, else "6 tháng" / "H1"
    # Why this indicator's figures are never compared across members (its ``comparison_note``: the sources
    # use one name for different things); "" when they may be.
    uncompared: str = ""
    # Where this indicator's charts start from (its ``reference``: 100 for a share of a plan, 0 for a
    # growth), ``None`` when they start from 0 as usual.
    reference: Decimal | None = None

    @property
    def full_year(self) -> bool:
        return self.period == FULL_YEAR

    @property
    def chartable(self) -> bool:
        """A full-year figure that is not a plan target: what a chart by year may draw."""
        return self.period == FULL_YEAR and self.status != PLAN_TARGET

    @property
    def column(self) -> tuple[object, str]:
        """The column of a series table this figure belongs to: its year and the part of it."""
        return (self.year, self.period)

    def label(self, with_member: bool) -> str:
        """``An Khê (2023)`` on a page of many members; ``2023`` on a member's own page; a part of a year is
        named (``2024, 6 tháng``)."""
        year = str(self.year) if self.year is not None else ""
        if year and self.period_label:
            year = f"{year}, {self.period_label}"
        if with_member and self.member:
            return f"{self.member} ({year})" if year else self.member
        return year or self.indicator


def figure_rows(dataset: Dataset, resource: Resource, rows: Iterable[Row], ctx: Context) -> list[FigureRow]:
    """The rows of an observations table as figures, with their indicator and member resolved to names."""
    indicator_fk = next((fk for fk in resource.foreign_keys if fk.fields == ("indicator_id",)), None)
    member_fk = next((fk for fk in resource.foreign_keys if refers_to(fk, dataset, config.MEMBERS)), None)
    figures = []
    for row in rows:
        indicator = ctx.referenced_row(dataset, indicator_fk, row) if indicator_fk else None
        member = ctx.referenced_row(dataset, member_fk, row) if member_fk else None
        qualifier = row.cells.get("qualifier")
        period = str(row.cells.get("period") or FULL_YEAR)
        standard = row.cells.get("standard")
        conflicts = tuple(documented_conflicts(ctx, dataset, resource, row))
        figures.append(
            FigureRow(
                row=row,
                indicator_id=str(row.cells.get("indicator_id")),
                indicator=row_label(indicator, ctx.lang) if indicator else str(row.cells.get("indicator_id")),
                member_id=str(member.cells.get("id")) if member else None,
                member=row_label(member, ctx.lang) if member else None,
                year=row.cells.get("year"),
                basis=str(row.cells.get("price_basis")),
                unit=str(row.cells.get("unit")),
                qualifier=str(qualifier) if qualifier else None,
                note=in_language(row, "note", ctx.lang),
                period=period,
                status=str(row.cells.get("status") or RESULT),
                standard=str(standard) if standard else None,
                conflicts=conflicts,
                period_label=period_label(period, ctx),
                uncompared=in_language(indicator, "comparison_note", ctx.lang) if indicator else "",
                reference=_reference(indicator),
            )
        )
    return figures


def _reference(indicator: Row | None) -> Decimal | None:
    value = indicator.cells.get("reference") if indicator else None
    return Decimal(value) if isinstance(value, (int, Decimal)) and not isinstance(value, bool) else None


def period_label(period: str, ctx: Context) -> str:
    """The short name of a part of the year (``6 tháng`` / ``H1``); empty for a full year."""
    term = PERIODS.get(period)
    if period == FULL_YEAR or term is None:
        return ""
    return ctx.symbol(term) or ctx.term(term)


def years(figures: Sequence[FigureRow]) -> list[object]:
    return sorted({f.year for f in figures if f.year is not None}, key=str)


def _period_order(period: str) -> int:
    """Parts of a year in the order they end, the full year last."""
    order = list(PERIODS)
    return (order.index(period) if period in order else len(order)) if period != FULL_YEAR else len(order) + 1


def columns(figures: Sequence[FigureRow]) -> list[tuple[object, str]]:
    """The (year, period) columns of a series table, in time order."""
    found = {f.column for f in figures if f.year is not None}
    return sorted(found, key=lambda c: (str(c[0]), _period_order(c[1])))


def complete_year(figures: Sequence[FigureRow]) -> object | None:
    """The year to chart by member: of the years with full-year figures (not plan targets), the latest of
    those with the most members (one new row for one member never takes over a chart of every member)."""
    members: dict[object, set[str | None]] = {}
    for figure in figures:
        if figure.chartable and figure.year is not None:
            members.setdefault(figure.year, set()).add(figure.member_id)
    if not members:
        return None
    return max(members, key=lambda year: (len(members[year]), str(year)))


def series_table(
    figures: Sequence[FigureRow], ctx: Context, first_header: Md, by_member: bool, conflicts_link: str = ""
) -> Table:
    """One row per member (or per indicator, on a member's page), one column per year (and per part of a
    year, labelled). Each value links to its source; a value not at the table's usual price basis or
    standard says which, an estimate or a plan target says so, and a figure the sources disagree on links to
    the conflict (``conflicts_link``: the conflicts page, relative to this page)."""
    shown = columns(figures)
    usual = usual_basis(figures)
    keys: list[str] = []
    cells: dict[tuple[str, tuple[object, str]], list[FigureRow]] = {}
    names: dict[str, str] = {}
    for figure in figures:
        key = (figure.member_id or "") if by_member else figure.indicator_id
        if key not in names:
            keys.append(key)
            names[key] = (figure.member or ctx._("Toàn cụm")) if by_member else figure.indicator
        cells.setdefault((key, figure.column), []).append(figure)  # one per price basis
    rows = []
    for key in keys:
        row = [mdsafe.text(names[key])]
        for column in shown:
            found = cells.get((key, column), [])
            row.append(Md("; ".join(_series_cell(f, ctx, usual, conflicts_link) for f in found)) if found else MISSING)
        rows.append(row)
    headers = [first_header] + [mdsafe.text(_column_label(column, ctx)) for column in shown]
    return Table(headers, [LEFT] + [RIGHT] * len(shown), rows)


def _column_label(column: tuple[object, str], ctx: Context) -> str:
    year, period = column
    part = period_label(period, ctx)
    return f"{year} ({part})" if part else str(year)


def _series_cell(figure: FigureRow, ctx: Context, usual: str | None, conflicts_link: str) -> Md:
    value = figure_value(figure.row.cells, ctx)
    url = source_url(ctx, figure.row.cells.get("source_id"))
    parts = [mdsafe.link(value, url) if url else value]
    marks = []
    if usual is not None and figure.basis in REAL_BASES and figure.basis != usual:
        marks.append(ctx.term(PRICE_BASES[figure.basis]))
    if figure.standard in STANDARDS:
        marks.append(ctx.term(STANDARDS[figure.standard]))
    if figure.status in (ESTIMATE, PLAN_TARGET):
        marks.append(ctx.symbol(STATUSES[figure.status]))
    if marks:
        parts.append(mdsafe.text("(" + "; ".join(marks) + ")"))
    if conflicts_link:
        parts += [conflict_link(conflict, conflicts_link, ctx) for conflict in figure.conflicts]
    return Md(" ".join(parts))


def caveat(
    figure: FigureRow, usual: str | None, ctx: Context, standard: str | None = None, estimate: bool = True
) -> str:
    """Why ``figure`` cannot be ranked or summed with the others shown with it ("" when it can): an estimate
    (unless ``estimate`` is false: a line chart draws estimates with a shape of their own), a "more than"
    lower bound, a price basis other than the group's usual one, or another standard (a series break).
    Several reasons are joined."""
    reasons = []
    if estimate and figure.status == ESTIMATE:
        reasons.append(ctx._("số ước tính, chưa phải kết quả"))
    if figure.qualifier == "more-than":
        reasons.append(ctx._("chỉ biết mức tối thiểu (hơn)"))
    elif figure.qualifier in APPROXIMATE:
        reasons.append(ctx._("chỉ là số gần đúng"))
    if usual is not None and figure.basis in REAL_BASES and figure.basis != usual:
        reasons.append(ctx._("khác loại giá ({basis})").format(basis=ctx.term(PRICE_BASES[figure.basis])))
    if standard is not None and figure.standard != standard:
        term = STANDARDS.get(figure.standard or "")
        reasons.append(ctx._("khác chuẩn ({standard})").format(standard=ctx.term(term) if term else "—"))
    return "; ".join(reasons)


@dataclass(frozen=True)
class Ranked:
    figure: FigureRow
    rank: int | None  # None: not ranked, see ``caveat``
    out_of: int
    caveat: str


def ranking(figures: Sequence[FigureRow], ctx: Context) -> list[Ranked]:
    """Full-year figures of one indicator and year, largest first. Only comparable results get a rank; the
    others (estimates, lower bounds, another price basis or standard) follow, each with the reason it is not
    ranked. Figures in several units are not ranked at all. Part-year figures and plan targets never enter a
    ranking: they are left out (see ``outside_ranking``)."""
    figures = [f for f in figures if f.chartable]
    usual = usual_basis(figures)
    standard = usual_standard(figures)
    mixed_units = len({f.unit for f in figures}) > 1
    reasons = {
        id(f): f.uncompared or (ctx._("khác đơn vị") if mixed_units else caveat(f, usual, ctx, standard))
        for f in figures
    }
    comparable = sorted((f for f in figures if not reasons[id(f)]), key=_value, reverse=True)
    others = sorted((f for f in figures if reasons[id(f)]), key=_value, reverse=True)
    ranked = [Ranked(f, i, len(comparable), "") for i, f in enumerate(comparable, start=1)]
    return ranked + [Ranked(f, None, len(comparable), reasons[id(f)]) for f in others]


def _value(figure: FigureRow) -> Decimal:
    value = figure.row.cells.get("value")
    return value if isinstance(value, Decimal) else Decimal(0)


def outside_ranking(figures: Sequence[FigureRow]) -> list[FigureRow]:
    """The figures of a group that no ranking or chart by year takes: parts of a year and plan targets."""
    return [f for f in figures if not f.chartable]


def usual_standard(figures: Sequence[FigureRow]) -> str | None:
    """The most common standard of figures that mix several (a series break), else ``None``."""
    counts = Counter(f.standard or "" for f in figures)
    return (_most_common(counts) or None) if len(counts) > 1 else None


def chart_basis(figures: Sequence[FigureRow]) -> str | None:
    """The price basis a chart states under its title: that of most of its figures (the others are drawn in
    another colour, with theirs in the legend); ``None`` when none has a price basis (a share, a count)."""
    counts = Counter(f.basis for f in figures if f.basis in REAL_BASES)
    return _most_common(counts) if counts else None


def usual_basis(figures: Sequence[FigureRow]) -> str | None:
    """The most common price basis of a table that mixes several (``None`` when it does not)."""
    return chart_basis(figures) if len({f.basis for f in figures if f.basis in REAL_BASES}) > 1 else None


def _most_common(counts: Counter[str]) -> str:
    """The most frequent of ``counts``; of equally frequent ones, the first in alphabetical order (stable)."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[0][0]


def comparability_notes(figures: Sequence[FigureRow], with_member: bool, ctx: Context) -> list[Md]:
    """Warnings for figures shown together that cannot be compared: one indicator at several price bases or
    in several units, and figures that are only lower bounds ("more than")."""
    notes: list[Md] = []
    for group in _by_indicator(figures):
        name = group[0].indicator
        if group[0].uncompared:
            notes.append(mdsafe.text(f"{name}: {group[0].uncompared}"))
        bases = _grouped(group, _real_basis)
        if len(bases) > 1:
            parts = _describe(bases, lambda code: ctx.term(PRICE_BASES[code]), with_member, ctx)
            notes.append(
                mdsafe.text(
                    ctx._(
                        "{indicator}: {parts}. Các giá trị theo loại giá khác nhau không so sánh, "
                        "xếp hạng hay cộng dồn trực tiếp được."
                    ).format(indicator=name, parts=parts)
                )
            )
        units = _grouped(group, lambda f: f.unit)
        if len(units) > 1:
            parts = _describe(units, lambda code: ctx.term(UNITS[code]) if code in UNITS else code, with_member, ctx)
            notes.append(
                mdsafe.text(
                    ctx._("{indicator}: {parts}. Các giá trị có đơn vị khác nhau không so sánh được.").format(
                        indicator=name, parts=parts
                    )
                )
            )
        standards = _grouped(group, lambda f: f.standard or "")
        if len(standards) > 1:
            parts = _describe(
                standards,
                lambda code: ctx.term(STANDARDS[code]) if code in STANDARDS else ctx._("chuẩn không nêu"),
                with_member,
                ctx,
            )
            notes.append(
                mdsafe.text(
                    ctx._(
                        "{indicator}: {parts}. Chuẩn đo đã thay đổi (chuỗi số liệu bị gián đoạn): các giá trị "
                        "theo chuẩn khác nhau không so sánh được và không được nối thành một chuỗi."
                    ).format(indicator=name, parts=parts)
                )
            )
        # Figures that are not plain exact results: each kind gets one note naming them.
        kinds: tuple[tuple[Callable[[FigureRow], bool], str], ...] = (
            (
                lambda f: f.status == ESTIMATE,
                ctx._(
                    "{indicator}: {figures} là số ước tính (nguồn viết \u201cước\u201d), chưa phải kết quả "
                    "cuối cùng; không xếp hạng cùng các kết quả."
                ),
            ),
            (
                lambda f: f.status == PLAN_TARGET,
                ctx._(
                    "{indicator}: {figures} là chỉ tiêu kế hoạch, không phải kết quả; không đưa vào biểu đồ "
                    "hay xếp hạng."
                ),
            ),
            (
                lambda f: not f.full_year,
                ctx._(
                    "{indicator}: {figures} chỉ tính một phần của năm; không so sánh, cộng dồn hay vẽ "
                    "chung với số liệu cả năm."
                ),
            ),
            (
                lambda f: f.qualifier in APPROXIMATE,
                ctx._(
                    "{indicator}: {figures} chỉ là số gần đúng (nguồn viết \u201cgần\u201d hoặc \u201ckhoảng\u201d), "
                    "nên không xếp hạng hay cộng dồn như một số chính xác."
                ),
            ),
            (
                lambda f: f.qualifier == "more-than",
                ctx._(
                    "{indicator}: {figures} chỉ là mức tối thiểu (nguồn viết \u201chơn\u201d): "
                    "con số thật lớn hơn, nên không xếp hạng hay cộng dồn như một số chính xác."
                ),
            ),
        )
        for matches, message in kinds:
            labels = [f.label(with_member) for f in group if matches(f)]
            if labels:
                notes.append(mdsafe.text(message.format(indicator=name, figures=_join(labels, ctx))))
    return notes


def data_notes(figures: Sequence[FigureRow], with_member: bool) -> list[Md]:
    """The notes the data itself carries (``note`` column), each once per member and year."""
    seen: dict[tuple[str, str], None] = {}
    for figure in figures:
        if figure.note:
            seen.setdefault((figure.label(with_member), figure.note), None)
    return [mdsafe.text(f"{label}: {note}") for label, note in seen]


def _real_basis(figure: FigureRow) -> str | None:
    return figure.basis if figure.basis in REAL_BASES else None


def _by_indicator(figures: Sequence[FigureRow]) -> list[list[FigureRow]]:
    groups: dict[str, list[FigureRow]] = {}
    for figure in figures:
        groups.setdefault(figure.indicator_id, []).append(figure)
    return list(groups.values())


def _grouped(figures: Sequence[FigureRow], key: Callable[[FigureRow], str | None]) -> dict[str, list[FigureRow]]:
    groups: dict[str, list[FigureRow]] = {}
    for figure in figures:
        value = key(figure)
        if value is not None:
            groups.setdefault(value, []).append(figure)
    return groups


def _describe(groups: dict[str, list[FigureRow]], label: Callable[[str], str], with_member: bool, ctx: Context) -> str:
    """``An Khê, 2023 theo giá hiện hành; các giá trị còn lại theo giá so sánh năm 2010``."""
    ordered = sorted(groups.items(), key=lambda item: (len(item[1]), item[0]))
    parts = []
    for i, (code, members) in enumerate(ordered):
        name = label(code)
        last = i == len(ordered) - 1
        if last and len(members) > 2:
            parts.append(ctx._("các giá trị còn lại: {label}").format(label=name))
        else:
            parts.append(f"{_join([f.label(with_member) for f in members], ctx)}: {name}")
    return "; ".join(parts)


def _join(labels: list[str], ctx: Context) -> str:
    """``A, B và C`` / ``A, B and C``."""
    unique = list(dict.fromkeys(labels))
    if len(unique) == 1:
        return unique[0]
    return ctx._("{items} và {last}").format(items=", ".join(unique[:-1]), last=unique[-1])
