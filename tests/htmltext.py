"""Reading built pages the way a reader sees them: visible text and table rows, not markup."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path


class _Page(HTMLParser):
    """Collects the visible text of the main content and every table row as a list of cell texts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.rows: list[list[str]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._skip = 0
        self._in_article = 0
        self._links: list[bool] = []  # for each open <a>: is it a heading's permalink (skipped)?

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self._in_article += 1
        elif tag in ("script", "style"):
            self._skip += 1
        elif tag == "a":
            headerlink = "headerlink" in (dict(attrs).get("class") or "")
            self._links.append(headerlink)
            self._skip += headerlink
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self._in_article -= 1
        elif tag in ("script", "style"):
            self._skip -= 1
        elif tag == "a" and self._links:
            self._skip -= self._links.pop()
        elif tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append(normalise("".join(self._cell)))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._skip or self._in_article <= 0:
            return
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def read_page(site: Path, url_path: str) -> tuple[str, list[list[str]]]:
    """The visible text of a page's article and its table rows. ``url_path`` is like ``du-lieu/x/``."""
    parser = _Page()
    parser.feed((site / url_path / "index.html").read_text(encoding="utf-8"))
    return normalise(" ".join(parser.text)), parser.rows
