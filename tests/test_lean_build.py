"""The shortcuts the site's MkDocs builds take change no byte of what they make: the search plugin reads pages
without the content it skips (``generator/publish/searchlean.py``), and table cells of plain text skip the
inline patterns (``generator/publish/mdext.py``)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import markdown
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from material.plugins.search.plugin import Parser
from mkdocs.plugins import BasePlugin

from generator.publish import compact, mdext, searchlean

from minisite import build_site

# -- the search plugin's reading -----------------------------------------------------------------------------


def _sections(html: str) -> list[tuple[Any, ...]]:
    """What Material's search plugin keeps of ``html``: each section's element, anchor, title and text."""
    parser = Parser()
    parser.feed(html)
    parser.close()
    return [
        (s.el.tag, sorted(s.el.attrs.items()), s.is_excluded(), s.id, "".join(s.title), "".join(s.text))
        for s in parser.data
    ]


@pytest.mark.parametrize(
    ("html", "lean"),
    [
        (
            '<p>a</p>\n<table data-search-exclude="" role="table"><tr><td>1</td></tr></table>\n<p>b</p>',
            '<p>a</p>\n<table data-search-exclude="" role="table"></table>\n<p>b</p>',
        ),
        (
            '<div class="admonition warning" data-search-exclude=""><p>x</p></div>z',
            '<div class="admonition warning" data-search-exclude=""></div>z',
        ),
    ],
)
def test_an_excluded_element_is_read_empty(html: str, lean: str) -> None:
    assert searchlean.lean(html) == lean
    assert _sections(lean) == _sections(html)


@pytest.mark.parametrize(
    "html",
    [
        # the plugin matches elements by name: an inner <div> ends the outer one's exclusion, and "t" is indexed
        "<p>a</p><div data-search-exclude><div>n</div>t</div>",
        # a heading with an id starts a section even inside an excluded element
        '<table data-search-exclude><tr><td><h2 id="a">h</h2></td></tr></table>',
        # the mark inside an attribute's value, in text, on an element without an end tag, or never closed
        '<td data-label="x data-search-exclude">v</td>',
        "<p>data-search-exclude</p>",
        "<img data-search-exclude src=x><p>b</p>",
        "<table data-search-exclude><tr><td>1</td></tr>",
    ],
)
def test_an_element_the_plugin_reads_in_part_is_left_whole(html: str) -> None:
    assert searchlean.lean(html) == html


_TEXT = st.text(alphabet="ab <>&\n", max_size=4).map(lambda t: t.replace("<", "&lt;").replace(">", "&gt;"))


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    tags = st.sampled_from(["p", "div", "table", "tr", "td", "span", "h2", "li", "ul", "pre", "code", "script"])
    attributes = st.lists(
        st.sampled_from(
            [" data-search-exclude", ' DATA-Search-Exclude=""', ' id="s"', ' title="data-search-exclude"', " /"]
        ),
        max_size=2,
    ).map("".join)
    return st.builds(
        lambda tag, attrs, inner, closed, tail: (
            f"<{tag}{attrs}>{''.join(inner)}" + (f"</{tag}>" if closed else "") + tail
        ),
        tags,
        attributes,
        st.lists(children, max_size=3),
        st.sampled_from([True, True, True, False]),  # mostly closed
        _TEXT,
    )


_HTML = st.lists(
    st.recursive(
        _TEXT
        | st.sampled_from(["<br>", '<img data-search-exclude="" src="x">', "<!-- <p data-search-exclude> -->", "</p>"]),
        _element,
        max_leaves=12,
    ),
    max_size=4,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(_HTML)
def test_the_search_plugin_reads_the_same_sections_from_the_lean_page(html: str) -> None:
    try:
        whole = _sections(html)
    except ValueError:  # the plugin itself fails on some badly nested HTML (<p> in <p>)
        assume(False)
    assert _sections(searchlean.lean(html)) == whole


# The tag pattern as it was first written, reading one character at a time (lazily): the reference.
_TAG_BY_CHARACTER = re.compile(r"""<(/?)([a-zA-Z][^\t\n\r\f />\x00]*)(?:[^>"']|"[^"]*"|'[^']*')*?(/?)>""")


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="<>/\"' =atd\n", max_size=40))
@example("<td a=\"/>\" b='>' c=d/>x</td >")
def test_tags_are_found_where_reading_one_character_at_a_time_finds_them(text: str) -> None:
    found = [(m.span(), m.groups()) for m in searchlean._TAG.finditer(text)]
    assert found == [(m.span(), m.groups()) for m in _TAG_BY_CHARACTER.finditer(text)]


# -- table cells of plain text -------------------------------------------------------------------------------

_EXTENSIONS = ["tables", "admonition", "md_in_html", "toc", "generator.publish.mdext"]
_CELL = st.text(alphabet="ab 1,.-%()/Đơ`\\[]!<>&*_~^=:|#\"'", max_size=8).map(lambda t: t.replace("|", "\\|"))
_ADDRESS = st.text(alphabet="ab1/#?=.:%()_*&`\\[]!'\"~- ", max_size=10)
_LINK = st.builds(lambda text, address: f"[{text}](<{address}>)", _CELL, _ADDRESS)


