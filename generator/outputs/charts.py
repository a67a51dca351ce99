"""Charts, drawn at build time to SVG: no JavaScript and no third-party host on the reader's side.

Each chart is a Vega-Lite specification built here as data and rendered offline by vl-convert (the Vega
renderer compiled into a Python wheel). Why Vega-Lite and not matplotlib: the spec is plain data that can be
tested, numbers and labels take a Vietnamese locale in the spec itself, text stays text in the SVG (readable,
selectable, small), and axes and labels can take the page's text colour (``currentColor``), so one inline
chart works in both the light and the dark palette.

Every chart comes in two forms: inline in its page (transparent, the page's colours) and as a standalone SVG
file at a stable address (white background, the source line inside the image) that journalists can reuse.
Both carry an accessible title and description. Values that cannot be compared with the rest (another price
basis, a "more than" lower bound, another unit) are drawn in another colour with a legend that says why;
which ones is decided from the data (``figures.py``), never by hand.
"""

from __future__ import annotations

import functools
import json
import re
import textwrap
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import vl_convert

from generator import cache
from generator.outputs.figures import FigureRow, caveat, usual_basis, usual_standard
from generator.outputs.tables import Context, figure_parts
from generator.vocab import ESTIMATE, UNITS

SVG = "http://www.w3.org/2000/svg"
# Okabe–Ito colours: told apart with every common colour-vision deficiency, and readable on both palettes.
COMPARABLE, NOT_COMPARABLE = "#0072B2", "#E69F00"
WIDTH = 340  # drawn for a phone; the SVG scales (viewBox) to wider pages
# Characters per line of the texts drawn in a chart (its title at 13 px, subtitle and source at 10–11 px,
# legend labels at 10 px): a long one is wrapped, never allowed to widen the chart beyond a phone's screen
# (an SVG wider than the page is shrunk to fit, and all its text with it).
TITLE_CHARS, SUBTITLE_CHARS, LEGEND_CHARS = 40, 52, 50
# How much larger than drawn a chart may grow on a wide screen: a chart drawn for a phone stays legible on a
# desktop (axis labels of 10 px become 14 px) without growing to the width of the page.
GROWTH = Decimal("1.4")
# Vega's number format locale for each language of the site (the page's own way of writing 2.735,764).
LOCALES = {
    "vi": {"number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", ""]}},
    "en": {"number": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["", ""]}},
}
# Serialise SVG elements with SVG as the default namespace (no "ns0:" prefixes). Other XML written by the
# generator (the Atom feed) declares its namespace itself, so this global setting is the only one.
ElementTree.register_namespace("", SVG)
ElementTree.register_namespace("xlink", "http://www.w3.org/1999/xlink")


# A legend under the chart whose labels were wrapped by ``_wrapped`` (one line of the label per "\n").
LEGEND = {"title": None, "orient": "bottom", "labelLimit": WIDTH, "labelExpr": "split(datum.label, '\\n')"}


# Two legends under one chart (colour, and the shape of an estimate) go one under the other, not side by side
# (side by side, they made a line chart 440 px wide: shrunk to a phone's width, its text was 7 px).
LEGEND_LAYOUT = {"bottom": {"direction": "vertical", "anchor": "start"}}


def _wrapped(text: str, width: int) -> str:
    """``text`` wrapped at ``width`` characters, lines joined by "\n" (a legend label's lines)."""
    return "\n".join(_lines(text, width))


def _lines(text: str, width: int) -> list[str]:
    """``text`` as lines of at most ``width`` characters (a longer word stays whole)."""
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [text]


@dataclass(frozen=True)
class Bar:
    """One bar: its label, value, and why it cannot be compared with the others (empty if it can)."""

    label: str
    value: Decimal
    shown: str  # the value as the page writes it ("hơn 90.497 ha", "more than 90,497 ha")
    caveat: str = ""


@dataclass(frozen=True)
class Chart:
    """A chart in both forms. ``path`` is the standalone file's place in the site (stable between builds)."""

    path: str
    title: str
    description: str
    inline: ElementTree.Element
    standalone: bytes


