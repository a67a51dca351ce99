"""A Python-Markdown extension for accessible tables (listed in mkdocs.yml as ``generator.mdext``).

Markdown tables have no caption, and Python-Markdown's tables give header cells no scope. Screen readers
need both. The generator writes a caption as a paragraph starting with ``: `` right after its table (the
Pandoc convention); this extension moves it into the table's ``<caption>`` and gives every header cell
``scope="col"``. It only rearranges elements Python-Markdown has already built from escaped text.
"""

from __future__ import annotations

from xml.etree import ElementTree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

CAPTION_MARK = ": "


class TableCaptions(Treeprocessor):
    def run(self, root: ElementTree.Element) -> None:
        for parent in list(root.iter()):
            children = list(parent)
            for index, table in enumerate(children):
                if table.tag != "table":
                    continue
                for cell in table.iter("th"):
                    cell.set("scope", "col")
                following = children[index + 1] if index + 1 < len(children) else None
                if following is not None and following.tag == "p" and (following.text or "").startswith(CAPTION_MARK):
                    caption = ElementTree.Element("caption")
                    caption.text = (following.text or "")[len(CAPTION_MARK) :]
                    caption.extend(list(following))
                    table.insert(0, caption)
                    parent.remove(following)


class AccessibleTablesExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # Python-Markdown's name
        # after the tables extension has built the tables, before the inline patterns are resolved
        md.treeprocessors.register(TableCaptions(md), "accessible_tables", 25)


def makeExtension(**kwargs: object) -> AccessibleTablesExtension:  # Python-Markdown's name
    return AccessibleTablesExtension(**kwargs)
