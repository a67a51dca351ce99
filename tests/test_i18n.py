"""Two languages: the translation catalogue is complete and in step with the code, and the built site is
Vietnamese at its root and English under /en/, each page linked to the same page in the other language."""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

from generator import i18n
from generator.outputs.render import environment

from conftest import ROOT

PLACEHOLDER = re.compile(r"\{(\w*)\}")


def test_every_interface_string_has_its_english_translation() -> None:
    in_code = i18n.extract("site")
    catalog = i18n.catalog("site", "en")
    assert catalog is not None
    assert len(in_code) > 100
    untranslated = [m for m in in_code if not (e := catalog.get(m)) or not e.string or e.fuzzy]
    assert not untranslated, f"strings with no English: run `python -m generator.i18n` and translate {untranslated}"
    obsolete = [m.id for m in catalog if m.id and m.id not in in_code]
    assert not obsolete, f"translations of strings the code no longer has (run `python -m generator.i18n`): {obsolete}"


def test_translations_keep_every_placeholder() -> None:
    catalog = i18n.catalog("site", "en")
    assert catalog is not None
    for message in catalog:
        if message.id:
            assert sorted(PLACEHOLDER.findall(str(message.id))) == sorted(PLACEHOLDER.findall(str(message.string))), (
                message.id
            )


@pytest.mark.parametrize(("domain", "lang"), [("site", "en"), ("validate", "vi")])
def test_the_catalogue_is_as_the_update_command_writes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, domain: str, lang: str
) -> None:
    """`python -m generator.i18n` run on the committed catalogue changes nothing (it is sorted, complete and
    written by Babel), so a maintainer's update shows only their own strings in the diff."""
    original = i18n.po_file(domain, lang)
    copy = tmp_path / lang / "LC_MESSAGES" / original.name
    copy.parent.mkdir(parents=True)
    copy.write_bytes(original.read_bytes())
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.catalog.cache_clear()
    try:
        assert i18n.update(domain, lang) == (0, 0)
        assert copy.read_bytes() == original.read_bytes()
    finally:
        i18n.catalog.cache_clear()
        i18n.translator.cache_clear()


def test_a_missing_translation_falls_back_to_vietnamese_not_to_nothing() -> None:
    translator = i18n.Translator("site", "en")
    assert translator.gettext("Danh mục dữ liệu") == "Data catalogue"
    assert translator.gettext("một chuỗi chưa dịch") == "một chuỗi chưa dịch"
    assert i18n.Translator("site", "vi").gettext("Danh mục dữ liệu") == "Danh mục dữ liệu"


def test_template_translations_escape_the_values_put_into_them() -> None:
    env = environment("en")
    template = env.from_string('{{ _("Bộ dữ liệu: {dataset}", dataset=value) }}')
    assert template.render(value="<b>*x*</b>") == r"Dataset: &lt;b&gt;\*x\*&lt;/b&gt;"


# --- the built site ---------------------------------------------------------------------------------------


class _Switcher(HTMLParser):
    """The language links of a page: the switcher's ``md-select__link`` anchors, and any hreflang link in
    ``<head>`` (there should be none: Material's script would fetch a sitemap beside each)."""

    def __init__(self) -> None:
        super().__init__()
        self.switch: dict[str, str] = {}
        self.head: dict[str, str] = {}
        self.lang = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = values.get("lang", "")
        elif tag == "a" and "md-select__link" in values.get("class", ""):
            self.switch[values["hreflang"]] = values["href"]
        elif tag == "link" and values.get("rel") == "alternate" and "hreflang" in values:
            self.head[values["hreflang"]] = values["href"]


def _links(path: Path) -> _Switcher:
    parser = _Switcher()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _page_file(site_dir: Path, page: Path, href: str) -> Path:
    url = urljoin("http://site/" + page.relative_to(site_dir).as_posix(), href)
    target = site_dir / urlsplit(url).path.lstrip("/")
    return target / "index.html" if url.endswith("/") else target


