"""Stage 3: turn the validated catalogue into pages (Markdown text in memory) and files to publish.

Python decides what a page says; templates in ``templates/`` only lay it out. Every value that came from a
data file reaches a template as ``mdsafe.Md`` (escaped) or as a plain ``str`` that the environment escapes.
"""

from __future__ import annotations

import datetime
import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2

from generator import config, formatting, mdsafe
from generator.mdsafe import Md
from generator.models import Catalogue, Dataset, Field, ForeignKey, Resource, Row
from generator.vocab import OBSERVATION_VOCABULARIES, PRICE_BASES, QUALIFIERS, UNITS

TEMPLATES = Path(__file__).parent / "templates"
NUMERIC_TYPES = ("number", "integer")
LEFT, RIGHT = Md(":--"), Md("--:")  # Markdown table column alignments
# Price bases that are a basis at all: values at two different ones cannot be compared.
_REAL_BASES = tuple(code for code in PRICE_BASES if code not in ("not-applicable",))


@dataclass(frozen=True)
class Site:
    """Everything the writer puts under docs/: page texts and files copied byte for byte."""

    pages: Mapping[str, str]
    files: Mapping[str, Path]


@dataclass(frozen=True)
class Table:
    headers: list[Md]
    aligns: list[Md]
    rows: list[list[Md]]


@dataclass(frozen=True)
class Figure:
    """A figure ready to print: the indicator, the value with its qualifier and unit, and its source."""

    label: Md
    value: Md
    link: Md
    source: Md


@dataclass
class Context:
    """What every page needs to look up: the catalogue, and rows by key for references."""

    catalogue: Catalogue
    by_key: dict[tuple[str, str], dict[tuple[Any, ...], Row]] = field(default_factory=dict)

    def referenced_row(self, dataset: Dataset, fk: ForeignKey, row: Row) -> Row | None:
        target = (fk.package or dataset.name, fk.resource)
        if target not in self.by_key:
            resource = self.catalogue.resource(*target)
            index: dict[tuple[Any, ...], Row] = {}
            if resource is not None:
                for ref_row in resource.rows:
                    index[tuple(ref_row.cells.get(f) for f in fk.ref_fields)] = ref_row
            self.by_key[target] = index
        return self.by_key[target].get(tuple(row.cells.get(f) for f in fk.fields))


