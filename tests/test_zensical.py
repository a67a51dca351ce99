"""The site builds with Zensical too (Material for MkDocs reaches end of life on 2027-05-05; Zensical, its
successor, reads mkdocs.yml), and its pages say what MkDocs' pages say.

The small fixture is built by the generator (MkDocs, both languages); then Zensical builds the same pages
with the same configurations, and every page's text (what a reader sees, and every table) is compared.
Where Zensical cannot yet do what the site needs, the difference is listed in ``KNOWN`` and in README
("Zensical"): the test fails when one of them goes away, so that README and this list are kept true.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import config
from generator.build import build

from conftest import FIXTURES, ROOT, copy_project
from htmltext import read_page

pytestmark = pytest.mark.zensical
ZENSICAL = Path(sys.executable).parent / "zensical"

# What Zensical 0.0.73 does differently, page by page: (page, what differs). README names each one.
KNOWN = {
    # Front-matter tags (every spelling of a member's name, for search) are shown as visible tags at the end
    # of the page; Material keeps them for search only, and Zensical ignores `hide: [tags]`.
    ("dia-phuong/alpha/", "tags shown"),
    ("dia-phuong/beta/", "tags shown"),
    ("en/dia-phuong/alpha/", "tags shown"),
    ("en/dia-phuong/beta/", "tags shown"),
}


def _zensical(root: Path, config_file: str, docs_dir: str, site_dir: str) -> None:
    (root / f"zensical-{config_file}").write_text(
        f"INHERIT: {config_file}\ndocs_dir: {docs_dir}\nsite_dir: {site_dir}\n", encoding="utf-8"
    )
    result = subprocess.run(
        [str(ZENSICAL), "build", "--strict", "-f", f"zensical-{config_file}"],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},  # the Markdown extension generator.publish.mdext
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture built by the generator with MkDocs into site/, and by Zensical into zensical/."""
    root = copy_project(tmp_path_factory.mktemp("zensical"), FIXTURES / "valid" / "datasets")
    _, report = build(root)
    assert report is not None
    _zensical(root, config.MKDOCS_FILE, "docs", "zensical")
    english = root / "docs-en"
    generated = set(config.GENERATED_PATHS)
    shutil.copytree(root / "docs", english, ignore=lambda folder, names: set(names) & generated)
    shutil.copytree(root / "docs" / "en", english, dirs_exist_ok=True)
    _zensical(root, "mkdocs.en.yml", "docs-en", "zensical/en")
    return root


def differences(root: Path) -> set[tuple[str, str]]:
    found = set()
    mkdocs, zensical = root / "site", root / "zensical"
    pages = sorted(p.relative_to(mkdocs).parent.as_posix() + "/" for p in mkdocs.rglob("index.html"))
    assert len(pages) >= 20, pages  # both languages: home, about, catalogue, datasets, members, comparisons
    for page in (p.removeprefix("./") for p in pages):
        if not (zensical / page / "index.html").is_file():
            found.add((page, "missing"))
            continue
        text, rows = read_page(mkdocs, page)
        z_text, z_rows = read_page(zensical, page)
        assert text.strip(), page
        if z_rows != rows:
            found.add((page, "tables differ"))
        if z_text == text:
            continue
        if z_text.startswith(text) and _tags_only(z_text[len(text) :]):
            found.add((page, "tags shown"))
        else:
            found.add((page, "text differs"))
    return found


def _tags_only(rest: str) -> bool:
    return bool(rest.strip()) and len(rest) < 200


def test_zensical_builds_the_site_and_its_pages_say_the_same(both: Path) -> None:
    assert (both / "zensical/index.html").is_file() and (both / "zensical/en/index.html").is_file()
    assert differences(both) == KNOWN


def test_the_template_overrides_use_no_python_string_methods() -> None:
    """Zensical's templates (minijinja) have no Python ``str`` methods (``.rstrip()``, ``.split()``...):
    the overrides use filters and slices only."""
    for path in (ROOT / "overrides").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for method in (".rstrip(", ".lstrip(", ".strip(", ".split(", ".startswith(", ".endswith(", ".replace("):
            assert method not in text, f"{path.relative_to(ROOT)} uses {method}"
