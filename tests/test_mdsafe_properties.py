"""Property-based tests of the escaping layer (generator/mdsafe.py): for any string, the HTML that
Python-Markdown makes with the site's extensions shows the same visible text, and no element beyond the
template's own.

"Visible text" is the string with its whitespace folded (runs of whitespace become one space, none at either
end) and its control characters left out: that is all the escaping promises, and all a reader can see.
Hypothesis found that control characters were not inert: Python-Markdown marks its own placeholders with
STX and ETX (``\x02wzxhzdk:0\x03`` stands for the first stashed HTML block), so a value holding them could
pull generator-made markup into the page or make text vanish. mdsafe now drops them; the regressions are
kept as ``@example``s.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Callable
from html.parser import HTMLParser

import markdown
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st
from mkdocs.utils import meta

from generator import mdsafe

EXTENSIONS = ["tables", "admonition", "toc"]
EXAMPLES = settings(max_examples=300, deadline=None)

# Any text at all, and text made mostly of the characters Markdown, HTML, YAML and jinja give a meaning to.
SYNTAX = [*"*_`[](){}<>!#|\\:-+=.&;~^$%@/'\"?,\t\n\r \x02\x03", "&amp;", "&#60;", "<!--", "-->", "--8<--", "{{", "}}"]
SYNTAX += ["{%", "%}", "{:", "[TOC]", "!!!", "```", "***", "---", "===", "1.", "1)", "<script>", "javascript:", "đơ"]
TEXT = st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from(SYNTAX) | st.characters(), max_size=25).map("".join),
)


def visible(value: str) -> str:
    """What a reader sees: control characters (invisible; the escaping drops them) gone, whitespace folded."""
    kept = "".join(c for c in value if c.isspace() or unicodedata.category(c) != "Cc")
    return " ".join("".join("\ufffd" if unicodedata.category(c) == "Cs" else c for c in kept).split())


class Tree(HTMLParser):
    """Elements (tag and attribute names) in document order, and the text inside each."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, tuple[str, ...]]] = []
        self.texts: list[list[str]] = []
        self._open: list[tuple[str, int]] = []
        self.feed(source)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, tuple(sorted(name for name, _ in attrs))))
        self.texts.append([])
        if tag not in ("br", "hr", "img", "input"):
            self._open.append((tag, len(self.texts) - 1))

    def handle_endtag(self, tag: str) -> None:
        tags = [t for t, _ in self._open]
        if tag in tags:
            del self._open[len(tags) - 1 - tags[::-1].index(tag) :]

    def handle_data(self, data: str) -> None:
        for _, index in self._open:
            self.texts[index].append(data)

    def handle_comment(self, data: str) -> None:
        self.elements.append(("!--", ()))

    def text_of(self, n: int) -> str:
        return visible("".join(self.texts[n]))


def render(source: str) -> Tree:
    return Tree(markdown.markdown(source, extensions=EXTENSIONS))


def check(template: str, value: str, escape: Callable[[str], str] = mdsafe.text, holder: int = 0) -> None:
    """``template`` with ``{v}`` replaced by the escaped value renders to the same elements as with a plain
    word, and element ``holder`` shows ``(x) <value> (y)``."""
    baseline = render(template.replace("{v}", "(x) WORD (y)"))
    page = render(template.replace("{v}", "(x) " + escape(value) + " (y)"))
    assert page.elements == baseline.elements
    assert page.text_of(holder) == baseline.text_of(holder).replace("WORD", visible(value)).replace("  ", " ")


REGRESSIONS = ["", " ", "#", "1.", "- x", "!!! note", "|", "\\", "`", "<b>", "&amp;", "[TOC]", "x\n\ny", "\x00", "\x03"]
REGRESSIONS += ["\x02wzxhzdk:0\x03", "a\x02klzzwxh:0000\x03b"]  # Python-Markdown's placeholders for stashed HTML


@EXAMPLES
@given(TEXT)
def test_paragraph(value: str) -> None:
    check("{v}\n", value)
    check("Before.\n\n{v}\n\nAfter.\n", value, holder=1)


@EXAMPLES
@given(TEXT)
def test_value_at_the_start_of_a_line(value: str) -> None:
    """The value opens the line (no "(x) " before it): list markers, headings, rules, admonitions."""
    baseline = render("WORD (y)\n")
    page = render(mdsafe.text(value) + " (y)\n")
    assert page.elements == baseline.elements
    assert page.text_of(0) == visible(value + " (y)")


