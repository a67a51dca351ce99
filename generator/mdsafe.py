"""The one place where values from data files become Markdown.

jinja2's autoescape knows HTML, not Markdown, and Python-Markdown passes raw HTML through. So every value
from a descriptor or a CSV goes through a function here before it reaches a page, and the template
environment (``render.environment``) escapes any plain ``str`` it prints: only an ``Md`` (built here)
is printed as it is.

What the escaping guarantees, for the extensions enabled in ``mkdocs.yml`` (tables, toc, admonition):
``<``, ``>`` and ``&`` arrive as text; no emphasis, code, link, image, attribute list (``{: ...}``) or
table cell boundary can be opened by a value; a newline cannot end a table row or start a block; a
value cannot start a list, heading or quote; and control characters (which Python-Markdown uses for its own
placeholders) are dropped. tests/test_mdsafe_properties.py checks this for any string, with hypothesis.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from urllib.parse import quote, urlencode, urlsplit
from xml.etree import ElementTree


class Md(str):
    """Markdown that is safe to print as it is. Only this module's functions should build one."""

    __slots__ = ()


# Characters that open Markdown syntax anywhere in a line. Each is in Python-Markdown's ESCAPED_CHARS
# (``|`` once the tables extension is on), so a backslash before it is removed on rendering.
_ALWAYS = re.compile(r"([\\`*_{}\[\]|#])")
# Syntax that only counts at the start of a line: list markers, rules and setext underlines, admonitions
# (``!!! note``), ordered-list numbers. A leading minus sign of a number ("-5") is left alone.
_LINE_START = re.compile(r"^([-+=!])(?!\d)|^(\d+)([.)])(?=\s|$)")
_WHITESPACE = re.compile(r"\s+")
_SAFE_SCHEMES = ("http", "https")
_YAML_UNSAFE = re.compile("[\x7f-\x9f]")
# Control characters that are not whitespace. None is visible, and Python-Markdown uses two of them itself
# (STX and ETX mark its placeholders for stashed HTML): a value holding "\x02wzxhzdk:0\x03" would pull
# stashed markup into the page. They are dropped (validate refuses them in data: control-character).
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _plain(value: object, controls: bool = False) -> str:
    """``value`` as one line of text: half surrogate pairs (from a JSON escape such as ``\\ud800``: not
    characters, and not encodable) replaced by U+FFFD, whitespace folded; control characters dropped unless
    ``controls`` (front matter is YAML, not Markdown: there they are written as escapes)."""
    text = str(value) if controls else _CONTROL.sub("", str(value))
    return _WHITESPACE.sub(" ", _SURROGATE.sub("\ufffd", text)).strip()


# Text that ``text`` leaves as it is: words of characters that need no escape, joined by single spaces, not
# starting the way ``_LINE_START`` escapes. Most cells of a table are such (names, numbers, dates), and are
# taken as they are rather than through five substitutions (tests/test_mdsafe_properties.py: the same result
# for any string).
_QUIET_WORD = r"[^\s&<>\\`*_{}\[\]|#\x00-\x1f\x7f-\x9f\ud800-\udfff]+"
_UNCHANGED = re.compile(rf"(?![-+=!](?!\d))(?!\d+[.)](?:\s|$)){_QUIET_WORD}(?: {_QUIET_WORD})*")


def text(value: object) -> Md:
    """Inline text: one line, everything literal. ``None`` becomes the empty string."""
    if value is None:
        return Md("")
    raw = str(value)
    if _UNCHANGED.fullmatch(raw):
        return Md(raw)
    return escaped(raw)


def escaped(value: object) -> Md:
    """``text`` of ``value`` (not ``None``), every substitution made (``text`` skips them where none applies)."""
    flat = html.escape(_plain(value), quote=False)  # & < > as entities: no raw HTML, no autolinks
    flat = _ALWAYS.sub(r"\\\1", flat)
    flat = _LINE_START.sub(_escape_line_start, flat)
    return Md(flat)


def _escape_line_start(match: re.Match[str]) -> str:
    if match.group(1):
        return "\\" + match.group(1) if match.group(1) != "=" else "&#61;"
    return match.group(2) + "\\" + match.group(3)


def nowrap(*parts: object) -> Md:
    """Several values kept on one line (a number and its unit): each escaped, joined by no-break spaces."""
    return Md("\u00a0".join(text(p) for p in parts if p is not None and str(p) != ""))


def paragraphs(value: object) -> Md:
    """Multi-paragraph text (a description): paragraphs are kept, each escaped like ``text``."""
    if value is None:
        return Md("")
    parts = [text(p) for p in re.split(r"\n\s*\n", str(value))]
    return Md("\n\n".join(p for p in parts if p))


