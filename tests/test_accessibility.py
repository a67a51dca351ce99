"""Accessibility of every page kind, in headless Debian Chromium: axe-core (through axe-playwright-python) at a
desktop and a phone viewport, in Material's light and dark palettes; keyboard use with a visible focus.

The page kinds come from benchmarks/page_weight.py's ``PAGES`` (one list for the accessibility, page-weight and
print tests): adding a language means adding its pages there. The site is the session's built copy, served the
way GitHub Pages serves it (a missing page gets ``404.html`` with status 404).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page

from conftest import page_weight

pytestmark = pytest.mark.browser


pw = page_weight  # the shared browser set-up and measures
PAGES = pw.PAGES
DEVICES = {"desktop": pw.DESKTOP, "phone": pw.PHONE}
PALETTES = {"light": "default", "dark": "slate"}  # Material's scheme names
SERIOUS = ("serious", "critical")

# Violations whose fix belongs to the generator, reported as expected failures until it lands (then this entry
# is dead and should go): rule -> the CSS selector that every offending node matches, and the fix.
PENDING_IN_GENERATOR: dict[str, tuple[str, str]] = {}  # rule -> (selector, reason): none left


@pytest.fixture(scope="module")
def server(site_dir: Path) -> Iterator[Any]:
    with pw.SiteServer(site_dir) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with pw.chromium() as running:
        yield running


class _PaletteOptions(HTMLParser):
    """The palette's radio buttons in a built page: Material stores the chosen one's attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.options: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "input" and found.get("name") == "__palette":
            self.options.append(found)


@pytest.fixture(scope="module")
def palette_storage(site_dir: Path) -> dict[str, str]:
    """For each palette, the value Material's bundle writes to localStorage when a reader picks it: key
    ``<scope>.__palette`` (the scope is the site's base path, "/" here), value
    ``{"index": i, "color": {"media", "scheme", "primary", "accent"}}`` from the i-th palette input."""
    parser = _PaletteOptions()
    parser.feed((site_dir / "index.html").read_text(encoding="utf-8"))
    stored = {}
    for name, scheme in PALETTES.items():
        index, option = next((i, o) for i, o in enumerate(parser.options) if o["data-md-color-scheme"] == scheme)
        color = {k: option[f"data-md-color-{k}"] for k in ("media", "scheme", "primary", "accent")}
        stored[name] = json.dumps({"index": index, "color": color})
    return stored


def _context(browser: Browser, device: str, palette: str | None, storage: dict[str, str]) -> BrowserContext:
    context = browser.new_context(**DEVICES[device], locale="vi-VN")
    context.set_default_timeout(pw.TIMEOUT_MS)
    if palette is not None:
        context.add_init_script(f"localStorage.setItem('/.__palette', {json.dumps(storage[palette])})")
    return context


def _serious(page: Page, results: dict[str, Any]) -> tuple[list[dict[str, Any]], list[str]]:
    """The serious and critical violations, less those waiting for the generator (returned as their reasons)."""
    serious, pending = [], []
    for violation in results["violations"]:
        if violation["impact"] not in SERIOUS:
            continue
        rule = violation["id"]
        if rule in PENDING_IN_GENERATOR:
            selector, reason = PENDING_IN_GENERATOR[rule]
            targets = [node["target"][0] for node in violation["nodes"]]
            matches = page.evaluate(
                "([targets, selector]) => targets.map(t => document.querySelector(t)?.matches(selector) ?? false)",
                [targets, selector],
            )
            if all(matches):
                pending.append(f"{rule} on {len(targets)} element(s): {reason}")
                continue
        serious.append(violation)
    return serious, pending


def _describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} [{len(v['nodes'])} element(s)]")
        for node in v["nodes"][:5]:
            detail = (node.get("any") or node.get("all") or node.get("none") or [{"message": ""}])[0]["message"]
            lines.append(f"    {node['target']}: {' '.join(node['html'].split())[:160]} -- {detail}")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def tabs(browser: Browser, palette_storage: dict[str, str]) -> Iterator[dict[tuple[str, str], Page]]:
    """One tab per device and palette, shared by the axe tests (a context per test costs more than its check)."""
    contexts = {(d, p): _context(browser, d, p, palette_storage) for d in DEVICES for p in PALETTES}
    try:
        yield {key: context.new_page() for key, context in contexts.items()}
    finally:
        for context in contexts.values():
            context.close()