def environment() -> jinja2.Environment:
    """The template environment: undefined names fail, and plain strings are escaped for Markdown."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # noqa: S701 - HTML autoescape does not apply to Markdown: ``finalize`` escapes
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _finalize(value: object) -> object:
    if isinstance(value, jinja2.Undefined):
        return str(value)  # StrictUndefined raises, naming the missing variable
    if isinstance(value, Md):
        return value
    if isinstance(value, str):
        return mdsafe.text(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise TypeError(f"a template printed a {type(value).__name__}: format it in Python first")


def render_site(catalogue: Catalogue) -> Site:
    """Every page of the site, and every file it publishes."""
    env = environment()
    ctx = Context(catalogue)
    pages: dict[str, str] = {}
    files: dict[str, Path] = {}
    for dataset in catalogue.datasets:
        path = dataset_page(dataset.name)
        pages[path] = env.get_template("dataset.md.j2").render(**dataset_view(dataset, ctx, path))
        folder = posixpath.dirname(path)
        files[f"{folder}/{dataset.descriptor.name}"] = dataset.descriptor
        for resource in dataset.resources:
            if resource.path:
                files[f"{folder}/{resource.path}"] = dataset.folder / resource.path
    pages[f"{config.CATALOGUE_DIR}/index.md"] = env.get_template("catalogue.md.j2").render(**catalogue_view(catalogue))
    members = member_resource(catalogue)
    if members is not None:
        index = f"{config.MEMBERS_DIR}/index.md"
        pages[index] = env.get_template("members.md.j2").render(**members_view(members, ctx, index))
        for row in members.rows:
            path = member_page(str(row.cells["id"]))
            pages[path] = env.get_template("member.md.j2").render(**member_view(row, ctx, path))
    pages["index.md"] = env.get_template("home.md.j2").render(**home_view(ctx, "index.md"))
    pages[config.ABOUT_PAGE] = env.get_template("about.md.j2").render(**about_view(ctx, config.ABOUT_PAGE))
    return Site(dict(sorted(pages.items())), dict(sorted(files.items())))


# --- paths and links -------------------------------------------------------------------------------------


def dataset_page(name: str) -> str:
    return f"{config.CATALOGUE_DIR}/{name}/index.md"


def member_page(member_id: str) -> str:
    return f"{config.MEMBERS_DIR}/{member_id}.md"


def relative(from_page: str, to_path: str) -> str:
    """A link from one generated page to another page or file, as MkDocs resolves it (relative .md)."""
    return posixpath.relpath(to_path, posixpath.dirname(from_page) or ".")


def member_resource(catalogue: Catalogue) -> Resource | None:
    return catalogue.resource(*config.MEMBERS)


def _refers_to(fk: ForeignKey, dataset: Dataset, target: tuple[str, str]) -> bool:
    return (fk.package or dataset.name, fk.resource) == target


# --- values ------------------------------------------------------------------------------------------------


def plain_value(value: object, field_type: str) -> Md:
    """A typed cell with no reference or vocabulary to resolve, in Vietnamese format."""
    if value is None:
        return Md("")
    if isinstance(value, bool):
        return Md("có" if value else "không")
    if field_type in NUMERIC_TYPES and isinstance(value, (int, Decimal)):
        return mdsafe.text(formatting.number(value))
    if isinstance(value, datetime.datetime):
        return mdsafe.text(value.isoformat())
    if isinstance(value, datetime.date):
        return mdsafe.text(formatting.date(value))
    if isinstance(value, (list, dict)):
        return mdsafe.text(", ".join(str(v) for v in value) if isinstance(value, list) else str(value))
    return mdsafe.text(value)


def figure_value(cells: Mapping[str, Any]) -> Md:
    """``hơn 90.497 ha``: the value with its qualifier and unit, as a reader says it, on one line."""
    value = cells.get("value")
    if not isinstance(value, (int, Decimal)):
        return Md("")
    qualifier = QUALIFIERS.get(str(cells.get("qualifier")))
    unit = UNITS.get(str(cells.get("unit")))
    number = formatting.number(value)
    symbol = unit.symbol_vi if unit else ""
    if symbol == "%":  # Vietnamese writes 93,2% with no space
        number, symbol = number + symbol, ""
    return mdsafe.nowrap(qualifier.label_vi if qualifier else None, number, symbol)


def term_label(column: str, code: object) -> Md:
    vocabulary = OBSERVATION_VOCABULARIES.get(column, {})
    term = vocabulary.get(str(code)) if code is not None else None
    return mdsafe.text(term.label_vi if term else (code or ""))


def paragraphs_label(value: object) -> str:
    if not value:
        return ""
    return "đoạn " + ", ".join(str(value).split(";"))


def source_link(ctx: Context, source_id: object, paragraphs: object = None) -> Md:
    """``[Báo Gia Lai, tháng 1 năm 2024](url), đoạn 2``: one click to the source, and where in it."""
    resource = ctx.catalogue.resource(*config.SOURCES)
    row = next((r for r in resource.rows if r.cells.get("id") == source_id), None) if resource else None
    if row is None:
        return mdsafe.text(source_id)
    label = str(row.cells.get("publisher", source_id))
    if row.cells.get("published"):
        label += ", " + formatting.partial_date(str(row.cells["published"]))
    linked = mdsafe.link(label, str(row.cells.get("url", "")))
    where = paragraphs_label(paragraphs)
    return Md(f"{linked}, {mdsafe.text(where)}") if where else linked


def row_label(row: Row) -> str:
    """How a referenced row is named: its ``name`` or ``title``, else its first cell."""
    for key in ("name", "title"):
        if row.cells.get(key):
            return str(row.cells[key])
    return str(next(iter(row.cells.values()), ""))


def cell(dataset: Dataset, resource: Resource, fld: Field, row: Row, ctx: Context, page: str) -> Md:
    """One cell of a data table: references resolved to names and links, codes to labels, numbers in
    Vietnamese format."""
    value = row.cells.get(fld.name)
    if value is None:
        return Md("")
    for fk in resource.foreign_keys:
        if fk.fields != (fld.name,):
            continue
        if _refers_to(fk, dataset, config.SOURCES):
            return source_link(ctx, value, row.cells.get("source_paragraphs"))
        referenced = ctx.referenced_row(dataset, fk, row)
        if referenced is None:
            break
        if _refers_to(fk, dataset, config.MEMBERS):
            return mdsafe.internal_link(row_label(referenced), relative(page, member_page(str(value))))
        return mdsafe.text(row_label(referenced))
    if fld.categories and str(value) in fld.categories:
        return mdsafe.text(fld.categories[str(value)].vi)
    if resource.is_observations:
        if fld.name == "value":
            return figure_value(row.cells)
        if fld.name in OBSERVATION_VOCABULARIES:
            return term_label(fld.name, value)
    if fld.name == "source_paragraphs":
        return mdsafe.text(paragraphs_label(value))
    if isinstance(value, str) and fld.type == "string" and value.startswith("https://"):
        return mdsafe.link(value, value)
    return plain_value(value, fld.type)


def shown_fields(resource: Resource, hide: Iterable[str] = ()) -> list[Field]:
    """The columns a page shows: an observations table folds unit and qualifier into the value, and the
    paragraph into the source link."""
    hidden = set(hide) | {"source_paragraphs"} if "source_id" in resource.field_names else set(hide)
    if resource.is_observations:
        hidden |= {"unit", "qualifier"}
    return [f for f in resource.fields if f.name not in hidden]


def data_table(
    dataset: Dataset, resource: Resource, rows: Iterable[Row], ctx: Context, page: str, hide: Iterable[str] = ()
) -> Table:
    fields = shown_fields(resource, hide)
    return Table(
        headers=[mdsafe.text(f.title.vi) for f in fields],
        aligns=[RIGHT if f.type in NUMERIC_TYPES else LEFT for f in fields],
        rows=[[cell(dataset, resource, f, row, ctx, page) for f in fields] for row in rows],
    )


def comparability_notes(dataset: Dataset, resource: Resource, rows: Iterable[Row], ctx: Context) -> list[Md]:
    """Warnings derived from the data: figures of one indicator and year at different price bases or in
    different units, and figures that are lower bounds ("more than")."""
    if not resource.is_observations:
        return []
    rows = list(rows)
    notes: list[Md] = []
    groups: dict[tuple[Any, ...], list[Row]] = {}
    for row in rows:
        groups.setdefault((row.cells.get("indicator_id"), row.cells.get("year")), []).append(row)
    indicator_fk = next((fk for fk in resource.foreign_keys if fk.fields == ("indicator_id",)), None)
    for (_, year), members in groups.items():
        bases = sorted({str(r.cells.get("price_basis")) for r in members} & set(_REAL_BASES))
        units = sorted({str(r.cells.get("unit")) for r in members})
        if len(bases) < 2 and len(units) < 2:
            continue
        referenced = ctx.referenced_row(dataset, indicator_fk, members[0]) if indicator_fk else None
        name = row_label(referenced) if referenced else str(members[0].cells.get("indicator_id"))
        if len(bases) > 1:
            labels = "; ".join(PRICE_BASES[b].label_vi for b in bases)
            notes.append(
                mdsafe.text(
                    f"{name} ({year}): các giá trị được tính theo những loại giá khác nhau "
                    f"({labels}) nên không so sánh, xếp hạng hay cộng dồn trực tiếp được."
                )
            )
        if len(units) > 1:
            labels = "; ".join(UNITS[u].label_vi if u in UNITS else u for u in units)
            notes.append(mdsafe.text(f"{name} ({year}): các giá trị có đơn vị khác nhau ({labels})."))
    if any(r.cells.get("qualifier") for r in rows):
        notes.append(
            mdsafe.text(
                "\u201chơn\u201d: nguồn chỉ cho biết số thật lớn hơn con số được ghi; "
                "con số này không phải số chính xác."
            )
        )
    return notes


# --- views -------------------------------------------------------------------------------------------------


def _resource_view(dataset: Dataset, resource: Resource, ctx: Context, page: str) -> dict[str, Any]:
    return {
        "anchor": Md(resource.name),
        "title": mdsafe.text(resource.title.vi),
        "description": mdsafe.paragraphs(resource.description.vi),
        "download": mdsafe.internal_link(posixpath.basename(resource.path), resource.path) if resource.path else Md(""),
        "row_count": mdsafe.text(formatting.number(len(resource.rows))),
        "table": data_table(dataset, resource, resource.rows, ctx, page),
        "notes": comparability_notes(dataset, resource, resource.rows, ctx),
        "dictionary": Table(
            headers=[Md("Cột"), Md("Tên"), Md("Kiểu"), Md("Bắt buộc"), Md("Mô tả")],
            aligns=[LEFT] * 5,
            rows=[
                [
                    mdsafe.text(f.name),
                    mdsafe.text(f.title.vi),
                    mdsafe.text(f.type),
                    Md("có" if f.required or f.name in resource.primary_key else "không"),
                    mdsafe.text(f.description.vi),
                ]
                for f in resource.fields
            ],
        ),
        "primary_key": mdsafe.text(", ".join(resource.primary_key)),
    }


def dataset_view(dataset: Dataset, ctx: Context, page: str) -> dict[str, Any]:
    source_ids: list[str] = []
    for resource in dataset.resources:
        for fk in resource.foreign_keys:
            if _refers_to(fk, dataset, config.SOURCES):
                for row in resource.rows:
                    value = row.cells.get(fk.fields[0])
                    if value is not None and str(value) not in source_ids:
                        source_ids.append(str(value))
    return {
        "front_title": mdsafe.front_matter_title(dataset.title.vi),
        "title": mdsafe.text(dataset.title.vi),
        "description": mdsafe.paragraphs(dataset.description.vi),
        "name": mdsafe.text(dataset.name),
        "version": mdsafe.text(dataset.version),
        "keywords": mdsafe.text(", ".join(dataset.keywords)),
        "licenses": [mdsafe.link(lic.title or lic.name, lic.path) for lic in dataset.licenses],
        "descriptor": mdsafe.internal_link(dataset.descriptor.name, dataset.descriptor.name),
        "sources": [source_link(ctx, sid) for sid in sorted(source_ids)],
        "resources": [_resource_view(dataset, r, ctx, page) for r in dataset.resources],
        "catalogue": mdsafe.internal_link("Danh mục dữ liệu", relative(page, f"{config.CATALOGUE_DIR}/index.md")),
    }


def catalogue_view(catalogue: Catalogue) -> dict[str, Any]:
    page = f"{config.CATALOGUE_DIR}/index.md"
    return {
        "datasets": [
            {
                "link": mdsafe.internal_link(d.title.vi, relative(page, dataset_page(d.name))),
                "description": mdsafe.text(d.description.vi),
                "resources": mdsafe.text(formatting.number(len(d.resources))),
                "rows": mdsafe.text(formatting.number(sum(len(r.rows) for r in d.resources))),
                "keywords": mdsafe.text(", ".join(d.keywords)),
            }
            for d in catalogue.datasets
        ],
    }


def members_view(members: Resource, ctx: Context, page: str) -> dict[str, Any]:
    dataset = ctx.catalogue.get(config.MEMBERS[0])
    assert dataset is not None
    table = data_table(dataset, members, members.rows, ctx, page, hide=("id", "source_id", "ended_source_id"))
    # The first column names the member: link it to the member's page.
    for row, cells in zip(members.rows, table.rows, strict=True):
        cells[0] = mdsafe.internal_link(row_label(row), relative(page, member_page(str(row.cells["id"]))))
    return {"table": table, "count": mdsafe.text(formatting.number(len(members.rows)))}


def member_view(member: Row, ctx: Context, page: str) -> dict[str, Any]:
    """A member's page: its own record, then every row of every dataset that refers to it."""
    members_dataset = ctx.catalogue.get(config.MEMBERS[0])
    members = member_resource(ctx.catalogue)
    assert members_dataset is not None and members is not None
    facts = [
        (mdsafe.text(f.title.vi), cell(members_dataset, members, f, member, ctx, page))
        for f in members.fields
        if f.name not in ("id", "name")
    ]
    sections = []
    # Datasets of figures first, then the others (roles, conferences), each group by name.
    for dataset in sorted(
        ctx.catalogue.datasets, key=lambda d: (not any(r.is_observations for r in d.resources), d.name)
    ):
        blocks = []
        for resource in dataset.resources:
            for fk in resource.foreign_keys:
                if not _refers_to(fk, dataset, config.MEMBERS) or len(fk.fields) != 1:
                    continue
                rows = [r for r in resource.rows if r.cells.get(fk.fields[0]) == member.cells["id"]]
                if not rows:
                    continue
                blocks.append(
                    {
                        "title": mdsafe.text(resource.title.vi),
                        "table": data_table(dataset, resource, rows, ctx, page, hide=fk.fields),
                        "notes": comparability_notes(dataset, resource, rows, ctx),
                    }
                )
        if blocks:
            sections.append(
                {
                    "title": mdsafe.text(dataset.title.vi),
                    "link": mdsafe.internal_link("Xem bộ dữ liệu", relative(page, dataset_page(dataset.name))),
                    "blocks": blocks,
                }
            )
    ended = member.cells.get("district_level_ended")
    return {
        "front_title": mdsafe.front_matter_title(row_label(member)),
        "name": mdsafe.text(row_label(member)),
        "official_name": mdsafe.text(member.cells.get("official_name", "")),
        "ended": mdsafe.text(formatting.date(ended)) if isinstance(ended, datetime.date) else Md(""),
        "facts": facts,
        "sections": sections,
        "index": mdsafe.internal_link("Tất cả địa phương", relative(page, f"{config.MEMBERS_DIR}/index.md")),
    }


