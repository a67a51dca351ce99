"""Injection attempts in every value a page prints, built into a real site (MkDocs, Material) and scanned.

The hostile project (tests/injection.py) is valid data whose titles, descriptions, keywords, licenses, field
names, cells, member names and source links carry raw HTML and script, ``javascript:`` links, attribute
lists, ``|`` and newlines, backticks, snippet markers and jinja syntax. The same fixture without payloads is
built too: each hostile page may only hold the kinds of elements and attributes its clean twin holds.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml
from injection import DATASET_TITLE, DESCRIPTION, MEMBER_NAME, SCRIPT, VISIBLE, build_baseline, build_hostile

from conftest import ROOT
from htmltext import normalise, read_page


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_hostile(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_baseline(tmp_path_factory.getbasetemp())


class Scan(HTMLParser):
    """Every element (tag and attribute names), attribute value, script and title of a page."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.kinds: set[tuple[str, frozenset[str]]] = set()
        self.attributes: list[tuple[str, str, str]] = []  # tag, name, value
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.titles: list[str] = []
        self.inside_title: list[str] = []  # any element opened inside <title>
        self._script: dict[str, str | None] | None = None
        self._title: list[str] | None = None
        self._data: list[str] = []
        self.feed(source)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.kinds.add((tag, frozenset(name for name, _ in attrs)))
        self.attributes += [(tag, name, value or "") for name, value in attrs]
        if self._title is not None:
            self.inside_title.append(tag)
        if tag == "script":
            self._script, self._data = dict(attrs), []
        elif tag == "title":
            self._title = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._data)))
            self._script = None
        elif tag == "title" and self._title is not None:
            self.titles.append("".join(self._title))
            self._title = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._data.append(data)
        if self._title is not None:
            self._title.append(data)


def pages(site: Path) -> Iterator[tuple[str, Scan]]:
    for path in sorted(site.rglob("*.html")):
        yield path.relative_to(site).as_posix(), Scan(path.read_text(encoding="utf-8"))


def test_the_hostile_project_has_the_same_pages(hostile: Path, baseline: Path) -> None:
    assert sorted(p for p, _ in pages(hostile)) == sorted(p for p, _ in pages(baseline))


def test_data_creates_no_element_and_no_attribute(hostile: Path, baseline: Path) -> None:
    """Every (tag, attribute names) of a hostile page also occurs on its clean twin: the data made none. The one
    exception is a line of a chart's text: a hostile title is long, and its chart wraps it over lines that Vega
    writes as ``<tspan x dy>`` (the text in them is escaped like any other)."""
    wrapped = {("tspan", frozenset()), ("tspan", frozenset({"x", "dy"}))}
    for path, page in pages(hostile):
        twin = Scan((baseline / path).read_text(encoding="utf-8"))
        assert page.kinds <= twin.kinds | wrapped, (path, sorted(page.kinds - twin.kinds, key=str))
        assert not any(name.startswith("on") for _, name, _ in page.attributes), path


def test_no_script_from_the_data(hostile: Path, baseline: Path) -> None:
    """The same scripts as the clean site (by type and source); inline ones are the theme's or JSON-LD that
    parses, with the payload inside a JSON string."""
    for path, page in pages(hostile):
        twin = Scan((baseline / path).read_text(encoding="utf-8"))
        assert [attrs for attrs, _ in page.scripts] == [attrs for attrs, _ in twin.scripts], path
        for (attrs, content), (_, clean) in zip(page.scripts, twin.scripts, strict=True):
            if attrs.get("type") == "application/ld+json":
                json.loads(content)
            else:
                assert content == clean, path


URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "xlink:href", "data", "poster", "background"}


def test_no_javascript_address_and_no_payload_in_an_attribute(hostile: Path) -> None:
    """Attribute values from data are inert text (a label, an option's value), except where a browser follows
    or applies them: addresses and styles hold no payload."""
    for path, page in pages(hostile):
        for tag, name, value in page.attributes:
            squeezed = re.sub(r"\s+", "", html.unescape(value)).lower()
            assert "javascript:" not in squeezed and "vbscript:" not in squeezed, (path, tag, name, value)
            if "pwned" not in value:
                continue
            assert name != "style", (path, tag, value)
            if name in URL_ATTRIBUTES:
                # links to headings use a slug of the heading's text; a source's address is percent-encoded
                anchor, address = r"[^<>\"'\s]*#[a-z0-9_-]+", r"https://[^<>\"'\s]+"
                assert re.fullmatch(f"{anchor}|{address}", value), (path, tag, name, value)


