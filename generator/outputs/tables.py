"""Data tables as readers see them: references resolved to names and links, codes to labels, numbers and
dates in the page's language, every cell escaped for Markdown (``mdsafe``)."""

from __future__ import annotations

import dataclasses
import datetime
import functools
import json
import posixpath
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from generator import cache, config, i18n, mdsafe
from generator.mdsafe import Md
from generator.models import Catalogue, Dataset, Field, ForeignKey, Resource, Row, Text
from generator.outputs import formatting
from generator.vocab import OBSERVATION_VOCABULARIES, QUALIFIERS, SECONDARY, UNITS, Term

NUMERIC_TYPES = ("number", "integer")
LEFT, RIGHT = Md(":--"), Md("--:")  # Markdown table column alignments


@dataclass(frozen=True)
class Table:
    headers: list[Md]
    aligns: list[Md]
    rows: list[list[Md]]


# dataset name -> each of its tables that refers to the members, the field that does, and one member's rows
MemberTables = dict[str, list[tuple[Resource, str, Sequence[Row]]]]


@dataclass
class Context:
    """What every page needs to look up: the catalogue, rows by key for references, and the page's language
    (its interface strings, number and date formats, and which text of the data it shows)."""

    catalogue: Catalogue
    lang: str = i18n.DEFAULT
    cache_dir: Path | None = None  # where drawn charts are kept between builds (None: not kept)
    by_key: dict[tuple[str, str, tuple[str, ...]], dict[tuple[Any, ...], Row]] = field(default_factory=dict)
    citations: dict[tuple[str, str], list[tuple[tuple[str, ...], dict[tuple[Any, ...], list[Row]]]]] = field(
        default_factory=dict
    )
    charts: dict[str, bytes] = field(default_factory=dict)  # standalone chart files drawn while rendering
    # dataset -> the key of everything its tables' cells are made from (``table_keys``); a dataset page is kept
    # under it (``render.kept_dataset_page``); empty: none kept
    table_keys: Mapping[str, str] = field(default_factory=dict)
    # a source's link by its id (``source_link``): a page lists the sources of its dataset, a catalogue of a
    # thousand datasets names the same sources on many pages
    source_links: dict[object, Md] = field(default_factory=dict)
    pages_kept: set[str] = field(default_factory=set)  # the names of the kept pages used (``kept_dataset_page``)
    # a member's id -> its rows in every table that refers to the members (``render.member_tables``)
    member_rows: dict[object, MemberTables] = field(default_factory=dict)
    # a dataset's name -> the members and years its rows cover (``render.catalogue_items``), for every language
    coverage: dict[str, tuple[frozenset[str], frozenset[str]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.translator = i18n.translator("site", self.lang)

    def _(self, message: str) -> str:
        """An interface string (written in Vietnamese) in the page's language."""
        return self.translator.gettext(message)

    def pick(self, text: Text) -> str:
        """The data's own text in the page's language: English where the descriptor gives it, else the
        Vietnamese (``validate`` warns about a missing English title)."""
        return text.pick(self.lang)

    def term(self, term: Term) -> str:
        return term.label_en if self.lang == "en" else term.label_vi

    def symbol(self, term: Term) -> str:
        """What follows a number (``tỷ đồng`` / ``billion VND``)."""
        return (term.symbol_en or term.symbol_vi) if self.lang == "en" else term.symbol_vi

    def number(self, value: Decimal | int) -> str:
        return formatting.number(value, self.lang)

    def date(self, value: datetime.date) -> str:
        return formatting.date(value, self.lang)

    def partial_date(self, value: str) -> str:
        return formatting.partial_date(value, self.lang)

    def file_size(self, size: int) -> str:
        return formatting.file_size(size, self.lang)

    def referenced_row(self, dataset: Dataset, fk: ForeignKey, row: Row) -> Row | None:
        """The row that ``row`` refers to through ``fk`` (a foreign key of a resource of ``dataset``)."""
        target = (fk.package or dataset.name, fk.resource, fk.ref_fields)
        if target not in self.by_key:
            resource = self.catalogue.resource(target[0], target[1])
            index: dict[tuple[Any, ...], Row] = {}
            if resource is not None:
                for ref_row in resource.rows:
                    index[tuple(ref_row.cells.get(f) for f in fk.ref_fields)] = ref_row
            self.by_key[target] = index
        return self.by_key[target].get(tuple(row.cells.get(f) for f in fk.fields))

    def further_citations(self, dataset: Dataset, resource: Resource, row: Row) -> list[Row]:
        """Rows of the same dataset that cite ``row`` (a figure) from another source: a table with
        ``source_id`` and ``as_published`` and a reference to ``resource``."""
        key = (dataset.name, resource.name)
        if key not in self.citations:
            indexes = []
            for other in dataset.resources:
                if other.is_observations or not {"source_id", "as_published"} <= set(other.field_names):
                    continue
                for fk in other.foreign_keys:
                    if fk.package is None and fk.resource == resource.name:
                        index: dict[tuple[Any, ...], list[Row]] = {}
                        for cited in other.rows:
                            index.setdefault(tuple(cited.cells.get(f) for f in fk.fields), []).append(cited)
                        indexes.append((fk.ref_fields, index))
            self.citations[key] = indexes
        return [
            cited
            for ref_fields, index in self.citations[key]
            for cited in index.get(tuple(row.cells.get(f) for f in ref_fields), [])
        ]

    def source(self, source_id: object) -> Row | None:
        sources = self.catalogue.resource(*config.SOURCES)
        key = (*config.SOURCES, ("id",))
        if key not in self.by_key:
            self.by_key[key] = {(r.cells.get("id"),): r for r in (sources.rows if sources else ())}
        return self.by_key[key].get((source_id,))


# --- paths and links -------------------------------------------------------------------------------------


def dataset_page(name: str) -> str:
    return f"{config.CATALOGUE_DIR}/{name}/index.md"


def member_page(member_id: str) -> str:
    return f"{config.MEMBERS_DIR}/{member_id}.md"


# A page links to the same few pages from many cells (a member's page from every row naming the member), and
# relpath makes both paths absolute first, asking the system for the working folder each time.
@functools.lru_cache(maxsize=4096)
def relative(from_page: str, to_path: str) -> str:
    """A link from one generated page to another page or file, as MkDocs resolves it (relative .md)."""
    return posixpath.relpath(to_path, posixpath.dirname(from_page) or ".")


def page_address(page: str) -> str:
    """Where MkDocs serves a page (its Markdown path inside its language's site): ``x/index.md`` at ``x/``,
    ``x/name.md`` at ``x/name/``, ``index.md`` at the root ("")."""
    stem = posixpath.splitext(page)[0]
    if posixpath.basename(stem) == "index":
        folder = posixpath.dirname(stem)
        return folder + "/" if folder else ""
    return stem + "/"


def member_resource(catalogue: Catalogue) -> Resource | None:
    return catalogue.resource(*config.MEMBERS)


def refers_to(fk: ForeignKey, dataset: Dataset, target: tuple[str, str]) -> bool:
    return (fk.package or dataset.name, fk.resource) == target


# --- values ------------------------------------------------------------------------------------------------


def plain_value(value: object, field_type: str, ctx: Context) -> Md:
    """A typed cell with no reference or vocabulary to resolve, in the page's language."""
    if value is None:
        return Md("")
    if isinstance(value, bool):
        return Md(ctx._("có") if value else ctx._("không"))
    if field_type in NUMERIC_TYPES and isinstance(value, (int, Decimal)):
        return mdsafe.text(ctx.number(value))
    if isinstance(value, datetime.datetime):
        return mdsafe.text(value.isoformat())
    if isinstance(value, datetime.date):
        return mdsafe.text(ctx.date(value))
    if isinstance(value, (list, dict)):
        return mdsafe.text(", ".join(str(v) for v in value) if isinstance(value, list) else str(value))
    return mdsafe.text(value)


def figure_parts(cells: Mapping[str, Any], ctx: Context) -> list[str]:
    """``["hơn", "90.497", "ha"]`` / ``["more than", "90,497", "ha"]``: the value with its qualifier and
    unit, as a reader says it."""
    value = cells.get("value")
    if not isinstance(value, (int, Decimal)):
        return []
    qualifier = QUALIFIERS.get(str(cells.get("qualifier")))
    unit = UNITS.get(str(cells.get("unit")))
    number = ctx.number(value)
    symbol = ctx.symbol(unit) if unit else ""
    if symbol == "%":  # both languages write 93,2% / 93.2% with no space
        number, symbol = number + symbol, ""
    return [p for p in (ctx.term(qualifier) if qualifier else "", number, symbol) if p]


def figure_value(cells: Mapping[str, Any], ctx: Context) -> Md:
    """The figure for Markdown, on one line (no-break spaces)."""
    return mdsafe.nowrap(*figure_parts(cells, ctx))


def term_label(column: str, code: object, ctx: Context) -> Md:
    vocabulary = OBSERVATION_VOCABULARIES.get(column, {})
    term = vocabulary.get(str(code)) if code is not None else None
    return mdsafe.text(ctx.term(term) if term else (code or ""))


def paragraphs_label(value: object, ctx: Context) -> str:
    if not value:
        return ""
    return ctx._("đoạn {numbers}").format(numbers=", ".join(str(value).split(";")))


def source_url(ctx: Context, source_id: object) -> str:
    row = ctx.source(source_id)
    return str(row.cells.get("url", "")) if row else ""


def conflicts_page_link(ctx: Context, page: str) -> str:
    """The conflicts page relative to ``page``."""
    return relative(page, f"{config.CONFLICTS_DIR}/index.md")


def conflict_link(conflict: str, conflicts_link: str, ctx: Context) -> Md:
    """``[⚠ C01](../../mau-thuan/index.md#c01)``: a figure the sources disagree on, linked to what was
    decided about it."""
    title = ctx._("Xem mục {id} trên trang Mâu thuẫn giữa các nguồn").format(id=conflict.upper())
    return mdsafe.internal_link(f"\u26a0\ufe0e\u00a0{conflict.upper()}", f"{conflicts_link}#{conflict}", title=title)


def documented_conflicts(ctx: Context, dataset: Dataset, resource: Resource, row: Row) -> list[str]:
    """The ids of the documented conflicts about the figure ``row``: its own ``conflict_id`` (a figure an
    apparent conflict is about, or one the sources name differently) and those of the citations that disagree
    with it."""
    own = [str(row.cells["conflict_id"])] if row.cells.get("conflict_id") else []
    cited = (
        str(c.cells["conflict_id"]) for c in ctx.further_citations(dataset, resource, row) if c.cells.get("conflict_id")
    )
    return list(dict.fromkeys([*own, *cited]))


def source_label(ctx: Context, row: Row) -> str:
    """``Báo Gia Lai, tháng 1 năm 2024``: a source as the pages name it; a secondary copy says so wherever
    it is cited."""
    label = str(row.cells.get("publisher", row.cells.get("id")))
    if row.cells.get("published"):
        label += ", " + ctx.partial_date(str(row.cells["published"]))
    if row.cells.get("authority") == SECONDARY:
        label += " (" + ctx._("bản sao lại") + ")"
    return label


def source_link(ctx: Context, source_id: object, paragraphs: object = None) -> Md:
    """``[Báo Gia Lai, tháng 1 năm 2024](url), đoạn 2``: one click to the source, and where in it."""
    if paragraphs is None and isinstance(source_id, str):
        known = ctx.source_links.get(source_id)
        if known is None:
            known = ctx.source_links[source_id] = _source_link(ctx, source_id, None)
        return known
    return _source_link(ctx, source_id, paragraphs)


def _source_link(ctx: Context, source_id: object, paragraphs: object) -> Md:
    row = ctx.source(source_id)
    if row is None:
        return mdsafe.text(source_id)
    linked = mdsafe.link(source_label(ctx, row), str(row.cells.get("url", "")))
    where = paragraphs_label(paragraphs, ctx)
    return Md(f"{linked}, {mdsafe.text(where)}") if where else linked


def in_language(row: Row, name: str, lang: str) -> str:
    """A row's text column ``name`` in ``lang``: its ``<name>_en`` twin on an English page where filled, else
    the column itself ("" when empty)."""
    english = row.cells.get(f"{name}_en")
    return str(english if lang == "en" and english else row.cells.get(name) or "")


def row_label(row: Row, lang: str = i18n.DEFAULT) -> str:
    """How a referenced row is named: its ``name`` or ``title`` (in English, ``name_en`` or ``title_en``
    first where the table has them), else its first cell."""
    keys = ("name_en", "title_en", "name", "title") if lang == "en" else ("name", "title")
    for key in keys:
        if row.cells.get(key):
            return str(row.cells[key])
    return str(next(iter(row.cells.values()), ""))


def cell(dataset: Dataset, resource: Resource, fld: Field, row: Row, ctx: Context, page: str) -> Md:
    """One cell of a data table: references resolved to names and links, codes to labels, numbers in the
    page's language."""
    value = row.cells.get(fld.name)
    if value is None:
        return Md("")
    for fk in resource.foreign_keys:
        if fk.fields != (fld.name,):
            continue
        if refers_to(fk, dataset, config.SOURCES):
            links = [source_link(ctx, value, row.cells.get("source_paragraphs"))]
            if resource.is_observations:
                links += [
                    source_link(ctx, c.cells.get("source_id"), c.cells.get("source_paragraphs"))
                    for c in ctx.further_citations(dataset, resource, row)
                ]
                target = conflicts_page_link(ctx, page)
                marks = [conflict_link(c, target, ctx) for c in documented_conflicts(ctx, dataset, resource, row)]
                if marks:
                    return Md("; ".join(links) + " " + " ".join(marks))
            return Md("; ".join(links))
        referenced = ctx.referenced_row(dataset, fk, row)
        if referenced is None:
            break
        if refers_to(fk, dataset, config.CONFLICTS):
            return conflict_link(str(value), conflicts_page_link(ctx, page), ctx)
        if refers_to(fk, dataset, config.MEMBERS):
            return mdsafe.internal_link(row_label(referenced, ctx.lang), relative(page, member_page(str(value))))
        return mdsafe.text(row_label(referenced, ctx.lang))
    if fld.categories and str(value) in fld.categories:
        return mdsafe.text(ctx.pick(fld.categories[str(value)]))
    if resource.is_observations:
        if fld.name == "value":
            return figure_value(row.cells, ctx)
        if fld.name in OBSERVATION_VOCABULARIES:
            return term_label(fld.name, value, ctx)
    if fld.name == "source_paragraphs":
        return mdsafe.text(paragraphs_label(value, ctx))
    if isinstance(value, str) and fld.type == "string" and value.startswith(("https://", "http://")):
        return mdsafe.link(value, value)
    return plain_value(value, fld.type, ctx)


def shown_fields(resource: Resource, lang: str, hide: Iterable[str] = ()) -> list[Field]:
    """The columns a page shows: an observations table folds unit and qualifier into the value, and the
    paragraph into the source link; a column with an English twin (``note`` / ``note_en``) shows the one of
    the page's language."""
    names = set(resource.field_names)
    twins = {name for name in names if name.endswith("_en") and name[:-3] in names}
    hidden = set(hide) | ({name[:-3] for name in twins} if lang == "en" else twins)
    if "source_id" in resource.field_names:
        hidden.add("source_paragraphs")
    if resource.is_observations:
        hidden |= {"unit", "qualifier", "note", "note_en"}  # notes are listed above the table, once per member and year
    return [f for f in resource.fields if f.name not in hidden]


def table_keys(catalogue: Catalogue, digests: Mapping[str, str]) -> dict[str, str]:
    """For each dataset, a key naming everything the cells of its tables are made from (``cell``): the
    generator, the dataset's files (``digests``: ``cache.dataset_digest`` by name), the datasets it refers
    to, the members, sources and conflicts (named and linked from cells) and the site's own names."""
    shared = {config.MEMBERS[0], config.SOURCES[0], config.CONFLICTS[0]}
    site = json.dumps(dataclasses.asdict(catalogue.site), sort_keys=True)
    keys = {}
    for dataset in catalogue.datasets:
        referenced = {fk.package for r in dataset.resources for fk in r.foreign_keys if fk.package}
        names = sorted({dataset.name} | shared | referenced)
        keys[dataset.name] = cache.key_of(site, *(f"{name}:{digests.get(name, '-')}" for name in names))
    return keys


def data_table(
    dataset: Dataset, resource: Resource, rows: Iterable[Row], ctx: Context, page: str, hide: Iterable[str] = ()
) -> Table:
    fields = shown_fields(resource, ctx.lang, hide)
    return Table(
        headers=[mdsafe.text(ctx.pick(f.title)) for f in fields],
        aligns=[RIGHT if f.type in NUMERIC_TYPES else LEFT for f in fields],
        rows=[[cell(dataset, resource, f, row, ctx, page) for f in fields] for row in rows],
    )