def bar_chart(
    path: str,
    title: str,
    unit: str,
    bars: Sequence[Bar],
    source: str,
    ctx: Context,
    sort: bool = True,
    reference: Decimal | None = None,
    basis: str = "",
) -> Chart:
    """Horizontal bars (sorted by value when ``sort``), values that cannot be compared in another colour;
    ``basis`` (the price basis of most of them, in words) is said under the title, with the unit.
    With a ``reference`` (the indicator's: 100 for a share of a plan) the bars start from it, not from 0, so
    that 100,02% and 100,7% differ by more than a hair; the subtitle says so."""
    description = f"{title}. " + "; ".join(
        f"{b.label}: {b.shown}" + (f" ({b.caveat})" if b.caveat else "") for b in bars
    )
    caveats = sorted({_wrapped(b.caveat, LEGEND_CHARS) for b in bars if b.caveat})
    legend = [_wrapped(ctx._("so sánh được với nhau"), LEGEND_CHARS), *caveats] if caveats else []
    spec: dict[str, object] = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": description,
        "width": WIDTH - 130,
        "height": {"step": 22},
        "data": {
            "values": [
                {
                    "label": b.label,
                    "value": float(b.value),
                    "group": (_wrapped(b.caveat, LEGEND_CHARS) if b.caveat else legend[0]) if legend else "",
                }
                for b in bars
            ]
        },
        "mark": {"type": "bar", "tooltip": False, "aria": False},  # one named image, not unnamed bars
        "encoding": {
            "y": {
                "field": "label",
                "type": "nominal",
                "sort": "-x" if sort else None,
                "title": None,
                "axis": {"labelLimit": 110},
            },
            "x": {
                "field": "value",
                "type": "quantitative",
                "title": unit or None,
                "axis": {"format": ",~f", "tickCount": 4},
                **({"scale": {"zero": False}} if reference is not None else {}),
            },
            **({"x2": {"datum": float(reference)}} if reference is not None else {}),
            "color": {
                "field": "group",
                "type": "nominal",
                "scale": {"domain": legend or [""], "range": [COMPARABLE] + [NOT_COMPARABLE] * len(caveats)},
                "legend": {**LEGEND, "direction": "vertical"} if legend else None,
            },
        },
    }
    subtitle = " · ".join(part for part in (unit, basis, reference_label(reference, unit, ctx)) if part)
    return _chart(path, title, subtitle, description, spec, source, ctx.lang, ctx.cache_dir)


def reference_label(reference: Decimal | None, unit: str, ctx: Context) -> str:
    """``vẽ từ mốc 100%``: what a chart drawn around a reference says under its title (the axis does not
    start at 0), the reference written like the values (``%`` after it, as ``93,2%``); empty without one."""
    if reference is None:
        return ""
    written = ctx.number(reference)
    return ctx._("vẽ từ mốc {reference}").format(reference=written + "%" if unit == "%" else written)


@dataclass(frozen=True)
class Point:
    """One point of a line across the years. Points of one ``segment`` are joined; a new segment starts at
    a missing year (a gap stays a gap) and at a change of price basis or standard (a series break)."""

    year: int
    value: Decimal
    shown: str
    segment: str
    estimate: bool
    caveat: str = ""  # every reason it cannot be compared with the rest (the chart's description)
    colour_reason: str = ""  # the same without "an estimate": what puts it in the other colour


def series_points(figures: Sequence[FigureRow], ctx: Context) -> list[Point]:
    """The points of one indicator's line chart: full-year figures that are not plan targets (the caller
    passes ``FigureRow.chartable`` ones), by year, split into segments that never span a gap year or join
    two price bases or standards."""
    usual, standard = usual_basis(figures), usual_standard(figures)
    by_series: dict[tuple[str, str], list[FigureRow]] = {}
    for figure in figures:
        if isinstance(figure.year, int) and isinstance(figure.row.cells.get("value"), Decimal):
            by_series.setdefault((figure.basis, figure.standard or ""), []).append(figure)
    points = []
    for (basis, std), members in sorted(by_series.items()):
        run, previous = 0, None
        for figure in sorted(members, key=lambda f: int(str(f.year))):
            year = int(str(figure.year))
            if previous is not None and year != previous + 1:
                run += 1  # a missing year: the line stops and starts again
            previous = year
            points.append(
                Point(
                    year,
                    figure.row.cells["value"],
                    " ".join(figure_parts(figure.row.cells, ctx)),
                    f"{basis}|{std}|{run}",
                    figure.status == ESTIMATE,
                    caveat(figure, usual, ctx, standard),
                    caveat(figure, usual, ctx, standard, estimate=False),
                )
            )
    return sorted(points, key=lambda p: (p.year, p.segment))


