"""Publish: the search plugin reads only what it indexes.

Material's search plugin runs every page's HTML through Python's ``html.parser`` to cut it into sections,
and skips any element marked ``data-search-exclude`` -- which the generator puts on every long table and
every comparability warning (``mdext``): on a dataset page about nine tags in ten. Parsing what is then
thrown away was most of the plugin's time, and the plugin was about two fifths of a build's. ``LeanSearch``
hands the plugin each page with the content of its excluded elements taken out (their start and end tags
kept), then gives the page its whole HTML back before anything else reads it; the search index comes out
the same, byte for byte, and so do the pages (``tests/test_lean_build.py``). Measured on the benchmark's
Vietnamese build of 1,000 datasets: 64.7 s without, 47.3 s with it.

An element is emptied only where that cannot change what the plugin records: what it holds must be elements
that all close in order, none of its own name (the plugin matches elements by name alone) and no heading (a
heading with an ``id`` starts a section even inside an excluded element). Anything else is left as it is and
parsed whole.
"""

from __future__ import annotations

import re
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files

from generator.publish.incremental import NoOptions, search_index

MARK = "data-search-exclude"
# A start or end tag, its attributes' values quoted or not: (slash, name, slash before ">"). It ends at the
# first ">" outside quotes, read in runs of plain characters (read one character at a time, lazily, ``lean``
# took 4.35 ms a benchmark dataset page instead of 2.56 ms, finding the same tags).
_TAG = re.compile(r"""<(/?)([a-zA-Z][^\t\n\r\f />\x00]*)(?:[^>"'/]+|"[^"]*"|'[^']*'|/(?!>))*(/?)>""")
_ATTRIBUTE = re.compile(r"""[\s/]+([^\s/>"'=][^\s/=>]*)(?:\s*=+\s*(?:'[^']*'|"[^"]*"|(?!['"])[^>\s]*))?""")
# What the plugin reads otherwise than as a tree of tags: comments, declarations, processing instructions,
# the text-only elements (their content is not parsed for tags), and headings (which start sections).
_NOT_PLAIN = re.compile(
    r"<[!?]|<(?:script|style|textarea|title|xmp|iframe|noembed|noframes|noscript|plaintext)\b|<h[1-6]\b",
    re.IGNORECASE,
)
# Elements without an end tag (the search plugin's list): the plugin never excludes them, nor keeps them open.
VOID = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"]
)

_MARK = re.compile(MARK, re.IGNORECASE)  # html.parser reads attribute names in lower case
# Where html.parser reads no tags: comments and the text-only elements.
_OPAQUE = re.compile(
    r"<!--|<(script|style|textarea|title|xmp|iframe|noembed|noframes|noscript|plaintext)\b", re.IGNORECASE
)


def lean(html: str) -> str:
    """``html`` with the content of each element marked ``data-search-exclude`` taken out, where that leaves
    the search plugin's sections as they were (the module's docstring). Tags are found by regular
    expressions, as the HTML MkDocs makes has ``<`` escaped everywhere but in tags, comments and scripts;
    at the first element it cannot empty, it leaves the rest of the page as it is (that element may be
    around the next ones)."""
    opaque = _opaque(html)
    pieces: list[str] = []
    done = 0  # html[:done] is in pieces
    mark = _MARK.search(html)
    while mark is not None:
        at = mark.start()
        if any(start <= at < end for start, end in opaque):
            mark = _MARK.search(html, mark.end())
            continue
        tag = _TAG.match(html, max(html.rfind("<", done, at), 0))
        if tag is None or tag.end() <= at:  # in text
            mark = _MARK.search(html, mark.end())
            continue
        if tag.group(1) or not _marked(tag.group(0)):  # in an end tag, or in an attribute's value
            mark = _MARK.search(html, tag.end())
            continue
        name = tag.group(2).lower()
        close = re.compile(rf"</{re.escape(name)}\s*>", re.IGNORECASE).search(html, tag.end())
        if (
            tag.group(3)
            or name in VOID
            or close is None
            or not _reads_as_nothing(html[tag.end() : close.start()], name)
        ):
            break
        pieces.append(html[done : tag.end()])
        done = close.start()
        mark = _MARK.search(html, close.end())
    pieces.append(html[done:])
    return "".join(pieces)


def _opaque(html: str) -> list[tuple[int, int]]:
    """The stretches of ``html`` in which html.parser reads no tags (from ``<!--`` or ``<script`` to its end)."""
    found = []
    for start in _OPAQUE.finditer(html):
        name = start.group(1)
        end = re.compile("-->" if name is None else rf"</{name}\s*>", re.IGNORECASE).search(html, start.end())
        found.append((start.start(), end.end() if end else len(html)))
    return found


def _marked(start_tag: str) -> bool:
    """Whether the start tag has the attribute ``data-search-exclude`` (by name, not inside a value)."""
    rest = start_tag[1 + len(re.match(r"<([^\t\n\r\f />\x00]*)", start_tag).group(1)) :]  # type: ignore[union-attr]
    return any(m.group(1).lower() == MARK for m in _ATTRIBUTE.finditer(rest))


def _reads_as_nothing(inner: str, name: str) -> bool:
    """Whether the plugin, inside an excluded element named ``name``, would read ``inner`` as elements that
    all close in order (the plugin ignores an end tag that is not the innermost element's, so anything else
    would leave an element open after the excluded one) and none of them named ``name``."""
    if _NOT_PLAIN.search(inner):
        return False
    tags = _TAG.findall(inner)
    if len(tags) != inner.count("<"):
        return False  # a "<" that is not a tag: read in some other way
    open_: list[str] = []
    for slash, tag, closed in tags:
        tag = tag.lower()
        if tag == name:
            return False
        if slash:
            if not open_ or open_.pop() != tag:
                return False
        elif not closed and tag not in VOID:
            open_.append(tag)
    return not open_


class LeanSearch(BasePlugin[NoOptions]):  # type: ignore[no-untyped-call]
    """MkDocs plugin: the search index reads each page through ``lean``."""

    @event_priority(-100)  # once the search plugin has made its index (``on_config``)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        index = search_index(config)
        add = getattr(index, "add_entry_from_context", None)
        if add is None or getattr(add, "lean", False):
            return files  # no search, or a search plugin this does not know: it reads pages whole

        def add_lean(page: Any) -> None:
            whole = page.content
            page.content = lean(whole) if whole else whole
            try:
                add(page)
            finally:
                page.content = whole

        add_lean.lean = True  # type: ignore[attr-defined]
        index.add_entry_from_context = add_lean
        return files