def _counterpart(site_dir: Path, page: Path, lang: str) -> Path:
    """The file of ``page`` in ``lang``: the same path, under en/ for English."""
    parts = page.relative_to(site_dir).parts
    own = parts[1:] if parts[0] == "en" else parts
    return site_dir.joinpath(*(("en", *own) if lang == "en" else own))


def test_every_page_links_to_itself_in_the_other_language(site_dir: Path) -> None:
    pages = sorted(p for p in site_dir.rglob("*.html") if p.name != "404.html")
    english = [p for p in pages if p.relative_to(site_dir).parts[0] == "en"]
    vietnamese = [p for p in pages if p not in english]
    assert len(english) == len(vietnamese) > 10
    for page in pages:
        links = _links(page)
        own = "en" if page in english else "vi"
        assert links.lang == own, page
        assert set(links.switch) == {"vi", "en"} and not links.head, page
        for lang in ("vi", "en"):
            target = _page_file(site_dir, page, links.switch[lang])
            assert target.is_file(), (page, lang, links.switch[lang])
            assert target == _counterpart(site_dir, page, lang), (page, lang)
            assert _links(target).lang == lang


def test_numbers_and_dates_in_each_language(site_dir: Path) -> None:
    """The same figures, written the way each language writes them (Babel), and the conference's date."""
    vi = (site_dir / "du-lieu" / "production-value" / "index.html").read_text(encoding="utf-8")
    en = (site_dir / "en" / "du-lieu" / "production-value" / "index.html").read_text(encoding="utf-8")
    assert "2.735,764\u00a0tỷ đồng" in vi and "2,735.764\u00a0billion VND" in en
    assert "hơn\u00a06.156\u00a0tỷ đồng" in vi and "more than\u00a06,156\u00a0billion VND" in en
    assert "100,05%" in vi and "100.05%" in en
    vi = (site_dir / "du-lieu" / "cluster-activities" / "index.html").read_text(encoding="utf-8")
    en = (site_dir / "en" / "du-lieu" / "cluster-activities" / "index.html").read_text(encoding="utf-8")
    assert "22 tháng 1, 2024" in vi and "January 22, 2024" in en


def test_english_pages_show_the_data_in_english(site_dir: Path) -> None:
    """Titles, descriptions, field titles and notes from the descriptors' English translations."""
    en = (site_dir / "en" / "du-lieu" / "production-value" / "index.html").read_text(encoding="utf-8")
    for text in ("Production value", "Total production value", "As published", "2010 constant prices"):
        assert text in en, text
    for text in ("Giá trị sản xuất", "Cách viết trong nguồn", "giá so sánh năm 2010", "Tải về"):
        assert text not in en, text
    assert "The cluster's review article (Báo Gia Lai, February 2025) lists this figure" in en  # An Khê's note_en
    home = (site_dir / "en" / "index.html").read_text(encoding="utf-8")
    assert "Key figures for 2023" in home and "more than\u00a090,497\u00a0ha" in home


def test_english_pages_download_the_one_published_copy(site_dir: Path) -> None:
    """Downloads are published once, at the Vietnamese paths: the English pages link there."""
    page = site_dir / "en" / "du-lieu" / "production-value" / "index.html"
    html = page.read_text(encoding="utf-8")
    hrefs = re.findall(r'href="([^"]+\.(?:csv|xlsx|json|zip|yaml))"', html)
    assert len(hrefs) > 10
    for href in hrefs:
        target = _page_file(site_dir, page, href)
        assert target.is_file() and target.relative_to(site_dir).parts[0] == "du-lieu", href
    assert not (site_dir / "en" / "du-lieu" / "production-value" / "production-value.csv").exists()


# --- anchors and permanent links ------------------------------------------------------------------------------

_HEADING = re.compile(r'<h([1-6]) id="([^"]+)">(.*?)<a class="headerlink" href="#\2" title="([^"]*)"', re.S)


