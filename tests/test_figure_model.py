"""What a figure is: its period, status, standard, the authority of its source, and documented conflicts.

Each test shows one rule of the model working on data: part-year figures and estimates never enter a
full-year ranking or chart, a series break is never compared across, a disagreement between sources is an
error until it is documented, and a documented one is listed on the conflicts page and linked from its
figure. The real An Khê 2024 figure is checked where the site shows it.
"""

from __future__ import annotations

import csv
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from generator import config
from generator.build import check, generate
from generator.models import Catalogue, Row
from generator.outputs.charts import figure_bars
from generator.outputs.figures import FigureRow, complete_year, ranking
from generator.outputs.tables import Context
from generator.vocab import CONFLICT_KINDS, DISAGREEMENT

from conftest import FIXTURES, ROOT, copy_project

PV = "datasets/production-value/production-value.csv"
PV_CITATIONS = "datasets/production-value/citations.csv"
FIGURES_CSV = "datasets/figures/figures.csv"
FIGURES_YAML = "datasets/figures/datapackage.yaml"


def _errors(root: Path) -> set[tuple[str | None, str, int | None, str | None, str]]:
    return {i.as_tuple() for i in check(root).issues if i.is_error}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}: the data changed"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line(path: Path, start: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.startswith(start))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the repository's datasets (the repository itself is never touched)."""
    return copy_project(tmp_path / "project")


# --- conflicts between sources -------------------------------------------------------------------------------


def test_an_undocumented_conflicting_row_names_both_rows(project: Path) -> None:
    citations = project / PV_CITATIONS
    with citations.open("a", encoding="utf-8", newline="") as handle:
        # Đak Đoa 2024 is 12.033 tỷ đồng (2010 prices) in the cluster article: a source saying 12.500 disagrees
        handle.write(
            "2024,full-year,dak-doa,production-value,constant-2010,baogialai-2024-12-an-khe-council-2024,3,"
            '"12.500 tỷ đồng",,\n'
        )
    added = len(citations.read_text(encoding="utf-8").splitlines())
    figure_line = _line(project / PV, "2024,full-year,dak-doa,production-value,")
    issues = [i for i in check(project).issues if i.code == "sources-disagree"]
    assert [i.as_tuple() for i in issues] == [
        ("production-value", PV_CITATIONS, added, "as_published", "sources-disagree")
    ]
    message = str(issues[0].message)
    assert f"production-value.csv line {figure_line}" in message  # the other row, by file and line
    assert "'12.500 tỷ đồng'" in message and "12033" in message


def test_a_price_basis_disagreement_is_an_error_until_documented(project: Path) -> None:
    citations = project / PV_CITATIONS
    text = citations.read_text(encoding="utf-8")
    assert text.count(",c01\n") == 2
    citations.write_text(text.replace(",c01\n", ",\n"), encoding="utf-8")
    lines = citations.read_text(encoding="utf-8").splitlines()
    undocumented = [n for n, line in enumerate(lines, start=1) if line.startswith("2024,full-year,an-khe,")]
    assert _errors(project) == {
        ("production-value", PV_CITATIONS, n, "as_published", "sources-disagree") for n in undocumented
    }


def test_a_documented_conflict_that_agrees_is_flagged(project: Path) -> None:
    citations = project / PV_CITATIONS
    line = _line(citations, "2023,full-year,dak-po,production-value,")
    _edit(citations, '"2.735,764 tỷ đồng",,\n', '"2.735,764 tỷ đồng",,c01\n')
    warnings = {i.as_tuple() for i in check(project).issues if not i.is_error}
    assert ("production-value", PV_CITATIONS, line, "conflict_id", "conflict-without-disagreement") in warnings


