"""Golden output tree, in the Pelican way: the small valid fixture built into a whole site, compared file by
file with ``tests/golden/site/``: every published file the generator makes (pages as the text a reader sees,
with their links, titles and descriptions; downloads, catalogues, feeds and sitemaps as their bytes; pictures
and workbooks by their SHA-256), and the list of every published path.

MkDocs' and Material's own files (scripts, styles, fonts, the search index) are left out: they change with
those libraries, not with the generator. After an intended change, regenerate with
``pytest tests/test_golden_site.py --update-golden`` and review the diff of tests/golden/site/ like any other.
"""

from __future__ import annotations

import difflib
import hashlib
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.build import build

from conftest import FIXTURES, copy_project

GOLDEN = Path(__file__).resolve().parent / "golden" / "site"
SITE_URL = "https://example.org/cum-thi-dua-so-2/"
VENDOR = ("assets/javascripts/", "assets/stylesheets/", "assets/images/", "search/")
BYTES = (".csv", ".json", ".jsonld", ".xml", ".yaml", ".txt", ".svg")  # compared as they are
# compared by their SHA-256, listed in SHA256SUMS: binary files, and the hand-written styles and scripts of
# docs/ (copied as they are: a copy here would only repeat them)
HASHED = (".png", ".xlsx", ".zip", ".gz", ".css", ".js")
INDEX = "FILES.txt"  # every published path, vendor files by their folder
SUMS = "SHA256SUMS"


class _Reader(HTMLParser):
    """A page as a reader meets it: its title and description, then the text of its content, one block a
    line, with each link's address and each image's text and source."""

    BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "dt", "dd", "figcaption", "pre"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.head: list[str] = []
        self.lines: list[str] = []
        self._line: list[str] = []
        self._in_article = 0
        self._skip = 0
        self._skipping: list[str] = []  # the tags whose content is skipped, innermost last
        self._title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "title" and not self._in_article and not self._skip:
            self._title = True
        elif tag == "meta" and values.get("name") == "description":
            self.head.append(f"description: {values.get('content')}")
        elif tag == "link" and values.get("rel") in ("alternate", "canonical"):
            self.head.append(f"link {values.get('rel')} {values.get('hreflang') or ''} {values.get('href')}".strip())
        elif tag == "article":
            self._in_article += 1
        elif tag in ("script", "style", "svg") or (tag == "a" and "headerlink" in (values.get("class") or "")):
            self._skip += 1
            self._skipping.append(tag)
        elif self._in_article and not self._skip:
            if tag in self.BLOCKS:
                self._break()
            elif tag in ("td", "th"):
                self._line.append(" | ")
            elif tag == "a":
                self._line.append(f" <{values.get('href')}> ")
            elif tag == "img":
                self._line.append(f" [image {values.get('alt')!r} {values.get('src')}] ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._title = False
        elif tag == "article":
            self._in_article -= 1
            self._break()
        elif self._skipping and tag == self._skipping[-1]:
            self._skipping.pop()
            self._skip -= 1
        elif tag in self.BLOCKS:
            self._break()

    def handle_data(self, data: str) -> None:
        if self._title:
            self.head.append(f"title: {data.strip()}")
        elif self._in_article and not self._skip:
            self._line.append(data)

    def _break(self) -> None:
        line = " ".join("".join(self._line).split())
        if line:
            self.lines.append(line)
        self._line = []


def reader_view(html: str) -> str:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return "\n".join([*reader.head, "", *reader.lines]) + "\n"


def golden_tree(site: Path) -> dict[str, bytes]:
    """What is compared: ``path`` -> bytes (pages as ``<path>.txt`` reader views), plus the index of paths
    and the SHA-256 of the binary files."""
    tree: dict[str, bytes] = {}
    index: list[str] = []
    sums: list[str] = []
    for path in sorted(site.rglob("*")):
        if path.is_dir():
            continue
        name = path.relative_to(site).as_posix()
        vendor = next((v for v in VENDOR if name.startswith(v) or f"/{v}" in f"/{name}"), None)
        if vendor is not None:
            folder = name[: name.index(vendor) + len(vendor)]
            if folder not in index:
                index.append(folder)
            continue
        index.append(name)
        data = path.read_bytes()
        if name.endswith(".html"):
            tree[name + ".txt"] = reader_view(data.decode("utf-8")).encode("utf-8")
        elif name.endswith(HASHED):
            sums.append(f"{hashlib.sha256(data).hexdigest()}  {name}")
        elif name.endswith(BYTES):
            tree[name] = data
        else:
            raise AssertionError(f"{name}: say how the golden tree compares this kind of file")
    tree[INDEX] = ("\n".join(index) + "\n").encode("utf-8")
    tree[SUMS] = ("\n".join(sums) + "\n").encode("utf-8")
    return tree


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("golden-site"), FIXTURES / "valid" / "datasets")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SITE_URL", SITE_URL)
        patch.setenv("SOURCE_DATE_EPOCH", "1735689600")  # 2025-01-01: the date of sitemaps and archives
        checked, report = build(root)
    assert report is not None, [i.as_tuple() for i in checked.issues if i.is_error]
    return root / "site"


def test_the_whole_built_site_matches_the_golden_tree(built_site: Path, update_golden: bool) -> None:
    tree = golden_tree(built_site)
    if update_golden:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for name, data in tree.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_bytes(data)
        return
    expected = {p.relative_to(GOLDEN).as_posix(): p.read_bytes() for p in GOLDEN.rglob("*") if p.is_file()}
    assert sorted(tree) == sorted(expected), "files differ: run with --update-golden if intended"
    differing = [name for name in sorted(tree) if tree[name] != expected[name]]
    if differing:
        name = differing[0]
        diff = difflib.unified_diff(
            expected[name].decode("utf-8", "replace").splitlines(),
            tree[name].decode("utf-8", "replace").splitlines(),
            f"golden/{name}",
            f"built/{name}",
            lineterm="",
        )
        pytest.fail(f"{len(differing)} file(s) differ, first {name}:\n" + "\n".join(list(diff)[:60]))


def test_the_golden_tree_holds_every_kind_of_output() -> None:
    """Not vacuous: pages in both languages, downloads, catalogues, the feed and the charts are compared."""
    names = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file()}
    for name in (
        "index.html.txt",
        "en/index.html.txt",
        "du-lieu/figures/index.html.txt",
        "du-lieu/figures/figures.csv",
        "du-lieu/figures/figures.json",
        "du-lieu/figures/datapackage.json",
        "catalog.jsonld",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
    ):
        assert name in names, name
    assert any(n.endswith(".svg") for n in names)
    sums = (GOLDEN / SUMS).read_text(encoding="utf-8")
    assert "du-lieu/figures/figures.xlsx" in sums and ".png" in sums and "du-lieu/figures/figures.zip" in sums
