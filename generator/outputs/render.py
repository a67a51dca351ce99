"""Outputs: turn the validated catalogue into pages (Markdown text in memory) and files to publish.

Python decides what a page says (the ``*_view`` functions); templates in ``templates/`` only lay it out.
Every value that came from a data file reaches a template as ``mdsafe.Md`` (escaped) or as a plain ``str``
that the environment escapes.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import html
import posixpath
import unicodedata
from collections import Counter
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2

from generator import cache, config, i18n, mdsafe, timings, workers
from generator.mdsafe import Md
from generator.models import Catalogue, Dataset, Resource, Row, rows_by, rows_where
from generator.outputs import social, widgets
from generator.outputs.charts import Chart, bar_chart, figure_bars, line_chart, series_points, unit_label
from generator.outputs.citation import cite
from generator.outputs.exports import (
    KINDS,
    Download,
    Exports,
    build_exports,
    change_text,
    export_keys,
    published_files,
    schema_org,
)
from generator.outputs.figures import (
    FigureRow,
    chart_basis,
    comparability_notes,
    complete_year,
    data_notes,
    figure_rows,
    outside_ranking,
    ranking,
    series_table,
    years,
)
from generator.outputs.held import Blobs, Packed, Pages, pack
from generator.outputs.registry import DCAT_FILE, FEED_FILE, chart_folder, dcat_path
from generator.outputs.tables import (
    LEFT,
    RIGHT,
    Context,
    MemberTables,
    Table,
    cell,
    conflicts_page_link,
    data_table,
    dataset_page,
    documented_conflicts,
    figure_parts,
    figure_value,
    in_language,
    member_page,
    page_address,
    plain_value,
    refers_to,
    relative,
    row_label,
    shown_fields,
    source_label,
    source_link,
    table_keys,
)
from generator.outputs.widgets import Card
from generator.vocab import (
    CONFLICT_KINDS,
    DISAGREEMENT,
    ESTIMATE,
    FULL_YEAR,
    PERIODS,
    PLAN_TARGET,
    PRICE_BASES,
    QUALIFIERS,
    RESULT,
    STANDARDS,
    STATUSES,
    UNITS,
)

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Site:
    """Everything the writer puts under docs/: page texts, generated files, and files copied byte for byte."""

    pages: Mapping[str, str]
    files: Mapping[str, Path]
    blobs: Mapping[str, bytes] = field(default_factory=dict)

    def paths(self) -> Iterator[str]:
        """Every path the writer puts under docs/: the pages, then the copied files, then the generated ones."""
        yield from self.pages
        yield from self.files
        yield from self.blobs

    def content(self, path: str) -> bytes | Path:
        """What is written at ``path``: its bytes, or the file to copy (a large table's is never held whole)."""
        if path in self.files:
            return self.files[path]
        if path in self.blobs:
            return self.blobs[path]
        return self.pages.encoded(path) if isinstance(self.pages, Pages) else self.pages[path].encode("utf-8")

    def digest(self, path: str) -> str:
        """The SHA-256 of what is written at ``path``, in hexadecimal: for pages and generated files, the one
        taken when they were made (``held``)."""
        for held in (self.pages, self.blobs):
            if isinstance(held, Pages | Blobs) and path in held:
                return held.digest(path)
        content = self.content(path)
        return cache.file_digest(content).hex() if isinstance(content, Path) else hashlib.sha256(content).hexdigest()


def environment(lang: str = i18n.DEFAULT) -> jinja2.Environment:
    """The template environment of one language: undefined names fail, plain strings are escaped for
    Markdown, and ``_("...")`` translates an interface string."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # noqa: S701 - HTML autoescape does not apply to Markdown: ``finalize`` escapes
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["_"] = _template_gettext(i18n.translator("site", lang))
    env.globals["lang"] = lang
    env.globals["front_title"] = mdsafe.front_matter_title
    env.filters["join_md"] = _join_md
    return env


def _join_md(values: list[Md], separator: str) -> Md:
    """Escaped values joined by a separator the template writes (``", "``)."""
    return Md(separator.join(v if isinstance(v, Md) else mdsafe.text(v) for v in values))


def _template_gettext(translator: i18n.Translator) -> Any:
    """``_("Cập nhật: {date}", date=value)`` in a template: the translation is our own Markdown (trusted);
    each value put into it is escaped unless it is already ``Md``."""

    def gettext(message: str, **values: object) -> Md:
        translated = translator.gettext(message)
        if not values:
            return Md(translated)
        return Md(translated.format(**{k: v if isinstance(v, Md) else mdsafe.text(v) for k, v in values.items()}))

    return gettext


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


def render_site(catalogue: Catalogue, cache_dir: Path | None = None) -> Site:
    """Every page of the site in every language, and every file it publishes (once, for all languages).
    ``cache_dir``: where the exports of large tables are written (see ``exports.build_exports``) and drawn
    charts are kept, so that the next build does not make them again."""
    with timings.stage("render"):
        return _render_site(catalogue, cache_dir)


def _render_site(catalogue: Catalogue, cache_dir: Path | None) -> Site:
    digests = {d.name: cache.dataset_digest(d) for d in catalogue.datasets} if cache_dir else {}
    spill = cache_dir / "exports" if cache_dir else None
    with timings.stage("render.exports"):
        exports = build_exports(catalogue, spill, export_keys(catalogue, digests) if cache_dir else None)
    workers.give_back()  # the workbooks and archives were made in memory, then written or compressed
    pages = Pages()
    files: dict[str, Path] = dict(exports.files)
    blobs = exports.blobs.copy()
    for dataset in catalogue.datasets:
        folder = posixpath.dirname(dataset_page(dataset.name))
        files.update({f"{folder}/{name}": source for name, source in published_files(dataset).items()})
    keys = table_keys(catalogue, digests) if cache_dir else {}
    kept_pages: set[str] = set()
    member_rows: dict[object, MemberTables] = {}  # every language's member pages pick the same rows
    coverage: dict[str, tuple[frozenset[str], frozenset[str]]] = {}  # and its catalogue the same datasets' rows
    contexts = [
        Context(
            catalogue,
            lang,
            cache_dir,
            table_keys=keys,
            pages_kept=kept_pages,
            member_rows=member_rows,
            coverage=coverage,
        )
        for lang in i18n.LANGUAGES
    ]
    previews = [page_previews(ctx) for ctx in contexts]
    with timings.stage("render.cards"):
        cards = _cards(previews, contexts, cache_dir)
    while contexts:  # each language's context let go of once its pages are made: it holds their charts
        ctx, shown, drawn = contexts.pop(0), previews.pop(0), cards.pop(0)
        prefix = i18n.prefix(ctx.lang)
        with timings.stage(f"render.pages.{ctx.lang}"):
            made = render_pages(ctx, exports, shown)
        for path in made:
            if path in shown:  # every page has a preview (tests/test_previews.py), and so a card
                card = drawn[path]
                if isinstance(card, Path):
                    files[prefix + social.card_path(path)] = card
                else:
                    blobs[prefix + social.card_path(path)] = card
            pages.put_packed(prefix + path, made.packed(path))  # as made: not compressed again
        blobs.update({prefix + path: data for path, data in ctx.charts.items()})
    if cache_dir is not None and (cache_dir / PAGES).is_dir():  # every dataset page was made or kept above
        for old in (cache_dir / PAGES).iterdir():
            if old.is_file() and old.name.removesuffix(cache.DIGEST_SUFFIX) not in kept_pages:
                cache.discard(old)
    if shared := (pages.keys() & files.keys()) | (pages.keys() & blobs.keys()) | (files.keys() & blobs.keys()):
        # validate's output-collision check keeps every published path unique; this is the renderer's own
        # guarantee that no output silently replaces another
        raise RuntimeError(f"two outputs would be published as {sorted(shared)[0]}")
    return Site(pages.in_order(), dict(sorted(files.items())), blobs.in_order())


def _cards(
    previews: Sequence[Mapping[str, social.Preview]], contexts: Sequence[Context], cache_dir: Path | None
) -> list[dict[str, bytes | Path]]:
    """Each language's cards by page, drawn on every core (``social.card_pngs``) before any page is made:
    the helpers are forked from this process before it holds the charts' renderer and what the pages took."""
    wanted = [(i, path) for i, shown in enumerate(previews) for path in shown]
    names = [ctx.catalogue.site.title(ctx.lang) for ctx in contexts]
    drawn = social.card_pngs([(previews[i][path], names[i]) for i, path in wanted], cache_dir)
    cards: list[dict[str, bytes | Path]] = [{} for _ in previews]
    for (i, path), card in zip(wanted, drawn, strict=True):
        cards[i][path] = card
    return cards


def render_pages(ctx: Context, exports: Exports, previews: Mapping[str, social.Preview]) -> Pages:
    """The pages of one language, by path inside that language's folder. A page with a preview in
    ``previews`` carries its description and card in its front matter (``social.front_matter``)."""
    env = environment(ctx.lang)
    pages = Pages()

    def put(path: str, text: str) -> None:
        pages[path] = _with_front(text, _front(previews, path))

    template = env.get_template("dataset.md.j2")
    for dataset in ctx.catalogue.datasets:
        path = dataset_page(dataset.name)
        pages.put_packed(path, kept_dataset_page(dataset, ctx, path, exports, template, _front(previews, path)))
    for path, view in catalogue_views(ctx, exports):
        put(path, env.get_template("catalogue.md.j2").render(**view))
    members = member_resource(ctx.catalogue)
    if members is not None:
        index = f"{config.MEMBERS_DIR}/index.md"
        put(index, env.get_template("members.md.j2").render(**members_view(members, ctx, index)))
        for row in members.rows:
            path = member_page(str(row.cells["id"]))
            put(path, env.get_template("member.md.j2").render(**member_view(row, ctx, path)))
    put("index.md", env.get_template("home.md.j2").render(**home_view(ctx, "index.md")))
    about = f"about.{ctx.lang}.md.j2" if ctx.lang != i18n.DEFAULT else "about.md.j2"
    put(config.ABOUT_PAGE, env.get_template(about).render(**about_view(ctx, config.ABOUT_PAGE)))
    comparison = f"{config.COMPARISON_DIR}/index.md"
    put(comparison, env.get_template("comparison.md.j2").render(**comparison_view(ctx, comparison)))
    conflicts = f"{config.CONFLICTS_DIR}/index.md"  # always there (the navigation names it), even if empty
    put(conflicts, env.get_template("conflicts.md.j2").render(**conflicts_view(ctx, conflicts)))
    return pages


def _front(previews: Mapping[str, social.Preview], path: str) -> str | None:
    """The front-matter lines of the page ``path`` (None when it has no preview)."""
    preview = previews.get(path)
    return social.front_matter(preview, path) if preview is not None else None


def _with_front(text: str, front: str | None) -> str:
    """``text`` with the front-matter lines ``front`` (``_front``) added, if there are any."""
    return social.with_front_matter(text, front) if front is not None else text


PAGES = "pages"  # the cache folder of dataset pages


def kept_dataset_page(
    dataset: Dataset, ctx: Context, path: str, exports: Exports, template: jinja2.Template, front: str | None
) -> Packed:
    """A dataset's page (``dataset_view`` laid out by ``template``, with the front-matter lines ``front``) as
    ``Pages`` holds it, and the charts it draws, kept between builds under ``ctx.cache_dir``: the key is its
    tables' (``table_keys``: the generator, the dataset, the datasets it names, the site) with its downloads,
    its history, its dates, the language, the page and its front matter. An unchanged dataset's page is not
    made again, nor compressed or hashed again: at a thousand datasets that is most of a rebuild's work."""

    def text() -> bytes:
        return _with_front(template.render(**dataset_view(dataset, ctx, path, exports)), front).encode("utf-8")

    key = ctx.table_keys.get(dataset.name)
    if ctx.cache_dir is None or key is None:
        return pack(text())
    downloads = [exports.by_resource.get((dataset.name, r.name), ()) for r in dataset.resources]
    inputs = repr((downloads, exports.by_dataset.get(dataset.name), dataset.history))
    page_key = cache.key_of(key, inputs, f"{dataset.modified}:{dataset.issued}", ctx.lang, path, repr(front))

    def make() -> dict[str, Any]:
        before = set(ctx.charts)
        packed = pack(text())
        drawn = {p: base64.b64encode(data).decode("ascii") for p, data in ctx.charts.items() if p not in before}
        return {"page": base64.b64encode(packed.data).decode("ascii"), "sha256": packed.sha256.hex(), "charts": drawn}

    kept = cache.kept(ctx.cache_dir / PAGES, page_key, make)
    ctx.pages_kept.add(f"{page_key}.json")
    for chart_path, encoded in sorted(kept["charts"].items()):
        standalone = base64.b64decode(encoded)
        if ctx.charts.setdefault(chart_path, standalone) != standalone:
            raise RuntimeError(f"two different charts would be published as {chart_path}")
    return Packed(base64.b64decode(kept["page"]), bytes.fromhex(kept["sha256"]))


def page_previews(ctx: Context) -> dict[str, social.Preview]:
    """Each page as a link preview shows it (``social``): its title, a description of its own and its key
    figure, in the page's language."""
    site = ctx.catalogue.site
    name, about = site.title(ctx.lang), site.about(ctx.lang)
    datasets = ctx.catalogue.datasets
    figures = sum(r.count for d in datasets for r in d.resources if r.is_observations)
    sources = {
        row.cells["source_id"]
        for d in datasets
        for r in d.resources
        if not r.large and "source_id" in r.field_names
        for row in r.rows
        if row.cells.get("source_id")
    }
    count = ctx._("{datasets} bộ dữ liệu · {figures} số liệu · {sources} nguồn").format(
        datasets=ctx.number(len(datasets)), figures=ctx.number(figures), sources=ctx.number(len(sources))
    )
    previews = {"index.md": social.Preview(name, about, count)}
    for dataset in datasets:
        title = ctx.pick(dataset.title)
        previews[dataset_page(dataset.name)] = social.Preview(
            title,
            ctx.pick(dataset.description) or title,
            _dataset_figure(dataset, ctx),
            _from_page(dataset_page(dataset.name), ctx, dcat_path(dataset.name)),
        )
    catalogue = catalogue_pages(len(datasets))
    for number, page in enumerate(catalogue):
        previews[page] = social.Preview(
            catalogue_title(ctx, number, len(catalogue)),
            ctx._(
                "Danh mục {count} bộ dữ liệu mở của Cụm thi đua số 2, mỗi bộ tải về được dạng CSV, Excel và JSON, "
                "kèm mô tả và nguồn."
            ).format(count=ctx.number(len(datasets))),
            count,
        )
    members = member_resource(ctx.catalogue)
    if members is not None:
        names = [row_label(row, ctx.lang) for row in members.rows]
        previews[f"{config.MEMBERS_DIR}/index.md"] = social.Preview(
            ctx._("Các địa phương"),
            ctx._(
                "Các địa phương của Cụm thi đua số 2: {names}. Mỗi trang mở đầu bằng số liệu mới nhất, kèm nguồn."
            ).format(names=", ".join(names)),
        )
        for row in members.rows:
            member = row_label(row, ctx.lang)
            figure = _member_figure(row, ctx)
            previews[member_page(str(row.cells["id"]))] = social.Preview(
                member,
                " ".join(
                    p
                    for p in (
                        ctx._("Số liệu của {member} (Cụm thi đua số 2, tỉnh Gia Lai), mỗi số kèm nguồn.").format(
                            member=member
                        ),
                        figure,
                    )
                    if p
                ),
                figure,
            )
    previews[config.ABOUT_PAGE] = social.Preview(
        ctx._("Giới thiệu và phương pháp"),
        ctx._(
            "Cách trang này lấy, kiểm tra và trình bày số liệu: nguồn và đoạn văn của mỗi số, loại giá, chuẩn đo, "
            "số ước tính và mâu thuẫn giữa các nguồn."
        ),
    )
    previews[f"{config.COMPARISON_DIR}/index.md"] = social.Preview(
        ctx._("So sánh các địa phương"),
        ctx._(
            "Các địa phương của Cụm thi đua số 2 theo từng chỉ tiêu và năm: chỉ xếp hạng những số so sánh được, "
            "và nói lý do với những số không."
        ),
    )
    conflicts = ctx.catalogue.resource(*config.CONFLICTS)
    previews[f"{config.CONFLICTS_DIR}/index.md"] = social.Preview(
        ctx._("Mâu thuẫn giữa các nguồn"),
        ctx._(
            "{count} trường hợp các nguồn nói khác nhau, tưởng là khác nhau, hoặc số liệu không được đưa lên: "
            "số nào được dùng và vì sao."
        ).format(count=ctx.number(len(conflicts.rows) if conflicts else 0)),
    )
    return previews


def _dataset_figure(dataset: Dataset, ctx: Context) -> str:
    """``91 số liệu, 2019–2025, từ 30 nguồn`` for a dataset of figures; ``12 dòng`` for another."""
    observations = [r for r in dataset.resources if r.is_observations]
    if not observations:
        return ctx._("{rows} dòng").format(rows=ctx.number(sum(r.count for r in dataset.resources)))
    rows = [row for r in observations if not r.large for row in r.rows]
    years = sorted({str(row.cells["year"]) for row in rows if row.cells.get("year") is not None})
    sources = {row.cells.get("source_id") for row in rows if row.cells.get("source_id")}
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else "".join(years)
    return ctx._("{figures} số liệu, {years}, từ {sources} nguồn").format(
        figures=ctx.number(sum(r.count for r in observations)), years=span, sources=ctx.number(len(sources))
    )


def _member_figure(member: Row, ctx: Context) -> str:
    """The member's latest full-year figure of the home page's indicator, as a sentence: ``Tổng giá trị sản
    xuất năm 2024: 2.947,907 tỷ đồng (giá so sánh năm 2010)``; empty when it has none."""
    dataset = ctx.catalogue.get(config.HOME_CHART[0])
    if dataset is None:
        return ""
    for resource, _field, rows in _member_rows(dataset, member):
        if not resource.is_observations:
            continue
        figures = figure_rows(dataset, resource, rows, ctx)
        first = next(iter(dict.fromkeys(f.indicator_id for f in figures)), None)
        latest = _latest([f for f in figures if f.indicator_id == first])
        if latest:
            figure = latest[0]
            qualities = _qualities(figure, ctx)
            value = " ".join(figure_parts(figure.row.cells, ctx))
            shown = f"{value} ({'; '.join(qualities)})" if qualities else value
            return ctx._("{indicator} năm {year}: {value}").format(
                indicator=figure.indicator, year=figure.year, value=shown
            )
    return ""


def shared_link(label: object, ctx: Context, page: str, path: str) -> Md:
    """A link from a page to a file every language shares (downloads, catalogues), published once at the
    site's root: an ordinary link on a Vietnamese page; from an English page one more folder up, as HTML
    (the English site is built from its own folder, so MkDocs cannot see the file)."""
    prefix = i18n.prefix(ctx.lang)
    if not prefix:
        return mdsafe.internal_link(label, relative(page, path))
    return mdsafe.html_link(label, _from_page(page, ctx, path))


def _from_page(page: str, ctx: Context, path: str) -> str:
    """The address of ``path`` (a file every language shares, from the site's root) relative to the address
    ``page`` is served at in its language (``x/name.md`` is served at ``x/name/``): for HTML links and the
    page's head, which MkDocs does not rewrite."""
    return posixpath.relpath(path, (i18n.prefix(ctx.lang) + page_address(page)) or ".")


def member_resource(catalogue: Catalogue) -> Resource | None:
    return catalogue.resource(*config.MEMBERS)


def _per_member(dataset: Dataset, resource: Resource) -> bool:
    return any(refers_to(fk, dataset, config.MEMBERS) for fk in resource.foreign_keys)


# --- charts ---------------------------------------------------------------------------------------------------


def chart_view(chart: Chart, ctx: Context, page: str, left_out: str = "") -> dict[str, Any]:
    """A chart on a page: inline, with a link to its standalone file and a snippet to embed it elsewhere, and
    the figures of its group it does not draw (``left_out``), with why."""
    if ctx.charts.setdefault(chart.path, chart.standalone) != chart.standalone:
        # validate makes every chart's path unique (an indicator in one table of a dataset); two charts on
        # one path would publish one where the other's page links
        raise RuntimeError(f"two different charts would be published as {chart.path}")
    site = ctx.catalogue.site.url
    path = i18n.prefix(ctx.lang) + chart.path
    address = site + path if site else "/" + path
    alt = html.escape(chart.title, quote=True)
    return {
        "title": mdsafe.text(chart.title),
        "figure": mdsafe.svg_figure(chart.inline),
        "file": mdsafe.internal_link(ctx._("Tải biểu đồ (SVG)"), relative(page, chart.path)),
        "embed": mdsafe.code_block(f'<img src="{address}" alt="{alt}" width="680">'),
        "left_out": mdsafe.text(left_out),
    }


def _source_line(ctx: Context, figures: list[FigureRow]) -> str:
    """``Nguồn: Báo Gia Lai (tháng 1 năm 2024); ...``: printed inside standalone charts."""
    labels = []
    for source_id in dict.fromkeys(str(f.row.cells.get("source_id")) for f in figures):
        row = ctx.source(source_id)
        if row is not None:
            published = row.cells.get("published")
            labels.append(
                f"{row.cells.get('publisher')}" + (f" ({ctx.partial_date(str(published))})" if published else "")
            )
    return ctx._("Nguồn: {sources}. {site}.").format(sources="; ".join(labels), site=ctx.catalogue.site.title(ctx.lang))


ACROSS_YEARS = "cac-nam"  # the file of an indicator's chart across the years, beside its charts of one year


def indicator_charts(
    dataset: Dataset, group: list[FigureRow], by_member: bool, ctx: Context, page: str, folder: str
) -> list[dict[str, Any]]:
    """Charts of one indicator: by member for each year (per-member data), or by year (cluster data, or one
    member's figures). Only full-year figures are drawn, never plan targets; a chart by member for one year
    draws results only (an estimate is not compared with results). What is left out is named under the
    chart. Each is published as ``<folder>/<indicator>/<year>.svg`` or ``.../cac-nam.svg``: ``folder`` names
    the page and the dataset, and an indicator's figures are in one table of its dataset (validate)."""
    if len({f.unit for f in group}) != 1:
        return []  # no chart puts values in different units on one axis
    indicator, unit = group[0].indicator, unit_label(group, ctx)
    views = []
    if by_member and group[0].uncompared:
        return []  # the sources use one name for different things: no chart sets the members side by side
    if by_member:
        for year in reversed(years(group)):  # the latest year first: the answer first
            of_year = [f for f in group if f.year == year]
            drawn = [f for f in of_year if f.chartable and f.status == RESULT]
            if not drawn:
                continue
            chart = bar_chart(
                f"{folder}/{group[0].indicator_id}/{year}.svg",
                f"{indicator} ({year})",
                unit,
                figure_bars(drawn, label_of_member=True, ctx=ctx),
                _source_line(ctx, drawn),
                ctx,
                reference=group[0].reference,
                basis=_basis_words(drawn, ctx),
            )
            views.append(chart_view(chart, ctx, page, _left_out([f for f in of_year if f not in drawn], True, ctx)))
    else:
        drawn = [f for f in group if f.chartable]
        if not drawn:
            return []
        path = f"{folder}/{group[0].indicator_id}/{ACROSS_YEARS}.svg"
        if len(years(drawn)) > 1:  # across the years: a line, broken at gaps and series breaks
            points = series_points(drawn, ctx)
            source = _source_line(ctx, drawn)
            chart = line_chart(
                path, indicator, unit, points, source, ctx, reference=group[0].reference, basis=_basis_words(drawn, ctx)
            )
        else:
            bars = figure_bars(drawn, label_of_member=False, ctx=ctx)
            source = _source_line(ctx, drawn)
            chart = bar_chart(
                path,
                indicator,
                unit,
                bars,
                source,
                ctx,
                sort=False,
                reference=group[0].reference,
                basis=_basis_words(drawn, ctx),
            )
        views.append(chart_view(chart, ctx, page, _left_out(outside_ranking(group), False, ctx)))
    return views


def _basis_words(figures: list[FigureRow], ctx: Context) -> str:
    """The price basis a chart states under its title, in the page's language (``giá so sánh năm 2010``)."""
    code = chart_basis(figures)
    return ctx.term(PRICE_BASES[code]) if code else ""


def _left_out(figures: list[FigureRow], with_member: bool, ctx: Context) -> str:
    """``Không vẽ trong biểu đồ: chỉ tính một phần của năm: 2024, 6 tháng; 2025, 6 tháng.``: the figures of a
    group a chart does not draw, grouped by why."""
    if not figures:
        return ""
    reasons: dict[str, dict[str, None]] = {}
    for figure in figures:
        if not figure.full_year:
            why = ctx._("chỉ tính một phần của năm")
        elif figure.status == PLAN_TARGET:
            why = ctx._("chỉ tiêu kế hoạch")
        else:
            why = ctx._("số ước tính, chưa phải kết quả")
        reasons.setdefault(why, {})[figure.label(with_member)] = None
    parts = [f"{why}: {'; '.join(labels)}" for why, labels in reasons.items()]
    return ctx._("Không vẽ trong biểu đồ: {figures}.").format(figures=" · ".join(parts))


# --- dataset pages ----------------------------------------------------------------------------------------


def _series_views(dataset: Dataset, resource: Resource, ctx: Context) -> list[dict[str, Any]]:
    """For an observations table: one series table per indicator (members by years), with its warnings."""
    figures = figure_rows(dataset, resource, resource.rows, ctx)
    by_member = _per_member(dataset, resource)
    page = dataset_page(dataset.name)
    views = []
    for indicator_id in dict.fromkeys(f.indicator_id for f in figures):
        group = [f for f in figures if f.indicator_id == indicator_id]
        views.append(
            {
                "title": mdsafe.text(group[0].indicator),
                "table": series_table(
                    group,
                    ctx,
                    Md(ctx._("Địa phương") if by_member else ctx._("Phạm vi")),
                    by_member,
                    conflicts_page_link(ctx, page),
                ),
                "sentence": latest_answer(_latest(group), ctx),
                "notes": comparability_notes(group, with_member=by_member, ctx=ctx),
                "data_notes": data_notes(group, with_member=by_member),
                "charts": indicator_charts(dataset, group, by_member, ctx, page, chart_folder(dataset.name)),
            }
        )
    return views


def downloads_table(downloads: list[tuple[Md, Download]], ctx: Context, page: str) -> Table:
    """What can be downloaded, compactly: one row per table, each of its forms a link with its size
    (``CSV (582 B) · CSV cho Excel (588 B) · ...``); the files' names and hashes are in the checksums table."""
    rows: dict[str, tuple[Md, list[str]]] = {}
    for label, d in downloads:
        form = shared_link(ctx._(KINDS[d.kind][0]), ctx, page, d.path)
        size = mdsafe.nowrap(*f"({ctx.file_size(d.size)})".split(" "))
        rows.setdefault(str(label), (label, []))[1].append(f"{form}\u00a0{size}")
    return Table(
        headers=[Md(ctx._("Bảng")), Md(ctx._("Tải về"))],
        aligns=[LEFT, LEFT],
        rows=[[label, Md(" · ".join(forms))] for label, forms in rows.values()],
    )


def checksums_table(downloads: list[tuple[Md, Download]], ctx: Context) -> Table:
    """Each file's SHA-256, to check a copy (a table of its own: a hash is too wide to sit beside the rest)."""
    return Table(
        headers=[Md(ctx._("Tệp")), Md("SHA-256")],
        aligns=[LEFT, LEFT],
        rows=[[mdsafe.text(posixpath.basename(d.path)), mdsafe.code(d.sha256)] for _, d in downloads],
    )


def _resource_view(dataset: Dataset, resource: Resource, ctx: Context, page: str) -> dict[str, Any]:
    folder = posixpath.dirname(page)
    return {
        "anchor": Md(resource.name),
        "title": mdsafe.text(ctx.pick(resource.title)),
        "description": mdsafe.paragraphs(ctx.pick(resource.description)),
        "download": shared_link(posixpath.basename(resource.path), ctx, page, f"{folder}/{resource.path}")
        if resource.path
        else Md(""),
        "row_count": mdsafe.text(ctx.number(resource.count)),
        "column_count": mdsafe.text(ctx.number(len(resource.fields))),
        "large": resource.large,
        "preview_count": mdsafe.text(ctx.number(len(resource.rows))),
        "summary": summary_table(resource, ctx) if resource.large else None,
        "series": _series_views(dataset, resource, ctx) if resource.is_observations and not resource.large else [],
        "table": data_table(dataset, resource, resource.rows, ctx, page),
        "dictionary": Table(
            headers=[Md(ctx._("Cột")), Md(ctx._("Tên")), Md(ctx._("Kiểu")), Md(ctx._("Bắt buộc")), Md(ctx._("Mô tả"))],
            aligns=[LEFT] * 5,
            rows=[
                [
                    mdsafe.text(f.name),
                    mdsafe.text(ctx.pick(f.title)),
                    mdsafe.text(f.type),
                    Md(ctx._("có") if f.required or f.name in resource.primary_key else ctx._("không")),
                    mdsafe.text(ctx.pick(f.description)),
                ]
                for f in resource.fields
            ],
        ),
        "primary_key": mdsafe.text(", ".join(resource.primary_key)),
    }


def summary_table(resource: Resource, ctx: Context) -> Table:
    """Each column of a large table summarised: how many cells are filled and empty, the lowest and highest
    value (numbers, dates), the mean (numbers), and how many different values."""
    types = {f.name: f for f in resource.fields}
    rows = []
    for stats in resource.stats:
        fld = types.get(stats.name)
        numeric = fld is not None and fld.type in ("number", "integer")
        mean = (
            ctx.number((stats.total / stats.filled).quantize(Decimal("0.01")))
            if numeric and stats.total is not None and stats.filled
            else ""
        )
        distinct = ctx.number(stats.distinct)
        rows.append(
            [
                mdsafe.text(stats.name),
                mdsafe.text(ctx.pick(fld.title) if fld else ""),
                mdsafe.text(fld.type if fld else ""),
                mdsafe.text(ctx.number(stats.filled)),
                mdsafe.text(ctx.number(stats.empty)),
                plain_value(stats.minimum, fld.type if fld else "string", ctx),
                plain_value(stats.maximum, fld.type if fld else "string", ctx),
                mdsafe.text(mean),
                mdsafe.text(ctx._("hơn {count}").format(count=distinct) if stats.distinct_capped else distinct),
            ]
        )
    headers = [
        ctx._("Cột"),
        ctx._("Tên"),
        ctx._("Kiểu"),
        ctx._("Có giá trị"),
        ctx._("Trống"),
        ctx._("Nhỏ nhất"),
        ctx._("Lớn nhất"),
        ctx._("Trung bình"),
        ctx._("Số giá trị khác nhau"),
    ]
    return Table([Md(h) for h in headers], [LEFT, LEFT, LEFT] + [RIGHT] * 6, rows)


def _history_view(dataset: Dataset, ctx: Context) -> dict[str, Any]:
    changes = dataset.history
    return {
        "updated": mdsafe.text(ctx.date(dataset.modified)) if dataset.modified else Md(""),
        "table": Table(
            headers=[Md(ctx._("Ngày")), Md(ctx._("Thay đổi")), Md(ctx._("Mã thay đổi (git)"))],
            aligns=[LEFT] * 3,
            rows=[
                [
                    mdsafe.text(ctx.date(c.date) if c.date else ctx._("không rõ ngày")),
                    mdsafe.text(change_text(c, dataset, ctx.lang)),
                    mdsafe.text(c.commit),
                ]
                for c in changes
            ],
        )
        if changes
        else None,
    }


def dataset_view(dataset: Dataset, ctx: Context, page: str, exports: Exports) -> dict[str, Any]:
    source_ids: list[str] = []
    for resource in dataset.resources:
        for fk in resource.foreign_keys:
            if refers_to(fk, dataset, config.SOURCES):
                for row in resource.rows:
                    value = row.cells.get(fk.fields[0])
                    if value is not None and str(value) not in source_ids:
                        source_ids.append(str(value))
    citation = cite(dataset, ctx.catalogue.site, i18n.prefix(ctx.lang) + posixpath.dirname(page) + "/", ctx)
    downloads = [
        (mdsafe.text(ctx.pick(r.title)), d)
        for r in dataset.resources
        for d in exports.by_resource.get((dataset.name, r.name), ())
    ]
    package_downloads = [(Md(ctx._("Cả bộ dữ liệu")), d) for d in exports.by_dataset.get(dataset.name, ())]
    linked = [d for _, d in downloads + package_downloads]
    folder = posixpath.dirname(page)
    return {
        "front_title": mdsafe.front_matter_title(ctx.pick(dataset.title)),
        "front_schema": mdsafe.front_matter_json("schema_org", schema_org(dataset, ctx.catalogue, linked, ctx.lang)),
        "downloads": downloads_table(downloads + package_downloads, ctx, page),
        "checksums": checksums_table(downloads + package_downloads, ctx),
        "title": mdsafe.text(ctx.pick(dataset.title)),
        "description": mdsafe.paragraphs(ctx.pick(dataset.description)),
        "name": mdsafe.text(dataset.name),
        "version": mdsafe.text(dataset.version),
        "keywords": mdsafe.text(", ".join(dataset.keywords_in(ctx.lang))),
        "licenses": [mdsafe.link(lic.title or lic.name, lic.path) for lic in dataset.licenses],
        "descriptor": shared_link(dataset.descriptor.name, ctx, page, f"{folder}/{dataset.descriptor.name}"),
        "sources": [source_link(ctx, sid) for sid in sorted(source_ids)],
        "resources": [_resource_view(dataset, r, ctx, page) for r in dataset.resources],
        "history": _history_view(dataset, ctx),
        "large_tables": any(r.large for r in dataset.resources),
        "full_table_rows": mdsafe.text(ctx.number(config.FULL_TABLE_ROWS)),
        "cite_text": mdsafe.text(citation.text),
        "cite_bibtex": mdsafe.code_block(citation.bibtex),
        "cite_csl": mdsafe.code_block(citation.csl_json),
        "catalogue": mdsafe.internal_link(
            ctx._("Danh mục dữ liệu"), relative(page, f"{config.CATALOGUE_DIR}/index.md")
        ),
    }


def catalogue_items(ctx: Context) -> list[widgets.CatalogueItem]:
    """Each dataset with what the filter narrows by: its keywords, the members and years its rows cover; its
    link is its page's path (``du-lieu/<name>/index.md``), which each catalogue page makes relative to itself."""
    member_rows = member_resource(ctx.catalogue)
    members = {str(r.cells.get("id")): row_label(r, ctx.lang) for r in (member_rows.rows if member_rows else ())}
    items = []
    for dataset in ctx.catalogue.datasets:
        if dataset.name not in ctx.coverage:  # the same in every language: each table is read once
            ctx.coverage[dataset.name] = _coverage(dataset, members)
        covered, years_covered = ctx.coverage[dataset.name]
        rows = sum(r.count for r in dataset.resources)
        meta = ctx._("Số bảng: {tables} · Số dòng: {rows}").format(
            tables=ctx.number(len(dataset.resources)), rows=ctx.number(rows)
        )
        if dataset.modified:
            meta += " · " + ctx._("Cập nhật: {date}").format(date=ctx.date(dataset.modified))
        items.append(
            widgets.CatalogueItem(
                title=ctx.pick(dataset.title),
                href=dataset_page(dataset.name),
                description=ctx.pick(dataset.description),
                meta=meta,
                topics=dataset.keywords_in(ctx.lang),
                members=tuple((m, members.get(m, m)) for m in sorted(covered, key=lambda m: members.get(m, m))),
                years=tuple(sorted(years_covered)),
            )
        )
    return items


def _coverage(dataset: Dataset, members: Collection[str]) -> tuple[frozenset[str], frozenset[str]]:
    """The members (ids) and the years that ``dataset``'s rows cover; the members' own dataset covers every
    member of ``members``."""
    covered: set[str] = set(members) if dataset.name == config.MEMBERS[0] else set()
    years: set[str] = set()
    for resource in dataset.resources:
        member_fields = [
            fk.fields[0]
            for fk in resource.foreign_keys
            if refers_to(fk, dataset, config.MEMBERS) and len(fk.fields) == 1
        ]
        if resource.large:
            continue  # only a preview is held: the filter does not narrow by what a large table covers
        for row in resource.rows:
            covered.update(str(row.cells[f]) for f in member_fields if row.cells.get(f) is not None)
            if isinstance(row.cells.get("year"), int):
                years.add(str(row.cells["year"]))
    return frozenset(covered), frozenset(years)


def catalogue_pages(count: int) -> list[str]:
    """The catalogue's pages for ``count`` datasets: ``du-lieu/index.md``, then ``danh-muc/2/index.md``, ...
    (``config.CATALOGUE_PAGE_SIZE`` datasets each)."""
    size = config.CATALOGUE_PAGE_SIZE
    more = [f"{config.CATALOGUE_PAGES_DIR}/{n}/index.md" for n in range(2, (max(count, 1) + size - 1) // size + 1)]
    return [f"{config.CATALOGUE_DIR}/index.md", *more]


def catalogue_views(ctx: Context, exports: Exports) -> list[tuple[str, dict[str, Any]]]:
    """Each page of the catalogue with what its template shows: a page of datasets, links to every page, and
    the filter, whose choices cover the whole catalogue (it reads the other pages when it is used)."""
    paths = catalogue_pages(len(ctx.catalogue.datasets))
    size = config.CATALOGUE_PAGE_SIZE
    every = catalogue_items(ctx)  # links to each dataset's page (.md), made relative to each catalogue page
    views = []
    for number, page in enumerate(paths):
        items = [replace(item, href=page_address_from(page, item.href)) for item in every]
        listed = items[number * size : (number + 1) * size]
        others = [page_address_from(page, other) for other in paths if other != page]
        form, listing = widgets.catalogue(items, ctx._, listed, others)
        title = catalogue_title(ctx, number, len(paths))
        pager = Md("")
        if len(paths) > 1:
            links = [(str(n + 1), page_address_from(page, other)) for n, other in enumerate(paths)]
            pager = widgets.pager(links, number, ctx._("Các trang của danh mục"))
        views.append(
            (
                page,
                {
                    "title": title,
                    "filter": form,
                    "listing": listing,
                    "pager": pager,
                    "position": mdsafe.text(
                        ctx._("Bộ dữ liệu {first}–{last} trong {total}.").format(
                            first=ctx.number(number * size + 1),
                            last=ctx.number(number * size + len(listed)),
                            total=ctx.number(len(items)),
                        )
                    )
                    if len(paths) > 1
                    else Md(""),
                    "downloads": downloads_table(
                        [(Md(ctx._("Toàn bộ danh mục")), d) for d in exports.catalogue], ctx, page
                    ),
                    "checksums": checksums_table([(Md(""), d) for d in exports.catalogue], ctx),
                    "dcat": shared_link(ctx._("danh mục DCAT-AP (JSON-LD)"), ctx, page, DCAT_FILE),
                    "feed": shared_link(ctx._("nguồn tin Atom"), ctx, page, i18n.prefix(ctx.lang) + FEED_FILE),
                },
            )
        )
    return views


def catalogue_title(ctx: Context, number: int, pages: int) -> str:
    """``Danh mục dữ liệu``; on a catalogue of several pages, ``Danh mục dữ liệu, trang 2/10`` (``number``
    counts from 0)."""
    if pages == 1:
        return ctx._("Danh mục dữ liệu")
    return ctx._("Danh mục dữ liệu, trang {page}/{pages}").format(page=number + 1, pages=pages)


def page_address_from(page: str, other: str) -> str:
    """The URL of page ``other`` relative to page ``page``'s own URL (for links in raw HTML, which MkDocs
    does not rewrite): ``du-lieu/index.md`` to ``danh-muc/2/index.md`` is ``../danh-muc/2/``."""
    here, there = page_address(page).split("/")[:-1], page_address(other).split("/")[:-1]
    common = 0  # posixpath.relpath, for two addresses of folders inside the site (a tenth of its time)
    while common < min(len(here), len(there)) and here[common] == there[common]:
        common += 1
    link = "/".join([".."] * (len(here) - common) + there[common:])
    return link + "/" if link else "./"


# --- member pages -----------------------------------------------------------------------------------------


def members_view(members: Resource, ctx: Context, page: str) -> dict[str, Any]:
    dataset = ctx.catalogue.get(config.MEMBERS[0])
    assert dataset is not None
    table = data_table(dataset, members, members.rows, ctx, page, hide=("id", "source_id", "ended_source_id"))
    # The first column names the member: link it to the member's page.
    for row, cells in zip(members.rows, table.rows, strict=True):
        cells[0] = mdsafe.internal_link(row_label(row, ctx.lang), relative(page, member_page(str(row.cells["id"]))))
    return {"table": table, "count": mdsafe.text(ctx.number(len(members.rows)))}


def _member_fields(dataset: Dataset) -> Iterator[tuple[Resource, str]]:
    """Each table of ``dataset`` that refers to the members, with its field that does. A large table is left
    out: it is on its dataset's page (preview and summary), not split by member."""
    for resource in dataset.resources:
        if resource.large:
            continue
        for fk in resource.foreign_keys:
            if refers_to(fk, dataset, config.MEMBERS) and len(fk.fields) == 1:
                yield resource, fk.fields[0]


def _member_rows(dataset: Dataset, member: Row) -> list[tuple[Resource, str, Sequence[Row]]]:
    """Each table of ``dataset`` that refers to the members (``_member_fields``), with its field that does
    and its rows about ``member``, if it has any."""
    found: list[tuple[Resource, str, Sequence[Row]]] = []
    for resource, name in _member_fields(dataset):
        rows = rows_where(resource.rows, name, member.cells["id"])
        if rows:
            found.append((resource, name, rows))
    return found


def _member_block(
    dataset: Dataset, resource: Resource, field: str, rows: Sequence[Row], member: Row, ctx: Context, page: str
) -> dict[str, Any]:
    block: dict[str, Any] = {
        "title": mdsafe.text(ctx.pick(resource.title)),
        "table": data_table(dataset, resource, rows, ctx, page, hide=(field,)),
        "series": None,
        "notes": [],
        "data_notes": [],
        "ranks": None,
    }
    if resource.is_observations:
        figures = figure_rows(dataset, resource, rows, ctx)
        block["series"] = series_table(
            figures, ctx, Md(ctx._("Chỉ tiêu")), by_member=False, conflicts_link=conflicts_page_link(ctx, page)
        )
        block["notes"] = comparability_notes(figures, with_member=False, ctx=ctx)
        block["data_notes"] = data_notes(figures, with_member=False)
        block["ranks"] = member_ranks(dataset, resource, member, ctx)
    return block


def member_tables(member: Row, ctx: Context) -> MemberTables:
    """``_member_rows`` of every dataset, by name, for the member's page (its headline and its sections).
    Every member's are split out of the catalogue at once, the first time one is asked for, and shared by
    the languages (``ctx.member_rows``): each table is read once, not once per member per language.
    ``member`` is a row of the members' table."""
    if member.cells["id"] not in ctx.member_rows:
        ctx.member_rows.update(_split_by_member(ctx.catalogue))
    return ctx.member_rows[member.cells["id"]]


def _split_by_member(catalogue: Catalogue) -> dict[object, MemberTables]:
    """``member_tables`` of every member of the members' table, by id: ``_member_rows`` for all members in
    one pass over each table (``rows_by``)."""
    members = member_resource(catalogue)
    if members is None:
        return {}
    ids = [row.cells["id"] for row in members.rows]
    split: dict[object, MemberTables] = {i: {} for i in ids}
    for dataset in catalogue.datasets:
        for tables in split.values():
            tables[dataset.name] = []
        for resource, name in _member_fields(dataset):
            for member_id, rows in rows_by(resource.rows, name, ids).items():
                if rows:
                    split[member_id][dataset.name].append((resource, name, rows))
    return split


def member_headline(member: Row, ctx: Context, page: str, tables: MemberTables) -> list[dict[str, Any]]:
    """What a member's page leads with: for each indicator of its figures (the home page's dataset first),
    a sentence with the latest full-year figure, its basis and source, and a line chart across the years.
    ``tables``: the member's rows (``member_tables``)."""
    items = []
    folder = f"{config.MEMBERS_DIR}/bieu-do/{member.cells['id']}"  # then the dataset's name
    first = config.HOME_CHART[0]
    for dataset in sorted(ctx.catalogue.datasets, key=lambda d: (d.name != first, d.name)):
        for resource, _field, rows in tables[dataset.name]:
            if not resource.is_observations:
                continue
            figures = figure_rows(dataset, resource, rows, ctx)
            for indicator_id in dict.fromkeys(f.indicator_id for f in figures):
                group = [f for f in figures if f.indicator_id == indicator_id]
                latest = _latest(group)
                if not latest:
                    continue
                items.append(
                    {
                        "title": mdsafe.text(group[0].indicator),
                        "sentence": _latest_sentence(latest, ctx),
                        "charts": indicator_charts(dataset, group, False, ctx, page, f"{folder}/{dataset.name}"),
                    }
                )
    return items


def _latest(group: list[FigureRow]) -> list[FigureRow]:
    """The full-year figures (not plan targets) of the latest year that has one (one per price basis)."""
    chartable = [f for f in group if f.chartable and f.year is not None]
    if not chartable:
        return []
    year = max(chartable, key=lambda f: str(f.year)).year
    return [f for f in chartable if f.year == year]


def _latest_sentence(figures: list[FigureRow], ctx: Context) -> Md:
    """``Năm 2024: hơn 6.156 tỷ đồng (giá so sánh năm 2010; Báo Gia Lai, tháng 2 năm 2025).``"""
    parts = [
        Md(f"{figure_value(f.row.cells, ctx)} {mdsafe.text('(' + '; '.join(_qualities(f, ctx)) + ')')}")
        for f in figures
    ]
    year = mdsafe.text(ctx._("Năm {year}:").format(year=figures[0].year))
    return Md(f"{year} " + "; ".join(parts) + ".")


def latest_answer(figures: list[FigureRow], ctx: Context) -> Md:
    """What a dataset page says first about an indicator: its latest full-year figures, one per member
    (largest first, comparable ones before the rest), with the qualities most of them share said once and
    a figure that differs carrying its own: ``Năm 2024 (giá so sánh năm 2010; Báo Gia Lai, …): Đak Đoa
    12.033 tỷ đồng; …; An Khê 22.011 tỷ đồng (giá hiện hành; ước tính; …).`` Empty when the indicator has
    no full-year figure to quote."""
    if not figures:
        return Md("")
    if len(figures) == 1 and figures[0].member is None:
        return _latest_sentence(figures, ctx)
    # an indicator whose figures are never compared keeps the table's order, not one by value
    ordered = figures if figures[0].uncompared else [r.figure for r in ranking(figures, ctx)]
    qualities = [tuple(_qualities(f, ctx)) for f in ordered]
    common, held = Counter(qualities).most_common(1)[0]  # of equally frequent ones, the first met
    shared = common if held > 1 or len(ordered) == 1 else ()
    parts = []
    for figure, own in zip(ordered, qualities, strict=True):
        name = mdsafe.text(figure.member or ctx._("Toàn cụm"))
        value = figure_value(figure.row.cells, ctx)
        aside = " " + mdsafe.text("(" + "; ".join(own) + ")") if own and own != shared else ""
        parts.append(Md(f"{name} {value}{aside}"))
    year = ctx._("Năm {year}").format(year=figures[0].year)
    lead = f"{year} ({'; '.join(shared)}):" if shared else f"{year}:"
    return Md(f"{mdsafe.text(lead)} " + "; ".join(parts) + ".")


def _qualities(figure: FigureRow, ctx: Context) -> list[str]:
    """What a reader must know beside a figure quoted on its own: its price basis, standard, whether it is an
    estimate, and its source."""
    qualities = []
    if figure.basis in PRICE_BASES and figure.basis != "not-applicable":
        qualities.append(ctx.term(PRICE_BASES[figure.basis]))
    if figure.standard in STANDARDS:
        qualities.append(ctx.term(STANDARDS[str(figure.standard)]))
    if figure.status == ESTIMATE:
        qualities.append(ctx.term(STATUSES[ESTIMATE]))
    source = ctx.source(figure.row.cells.get("source_id"))
    if source is not None:
        qualities.append(source_label(ctx, source))
    return qualities


def member_ranks(dataset: Dataset, resource: Resource, member: Row, ctx: Context) -> Table | None:
    """The member beside the cluster: for each indicator and year, its rank among the members whose values
    can be compared with it, or why it is not ranked."""
    rows = []
    for (_, year), group in _groups(figure_rows(dataset, resource, resource.rows, ctx)).items():
        if len(group) < 2 or group[0].uncompared:
            continue  # nothing to rank among (an indicator never compared says why on its dataset page)
        for ranked in ranking(group, ctx):
            if ranked.figure.member_id != member.cells["id"]:
                continue
            where = (
                f"{ranked.rank}/{ranked.out_of}"
                if ranked.rank is not None
                else ctx._("không xếp hạng: {reason}").format(reason=ranked.caveat)
            )
            rows.append(
                [
                    mdsafe.text(ranked.figure.indicator),
                    mdsafe.text(str(year)),
                    figure_value(ranked.figure.row.cells, ctx),
                    mdsafe.text(where),
                    mdsafe.text(_range_text(group, ctx)),
                ]
            )
    if not rows:
        return None
    headers = [
        Md(ctx._("Chỉ tiêu")),
        Md(ctx._("Năm")),
        Md(ctx._("Giá trị")),
        Md(ctx._("Xếp hạng trong cụm")),
        Md(ctx._("Các giá trị so sánh được (thấp nhất – cao nhất)")),
    ]
    return Table(headers, [LEFT, LEFT, RIGHT, LEFT, LEFT], rows)


def _groups(figures: list[FigureRow]) -> dict[tuple[str, object], list[FigureRow]]:
    """Full-year figures (not plan targets) by indicator and year: what rankings compare. Parts of a year
    and plan targets never enter a ranking."""
    groups: dict[tuple[str, object], list[FigureRow]] = {}
    for figure in figures:
        if figure.chartable:
            groups.setdefault((figure.indicator_id, figure.year), []).append(figure)
    return groups


def _range_text(group: list[FigureRow], ctx: Context) -> str:
    """Lowest and highest of the comparable values of a group (the ranked ones)."""
    ranked = [r for r in ranking(group, ctx) if r.rank is not None]
    if not ranked:
        return "—"
    low, high = ranked[-1].figure, ranked[0].figure
    return (
        f"{ctx.number(low.row.cells['value'])} ({low.member}) – {ctx.number(high.row.cells['value'])} ({high.member})"
    )


def spellings(member: Row) -> list[str]:
    """Every way people write a member's name: the press's, the official one (``Đăk``, ``KBang``), and both
    without diacritics (``Dak Po``), so that the site's search finds it however it is typed."""
    names = [str(member.cells.get(key)) for key in ("name", "official_name") if member.cells.get(key)]
    official = str(member.cells.get("official_name") or "")
    for kind in ("Huyện ", "Thị xã ", "Thành phố "):  # the official name without its kind of unit
        if official.startswith(kind):
            names.append(official[len(kind) :])
    names += [fold(n) for n in list(names)]
    return [n for n in dict.fromkeys(names) if n != names[0]]


def fold(text: str) -> str:
    """``Đak Pơ`` -> ``Dak Po``: Vietnamese without its diacritics (đ is a letter of its own: d)."""
    decomposed = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def member_view(member: Row, ctx: Context, page: str) -> dict[str, Any]:
    """A member's page: its own record, then every row of every dataset that refers to it."""
    members_dataset = ctx.catalogue.get(config.MEMBERS[0])
    members = member_resource(ctx.catalogue)
    assert members_dataset is not None and members is not None
    facts = [
        (mdsafe.text(ctx.pick(f.title)), cell(members_dataset, members, f, member, ctx, page))
        for f in shown_fields(members, ctx.lang)
        if f.name not in ("id", "name")
    ]
    sections: list[dict[str, Any]] = []
    shown_rows = more = 0
    found = member_tables(member, ctx)
    # Datasets of figures first, then the others (roles, conferences), each group by name; in detail up to
    # config.MEMBER_PAGE_DATASETS datasets and MEMBER_PAGE_ROWS rows, the rest through the catalogue.
    for dataset in sorted(
        ctx.catalogue.datasets, key=lambda d: (not any(r.is_observations for r in d.resources), d.name)
    ):
        tables = found[dataset.name]
        if not tables:
            continue
        rows = sum(len(found) for _, _, found in tables)
        if sections and (len(sections) >= config.MEMBER_PAGE_DATASETS or shown_rows + rows > config.MEMBER_PAGE_ROWS):
            more += 1
            continue
        shown_rows += rows
        sections.append(
            {
                "title": mdsafe.text(ctx.pick(dataset.title)),
                "link": mdsafe.internal_link(ctx._("Xem bộ dữ liệu"), relative(page, dataset_page(dataset.name))),
                "blocks": [
                    _member_block(dataset, resource, field, found, member, ctx, page)
                    for resource, field, found in tables
                ],
            }
        )
    catalogue = mdsafe.internal_link(
        ctx._("xem trong danh mục"),
        relative(page, f"{config.CATALOGUE_DIR}/index.md"),
        query={"members": str(member.cells["id"])},
    )
    ended = member.cells.get("district_level_ended")
    return {
        "front_title": mdsafe.front_matter_title(row_label(member)),
        "spellings": mdsafe.text(", ".join(spellings(member))),
        # Material's search gives a page's tags the highest weight: every spelling finds the member first.
        "front_tags": mdsafe.front_matter_list("tags", [row_label(member), *spellings(member)]),
        "name": mdsafe.text(row_label(member)),
        "official_name": mdsafe.text(member.cells.get("official_name", "")),
        "ended": mdsafe.text(ctx.date(ended)) if isinstance(ended, datetime.date) else Md(""),
        "facts": facts,
        "headline": member_headline(member, ctx, page, found),
        "sections": sections,
        "more": mdsafe.text(ctx.number(more)) if more else Md(""),
        "more_link": catalogue,
        "index": mdsafe.internal_link(ctx._("Tất cả địa phương"), relative(page, f"{config.MEMBERS_DIR}/index.md")),
    }


# --- home and about ---------------------------------------------------------------------------------------


def key_figures(ctx: Context, page: str) -> tuple[Md, list[Card]]:
    """The cluster-wide figures (observations that refer to no member) of the latest year they cover."""
    candidates: list[tuple[Dataset, Resource, Row]] = []
    for dataset in ctx.catalogue.datasets:
        for resource in dataset.resources:
            if resource.is_observations and "year" in resource.field_names and not _per_member(dataset, resource):
                # the key figures are full-year figures: never a part of a year or a plan target
                candidates.extend(
                    (dataset, resource, row)
                    for row in resource.rows
                    if row.cells.get("period", FULL_YEAR) == FULL_YEAR and row.cells.get("status") != PLAN_TARGET
                )
    years_found = [row.cells["year"] for _, _, row in candidates if isinstance(row.cells.get("year"), int)]
    if not years_found:
        return Md(""), []
    latest = max(years_found)
    cards = []
    for dataset, resource, row in candidates:
        if row.cells.get("year") != latest:
            continue
        fk = next((k for k in resource.foreign_keys if k.fields == ("indicator_id",)), None)
        indicator = ctx.referenced_row(dataset, fk, row) if fk else None
        source = ctx.source(row.cells.get("source_id"))
        source_text = ""
        if source is not None:
            published = source.cells.get("published")
            source_text = ctx._("Nguồn: {source}").format(
                source=str(source.cells.get("publisher"))
                + (f", {ctx.partial_date(str(published))}" if published else "")
            )
        estimate = [f"({ctx.symbol(STATUSES[ESTIMATE])})"] if row.cells.get("status") == ESTIMATE else []
        cards.append(
            Card(
                label=row_label(indicator, ctx.lang) if indicator else str(row.cells.get("indicator_id")),
                value="\u00a0".join(figure_parts(row.cells, ctx) + estimate),
                href=f"{config.CATALOGUE_DIR}/{dataset.name}/",  # from the home page, at the site's root
                link_text=ctx.pick(dataset.title),
                source=source_text,
                source_href=mdsafe.external_url(str(source.cells.get("url", ""))) or "" if source else "",
            )
        )
    return mdsafe.text(str(latest)), cards


def home_chart(ctx: Context, page: str) -> tuple[list[dict[str, Any]], Table | None]:
    """A small chart for the home page (the configured indicator by member, in the latest year that has the
    most members' full-year results: one new row never takes over the chart), with the table of its
    numbers."""
    dataset = ctx.catalogue.get(config.HOME_CHART[0])
    if dataset is None:
        return [], None
    for resource in dataset.resources:
        if resource.is_observations and _per_member(dataset, resource):
            figures = [
                f for f in figure_rows(dataset, resource, resource.rows, ctx) if f.indicator_id == config.HOME_CHART[1]
            ]
            year = complete_year(figures)
            if year is not None:
                group = [f for f in figures if f.year == year and f.chartable]
                charts = indicator_charts(dataset, group, True, ctx, page, f"bieu-do-trang-chu/{dataset.name}")[:1]
                return charts, series_table(
                    group, ctx, Md(ctx._("Địa phương")), by_member=True, conflicts_link=conflicts_page_link(ctx, page)
                )
    return [], None


def _member_links(ctx: Context, page: str) -> list[Md]:
    members = member_resource(ctx.catalogue)
    if members is None:
        return []
    return [
        mdsafe.internal_link(row_label(r, ctx.lang), relative(page, member_page(str(r.cells["id"]))))
        for r in members.rows
    ]


def _ended_dates(ctx: Context) -> list[Md]:
    members = member_resource(ctx.catalogue)
    values = {r.cells.get("district_level_ended") for r in members.rows} if members else set()
    dates = sorted(d for d in values if isinstance(d, datetime.date))
    return [mdsafe.text(ctx.date(d)) for d in dates]


def home_view(ctx: Context, page: str) -> dict[str, Any]:
    year, figures = key_figures(ctx, page)
    charts, chart_table = home_chart(ctx, page)
    return {
        "cards": widgets.cards(figures) if figures else Md(""),
        "charts": charts,
        "chart_table": chart_table,
        "members": _member_links(ctx, page),
        "ended": _ended_dates(ctx),
        "year": year,
        "figures": figures,
        "catalogue": mdsafe.internal_link(ctx._("Danh mục dữ liệu"), f"{config.CATALOGUE_DIR}/index.md"),
        "members_page": mdsafe.internal_link(ctx._("Các địa phương"), f"{config.MEMBERS_DIR}/index.md"),
        "about": mdsafe.internal_link(ctx._("Giới thiệu và phương pháp"), config.ABOUT_PAGE),
        "comparison": mdsafe.internal_link(ctx._("So sánh các địa phương"), f"{config.COMPARISON_DIR}/index.md"),
        "datasets": [
            mdsafe.internal_link(ctx.pick(d.title), relative(page, dataset_page(d.name)))
            for d in ctx.catalogue.datasets
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
        "price_bases": [(mdsafe.text(t.code), mdsafe.text(ctx.term(t))) for t in PRICE_BASES.values()],
        "qualifiers": [(mdsafe.text(t.code), mdsafe.text(ctx.term(t))) for t in QUALIFIERS.values()],
        "units": [(mdsafe.text(t.code), mdsafe.text(ctx.term(t))) for t in UNITS.values()],
        "periods": [(mdsafe.text(t.code), mdsafe.text(ctx.term(t))) for t in PERIODS.values()],
        "statuses": [(mdsafe.text(t.code), mdsafe.text(ctx.term(t))) for t in STATUSES.values()],
        "standards": [(mdsafe.text(t.code), mdsafe.text(ctx.term(t))) for t in STANDARDS.values()],
        "conflicts": mdsafe.internal_link(ctx._("Mâu thuẫn giữa các nguồn"), conflicts_page_link(ctx, page)),
        "sources_dataset": mdsafe.internal_link(
            ctx.pick(sources_dataset.title), relative(page, dataset_page(config.SOURCES[0]))
        )
        if sources_dataset
        else Md(""),
    }


# --- comparison ---------------------------------------------------------------------------------------------


def comparison_view(ctx: Context, page: str) -> dict[str, Any]:
    """Each per-member indicator across the members, largest first: comparable values ranked, the others
    listed after them with the reason, never ranked."""
    sections = []
    for dataset in ctx.catalogue.datasets:
        for resource in dataset.resources:
            if not (resource.is_observations and _per_member(dataset, resource)):
                continue
            figures = figure_rows(dataset, resource, resource.rows, ctx)
            for (_indicator_id, year), group in _groups(figures).items():
                rows = [
                    [
                        mdsafe.text(str(r.rank) if r.rank is not None else "—"),
                        mdsafe.internal_link(r.figure.member or "", relative(page, member_page(r.figure.member_id)))
                        if r.figure.member_id
                        else mdsafe.text(""),
                        figure_value(r.figure.row.cells, ctx),
                        mdsafe.text(r.caveat or ctx._("so sánh được")),
                    ]
                    for r in ranking(group, ctx)
                ]
                charts = indicator_charts(
                    dataset, group, True, ctx, page, f"{config.COMPARISON_DIR}/bieu-do/{dataset.name}"
                )
                sections.append(
                    {
                        "title": mdsafe.text(f"{group[0].indicator} ({year})"),
                        "dataset": mdsafe.internal_link(
                            ctx.pick(dataset.title), relative(page, dataset_page(dataset.name))
                        ),
                        "table": Table(
                            [Md(ctx._("Hạng")), Md(ctx._("Địa phương")), Md(ctx._("Giá trị")), Md(ctx._("So sánh"))],
                            [RIGHT, LEFT, RIGHT, LEFT],
                            rows,
                        ),
                        "notes": comparability_notes(group, with_member=True, ctx=ctx),
                        "charts": charts,
                    }
                )
    return {"sections": sections}


# --- conflicts between sources ---------------------------------------------------------------------------


def _conflict_figures(ctx: Context) -> dict[str, list[tuple[Dataset, Resource, Row, list[Row]]]]:
    """For each documented conflict: the figures it is about, each with the citations that disagree."""
    found: dict[str, list[tuple[Dataset, Resource, Row, list[Row]]]] = {}
    for dataset in ctx.catalogue.datasets:
        for resource in dataset.resources:
            if not resource.is_observations or resource.large:
                continue
            for row in resource.rows:
                cited = [c for c in ctx.further_citations(dataset, resource, row) if c.cells.get("conflict_id")]
                for conflict in documented_conflicts(ctx, dataset, resource, row):
                    others = [c for c in cited if c.cells["conflict_id"] == conflict]
                    found.setdefault(conflict, []).append((dataset, resource, row, others))
    return found


def conflicts_view(ctx: Context, page: str) -> dict[str, Any]:
    """Every documented conflict between sources: what differs, the value used and why, and for each figure
    concerned the source used and the source set aside, each linked to its page and paragraph."""
    conflicts = ctx.catalogue.resource(*config.CONFLICTS)
    involved = _conflict_figures(ctx)
    sections = []
    for conflict in conflicts.rows if conflicts else ():
        cid = str(conflict.cells["id"])
        figures = []
        for dataset, resource, row, others in involved.get(cid, []):
            figure = figure_rows(dataset, resource, [row], ctx)[0]
            rows = [_conflict_row(row, ctx, used=True)] + [_conflict_row(c, ctx, used=False) for c in others]
            figures.append(
                {
                    "title": mdsafe.text(f"{figure.indicator} — {figure.label(with_member=True)}"),
                    "dataset": mdsafe.internal_link(
                        ctx.pick(dataset.title), relative(page, dataset_page(dataset.name))
                    ),
                    "table": Table(
                        [Md(ctx._("Trên trang này")), Md(ctx._("Nguồn")), Md(ctx._("Nguồn viết (loại giá nguồn nêu)"))],
                        [LEFT, LEFT, LEFT],
                        rows,
                    ),
                }
            )
        sections.append(
            {
                "kind": str(conflict.cells.get("kind") or DISAGREEMENT),
                "id": mdsafe.text(cid.upper()),
                "title": mdsafe.text(row_label(conflict, ctx.lang)),
                "description": mdsafe.text(in_language(conflict, "description", ctx.lang)),
                "resolution": mdsafe.text(in_language(conflict, "resolution", ctx.lang)),
                "figures": figures,
            }
        )
    kinds = [
        {"title": mdsafe.text(ctx.term(term)), "sections": [s for s in sections if s["kind"] == code]}
        for code, term in CONFLICT_KINDS.items()
    ]
    return {"sections": sections, "kinds": [k for k in kinds if k["sections"]]}


def _conflict_row(row: Row, ctx: Context, used: bool) -> list[Md]:
    """One source of a disputed figure: used or not, the source and paragraph, and what it writes (with the
    price basis it states, or a dash when it states none)."""
    basis = row.cells.get("price_basis" if used else "stated_price_basis")
    stated = ctx.term(PRICE_BASES[str(basis)]) if basis and str(basis) in PRICE_BASES else "—"
    return [
        Md(ctx._("**dùng**") if used else ctx._("không dùng")),
        source_link(ctx, row.cells.get("source_id"), row.cells.get("source_paragraphs")),
        mdsafe.text(f"{row.cells.get('as_published') or ''} ({stated})"),
    ]
