"""The pages built from the injection cases (tests/injection.py), opened in headless Debian Chromium: no dialog
opens, no script from the data runs (every payload would set ``window.__pwned`` or call ``alert``), and the
injected text is on screen as text. The site's own scripts run as usual (search, filters, sortable tables),
and are exercised with the payloads too.

Chromium is Debian's package, launched through ``executable_path`` as in tests/test_browser.py.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from injection import DATASET_TITLE, INDICATOR, MEMBER_NAME, NOTE, PUBLISHER, build_hostile
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from conftest import page_weight
from htmltext import normalise

pytestmark = pytest.mark.browser

CHROMIUM, CHROMIUM_ARGS = page_weight.CHROMIUM, page_weight.CHROMIUM_ARGS  # Debian's chromium
TIMEOUT_MS = page_weight.TIMEOUT_MS
PAGES = [
    "/",
    "/du-lieu/",
    "/du-lieu/figures/",
    "/du-lieu/members/",
    "/du-lieu/sources/",
    "/dia-phuong/",
    "/dia-phuong/alpha/",
    "/dia-phuong/beta/",
    "/gioi-thieu/",
    "/so-sanh/",
]
# Replaces alert/confirm/prompt before any script of the page runs: a call is recorded even if the dialog
# event were missed.
_TRAP = """
window.__dialogs = [];
for (const name of ['alert', 'confirm', 'prompt']) {
  window[name] = (...args) => { window.__dialogs.push([name, String(args[0])]); return null; };
}
"""


_EVENTS = """
() => {
  for (const el of document.querySelectorAll('body *')) {
    for (const type of ['mouseover', 'mouseenter', 'mousemove', 'focus', 'click', 'animationstart']) {
      if (type === 'click' && el.closest('a, button, label, summary, input, select')) continue;  // no navigation
      el.dispatchEvent(new Event(type, {bubbles: true}));
    }
  }
}
"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_hostile(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="module")
def base_url(hostile_site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=os.fspath(hostile_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="hostile-site", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(f"{CHROMIUM} not found: the browser tests need Debian's chromium package.", pytrace=False)
    with sync_playwright() as pw:
        yield _launch(pw)


def _launch(pw: Playwright) -> Browser:
    return pw.chromium.launch(executable_path=os.fspath(CHROMIUM), args=CHROMIUM_ARGS)


@pytest.fixture
def page(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    """A page that records every dialog (and dismisses it) and every uncaught error."""
    context = browser.new_context(locale="vi-VN")
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(_TRAP)
    tab = context.new_page()
    dialogs: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        yield tab, dialogs
    finally:
        context.close()


def assert_inert(tab: Page, dialogs: list[str]) -> None:
    assert dialogs == [], f"a dialog opened: {dialogs}"
    assert tab.evaluate("() => window.__dialogs") == [], "the page called alert/confirm/prompt"
    assert tab.evaluate("() => window.__pwned") is None, "a script from the data ran"


@pytest.mark.parametrize("path", PAGES)
def test_no_script_from_the_data_runs(page: tuple[Page, list[str]], base_url: str, path: str) -> None:
    tab, dialogs = page
    response = tab.goto(base_url + path, wait_until="load")
    assert response is not None and response.status == 200
    tab.wait_for_load_state("networkidle")
    # Every element of the page gets the events an injected handler would wait for (onmouseover, onfocus...),
    # then a real pointer moves over the first links and cells.
    tab.evaluate(_EVENTS)
    for element in tab.locator("article a, article td").all()[:10]:
        if element.is_visible():
            element.hover(force=True, timeout=2_000)
    assert_inert(tab, dialogs)


def test_injected_text_is_shown_as_text(page: tuple[Page, list[str]], base_url: str) -> None:
    tab, dialogs = page
    tab.goto(base_url + "/du-lieu/figures/", wait_until="load")
    assert tab.title().startswith(normalise(DATASET_TITLE) + " - ")  # the <title>, as the browser reads it
    h1 = tab.locator("article h1").first.evaluate(
        "h => { const c = h.cloneNode(true); c.querySelectorAll('a.headerlink').forEach(a => a.remove());"
        " return c.textContent; }"
    )
    assert normalise(h1) == normalise(DATASET_TITLE)
    text = normalise(tab.locator("article").first.inner_text())
    for value in (INDICATOR, NOTE, PUBLISHER):
        assert normalise(value) in text, value
    assert tab.locator("article script, article img[onerror], article svg[onload], article iframe").count() == 0
    tab.goto(base_url + "/dia-phuong/alpha/", wait_until="load")
    assert tab.title().startswith(normalise(MEMBER_NAME) + " - ")
    assert_inert(tab, dialogs)


def test_search_results_show_the_payloads_as_text(page: tuple[Page, list[str]], base_url: str) -> None:
    """Material renders search results as HTML: the index must hold the payloads escaped."""
    tab, dialogs = page
    tab.goto(base_url + "/", wait_until="load")
    query = tab.locator("input.md-search__input")  # in the header at a desktop width
    query.click()
    query.fill("Alpha")  # the member whose name carries a payload: its page title is a result's title
    query.press("End")
    results = tab.locator(".md-search-result__item")
    results.first.wait_for(state="visible")
    assert normalise(MEMBER_NAME) in normalise(tab.locator(".md-search-result").inner_text())
    for item in results.all()[:10]:
        item.hover()
    assert_inert(tab, dialogs)


def test_filters_and_sorting_keep_the_payloads_inert(page: tuple[Page, list[str]], base_url: str) -> None:
    """The site's own scripts handle the data too: the catalogue filter (keywords as options) and sortable
    tables (cells compared and moved)."""
    tab, dialogs = page
    tab.goto(base_url + "/du-lieu/", wait_until="load")
    for select in tab.locator("select").all():
        for value in select.locator("option").evaluate_all("options => options.map(o => o.value)"):
            select.select_option(value=value)
    tab.goto(base_url + "/du-lieu/figures/", wait_until="load")
    buttons = tab.locator("article th button.sort-button")
    assert buttons.count() > 0
    for button in buttons.all()[:20]:
        if button.is_visible():
            button.click()
    assert_inert(tab, dialogs)