def test_attribute_values_from_data_are_escaped(hostile: Path) -> None:
    """A value written into a quoted attribute (a description, a title for link previews) keeps its
    ``<``, ``>`` and ``"`` escaped: read raw, no attribute of a page holds them."""
    quoted = re.compile(r'\s[a-z:-]+="([^"]*)"')
    for path in sorted(hostile.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        head = text[: text.index("</head>")]
        for tag in re.findall(r"<(?:meta|link)\s[^>]*>", head):
            for value in quoted.findall(tag):
                assert "<" not in value, (path.relative_to(hostile).as_posix(), tag)
        # an attribute never swallows markup: no quoted value holds a tag
        assert not re.search(r'content="[^"]*</?(?:script|title|img|svg)', text), path


def test_page_title_is_text(hostile: Path) -> None:
    """Material prints a front-matter title into <title> as it is, and the page title (from the H1) through
    striptags, which un-escapes "&lt;/title&gt;": the generator's escaped front-matter title keeps it text."""
    for path, page in pages(hostile):  # the head's <title>, and the <title> of each inline SVG chart
        assert page.inside_title == [], (path, page.inside_title)
    figures = Scan((hostile / "du-lieu/figures/index.html").read_text(encoding="utf-8"))
    assert normalise(figures.titles[0]).startswith(normalise(DATASET_TITLE) + " - ")
    alpha = Scan((hostile / "dia-phuong/alpha/index.html").read_text(encoding="utf-8"))
    assert normalise(alpha.titles[0]).startswith(normalise(MEMBER_NAME) + " - ")
    raw = (hostile / "du-lieu/figures/index.html").read_text(encoding="utf-8")
    assert "<title>Số liệu &lt;/title&gt;&lt;script&gt;" in raw


def test_payloads_are_visible_as_text(hostile: Path) -> None:
    shown = " ".join(read_page(hostile, p)[0] for p in ("du-lieu/figures", "dia-phuong/alpha", "dia-phuong/beta"))
    for value in [*VISIBLE, DESCRIPTION]:
        assert normalise(value) in shown, value
    assert "{{ 7*7 }}" in shown and "{% raw %}" in shown  # jinja syntax printed, never evaluated


def test_search_index_holds_text_not_markup(hostile: Path, baseline: Path) -> None:
    """Material shows search results with innerHTML: titles and texts must carry the payloads escaped."""

    def kinds(site: Path) -> set[tuple[str, frozenset[str]]]:
        found: set[tuple[str, frozenset[str]]] = set()
        for doc in json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]:
            found |= Scan(doc["title"]).kinds | Scan(doc["text"]).kinds
        return found

    assert kinds(hostile) <= kinds(baseline)
    index = (hostile / "search/search_index.json").read_text(encoding="utf-8")
    assert "pwned" in index  # the payloads are indexed, as text
    docs = json.loads(index)["docs"]
    assert not any(re.search(r"<(script|img|svg|iframe)", d["title"] + d["text"]) for d in docs)


def test_feeds_and_catalogues_still_parse(hostile: Path) -> None:
    ElementTree.parse(hostile / "feed.xml")
    ElementTree.parse(hostile / "sitemap.xml")
    catalogue = json.loads((hostile / "catalog.jsonld").read_text(encoding="utf-8"))
    assert SCRIPT.split(">")[0] in json.dumps(catalogue, ensure_ascii=False)  # kept as data


class _AnyTag(yaml.SafeLoader):
    """mkdocs.yml read as plain data, whatever its tags (``!ENV``)."""


_AnyTag.add_multi_constructor("!", lambda loader, suffix, node: None)
_AnyTag.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: suffix)  # slugify


def test_mkdocs_evaluates_no_page_as_a_template() -> None:
    """mkdocs-macros renders every page as jinja ({{ config }} would print the configuration) and
    pymdownx.snippets includes files (--8<-- "mkdocs.yml"): neither is enabled."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTag)
    plugins = [p if isinstance(p, str) else next(iter(p)) for p in config.get("plugins", [])]
    extensions = [e if isinstance(e, str) else next(iter(e)) for e in config.get("markdown_extensions", [])]
    assert not {"macros", "mkdocs-macros", "markdownextradata", "jinja2", "mkdocs-simple-hooks"} & set(plugins)
    assert not {"pymdownx.snippets", "markdown_include.include", "mdx_include"} & set(extensions)
    assert "hooks" not in config or all("macro" not in str(h) for h in config["hooks"])
