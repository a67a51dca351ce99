"""Data people can trust: series over the years, warnings derived from the data, sources checked against
each other, history from git, and citations."""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

import pytest

from generator.build import build, check
from generator.models import Catalogue, Dataset, SiteInfo, Text
from generator.outputs.citation import cite
from generator.outputs.tables import Context

from conftest import ROOT, copy_project
from htmltext import read_page

PV = "datasets/production-value/production-value.csv"
SOURCE_2024 = "baogialai-2025-02-cluster2-2024-review"


def add_rows(root: Path, file: str, *rows: str) -> None:
    path = root / file
    path.write_text(path.read_text(encoding="utf-8") + "".join(r + "\n" for r in rows), encoding="utf-8")


def built(root: Path) -> Path:
    checked, report = build(root)
    assert report is not None, [i.as_tuple() for i in checked.issues if i.is_error]
    return root / "site"


def test_a_new_year_is_new_rows_and_appears_in_the_series_with_its_warnings(tmp_path: Path) -> None:
    """A 2025 row at another price basis and a "more than" row: both pages show them, warned."""
    root = copy_project(tmp_path)
    add_rows(
        root,
        PV,
        f'2025,full-year,kbang,production-value,6500.5,billion-vnd,,current,result,"6.500,5 tỷ đồng",{SOURCE_2024},4,,',
        f"2025,full-year,dak-po,production-value,3100,billion-vnd,more-than,constant-2010,result,"
        f'"hơn 3.100 tỷ đồng",{SOURCE_2024},4,,',
    )
    site = built(root)

    text, rows = read_page(site, "du-lieu/production-value")
    kbang = series_row(rows, "Địa phương", "Kbang")
    assert (kbang["2023"], kbang["2024"], kbang["2025"]) == (
        "5.696,5 tỷ đồng",
        "hơn 6.156 tỷ đồng",
        "6.500,5 tỷ đồng (giá hiện hành)",
    )
    assert series_row(rows, "Địa phương", "Đak Pơ")["2025"] == "hơn 3.100 tỷ đồng"
    assert "Kbang (2025)" in text and "Đak Pơ (2025) chỉ là mức tối thiểu" in text

    member_text, member_rows = read_page(site, "dia-phuong/kbang")
    assert series_row(member_rows, "Chỉ tiêu", "Tổng giá trị sản xuất")["2025"] == "6.500,5 tỷ đồng (giá hiện hành)"
    assert re.search(r"2025: giá hiện hành.*không so sánh, xếp hạng hay cộng dồn", member_text)
    assert "2024 chỉ là mức tối thiểu" in member_text  # Kbang's own 2024 "hơn 6.156"


def series_row(rows: list[list[str]], first: str, name: str) -> dict[str, str]:
    """The row ``name`` of the series table whose first header is ``first``, by column header."""
    for i, header in enumerate(rows):
        if header[:1] == [first] and any(h[:2] == "20" for h in header[1:]):
            for row in rows[i + 1 :]:
                if len(row) != len(header):
                    break
                if row[0] == name:
                    return dict(zip(header, row, strict=True))
    raise AssertionError(f"no series row {name!r} under {first!r}")


def test_gaps_are_shown_not_computed(site_dir: Path) -> None:
    """Đak Pơ 2024 has growth but no share of the plan: the series says so with a dash, never a number."""
    _, rows = read_page(site_dir, "dia-phuong/dak-po")
    plan = series_row(rows, "Chỉ tiêu", "Giá trị sản xuất so với kế hoạch")
    growth = series_row(rows, "Chỉ tiêu", "Tăng trưởng giá trị sản xuất")
    assert plan["2023"].startswith("100,05%") and plan["2024"] == "—"
    assert growth["2023"].startswith("7,67%") and growth["2024"].startswith("7,7%")


def test_an_khe_price_basis_change_is_warned_and_noted(site_dir: Path) -> None:
    """An Khê states its production value at current prices (2023 and 2024, as the town council's report says,
    conflict C01), and the 2024 figure is an estimate: marked, linked to the conflict, noted."""
    text, rows = read_page(site_dir, "dia-phuong/an-khe")
    value = series_row(rows, "Chỉ tiêu", "Tổng giá trị sản xuất")
    assert value["2023"] == "18.797,39 tỷ đồng (giá hiện hành)"
    assert value["2024 (6 tháng)"] == "10.859 tỷ đồng (giá hiện hành); 6.453 tỷ đồng"  # one half-year, two bases
    assert value["2024"].startswith("22.011 tỷ đồng (giá hiện hành; ước)") and "C01" in value["2024"]
    assert "không so sánh, xếp hạng hay cộng dồn trực tiếp được" in text
    assert "xem mâu thuẫn C01" in text  # the data's own note


