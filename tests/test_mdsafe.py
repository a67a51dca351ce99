"""Markdown escaping (generator/mdsafe.py), checked on the HTML that Python-Markdown makes of it.

The extensions are the ones mkdocs.yml enables (tables, admonition, toc). A value is safe when, whatever it
holds, the HTML shows it as text, letter for letter (whitespace folded), and adds no element of its own.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser

import markdown
import pytest
import yaml
from mkdocs.utils import meta

from generator import mdsafe
from generator.outputs.render import environment

EXTENSIONS = ["tables", "admonition", "toc"]

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<!-- comment -->",
    "[x](javascript:alert(1))",
    "[x]: javascript:alert(1)",
    "![img](https://example.org/x.png)",
    "<https://example.org>",
    'x {: onclick="x" }',
    "{: .admonition }",
    "`code` and ``more``",
    "*em* _em_ **strong** __strong__",
    "snake_case_name and 2*3*4",
    "C#",
    "ends with ##",
    "# not a heading",
    "## not a heading either",
    "1. not a list",
    "10) not a list",
    "2024. a year",
    "- not a list",
    "+ not a list",
    "* not a list",
    "> not a quote",
    "=====",
    "---",
    "***",
    "a | b | c",
    "| a | b |",
    "line one\nline two",
    "cell\n| x | y |\n| --- | --- |",
    "para\n\n# heading",
    "    indented code",
    "\tindented with a tab",
    "{{ x }} {% if y %}z{% endif %} {# c #}",
    "&amp; &lt; &copy; &#60; &#x3C;",
    "back\\slash \\* \\[ \\",
    "trailing backslash \\",
    'it\'s "quoted"',
    "-5 and 1.5 and +3",
    "Đắk Pơ – 2.735,764 tỷ đồng",
    "[^1]",
    "~~strike~~",
    "hard  \nbreak",
]


class Tree(HTMLParser):
    """The elements (tag and attributes) of an HTML fragment and the visible text of each element."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self._texts: list[list[str]] = []  # one per element, in document order
        self._open: list[tuple[str, int]] = []  # open elements: tag and index into _texts
        self.feed(source)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        self._texts.append([])
        if tag not in ("br", "hr", "img"):
            self._open.append((tag, len(self._texts) - 1))

    def handle_endtag(self, tag: str) -> None:
        tags = [t for t, _ in self._open]
        if tag in tags:
            del self._open[len(tags) - 1 - tags[::-1].index(tag) :]

    def handle_data(self, data: str) -> None:
        for _, index in self._open:
            self._texts[index].append(data)

    @property
    def tags(self) -> list[str]:
        return [tag for tag, _ in self.elements]

    def text(self, tag: str) -> list[str]:
        """The visible text of each ``tag`` element, in document order."""
        return ["".join(self._texts[i]) for i, (t, _) in enumerate(self.elements) if t == tag]


def to_html(source: str, extra: tuple[str, ...] = ()) -> str:
    return markdown.markdown(source, extensions=[*EXTENSIONS, *extra])


def tree(source: str, extra: tuple[str, ...] = ()) -> Tree:
    return Tree(to_html(source, extra))


def shown(value: str) -> str:
    """What a reader should see: the value with its whitespace folded."""
    return " ".join(value.split())