def _headings(page: Path) -> list[tuple[str, str, str]]:
    """Each heading of ``page`` with a permanent link: (anchor, text, the link's title)."""
    html = page.read_text(encoding="utf-8")
    return [(m[2], re.sub(r"<[^>]+>", "", m[3]).strip(), m[4]) for m in _HEADING.finditer(html)]


@pytest.mark.parametrize(
    ("path", "title"), [("dia-phuong/dak-po", "Liên kết tới mục này"), ("en/dia-phuong/dak-po", "Link to this section")]
)
def test_anchors_keep_vietnamese_readable_and_permalinks_speak_the_page_language(
    site_dir: Path, path: str, title: str
) -> None:
    headings = _headings(site_dir / path / "index.html")
    assert ("dak-po", "Đak Pơ", title) in headings  # not "ak-po": đ becomes d
    assert {t for _, _, t in headings} == {title}


def test_no_anchor_loses_a_letter(site_dir: Path) -> None:
    """Every heading that starts with Đ (or any letter) has an anchor that starts with that letter, read
    without its accents: no letter is dropped."""
    checked = 0
    for page in site_dir.rglob("index.html"):
        for anchor, text, _ in _headings(page):
            first = text[:1]
            if first.isalpha():
                checked += 1
                plain = "d" if first in "Đđ" else re.sub(r"[^a-z]", "", unicodedata.normalize("NFD", first.lower()))
                assert anchor.startswith(plain), (page, text, anchor)
    assert checked > 100


def test_both_sites_use_the_same_markdown_extensions() -> None:
    """mkdocs.en.yml repeats mkdocs.yml's extensions (INHERIT replaces the list): the English pages get the
    same tables, captions and anchors."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("tag:yaml.org,2002:python/name:", lambda loader, suffix, node: suffix)
    Loader.add_multi_constructor("!ENV", lambda loader, suffix, node: "")
    Loader.add_constructor("!ENV", lambda loader, node: "")

    def names(file: str) -> list[str]:
        data = yaml.load((ROOT / file).read_text(encoding="utf-8"), Loader=Loader)
        return [next(iter(e)) if isinstance(e, dict) else e for e in data["markdown_extensions"]]

    assert names("mkdocs.en.yml") == names("mkdocs.yml")

    def toc(file: str) -> dict[str, object]:
        data = yaml.load((ROOT / file).read_text(encoding="utf-8"), Loader=Loader)
        found = [e["toc"] for e in data["markdown_extensions"] if isinstance(e, dict) and "toc" in e]
        assert len(found) == 1, file
        return {k: v for k, v in found[0].items() if k != "permalink_title"}  # the title is in the page's language

    assert toc("mkdocs.en.yml") == toc("mkdocs.yml")
    assert toc("mkdocs.yml")["marker"] == ""  # no page asks for a [TOC]: toc does not look for one in every element


def test_the_404_page_speaks_vietnamese_first_and_leads_home_in_both_languages(site_dir: Path) -> None:
    html = (site_dir / "404.html").read_text(encoding="utf-8")
    assert '<html lang="vi"' in html and "404 - Not found" not in html
    assert html.index("Không tìm thấy trang") < html.index("Page not found")
    links = dict((text, href) for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', html))
    assert links["Về trang chủ"] == "/" and links["Go to the English home page"] == "/en/"
    assert (site_dir / "index.html").is_file() and (site_dir / "en/index.html").is_file()


def test_the_generator_reads_both_configurations_whatever_tags_they_hold(monkeypatch: pytest.MonkeyPatch) -> None:
    """mkdocs.yml names a Python function (``!!python/name:``, the anchors' slugify): the generator still reads
    the site's address and both names from the configurations, without importing anything."""
    from generator.read.site_info import load_site_info

    monkeypatch.setenv("SITE_URL", "https://example.org/cum2")
    site = load_site_info(ROOT)
    assert site.url == "https://example.org/cum2/"
    assert site.name == "Dữ liệu mở Cụm thi đua số 2" and site.name_en == "Open data of Emulation Cluster No. 2"
