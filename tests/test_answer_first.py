"""Pages that give the answer first (issue 20): a sentence with each indicator's latest figures before its
chart, charts of a share of the plan or a growth drawn from their reference (100%, 0), chart text that wraps
instead of widening a chart past a phone's screen, and tables that carry what a phone needs to show them as
cards (``data-label``)."""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import markdown
import pytest

from generator.models import Catalogue, Row
from generator.outputs.charts import GROWTH, SVG, WIDTH, Bar, bar_chart, line_chart, series_points
from generator.outputs.figures import FigureRow
from generator.outputs.render import latest_answer
from generator.outputs.tables import Context

from conftest import ROOT


def _figure(member: str, value: str, basis: str = "constant-2010", status: str = "result") -> FigureRow:
    cells = {"value": Decimal(value), "unit": "billion-vnd", "qualifier": None, "source_id": "x"}
    return FigureRow(
        row=Row(2, cells),
        indicator_id="production-value",
        indicator="Tổng giá trị sản xuất",
        member_id=member.lower(),
        member=member,
        year=2024,
        basis=basis,
        unit="billion-vnd",
        qualifier=None,
        note="",
        status=status,
    )


# --- the sentence before each indicator's chart ------------------------------------------------------------


def test_what_most_figures_share_is_said_once_and_what_differs_beside_its_figure() -> None:
    ctx = Context(Catalogue(()))
    figures = [_figure("Kbang", "6156"), _figure("An Khê", "22011", basis="current"), _figure("Đak Pơ", "2947.907")]
    sentence = latest_answer(figures, ctx)
    # largest first among those that compare, then the one at another price basis, with its own basis
    assert sentence == (
        "Năm 2024 (giá so sánh năm 2010): Kbang 6.156\u00a0tỷ đồng; Đak Pơ 2.947,907\u00a0tỷ đồng; "
        "An Khê 22.011\u00a0tỷ đồng (giá hiện hành)."
    )
    # no two alike: every figure says its own basis, nothing is put in front
    pair = [_figure("Kbang", "6156"), _figure("An Khê", "22011", basis="current", status="estimate")]
    assert latest_answer(pair, ctx) == (
        "Năm 2024: Kbang 6.156\u00a0tỷ đồng (giá so sánh năm 2010); "
        "An Khê 22.011\u00a0tỷ đồng (giá hiện hành; ước tính)."
    )
    assert latest_answer([], ctx) == ""


def _latest_full_year(rows: list[dict[str, str]], indicator: str) -> str | None:
    years = [
        r["year"]
        for r in rows
        if r["indicator_id"] == indicator and r["period"] == "full-year" and r["status"] != "plan-target"
    ]
    return max(years) if years else None