class _Rows(HTMLParser):
    """The body rows of a table, each a list of cell texts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self._in_body = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self.rows.append([])
        elif tag == "td" and self._in_body:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def table_rows(source: str) -> list[list[str]]:
    """The body rows of the table that ``source`` renders to, as cell texts."""
    parser = _Rows()
    parser.feed(to_html(source))
    parser.close()
    return parser.rows


# --- text: every value arrives as text, in every place a template puts one ----------------------------------


@pytest.mark.parametrize("value", HOSTILE)
def test_text_in_a_paragraph(value: str) -> None:
    page = tree(f"Before.\n\n{mdsafe.text(value)}\n\nAfter.\n")
    assert page.tags == ["p", "p", "p"]
    assert page.text("p") == ["Before.", shown(value), "After."]


@pytest.mark.parametrize("value", HOSTILE)
def test_text_in_a_heading(value: str) -> None:
    page = tree(f"# {mdsafe.text(value)}\n")
    assert page.tags == ["h1"]
    assert page.text("h1") == [shown(value)]


@pytest.mark.parametrize("value", HOSTILE)
def test_text_in_a_table_cell(value: str) -> None:
    source = f"| A | B |\n| :-- | --: |\n| {mdsafe.text(value)} | {mdsafe.text(value)} |\n| x | y |\n"
    assert table_rows(source) == [[shown(value), shown(value)], ["x", "y"]]
    assert set(tree(source).tags) == {"table", "thead", "tbody", "tr", "th", "td"}


@pytest.mark.parametrize("value", HOSTILE)
def test_text_in_a_list_item(value: str) -> None:
    page = tree(f"- {mdsafe.text(value)}\n- next\n")
    assert page.tags == ["ul", "li", "li"]
    assert page.text("li") == [shown(value), "next"]


@pytest.mark.parametrize("value", HOSTILE)
def test_text_in_an_admonition(value: str) -> None:
    """The member page prints the official name at the start of an admonition's body line."""
    page = tree(f'!!! info "Title"\n    {mdsafe.text(value)} is a district.\n')
    assert page.tags == ["div", "p", "p"]
    assert page.text("p") == ["Title", shown(value + " is a district.")]


@pytest.mark.parametrize("value", HOSTILE)
def test_attribute_lists_stay_inert_even_with_attr_list(value: str) -> None:
    """If someone enables attr_list later, a value still cannot add an attribute."""
    for source in (
        f"# {mdsafe.text(value)}\n",
        f"{mdsafe.text(value)}\n",
        f"| A |\n| --- |\n| {mdsafe.text(value)} |\n",
    ):
        page = tree(source, extra=("attr_list",))
        assert all(set(attrs) <= {"id", "style"} for _, attrs in page.elements), page.elements


def test_script_arrives_as_text() -> None:
    out = to_html(mdsafe.text("<script>alert(1)</script>"))
    assert "<script" not in out
    assert out == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"


def test_pipe_and_newline_do_not_break_a_table() -> None:
    source = (
        "| Name | Note |\n| :-- | :-- |\n"
        f"| {mdsafe.text('a | b')} | {mdsafe.text('first line' + chr(10) + '| x | y |')} |\n"
        "| last | row |\n"
    )
    assert table_rows(source) == [["a | b", "first line | x | y |"], ["last", "row"]]


def test_javascript_link_is_not_a_link() -> None:
    page = tree(mdsafe.text("[x](javascript:alert(1))"))
    assert "a" not in page.tags
    assert "javascript:" not in str([attrs for _, attrs in page.elements])


@pytest.mark.parametrize(
    ("value", "markup"),
    [
        ("`code`", "code"),
        ("*em*", "em"),
        ("_em_", "em"),
        ("**strong**", "strong"),
        ("1. first", "ol"),
        ("- item", "ul"),
        ("* item", "ul"),
        ("> quote", "blockquote"),
        ("---", "hr"),
        ("# title", "h1"),
    ],
)
def test_markup_is_not_opened(value: str, markup: str) -> None:
    page = tree(f"{mdsafe.text(value)}\n")
    assert markup not in page.tags
    assert page.text("p") == [value]


def test_hash_at_the_end_of_a_heading_is_kept() -> None:
    """ATX headings drop trailing ``#``: an escaped one stays."""
    assert tree(f"# {mdsafe.text('Learn C#')}\n").text("h1") == ["Learn C#"]
    assert tree(f"## {mdsafe.text('Issue ##')}\n").text("h2") == ["Issue ##"]


def test_a_negative_number_at_the_start_is_left_alone() -> None:
    assert mdsafe.text("-5") == "-5"
    assert mdsafe.text("- 5") == "\\- 5"


def test_jinja_syntax_stays_literal() -> None:
    value = "{{ 7 * 7 }} {% for i in x %}{{ i }}{% endfor %}"
    assert tree(mdsafe.text(value)).text("p") == [value]
    # and through the template environment: printed as data, never evaluated
    printed = environment().from_string("{{ v }}").render(v=value)
    assert "49" not in printed
    assert tree(printed).text("p") == [value]


def test_none_is_empty_and_numbers_are_text() -> None:
    assert mdsafe.text(None) == ""
    assert mdsafe.text(5) == "5"
    assert mdsafe.paragraphs(None) == ""


