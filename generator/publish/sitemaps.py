"""Sitemaps with each page's other languages, and a robots.txt that names them.

MkDocs writes one sitemap per build (per language) without the other language's page, and an empty one
when the site's address is not known. Search engines want each page with its translations (``hreflang``
alternates, Google's sitemap extension), and a sitemap lists absolute addresses only. So the sitemaps are
written here, once both languages are built, from the list of pages: ``sitemap.xml`` (Vietnamese) and
``en/sitemap.xml``, each page with its alternates and an ``x-default`` (the Vietnamese page), and a
``robots.txt`` at the site's root naming both. Without the address (``SITE_URL`` unset) there is nothing
absolute to list: the sitemaps stay empty, robots.txt names none, and the build says so (``cli``).
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from pathlib import Path
from xml.etree import ElementTree

from generator import i18n
from generator.outputs.tables import page_address

SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"


def by_language(pages: Iterable[str]) -> dict[str, set[str]]:
    """The site's pages (``Site.pages`` keys, ``en/...`` for English) as addresses per language."""
    found: dict[str, set[str]] = {lang: set() for lang in i18n.LANGUAGES}
    for page in pages:
        lang = next((code for code in i18n.LANGUAGES[1:] if page.startswith(i18n.prefix(code))), i18n.DEFAULT)
        found[lang].add(page_address(page[len(i18n.prefix(lang)) :]))
    return found


def sitemap(lang: str, pages: dict[str, set[str]], base: str) -> bytes:
    """``lang``'s sitemap: each of its pages with the same page in every language that has it."""
    root = ElementTree.Element("urlset", {"xmlns": NS, "xmlns:xhtml": XHTML})
    if base:
        for address in sorted(pages[lang]):
            url = ElementTree.SubElement(root, "url")
            ElementTree.SubElement(url, "loc").text = base + i18n.prefix(lang) + address
            others = [code for code in i18n.LANGUAGES if address in pages[code]]
            if len(others) > 1:
                for code in others:
                    href = base + i18n.prefix(code) + address
                    ElementTree.SubElement(url, "xhtml:link", {"rel": "alternate", "hreflang": code, "href": href})
                default = base + i18n.prefix(i18n.DEFAULT) + address
                ElementTree.SubElement(
                    url, "xhtml:link", {"rel": "alternate", "hreflang": "x-default", "href": default}
                )
    ElementTree.indent(root)
    return bytes(ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)) + b"\n"


def robots(base: str) -> bytes:
    lines = ["User-agent: *", "Allow: /"]
    if base:
        lines += [f"Sitemap: {base}{i18n.prefix(lang)}{SITEMAP}" for lang in i18n.LANGUAGES]
    else:
        lines.append("# No sitemap: this copy was built without the site's address (SITE_URL).")
    return ("\n".join(lines) + "\n").encode("utf-8")


def write(site: Path, pages: Iterable[str], base: str) -> None:
    """Write the sitemaps (and their gzip copies, byte for byte the same from the same input) and
    robots.txt into the built ``site`` (its root and each language's folder)."""
    found = by_language(pages)
    for lang in i18n.LANGUAGES:
        folder = site / i18n.prefix(lang)
        data = sitemap(lang, found, base)
        (folder / SITEMAP).write_bytes(data)
        (folder / (SITEMAP + ".gz")).write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    (site / ROBOTS).write_bytes(robots(base))
