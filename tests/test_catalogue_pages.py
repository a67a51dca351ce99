"""A long catalogue in pages (issue 19: 1,000 datasets on one page made 490 kB of HTML): ``du-lieu/`` then
``danh-muc/2/``, ..., ``config.CATALOGUE_PAGE_SIZE`` datasets each, with links to every page, and a filter
that narrows the whole catalogue from any page (it reads the other pages when it is used).

The real datasets are built with a page size of 4 (11 datasets: 3 pages)."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator import config
from generator.build import build
from generator.outputs import registry
from generator.outputs.render import catalogue_pages, page_address_from
from generator.outputs.tables import page_address

from conftest import copy_project, page_weight

SIZE = 4


def test_the_pages_of_a_catalogue() -> None:
    assert catalogue_pages(0) == catalogue_pages(100) == ["du-lieu/index.md"]
    assert catalogue_pages(101) == ["du-lieu/index.md", "danh-muc/2/index.md"]
    assert catalogue_pages(1000)[-1] == "danh-muc/10/index.md" and len(catalogue_pages(1000)) == 10
    assert page_address_from("du-lieu/index.md", "danh-muc/2/index.md") == "../danh-muc/2/"
    assert page_address_from("danh-muc/2/index.md", "du-lieu/index.md") == "../../du-lieu/"
    assert page_address_from("danh-muc/2/index.md", "du-lieu/x/index.md") == "../../du-lieu/x/"
    assert page_address_from("du-lieu/index.md", "du-lieu/index.md") == "./"


PAGES = [
    "index.md",
    "gioi-thieu.md",
    "du-lieu/index.md",
    "du-lieu/a.md",
    "du-lieu/a/index.md",
    "du-lieu/ab/index.md",
    "du-lieu/a/b/c.md",
    "danh-muc/2/index.md",
    "dia-phuong/kbang.md",
    "en/index.md",
    "en/du-lieu/a/index.md",
]


@pytest.mark.parametrize("page", PAGES)
def test_links_between_pages_are_what_relpath_gives(page: str) -> None:
    """``page_address_from`` walks the two addresses itself (``posixpath.relpath`` took a tenth of making the
    catalogue's pages): the same link for every pair."""
    for other in PAGES:
        here, there = page_address(page), page_address(other)
        link = posixpath.relpath(there or ".", here or ".")
        assert page_address_from(page, other) == ("./" if link == "." else link + "/"), other


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = copy_project(tmp_path_factory.mktemp("paged"))
    patch = pytest.MonkeyPatch()
    patch.setattr(config, "CATALOGUE_PAGE_SIZE", SIZE)
    try:
        checked, report = build(root)
        assert report is not None, [i.as_tuple() for i in checked.issues]
    finally:
        patch.undo()
    yield root / "site"


class _Links(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.listed: list[str] = []
        self.pager: list[tuple[str, str | None]] = []
        self._where = ""
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "ul" and found.get("class") == "catalogue-list":
            self._where = "list"
        elif tag == "nav" and found.get("class") == "pager":
            self._where = "pager"
        elif tag == "a" and self._where == "list" and "catalogue-title" not in str(found.get("class")):
            self.listed.append(str(found.get("href")))
        elif tag == "a" and self._where == "pager":
            self.pager.append((str(found.get("href")), found.get("aria-current")))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ul", "nav") and self._where:
            self._where = ""


@pytest.mark.parametrize("lang", ["", "en/"])
def test_every_dataset_is_listed_once_and_every_link_leads_somewhere(paged_site: Path, lang: str) -> None:
    datasets = sorted(p.name for p in (paged_site.parent / "datasets").iterdir() if p.is_dir())
    pages = [f"{lang}du-lieu/", *(f"{lang}danh-muc/{n}/" for n in range(2, -(-len(datasets) // SIZE) + 1))]
    listed = []
    for number, page in enumerate(pages):
        html = (paged_site / page / "index.html").read_text(encoding="utf-8")
        links = _Links(html)
        assert 0 < len(links.listed) <= SIZE, page
        for href in links.listed:
            target = posixpath.normpath(posixpath.join(page, href))
            assert (paged_site / target / "index.html").is_file(), (page, href)
            listed.append(target.removeprefix(lang).removeprefix("du-lieu/"))
        # every page links to every page, and marks itself
        assert [posixpath.normpath(posixpath.join(page, h)) + "/" for h, _ in links.pager] == pages
        assert [current for _, current in links.pager].count("page") == 1
        assert links.pager[number][1] == "page"
        heading = re.search(r"<h1[^>]*>(.*?)<", html)
        assert heading is not None and f"{number + 1}/{len(pages)}" in heading.group(1)
    assert sorted(listed) == datasets


@pytest.mark.browser
def test_the_filter_narrows_the_whole_catalogue_from_its_first_page(paged_site: Path) -> None:
    with page_weight.SiteServer(paged_site) as server, page_weight.chromium() as browser:
        tab = browser.new_page(viewport={"width": 360, "height": 740})
        tab.set_default_timeout(page_weight.TIMEOUT_MS)
        tab.goto(server.url + "/du-lieu/", wait_until="load")
        own = tab.locator(".catalogue-list li:not([hidden])").all_inner_texts()
        assert len(own) == SIZE
        tab.select_option("select[name=years]", "2024")
        tab.wait_for_function("() => document.querySelector('nav.pager').hidden")
        found = [t.split("\n")[0] for t in tab.locator(".catalogue-list li:not([hidden])").all_inner_texts()]
        # datasets of 2024 from every page, not only the first page's four
        assert {"Giá trị sản xuất", "Hoạt động của Cụm thi đua"} <= set(found), found
        assert "/ 11 " in tab.locator(".catalogue-count").inner_text()
        link = tab.locator(".catalogue-list li:not([hidden]) a", has_text="Giá trị sản xuất").first
        link.click()
        tab.wait_for_load_state("load")
        assert tab.url.endswith("/du-lieu/production-value/")
        tab.go_back(wait_until="load")
        tab.select_option("select[name=years]", "")
        assert tab.locator(".catalogue-list li:not([hidden])").count() == SIZE
        assert tab.locator("nav.pager").is_visible()


def test_the_further_pages_are_a_kind_the_registry_knows(paged_site: Path) -> None:
    """``registry.OUTPUTS``' "catalogue page" is what a paged catalogue publishes, in both languages."""
    further = sorted(p.relative_to(paged_site).as_posix() for p in paged_site.rglob("danh-muc/*/index.html"))
    assert further and len(further) % 2 == 0, further
    assert {getattr(registry.kind_of(path), "kind", None) for path in further} == {"catalogue page"}
