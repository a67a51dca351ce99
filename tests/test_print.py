"""Printing dataset and member pages on A4 (docs/assets/stylesheets/print.css), in headless Debian Chromium.

Two checks per page: with print media emulated at the width of A4's printable area, the navigation is hidden,
every table fits that width with nothing cut off, and the charts are drawn and kept whole; then Chromium prints
the page to a PDF (kept in $TEST_ARTIFACTS/print/, by default in the system's temporary folder, for a person
to look at).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from conftest import ARTIFACTS, page_weight

pytestmark = pytest.mark.browser


pw = page_weight  # the shared browser set-up and measures
PRINTED = [p for p in pw.PAGES if p.kind in ("dataset", "member")]
PDFS = ARTIFACTS / "print"
# A4 is 210 mm wide; print.css sets 10 mm margins, leaving 190 mm: 718 CSS px at 96 px per inch.
PRINTABLE_WIDTH = round((210 - 2 * 10) / 25.4 * 96)
PRINTABLE_HEIGHT = round((297 - 2 * 12) / 25.4 * 96)


@pytest.fixture(scope="module")
def server(site_dir: Path) -> Iterator[Any]:
    with pw.SiteServer(site_dir) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with pw.chromium() as running:
        yield running


@pytest.fixture
def paper(browser: Browser) -> Iterator[Page]:
    """A tab as wide as A4's printable area, showing pages as they print."""
    context = browser.new_context(viewport={"width": PRINTABLE_WIDTH, "height": PRINTABLE_HEIGHT}, locale="vi-VN")
    context.set_default_timeout(pw.TIMEOUT_MS)
    try:
        page = context.new_page()
        page.emulate_media(media="print")
        yield page
    finally:
        context.close()


_LAYOUT_JS = """
() => {
  const shown = el => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const tables = [...document.querySelectorAll('article table')].map(t => {
    const clipped = [];
    for (let p = t.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o !== 'visible') clipped.push(`${p.className}: overflow-x ${o}`);
    }
    const r = t.getBoundingClientRect();
    return {left: r.left, right: r.right, width: r.width, scroll: t.scrollWidth, client: t.clientWidth,
            fontSize: parseFloat(getComputedStyle(t).fontSize), clipped,
            head: t.tHead ? t.tHead.textContent.trim().replace(/\\s+/g, ' ').slice(0, 60) : ''};
  });
  const charts = [...document.querySelectorAll('article figure.chart')].map(f => {
    const svg = f.querySelector('svg');
    const r = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
    return {width: r.width, height: r.height, breakInside: getComputedStyle(f).breakInside};
  });
  const external = document.querySelector('article a[href^="http"]:not(table a)');
  return {
    navigation: ['.md-header', '.md-tabs', '.md-sidebar--primary', '.md-sidebar--secondary', '.md-footer',
                 '.md-search', '.md-top'].filter(s => shown(document.querySelector(s))),
    pageWidth: document.documentElement.scrollWidth,
    tables, charts,
    externalLink: external ? {href: external.href, after: getComputedStyle(external, '::after').content} : null,
  };
}
"""


@pytest.mark.parametrize("site_page", PRINTED, ids=[p.name for p in PRINTED])
def test_printed_page_fits_a4(paper: Page, server: Any, site_page: Any) -> None:
    response = paper.goto(server.url + site_page.path, wait_until="load")
    assert response is not None and response.status == 200
    layout = paper.evaluate(_LAYOUT_JS)

    assert not layout["navigation"], f"navigation printed: {layout['navigation']}"
    assert layout["pageWidth"] <= PRINTABLE_WIDTH, f"the page is {layout['pageWidth']} px wide on paper"
    assert layout["tables"], "no table on the page"
    for table in layout["tables"]:
        where = f"table '{table['head']}'"
        assert table["left"] >= 0 and table["right"] <= PRINTABLE_WIDTH + 0.5, f"{where} sticks out: {table}"
        assert table["scroll"] <= table["client"] + 1, f"{where} is cut off: {table}"
        assert not table["clipped"], f"{where} prints in a scrolling box: {table['clipped']}"
        assert table["fontSize"] <= 11, f"{where} prints at {table['fontSize']} px"
    for chart in layout["charts"]:
        assert chart["width"] > 200 and chart["height"] > 40, f"chart not drawn: {chart}"
        assert chart["breakInside"] == "avoid", f"a chart may be split across pages: {chart}"
    if layout["externalLink"]:
        link = layout["externalLink"]
        assert link["href"] in link["after"], f"a source's address is not printed: {link}"


@pytest.mark.parametrize("site_page", PRINTED, ids=[p.name for p in PRINTED])
def test_page_prints_to_a4_pdf(browser: Browser, server: Any, site_page: Any) -> None:
    context = browser.new_context(locale="vi-VN")
    try:
        page = context.new_page()
        page.goto(server.url + site_page.path, wait_until="load")
        pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=False)
    finally:
        context.close()
    assert pdf.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert 1 <= pages <= 40, f"{site_page.path} prints on {pages} pages"
    PDFS.mkdir(parents=True, exist_ok=True)
    (PDFS / f"{site_page.name}.pdf").write_bytes(pdf)
