"""What search engines, chat apps and harvesters read in a page's head and beside the pages: a description
of its own, Open Graph and Twitter tags with a 1200×630 PNG card, the feed and the catalogues advertised,
sitemaps with each page's other language, a robots.txt naming them, schema.org complete for dataset search.
A build without the site's address says what it cannot give."""

from __future__ import annotations

import html
import io
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont

from generator.build import build
from generator.outputs import social

from conftest import copy_project

SITE_URL = "https://example.org/cum2/"


def head(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    return text[: text.index("</head>")]


def meta(head_html: str, key: str) -> str | None:
    found = re.search(rf'<meta (?:name|property)="{re.escape(key)}" content="([^"]*)"', head_html)
    return html.unescape(found.group(1)) if found else None


def pages(site: Path, english: bool) -> list[Path]:
    """The pages a reader reaches (not the 404 page, not the standalone charts)."""
    found = []
    for page in sorted(site.rglob("index.html")):
        relative = page.relative_to(site).as_posix()
        if relative.startswith("en/") == english and "/bieu-do" not in relative and "search" not in relative:
            found.append(page)
    return found


@pytest.mark.parametrize("english", [False, True], ids=["vi", "en"])
def test_every_page_has_its_own_description_and_card(site_dir: Path, english: bool) -> None:
    found = pages(site_dir, english)
    assert len(found) >= 20
    descriptions = {}
    for page in found:
        top = head(page)
        description = meta(top, "description")
        assert description and meta(top, "og:description") == description, page
        assert meta(top, "og:title") and meta(top, "twitter:card") == "summary_large_image", page
        image = meta(top, "og:image")
        assert image and image.endswith(".png"), page
        card = (page.parent / image).resolve()
        with Image.open(card) as picture:  # a real PNG, of the size link previews expect
            assert picture.format == "PNG" and picture.size == (1200, 630), card
            picture.verify()
        descriptions[page.relative_to(site_dir).as_posix()] = description
    repeated = {d: n for d, n in Counter(descriptions.values()).items() if n > 1}
    assert not repeated, repeated


def test_a_members_card_and_description_say_its_latest_figure_and_source(site_dir: Path) -> None:
    top = head(site_dir / "dia-phuong/kbang/index.html")
    description = meta(top, "description") or ""
    assert "Kbang" in description and "hơn 6.156 tỷ đồng" in description and "Báo Gia Lai" in description
    english = meta(head(site_dir / "en/dia-phuong/kbang/index.html"), "description") or ""
    assert "more than 6,156 billion VND" in english


def test_the_head_advertises_the_feed_and_the_catalogues(site_dir: Path) -> None:
    # each language's pages advertise the feed in their language (feed.xml, en/feed.xml)
    for page, feed in (("du-lieu/production-value/index.html", "../../feed.xml"), ("en/index.html", "feed.xml")):
        top = head(site_dir / page)
        assert f'type="application/atom+xml" href="{feed}"' in top, page
        assert 'type="application/ld+json" href="' in top and "catalog.jsonld" in top, page
    for page in ("du-lieu/production-value/index.html", "en/du-lieu/production-value/index.html"):
        found = re.search(r'<link rel="describedby" type="application/ld\+json" href="([^"]+)"', head(site_dir / page))
        assert found, page
        described = json.loads(((site_dir / page).parent / found.group(1)).read_text(encoding="utf-8"))
        datasets = [n for n in described["@graph"] if n.get("@type") == "dcat:Dataset"]
        assert [d["dct:identifier"] for d in datasets] == ["production-value"]


def test_schema_org_is_complete_for_dataset_search(site_dir: Path) -> None:
    for page, english in (
        ("du-lieu/production-value/index.html", False),
        ("en/du-lieu/production-value/index.html", True),
    ):
        script = re.search(
            r'<script type="application/ld\+json">(.*?)</script>', (site_dir / page).read_text("utf-8"), re.S
        )
        assert script
        document = json.loads(script.group(1))
        for key in ("publisher", "creator", "includedInDataCatalog", "spatialCoverage", "temporalCoverage", "license"):
            assert document.get(key), (page, key)
        assert document["temporalCoverage"] == "2019/2025"
        assert document["spatialCoverage"]["geo"]["@type"] == "GeoShape"
        south, west, north, east = map(float, document["spatialCoverage"]["geo"]["box"].split())
        assert 12 < south < north < 15 and 107 < west < east < 109  # the former Gia Lai province
        assert ("Emulation Cluster" in document["spatialCoverage"]["name"]) == english
        assert (document["publisher"]["name"] == "Open data of Emulation Cluster No. 2") == english


def test_with_an_address_previews_sitemaps_and_robots_are_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SITE_URL", SITE_URL)
    root = copy_project(tmp_path)
    checked, report = build(root)
    assert report is not None, [i.as_tuple() for i in checked.issues if i.is_error]
    site = root / "site"
    top = head(site / "en/dia-phuong/kbang/index.html")
    assert meta(top, "og:url") == SITE_URL + "en/dia-phuong/kbang/"
    assert meta(top, "og:image") == SITE_URL + "en/og/dia-phuong/kbang.png"
    assert (site / "en/og/dia-phuong/kbang.png").is_file()
    robots = (site / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert f"Sitemap: {SITE_URL}sitemap.xml" in robots and f"Sitemap: {SITE_URL}en/sitemap.xml" in robots
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    for sitemap, lang in ((site / "sitemap.xml", "vi"), (site / "en/sitemap.xml", "en")):
        urls = ElementTree.parse(sitemap).getroot().findall("s:url", ns)
        assert len(urls) >= 20
        for url in urls:
            loc = url.findtext("s:loc", namespaces=ns) or ""
            assert loc.startswith(SITE_URL + ("en/" if lang == "en" else "")), loc
            alternates = {a.get("hreflang"): a.get("href") for a in url.findall("x:link", ns)}
            assert alternates[lang] == loc, loc
            assert set(alternates) == {"vi", "en", "x-default"}, loc
            path = loc.removeprefix(SITE_URL).removeprefix("en/")
            assert alternates["en"] == SITE_URL + "en/" + path and alternates["vi"] == alternates["x-default"]
            for address in alternates.values():  # every alternate is a page that exists
                assert (site / (address or "").removeprefix(SITE_URL) / "index.html").is_file(), address


def test_without_an_address_the_build_says_what_will_not_work(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), "build"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert "SITE_URL" in result.stderr and "sitemaps are empty" in result.stderr
    assert "Sitemap:" not in (root / "site/robots.txt").read_text(encoding="utf-8")
    assert "og:url" not in head(root / "site/index.html")


def test_a_card_draws_its_lines_where_the_layout_puts_them(tmp_path: Path) -> None:
    """The card (Pillow, DejaVu Sans) has white text on the site's colour in the bands of its lines, nothing
    elsewhere; the same card is the same bytes; with a cache folder it is a kept file, drawn once."""
    preview = social.Preview("Giá trị sản xuất của Đak Pơ", "", "Năm 2024: hơn 6.156 tỷ đồng")
    lines = social.card_spec(preview, "Dữ liệu mở Cụm thi đua số 2")
    data = social.card_png(preview, "Dữ liệu mở Cụm thi đua số 2")
    assert isinstance(data, bytes) and data == social.card_png(preview, "Dữ liệu mở Cụm thi đua số 2")
    with Image.open(io.BytesIO(data)) as picture:
        rgb = picture.convert("RGB")
        assert rgb.size == (social.WIDTH, social.HEIGHT)

        def white(top: int, bottom: int) -> int:
            band = rgb.crop((0, top, social.WIDTH, bottom))
            return band.convert("L").point(lambda v: 255 if v > 200 else 0).histogram()[255]

        for line in lines:
            y, size = int(line["y"]), int(line["size"])  # type: ignore[call-overload]
            assert white(y - size // 3, y + size // 3) > 50 * len(str(line["text"])) // 10, line
        assert white(social.HEIGHT - 60, social.HEIGHT) == 0  # below the last line: only the background
        assert rgb.getpixel((5, 5)) == (0, 0x69, 0x5C)
    kept = social.card_png(preview, "Dữ liệu mở Cụm thi đua số 2", tmp_path)
    assert isinstance(kept, Path) and kept.read_bytes() == data
    assert social.card_png(preview, "Dữ liệu mở Cụm thi đua số 2", tmp_path) == kept


def test_a_card_compressed_otherwise_is_a_new_card_not_the_kept_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """How a card's PNG is compressed is part of what it is kept under: after a change to it, a kept card is
    not published in place of the new one (a cold build and a rebuild give the same bytes)."""
    preview = social.Preview("Giá trị sản xuất của Đak Pơ", "", "Năm 2024: hơn 6.156 tỷ đồng")
    site = "Dữ liệu mở Cụm thi đua số 2"
    kept = social.card_png(preview, site, tmp_path)
    monkeypatch.setattr(social, "PNG_LEVEL", 9)
    other = social.card_png(preview, site, tmp_path)
    assert isinstance(kept, Path) and isinstance(other, Path) and other != kept
    assert other.read_bytes() == social.card_png(preview, site) != kept.read_bytes()
    with Image.open(kept) as first, Image.open(other) as second:
        assert ImageChops.difference(first.convert("RGB"), second.convert("RGB")).getbbox() is None


def test_a_card_has_the_pixels_of_white_text_drawn_on_the_colour(tmp_path: Path) -> None:
    """The card is drawn as text coverage under a palette from the site's colour to white: pixel for pixel
    what drawing white text on the colour in RGB gives, antialiased edges included, in a one-byte palette."""
    preview = social.Preview(
        "Dân số trung bình các xã, thị trấn của huyện Đak Pơ năm 2024", "", "Năm 2024: 41.245 người"
    )
    spec = social.card_spec(preview, "Dữ liệu mở Cụm thi đua số 2")
    expected = Image.new("RGB", (social.WIDTH, social.HEIGHT), social.BACKGROUND)
    pen = ImageDraw.Draw(expected)
    for line in spec:
        font = ImageFont.truetype(social.FONT, int(line["size"]))  # type: ignore[call-overload]
        pen.text((64, line["y"]), str(line["text"]), fill=social.FOREGROUND, font=font, anchor="lm")
    data = social.card_png(preview, "Dữ liệu mở Cụm thi đua số 2")
    assert isinstance(data, bytes)
    with Image.open(io.BytesIO(data)) as picture:
        assert picture.mode == "P"
        drawn = picture.convert("RGB")
    assert ImageChops.difference(drawn, expected).getbbox() is None
    assert len({drawn.getpixel((x, y)) for x in range(0, social.WIDTH, 3) for y in range(0, 300, 3)}) > 10  # edges


def test_cards_drawn_on_every_core_are_the_cards_drawn_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``card_pngs`` draws the cards in forked processes: the same cards, in order, as ``card_png`` one at a
    time, with a cache folder and without, and none drawn by this process; on one core, all drawn here."""
    from generator import workers

    previews = [social.Preview(f"Bộ dữ liệu số {n}", "", f"Năm 2024: {n}.000 người") for n in range(12)]
    log = tmp_path / "drawn-by.txt"
    original = social.draw_card

    def noted(spec: str) -> bytes:
        with log.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")
        return original(spec)

    monkeypatch.setattr(social, "draw_card", noted)
    monkeypatch.setattr(workers, "cores", lambda: 2)  # forked processes, whatever the machine
    site = "Dữ liệu mở Cụm thi đua số 2"
    one_by_one = [social.card_png(p, site) for p in previews]
    log.unlink()
    assert social.card_pngs([(p, site) for p in previews]) == one_by_one
    drawn_by = set(log.read_text("utf-8").split())
    assert drawn_by and str(os.getpid()) not in drawn_by, drawn_by
    kept = social.card_pngs([(p, site) for p in previews], tmp_path / "cache")
    assert [p.read_bytes() for p in kept if isinstance(p, Path)] == one_by_one
    log.unlink()
    assert social.card_pngs([(p, site) for p in previews], tmp_path / "cache") == kept
    assert not log.exists(), "a kept card was drawn again"
    monkeypatch.setattr(workers, "cores", lambda: 1)
    assert social.card_pngs([(p, site) for p in previews]) == one_by_one
    assert set(log.read_text("utf-8").split()) == {str(os.getpid())}
