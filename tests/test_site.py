"""The built site, checked against the founding source: every figure of the 2023 Báo Gia Lai article appears
on its dataset page and on its member page, in Vietnamese format, with its unit and qualifier.

The expected figures below are typed from the article (shared/sources/2024-01-baogialai-cluster2-2023-review.txt)
as it prints them: they are an oracle independent of datasets/.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import pytest

from conftest import ROOT
from htmltext import read_page

# (member page, figure as the site must show it, indicator's title on the site)
MEMBER_FIGURES = [
    ("dak-po", "2.735,764 tỷ đồng", "Tổng giá trị sản xuất"),
    ("dak-po", "100,05%", "Giá trị sản xuất so với kế hoạch"),
    ("dak-po", "7,67%", "Tăng trưởng giá trị sản xuất"),
    ("dak-doa", "10.858 tỷ đồng", "Tổng giá trị sản xuất"),
    ("dak-doa", "100,44%", "Giá trị sản xuất so với kế hoạch"),
    ("dak-doa", "10,7%", "Tăng trưởng giá trị sản xuất"),
    ("kbang", "5.696,5 tỷ đồng", "Tổng giá trị sản xuất"),
    ("kbang", "100,019%", "Giá trị sản xuất so với kế hoạch"),
    ("kbang", "8,068%", "Tăng trưởng giá trị sản xuất"),
    ("mang-yang", "7.662,6 tỷ đồng", "Tổng giá trị sản xuất"),
    ("mang-yang", "100,58%", "Giá trị sản xuất so với kế hoạch"),
    ("mang-yang", "11,7%", "Tăng trưởng giá trị sản xuất"),
    ("an-khe", "18.797,39 tỷ đồng", "Tổng giá trị sản xuất"),
    ("an-khe", "100,3%", "Giá trị sản xuất so với kế hoạch"),
    ("an-khe", "12,83%", "Tăng trưởng giá trị sản xuất"),
    ("mang-yang", "3,32 điểm phần trăm", "Mức giảm tỷ lệ hộ nghèo"),
    ("dak-po", "1,8 điểm phần trăm", "Mức giảm tỷ lệ hộ nghèo"),
    ("dak-doa", "2,12 điểm phần trăm", "Mức giảm tỷ lệ hộ nghèo"),
    ("kbang", "2,72 điểm phần trăm", "Mức giảm tỷ lệ hộ nghèo"),
    ("an-khe", "0,33 điểm phần trăm", "Mức giảm tỷ lệ hộ nghèo"),
    ("dak-po", "94,2%", "Tỷ lệ người dân tham gia bảo hiểm y tế"),
    ("dak-doa", "90,76%", "Tỷ lệ người dân tham gia bảo hiểm y tế"),
    ("mang-yang", "93%", "Tỷ lệ người dân tham gia bảo hiểm y tế"),
    ("kbang", "94,3%", "Tỷ lệ người dân tham gia bảo hiểm y tế"),
    ("an-khe", "93,2%", "Tỷ lệ người dân tham gia bảo hiểm y tế"),
]
MEMBER_NAMES = {
    "dak-po": "Đak Pơ",
    "dak-doa": "Đak Đoa",
    "kbang": "Kbang",
    "mang-yang": "Mang Yang",
    "an-khe": "An Khê",
}
DATASET_OF = {
    "Tổng giá trị sản xuất": "production-value",
    "Giá trị sản xuất so với kế hoạch": "production-value",
    "Tăng trưởng giá trị sản xuất": "production-value",
    "Mức giảm tỷ lệ hộ nghèo": "poverty-health-insurance",
    "Tỷ lệ người dân tham gia bảo hiểm y tế": "poverty-health-insurance",
}
# Cluster-wide figures: (figure, indicator's title); on the cluster-totals page and the home page.
CLUSTER_FIGURES = [
    ("hơn 90.497 ha", "Tổng diện tích gieo trồng"),
    ("12.872 tỷ đồng", "Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ"),
    ("356,667 tỷ đồng", "Tổng thu ngân sách nhà nước"),
    ("129", "Doanh nghiệp và hợp tác xã thành lập mới"),
    ("100%", "Giao quân so với kế hoạch"),
]


def rows_with(rows: list[list[str]], *cells: str) -> list[list[str]]:
    return [row for row in rows if all(c in row for c in cells)]


@pytest.mark.parametrize(("member", "figure", "indicator"), MEMBER_FIGURES)
def test_member_figure_on_dataset_and_member_page(site_dir: Path, member: str, figure: str, indicator: str) -> None:
    _, dataset_rows = read_page(site_dir, f"du-lieu/{DATASET_OF[indicator]}")
    assert rows_with(dataset_rows, "2023", MEMBER_NAMES[member], indicator, figure), (
        f"{figure} of {member} missing from the {DATASET_OF[indicator]} table"
    )
    _, member_rows = read_page(site_dir, f"dia-phuong/{member}")
    assert rows_with(member_rows, "2023", indicator, figure), f"{figure} missing from {member}'s page"


@pytest.mark.parametrize(("figure", "indicator"), CLUSTER_FIGURES)
def test_cluster_figure_on_dataset_and_home_page(site_dir: Path, figure: str, indicator: str) -> None:
    _, dataset_rows = read_page(site_dir, "du-lieu/cluster-totals")
    assert rows_with(dataset_rows, "2023", indicator, figure)
    home = (site_dir / "index.html").read_text(encoding="utf-8")
    cards = [c.replace("\u00a0", " ") for c in re.findall(r'<div class="card">(.*?)</div>', home)]
    assert any(
        f'<span class="card-label">{indicator}</span>' in c
        and f'<span class="card-value">{figure}</span>' in c
        and 'href="du-lieu/cluster-totals/"' in c
        for c in cards
    ), (figure, cards)


def test_more_than_is_never_shown_as_exact(site_dir: Path) -> None:
    for page in ("", "du-lieu/cluster-totals"):
        text, _ = read_page(site_dir, page)
        assert "hơn 90.497 ha" in text
        assert not re.search(r"(?<!hơn )90\.497 ha", text), f"90.497 ha without 'hơn' on /{page}"


def test_price_basis_shown_and_mixed_bases_flagged(site_dir: Path) -> None:
    text, rows = read_page(site_dir, "du-lieu/production-value")
    assert rows_with(rows, "An Khê", "18.797,39 tỷ đồng", "giá hiện hành")
    assert rows_with(rows, "Đak Pơ", "2.735,764 tỷ đồng", "giá so sánh năm 2010")
    assert "không so sánh, xếp hạng hay cộng dồn trực tiếp được" in text


def test_conference_roles_and_agreement(site_dir: Path) -> None:
    _, rows = read_page(site_dir, "du-lieu/cluster-activities")
    assert rows_with(rows, "22 tháng 1, 2024", "Đak Pơ", "2023", "2024", "28")
    assert rows_with(rows, "2023", "Cụm trưởng", "Đak Pơ")
    assert rows_with(rows, "2023", "Cụm phó", "An Khê")
    assert rows_with(rows, "2024", "Cụm trưởng", "An Khê")
    _, an_khe = read_page(site_dir, "dia-phuong/an-khe")
    assert rows_with(an_khe, "2024", "Cụm trưởng")
    _, dak_po = read_page(site_dir, "dia-phuong/dak-po")
    assert rows_with(dak_po, "22 tháng 1, 2024", "28")


def test_members_official_names_codes_and_history(site_dir: Path) -> None:
    _, rows = read_page(site_dir, "dia-phuong")
    for name, official, code in (
        ("Kbang", "Huyện KBang", "625"),
        ("Đak Pơ", "Huyện Đăk Pơ", "634"),
        ("An Khê", "Thị xã An Khê", "623"),
        ("Đak Đoa", "Huyện Đăk Đoa", "626"),
        ("Mang Yang", "Huyện Mang Yang", "629"),
    ):
        assert rows_with(rows, name, official, code)
    member_text, _ = read_page(site_dir, "dia-phuong/kbang")
    assert "1 tháng 7, 2025" in member_text and "Dữ liệu lịch sử" in member_text


def test_every_figure_links_to_its_source(site_dir: Path) -> None:
    html = (site_dir / "du-lieu/production-value/index.html").read_text(encoding="utf-8")
    source = "https://baogialai.com.vn/thi-xa-an-khe-lam-cum-truong-cum-thi-dua-so-2-nam-2024-post263246.html"
    assert html.count(f'href="{source}"') >= 15  # one per figure row, plus the dataset's source list


def test_downloads_are_byte_identical(site_dir: Path) -> None:
    published = 0
    for folder in sorted((ROOT / "datasets").iterdir()):
        for path in sorted(folder.iterdir()):
            copy = site_dir / "du-lieu" / folder.name / path.name
            assert copy.is_file(), f"{path.name} of {folder.name} is not published"
            assert hashlib.sha256(copy.read_bytes()).digest() == hashlib.sha256(path.read_bytes()).digest()
            published += 1
    assert published >= 15


def test_generated_files_are_linked_and_the_rest_copied(built_project: Path, site_dir: Path) -> None:
    """A download the generator made is one file in docs/ and site/ (hard links: ``write._replace``,
    ``publish/linked.py``); a dataset's own CSV and the hand-written styles are copies, so that editing them
    in place changes nothing published before a build."""
    workbooks = sorted(site_dir.glob("du-lieu/*/*.xlsx"))
    assert workbooks
    for made in workbooks:
        assert os.path.samefile(made, built_project / "docs" / made.relative_to(site_dir)), made
    data = built_project / "datasets/production-value/production-value.csv"
    for published in (built_project / "docs", site_dir):
        assert not os.path.samefile(published / "du-lieu/production-value/production-value.csv", data)
    styles = sorted((built_project / "docs/assets").rglob("*.css"))
    assert styles
    for style in styles:
        assert not os.path.samefile(site_dir / style.relative_to(built_project / "docs"), style), style


def test_download_links_resolve(site_dir: Path) -> None:
    """Every link from a page to a CSV or descriptor points at a file in site/, and every published file is
    linked from its dataset page."""
    linked: set[Path] = set()
    for page in site_dir.rglob("*.html"):
        for href in re.findall(r'href="([^"#?]+\.(?:csv|yaml|json))"', page.read_text(encoding="utf-8")):
            target = (page.parent / href).resolve()
            assert target.is_file(), f"{href} from {page.relative_to(site_dir)}"
            linked.add(target)
    published = {p.resolve() for p in (site_dir / "du-lieu").rglob("*") if p.suffix in (".csv", ".yaml")}
    assert published and published <= linked, sorted(str(p) for p in published - linked)


def test_no_third_party_resources(site_dir: Path) -> None:
    """No page loads anything (style, script, font, image, frame) from another host."""
    pattern = re.compile(r"<(?:script|link|img|iframe|source|audio|video)\b[^>]*\b(?:src|href)=\"([^\"]+)\"")
    for path in site_dir.rglob("*.html"):
        for url in pattern.findall(path.read_text(encoding="utf-8")):
            assert not re.match(r"(?:[a-z]+:)?//", url), f"{path.relative_to(site_dir)} loads {url}"
    for path in site_dir.rglob("*.css"):
        assert "fonts.googleapis" not in path.read_text(encoding="utf-8")


def test_pages_declare_their_language(site_dir: Path) -> None:
    """Vietnamese at the root, English under /en/: screen readers and search engines read ``<html lang>``."""
    pages = list(site_dir.rglob("*.html"))
    english = [p for p in pages if p.relative_to(site_dir).parts[0] == "en"]
    assert len(english) > 10 and len(pages) > 2 * len(english) - 5
    for path in pages:
        expected = "en" if path in english else "vi"
        assert f'<html lang="{expected}"' in path.read_text(encoding="utf-8"), path