def test_the_conflicts_page_lists_every_documented_conflict(built_project: Path) -> None:
    with (ROOT / "datasets/conflicts/conflicts.csv").open(encoding="utf-8", newline="") as handle:
        conflicts = list(csv.DictReader(handle))
    with (ROOT / "datasets/sources/sources.csv").open(encoding="utf-8", newline="") as handle:
        urls = {row["id"]: row["url"] for row in csv.DictReader(handle)}
    cited: dict[str, set[str]] = {}
    for path in sorted((ROOT / "datasets").glob("*/citations.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row.get("conflict_id"):
                    cited.setdefault(row["conflict_id"], set()).add(row["source_id"])
    assert conflicts, "no documented conflict"
    for lang, prefix in (("vi", ""), ("en", "en/")):
        page = (built_project / "docs" / prefix / config.CONFLICTS_DIR / "index.md").read_text(encoding="utf-8")
        for conflict in conflicts:
            kind = CONFLICT_KINDS[conflict["kind"]]
            heading = f"\n## {kind.label_en if lang == 'en' else kind.label_vi}\n"
            assert heading in page
            section = page.index(f"\n### {conflict['id'].upper()}\n")
            assert page.rindex("\n## ", 0, section) == page.index(heading)  # listed under its kind
            assert conflict["title_en" if lang == "en" else "title"] in page
            if conflict["kind"] == DISAGREEMENT:
                assert cited.get(conflict["id"]), f"{conflict['id']} is a disagreement but no citation refers to it"
            for source in cited.get(conflict["id"], ()):
                assert urls[source] in page  # the source set aside
        assert urls["baogialai-2024-12-an-khe-council-2024"] in page  # the source used for C01
    html = (built_project / "site" / config.CONFLICTS_DIR / "index.html").read_text(encoding="utf-8")
    assert 'id="c01"' in html


def test_each_affected_figure_links_to_its_conflict(built_project: Path) -> None:
    for page in ("du-lieu/production-value/index.html", "dia-phuong/an-khe/index.html"):
        html = (built_project / "site" / page).read_text(encoding="utf-8")
        assert re.search(r'href="(\.\./)+mau-thuan/#c01"', html), page
    # a figure no source disputes carries no mark: Kbang's 2024 production value, in its table cell
    kbang = (built_project / "site/dia-phuong/kbang/index.html").read_text(encoding="utf-8")
    cells = re.findall(r"<td[^>]*>(?:(?!</td>).)*6\.156(?:(?!</td>).)*</td>", kbang, re.S)
    assert cells and all("mau-thuan/#" not in c for c in cells)
    assert "mau-thuan/#c07" in kbang  # while its budget figures under two concepts link to theirs


# --- An Khê 2024 -------------------------------------------------------------------------------------------


def test_an_khe_2024_is_at_current_prices_an_estimate_and_never_ranked(built_project: Path) -> None:
    with (ROOT / PV).open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["year"] == "2024" and r["member_id"] == "an-khe"]
    full_year = [r for r in rows if r["period"] == "full-year"]
    assert {(r["indicator_id"], r["price_basis"], r["status"]) for r in full_year} == {
        ("production-value", "current", "estimate"),
        ("production-value-plan-share", "current", "estimate"),
    }
    comparison = (built_project / "docs/so-sanh/index.md").read_text(encoding="utf-8")
    section = comparison.split("## Tổng giá trị sản xuất (2024)")[1].split("\n## ")[0]
    an_khe = next(line for line in section.splitlines() if "An Khê" in line and line.startswith("|"))
    assert an_khe.startswith("| — |"), an_khe  # no rank
    assert "giá hiện hành" in an_khe and "ước tính" in an_khe
    ranked = [line for line in section.splitlines() if re.match(r"\| [0-9]+ \|", line)]
    assert len(ranked) == 3  # Đak Đoa, Mang Yang, Đak Pơ at 2010 prices; Kbang is only "more than"
    assert all("An Khê" not in line for line in ranked)
    member = (built_project / "docs/dia-phuong/an-khe.md").read_text(encoding="utf-8")
    rank_rows = [line for line in member.splitlines() if line.startswith("| Tổng giá trị sản xuất | 2024 |")]
    assert rank_rows and all("không xếp hạng" in line for line in rank_rows)
    # the home chart of 2024 does not draw it, and says so
    home = (built_project / "docs/index.md").read_text(encoding="utf-8")
    desc = re.search(r"<desc[^>]*>([^<]*)</desc>", home)
    assert desc is not None and "2024" in desc.group(1) and "An Khê" not in desc.group(1)
    assert "An Khê (2024)" in home.split("</figure>")[1].split("\n## ")[0]


def test_the_2024_review_conference_is_recorded(built_project: Path) -> None:
    with (ROOT / "datasets/cluster-activities/conferences.csv").open(encoding="utf-8", newline="") as handle:
        rows = {r["id"]: r for r in csv.DictReader(handle)}
    row = rows["2025-02-12-an-khe"]
    assert (row["date"], row["host_member_id"], row["reviewed_year"], row["agreement_year"]) == (
        "2025-02-12",
        "an-khe",
        "2024",
        "2025",
    )
    assert row["agreement_indicator_count"] == ""  # the excerpt does not give it: left empty, not invented
    page = (built_project / "docs/du-lieu/cluster-activities/index.md").read_text(encoding="utf-8")
    assert "12 tháng 2, 2025" in page


# --- part of a year, estimates and plan targets --------------------------------------------------------------


@pytest.fixture
def fixture_project(tmp_path: Path) -> Path:
    """The small valid fixture with a first-half figure and an estimate added to its 2023 production values."""
    root = tmp_path / "fixture"
    shutil.copytree(FIXTURES / "valid", root)
    figures = root / FIGURES_CSV
    with figures.open("a", encoding="utf-8", newline="") as handle:
        handle.write(
            '2023,alpha,production-value,1234.5,billion-vnd,,constant-2010,"1.234,5 tỷ đồng",'
            "example-2024-01-review,2,first-half,result\n"
        )
    _edit(
        figures,
        '"10.858 tỷ đồng",example-2024-01-review,2,full-year,result',
        '"10.858 tỷ đồng",example-2024-01-review,2,full-year,estimate',
    )
    _edit(
        figures,
        "2023,beta,production-value,10858,billion-vnd,,current,",
        "2023,beta,production-value,10858,billion-vnd,,constant-2010,",
    )
    return root


def test_a_part_year_row_and_an_estimate_never_enter_a_full_year_ranking_or_chart(fixture_project: Path) -> None:
    checked, site = generate(fixture_project)
    assert site is not None, [i.as_tuple() for i in checked.issues]
    comparison = site.pages["so-sanh/index.md"]
    section = comparison.split("## Tổng giá trị sản xuất (2023)")[1].split("\n## ")[0]
    table = [line for line in section.splitlines() if line.startswith("| ") and ("Alpha" in line or "Beta" in line)]
    ranked = [line for line in table if re.match(r"\| [0-9]+ \|", line)]
    assert len(ranked) == 1 and "Alpha" in ranked[0] and "2.735,764" in ranked[0]
    beta = next(line for line in table if "Beta" in line and line.startswith("|"))
    assert beta.startswith("| — |") and "ước tính" in beta  # listed, with why, never ranked
    assert all("1.234,5" not in line for line in ranked)
    # the chart of 2023 draws the full-year result only, and names what it leaves out
    desc = re.search(r"<desc[^>]*>([^<]*)</desc>", section)
    assert desc is not None
    assert "2.735,764" in desc.group(1)
    assert "10.858" not in desc.group(1) and "1.234,5" not in desc.group(1)
    assert "số ước tính, chưa phải kết quả: Đak Beta (2023)" in section  # named under the chart, with why
    assert "1.234,5" not in section  # a part of a year is not on the page comparing full years at all
    # the dataset page keeps both figures in its tables, labelled
    dataset = site.pages["du-lieu/figures/index.md"]
    assert "2023 (6 tháng)" in dataset and "(ước)" in dataset
    assert "chỉ tính một phần của năm: Alpha (2023, 6 tháng)" in dataset
    english = site.pages["en/du-lieu/figures/index.md"]
    assert "2023 (H1)" in english and "(est.)" in english


def _figure(member: str, year: int, value: str, **qualities: str | None) -> FigureRow:
    cells = {"value": Decimal(value), "unit": "percent", "qualifier": None, "source_id": "x"}
    return FigureRow(
        row=Row(2, cells),
        indicator_id="poverty-rate",
        indicator="Tỷ lệ hộ nghèo",
        member_id=member,
        member=member.title(),
        year=year,
        basis="not-applicable",
        unit="percent",
        qualifier=None,
        note="",
        period=qualities.get("period") or "full-year",
        status=qualities.get("status") or "result",
        standard=qualities.get("standard"),
        uncompared=qualities.get("uncompared") or "",
    )


def _ctx() -> Context:
    return Context(Catalogue(()))


def test_a_plan_target_and_a_part_of_a_year_are_left_out_of_a_ranking() -> None:
    group = [
        _figure("kbang", 2022, "13.98"),
        _figure("dak-po", 2022, "9.14", status="plan-target"),
        _figure("an-khe", 2022, "1.2", period="first-half"),
        _figure("mang-yang", 2022, "12.5", status="estimate"),
    ]
    ranked = ranking(group, _ctx())
    assert [(r.figure.member_id, r.rank) for r in ranked] == [("kbang", 1), ("mang-yang", None)]
    assert ranked[1].caveat == "số ước tính, chưa phải kết quả"


def test_a_series_break_is_never_compared_across() -> None:
    """Kbang's poverty rate under the 2016–2020 standard (2020) and the 2022–2025 one: never ranked together,
    never drawn as one comparable series."""
    group = [
        _figure("kbang", 2022, "13.98", standard="poverty-2022-2025"),
        _figure("mang-yang", 2022, "10.1", standard="poverty-2022-2025"),
        _figure("dak-po", 2022, "2.79", standard="poverty-2016-2020"),
    ]
    ranked = ranking(group, _ctx())
    assert [(r.figure.member_id, r.rank) for r in ranked] == [("kbang", 1), ("mang-yang", 2), ("dak-po", None)]
    assert "khác chuẩn (chuẩn nghèo giai đoạn 2016–2020)" in ranked[2].caveat
    series = [
        _figure("kbang", 2020, "5.27", standard="poverty-2016-2020"),
        _figure("kbang", 2022, "13.98", standard="poverty-2022-2025"),
        _figure("kbang", 2023, "11.2", standard="poverty-2022-2025"),
    ]
    bars = figure_bars(series, label_of_member=False, ctx=_ctx())
    # the bar across the break is drawn apart (another colour, with the reason), never as the same series
    assert [bool(b.caveat) for b in bars] == [True, False, False]


def test_an_indicator_the_sources_name_inconsistently_is_never_ranked() -> None:
    """Budget revenue: the sources use one name for totals of very different scope, so no figure of it gets a
    rank, each says why, and no chart sets the members side by side."""
    why = "các nguồn dùng cùng một tên cho những khoản khác nhau"
    group = [_figure(m, 2023, v, uncompared=why) for m, v in (("mang-yang", "606.926"), ("dak-po", "36.528"))]
    ranked = ranking(group, _ctx())
    assert [(r.figure.member_id, r.rank, r.caveat) for r in ranked] == [
        ("mang-yang", None, why),
        ("dak-po", None, why),
    ]
    assert ranking([_figure(m, 2023, v) for m, v in (("mang-yang", "1"), ("dak-po", "2"))], _ctx())[0].rank == 1


def test_the_real_budget_revenue_is_never_ranked_nor_charted_by_member(built_project: Path) -> None:
    docs = built_project / "docs"
    comparison = (docs / "so-sanh/index.md").read_text(encoding="utf-8")
    section = comparison[comparison.index("Thu ngân sách nhà nước trên địa bàn") :]
    section = section[: section.find("\n## ", 1)]
    assert re.search(r"^\| \d+ \|", section, re.M) is None  # no row ranked
    assert "không xếp hạng hay vẽ cạnh nhau giữa các địa phương" in section
    charts = sorted((built_project / "site").rglob("budget-revenue-2*.svg"))
    assert charts == []  # no chart of one year across the members


def test_a_number_from_an_english_page_is_read_the_english_way(project: Path) -> None:
    profiles = project / "datasets/member-profiles/member-profiles.csv"
    line = _line(profiles, "2019,full-year,,an-khe,population,81600,")
    mismatch = (
        "member-profiles",
        "datasets/member-profiles/member-profiles.csv",
        line,
        "value",
        "as-published-mismatch",
    )
    assert mismatch not in _errors(project)
    # the same text from a Vietnamese source reads 81,600 as 81.6
    _edit(profiles, '81,600",wiki-en-mirror-an-khe,', '81,600",gialai-portal-an-khe-profile,')
    assert mismatch in _errors(project)


def test_one_new_row_never_takes_over_the_chart_of_every_member() -> None:
    figures = [_figure(m, 2024, "1") for m in ("an-khe", "kbang", "dak-doa", "mang-yang", "dak-po")]
    assert complete_year([*figures, _figure("kbang", 2025, "2")]) == 2024
    assert complete_year([*figures, _figure("kbang", 2025, "2", period="first-half")]) == 2024
    later = [_figure(m, 2025, "1") for m in ("an-khe", "kbang", "dak-doa", "mang-yang", "dak-po")]
    assert complete_year([*figures, *later]) == 2025


# --- what a table of figures must state ----------------------------------------------------------------------


def test_a_table_of_figures_without_period_or_status_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "fixture"
    shutil.copytree(FIXTURES / "valid", root)
    figures = root / FIGURES_CSV
    lines = figures.read_text(encoding="utf-8").splitlines()
    figures.write_text("\n".join(line.rsplit(",", 1)[0] for line in lines) + "\n", encoding="utf-8")
    yaml = root / FIGURES_YAML
    text = yaml.read_text(encoding="utf-8").replace(", price_basis, status]", ", price_basis]")
    start = text.index("        - name: status\n")
    yaml.write_text(text[:start] + text[text.index("  - name: indicators\n") :], encoding="utf-8")
    assert _errors(root) == {("figures", FIGURES_YAML, None, "resources/figures/schema/fields", "figure-field-missing")}


def test_a_figure_as_of_a_date_needs_its_date(tmp_path: Path) -> None:
    root = tmp_path / "fixture"
    shutil.copytree(FIXTURES / "valid", root)
    _edit(root / FIGURES_CSV, ",3;4,full-year,result", ",3;4,as-of-date,result")
    assert _errors(root) == {("figures", FIGURES_CSV, 4, "as_of", "as-of-date-missing")}


# --- authority of sources -------------------------------------------------------------------------------------


def test_a_secondary_copy_is_never_preferred(project: Path) -> None:
    line = _line(project / PV, "2023,full-year,dak-po,production-value,")
    _edit(
        project / PV,
        '2023,full-year,dak-po,production-value,2735.764,billion-vnd,,constant-2010,result,"2.735,764 tỷ đồng",'
        "baogialai-2024-01-cluster2-2023-review,",
        '2023,full-year,dak-po,production-value,2735.764,billion-vnd,,constant-2010,result,"2.735,764 tỷ đồng",'
        "gso-administrative-units-v2.4.1,",
    )
    assert _errors(project) == {("production-value", PV, line, "source_id", "secondary-source-preferred")}


def test_every_source_states_its_authority_and_copies_are_labelled(built_project: Path) -> None:
    with (ROOT / "datasets/sources/sources.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["authority"] for r in rows} <= {"official", "press", "secondary"}
    assert next(r for r in rows if "gov.vn" in r["url"])["authority"] == "official"
    about = (built_project / "docs/gioi-thieu.md").read_text(encoding="utf-8")
    assert "bản sao lại" in about and "trang chính thức" in about and "báo chí" in about


def test_a_series_break_on_the_pages(tmp_path: Path) -> None:
    """A ``standard`` column in a real table: figures under two standards are never ranked together, the
    break is explained, each value names its standard, and a member's chart draws the other standard apart."""
    root = tmp_path / "fixture"
    shutil.copytree(FIXTURES / "valid", root)
    yaml = root / FIGURES_YAML
    _edit(
        yaml,
        "  - name: indicators\n",
        "        - name: standard\n"
        "          type: string\n"
        "          title: Chuẩn đo\n"
        "          translations:\n"
        "            en: {title: Standard}\n"
        "          constraints: {enum: [poverty-2016-2020, poverty-2022-2025]}\n"
        "  - name: indicators\n",
    )
    figures = root / FIGURES_CSV
    lines = figures.read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",standard"] + [line + "," for line in lines[1:]]
    lines[-1] = lines[-1][:-1] + ",poverty-2022-2025"  # Beta's plan share, 2023
    lines += [
        '2023,alpha,plan-share,99.5,percent,,current,"99,5%",example-2024-01-23-portal,3,full-year,result,'
        "poverty-2016-2020",
        '2022,alpha,plan-share,98.5,percent,,current,"98,5%",example-2024-01-23-portal,3,full-year,result,'
        "poverty-2016-2020",
    ]
    figures.write_text("\n".join(lines) + "\n", encoding="utf-8")
    checked, site = generate(root)
    assert site is not None, [i.as_tuple() for i in checked.issues]
    section = site.pages["so-sanh/index.md"].split("## Giá trị sản xuất so với kế hoạch (2023)")[1].split("\n## ")[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "dia-phuong" in line]
    assert len(rows) == 2
    assert sum(1 for line in rows if re.match(r"\| [0-9]+ \|", line)) == 1  # one standard ranked, never both
    assert any(line.startswith("| — |") and "khác chuẩn" in line for line in rows)
    assert "chuỗi số liệu bị gián đoạn" in section
    member = site.pages["dia-phuong/alpha.md"]
    assert "(chuẩn nghèo giai đoạn 2016–2020)" in member
    english = site.pages["en/so-sanh/index.md"]
    assert "another standard" in english and "a break in the series" in english