def test_figures_cite_every_source_that_reports_them(site_dir: Path) -> None:
    _, rows = read_page(site_dir, "dia-phuong/dak-po")
    row = next(r for r in rows if "2.735,764 tỷ đồng" in r and "đoạn" in r[-1])  # the table with sources
    assert "Báo Gia Lai, tháng 1 năm 2024, đoạn 2" in row[-1]
    assert "Cổng thông tin điện tử huyện Đak Pơ, 23 tháng 1, 2024, đoạn 2" in row[-1]
    page = (site_dir / "dia-phuong/dak-po/index.html").read_text(encoding="utf-8")
    assert 'href="https://dakpo.gialai.gov.vn/' in page


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "datasets/production-value/citations.csv",
            '2023,full-year,dak-doa,production-value-plan-share,constant-2010,dakpo-portal-2024-01-23-cluster2-2023-review,2,"100,44%"',
            '2023,full-year,dak-doa,production-value-plan-share,constant-2010,dakpo-portal-2024-01-23-cluster2-2023-review,2,"100,45%"',
            ("production-value", "datasets/production-value/citations.csv", 9, "as_published", "sources-disagree"),
        ),
        (
            "datasets/cluster-totals/citations.csv",
            "2023,full-year,sown-area,dakpo-portal-2024-01-23-cluster2-2023-review,2,hơn 90.497 ha",
            "2023,full-year,sown-area,dakpo-portal-2024-01-23-cluster2-2023-review,2,90.497 ha",
            ("cluster-totals", "datasets/cluster-totals/citations.csv", 2, "as_published", "sources-disagree"),
        ),
        (
            "datasets/poverty-health-insurance/poverty-health-insurance.csv",
            '2023,full-year,,kbang,health-insurance-coverage,94.3,percent,,not-applicable,result,"94,3%"',
            '2023,full-year,,kbang,health-insurance-coverage,104.3,percent,,not-applicable,result,"104,3%"',
            (
                "poverty-health-insurance",
                "datasets/poverty-health-insurance/poverty-health-insurance.csv",
                5,
                "value",
                "value-out-of-range",
            ),
        ),
        (
            PV,
            "2023,full-year,kbang,production-value,5696.5,billion-vnd,,constant-2010,",
            "2023,full-year,kbang,production-value,5696.5,billion-vnd,approximately,constant-2010,",
            ("production-value", PV, 5, "qualifier", "constraint-error"),
        ),
        (
            PV,
            "2023,full-year,kbang,production-value,5696.5,billion-vnd,,constant-2010,",
            "2023,full-year,kbang,production-value,5696.5,,,constant-2010,",
            ("production-value", PV, 5, "unit", "constraint-error"),
        ),
    ],
    ids=["sources-disagree", "sources-disagree-on-qualifier", "out-of-range", "qualifier-list", "unit-required"],
)
def test_trust_checks(tmp_path: Path, file: str, old: str, new: str, expected: tuple[object, ...]) -> None:
    root = copy_project(tmp_path)
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert expected in {i.as_tuple() for i in check(root).issues if i.is_error}


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args],
        cwd=root,
        check=True,
        capture_output=True,
        env={
            "GIT_AUTHOR_DATE": "2026-03-04T10:00:00",
            "GIT_COMMITTER_DATE": "2026-03-04T10:00:00",
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.org",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.org",
            "HOME": str(root),
            "PATH": "/usr/bin:/bin",
        },
    )


def test_history_comes_from_git(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Dữ liệu năm 2023")
    add_rows(
        root,
        PV,
        f'2025,full-year,kbang,production-value,6500.5,billion-vnd,,constant-2010,result,"6.500,5 tỷ đồng",'
        f"{SOURCE_2024},4,,",
    )
    git(root, "commit", "-q", "-am", "Thêm giá trị sản xuất năm 2025 của Kbang")
    site = built(root)
    _text, rows = read_page(site, "du-lieu/production-value")
    # each commit, described by what it did to the data (the commit messages are for developers)
    assert history_rows(rows, "Số liệu theo địa phương: 1 dòng mới")
    assert history_rows(rows, "Số liệu theo địa phương: công bố")
    assert not history_rows(rows, "Thêm giá trị sản xuất") and not history_rows(rows, "Dữ liệu năm 2023")
    assert ["Cập nhật lần cuối", "4 tháng 3, 2026"] in rows
    _members_text, members_rows = read_page(site, "du-lieu/members")
    assert history_rows(members_rows, "công bố")  # the first commit only: the second did not touch it
    assert not history_rows(members_rows, "dòng mới")


def history_rows(rows: list[list[str]], words: str) -> bool:
    """Whether a row of the history table (date, what changed, commit) holds ``words``."""
    return any(len(r) == 3 and words in r[1] for r in rows)


def test_citation_block_parses(site_dir: Path) -> None:
    page = (site_dir / "du-lieu/production-value/index.html").read_text(encoding="utf-8")
    blocks = [html.unescape(b) for b in re.findall(r"<pre><code>(.*?)</code></pre>", page, re.S)]
    bibtex = next(b for b in blocks if b.startswith("@misc{"))
    csl = json.loads(next(b for b in blocks if b.lstrip().startswith("{")))
    version = re.search(
        r"^version: (\S+)$", (ROOT / "datasets/production-value/datapackage.yaml").read_text("utf-8"), re.M
    )
    assert version is not None
    assert csl["type"] == "dataset" and csl["title"] == "Giá trị sản xuất" and csl["version"] == version.group(1)
    assert "title = {Giá trị sản xuất}" in bibtex and f"version = {{{version.group(1)}}}" in bibtex
    assert bibtex.count("{") == bibtex.count("}")


def test_citation_escapes_what_bibtex_and_json_treat_specially() -> None:
    dataset = Dataset(
        name="x",
        folder=Path("x"),
        descriptor=Path("x/datapackage.yaml"),
        title=Text('50% {of} "a" \\b_c'),
        description=Text(""),
        version="1.0",
        keywords=(),
        licenses=(),
    )
    site = SiteInfo("Site", "https://example.org/")
    citation = cite(dataset, site, "du-lieu/x/", Context(Catalogue((dataset,), site)))
    assert r"title = {50\% \{of\} " in citation.bibtex and r"\textbackslash{}b\_c" in citation.bibtex
    assert json.loads(citation.csl_json)["title"] == '50% {of} "a" \\b_c'
    assert json.loads(citation.csl_json)["URL"] == "https://example.org/du-lieu/x/"
    assert "https://example.org/du-lieu/x/" in citation.text
