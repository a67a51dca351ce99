"""A Python-Markdown extension for accessible tables (listed in mkdocs.yml as ``generator.publish.mdext``).

Markdown tables have no caption, and Python-Markdown's tables give header cells no scope. Screen readers
need both. The generator writes a caption as a paragraph starting with ``: `` right after its table (the
Pandoc convention); this extension moves it into the table's ``<caption>`` and gives every header cell
``scope="col"``; a long table and the comparability warnings are left out of the search index. It only
rearranges elements Python-Markdown has already built from escaped text.

On a phone a table of three columns or more is read as a stack of cards, one per row (docs/assets/extra.css):
each body cell carries its column's header as ``data-label``, which the stylesheet shows beside the value,
and the table keeps its roles (``role="table"``, ``"row"``, ...) since a table laid out as blocks loses
them in some browsers.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree

from markdown import Markdown, inlinepatterns, util
from markdown.extensions import Extension, toc
from markdown.treeprocessors import Treeprocessor

from generator.outputs.figures import MISSING  # what a table shows where no figure was published

CAPTION_MARK = ": "
# A table with more body rows than this is data, not text to search: Material's search plugin leaves out an
# element marked ``data-search-exclude``, so the search index (downloaded on every first visit) does not grow
# with every row of every dataset. Titles, descriptions, headings, notes and the smallest tables stay
# searchable: a reader searches for a place or a topic and reads the figures on its page. (benchmarks/
# page_weight.py, 2019-2025 data, production-value page: the search files took 63.3 kB at 10 rows, 47.8 kB at 3.)
SEARCHABLE_ROWS = 3
# A table with at least this many columns is stacked into cards on a phone; a table of two (a label and its
# value) fits as it is.
CARD_COLUMNS = 3
ROLES = {"table": "table", "thead": "rowgroup", "tbody": "rowgroup", "tr": "row", "th": "columnheader", "td": "cell"}


# The warnings beside tables and charts ("Lưu ý khi so sánh": which figures cannot be compared, and why) name
# every member and year they concern, on every page that shows the figures: generated text, repeated page
# after page, that no reader searches for. Left out of the search index like long tables (the comparison
# page's warnings alone were the largest part of the index once 2019-2025 was entered).
UNSEARCHED_ADMONITIONS = frozenset({"warning"})


# A table cell whose text has none of the characters Python-Markdown's own inline patterns start from (code
# spans, backslash escapes, links and images, autolinks and raw HTML, entities, emphasis, line breaks) nor the
# markers of its placeholders comes out of inline processing as it went in: it is marked as such
# (``AtomicString``) instead of being tried against every pattern. A cell that is one link of plain text to an
# address in angle brackets (``mdsafe``'s links) is made into the link Python-Markdown would make. Converting
# 300 of the benchmark's dataset pages took 8.1 s of CPU without either, 6.1 s with the first, 5.2 s with
# both. Only while the inline patterns are Python-Markdown's own: an extension that adds one turns this off.
_PLAIN = r"[^`\\\[\]!<>&*_\n\x02\x03]*"
PLAIN_TEXT = re.compile(_PLAIN)
# (code spans and escapes are read before links: no backtick nor backslash in the address either)
PLAIN_LINK = re.compile(rf"\[({_PLAIN})\]\(<([^\s<>`\\\x02\x03]*)>\)")


def _inline_signature(md: Markdown) -> frozenset[tuple[type, str]]:
    signature = {(type(p), str(getattr(p, "pattern", ""))) for p in md.inlinePatterns}
    delimiters = getattr(md, "delimiters", None)
    return frozenset(signature | {(str, token) for token in getattr(delimiters, "delimiters", {})})


_OWN_INLINE = _inline_signature(Markdown())


def plain_cells_are_final(md: Markdown) -> bool:
    """Whether a table cell of plain text (``PLAIN_TEXT``) is final before the inline patterns run: only
    Python-Markdown's own patterns and emphasis delimiters are registered."""
    return _inline_signature(md) <= _OWN_INLINE and isinstance(
        getattr(md, "delimiters", None), inlinepatterns.DelimiterProcessor
    )