def link(label: object, url: str) -> Md:
    """A link to an external ``http(s)`` address; any other address is shown as plain text, unlinked.
    ``label`` is escaped unless it is already ``Md``."""
    shown = label if isinstance(label, Md) else text(label)
    safe_url = external_url(url)
    if safe_url is None:
        return shown
    return Md(f"[{shown}](<{safe_url}>)")


def internal_link(label: object, target: str, query: Mapping[str, str] | None = None, title: str | None = None) -> Md:
    """A link to another page or file of the site. ``target`` is a relative path the generator made;
    ``query`` (names and values) is added to it as a URL query; ``title`` is the link's tooltip (and what a
    screen reader adds to a short label)."""
    href = quote(target, safe="/#.-_~") + ("?" + urlencode(query) if query else "")
    if title is None:
        return Md(f"[{text(label)}](<{href}>)")
    quoted = html.escape(" ".join(title.split()), quote=True).replace("\\", "&#92;")
    return Md(f'[{text(label)}](<{href}> "{quoted}")')


def html_link(label: object, target: str) -> Md:
    """A link to a file of the site written as inline HTML, which MkDocs leaves as it is: for a link from an
    English page (built from its own folder) to a file the Vietnamese site publishes once for both."""
    href = html.escape(quote(target, safe="/#.-_~"), quote=True)
    return Md(f'<a href="{href}">{text(label)}</a>')


def external_url(url: str) -> str | None:
    """``url`` made safe to put inside ``<...>`` in a Markdown link, or ``None`` if it is not http(s)."""
    stripped = url.strip()
    parts = urlsplit(stripped)
    if parts.scheme.lower() not in _SAFE_SCHEMES or not parts.netloc:
        return None
    # Keep what is already percent-encoded; encode what could end the link or open markup.
    return quote(stripped, safe=":/?#[]@!$&'()*+,;=%-._~")


def code_block(content: str) -> Md:
    """An indented code block showing ``content`` literally (Markdown escapes it for HTML itself). Every
    line is indented, so no value can end the block early; place it after a blank line."""
    return Md("\n".join(("    " + line).rstrip() for line in content.splitlines()))


def svg_figure(svg: ElementTree.Element) -> Md:
    """An inline chart as a raw HTML block. The SVG element is serialised by ElementTree (every text and
    attribute from data XML-escaped), on one line, so the Markdown block cannot be broken by a blank line.
    The chart is left out of the search index (``data-search-exclude``): its axis labels and description
    repeat the table beside it, and every reader who searches downloads the index."""
    markup = ElementTree.tostring(svg, encoding="unicode").replace("\r", " ").replace("\n", " ")
    return Md(f'<figure class="chart" data-search-exclude>{markup}</figure>')


def code(value: str) -> Md:
    """A short machine value (a hash, an identifier) as inline code; anything with a backtick, as text."""
    return Md(f"`{value}`") if re.fullmatch(r"[0-9A-Za-z._:-]+", value) else text(value)


def front_matter_json(key: str, data: object) -> Md:
    """A front-matter line holding ``data`` as JSON text, for the theme to print inside
    ``<script type="application/ld+json">``: ``<``, ``>`` and ``&`` are JSON-escaped, so no value can end
    the script element; the JSON text is then quoted as a YAML (JSON) string."""
    inner = json.dumps(data, ensure_ascii=False, allow_nan=False, sort_keys=False)
    inner = inner.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    quoted = json.dumps(inner, ensure_ascii=False, allow_nan=False)
    return Md(f"{key}: " + _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted))


def front_matter_list(key: str, values: list[str]) -> Md:
    """A front-matter line holding a list of texts (HTML-escaped, as a JSON array: YAML reads it as it is)."""
    items = [html.escape(_plain(v, controls=True), quote=True) for v in values]
    quoted = json.dumps(items, ensure_ascii=False, allow_nan=False)
    return Md(f"{key}: " + _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted))


def front_matter_text(key: str, value: object) -> Md:
    """A YAML front-matter line ``key: "..."`` holding a text the theme prints into the page's head (a
    description, an image's address): HTML-escaped, as MkDocs prints front matter unescaped, then quoted as
    a JSON string (which YAML reads as it is)."""
    quoted = json.dumps(html.escape(_plain(value, controls=True), quote=True), ensure_ascii=False, allow_nan=False)
    # YAML refuses DEL and the C1 controls even inside quotes: write them as \u escapes, which it reads.
    return Md(f"{key}: " + _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted))


def front_matter_title(value: object) -> Md:
    """A YAML front-matter ``title:`` line. MkDocs prints it into ``<title>`` and the navigation without
    escaping: ``front_matter_text`` escapes it."""
    return front_matter_text("title", value)