@EXAMPLES
@given(TEXT)
def test_heading(value: str) -> None:
    check("# {v}\n", value)
    check("## {v}\n\nText.\n", value)


@EXAMPLES
@given(TEXT)
def test_list_item(value: str) -> None:
    check("- {v}\n- next\n", value, holder=1)


@EXAMPLES
@given(TEXT)
def test_table_cells(value: str) -> None:
    template = "| A | B |\n| :-- | --: |\n| {v} | {v} |\n| x | y |\n"
    baseline = render(template.replace("{v}", "WORD"))
    page = render(template.replace("{v}", mdsafe.text(value)))
    assert page.elements == baseline.elements
    cells = [i for i, (tag, _) in enumerate(page.elements) if tag == "td"]
    assert [page.text_of(i) for i in cells] == [visible(value), visible(value), "x", "y"]


# Cell-like text: words, numbers as each language writes them, and what starts a list or a rule.
CELLS = st.lists(st.sampled_from([*"aĐơ019.,)-+=!# \t\xa0\u2028\x85_", "1.", "12)", "-5", "Kbang"]), max_size=8).map(
    "".join
)


@EXAMPLES
@given(TEXT | CELLS)
@example("1.")
@example("12) a")
@example("-x")
@example("a\xa0b")
@example(" a")
def test_text_taken_as_it_is_only_where_escaping_changes_nothing(value: str) -> None:
    """``text`` returns most cells as they are (``_UNCHANGED``): exactly what every substitution gives."""
    assert mdsafe.text(value) == mdsafe.escaped(value)


@EXAMPLES
@given(TEXT)
def test_admonition_body(value: str) -> None:
    check('!!! info "Title"\n    {v}\n', value, holder=2)


@EXAMPLES
@given(TEXT)
def test_paragraphs(value: str) -> None:
    """A description: paragraphs are kept (each a ``p``), and nothing else is made."""
    page = render(mdsafe.paragraphs(value))
    assert {tag for tag, _ in page.elements} <= {"p"}
    assert all(attrs == () for _, attrs in page.elements)
    assert visible(" ".join(page.text_of(i) for i in range(len(page.elements)))) == visible(value)


@EXAMPLES
@given(TEXT, st.sampled_from(["page.md", "../du-lieu/x/index.md", "a b>c.md#top"]))
def test_link_label(value: str, target: str) -> None:
    page = render("See " + mdsafe.internal_link(value, target) + ".\n")
    assert [tag for tag, _ in page.elements] == ["p", "a"]
    assert page.elements[1][1] == ("href",)
    assert page.text_of(1) == visible(value)


@EXAMPLES
@given(TEXT, TEXT)
def test_external_link_is_one_link_or_text(label: str, url: str) -> None:
    page = render("See " + mdsafe.link(label, url) + ".\n")
    assert [tag for tag, _ in page.elements] in (["p"], ["p", "a"])
    if len(page.elements) == 2:
        assert page.elements[1][1] == ("href",)
        assert page.text_of(1) == visible(label)
    else:
        assert page.text_of(0) == visible(f"See {visible(label)}.")


@EXAMPLES
@given(TEXT)
@example("</title><script>window.__pwned=1</script>")
@example("a\x85b\x7fc")
@example("\ud800")  # a half surrogate pair (a JSON escape can make one): YAML refused the front matter
def test_front_matter_title(value: str) -> None:
    line = mdsafe.front_matter_title(value)
    assert "\n" not in line and "\r" not in line
    # front matter is not Markdown: control characters are kept (as YAML escapes), only folded if whitespace
    expected = " ".join("".join("\ufffd" if unicodedata.category(c) == "Cs" else c for c in value).split())
    assert html.unescape(yaml.safe_load(line)["title"]) == expected
    # what MkDocs reads, and what it then prints inside <title> as it is: escaped, so no tag
    _, data = meta.get_data(f"---\n{line}\n---\n\n# Page\n")
    assert html.unescape(data["title"]) == expected
    assert "<" not in data["title"] and ">" not in data["title"]
    title = Tree(f"<title>{data['title']}</title>")
    assert title.elements == [("title", ())] and title.text_of(0) == visible(expected)


for _regression in REGRESSIONS:  # the values that once needed care, checked on every run
    test_paragraph = example(_regression)(test_paragraph)
    test_value_at_the_start_of_a_line = example(_regression)(test_value_at_the_start_of_a_line)
    test_table_cells = example(_regression)(test_table_cells)
