"""Publish: MkDocs' memory kept flat as the catalogue grows.

MkDocs converts every page to HTML before it writes any (so that each page can link to every other), and
keeps every page's Markdown and HTML in memory to the end of the build: for a thousand datasets, most of a
build's memory. ``Compact`` keeps each converted page compressed from its conversion until its turn to be
written, and drops its HTML once written. So no plugin may read a page's HTML between the two (in ``on_env``,
say): the site's configurations have only ``search``, which reads it when the page is written. The pages'
bytes are the same (``tests/test_incremental.py`` compares builds byte for byte; ``tests/test_golden_site.py``
pins them).
"""

from __future__ import annotations

import zlib

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from generator.publish.incremental import NoOptions


class Compact(BasePlugin[NoOptions]):  # type: ignore[no-untyped-call]
    """MkDocs plugin: a page's HTML is held compressed between its conversion and its writing."""

    def __init__(self) -> None:
        super().__init__()
        self.held: dict[str, bytes] = {}

    @event_priority(-100)  # after every plugin that changes the HTML
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        self.held[page.file.src_uri] = zlib.compress(html.encode("utf-8"), 1)
        # The Markdown is not read again: an empty text keeps the title MkDocs found (front matter, first heading)
        page.markdown = ""
        return ""

    @event_priority(100)  # before any plugin reads the HTML (search)
    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        held = self.held.pop(page.file.src_uri, None)
        if held is not None:
            page.content = zlib.decompress(held).decode("utf-8")
        return context

    @event_priority(-100)  # after every plugin that reads the page
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        page.content = None
        return output