@pytest.mark.parametrize("palette", list(PALETTES))
@pytest.mark.parametrize("device", list(DEVICES))
@pytest.mark.parametrize("site_page", PAGES, ids=[p.name for p in PAGES])
def test_axe_finds_no_serious_violation(
    tabs: dict[tuple[str, str], Page], server: Any, site_page: Any, device: str, palette: str
) -> None:
    page = tabs[device, palette]
    response = page.goto(server.url + site_page.path, wait_until="load")
    assert response is not None and response.status == site_page.status
    assert page.locator("html").get_attribute("lang") == site_page.lang
    scheme = page.locator("body").get_attribute("data-md-color-scheme")
    assert scheme == PALETTES[palette], f"the {palette} palette did not apply: {scheme}"
    serious, pending = _serious(page, Axe().run(page).response)
    assert not serious, f"axe-core on {site_page.path} ({device}, {palette}):\n{_describe(serious)}"
    if pending:
        pytest.xfail("waiting for the generator: " + "; ".join(pending))


@pytest.mark.parametrize("palette", list(PALETTES))
def test_axe_finds_no_serious_violation_in_search(
    browser: Browser, server: Any, palette_storage: dict[str, str], palette: str
) -> None:
    """The search dialog open, with results on screen: named, and readable in both palettes."""
    context = _context(browser, "desktop", palette, palette_storage)
    try:
        page = context.new_page()
        page.goto(server.url + "/", wait_until="load")
        page.keyboard.press("/")  # Material's keyboard shortcut for the search
        query = page.locator("input.md-search__input")
        query.wait_for(state="visible")
        query.fill("Đak Pơ")
        query.press("End")
        page.locator(".md-search-result__item").first.wait_for(state="visible")
        # Colours are measured once the results have faded in: mid-transition they are lighter than they end.
        page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
        dialog = page.locator(".md-search[role=dialog]")
        assert dialog.get_attribute("aria-label") == "Tìm kiếm"
        # The dialog only: the page behind it is checked by the test above.
        serious, pending = _serious(page, Axe().run(page, context=".md-search").response)
    finally:
        context.close()
    assert not serious + pending, f"axe-core with the search open ({palette}):\n{_describe(serious)}{pending}"