def _table(cells: list[str]) -> str:
    rows = "\n".join(f"| {cell} | {cell} x | y |" for cell in cells)
    return f"# T\n\n| a | b | c |\n| :-- | --: | :-- |\n{rows}\n\n: caption\n"


@settings(max_examples=300, deadline=None)
@given(st.lists(_CELL | _LINK, min_size=1, max_size=6))
@example(["[](<>)", '[](<"(\\>)'])  # found once in 300 examples: the placeholders' numbers (``_numbered``)
def test_a_plain_cell_comes_out_as_the_inline_patterns_would_leave_it(
    cells: list[str],
) -> None:
    text = _table(cells)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(mdext, "plain_cells_are_final", lambda md: False)
        slow = markdown.Markdown(extensions=_EXTENSIONS).convert(text)
    fast = markdown.Markdown(extensions=_EXTENSIONS).convert(text)
    assert _numbered(fast) == _numbered(slow)


def _numbered(html: str) -> str:
    """``html`` with the numbers of Python-Markdown's placeholders taken out. Given a backslash escape in an
    address between ``<>`` (``[](<"(\\>)``), Python-Markdown itself leaves a placeholder in the page; its
    number counts the placeholders made before it, fewer when plain cells skip the inline patterns. The
    generator writes no such address: ``mdsafe`` percent-encodes ``\\``, ``<``, ``>`` and ``"`` in them."""
    return re.sub(r"\x02klzzwxh:\d+", "\x02klzzwxh:N", html)


def test_plain_cells_skip_the_inline_patterns_only_with_python_markdowns_own() -> None:
    assert mdext.plain_cells_are_final(markdown.Markdown(extensions=_EXTENSIONS))
    # an extension with inline patterns of its own (~~strike~~, H~2~O) turns the shortcut off
    assert not mdext.plain_cells_are_final(markdown.Markdown(extensions=[*_EXTENSIONS, "pymdownx.tilde"]))
    html = markdown.Markdown(extensions=[*_EXTENSIONS, "pymdownx.tilde"]).convert(_table(["~~x~~"]))
    assert "<del>x</del>" in html


def test_a_plain_cell_is_not_tried_against_the_inline_patterns(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    md = markdown.Markdown(extensions=_EXTENSIONS)
    inline = md.treeprocessors["inline"]
    handle = inline._InlineProcessor__handleInline  # type: ignore[attr-defined]

    def spy(data: str, patternIndex: int = 0) -> str:
        seen.append(data)
        return str(handle(data, patternIndex))

    monkeypatch.setattr(inline, "_InlineProcessor__handleInline", spy)
    html = md.convert(_table(["Đak Pơ 1.234,5", "*b*", "[Kbang](<../kbang/#nam-2024>)", "[x](y)"]))
    assert "*b*" in seen
    assert "[x](y)" in seen
    assert "Đak Pơ 1.234,5" not in seen
    assert "[Kbang](<../kbang/#nam-2024>)" not in seen
    assert "[Kbang](<../kbang/#nam-2024>) x" in seen  # not a link alone: through the patterns
    assert '<a href="../kbang/#nam-2024">Kbang</a>' in html


# -- whole builds --------------------------------------------------------------------------------------------


def _site(tmp_path: Path, name: str, lean: bool) -> dict[str, bytes]:
    pages = {"index.md": "# Trang chủ\n\n[Một](mot.md#phan-hai)\n"}
    for i, slug in enumerate(("mot", "hai")):
        rows = "\n".join(f"| {i} | Đak Pơ {n} | [x](index.md) |" for n in range(30))
        pages[f"{slug}.md"] = (
            f"# Trang {slug}\n\nMở đầu.\n\n## Phần hai\n\n| a | b | c |\n| - | - | - |\n{rows}\n\n"
            '!!! warning "Lưu ý"\n\n    Không so sánh được.\n\n## Phần ba\n\nCuối.\n'
        )
    plugins: dict[str, BasePlugin] = {"generator/compact": compact.Compact()}  # type: ignore[type-arg]
    if lean:
        plugins["generator/searchlean"] = searchlean.LeanSearch()
    return build_site(tmp_path, name, pages, ["tables", "admonition", "toc", "generator.publish.mdext"], plugins)


def test_a_build_with_the_lean_search_writes_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # the sitemaps' date
    fed: list[int] = []
    feed = Parser.feed

    def counting_feed(self: Parser, data: str) -> None:
        fed.append(len(data))
        feed(self, data)

    monkeypatch.setattr(Parser, "feed", counting_feed)
    plain = _site(tmp_path, "plain", lean=False)
    read_plain = sum(fed)
    fed.clear()
    lean = _site(tmp_path, "lean", lean=True)
    read_lean = sum(fed)
    assert lean.keys() == plain.keys()
    assert [name for name in plain if plain[name] != lean[name]] == []
    assert b"data-search-exclude" in plain["mot/index.html"]  # the table and the warning were marked
    assert read_lean < read_plain / 2, (read_lean, read_plain)
