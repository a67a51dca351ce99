"""Publish: build only what changed since the last build, and take everything else from it.

MkDocs builds every page every time. When the site in place was built by the same MkDocs set-up (the same
configurations, overrides, hand-written files, generator, library versions and ``SITE_URL``:
``stamp.add_surroundings`` without the commit) from the same set of files, a page whose source did not change
would come out byte for byte as it is. So ``site.publish`` then runs MkDocs' own *dirty* build with exactly the
changed files marked modified (``Incremental``), into an empty folder: MkDocs reads, converts and writes only
those, and writes its site-wide files (``404.html``, ``sitemap.xml``) as always. The search index gets the
entries of the pages not built from the index in place, in the order a whole build writes them; every file
not built is then linked from the site in place (``site._build_languages``, through a copy of it kept from the
last build: ``mirror``). The site in place is only read, never written into: a failed build leaves it as it
was.

What an incremental build cannot see: a link from a page that was not built to an anchor that a built page
no longer has (MkDocs checks anchors only on the pages it reads). A whole build -- any new clone, CI -- checks
every link again.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from pathlib import Path
from typing import Any

from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

SEARCH_INDEX = "search/search_index.json"


class NoOptions(Config):  # type: ignore[no-untyped-call]  # MkDocs builds the schema here
    """The plugin has no settings: the generator gives it what it needs."""


class Incremental(BasePlugin[NoOptions]):  # type: ignore[no-untyped-call]
    """MkDocs plugin for a dirty build of ``changed`` (paths inside ``docs_dir``) whose other pages are
    those of ``previous`` (the built site in place, of the same language)."""

    def __init__(self, changed: frozenset[str], previous: Path) -> None:
        super().__init__()
        self.changed = changed
        self.previous = previous
        self.files: Files | None = None

    @event_priority(-100)  # after any plugin that adds files
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        docs = Path(config.docs_dir).resolve()
        for file in files:
            modified = file.src_uri in self.changed and _inside(file, docs)
            # MkDocs asks each file whether it changed since the output was written (by the files' times);
            # the generator knows exactly which did, by content
            setattr(file, "is_modified", (lambda answer=modified: answer))  # noqa: B010 - a method, per file
        self.files = files
        return files

    @event_priority(100)  # before the search plugin writes its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        index = search_index(config)
        if index is None or self.files is None:
            return
        try:
            kept = json.loads((self.previous / SEARCH_INDEX).read_text(encoding="utf-8"))["docs"]
            if not isinstance(kept, list) or not all(isinstance(entry, dict) for entry in kept):
                raise TypeError("not a list of entries")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise PluginError(f"the search index in place cannot be read: {exc}") from exc
        index.entries = merged_entries(self.files, kept, index.entries)


def search_index(config: MkDocsConfig) -> Any:
    """The search plugin's index being built (Material's ``SearchIndex``), or None without search."""
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        if index is not None and isinstance(getattr(index, "entries", None), list):
            return index
    return None


def merged_entries(files: Files, kept: list[dict[str, Any]], built: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entries a whole build would write: page by page in the build's order, a built page's new entries
    and every other page's entries from the index in place. Raises ``PluginError`` if an entry belongs to no
    page (then the site is built whole)."""
    by_page: dict[str, list[dict[str, Any]]] = defaultdict(list)
    new_by_page: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entry in kept:
        by_page[_page_of(entry)].append(entry)
    for entry in built:
        new_by_page[_page_of(entry)].append(entry)
    merged: list[dict[str, Any]] = []
    placed: set[str] = set()
    for file in files.documentation_pages():
        if file.page is None:
            continue
        url = file.page.url
        placed.add(url)
        merged += new_by_page[url] if file.is_modified() else by_page[url]
    stray = (by_page.keys() | new_by_page.keys()) - placed
    if stray:
        raise PluginError(f"search entries of no page: {sorted(stray)[:3]}")
    return merged


def _page_of(entry: dict[str, Any]) -> str:
    location = entry.get("location")
    if not isinstance(location, str):
        raise PluginError(f"a search entry without a location: {entry!r:.80}")
    return location.split("#", 1)[0]


def _inside(file: File, docs: Path) -> bool:
    if file.abs_src_path is None:
        return False
    return Path(file.abs_src_path).resolve().is_relative_to(docs)


class QuietDirtyWarning(logging.Filter):
    """Drops MkDocs' warning that a dirty build may leave navigation stale (it would fail ``--strict``): here
    the navigation cannot change, as the set of pages and the configuration are the same."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build is being performed" not in record.getMessage()