def key_figures(ctx: Context, page: str) -> tuple[Md, list[Figure]]:
    """The cluster-wide figures (observations that refer to no member) of the latest year they cover."""
    candidates: list[tuple[Dataset, Resource, Row]] = []
    for dataset in ctx.catalogue.datasets:
        for resource in dataset.resources:
            per_member = any(_refers_to(fk, dataset, config.MEMBERS) for fk in resource.foreign_keys)
            if resource.is_observations and "year" in resource.field_names and not per_member:
                candidates.extend((dataset, resource, row) for row in resource.rows)
    years = [row.cells["year"] for _, _, row in candidates if isinstance(row.cells.get("year"), int)]
    if not years:
        return Md(""), []
    latest = max(years)
    figures = []
    for dataset, resource, row in candidates:
        if row.cells.get("year") != latest:
            continue
        fk = next((k for k in resource.foreign_keys if k.fields == ("indicator_id",)), None)
        indicator = ctx.referenced_row(dataset, fk, row) if fk else None
        figures.append(
            Figure(
                label=mdsafe.text(row_label(indicator) if indicator else row.cells.get("indicator_id")),
                value=figure_value(row.cells),
                link=mdsafe.internal_link(dataset.title.vi, relative(page, dataset_page(dataset.name))),
                source=source_link(ctx, row.cells.get("source_id"), row.cells.get("source_paragraphs")),
            )
        )
    return mdsafe.text(str(latest)), figures