@pytest.mark.parametrize("dataset", ["production-value", "public-finance", "poverty-health-insurance"])
def test_each_indicator_of_a_dataset_page_opens_with_its_latest_year(built_project: Path, dataset: str) -> None:
    """Read from the CSV, not from the generator: each indicator's section opens with a sentence about the
    latest year that has a full-year figure, naming every member that has one, before any chart or table."""
    with (ROOT / "datasets" / dataset / f"{dataset}.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with (ROOT / "datasets" / dataset / "indicators.csv").open(encoding="utf-8", newline="") as handle:
        titles = {r["id"]: r["title"] for r in csv.DictReader(handle)}
    with (ROOT / "datasets/members/members.csv").open(encoding="utf-8", newline="") as handle:
        names = {r["id"]: r["name"] for r in csv.DictReader(handle)}
    page = (built_project / "docs/du-lieu" / dataset / "index.md").read_text(encoding="utf-8")
    checked = 0
    for indicator, title in titles.items():
        year = _latest_full_year(rows, indicator)
        if year is None:
            continue
        section = page.split(f"\n### {title}\n", 1)[1]
        first = section.strip().split("\n", 1)[0]
        assert first.startswith(f"Năm {year}"), (indicator, first)
        for row in rows:
            if (row["indicator_id"], row["year"], row["period"]) == (indicator, year, "full-year") and row[
                "status"
            ] != "plan-target":
                assert names[row["member_id"]] in first, (indicator, row["member_id"], first)
        checked += 1
    assert checked >= 4


# --- charts drawn from their reference -----------------------------------------------------------------------


def _bar_lengths(svg: ElementTree.Element) -> list[float]:
    lengths = []
    for group in svg.iter(f"{{{SVG}}}g"):
        if "role-mark" in (group.get("class") or "") and "mark-rect" in (group.get("class") or ""):
            for path in group.iter(f"{{{SVG}}}path"):
                match = re.match(r"M(-?[\d.]+),[\d.]+h(-?[\d.]+)", path.get("d", ""))
                assert match, path.get("d")
                lengths.append(abs(float(match.group(2))))
    return lengths


def _texts(svg: ElementTree.Element) -> list[str]:
    """Each text of a chart; the lines of a wrapped one (``<tspan>``) joined by a space."""
    return [" ".join(t.itertext()) for t in svg.iter(f"{{{SVG}}}text")]


def test_a_share_of_the_plan_is_drawn_from_100_so_that_differences_show() -> None:
    ctx = Context(Catalogue(()))
    bars = [Bar("Kbang", Decimal("100.02"), "100,02%"), Bar("Đak Đoa", Decimal("100.7"), "100,7%")]
    from_zero = bar_chart("a.svg", "Giá trị sản xuất so với kế hoạch (2024)", "%", bars, "Nguồn: x", ctx)
    short, long = sorted(_bar_lengths(from_zero.inline))
    assert long / short < 1.01  # from 0, 100,02% and 100,7% are the same bar
    around = bar_chart(
        "b.svg", "Giá trị sản xuất so với kế hoạch (2024)", "%", bars, "Nguồn: x", ctx, reference=Decimal(100)
    )
    short, long = sorted(_bar_lengths(around.inline))
    assert long / short > 20  # 0,7 against 0,02 points above the plan
    assert "% · vẽ từ mốc 100%" in _texts(around.inline)
    assert "vẽ từ mốc" not in " ".join(_texts(from_zero.inline))


def test_a_line_with_a_reference_draws_it_dashed_and_reaches_it() -> None:
    ctx = Context(Catalogue(()))
    figures = [
        FigureRow(
            row=Row(2, {"value": Decimal(v), "unit": "percent", "qualifier": None, "source_id": "x"}),
            indicator_id="g",
            indicator="Tăng trưởng",
            member_id="kbang",
            member="Kbang",
            year=year,
            basis="constant-2010",
            unit="percent",
            qualifier=None,
            note="",
        )
        for year, v in ((2022, "8.6"), (2023, "8.07"), (2024, "9.1"))
    ]
    chart = line_chart("c.svg", "Tăng trưởng", "%", series_points(figures, ctx), "Nguồn: x", ctx, reference=Decimal(0))
    rules = [
        path
        for group in chart.inline.iter(f"{{{SVG}}}g")
        if "mark-rule role-mark" in (group.get("class") or "")
        for path in group
    ]
    assert rules and all(rule.get("stroke-dasharray") for rule in rules)
    labels = [t for g in chart.inline.iter(f"{{{SVG}}}g") if "role-axis-label" in (g.get("class") or "") for t in g]
    assert "0" in [t.text for t in labels]  # the axis reaches the reference
    assert "2022–2024 · % · vẽ từ mốc 0%" in _texts(chart.inline)


def test_shares_of_a_plan_and_growths_have_their_reference_in_the_data() -> None:
    """Which indicators are drawn from a reference is data (``reference`` in indicators.csv), set for every
    share of a plan or an estimate (100) and every growth (0)."""
    found = {}
    for path in sorted(ROOT.glob("datasets/*/indicators.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row["id"].endswith(("-plan-share", "-estimate-share")):
                    found[row["id"]] = (row.get("reference"), "100")
                elif row["id"].endswith("-growth"):
                    found[row["id"]] = (row.get("reference"), "0")
    assert len(found) >= 4
    assert {k: v[0] for k, v in found.items()} == {k: v[1] for k, v in found.items()}


# --- chart text wraps, charts grow on a wide screen ----------------------------------------------------------


def test_long_chart_texts_wrap_instead_of_widening_the_chart() -> None:
    ctx = Context(Catalogue(()))
    title = "Số xã được công nhận đạt chuẩn nông thôn mới trong năm theo bộ tiêu chí 2021–2025 (2024)"
    bars = [
        Bar("Kbang", Decimal(3), "3"),
        Bar("Đak Pơ", Decimal(4), "4", "chỉ biết mức tối thiểu (hơn); khác loại giá (nguồn không nêu loại giá)"),
    ]
    chart = bar_chart("d.svg", title, "", bars, "Nguồn: " + "Báo Gia Lai (tháng 12 năm 2024); " * 4, ctx)
    width = Decimal(chart.inline.get("width", "0"))
    assert width <= WIDTH
    assert f"max-width: {(width * GROWTH).quantize(Decimal(1))}px" in chart.inline.get("style", "")
    standalone = ElementTree.fromstring(chart.standalone)
    assert Decimal(standalone.get("width", "0")) <= WIDTH + 40
    wrapped = [t for t in chart.inline.iter(f"{{{SVG}}}text") if len(list(t)) > 1]  # lines as <tspan>s
    assert sorted(" ".join(t.itertext()) for t in wrapped) == sorted([title, bars[1].caveat])


def test_no_chart_of_the_site_is_wider_than_a_phone(built_project: Path) -> None:
    widths = {}
    for page in sorted((built_project / "docs").rglob("*.md")):
        for width in re.findall(r'<figure class="chart"[^>]*><svg [^>]*?width="([\d.]+)"', page.read_text("utf-8")):
            widths[page.relative_to(built_project).as_posix()] = max(
                widths.get(page.relative_to(built_project).as_posix(), 0.0), float(width)
            )
    assert len(widths) >= 20
    wide = {page: width for page, width in widths.items() if width > WIDTH}
    assert wide == {}, wide


# --- tables as cards on a phone ---------------------------------------------------------------------------------


def _html(text: str) -> str:
    return markdown.Markdown(extensions=["tables", "generator.publish.mdext"]).convert(text)


def test_cells_of_a_wide_table_carry_their_column_header() -> None:
    html = _html(
        "| Địa phương | 2023 \\(6 tháng\\) | *2024* |\n| :-- | --: | --: |\n| Kbang | — | [6.156](<x.md>) |\n\n: Bảng\n"
    )
    cells = re.findall(r"<td([^>]*)>", html)
    assert 'data-label="Địa phương"' in cells[0]
    assert 'data-label="2023 (6 tháng)"' in cells[1] and "data-empty" in cells[1]
    assert 'data-label="2024"' in cells[2] and "data-empty" not in cells[2]
    assert '<table role="table">' in html and 'role="columnheader"' in html
    assert "<caption>Bảng</caption>" in html


def test_a_two_column_table_keeps_its_layout() -> None:
    html = _html("| Thông tin | Giá trị |\n| :-- | :-- |\n| Mã | x |\n")
    assert "data-label" not in html and "role=" not in html


def test_a_header_cannot_inject_markup_through_its_label() -> None:
    html = _html('| a | b | <img src=x onerror=alert(1)> "q" |\n| - | - | - |\n| 1 | 2 | 3 |\n')
    assert 'data-label="<img' not in html
    for label in re.findall(r'data-label="([^"]*)"', html):
        assert "<" not in label


def test_a_chart_says_its_price_basis_under_its_title(built_project: Path) -> None:
    """The chart of production value by member for each year names, in the image, the price basis of most of
    its bars (read here from the CSV: full-year results of that year), beside the unit."""
    from collections import Counter

    from generator.vocab import PRICE_BASES

    with (ROOT / "datasets/production-value/production-value.csv").open(encoding="utf-8", newline="") as handle:
        rows = [
            r
            for r in csv.DictReader(handle)
            if r["indicator_id"] == "production-value" and r["period"] == "full-year" and r["status"] == "result"
        ]
    checked = 0
    for year in sorted({r["year"] for r in rows}):
        bases = Counter(r["price_basis"] for r in rows if r["year"] == year)
        usual = sorted(bases.items(), key=lambda item: (-item[1], item[0]))[0][0]
        svg = built_project / f"docs/du-lieu/production-value/bieu-do/production-value/{year}.svg"
        texts = _texts(ElementTree.parse(svg).getroot())
        assert any(t.startswith(f"tỷ đồng · {PRICE_BASES[usual].label_vi}") for t in texts), (year, texts)
        checked += 1
    assert checked >= 3
