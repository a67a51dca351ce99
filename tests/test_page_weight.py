"""Page weight and third-party requests: a first visit to every page kind, in headless Debian Chromium, measured
with benchmarks/page_weight.py (the same code that prints the table for people).

Budgets, in bytes sent on the wire (gzip, as GitHub Pages serves the site; headers included), for a first visit
with an empty cache, until the page is loaded and the network idle. Measured on the site as built for issue 10:
the home page 112 kB, the largest dataset page (production-value) 119 kB; of that, Material's CSS and
JavaScript are 66 kB and its search (index, worker, Vietnamese word splitter) 37 kB, then fetched while the
page loaded. Once 2019-2025 was entered the search index alone was 54 kB and growing with every figure, so it
is now fetched only when the reader opens the search (overrides/main.html): a first visit no longer grows
with the catalogue, and a reader who searches pays for the index then (the '+search' column; checked below).

Why these numbers. Citizens read the site on phones, many on 2G/3G outside the towns. Chrome's "Slow 3G"
profile (400 kbit/s, 400 ms round trip) moves 50 kB a second: 150 kB is 3 s of transfer plus a few round trips,
and the text shows earlier, once the HTML and CSS (about 40 kB) have arrived. On 2G EDGE (about 200 kbit/s in
practice) the same page takes 6 to 8 s, the most a reader will wait. The budgets leave about 25% of room for
more data (a year's figures add rows to the dataset pages) and no room for a web font, an image carousel or a
framework: anything of that size needs a decision, not a bigger number here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import Browser

from conftest import page_weight

pytestmark = pytest.mark.browser


pw = page_weight  # the shared browser set-up and measures
PAGES = pw.PAGES
KB = 1024
# page name in pw.PAGES -> budget in bytes on the wire (see the module's docstring for the reasons)
BUDGETS = {
    "home": 140 * KB,
    "production-value": 150 * KB,  # the largest dataset page: every figure, source and download of its tables
}


@pytest.fixture(scope="module")
def server(site_dir: Path) -> Iterator[Any]:
    with pw.SiteServer(site_dir) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with pw.chromium() as running:
        yield running


@pytest.fixture(scope="module")
def weight_of(browser: Browser, server: Any) -> Callable[[str], Any]:
    """A page kind's first visit, measured once (when a test first asks) and shared by the tests below."""
    measured: dict[str, Any] = {}

    def weight(name: str) -> Any:
        if name not in measured:
            measured[name] = pw.measure(browser, server, next(p for p in PAGES if p.name == name))
        return measured[name]

    return weight


@pytest.mark.parametrize("site_page", PAGES, ids=[p.name for p in PAGES])
def test_no_request_leaves_the_site(weight_of: Callable[[str], Any], site_page: Any) -> None:
    """Every request a first visit makes (the page's, its scripts' and the search worker's, with the search
    opened and a query typed) goes to the site itself, and the server answered each one."""
    weight = weight_of(site_page.name)
    requests = [u for u in weight.requests if not u.startswith(("data:", "blob:"))]
    assert requests, "no requests were recorded"
    foreign = [u for u in requests if urlsplit(u).hostname != "127.0.0.1"]
    assert not foreign, f"{site_page.path} made requests off the site: {foreign}"
    served = {t.path for t in weight.load + weight.search}
    unanswered = {unquote(urlsplit(u).path) for u in requests} - served
    assert not unanswered, f"requested but not served (the measure would miss them): {unanswered}"
    assert weight.sent("fonts") == 0, "a web font is downloaded: the site uses the system's fonts"
    assert all(t.status == site_page.status for t in weight.load if t.category == "html")


@pytest.mark.parametrize("name", list(BUDGETS))
def test_first_visit_within_budget(weight_of: Callable[[str], Any], name: str) -> None:
    weight = weight_of(name)
    sent = weight.sent(with_search=False)
    assert weight.sent("html") > 0 and weight.sent("search") > 0, "the page or its search index was not measured"
    assert sent <= BUDGETS[name], (
        f"{weight.page.path} transfers {sent / KB:.1f} kB on a first visit, over its budget of "
        f"{BUDGETS[name] / KB:.0f} kB:\n{pw.format_table([weight])}\n"
        + "\n".join(f"  {t.sent:>8}  {t.path}" for t in sorted(weight.load, key=lambda t: -t.sent))
    )


@pytest.mark.parametrize("name", list(BUDGETS))
def test_the_search_index_comes_only_when_the_reader_searches(weight_of: Callable[[str], Any], name: str) -> None:
    """Loading the page does not fetch the search index; opening the search and typing does (and the search
    then works: tests/test_browser.py searches for figures)."""
    weight = weight_of(name)
    index = "/search/search_index.json"
    assert not [t for t in weight.load if t.path.endswith(index)], f"{weight.page.path} fetched the index on load"
    assert [t for t in weight.search if t.path.endswith(index)], "opening the search did not fetch the index"


def test_benchmark_table_lists_each_page_kind(weight_of: Callable[[str], Any]) -> None:
    """The table benchmarks/page_weight.py prints: one row per page kind, with its total."""
    measured = [weight_of(name) for name in BUDGETS]
    table = pw.format_table(measured).splitlines()
    for weight in measured:
        row = next(line for line in table if line.startswith(weight.page.name + " "))
        assert f"{weight.sent() / KB:.1f}" in row.split()
