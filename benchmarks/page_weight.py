"""Page weight: the bytes a first visit to each kind of page transfers, measured in headless Chromium.

Usage: ``.venv/bin/python benchmarks/page_weight.py [--site SITE] [--json]``. It builds nothing: it serves the
already built ``site/`` on 127.0.0.1 and prints, for each page kind, what a first visit (empty cache) downloads:
the HTML, the style sheets, the scripts, fonts and images, then what opening the search and typing a query
adds (the search index: the site fetches it only when the reader opens the search).

The local server answers as GitHub Pages does: text (HTML, CSS, JavaScript, JSON, SVG, XML) gzip-compressed
when the browser accepts it, and ``404.html`` with status 404 for a missing page. It counts the bytes it sends
for each request (status line, headers and body): that is what crossed the network. Chromium makes the
requests, so the list is exactly what the page pulls in, including what the search worker fetches (requests a
page's own DevTools Network domain does not see, and for which Playwright reports no size).

tests/test_page_weight.py holds two pages to a budget with this module, and tests/test_accessibility.py and
tests/test_print.py take their list of page kinds from ``PAGES`` below: a page kind added there (an English
page under /en/, say) is measured, checked by axe-core and printed by all of them.
"""

from __future__ import annotations

import argparse
import email.utils
import functools
import gzip
import http.server
import json
import os
import posixpath
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")  # Debian's package; Playwright's own browser download is never used
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE: dict[str, Any] = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 800}}
TIMEOUT_MS = 15_000


@dataclass(frozen=True)
class PageKind:
    """One kind of page, by an example of it. ``status`` is what the server answers (404 for a missing page)."""

    name: str
    path: str
    kind: str
    lang: str = "vi"
    status: int = 200


# Every kind of page on the site, in each language (the English pages at the same paths under /en/; a missing
# page is answered by the one 404 page at the site's root, as GitHub Pages does).
_VIETNAMESE = [
    PageKind("home", "/", "home"),
    PageKind("catalogue", "/du-lieu/", "catalogue"),
    PageKind("production-value", "/du-lieu/production-value/", "dataset"),
    PageKind("cluster-totals", "/du-lieu/cluster-totals/", "dataset"),
    PageKind("members-dataset", "/du-lieu/members/", "dataset"),
    PageKind("members", "/dia-phuong/", "members"),
    PageKind("dak-po", "/dia-phuong/dak-po/", "member"),
    PageKind("comparison", "/so-sanh/", "comparison"),
    PageKind("about", "/gioi-thieu/", "about"),
    PageKind("not-found", "/khong-co-trang-nay/", "404", status=404),
]
PAGES = _VIETNAMESE + [
    PageKind("en-" + p.name, "/en" + p.path, p.kind, lang="en") for p in _VIETNAMESE if p.kind != "404"
]

# What GitHub Pages compresses (it serves gzip; brotli-capable hosts would send less).
_COMPRESSED = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")
CATEGORIES = ("html", "css", "js", "fonts", "images", "search", "other")


@dataclass(frozen=True)
class Transfer:
    """One response as the server sent it: ``raw`` is the file's size, ``sent`` the bytes on the wire."""

    path: str
    status: int
    content_type: str
    raw: int
    sent: int

    @property
    def category(self) -> str:
        path, kind = self.path, self.content_type
        if "/search/" in path or "/workers/search" in path or "/lunr/" in path:
            return "search"
        if kind.startswith("text/html"):
            return "html"
        if kind.startswith("text/css"):
            return "css"
        if "javascript" in kind:
            return "js"
        if kind.startswith("font/") or path.endswith((".woff", ".woff2", ".ttf", ".otf")):
            return "fonts"
        if kind.startswith("image/"):
            return "images"
        return "other"


@dataclass
class PageWeight:
    """A first visit to one page: what loading it transferred, what opening the search added, and the address
    of every request the browser made (the page's and its workers')."""

    page: PageKind
    load: list[Transfer] = field(default_factory=list)
    search: list[Transfer] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def sent(self, category: str | None = None, *, with_search: bool = True) -> int:
        transfers = self.load + self.search if with_search else self.load
        return sum(t.sent for t in transfers if category is None or t.category == category)

    def raw(self, *, with_search: bool = True) -> int:
        return sum(t.raw for t in (self.load + self.search if with_search else self.load))