def _tab_to(page: Page, selector: str, limit: int = 150) -> None:
    """Press Tab until the focused element matches ``selector`` (fails after ``limit`` presses)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement?.matches(s) ?? false", selector):
            return
    focused = page.evaluate("() => document.activeElement?.outerHTML.slice(0, 120)")
    pytest.fail(f"{limit} presses of Tab never reached {selector}; focus is on {focused}")


_OUTLINE_JS = """
element => {
  const style = getComputedStyle(element);
  return {style: style.outlineStyle, width: parseFloat(style.outlineWidth), color: style.outlineColor};
}
"""


def _assert_visible_outline(outline: dict[str, Any], what: str) -> None:
    assert outline["style"] not in ("none", "hidden") and outline["width"] >= 1, f"{what}: no focus ring {outline}"
    assert outline["color"] not in ("transparent", "rgba(0, 0, 0, 0)"), f"{what}: invisible focus ring {outline}"


@pytest.fixture(params=list(DEVICES))
def keyboard_page(request: pytest.FixtureRequest, browser: Browser, palette_storage: dict[str, str]) -> Iterator[Page]:
    context = _context(browser, request.param, "light", palette_storage)
    try:
        yield context.new_page()
    finally:
        context.close()


def test_first_tab_shows_the_skip_link(keyboard_page: Page, server: Any) -> None:
    # Under load the page's scripts may still be starting when "load" fires: every step waits for what it
    # needs (the document complete, the focus on the link, the link shown, the address changed) instead of
    # reading the state at once, which made this test fail on a busy machine.
    keyboard_page.goto(server.url + "/dia-phuong/dak-po/", wait_until="load")
    keyboard_page.wait_for_function("() => document.readyState === 'complete'")
    skip = keyboard_page.locator("a.md-skip")
    target = (skip.get_attribute("href") or "#").split("#")[1]
    keyboard_page.keyboard.press("Tab")
    keyboard_page.wait_for_function("() => document.activeElement?.matches('a.md-skip') ?? false", timeout=10_000)
    keyboard_page.wait_for_function("() => getComputedStyle(document.querySelector('a.md-skip')).opacity === '1'")
    keyboard_page.keyboard.press("Enter")
    keyboard_page.wait_for_url(f"**#{target}", timeout=10_000)


def test_sort_buttons_work_by_keyboard_with_a_visible_focus(keyboard_page: Page, server: Any) -> None:
    keyboard_page.goto(server.url + "/du-lieu/production-value/", wait_until="load")
    _tab_to(keyboard_page, "th .sort-button")
    button = keyboard_page.locator(":focus")
    assert button.evaluate("b => b.matches(':focus-visible')")
    _assert_visible_outline(button.evaluate(_OUTLINE_JS), "sort button")
    keyboard_page.keyboard.press("Enter")
    assert button.evaluate("b => b.closest('th').getAttribute('aria-sort')") == "ascending"
    keyboard_page.keyboard.press("Enter")
    assert button.evaluate("b => b.closest('th').getAttribute('aria-sort')") == "descending"


def test_palette_toggle_works_by_keyboard_with_a_visible_focus(keyboard_page: Page, server: Any) -> None:
    keyboard_page.goto(server.url + "/", wait_until="load")
    assert keyboard_page.locator("body").get_attribute("data-md-color-scheme") == "default"
    _tab_to(keyboard_page, "input.md-option[name=__palette]")
    toggle = keyboard_page.locator(":focus")
    # The radio button itself is invisible; Material draws the ring on the icon beside it (its label).
    _assert_visible_outline(toggle.evaluate("i => (" + _OUTLINE_JS + ")(i.nextElementSibling)"), "palette toggle")
    keyboard_page.keyboard.press("Enter")
    keyboard_page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'")


def test_links_in_the_content_have_a_visible_focus(keyboard_page: Page, server: Any) -> None:
    keyboard_page.goto(server.url + "/dia-phuong/", wait_until="load")
    _tab_to(keyboard_page, "article a[href]:not(.headerlink)")
    _assert_visible_outline(keyboard_page.locator(":focus").evaluate(_OUTLINE_JS), "link")


def test_charts_are_named_images(browser: Browser, server: Any, palette_storage: dict[str, str]) -> None:
    """Each chart is one image for assistive technology, named by its <title> and described by its <desc>."""
    context = _context(browser, "desktop", None, palette_storage)
    try:
        page = context.new_page()
        page.goto(server.url + "/so-sanh/", wait_until="load")
        charts = page.locator("figure.chart svg")
        assert charts.count() > 0
        for i in range(charts.count()):
            chart = charts.nth(i)
            assert chart.get_attribute("role") == "img"
            title, desc = (chart.get_attribute("aria-labelledby") or "").split()
            assert (page.locator(f"[id='{title}']").text_content() or "").strip()
            assert (page.locator(f"[id='{desc}']").text_content() or "").strip()
    finally:
        context.close()


@pytest.mark.parametrize("path", ["/du-lieu/production-value/", "/dia-phuong/dak-po/"])
def test_tables_have_captions_and_header_scopes(browser: Browser, server: Any, path: str) -> None:
    context = browser.new_context(**pw.DESKTOP)
    try:
        page = context.new_page()
        page.goto(server.url + path, wait_until="load")
        tables = page.evaluate(
            """() => [...document.querySelectorAll('article table')].map(t => ({
                caption: t.caption ? t.caption.textContent.trim() : '',
                scopes: [...t.querySelectorAll('thead th')].map(th => th.getAttribute('scope')),
            }))"""
        )
    finally:
        context.close()
    assert tables
    assert all(t["caption"] for t in tables), tables
    assert all(scope == "col" for t in tables for scope in t["scopes"]), tables