class TableCaptions(Treeprocessor):
    def run(self, root: ElementTree.Element) -> None:
        plain = plain_cells_are_final(self.md)
        for element in root.iter("div"):
            classes = set((element.get("class") or "").split())
            if "admonition" in classes and classes & UNSEARCHED_ADMONITIONS:
                element.set("data-search-exclude", "")
        for parent in list(root.iter()):
            children = list(parent)
            for index, table in enumerate(children):
                if table.tag != "table":
                    continue
                for cell in table.iter("th"):
                    cell.set("scope", "col")
                if plain:
                    _settle_plain_cells(table)
                body = table.find("tbody")
                if body is not None and len(body) > SEARCHABLE_ROWS:
                    table.set("data-search-exclude", "")
                following = children[index + 1] if index + 1 < len(children) else None
                if following is not None and following.tag == "p" and (following.text or "").startswith(CAPTION_MARK):
                    caption = ElementTree.Element("caption")
                    caption.text = (following.text or "")[len(CAPTION_MARK) :]
                    caption.extend(list(following))
                    table.insert(0, caption)
                    parent.remove(following)


def _settle_plain_cells(table: ElementTree.Element) -> None:
    """Each cell of ``table`` that is plain text or one plain link, as the inline patterns would leave it."""
    for cell in table.iter():
        text = cell.text
        if not text or len(cell) or cell.tag not in ("td", "th"):
            continue
        if PLAIN_TEXT.fullmatch(text):
            cell.text = util.AtomicString(text)
        elif link := PLAIN_LINK.fullmatch(text):
            cell.text = None
            anchor = ElementTree.SubElement(cell, "a", href=link.group(2))
            anchor.text = util.AtomicString(link.group(1))


class TableCards(Treeprocessor):
    """``data-label`` on every body cell of a table of ``CARD_COLUMNS`` columns or more: its column's header as
    the reader sees it (run once inline Markdown and escapes are resolved)."""

    def run(self, root: ElementTree.Element) -> None:
        for table in root.iter("table"):
            head = table.find("thead/tr")
            if head is None or len(head) < CARD_COLUMNS:
                continue
            labels = [_text(cell) for cell in head]
            for element in table.iter():
                if element.tag in ROLES:
                    element.set("role", ROLES[element.tag])
            for body in table.iter("tbody"):
                for row in body.iter("tr"):
                    for cell, label in zip(row, labels, strict=False):
                        if label:
                            cell.set("data-label", label)
                        if _text(cell) == MISSING:
                            cell.set("data-empty", "")  # no figure: a card leaves the line out
                        _wrap(cell)


def _wrap(cell: ElementTree.Element) -> None:
    """The cell's content in one ``<span>``: in a card the label and the value are two columns of a grid, and
    a value of several parts (text, links) must stay one of them."""
    span = ElementTree.Element("span")
    span.text, cell.text = cell.text, None
    for child in list(cell):
        cell.remove(child)
        span.append(child)
    cell.append(span)


def _text(cell: ElementTree.Element) -> str:
    """A cell's text without the placeholders Python-Markdown keeps for raw HTML."""
    return " ".join(util.HTML_PLACEHOLDER_RE.sub("", "".join(cell.itertext())).split())


class AccessibleTablesExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # Python-Markdown's name
        # after the tables extension has built the tables, before the inline patterns are resolved
        md.treeprocessors.register(TableCaptions(md), "accessible_tables", 25)
        # after the inline patterns (20) and the escapes (0): the headers' text as the reader sees it
        md.treeprocessors.register(TableCards(md), "table_cards", -10)


def makeExtension(**kwargs: object) -> AccessibleTablesExtension:  # Python-Markdown's name
    return AccessibleTablesExtension(**kwargs)


def slugify(value: str, separator: str) -> str:
    """A heading's anchor that keeps Vietnamese readable (mkdocs.yml's ``toc: slugify``): ``Đak Pơ`` gives
    ``dak-po``. Unicode has no decomposition for đ and Đ, so Python-Markdown's own slugify, which drops what
    is left after removing the accents, would give ``ak-po``."""
    return toc.slugify(value.replace("đ", "d").replace("Đ", "D"), separator)