def _member_links(ctx: Context, page: str) -> list[Md]:
    members = member_resource(ctx.catalogue)
    if members is None:
        return []
    return [mdsafe.internal_link(row_label(r), relative(page, member_page(str(r.cells["id"])))) for r in members.rows]


def _ended_dates(ctx: Context) -> list[Md]:
    members = member_resource(ctx.catalogue)
    values = {r.cells.get("district_level_ended") for r in members.rows} if members else set()
    dates = sorted(d for d in values if isinstance(d, datetime.date))
    return [mdsafe.text(formatting.date(d)) for d in dates]


def home_view(ctx: Context, page: str) -> dict[str, Any]:
    year, figures = key_figures(ctx, page)
    return {
        "members": _member_links(ctx, page),
        "ended": _ended_dates(ctx),
        "year": year,
        "figures": figures,
        "catalogue": mdsafe.internal_link("Danh mục dữ liệu", f"{config.CATALOGUE_DIR}/index.md"),
        "members_page": mdsafe.internal_link("Các địa phương", f"{config.MEMBERS_DIR}/index.md"),
        "about": mdsafe.internal_link("Giới thiệu và phương pháp", config.ABOUT_PAGE),
        "datasets": [
            mdsafe.internal_link(d.title.vi, relative(page, dataset_page(d.name))) for d in ctx.catalogue.datasets
        ],
    }


def about_view(ctx: Context, page: str) -> dict[str, Any]:
    sources = ctx.catalogue.resource(*config.SOURCES)
    sources_dataset = ctx.catalogue.get(config.SOURCES[0])
    table = (
        data_table(sources_dataset, sources, sources.rows, ctx, page, hide=("id", "language"))
        if sources and sources_dataset
        else None
    )
    return {
        "members": _member_links(ctx, page),
        "ended": _ended_dates(ctx),
        "sources": table,
        "price_bases": [(mdsafe.text(t.code), mdsafe.text(t.label_vi)) for t in PRICE_BASES.values()],
        "qualifiers": [(mdsafe.text(t.code), mdsafe.text(t.label_vi)) for t in QUALIFIERS.values()],
        "units": [(mdsafe.text(t.code), mdsafe.text(t.label_vi)) for t in UNITS.values()],
        "sources_dataset": mdsafe.internal_link("Nguồn tài liệu", relative(page, dataset_page(config.SOURCES[0])))
        if sources_dataset
        else Md(""),
    }
