"""Small pieces of HTML that Markdown cannot express (attributes for the catalogue filter, cards), built
with ElementTree, which escapes every text and attribute value: no value from data can open markup here.

Links in these blocks are URLs relative to the page's own address (MkDocs rewrites links only in Markdown).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.etree import ElementTree

from generator.mdsafe import Md


@dataclass(frozen=True)
class CatalogueItem:
    title: str
    href: str  # relative to the catalogue page's URL
    description: str
    meta: str
    topics: tuple[str, ...]
    members: tuple[tuple[str, str], ...]  # (id, name)
    years: tuple[str, ...]


@dataclass(frozen=True)
class Card:
    label: str
    value: str
    href: str  # the dataset, relative to the page's URL
    link_text: str
    source: str
    source_href: str  # "" when the source has no safe address


def html_block(element: ElementTree.Element) -> Md:
    """An element as a raw HTML block on one line (a blank line would end the block in Markdown)."""
    markup = ElementTree.tostring(element, encoding="unicode", method="html")
    return Md(markup.replace("\r", " ").replace("\n", " "))


def catalogue(
    items: Sequence[CatalogueItem],
    gettext: Callable[[str], str],
    listed: Sequence[CatalogueItem] | None = None,
    other_pages: Sequence[str] = (),
) -> tuple[Md, Md]:
    """The filter form (hidden until the script shows it) and the list of datasets it narrows; ``gettext``
    translates its labels into the page's language. On one page of a catalogue of several, ``listed`` are
    the page's own items, the form's choices come from all of them (``items``), and ``other_pages`` are the
    addresses of the other pages, which the script reads when the reader narrows the list."""
    attributes = {"class": "catalogue-filter", "hidden": "hidden", "aria-label": gettext("Lọc danh mục")}
    if other_pages:
        attributes |= {"data-pages": " ".join(other_pages), "data-total": str(len(items))}
    form = ElementTree.Element("form", attributes)
    choices: tuple[tuple[str, str, list[str], dict[str, str]], ...] = (
        ("topics", gettext("Chủ đề"), sorted({t for item in items for t in item.topics}), {}),
        (
            "members",
            gettext("Địa phương"),
            sorted({m for item in items for m, _ in item.members}),
            {m: name for item in items for m, name in item.members},
        ),
        ("years", gettext("Năm"), sorted({y for item in items for y in item.years}), {}),
    )
    for name, label, values, names in choices:
        wrapper = ElementTree.SubElement(form, "label")
        wrapper.text = label
        select = ElementTree.SubElement(wrapper, "select", {"name": name})
        ElementTree.SubElement(select, "option", {"value": ""}).text = gettext("Tất cả")
        for value in values:
            ElementTree.SubElement(select, "option", {"value": value}).text = names.get(value, value)
    ElementTree.SubElement(form, "p", {"class": "catalogue-count", "aria-live": "polite"})
    listing = ElementTree.Element("ul", {"class": "catalogue-list"})
    for item in items if listed is None else listed:
        entry = ElementTree.SubElement(
            listing,
            "li",
            {
                "data-topics": "|".join(item.topics),
                "data-members": "|".join(m for m, _ in item.members),
                "data-years": "|".join(item.years),
            },
        )
        heading = ElementTree.SubElement(entry, "p", {"class": "catalogue-title"})
        ElementTree.SubElement(heading, "a", {"href": item.href}).text = item.title
        ElementTree.SubElement(entry, "p").text = item.description
        ElementTree.SubElement(entry, "p", {"class": "catalogue-meta"}).text = item.meta
    return html_block(form), html_block(listing)


def pager(pages: Sequence[tuple[str, str]], current: int, label: str) -> Md:
    """Links to every page of a list (``(number, href)``), the current one (index ``current``) marked."""
    nav = ElementTree.Element("nav", {"class": "pager", "aria-label": label})
    entries = ElementTree.SubElement(nav, "ul")
    for index, (number, href) in enumerate(pages):
        marked = {"aria-current": "page"} if index == current else {}
        ElementTree.SubElement(ElementTree.SubElement(entries, "li"), "a", {"href": href, **marked}).text = number
    return html_block(nav)


def cards(items: Sequence[Card]) -> Md:
    """Key figures as cards: the indicator, its value (qualifier and unit included), its dataset, its source."""
    grid = ElementTree.Element("div", {"class": "cards"})
    for item in items:
        card = ElementTree.SubElement(grid, "div", {"class": "card"})
        ElementTree.SubElement(card, "span", {"class": "card-label"}).text = item.label
        ElementTree.SubElement(card, "span", {"class": "card-value"}).text = item.value
        link = ElementTree.SubElement(card, "a", {"href": item.href})
        link.text = item.link_text
        source = ElementTree.SubElement(card, "span", {"class": "card-source"})
        if item.source_href:
            ElementTree.SubElement(source, "a", {"href": item.source_href}).text = item.source
        else:
            source.text = item.source
    return html_block(grid)