def line_chart(
    path: str,
    title: str,
    unit: str,
    points: Sequence[Point],
    source: str,
    ctx: Context,
    reference: Decimal | None = None,
    basis: str = "",
) -> Chart:
    """A line per segment across the years (every year of the span on the axis, so a missing one shows as
    a gap), estimates drawn as triangles, values that cannot be compared with the rest in another colour
    with the reason in the legend. A ``reference`` (100 for a share of a plan, 0 for a growth) is drawn as
    a dashed line that the axis always reaches."""
    estimate_word = ctx._("số ước tính")
    description = f"{title}. " + "; ".join(
        f"{p.year}: {p.shown}" + (f" ({estimate_word})" if p.estimate else "") + (f" ({p.caveat})" if p.caveat else "")
        for p in points
    )
    years = [str(y) for y in range(min(p.year for p in points), max(p.year for p in points) + 1)]
    comparable = _wrapped(ctx._("so sánh được với nhau"), LEGEND_CHARS)
    caveats = sorted({_wrapped(p.colour_reason, LEGEND_CHARS) for p in points} - {""})
    groups = [comparable, *caveats]
    kinds = [ctx._("kết quả"), estimate_word]
    spec: dict[str, object] = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": description,
        "width": WIDTH - 80,
        "height": 160,
        "data": {
            "values": [
                {
                    "year": str(p.year),
                    "value": float(p.value),
                    "segment": p.segment,
                    "group": _wrapped(p.colour_reason, LEGEND_CHARS) or comparable,
                    "kind": kinds[1] if p.estimate else kinds[0],
                }
                for p in points
            ]
        },
    }
    shared = {
        "x": {"field": "year", "type": "ordinal", "scale": {"domain": years}, "title": None, "axis": {"labelAngle": 0}},
        "y": {
            "field": "value",
            "type": "quantitative",
            "title": unit or None,
            "scale": {"zero": False},
            "axis": {"format": ",~f", "tickCount": 4},
        },
        "color": {
            "field": "group",
            "type": "nominal",
            "scale": {"domain": groups, "range": [COMPARABLE] + [NOT_COMPARABLE] * len(caveats)},
            "legend": {**LEGEND, "direction": "vertical"} if caveats else None,
        },
    }
    layers: list[dict[str, object]] = []
    if reference is not None:
        layers.append(
            {
                "mark": {"type": "rule", "strokeDash": [4, 3], "color": "currentColor", "aria": False},
                "encoding": {"y": {"datum": float(reference), "type": "quantitative"}},
            }
        )
    layers += [
        {"mark": {"type": "line", "aria": False}, "encoding": {**shared, "detail": {"field": "segment"}}},
        {
            "mark": {"type": "point", "filled": True, "size": 60, "opacity": 1, "aria": False},
            "encoding": {
                **shared,
                "shape": {
                    "field": "kind",
                    "type": "nominal",
                    "scale": {"domain": kinds, "range": ["circle", "triangle-up"]},
                    "legend": {**LEGEND, "direction": "horizontal"} if any(p.estimate for p in points) else None,
                },
            },
        },
    ]
    spec["layer"] = layers
    span = sorted({p.year for p in points})
    period = f"{span[0]}–{span[-1]}" if len(span) > 1 else str(span[0]) if span else ""
    subtitle = " · ".join(part for part in (period, unit, basis, reference_label(reference, unit, ctx)) if part)
    return _chart(path, title, subtitle, description, spec, source, ctx.lang, ctx.cache_dir)


@functools.lru_cache(maxsize=512)
def _render(spec_json: str) -> str:
    """The SVG of a spec (the same spec renders once per process: tests build the site many times)."""
    return str(vl_convert.vegalite_to_svg(json.loads(spec_json)))


def _rendered(spec_json: str, cache_dir: Path | None) -> str:
    """``_render``, kept on disk under ``cache_dir/charts/`` (``cache.drawn``): an unchanged chart is not
    drawn again by the next build."""
    folder = cache_dir / "charts" if cache_dir is not None else None
    return cache.drawn(folder, spec_json, ".svg", lambda spec: _render(spec).encode("utf-8")).decode("utf-8")


