"""Browser tests: the built site in headless Debian Chromium (Playwright, sync API), at a phone viewport.

Chromium is Debian's package (``apt-get install -y chromium``), launched through ``executable_path``; Playwright's
own browser download is never used. The site is served from the session's built copy on 127.0.0.1.
"""

from __future__ import annotations

import functools
import http.server
import math
import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Request, sync_playwright

from conftest import ARTIFACTS, page_weight

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM, CHROMIUM_ARGS = page_weight.CHROMIUM, page_weight.CHROMIUM_ARGS  # Debian's chromium
PHONE: dict[str, Any] = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "vi-VN",
}
TIMEOUT_MS = page_weight.TIMEOUT_MS


@dataclass(frozen=True)
class SitePage:
    name: str
    path: str
    h1: str


PAGES = [
    SitePage("home", "/", "Dữ liệu mở Cụm thi đua số 2 tỉnh Gia Lai"),
    SitePage("production-value", "/du-lieu/production-value/", "Giá trị sản xuất"),
    SitePage("dak-po", "/dia-phuong/dak-po/", "Đak Pơ"),
]
# Every kind of page, for the layout test at a phone's width.
ALL_KINDS = [
    *PAGES,
    SitePage("catalogue", "/du-lieu/", "Danh mục dữ liệu"),
    SitePage("cluster-totals", "/du-lieu/cluster-totals/", "Chỉ tiêu toàn cụm"),
    SitePage("members", "/dia-phuong/", "Các địa phương"),
    SitePage("comparison", "/so-sanh/", "So sánh các địa phương"),
    SitePage("about", "/gioi-thieu/", "Giới thiệu và phương pháp"),
    SitePage("conflicts", "/mau-thuan/", "Mâu thuẫn giữa các nguồn"),
    # The English site: the same pages under /en/.
    SitePage("en-home", "/en/", "Open data of Emulation Cluster No. 2, Gia Lai province"),
    SitePage("en-production-value", "/en/du-lieu/production-value/", "Production value"),
    SitePage("en-dak-po", "/en/dia-phuong/dak-po/", "Đak Pơ"),
    SitePage("en-comparison", "/en/so-sanh/", "Comparing the members"),
    SitePage("en-conflicts", "/en/mau-thuan/", "Conflicts between sources"),
]
PAGE_IDS = [p.name for p in PAGES]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(site_dir: Path) -> Iterator[str]:
    """The built site over HTTP on 127.0.0.1, on a free port chosen by the system."""
    handler = functools.partial(_QuietHandler, directory=os.fspath(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="module")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"{CHROMIUM} not found: the browser tests need Debian's chromium package "
            "(`apt-get install -y chromium`); Playwright's own browser download is not used.",
            pytrace=False,
        )
    browser = playwright_instance.chromium.launch(executable_path=os.fspath(CHROMIUM), args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(**PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def phone_page(phone: BrowserContext) -> Page:
    return phone.new_page()


@pytest.fixture(scope="module")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


# The outermost elements that stick out past the viewport's right edge (reported when the page scrolls sideways).
_OVERFLOWING_JS = """
() => {
  const limit = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right <= limit + 0.5) continue;
    // Report only the outermost offender, not every descendant of a too-wide table.
    const parent = el.parentElement;
    if (parent && parent !== document.body && parent.getBoundingClientRect().right > limit + 0.5) continue;
    // Skip elements clipped by a scrolling/hidden-overflow ancestor: they do not widen the page.
    let clipped = false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const ox = getComputedStyle(p).overflowX;
      if (ox !== 'visible') { clipped = p.getBoundingClientRect().right <= limit + 0.5; if (clipped) break; }
    }
    if (clipped) continue;
    const cls = typeof el.className === 'string' && el.className
      ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
    out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${cls} right=${Math.round(r.right)}`);
  }
  return out.slice(0, 15);
}
"""


SCREENSHOT_SCREENS = 5  # how much of each page the phone screenshots keep


@pytest.mark.parametrize("site_page", ALL_KINDS, ids=[p.name for p in ALL_KINDS])
def test_phone_page_renders_without_sideways_scroll(
    phone_page: Page, base_url: str, screenshots: Path, site_page: SitePage
) -> None:
    response = phone_page.goto(base_url + site_page.path, wait_until="load")
    assert response is not None and response.status == 200, response and response.status

    h1 = phone_page.locator("article h1, .md-content h1").first
    h1.wait_for(state="visible")
    # The heading's own text, without the permalink anchor (a.headerlink "¶") that toc adds.
    h1_text = h1.evaluate(
        "h => { const c = h.cloneNode(true); c.querySelectorAll('a.headerlink').forEach(a => a.remove());"
        " return c.textContent.trim(); }"
    )
    assert h1_text == site_page.h1
    expected_lang = "en" if site_page.path.startswith("/en/") else "vi"
    assert phone_page.locator("html").get_attribute("lang") == expected_lang

    # With is_mobile, Chromium widens the layout viewport to fit content that is too wide, so innerWidth grows
    # with scrollWidth and "scrollWidth <= innerWidth" alone could never fail: innerWidth and clientWidth are
    # also held to the phone's width.
    widths = phone_page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,"
        " inner: window.innerWidth, height: document.documentElement.scrollHeight})"
    )
    # For a person to look at: the first screens, one picture each, as a reader scrolls to them. Not full_page
    # with a clip: Chromium then lays out and paints the whole page (production-value is some 67 screens at
    # 360 px), which took over 15 s on a loaded two-core machine, even clipped to 5 screens, and failed CI.
    screen_height = PHONE["viewport"]["height"]
    for screen in range(min(SCREENSHOT_SCREENS, math.ceil(widths["height"] / screen_height))):
        phone_page.evaluate("y => window.scrollTo(0, y)", screen * screen_height)
        # Material cross-fades the header's title on scroll: pictures are taken with transitions finished.
        picture = screenshots / f"phone-{site_page.name}-{screen + 1}.png"
        phone_page.screenshot(path=picture, animations="disabled")
    phone_width = PHONE["viewport"]["width"]
    fits = widths["scroll"] <= widths["inner"] == widths["client"] == phone_width
    assert fits, (
        f"{site_page.path} scrolls sideways at {phone_width} px: scrollWidth={widths['scroll']}, "
        f"innerWidth={widths['inner']}, clientWidth={widths['client']}; "
        f"elements past the right edge: {phone_page.evaluate(_OVERFLOWING_JS)}"
    )


def test_phone_search_finds_member_page_first(phone_page: Page, base_url: str) -> None:
    response = phone_page.goto(base_url + "/", wait_until="load")
    assert response is not None and response.status == 200

    # fill() then one key: Material reads the whole query at once, so no results for a prefix ("Đ", "Đa", ...)
    # can be on screen when the first result is read
    page_weight.search(phone_page, "Đak Pơ")

    first_link = phone_page.locator(".md-search-result__item a.md-search-result__link").first
    first_link.wait_for(state="visible")
    href = first_link.get_attribute("href") or ""
    titles = phone_page.locator(".md-search-result__item a.md-search-result__link h1").all_inner_texts()
    assert urlsplit(href).path.rstrip("/").endswith("dia-phuong/dak-po"), (
        f"first search result for 'Đak Pơ' is {href!r}; result titles in order: {titles}"
    )


@pytest.mark.parametrize("site_page", PAGES, ids=PAGE_IDS)
def test_no_third_party_requests(phone: BrowserContext, base_url: str, site_page: SitePage) -> None:
    urls: list[str] = []

    def record(request: Request) -> None:
        urls.append(request.url)

    phone.on("request", record)  # the context sees the page's requests and its workers' (search index)
    page = phone.new_page()
    response = page.goto(base_url + site_page.path, wait_until="load")
    assert response is not None and response.status == 200
    # Open the search so its worker and index load too, then let the network settle.
    page.locator("label.md-header__button[for='__search']").click()
    page.locator("input.md-search__input").wait_for(state="visible")
    page.wait_for_load_state("networkidle")

    assert urls, "no requests were recorded"
    foreign = [u for u in urls if not u.startswith("data:") and urlsplit(u).hostname != "127.0.0.1"]
    assert not foreign, f"{site_page.path} made requests off the site: {foreign}"


CHART_PAGES = [
    "/du-lieu/production-value/",
    "/du-lieu/poverty-health-insurance/",
    "/du-lieu/cluster-totals/",
    "/dia-phuong/an-khe/",
    "/dia-phuong/kbang/",
    "/dia-phuong/dak-doa/",
    "/dia-phuong/mang-yang/",
    "/dia-phuong/dak-po/",
    "/so-sanh/",
    "/",
]


@pytest.mark.parametrize("path", CHART_PAGES)
def test_charts_are_drawn_with_their_text_alternative(phone_page: Page, base_url: str, path: str) -> None:
    """Every dataset page with figures, every member page and the comparison page show a chart: an inline SVG
    that the browser lays out, named for screen readers, with its data table on the same page."""
    phone_page.goto(base_url + path, wait_until="load")
    chart = phone_page.locator("figure.chart svg[role=img]").first
    chart.wait_for(state="visible")
    box = chart.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 60, box
    title_id = (chart.get_attribute("aria-labelledby") or "").split()[0]
    assert (phone_page.locator(f"[id='{title_id}']").text_content() or "").strip()
    assert chart.locator("rect, path").count() > 3  # bars and axes were drawn
    assert phone_page.locator("article table").count() >= 1  # the numbers beside the chart
    # the standalone file of the chart is served too
    href = phone_page.locator("a", has_text="Tải biểu đồ (SVG)").first.get_attribute("href") or ""
    response = phone_page.request.get(urljoin(phone_page.url, href))
    assert response.status == 200 and b"<svg" in response.body()


def test_numeric_columns_sort_as_numbers(phone_page: Page, base_url: str) -> None:
    """Vietnamese numbers (2.735,764; hơn 90.497 ha) sort by value, not as text."""
    phone_page.goto(base_url + "/so-sanh/", wait_until="load")
    table = phone_page.locator("article table").filter(has_text="2.735,764").first  # production value, 2023
    button = table.locator("th button", has_text="Giá trị")
    button.click()
    ascending = table.locator("tbody tr td:nth-child(3)").all_inner_texts()
    numbers = [float(re.findall(r"[\d.,]+", t)[0].replace(".", "").replace(",", ".")) for t in ascending]
    assert numbers == sorted(numbers), ascending
    assert button.locator("xpath=..").get_attribute("aria-sort") == "ascending"
    button.click()
    descending = table.locator("tbody tr td:nth-child(3)").all_inner_texts()
    assert descending == ascending[::-1]


def test_numbers_in_text_sort_by_value_not_as_text(phone_page: Page, base_url: str) -> None:
    """A column of figures with units: 10.858 tỷ đồng sorts after 2.735,764 tỷ đồng (as text it would not)."""
    phone_page.goto(base_url + "/du-lieu/production-value/", wait_until="load")
    phone_page.locator("article summary", has_text="Mở bảng đầy đủ").first.click()  # folded: one tap away
    table = phone_page.locator("article table").filter(has_text="Cách viết trong nguồn").first
    table.locator("th button", has_text="Giá trị").click()
    values = table.locator("tbody tr td:nth-child(5)").all_inner_texts()
    # the number, whatever qualifier comes before it ("hơn", "gần", "trên")
    numbers = [float(re.findall(r"\d[\d.,]*", v)[0].rstrip(".,").replace(".", "").replace(",", ".")) for v in values]
    assert numbers == sorted(numbers), values


def test_catalogue_narrows_by_member_and_year(phone_page: Page, base_url: str) -> None:
    phone_page.goto(base_url + "/du-lieu/", wait_until="load")
    form = phone_page.locator("form.catalogue-filter")
    form.wait_for(state="visible")  # the script shows it
    items = phone_page.locator(".catalogue-list li")
    total = items.count()
    phone_page.select_option("select[name=years]", "2024")
    visible = [t.split("\n")[0] for t in phone_page.locator(".catalogue-list li:not([hidden])").all_inner_texts()]
    # 2024: the roles (An Khê head of the cluster in 2024), the production values and the other figures of 2024;
    # not the datasets without a year (members, sources, conflicts)
    assert {"Hoạt động của Cụm thi đua", "Giá trị sản xuất"} <= set(visible), visible
    assert not {"Thành viên Cụm thi đua số 2", "Nguồn tài liệu", "Mâu thuẫn giữa các nguồn"} & set(visible), visible
    assert 0 < len(visible) < total
    phone_page.select_option("select[name=years]", "")
    phone_page.select_option("select[name=members]", "kbang")
    shown = phone_page.locator(".catalogue-list li:not([hidden])").count()
    assert 0 < shown < total
    assert "Nguồn tài liệu" not in phone_page.locator(".catalogue-list li:not([hidden])").all_inner_texts()


def test_the_catalogue_narrowed_by_the_address_and_the_address_by_the_filter(phone_page: Page, base_url: str) -> None:
    """``?members=kbang`` (the link a member's page gives when it cannot list every dataset) opens the
    catalogue narrowed to Kbang; narrowing it further writes the choice into the address, to share."""
    phone_page.goto(base_url + "/du-lieu/", wait_until="load")
    phone_page.locator("form.catalogue-filter").wait_for(state="visible")
    total = phone_page.locator(".catalogue-list li").count()
    phone_page.select_option("select[name=members]", "kbang")
    narrowed = phone_page.locator(".catalogue-list li:not([hidden])").all_inner_texts()
    assert phone_page.url.endswith("/du-lieu/?members=kbang")

    phone_page.goto(base_url + "/du-lieu/?members=kbang", wait_until="load")
    phone_page.locator("form.catalogue-filter").wait_for(state="visible")
    assert phone_page.locator("select[name=members]").input_value() == "kbang"
    assert phone_page.locator(".catalogue-list li:not([hidden])").all_inner_texts() == narrowed
    assert 0 < len(narrowed) < total
    phone_page.select_option("select[name=years]", "2024")
    assert phone_page.url.endswith("/du-lieu/?members=kbang&years=2024")

    phone_page.goto(base_url + "/du-lieu/?members=no-such-place", wait_until="load")  # ignored, not an empty list
    phone_page.locator("form.catalogue-filter").wait_for(state="visible")
    assert phone_page.locator(".catalogue-list li:not([hidden])").count() == total


SPELLINGS = [
    ("dak po", "dak-po"),
    ("Đăk Pơ", "dak-po"),
    ("Đak Pơ", "dak-po"),
    ("DAK PO", "dak-po"),
    ("an khe", "an-khe"),
    ("kbang", "kbang"),
    ("KBang", "kbang"),
    ("mang yang", "mang-yang"),
    ("dak doa", "dak-doa"),
    ("Đăk Đoa", "dak-doa"),
]


@pytest.mark.parametrize(("query", "member"), SPELLINGS)
def test_search_finds_a_place_however_it_is_typed(page_for_search: Page, query: str, member: str) -> None:
    """With or without diacritics, press or official spelling, any case: the member's page comes first, in
    the language of the page searched from (Vietnamese search on the Vietnamese site, English on the
    English site)."""
    box = page_for_search.locator("input.md-search__input")
    items = page_for_search.locator(".md-search-result__item")
    # The search runs in a worker and answers each query in turn: clear the box and wait for the empty
    # answer, so that the first results seen next are this query's and not the previous one's.
    box.fill("")
    page_for_search.wait_for_function("() => !document.querySelector('.md-search-result__item')")
    box.fill(query)
    box.press("End")
    first = items.locator("a.md-search-result__link").first
    first.wait_for(state="visible")
    page_for_search.wait_for_function(
        "q => { const i = document.querySelector('input.md-search__input'); return i && i.value === q; }", arg=query
    )
    href = first.get_attribute("href") or ""
    target = urlsplit(urljoin(page_for_search.url, href)).path.rstrip("/")
    home = urlsplit(page_for_search.url).path  # "/" or "/en/"
    assert target == f"{home}dia-phuong/{member}", (query, href, page_for_search.url)


@pytest.fixture(scope="module", params=["vi", "en"])
def page_for_search(browser: Browser, base_url: str, request: pytest.FixtureRequest) -> Iterator[Page]:
    """One page with the search open, reused by every query (the index loads once), on each language's
    home page: the Vietnamese site's search index is built with lunr's Vietnamese support, the English
    one's with English."""
    context = browser.new_context(**PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(base_url + ("/" if request.param == "vi" else "/en/"), wait_until="load")
    assert page.locator("html").get_attribute("lang") == request.param
    page.locator("label.md-header__button[for='__search']").first.click()
    page.locator("input.md-search__input").wait_for(state="visible")
    try:
        yield page
    finally:
        context.close()


SWITCHES = [
    ("/du-lieu/production-value/", "English", "/en/du-lieu/production-value/", "en"),
    ("/en/du-lieu/production-value/", "Tiếng Việt", "/du-lieu/production-value/", "vi"),
    ("/dia-phuong/dak-po/", "English", "/en/dia-phuong/dak-po/", "en"),
    ("/en/", "Tiếng Việt", "/", "vi"),
]


@pytest.mark.parametrize(("start", "language", "arrival", "lang"), SWITCHES)
def test_language_switcher_leads_to_the_same_page(
    phone_page: Page, base_url: str, start: str, language: str, arrival: str, lang: str
) -> None:
    """On a phone: the language button in the header opens the list, and each language leads to the page
    the reader is on, in that language (not to that language's home page)."""
    phone_page.goto(base_url + start, wait_until="load")
    phone_page.locator(".md-header .md-select button.md-header__button").click()
    phone_page.locator(".md-select__link", has_text=language).click()
    phone_page.wait_for_url(base_url + arrival)
    assert phone_page.locator("html").get_attribute("lang") == lang


def test_english_numbers_sort_as_numbers(phone_page: Page, base_url: str) -> None:
    """English numbers (2,735.764; more than 6,156 billion VND) sort by value on the English pages."""
    phone_page.goto(base_url + "/en/du-lieu/production-value/", wait_until="load")
    phone_page.locator("article summary", has_text="Open the full table").first.click()  # folded: one tap away
    table = phone_page.locator("article table").filter(has_text="As published").first
    table.locator("th button", has_text="Value").click()
    values = table.locator("tbody tr td:nth-child(5)").all_inner_texts()
    numbers = [float(re.findall(r"\d[\d.,]*", v)[0].rstrip(".,").replace(",", "")) for v in values]
    assert numbers == sorted(numbers) and len(numbers) > 10, values


_KEPT_JS = "url => caches.open('cum-thi-dua-so-2-offline-v1').then(c => c.match(url)).then(r => !!r)"


@pytest.mark.parametrize("home", ["/", "/en/"])
def test_pages_once_visited_open_offline(browser: Browser, base_url: str, home: str) -> None:
    """The service worker keeps the pages a reader opened: with the network gone they open again, with
    their styles and charts; a page never opened is not there (and data files are never kept)."""
    context = browser.new_context(**PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        visited = [base_url + home, base_url + home + "du-lieu/production-value/"]
        for url in visited:
            page.goto(url, wait_until="load")
            page.wait_for_function(_KEPT_JS, arg=url)
        css = page.evaluate("() => [...document.styleSheets].map(s => s.href).filter(Boolean)")
        assert css
        for href in css:  # kept by the worker as it fetches them, which may end after the page's load
            page.wait_for_function(_KEPT_JS, arg=href)
        assert not page.evaluate(_KEPT_JS, base_url + "/du-lieu/production-value/production-value.csv")

        context.set_offline(True)
        for url in reversed(visited):
            response = page.goto(url, wait_until="load")
            assert response is not None and response.ok, url
            assert response.from_service_worker, f"{url} came from the browser's HTTP cache, not the kept copy"
            assert page.locator("article h1").first.is_visible()
            assert page.evaluate("() => getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
        assert page.locator("figure.chart svg").count() > 0
        with pytest.raises(Exception, match=r"ERR_INTERNET_DISCONNECTED|ERR_FAILED"):
            page.goto(base_url + home + "so-sanh/", wait_until="load")
    finally:
        context.close()


# The first figure of a page: its first chart or table that is not folded away (<details>: the dataset's
# metadata, the file hashes).
_FIRST_FIGURE_JS = """
() => {
  const first = [...document.querySelectorAll('article figure.chart, article table')]
    .find(e => !e.closest('details'));
  return first ? first.getBoundingClientRect().top + window.scrollY : null;
}
"""


# Tables that scroll sideways inside their own frame (Material's scroll wrapper), by their caption; and the
# smallest text of the page's charts as drawn on the screen (font size times the chart's scale), in px.
_TABLES_AND_CHARTS_JS = """
() => ({
  scrolling: [...document.querySelectorAll('article table')]
    .filter(t => !t.closest('details'))
    .map(t => [t.closest('.md-typeset__scrollwrap') || t.parentElement, t])
    .filter(([frame]) => frame.scrollWidth > frame.clientWidth + 1)
    .map(([frame, t]) => (t.caption ? t.caption.textContent : '?') + ': ' + frame.scrollWidth + ' px'),
  smallest: Math.min(...[...document.querySelectorAll('article figure.chart svg')].map(svg => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return Math.min(...[...svg.querySelectorAll('text')].map(t => parseFloat(t.getAttribute('font-size')) * scale));
  })),
})
"""
# Legible chart text: at least this many px on a phone (a chart drawn for 340 px shown in 328), and on a
# desktop, where the charts grow up to charts.GROWTH times their drawn size.
PHONE_TEXT_PX, DESKTOP_TEXT_PX = 9.5, 13


def _dataset_and_member_pages(site_dir: Path) -> list[str]:
    found = []
    for prefix in ("", "en/"):
        for folder in ("du-lieu", "dia-phuong"):
            for page in sorted((site_dir / prefix / folder).glob("*/index.html")):
                if page.parent.name != "bieu-do":
                    found.append(f"/{prefix}{folder}/{page.parent.name}/")
    return found


def test_every_dataset_and_member_page_shows_its_first_figure_at_once(
    phone_page: Page, base_url: str, site_dir: Path
) -> None:
    """At 360 px, the first figure of every dataset and member page, in both languages, is within the first
    screen and a half; no page scrolls sideways, no table scrolls sideways in its frame (they are read as
    cards), chart text is legible, and no page logs an error to the console."""
    pages = _dataset_and_member_pages(site_dir)
    assert len(pages) >= 30, pages
    errors: list[str] = []
    phone_page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    phone_page.on("pageerror", lambda error: errors.append(str(error)))
    screen = PHONE["viewport"]["height"]
    late, scrolling, small = {}, {}, {}
    for path in pages:
        phone_page.goto(base_url + path, wait_until="load")
        top = phone_page.evaluate(_FIRST_FIGURE_JS)
        assert top is not None, f"{path}: no figure"
        if top > 1.5 * screen:
            late[path] = round(top / screen, 2)
        width = phone_page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE["viewport"]["width"], f"{path} scrolls sideways: {width} px"
        found = phone_page.evaluate(_TABLES_AND_CHARTS_JS)
        if found["scrolling"]:
            scrolling[path] = found["scrolling"]
        if found["smallest"] < PHONE_TEXT_PX:
            small[path] = round(found["smallest"], 1)
    assert late == {}, f"first figure beyond 1.5 screens (in screens): {late}"
    assert scrolling == {}, f"tables that scroll sideways at 360 px: {scrolling}"
    assert small == {}, f"chart text smaller than {PHONE_TEXT_PX} px at 360 px: {small}"
    assert errors == [], errors


def test_charts_are_legible_on_a_desktop(browser: Browser, base_url: str, site_dir: Path) -> None:
    """At 1280 px, every chart of every dataset and member page grows with the column: its smallest text is
    at least 13 px (drawn at 10 px for a phone, a chart shown at its drawn size was tiny on a wide screen)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        small = {}
        for path in _dataset_and_member_pages(site_dir):
            page.goto(base_url + path, wait_until="load")
            found = page.evaluate(_TABLES_AND_CHARTS_JS)
            if found["smallest"] < DESKTOP_TEXT_PX:
                small[path] = round(found["smallest"], 1)
        assert small == {}, f"chart text smaller than {DESKTOP_TEXT_PX} px at 1280 px: {small}"
    finally:
        context.close()


@pytest.mark.parametrize("home", ["/", "/en/"])
def test_searching_logs_nothing_to_the_console(browser: Browser, base_url: str, home: str) -> None:
    """The search index is built in the reader's language without a warning or an error (the theme's
    Vietnamese lunr support left a pipeline function unregistered: docs/assets/javascripts/lunr/min/)."""
    context = browser.new_context(**PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    logged: list[str] = []
    context.on("console", lambda message: logged.append(f"{message.type}: {message.text}"))
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: logged.append(f"pageerror: {error}"))
        page.goto(base_url + home, wait_until="load")
        page_weight.search(page, "Đak Pơ")
        page.wait_for_timeout(500)  # the worker's messages, if any, arrive with or just after the results
    finally:
        context.close()
    assert [line for line in logged if line.split(":")[0] in ("error", "warning", "pageerror")] == []
