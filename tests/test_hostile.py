"""Hostile input, round two: nothing that validates may break a build, collide outputs or publish a file its
format's parser rejects; what the build could not make, validate rejects with file, row and field.

Each case starts from the small valid fixture (``tests/fixtures/valid``), copied to a temporary folder."""

from __future__ import annotations

import datetime
import io
import json
import os
import shutil
import subprocess
import time
from decimal import Decimal
from pathlib import Path

import feedparser
import openpyxl
import pytest

from generator.build import build, check
from generator.issues import Message
from generator.read.history import dataset_histories

from conftest import FIXTURES, copy_project, cp1258
from published import unparsable

VALID = FIXTURES / "valid"
FIGURES_YAML = "datasets/figures/datapackage.yaml"
FIGURES_CSV = "datasets/figures/figures.csv"
INDICATORS_CSV = "datasets/figures/indicators.csv"
EXTRA_YAML = "datasets/extra/datapackage.yaml"
EXTRA_CSV = "datasets/extra/extra.csv"

Tuple = tuple[str | None, str, int | None, str | None, str]


def project(tmp_path: Path, files: dict[str, str | bytes] | None = None) -> Path:
    """The valid fixture as a project (mkdocs.yml, docs, overrides), with ``files`` written into it."""
    root = copy_project(tmp_path / "project", VALID / "datasets")
    for name, data in (files or {}).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return root


def edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {name}: the fixture changed"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def errors(root: Path) -> set[Tuple]:
    issues = check(root).issues
    for issue in issues:
        assert isinstance(issue.what, Message) and isinstance(issue.fix, Message), issue
        assert all(c.isprintable() for text in issue.text("en") for c in text), issue
    return {i.as_tuple() for i in issues if i.is_error}


def extra(fields: str, rows: str, title: str = "Bảng thử") -> dict[str, str | bytes]:
    """A dataset ``extra`` of one table with the given schema fields (YAML flow mappings, one a line)."""
    descriptor = f"""name: extra
title: "{title}"
translations: {{en: {{title: Test table}}}}
licenses:
  - name: CC-BY-4.0
    path: https://creativecommons.org/licenses/by/4.0/
resources:
  - name: extra
    title: "{title}"
    translations: {{en: {{title: Test table}}}}
    path: extra.csv
    format: csv
    mediatype: text/csv
    encoding: utf-8
    schema:
      fields:
""" + "".join(f"        - {field}\n" for field in fields.strip().splitlines())
    return {EXTRA_YAML: descriptor, EXTRA_CSV: rows}


def field(name: str, kind: str) -> str:
    return f"{{name: {name}, type: {kind}, title: {name}, translations: {{en: {{title: {name}}}}}}}"


def built(root: Path) -> Path:
    checked, report = build(root)
    assert report is not None, sorted(i.as_tuple() for i in checked.issues if i.is_error)
    site = root / "site"
    assert list(unparsable(site)) == []
    return site


# --- what validate accepts, build builds, and every file parses --------------------------------------------------

HOSTILE_ROWS = (
    "code,amount,at,note\n"
    '12345678901234567890123456789,1e308,2024-01-01T10:00:00+07:00,"<script>alert(1)</script> & ]]> \U0001f600"\n'
    '-98765432109876543210987654321,-1.5e-300,2024-06-30T23:59:59Z,"dòng 1\ndòng 2 | ô"\n'
    '0,0.1234567890123456789012345,2024-01-02T00:00:00,"""trích dẫn"" , phẩy"\n'
)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    fields = "\n".join((field("code", "integer"), field("amount", "number"), field("at", "datetime")))
    fields += "\n" + field("note", "string")
    root = project(tmp_path_factory.mktemp("hostile"), extra(fields, HOSTILE_ROWS))
    assert errors(root) == set()
    return built(root)


def test_long_and_huge_numbers_and_zoned_datetimes_build_and_every_file_parses(hostile_site: Path) -> None:
    records = json.loads((hostile_site / "du-lieu/extra/extra.json").read_text(encoding="utf-8"))
    rows = records["data"] if isinstance(records, dict) else records
    assert rows[0]["code"] == 12345678901234567890123456789  # every digit, as a JSON number
    assert rows[0]["at"] == "2024-01-01T10:00:00+07:00"  # the offset kept
    book = openpyxl.load_workbook(io.BytesIO((hostile_site / "du-lieu/extra/extra.xlsx").read_bytes()))
    sheet = book.worksheets[0]
    assert sheet["A2"].value == "12345678901234567890123456789"  # text: a spreadsheet would round it to 15 digits
    assert sheet["C2"].value == "2024-01-01T10:00:00+07:00"  # text: a spreadsheet's dates have no time zone
    assert sheet["C4"].value == datetime.datetime(2024, 1, 2)  # a date and time without zone stays a date
    assert Decimal(str(sheet["B2"].value)) == Decimal("1e308")
    page = (hostile_site / "du-lieu/extra/index.html").read_text(encoding="utf-8")
    assert "12.345.678.901.234.567.890.123.456.789" in page  # every digit, grouped the Vietnamese way
    assert "<script>alert(1)</script>" not in page


