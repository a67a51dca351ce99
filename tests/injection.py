"""A project full of injection attempts that is still valid data: every value a page prints from a data file
(titles, descriptions, keywords, licenses, field names, cells, member names, source links) carries raw HTML,
script, ``javascript:`` links, attribute lists, ``|`` and newlines, backticks, snippet markers and jinja syntax.

Shared by tests/test_injection.py (the HTML is scanned) and tests/test_browser_injection.py (the pages are
opened in Chromium). A payload that runs sets ``window.__pwned`` or opens a dialog.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.build import build

from conftest import FIXTURES, copy_project

VALID = FIXTURES / "valid"

SCRIPT = "<script>window.__pwned=1</script>"
IMG = "<img src=x onerror=window.__pwned=2>"
# The page title: Material's own <title> template un-escapes entities (striptags), so "</title>" is the test.
DATASET_TITLE = f"Số liệu </title>{SCRIPT}{IMG} {{{{ 7*7 }}}} {{% raw %}}"
MEMBER_NAME = f"Alpha </title>{SCRIPT}"
FIELD_NAME = f"ghi chú {SCRIPT} | x"
FIELD_TITLE = "Ghi chú <svg onload=window.__pwned=3> `code` *em*"
INDICATOR = f"Tổng giá trị {IMG} [x](javascript:window.__pwned=4) | y"
NOTE = 'x {: onclick="window.__pwned=5" } --8<-- "mkdocs.yml" {{ config }} {% raw %}'
PUBLISHER = '`Báo` *Ví* _Dụ_ {: onclick="window.__pwned=6" } <b>'
SOURCE_URL = 'https://example.org/x" onmouseover="window.__pwned=7'
LICENSE_TITLE = "<a href=javascript:window.__pwned=8>CC</a>"
DESCRIPTION = (
    '[x](javascript:window.__pwned=9) {: .admonition onclick="window.__pwned=10" }\n'
    '--8<-- "mkdocs.yml"\n'
    "| a | b |\n"
    "!!! danger\n"
    "{{ 7*7 }} {% raw %}{% endraw %} <iframe src=javascript:window.__pwned=11></iframe>"
)

# Strings that must appear on the pages as text, letter for letter (whitespace folded).
VISIBLE = [DATASET_TITLE, MEMBER_NAME, FIELD_TITLE, INDICATOR, NOTE, PUBLISHER]


def _yaml(value: str) -> str:
    """A YAML double-quoted scalar (JSON is a YAML subset)."""
    import json

    return json.dumps(value, ensure_ascii=False)


def _csv(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def hostile_datasets(target: Path) -> Path:
    """A copy of the valid fixture's datasets/ with the payloads in place. Returns the new datasets/."""
    datasets = target / "datasets"
    shutil.copytree(VALID / "datasets", datasets)
    figures = datasets / "figures" / "datapackage.yaml"
    _edit(figures, "\ntitle: Số liệu\n", f"\ntitle: {_yaml(DATASET_TITLE)}\n")
    _edit(figures, "\ndescription: Số liệu giả định dùng để kiểm thử.\n", f"\ndescription: {_yaml(DESCRIPTION)}\n")
    _edit(figures, "    title: Figures\n", f"    title: {_yaml(SCRIPT + ' | en')}\n")
    _edit(figures, "keywords: [kinh tế, economy]", f"keywords: [{_yaml(IMG)}, {_yaml('{{ config }}')}]")
    _edit(
        figures, "    title: Creative Commons Attribution 4.0 International\n", f"    title: {_yaml(LICENSE_TITLE)}\n"
    )
    _edit(figures, "    title: Số liệu theo địa phương\n", f"    title: {_yaml('*Số* liệu ' + SCRIPT)}\n")
    _edit(figures, "          title: Giá trị\n", f"          title: {_yaml(FIELD_TITLE)}\n")
    # A third column of indicators: a hostile field name (also the CSV header), title and description.
    _edit(
        figures,
        "        - name: title\n          type: string\n          title: Tên chỉ tiêu\n",
        "        - name: title\n          type: string\n          title: Tên chỉ tiêu\n"
        f"          description: {_yaml(DESCRIPTION)}\n",
    )
    with figures.open("a", encoding="utf-8") as handle:
        handle.write(
            f"        - name: {_yaml(FIELD_NAME)}\n"
            "          type: string\n"
            f"          title: {_yaml(FIELD_TITLE)}\n"
            f"          description: {_yaml(NOTE)}\n"
        )
    indicators = datasets / "figures" / "indicators.csv"
    rows = indicators.read_text(encoding="utf-8").splitlines()
    rows[0] += "," + _csv(FIELD_NAME)
    rows[1] = f"production-value,{_csv(INDICATOR)},{_csv(NOTE)}"
    rows[2] += "," + _csv("line one\nline two | `tick` " + SCRIPT)
    rows[3] += "," + _csv(DESCRIPTION.replace("\n", " "))
    indicators.write_text("\n".join(rows) + "\n", encoding="utf-8")

    members = datasets / "members" / "members.csv"
    _edit(members, "alpha,Alpha,Huyện Alpha,", f"alpha,{_csv(MEMBER_NAME)},{_csv('Huyện ' + IMG)},")
    sources = datasets / "sources" / "sources.csv"
    _edit(sources, "Báo Ví Dụ,", f"{_csv(PUBLISHER)},")
    _edit(sources, "https://example.org/tong-ket-2023.html", _csv(SOURCE_URL))
    return datasets


def build_hostile(base: Path) -> Path:
    """The project built into ``base/hostile`` (once: reused if already there). Returns its site/."""
    root = base / "hostile"
    if not (root / "site" / "index.html").is_file():
        shutil.rmtree(root, ignore_errors=True)
        copy_project(root, hostile_datasets(base / "hostile-data"))
        checked, report = build(root)
        assert report is not None, [(i.as_tuple(), i.message) for i in checked.issues if i.is_error]
    return root / "site"


def build_baseline(base: Path) -> Path:
    """The same fixture without payloads, built into ``base/baseline``."""
    root = base / "baseline"
    if not (root / "site" / "index.html").is_file():
        shutil.rmtree(root, ignore_errors=True)
        copy_project(root, VALID / "datasets")
        checked, report = build(root)
        assert report is not None, [(i.as_tuple(), i.message) for i in checked.issues if i.is_error]
    return root / "site"