@functools.lru_cache(maxsize=256)
def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=6, mtime=0)


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves a built site the way GitHub Pages does, and records every response it sends."""

    def __init__(self, *args: Any, record: Any, **kwargs: Any) -> None:
        self._record = record
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        file, status = self._resolve(path)
        data = file.read_bytes()
        content_type = self.guess_type(os.fspath(file))
        if content_type.startswith("text/") or content_type in ("application/javascript", "application/json"):
            content_type += "; charset=utf-8"
        body = data
        gzipped = "gzip" in self.headers.get("Accept-Encoding", "") and content_type.startswith(_COMPRESSED)
        if gzipped:
            body = _gzip(data)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", email.utils.formatdate(file.stat().st_mtime, usegmt=True))
        self.send_header("Cache-Control", "max-age=600")  # what GitHub Pages sends
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        header_bytes = sum(len(line) for line in getattr(self, "_headers_buffer", [])) + 2
        self.end_headers()
        self.wfile.write(body)
        self._record(Transfer(path, status, content_type, len(data), header_bytes + len(body)))

    def _resolve(self, path: str) -> tuple[Path, int]:
        root = Path(self.directory).resolve()
        relative = posixpath.normpath(path).lstrip("/")
        candidate = (root / relative).resolve() if relative not in ("", ".") else root
        if candidate.is_relative_to(root):
            if candidate.is_dir():
                candidate = candidate / "index.html"
            if candidate.is_file():
                return candidate, 200
        return root / "404.html", 404


class SiteServer:
    """The built site on 127.0.0.1 (a free port), recording the bytes of every response."""

    def __init__(self, site: Path) -> None:
        if not (site / "index.html").is_file():
            raise FileNotFoundError(f"{site} holds no built site: run `.venv/bin/python -m generator build` first")
        self._lock = threading.Lock()
        self._transfers: list[Transfer] = []
        handler = functools.partial(_Handler, directory=os.fspath(site), record=self._add)
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="page-weight-server", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def _add(self, transfer: Transfer) -> None:
        with self._lock:
            self._transfers.append(transfer)

    def take(self) -> list[Transfer]:
        """The responses sent since the last call."""
        with self._lock:
            taken, self._transfers = self._transfers, []
        return taken

    def __enter__(self) -> SiteServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium, headless, through Playwright (sync API)."""
    from playwright.sync_api import sync_playwright

    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        raise FileNotFoundError(f"{CHROMIUM} not found: `apt-get install -y chromium` (never `playwright install`)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=os.fspath(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def measure(browser: Any, server: SiteServer, page: PageKind, device: dict[str, Any] | None = None) -> PageWeight:
    """Visit ``page`` with an empty cache, then open the search and type a query; return what both moved."""
    context = browser.new_context(**(device or PHONE), locale="vi-VN")
    context.set_default_timeout(TIMEOUT_MS)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    try:
        tab = context.new_page()
        server.take()
        response = tab.goto(server.url + page.path, wait_until="load")
        if response is None or response.status != page.status:
            raise RuntimeError(f"{page.path}: status {response and response.status}, expected {page.status}")
        tab.wait_for_load_state("networkidle")
        weight = PageWeight(page, load=server.take(), requests=requests)
        search(tab, "Đak Pơ")
        tab.wait_for_load_state("networkidle")
        weight.search = server.take()
        return weight
    finally:
        context.close()


def search(tab: Any, text: str) -> None:
    """Open the search, type ``text`` and wait for the first result, as a reader does: Material searches on
    keyup, so ``fill`` is followed by one key (``fill`` alone raced the index: 1 run in 3 found nothing)."""
    tab.locator("label.md-header__button[for='__search']").first.click()
    query = tab.locator("input.md-search__input")
    query.wait_for(state="visible")
    query.fill(text)
    query.press("End")
    tab.locator(".md-search-result__item").first.wait_for(state="visible")


def measure_all(site: Path, pages: list[PageKind] = PAGES) -> list[PageWeight]:
    with SiteServer(site) as server, chromium() as browser:
        return [measure(browser, server, page) for page in pages]


def _kb(n: int) -> str:
    return f"{n / 1024:.1f}"


def format_table(weights: list[PageWeight]) -> str:
    """One row per page kind: kB sent by category on loading, the total, what the search added, raw kB."""
    head = ["page", "path", *CATEGORIES, "load", "+search", "total", "raw total", "requests"]
    rows = [head]
    for w in weights:
        rows.append(
            [
                w.page.name,
                w.page.path,
                *(_kb(w.sent(c, with_search=False)) for c in CATEGORIES),
                _kb(w.sent(with_search=False)),
                _kb(w.sent() - w.sent(with_search=False)),
                _kb(w.sent()),
                _kb(w.raw()),
                str(len(w.load) + len(w.search)),
            ]
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = ["  ".join(c.ljust(widths[i]) if i < 2 else c.rjust(widths[i]) for i, c in enumerate(r)) for r in rows]
    lines.insert(1, "  ".join("-" * n for n in widths))
    note = (
        "kB sent on the wire (1 kB = 1024 bytes; gzip as GitHub Pages serves it, headers included) on a first visit "
        "with an empty cache, phone viewport. 'load': until the network is idle; '+search': what opening the "
        "search and typing a query added (the search index, fetched only then); "
        "'raw total': the same files uncompressed."
    )
    return "\n".join(lines) + "\n\n" + note


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="the built site (default: site/)")
    parser.add_argument("--json", action="store_true", help="print every response as JSON instead of a table")
    args = parser.parse_args(argv)
    try:
        weights = measure_all(args.site)
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps([asdict(w) for w in weights], ensure_ascii=False, indent=2))
    else:
        print(format_table(weights))
    return 0


if __name__ == "__main__":
    sys.exit(main())
