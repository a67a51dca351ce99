"""Phone screenshots of each kind of page, in both languages, for README: the first screen at 360 px, as a
reader on a phone meets it, taken with Debian's chromium from a built site.

    .venv/bin/python scripts/screenshots.py site .github/screenshots
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

KINDS = [
    ("home", "/"),
    ("catalogue", "/du-lieu/"),
    ("dataset", "/du-lieu/production-value/"),
    ("members", "/dia-phuong/"),
    ("member", "/dia-phuong/dak-po/"),
    ("comparison", "/so-sanh/"),
    ("conflicts", "/mau-thuan/"),
    ("about", "/gioi-thieu/"),
]


def main(site: Path, out: Path) -> None:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}"
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium")  # Debian's, never a download
        for lang, prefix, locale in (("vi", "", "vi-VN"), ("en", "/en", "en-GB")):
            context = browser.new_context(
                viewport={"width": 360, "height": 740}, device_scale_factor=1, is_mobile=True, locale=locale
            )
            page = context.new_page()
            for kind, path in KINDS:
                page.goto(url + prefix + path, wait_until="load")
                page.screenshot(path=out / f"{kind}-{lang}-phone.png")
            # further down a dataset page: a table read as cards on a phone (its column names above them)
            page.goto(url + prefix + "/du-lieu/production-value/", wait_until="load")
            table = page.locator("article table[role=table]").filter(has=page.locator("td[data-label]:visible"))
            table.first.evaluate("t => window.scrollTo(0, t.getBoundingClientRect().top + window.scrollY - 60)")
            page.screenshot(path=out / f"dataset-table-{lang}-phone.png")
            page.goto(url + "/404.html", wait_until="load")  # what a missing address shows
            if lang == "vi":
                page.screenshot(path=out / "404-phone.png")
            context.close()
            desktop = browser.new_context(viewport={"width": 1280, "height": 800}, locale=locale)
            page = desktop.new_page()
            page.goto(url + prefix + "/du-lieu/production-value/", wait_until="load")
            page.screenshot(path=out / f"dataset-{lang}-desktop.png")
            desktop.close()
        browser.close()
    httpd.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
