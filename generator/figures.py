"""Figures (rows of observations tables) as series, and the warnings their own data calls for.

Nothing here is written by hand per figure: whether two values may be compared is decided from their price
basis, unit and qualifier columns, so a new row that breaks comparability gets its warning by itself.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from generator import config, mdsafe
from generator.mdsafe import Md
from generator.models import Dataset, Resource, Row
from generator.tables import LEFT, RIGHT, Context, Table, figure_value, refers_to, row_label, source_url
from generator.vocab import PRICE_BASES, UNITS

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

    def label(self, with_member: bool) -> str:
        """``An Khê (2023)`` on a page of many members; ``2023`` on a member's own page."""
        year = str(self.year) if self.year is not None else ""
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
        note = row.cells.get("note_en") if ctx.lang == "en" and row.cells.get("note_en") else row.cells.get("note")
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
                note=str(note or ""),
            )
        )
    return figures


def years(figures: Sequence[FigureRow]) -> list[object]:
    return sorted({f.year for f in figures if f.year is not None}, key=str)


def series_table(figures: Sequence[FigureRow], ctx: Context, first_header: Md, by_member: bool) -> Table:
    """One row per member (or per indicator, on a member's page), one column per year. Each value links to
    its source; where the table mixes price bases, values not at the table's usual basis say which."""
    columns = years(figures)
    usual = usual_basis(figures)
    keys: list[str] = []
    cells: dict[tuple[str, object], FigureRow] = {}
    names: dict[str, str] = {}
    for figure in figures:
        key = (figure.member_id or "") if by_member else figure.indicator_id
        if key not in names:
            keys.append(key)
            names[key] = (figure.member or ctx._("Toàn cụm")) if by_member else figure.indicator
        cells[(key, figure.year)] = figure
    rows = []
    for key in keys:
        row = [mdsafe.text(names[key])]
        for year in columns:
            found = cells.get((key, year))
            row.append(_series_cell(found, ctx, usual) if found else MISSING)
        rows.append(row)
    headers = [first_header] + [mdsafe.text(str(y)) for y in columns]
    return Table(headers, [LEFT] + [RIGHT] * len(columns), rows)


def _series_cell(figure: FigureRow, ctx: Context, usual: str | None) -> Md:
    value = figure_value(figure.row.cells, ctx)
    url = source_url(ctx, figure.row.cells.get("source_id"))
    linked = mdsafe.link(value, url) if url else value
    if usual is not None and figure.basis in REAL_BASES and figure.basis != usual:
        return Md(f"{linked} {mdsafe.text('(' + ctx.term(PRICE_BASES[figure.basis]) + ')')}")
    return linked


def caveat(figure: FigureRow, usual: str | None, ctx: Context) -> str:
    """Why ``figure`` cannot be ranked or summed with the others shown with it ("" when it can): a "more
    than" lower bound, or a price basis other than the group's usual one."""
    if figure.qualifier == "more-than":
        return ctx._("chỉ biết mức tối thiểu (hơn)")
    if usual is not None and figure.basis in REAL_BASES and figure.basis != usual:
        return ctx._("khác loại giá ({basis})").format(basis=ctx.term(PRICE_BASES[figure.basis]))
    return ""


@dataclass(frozen=True)
class Ranked:
    figure: FigureRow
    rank: int | None  # None: not ranked, see ``caveat``
    out_of: int
    caveat: str


def ranking(figures: Sequence[FigureRow], ctx: Context) -> list[Ranked]:
    """Figures of one indicator and year, largest first. Only comparable figures get a rank; the others
    follow, each with the reason it is not ranked. Figures in several units are not ranked at all."""
    usual = usual_basis(figures)
    mixed_units = len({f.unit for f in figures}) > 1
    reasons = {id(f): ctx._("khác đơn vị") if mixed_units else caveat(f, usual, ctx) for f in figures}
    comparable = sorted((f for f in figures if not reasons[id(f)]), key=_value, reverse=True)
    others = sorted((f for f in figures if reasons[id(f)]), key=_value, reverse=True)
    ranked = [Ranked(f, i, len(comparable), "") for i, f in enumerate(comparable, start=1)]
    return ranked + [Ranked(f, None, len(comparable), reasons[id(f)]) for f in others]


def _value(figure: FigureRow) -> Decimal:
    value = figure.row.cells.get("value")
    return value if isinstance(value, Decimal) else Decimal(0)


def usual_basis(figures: Sequence[FigureRow]) -> str | None:
    """The most common price basis of a table that mixes several (``None`` when it does not)."""
    counts = Counter(f.basis for f in figures if f.basis in REAL_BASES)
    if len(counts) < 2:
        return None
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[0][0]


def comparability_notes(figures: Sequence[FigureRow], with_member: bool, ctx: Context) -> list[Md]:
    """Warnings for figures shown together that cannot be compared: one indicator at several price bases or
    in several units, and figures that are only lower bounds ("more than")."""
    notes: list[Md] = []
    for group in _by_indicator(figures):
        name = group[0].indicator
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
        lower_bounds = [f.label(with_member) for f in group if f.qualifier == "more-than"]
        if lower_bounds:
            notes.append(
                mdsafe.text(
                    ctx._(
                        "{indicator}: {figures} chỉ là mức tối thiểu (nguồn viết \u201chơn\u201d): "
                        "con số thật lớn hơn, nên không xếp hạng hay cộng dồn như một số chính xác."
                    ).format(indicator=name, figures=_join(lower_bounds, ctx))
                )
            )
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