def test_the_feeds_parse_as_xml_and_as_atom(hostile_site: Path) -> None:
    for feed in ("feed.xml", "en/feed.xml"):
        parsed = feedparser.parse((hostile_site / feed).read_bytes())
        assert not parsed.bozo, parsed.bozo_exception


def test_the_file_check_itself_rejects_what_it_must(tmp_path: Path) -> None:
    """The checker used above can fail: NaN in JSON, a control character in XML, a ragged CSV, a bad ZIP."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "a.json").write_text('{"x": NaN}', encoding="utf-8")
    (site / "b.xml").write_text("<feed>\x01</feed>", encoding="utf-8")
    (site / "c.csv").write_text("a,b\n1\n", encoding="utf-8")
    (site / "d.zip").write_bytes(b"PK\x03\x04 not an archive")
    (site / "e.xlsx").write_bytes(b"not a workbook")
    (site / "f.bin").write_bytes(b"?")
    assert [line.split(":")[0] for line in unparsable(site)] == ["a.json", "b.xml", "c.csv", "d.zip", "e.xlsx", "f.bin"]


# --- what build could not make, validate rejects --------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "kind"),
    [("NaN", "number"), ("INF", "number"), ("-INF", "number"), ("1e400", "number"), ("9" * 400, "integer")],
)
def test_numbers_no_format_can_hold_are_rejected_with_row_and_field(cell: str, kind: str, tmp_path: Path) -> None:
    root = project(tmp_path, extra(field("n", kind), f"n\n1\n{cell}\n"))
    assert errors(root) == {("extra", EXTRA_CSV, 3, "n", "number-out-of-range")}


@pytest.mark.parametrize("char", ["\ufffe", "\uffff", "\ufdd0", "\U0001fffe"])
def test_noncharacters_are_rejected_in_cells_and_descriptors(char: str, tmp_path: Path) -> None:
    escaped = f"\\U{ord(char):08X}"  # YAML's escape: the descriptor itself stays valid YAML
    root = project(tmp_path / "descriptor", extra(field("s", "string"), "s\nô\n", title=f"Bảng {escaped}"))
    assert errors(root) == {
        ("extra", EXTRA_YAML, None, "title", "noncharacter"),
        ("extra", EXTRA_YAML, None, "resources[0].title", "noncharacter"),
    }
    root = project(tmp_path / "cell", extra(field("s", "string"), f"s\nô{char}\n"))
    assert errors(root) == {("extra", EXTRA_CSV, 2, "s", "noncharacter")}


def test_an_indicator_id_that_would_leave_its_folder_is_rejected(tmp_path: Path) -> None:
    root = project(tmp_path)
    edit(root, FIGURES_CSV, "beta,plan-share", "beta,../plan-share")
    edit(root, INDICATORS_CSV, "plan-share,", "../plan-share,")
    found = errors(root)
    assert ("figures", FIGURES_CSV, 5, "indicator_id", "unsafe-name") in found
    assert not any(t[3] == "indicator_id" and t[4] != "unsafe-name" for t in found), found


# --- no two outputs on one path ---------------------------------------------------------------------------------


def _resources(*paths: str) -> dict[str, str | bytes]:
    descriptor = "name: extra\ntitle: Thử\ntranslations: {en: {title: Test}}\nlicenses:\n"
    descriptor += "  - {name: CC-BY-4.0, path: 'https://creativecommons.org/licenses/by/4.0/'}\nresources:\n"
    files: dict[str, str | bytes] = {}
    for index, path in enumerate(paths):
        descriptor += (
            f"  - name: r{index}\n    title: T\n    translations: {{en: {{title: T}}}}\n    path: {path}\n"
            f"    format: csv\n    mediatype: text/csv\n    encoding: utf-8\n"
            f"    schema: {{fields: [{field('n', 'number')}]}}\n"
        )
        files[f"datasets/extra/{path}"] = "n\n1\n"
    files[EXTRA_YAML] = descriptor
    return files


@pytest.mark.parametrize(
    ("paths", "blamed"),
    [
        (("x.csv", "x.excel.csv"), 1),  # the Excel copy of x.csv is x.excel.csv
        (("datapackage.csv",), 0),  # its JSON copy would replace the generated datapackage.json
        (("y.json/z.csv", "y.csv"), 1),  # y.csv's JSON copy is a file where z.csv needs a folder
        (("extra.csv", "extra.zip/a.csv"), 1),  # the dataset's archive is a file where a.csv needs a folder
    ],
)
def test_two_outputs_on_one_path_are_a_validate_error_naming_both(
    paths: tuple[str, ...], blamed: int, tmp_path: Path
) -> None:
    root = project(tmp_path, _resources(*paths))
    issues = [i for i in check(root).issues if i.code == "output-collision"]
    assert {i.as_tuple() for i in issues} == {
        ("extra", EXTRA_YAML, None, f"resources[{blamed}].path", "output-collision")
    }
    message = issues[0].text("en")[0]
    assert message.count("resource 'r") + message.count("generated") + message.count("archive") == 2, message


def test_one_indicator_in_two_tables_of_a_dataset_is_a_collision(tmp_path: Path) -> None:
    root = project(tmp_path)
    yaml_text = (root / FIGURES_YAML).read_text(encoding="utf-8")
    first = yaml_text.index("  - name: figures")
    second = yaml_text.index("  - name: indicators")
    copy = yaml_text[first:second].replace("name: figures", "name: figures-again", 1)
    copy = copy.replace("path: figures.csv", "path: figures-again.csv", 1)
    (root / FIGURES_YAML).write_text(yaml_text[:second] + copy + yaml_text[second:], encoding="utf-8")
    lines = (root / FIGURES_CSV).read_text(encoding="utf-8").splitlines(keepends=True)
    (root / "datasets/figures/figures-again.csv").write_text(lines[0] + lines[1], encoding="utf-8")
    assert ("figures", "datasets/figures/figures-again.csv", 2, "indicator_id", "output-collision") in errors(root)


def test_two_datasets_may_share_an_indicator_id_without_sharing_charts(tmp_path: Path) -> None:
    root = project(tmp_path)
    shutil.copytree(root / "datasets/figures", root / "datasets/figures-copy")
    edit(root, "datasets/figures-copy/datapackage.yaml", "name: figures\n", "name: figures-copy\n")
    site = built(root)
    for dataset in ("figures", "figures-copy"):
        assert (site / f"so-sanh/bieu-do/{dataset}/production-value/2023.svg").is_file()
        assert (site / f"dia-phuong/bieu-do/alpha/{dataset}/production-value/cac-nam.svg").is_file()


# --- history: any commit git can store ----------------------------------------------------------------------------


def _git(root: Path, *args: str, data: bytes | None = None) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    result = subprocess.run(["git", *args], cwd=root, env=env, input=data, check=True, capture_output=True)
    return result.stdout.decode("utf-8", "replace").strip()


def _raw_commit(root: Path, author: bytes, committer: bytes, message: bytes) -> None:
    """Commit the index as git stores any commit object, whatever its header and message hold."""
    tree, parent = _git(root, "write-tree"), _git(root, "rev-parse", "HEAD")
    raw = b"tree %s\nparent %s\nauthor %s\ncommitter %s\n\n%s\n" % (
        tree.encode(),
        parent.encode(),
        author,
        committer,
        message,
    )
    commit = _git(root, "hash-object", "-t", "commit", "--literally", "-w", "--stdin", data=raw)
    _git(root, "update-ref", "HEAD", commit)


def _change_a_value(root: Path, old: str, new: str) -> None:
    edit(root, FIGURES_CSV, old, new)
    _git(root, "add", "-A")


@pytest.fixture(scope="module")
def hostile_history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = project(tmp_path_factory.mktemp("history"))
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "Initial data")
    # separators of a log format, a NUL and a newline in the message; an impossible time zone
    _change_a_value(root, "portal,3;4,", "portal,4,")
    _raw_commit(root, b"t <t@x> 1700000000 +9999", b"t <t@x> 1700000000 +0700", b"a\x1eb\x1fc\x00d\ne\x01")
    # an author date beyond the year 9999; the committer's is shown instead
    _change_a_value(root, "portal,4,", "portal,3;4,")
    _raw_commit(root, b"t <t@x> 300000000000 +0000", b"t <t@x> 1700003600 +0000", b"far future author")
    # no date Python can represent at all, and a date that overflows every integer type
    _change_a_value(root, "portal,3;4,", "portal,4,")
    _raw_commit(root, b"t <t@x> 99999999999999999999999 +0000", b"t <t@x> 300000000000 -0130", b"no date")
    # a file name that is not UTF-8 and holds a line break, added then removed
    (root / STRAY).write_bytes(b"a\x01b\n1\n")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "stray file")
    (root / STRAY).unlink()
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "stray file removed")
    return root


STRAY = "datasets/figures/" + os.fsdecode(b"n\xe9w\nfile.csv")


def test_history_reads_any_commit_git_can_store(hostile_history: Path) -> None:
    changes = dataset_histories(hostile_history)["figures"]
    assert [c.subject for c in changes][-2:] == ["a b c d e", "Initial data"]  # separators and NUL read as text
    dates = [c.date for c in changes]
    assert len(changes) == 6 and dates[2] is None  # neither date can be shown: listed, undated
    assert dates[3] == datetime.date(2023, 11, 14)  # the committer's date, for an author date in year 11476
    assert changes[4].time == "2023-11-14T22:13:20+00:00"  # an offset beyond a day is read as UTC
    assert all(c.isprintable() for change in changes for c in change.subject)
    stray = [t for change in changes[:2] for t in change.tables]
    assert [(t.created, t.deleted) for t in stray] == [(False, True), (True, False)]
    assert all(c.isprintable() for t in stray for c in t.path)


def test_a_hostile_history_still_validates_and_builds(hostile_history: Path) -> None:
    site = built(hostile_history)
    page = (site / "du-lieu/figures/index.html").read_text(encoding="utf-8")
    assert "không rõ ngày" in page
    assert "date unknown" in (site / "en/du-lieu/figures/index.html").read_text(encoding="utf-8")
    dated = sum(1 for changes in dataset_histories(hostile_history).values() for c in changes if c.date)
    for feed in ("feed.xml", "en/feed.xml"):
        parsed = feedparser.parse((site / feed).read_bytes())
        assert not parsed.bozo and len(parsed.entries) == dated  # an undated change is not in the feeds


def test_an_old_descriptor_nested_too_deep_does_not_break_the_history(tmp_path: Path) -> None:
    """The history reads each commit's descriptor to find its tables' keys: an old one is read with the same
    guards as the current one. It was ``yaml.safe_load``, whose composer recursed into 5,000 nested lists
    until a RecursionError stopped the build with a traceback."""
    root = project(tmp_path)
    _git(root, "init", "-q", "-b", "main")
    good = (root / FIGURES_YAML).read_text(encoding="utf-8")
    (root / FIGURES_YAML).write_text(good + "deep: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "descriptor nested too deep")
    _change_a_value(root, "portal,3;4,", "portal,4,")
    _git(root, "commit", "-q", "-m", "a value")
    (root / FIGURES_YAML).write_text(good, encoding="utf-8")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "nesting removed")
    start = time.perf_counter()
    changes = dataset_histories(root)["figures"]
    assert time.perf_counter() - start < 10
    assert [c.subject for c in changes] == ["nesting removed", "a value", "descriptor nested too deep"]
    assert [t.path for t in changes[1].tables] == ["figures.csv"]


# --- legacy encodings -------------------------------------------------------------------------------------------


def test_a_declared_windows_1258_file_gets_a_fix_that_can_be_followed(tmp_path: Path) -> None:
    """Windows-1258 keeps Vietnamese tone marks apart, so its text is never NFC: the hint says to save the
    file as UTF-8, not to "convert to NFC", which that code page cannot hold."""
    root = project(tmp_path)
    edit(
        root,
        FIGURES_YAML,
        "    path: indicators.csv\n    format: csv\n    mediatype: text/csv\n    encoding: utf-8\n",
        "    path: indicators.csv\n    format: csv\n    mediatype: text/csv\n    encoding: windows-1258\n",
    )
    (root / INDICATORS_CSV).write_bytes(cp1258((VALID / "datasets/figures/indicators.csv").read_text(encoding="utf-8")))
    issues = [i for i in check(root).issues if i.is_error]
    assert {i.as_tuple() for i in issues} == {
        ("figures", INDICATORS_CSV, n, "title", "text-not-nfc") for n in (2, 3, 4)
    }
    for issue in issues:
        english, vietnamese = issue.text("en")[1], issue.text("vi")[1]
        assert "Save datasets/figures/indicators.csv as UTF-8" in english and "'windows-1258'" in english
        assert "normalize" not in english and "UTF-8" in vietnamese
    # and once saved as UTF-8, as the hint says, the file is valid
    edit(root, FIGURES_YAML, "encoding: windows-1258", "encoding: utf-8")
    shutil.copy(VALID / "datasets/figures/indicators.csv", root / INDICATORS_CSV)
    assert errors(root) == set()