def test_paragraphs_keep_paragraphs_and_nothing_else() -> None:
    value = "First <b>one</b>\nstill first.\n\n\n# Second\n\n- third"
    page = tree(mdsafe.paragraphs(value))
    assert page.tags == ["p", "p", "p"]
    assert page.text("p") == ["First <b>one</b> still first.", "# Second", "- third"]


def test_nowrap_keeps_a_figure_on_one_line() -> None:
    value = mdsafe.nowrap("hơn", "90.497", "ha")
    assert value == "hơn\u00a090.497\u00a0ha"
    assert mdsafe.nowrap("*", None, "", "<b>") == "\\*\u00a0&lt;b&gt;"


@pytest.mark.parametrize("value", ['!!! danger "Hacked"', "!!! note"])
def test_admonition_marker_is_not_opened(value: str) -> None:
    for escaped in (mdsafe.text(value), mdsafe.paragraphs(value)):
        page = tree(f"Before.\n\n{escaped}\n\nAfter.\n")
        assert "div" not in page.tags
        assert page.text("p") == ["Before.", value, "After."]


# --- links ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "  javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "mailto:someone@example.org",
        "//example.org/no-scheme",
        "https:no-host",
        "/relative/path",
        "",
    ],
)
def test_link_refuses_anything_but_http_and_https(url: str) -> None:
    linked = mdsafe.link("Label [x]", url)
    assert linked == mdsafe.text("Label [x]")
    page = tree(linked)
    assert "a" not in page.tags
    assert page.text("p") == ["Label [x]"]


@pytest.mark.parametrize(
    ("url", "href"),
    [
        ("https://example.org/a", "https://example.org/a"),
        ("HTTP://example.org/a?b=1&c=2#d", "HTTP://example.org/a?b=1&c=2#d"),
        ("https://example.org/Hoi-nghi-%C4%91ua.aspx", "https://example.org/Hoi-nghi-%C4%91ua.aspx"),
        ("https://example.org/a b>c<d)", "https://example.org/a%20b%3Ec%3Cd)"),
        ("https://example.org/x\n[y](javascript:z)", "https://example.org/x%0A[y](javascript:z)"),
        ("https://example.org/đường", "https://example.org/%C4%91%C6%B0%E1%BB%9Dng"),
        ('https://example.org/"onmouseover="x', "https://example.org/%22onmouseover=%22x"),
    ],
)
def test_link_to_http_is_one_link(url: str, href: str) -> None:
    page = tree(mdsafe.link("Báo *Ví Dụ* <b>", url))
    assert [(tag, attrs) for tag, attrs in page.elements if tag == "a"] == [("a", {"href": href})]
    assert page.text("a") == ["Báo *Ví Dụ* <b>"]


def test_internal_link_is_one_link() -> None:
    page = tree(mdsafe.internal_link("Đak Pơ [1]", "../dia-phuong/dak po>x.md#top"))
    assert [attrs for tag, attrs in page.elements if tag == "a"] == [{"href": "../dia-phuong/dak%20po%3Ex.md#top"}]
    assert page.text("a") == ["Đak Pơ [1]"]


# --- front matter --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "Thành viên Cụm thi đua số 2",
        'A "B" <C> & D',
        "<script>alert(1)</script>",
        "it's",
        "x\ny: z",
        "a: b # c",
        "back\\slash",
        "null",
        "---",
        "[1, 2]",
        "\x00 nul",
    ],
)
def test_front_matter_title_is_escaped_and_quoted(value: str) -> None:
    line = mdsafe.front_matter_title(value)
    assert "\n" not in line
    assert line.startswith('title: "') and line.endswith('"')
    expected = html.escape(shown(value), quote=True)
    assert yaml.safe_load(line) == {"title": expected}
    # what MkDocs itself reads from the page
    _, data = meta.get_data(f"---\n{line}\n---\n\n# Page\n")
    assert data == {"title": expected}


@pytest.mark.parametrize("value", ["delete\x7fme", "c1\x80control"])
def test_front_matter_title_with_a_control_character(value: str) -> None:
    _, data = meta.get_data(f"---\n{mdsafe.front_matter_title(value)}\n---\n\n# Page\n")
    assert "title" in data
