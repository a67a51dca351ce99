"""Rendering: the valid fixture's pages compared byte for byte with tests/golden/valid/, and the template
environment's rules (undefined names fail; only ``Md`` is printed as it is).

Regenerate the golden pages after an intended change with ``pytest tests/test_render.py --update-golden``,
then review the diff of tests/golden/ like any other change.
"""

from __future__ import annotations

import datetime
import difflib
import hashlib
import json
import pickle
import re
import shutil
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import markdown
import pytest
import yaml

from generator.build import generate
from generator.mdsafe import Md
from generator.outputs import held
from generator.outputs.held import Blobs
from generator.outputs.render import Pages, Site, environment

from conftest import FIXTURES

VALID = FIXTURES / "valid"
GOLDEN = Path(__file__).resolve().parent / "golden" / "valid"
TEMPLATES = ("about", "catalogue", "dataset", "home", "member", "members")


def render(root: Path) -> Site:
    checked, site = generate(root)
    assert site is not None, [i.as_tuple() for i in checked.issues]
    return site


def golden_pages() -> set[str]:
    return {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file()}


# --- golden pages --------------------------------------------------------------------------------------------


def test_pages_match_golden(valid: Path, update_golden: bool) -> None:
    site = render(valid)
    if update_golden:
        for stale in golden_pages() - set(site.pages):
            (GOLDEN / stale).unlink()
        for folder in sorted((p for p in GOLDEN.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
            if not any(folder.iterdir()):
                folder.rmdir()
        for path, text in site.pages.items():
            target = GOLDEN / path
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.is_file() or target.read_bytes() != text.encode("utf-8"):
                target.write_bytes(text.encode("utf-8"))
        return
    assert sorted(site.pages) == sorted(golden_pages()), "pages differ from tests/golden/valid: see --update-golden"
    different = [path for path, text in site.pages.items() if (GOLDEN / path).read_bytes() != text.encode("utf-8")]
    if different:
        path = different[0]
        diff = difflib.unified_diff(
            (GOLDEN / path).read_text(encoding="utf-8").splitlines(keepends=True),
            site.pages[path].splitlines(keepends=True),
            fromfile=f"golden/valid/{path}",
            tofile=f"rendered/{path}",
        )
        pytest.fail(f"{len(different)} page(s) differ from the golden ones: {different}\n" + "".join(diff))


def test_published_files_are_the_validated_files(valid: Path) -> None:
    """The data files are published as they were validated (copied from datasets/); every other published
    file is one the generator made (kept in .cache/exports/, and the link-preview cards in .cache/cards/)."""
    site = render(valid)
    datasets = (valid / "datasets").resolve()
    copied = {
        path: source.resolve() for path, source in site.files.items() if source.resolve().is_relative_to(datasets)
    }
    made = [source for source in site.files.values() if not source.resolve().is_relative_to(datasets)]
    assert made and all(
        source.parent.name in ("exports", "cards") and source.parent.parent.name == ".cache" for source in made
    )
    assert any(source.parent.name == "cards" for source in made)
    assert copied == {
        f"du-lieu/{name}/{file}": (valid / "datasets" / name / file).resolve()
        for name, files in {
            "figures": ("datapackage.yaml", "figures.csv", "indicators.csv"),
            "members": ("datapackage.yaml", "members.csv"),
            "sources": ("datapackage.yaml", "sources.csv"),
        }.items()
        for file in files
    }


def test_rendering_is_deterministic(valid: Path, tmp_path: Path) -> None:
    """Same input, same bytes: twice in a row, and from a copy somewhere else (no absolute path leaks)."""
    first = render(valid)
    second = render(valid)
    shutil.copytree(VALID, tmp_path / "elsewhere")
    moved = render(tmp_path / "elsewhere")
    assert list(first.pages.items()) == list(second.pages.items()) == list(moved.pages.items())
    assert list(first.files) == list(second.files) == list(moved.files)
    for text in first.pages.values():
        assert str(valid) not in text and str(tmp_path) not in text
        assert "\r" not in text and text.endswith("\n") and not text.endswith("\n\n\n")


def test_pages_have_no_clock_time(valid: Path) -> None:
    today = datetime.date.today()
    for path, text in render(valid).pages.items():
        for written in (today.isoformat(), f"{today.day} tháng {today.month}, {today.year}"):
            assert written not in text, path


# --- what the pages say ----------------------------------------------------------------------------------------


def test_a_more_than_figure_is_never_shown_as_exact(valid: Path) -> None:
    for path, text in render(valid).pages.items():
        if path == "gioi-thieu.md":  # explains "hơn 90.497 ha" in prose
            continue
        rest = text
        while "90.497" in rest:
            before, _, rest = rest.partition("90.497")
            assert before.endswith(("hơn ", "hơn\u00a0")), (path, before[-40:])


def test_different_price_bases_are_flagged(valid: Path) -> None:
    pages = render(valid).pages
    note = "Các giá trị theo loại giá khác nhau không so sánh, xếp hạng hay cộng dồn trực tiếp được."
    assert note in pages["du-lieu/figures/index.md"]
    # alpha's own page shows a single price basis for that indicator: nothing to compare there
    assert note not in pages["dia-phuong/alpha.md"]
    assert "“hơn”" in pages["dia-phuong/alpha.md"]


def test_every_member_has_a_page_linked_from_the_index(valid: Path) -> None:
    pages = render(valid).pages
    assert {p for p in pages if p.startswith("dia-phuong/")} == {
        "dia-phuong/index.md",
        "dia-phuong/alpha.md",
        "dia-phuong/beta.md",
    }
    assert "(<alpha.md>)" in pages["dia-phuong/index.md"]
    assert "(<beta.md>)" in pages["dia-phuong/index.md"]


def test_the_members_index_does_not_claim_five_members(valid: Path) -> None:
    page = render(valid).pages["dia-phuong/index.md"]
    assert "Năm thành viên" not in page


class _Html(HTMLParser):
    """Elements, visible text and, for each table, the number of cells of each row."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.tables: list[list[int]] = []
        self.text: list[str] = []
        self.feed(source)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append(0)
        elif tag in ("td", "th"):
            self.tables[-1][-1] += 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)


HOSTILE_EDITS = {
    "datasets/members/members.csv": [
        ("beta,Đak Beta,Thị xã Đăk Beta,", 'beta,<script>alert(1)</script> | x,"[x](javascript:alert(1))\n# h",')
    ],
    "datasets/figures/indicators.csv": [("sown-area,Diện tích gieo trồng", 'sown-area,"a | b\n| c | d |"')],
    "datasets/sources/sources.csv": [("Báo Ví Dụ", '"*Báo* _Ví_ `Dụ` {: onclick=""x"" }"')],
    "datasets/figures/datapackage.yaml": [
        ("\ntitle: Số liệu\n", "\ntitle: 'Số liệu <img src=x onerror=alert(1)>'\n"),
        ("description: Số liệu giả định dùng để kiểm thử.\n", "description: '1. {{ x }} - <b>'\n"),
        ("title: Năm\n", "title: '| Năm |'\n"),
    ],
}


def test_hostile_values_arrive_as_text_on_every_page(tmp_path: Path) -> None:
    """Every value from a data file reaches a page through the escaping module, wherever it is printed."""
    root = tmp_path / "hostile"
    shutil.copytree(VALID, root)
    for file, replacements in HOSTILE_EDITS.items():
        path = root / file
        text = path.read_text(encoding="utf-8")
        for old, new in replacements:
            assert old in text, (file, old)
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")

    pages = render(root).pages
    shown = ""
    for path, text in pages.items():
        # MkDocs reads the front matter as YAML data (never Markdown) and renders only the rest
        front, body = text[4:].split("\n---\n", 1) if text.startswith("---\n") else ("", text)
        assert isinstance(yaml.safe_load(front) or {}, dict), path
        page = _Html(markdown.markdown(body, extensions=["tables", "admonition", "md_in_html", "toc"]))  # mkdocs.yml's
        tags = [tag for tag, _ in page.elements]
        assert not {"script", "img", "ol", "em", "strong"} & set(tags), path
        # code only in the citation blocks and the SHA-256 of downloads, both written by the generator
        hashes = len(re.findall(r"`[0-9a-f]{64}`", text))
        assert tags.count("code") == tags.count("pre") + hashes, path
        assert tags.count("h1") == 1, path
        for tag, attrs in page.elements:
            assert not any(name.startswith("on") for name in attrs), (path, tag, attrs)
            assert not (attrs.get("href") or "").startswith("javascript:"), (path, attrs)
        for table in page.tables:  # every row has as many cells as the header
            assert len(set(table)) == 1, (path, table)
        shown += "".join(page.text)
    for value in (
        "<script>alert(1)</script> | x",
        "[x](javascript:alert(1)) # h",
        "a | b | c | d |",
        '*Báo* _Ví_ `Dụ` {: onclick="x" }',
        "Số liệu <img src=x onerror=alert(1)>",
        "1. {{ x }} - <b>",
        "| Năm |",
    ):
        assert value in shown, value


# --- the template environment ------------------------------------------------------------------------------


def test_an_undefined_name_fails() -> None:
    env = environment()
    with pytest.raises((jinja2.UndefinedError, TypeError)):
        env.from_string("{{ missing }}").render()
    with pytest.raises((jinja2.UndefinedError, TypeError)):
        env.from_string("{{ thing.missing }}").render(thing={})
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{% if missing %}x{% endif %}").render()
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{% for x in missing %}{% endfor %}").render()
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing | length }}").render()


def test_printing_an_undefined_name_says_which_name() -> None:
    with pytest.raises(jinja2.UndefinedError, match="missing"):
        environment().from_string("{{ missing }}").render()


@pytest.mark.parametrize("name", TEMPLATES)
def test_every_page_template_needs_its_variables(name: str) -> None:
    with pytest.raises((jinja2.UndefinedError, TypeError)):
        environment().get_template(f"{name}.md.j2").render()


def test_a_plain_string_is_escaped_and_md_is_not() -> None:
    template = environment().from_string("{{ s }} / {{ m }}")
    assert template.render(s="*x* <b>|", m=Md("*x*")) == "\\*x\\* &lt;b&gt;\\| / *x*"


def test_an_integer_is_printed() -> None:
    assert environment().from_string("{{ n }}").render(n=2023) == "2023"


@pytest.mark.parametrize(
    "value",
    [Decimal("2735.764"), 2735.764, True, None, datetime.date(2025, 7, 1), ["a"]],
    ids=["Decimal", "float", "bool", "None", "date", "list"],
)
def test_an_unformatted_value_fails(value: object) -> None:
    """Numbers and dates are formatted in Python (Vietnamese style) before a template prints them."""
    with pytest.raises(TypeError):
        environment().from_string("{{ v }}").render(v=value)


def test_pages_are_held_compressed_and_read_back_whole() -> None:
    text = "Đak Đoa | <script>alert(1)</script>\n" * 2000
    pages = Pages([("b.md", text), ("a.md", "x")])
    assert pages["b.md"] == text and pages.encoded("b.md") == text.encode("utf-8")
    assert list(pages) == ["b.md", "a.md"] and list(pages.in_order()) == ["a.md", "b.md"]
    assert dict(pages.in_order().items()) == {"a.md": "x", "b.md": text}
    assert sum(size for _, size, _ in pages._encoded._held.values()) < len(text.encode("utf-8")) / 10
    assert pages.digest("b.md") == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_a_page_moves_as_it_is_held_without_being_compressed_or_hashed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """A language's pages go into the site's, and a kept dataset page comes back from the cache, as held."""
    text = "Đak Đoa | <script>alert(1)</script>\n" * 2000
    pages = Pages([("a.md", text)])
    packed = pages.packed("a.md")
    assert packed == held.pack(text.encode("utf-8"))

    def refused(*args: object) -> None:
        raise AssertionError("compressed or hashed again")

    monkeypatch.setattr(held.zlib, "compress", refused)
    monkeypatch.setattr(held.hashlib, "sha256", refused)
    site = Pages()
    site.put_packed("en/a.md", packed)
    assert site["en/a.md"] == text and site.digest("en/a.md") == pages.digest("a.md")


def test_generated_files_are_held_compressed_and_read_back_whole() -> None:
    data = json.dumps([{"@id": f"https://example.org/du-lieu/{i}", "title": "Đak Pơ"} for i in range(2000)]).encode()
    blobs = Blobs([("b.jsonld", data), ("a.png", bytes(range(256)))])
    assert blobs["b.jsonld"] == data and blobs["a.png"] == bytes(range(256))
    assert list(blobs) == ["b.jsonld", "a.png"] and list(blobs.in_order()) == ["a.png", "b.jsonld"]
    copied = blobs.copy()
    copied["c.json"] = b"{}"
    del copied["a.png"]
    assert list(blobs) == ["b.jsonld", "a.png"] and dict(copied.items()) == {"b.jsonld": data, "c.json": b"{}"}
    assert sum(size for _, size, _ in blobs._held.values()) < len(data) / 10
    assert copied.digest("c.json") == hashlib.sha256(b"{}").hexdigest() and copied.digest("b.jsonld") == (
        hashlib.sha256(data).hexdigest()
    )
    assert blobs._file is not None and blobs._file is copied._file  # on disk, once, not in this process
    assert pickle.loads(pickle.dumps(copied)) == copied