def _chart(
    path: str,
    title: str,
    subtitle: str,
    description: str,
    spec: dict[str, object],
    source: str,
    lang: str,
    cache_dir: Path | None = None,
) -> Chart:
    inline_config = {
        # No ARIA text per bar (Vega would read "90.497" without its "hơn"): the chart is one image whose
        # title and description say every value as the page writes it.
        "aria": False,
        "locale": LOCALES[lang],
        "background": None,
        "font": "sans-serif",
        "view": {"stroke": None},
        "axis": {
            "labelColor": "currentColor",
            "titleColor": "currentColor",
            "domainColor": "currentColor",
            "tickColor": "currentColor",
            "gridColor": "currentColor",
            "gridOpacity": 0.25,
        },
        "legend": {"labelColor": "currentColor", "layout": LEGEND_LAYOUT},
    }
    standalone_config = {
        **inline_config,
        "background": "white",
        "axis": {"gridOpacity": 0.25},
        "legend": {"layout": LEGEND_LAYOUT},
    }
    # The chart says what it shows in the image itself: its title (with the year of a chart by member), and
    # under it the period and the unit; two charts of one indicator never look alike without a word.
    heading = {
        "text": _lines(title, TITLE_CHARS),
        "subtitle": _lines(subtitle, SUBTITLE_CHARS) if subtitle else None,
        "anchor": "start",
        "fontSize": 13,
        "subtitleFontSize": 11,
        "color": "currentColor",
        "subtitleColor": "currentColor",
        "aria": False,  # the chart is one image named by its <title> and <desc>, not by a mark's own label
    }
    inline = _accessible(
        _rendered(
            json.dumps(
                {**spec, "title": heading, "config": inline_config}, ensure_ascii=False, allow_nan=False, sort_keys=True
            ),
            cache_dir,
        ),
        title,
        description,
    )
    # In the page: as wide as the column allows, up to GROWTH times the drawn size (its text grows with it).
    drawn = Decimal(inline.get("width", "0").removesuffix("px") or "0")
    inline.set("style", f"width: 100%; max-width: {(drawn * GROWTH).quantize(Decimal(1))}px; height: auto")
    standalone_spec = {
        **spec,
        "title": {
            "text": _lines(title, TITLE_CHARS),
            "subtitle": [*(_lines(subtitle, SUBTITLE_CHARS) if subtitle else []), *_lines(source, SUBTITLE_CHARS + 8)],
            "anchor": "start",
            "fontSize": 13,
            "subtitleFontSize": 10,
            "subtitleColor": "#444",
            "aria": False,
        },
        "config": standalone_config,
    }
    standalone = _accessible(
        _rendered(json.dumps(standalone_spec, ensure_ascii=False, allow_nan=False, sort_keys=True), cache_dir),
        title,
        description,
    )
    data = ElementTree.tostring(standalone, encoding="unicode")
    return Chart(
        path, title, description, inline, ('<?xml version="1.0" encoding="UTF-8"?>\n' + data + "\n").encode("utf-8")
    )


def _accessible(svg_text: str, title: str, description: str) -> ElementTree.Element:
    """The SVG as an element with ``role="img"``, a ``<title>`` and a ``<desc>``; checked to hold nothing
    that could run (no script, no foreign content, no event attributes, no external reference)."""
    root = ElementTree.fromstring(svg_text)  # noqa: S314 - vl-convert's own output, checked below
    for element in root.iter():
        tag = element.tag.split("}")[-1]
        if tag in ("script", "foreignObject", "iframe", "image"):
            raise ValueError(f"unexpected <{tag}> in a chart")
        # Vega labels its title group ("Title text '...'"): the chart is one image, named by its <title> and
        # described by its <desc>, so an inner label would only repeat the text (from data files) in an attribute
        element.attrib.pop("aria-label", None)
        for name, value in element.attrib.items():
            if name.split("}")[-1].lower().startswith("on") or re.match(r"\s*(javascript|https?):", value):
                raise ValueError(f"unexpected attribute {name}={value!r} in a chart")
    ascii_title = unicodedata.normalize("NFKD", title.lower().replace("đ", "d")).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title).strip("-") or "chart"
    ident = f"chart-{slug}-{abs(hash_text(title + description)) % 10**8}"
    root.set("role", "img")
    root.set("aria-labelledby", f"{ident}-title {ident}-desc")
    root.set("style", "max-width: 100%; height: auto")
    title_element = ElementTree.Element(f"{{{SVG}}}title", {"id": f"{ident}-title"})
    title_element.text = title
    desc_element = ElementTree.Element(f"{{{SVG}}}desc", {"id": f"{ident}-desc"})
    desc_element.text = description
    root.insert(0, desc_element)
    root.insert(0, title_element)
    return root


def hash_text(text: str) -> int:
    """A stable number for a text (Python's ``hash`` changes between processes)."""
    value = 0
    for char in text:
        value = (value * 31 + ord(char)) % (2**61 - 1)
    return value


def figure_bars(figures: Sequence[FigureRow], label_of_member: bool, ctx: Context) -> list[Bar]:
    """Bars for figures shown together, each with the reason it cannot be compared, if any. The caller
    passes only full-year figures that are not plan targets (``FigureRow.chartable``)."""
    usual = usual_basis(figures)
    standard = usual_standard(figures)
    bars = []
    for figure in figures:
        value = figure.row.cells.get("value")
        if isinstance(value, Decimal):
            label = (figure.member or ctx._("Toàn cụm")) if label_of_member else str(figure.year)
            shown = " ".join(figure_parts(figure.row.cells, ctx))
            bars.append(Bar(label, value, shown, caveat(figure, usual, ctx, standard)))
    return bars


def unit_label(figures: Sequence[FigureRow], ctx: Context) -> str:
    units = {f.unit for f in figures}
    if len(units) != 1:
        return ""
    term = UNITS.get(next(iter(units)))
    return ctx.symbol(term) if term else ""
