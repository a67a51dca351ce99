"""Series across the years: a line per indicator that never joins across a gap, a change of price basis or a
series break, estimates drawn apart; and member pages that lead with their latest figures and those lines."""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

from generator.models import Catalogue, Row
from generator.outputs.charts import SVG, line_chart, series_points
from generator.outputs.figures import FigureRow
from generator.outputs.tables import Context

from conftest import ROOT


def _figure(year: int, value: str, basis: str = "constant-2010", **qualities: str) -> FigureRow:
    cells = {"value": Decimal(value), "unit": "billion-vnd", "qualifier": None, "source_id": "x"}
    return FigureRow(
        row=Row(2, cells),
        indicator_id="production-value",
        indicator="Tổng giá trị sản xuất",
        member_id="kbang",
        member="Kbang",
        year=year,
        basis=basis,
        unit="billion-vnd",
        qualifier=None,
        note="",
        status=qualities.get("status", "result"),
        standard=qualities.get("standard"),
    )


def _drawn_lines(svg: ElementTree.Element) -> list[int]:
    """How many points each line of a chart joins (a lone point's path joins none)."""
    counts = []
    for group in svg.iter(f"{{{SVG}}}g"):
        if "mark-line" in (group.get("class") or ""):
            for path in group.iter(f"{{{SVG}}}path"):
                counts.append(path.get("d", "").count("L") + 1 if "L" in path.get("d", "") else 1)
    return counts


def test_no_line_joins_across_a_gap_a_price_basis_change_or_a_series_break() -> None:
    ctx = Context(Catalogue(()))
    figures = [
        _figure(2019, "4000"),
        _figure(2020, "4300"),
        # 2021 is missing at 2010 prices (a gap), and given at current prices (another basis)
        _figure(2021, "9000", basis="current"),
        _figure(2022, "5000"),
        _figure(2023, "5696.5"),
        _figure(2024, "6156", status="estimate"),
    ]
    points = series_points(figures, ctx)
    segments: dict[str, list[int]] = {}
    for point in points:
        segments.setdefault(point.segment, []).append(point.year)
    assert sorted(segments.values()) == [[2019, 2020], [2021], [2022, 2023, 2024]]
    assert [p.estimate for p in points if p.year == 2024] == [True]
    assert next(p for p in points if p.year == 2021).caveat == "khác loại giá (giá hiện hành)"
    chart = line_chart("x.svg", "Tổng giá trị sản xuất", "tỷ đồng", points, "Nguồn: x", ctx)
    assert sorted(_drawn_lines(chart.inline)) == [1, 2, 3]  # two lines and a lone point: nothing joins 2020-2022
    assert "2024: 6.156 tỷ đồng (số ước tính)" in chart.description

    poverty = [
        _figure(2020, "5.27", basis="not-applicable", standard="poverty-2016-2020"),
        _figure(2021, "4.1", basis="not-applicable", standard="poverty-2016-2020"),
        _figure(2022, "13.98", basis="not-applicable", standard="poverty-2022-2025"),
        _figure(2023, "11.2", basis="not-applicable", standard="poverty-2022-2025"),
    ]
    points = series_points(poverty, ctx)
    by_segment: dict[str, set[str | None]] = {}
    for point, figure in zip(points, sorted(poverty, key=lambda f: int(str(f.year))), strict=True):
        by_segment.setdefault(point.segment, set()).add(figure.standard)
    assert len(by_segment) == 2 and all(len(standards) == 1 for standards in by_segment.values())
    chart = line_chart("y.svg", "Tỷ lệ hộ nghèo", "%", points, "Nguồn: x", ctx)
    assert sorted(_drawn_lines(chart.inline)) == [2, 2]  # 2021-2022 is never joined


def test_a_member_page_leads_with_its_latest_figures_and_their_line(built_project: Path) -> None:
    """Kbang's production value over the years is the first thing on Kbang's page: nothing comes before it
    but the name and its other spellings."""
    with (ROOT / "datasets/production-value/production-value.csv").open(encoding="utf-8", newline="") as handle:
        kbang = [
            r
            for r in csv.DictReader(handle)
            if r["member_id"] == "kbang" and r["indicator_id"] == "production-value" and r["period"] == "full-year"
        ]
    latest = max(kbang, key=lambda r: r["year"])
    page = (built_project / "docs/dia-phuong/kbang.md").read_text(encoding="utf-8")
    body = page.split("\n# Kbang\n", 1)[1]
    before = body.split("<figure", 1)[0]
    headings = re.findall(r"^#+ .+$", before, re.M)
    assert headings == ["## Số liệu chính", "### Tổng giá trị sản xuất"], headings
    assert f"Năm {latest['year']}:" in before
    desc = re.search(r"<desc[^>]*>([^<]*)</desc>", body)
    assert desc is not None
    for row in kbang:  # every year of the series is in the chart
        assert f"{row['year']}: " in desc.group(1), row["year"]
    assert "!!! info" not in before  # the historical note and the facts come after the figures
