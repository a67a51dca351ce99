"""Large tables: never held in memory, shown as a preview with every column summarised, published as CSV.

The limits are lowered for the test (``config.FULL_TABLE_ROWS``, ``config.PREVIEW_ROWS``) so that a table of
a few hundred rows stands for a million: the code paths are the same.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import zipfile
from array import array
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from frictionless import Package
from hypothesis import given
from hypothesis import strategies as st

from generator import config
from generator.build import build, check
from generator.check import large
from generator.models import Resource
from generator.publish import mdext, stamp
from generator.read import guard
from generator.read.guard import encodings

from conftest import FIXTURES, ROOT, copy_project, in_fresh_python

ROWS = 400
DESCRIPTOR = """\
name: survey
title: Khảo sát
description: Một bảng lớn để thử.
version: 1.0.0
licenses:
  - name: CC-BY-4.0
    path: https://creativecommons.org/licenses/by/4.0/
    title: Creative Commons Attribution 4.0 International
translations:
  en: {title: Survey, description: A large table to try.}
resources:
  - name: answers
    path: answers.csv
    title: Phiếu
    translations: {en: {title: Answers}}
    schema:
      primaryKey: [id]
      fields:
        - {name: id, type: integer, title: Mã, translations: {en: {title: ID}}}
        - {name: place, type: string, title: Địa bàn, translations: {en: {title: Place}}}
        - {name: surveyed, type: date, title: Ngày, translations: {en: {title: Date}}}
        - name: value
          type: number
          title: Giá trị
          translations: {en: {title: Value}}
          constraints: {minimum: 0}
        - {name: member_id, type: string, title: Địa phương, translations: {en: {title: Member}}}
        - name: code
          type: string
          title: Mã phụ
          translations: {en: {title: Code}}
          constraints: {unique: true}
      foreignKeys:
        - fields: [member_id]
          reference: {package: members, resource: members, fields: [id]}
"""


def _write_survey(
    datasets: Path,
    rows: int = ROWS,
    bad_row: int | None = None,
    bad_text: str = "",
    edits: dict[int, dict[int, str]] | None = None,
    delimiter: str = ",",
) -> Path:
    """``edits``: data row number (1 = the first row after the header) -> column -> text. With another
    ``delimiter`` than ``,``, the descriptor declares it."""
    folder = datasets / "survey"
    folder.mkdir()
    descriptor = DESCRIPTOR
    if delimiter != ",":
        descriptor = descriptor.replace(
            "    path: answers.csv\n", f"    path: answers.csv\n    dialect: {{delimiter: '{delimiter}'}}\n"
        )
    (folder / "datapackage.yaml").write_text(descriptor, encoding="utf-8")
    with (folder / "answers.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n", delimiter=delimiter)
        writer.writerow(["id", "place", "surveyed", "value", "member_id", "code"])
        for i in range(1, rows + 1):
            place = bad_text if i == bad_row else f"Xã {i % 37}"
            row = [
                str(i),
                place,
                f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
                f"{i * 1.5:.2f}",
                "alpha" if i % 2 else "beta",
                f"c{i}",
            ]
            for column, text in (edits or {}).get(i, {}).items():
                row[column] = text
            writer.writerow(row)
    return folder


@pytest.fixture
def small_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config, "FULL_TABLE_ROWS", 100)
    monkeypatch.setattr(config, "PREVIEW_ROWS", 10)


@pytest.fixture
def large_project(tmp_path: Path, small_limits: None) -> Path:
    project = copy_project(tmp_path / "project", FIXTURES / "valid" / "datasets")
    _write_survey(project / "datasets")
    checked, report = build(project)
    assert report is not None, [i.location() + " " + i.message for i in checked.issues if i.is_error]
    return project


def _answers(project: Path) -> Resource:
    checked = check(project)
    dataset = checked.catalogue.get("survey")
    assert dataset is not None
    resource = dataset.get_resource("answers")
    assert resource is not None
    return resource


def test_a_large_table_keeps_only_a_preview_and_a_summary(large_project: Path) -> None:
    answers = _answers(large_project)
    assert answers.large and answers.count == ROWS and len(answers.rows) == 10
    stats = {s.name: s for s in answers.stats}
    assert stats["id"].minimum == 1 and stats["id"].maximum == ROWS and stats["id"].filled == ROWS
    assert stats["value"].minimum == Decimal("1.50") and stats["value"].maximum == Decimal(f"{ROWS * 1.5:.2f}")
    assert stats["value"].total == sum(Decimal(f"{i * 1.5:.2f}") for i in range(1, ROWS + 1))
    assert stats["place"].distinct == 37 and not stats["place"].distinct_capped
    dates = sorted(f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}" for i in range(1, ROWS + 1))
    assert (str(stats["surveyed"].minimum), str(stats["surveyed"].maximum)) == (dates[0], dates[-1])


def test_the_page_shows_the_preview_and_the_summary_in_both_languages(large_project: Path) -> None:
    vi = (large_project / "site" / "du-lieu" / "survey" / "index.html").read_text(encoding="utf-8")
    en = (large_project / "site" / "en" / "du-lieu" / "survey" / "index.html").read_text(encoding="utf-8")
    assert "Bảng này có 400 dòng" in vi and "10 dòng đầu: Phiếu" in vi
    assert "This table has 400 rows" in en and "First 10 rows: Answers" in en
    assert "Xã 10" in vi and "Xã 11" not in vi  # rows 1-10 of 400 (row 11's place is Xã 11)
    assert ">600.00<" in en and ">600,00<" in vi  # the highest value, in the summary
    assert ">300.75<" in en and ">300,75<" in vi  # the mean of 1.50 ... 600.00


def test_a_large_table_is_published_as_csv_only_and_streamed(large_project: Path) -> None:
    folder = large_project / "site" / "du-lieu" / "survey"
    names = {p.name for p in folder.iterdir()}
    assert {"answers.csv", "answers.excel.csv", "datapackage.json", "survey.zip"} <= names
    assert "answers.xlsx" not in names and "answers.json" not in names
    original = (large_project / "datasets" / "survey" / "answers.csv").read_bytes()
    assert (folder / "answers.csv").read_bytes() == original
    excel = (folder / "answers.excel.csv").read_bytes()
    assert excel.startswith(b"\xef\xbb\xbf") and excel.count(b"\r\n") == ROWS + 1
    with zipfile.ZipFile(folder / "survey.zip") as archive:
        assert archive.read("survey/answers.csv") == original
    report = Package(str(folder / "datapackage.json")).validate()
    assert report.valid, report.flatten(["type", "note"])
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert any(r["path"] == "answers.excel.csv" for r in descriptor["resources"])


def test_a_bad_cell_past_the_preview_is_still_found(tmp_path: Path, small_limits: None) -> None:
    """The hostile-text checks read the whole file, not the preview the model holds."""
    project = copy_project(tmp_path / "project", FIXTURES / "valid" / "datasets")
    _write_survey(project / "datasets", bad_row=350, bad_text='=HYPERLINK("http://x")')
    checked = check(project)
    found = [i for i in checked.issues if i.code == "spreadsheet-formula"]
    assert [(i.file, i.row, i.field) for i in found] == [("datasets/survey/answers.csv", 351, "place")]


def test_exports_of_a_large_table_are_made_once(large_project: Path) -> None:
    """The CSV for Excel and the archives of a large table are written to .cache/, named by what they were
    made from: a second build reuses them, a changed byte makes new ones."""
    cache = large_project / config.CACHE_DIR / "exports"
    first = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert any(n.endswith(".excel.csv") for n in first) and any(n.endswith(".zip") for n in first)
    stamp.forget(large_project)  # a full build, not one skipped because nothing changed
    checked, report = build(large_project)
    assert report is not None and not checked.up_to_date
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == first
    table = large_project / "datasets" / "survey" / "answers.csv"
    table.write_bytes(table.read_bytes().replace(b",1.50,", b",1.75,", 1))
    assert build(large_project)[1] is not None
    assert len(set(p.name for p in cache.iterdir()) - set(first)) >= 2
    excel = io.StringIO((large_project / "site" / "du-lieu" / "survey" / "answers.excel.csv").read_text("utf-8-sig"))
    assert next(r for r in csv.reader(excel) if r[0] == "1")[3] == "1.75"


# Run in a fresh interpreter: this process may run threads left by other tests, and then nothing is forked.
_ALONGSIDE = """
import json, os, sys, time
from pathlib import Path
from generator import config, workers
from generator.build import check
from generator.outputs import exports

config.FULL_TABLE_ROWS, config.PREVIEW_ROWS = 100, 10
project, work = Path(sys.argv[1]), Path(sys.argv[2])
catalogue = check(project).catalogue
log = work / "made.jsonl"
original = exports._dataset_exports

def noted(dataset, *args):
    started = time.monotonic()
    if dataset.name == "survey":
        time.sleep(1)  # long enough for the other datasets' processes to start meanwhile
    made = original(dataset, *args)
    with log.open("a", encoding="utf-8") as out:
        out.write(json.dumps([dataset.name, os.getpid(), started, time.monotonic()]) + "\\n")
    return made

exports._dataset_exports = noted
workers.cores = lambda: 1
alone = exports.build_exports(catalogue, work / "alone")
log.unlink()
workers.cores = lambda: 2  # forked processes, whatever the machine
shared = exports.build_exports(catalogue, work / "shared")
made = {name: (pid, start, end) for name, pid, start, end in map(json.loads, log.read_text("utf-8").splitlines())}
survey = made.pop("survey")
print(json.dumps({
    "others": len(made) == len(catalogue.datasets) - 1,
    "apart": survey[0] not in {pid for pid, _, _ in made.values()} | {os.getpid()},
    "meanwhile": min(start for _, start, _ in made.values()) < survey[2],
    "same": (shared.by_dataset, shared.by_resource, shared.catalogue)
    == (alone.by_dataset, alone.by_resource, alone.catalogue)
    and dict(shared.blobs.items()) == dict(alone.blobs.items()) and shared.files.keys() == alone.files.keys()
    and all(shared.files[path].read_bytes() == alone.files[path].read_bytes() for path in alone.files),
}))
"""


def test_a_large_tables_exports_are_made_alongside_the_others_and_the_same(tmp_path: Path) -> None:
    """The exports of a dataset with a large table are begun in a process of their own, before the other
    datasets' (made in sets of forked processes): made while those are, not holding up a set of them, and the
    same files, downloads and checksums as when one process makes everything."""
    project = copy_project(tmp_path / "project", FIXTURES / "valid" / "datasets")
    _write_survey(project / "datasets")
    found = json.loads(in_fresh_python(_ALONGSIDE, str(project), str(tmp_path)).strip().splitlines()[-1])
    assert found == {"others": True, "apart": True, "meanwhile": True, "same": True}


def test_a_workbook_is_made_once_for_what_it_holds(tmp_path: Path) -> None:
    """XLSX files (openpyxl: the slowest step of rendering a small table) are kept in .cache/exports under
    the hash of what they hold: a full rebuild makes none again; a changed cell makes that table's anew,
    and what the site publishes is the workbook of the changed data."""
    project = copy_project(tmp_path / "project", FIXTURES / "valid" / "datasets")
    assert build(project)[1] is not None
    cache = project / config.CACHE_DIR / "exports"
    first = {p.name: p.stat().st_mtime_ns for p in cache.iterdir() if p.suffix == ".xlsx"}
    assert len(first) == 4  # figures, indicators, members, sources
    stamp.forget(project)
    assert build(project)[1] is not None
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir() if p.suffix == ".xlsx"} == first
    table = project / "datasets" / "figures" / "indicators.csv"
    table.write_text(table.read_text("utf-8").replace("Diện tích gieo trồng", "Diện tích lúa"), "utf-8")
    assert build(project)[1] is not None
    after = {p.name: p.stat().st_mtime_ns for p in cache.iterdir() if p.suffix == ".xlsx"}
    assert len(set(after) - set(first)) == 1 and len(set(first) - set(after)) == 1  # the old one pruned
    published = openpyxl.load_workbook(project / "site" / "du-lieu" / "figures" / "indicators.xlsx")
    assert [c.value for c in published["Dữ liệu"]["B"]][1:3] == ["Tổng giá trị sản xuất", "Diện tích lúa"]


def test_a_member_page_lists_a_bounded_number_of_datasets(
    built_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past ``config.MEMBER_PAGE_DATASETS`` datasets a member's page counts the others and links to the
    catalogue narrowed to the member; MkDocs keeps the address's query (``?members=``)."""
    project = tmp_path / "project"
    shutil.copytree(built_project, project, symlinks=True)
    stamp.forget(project)
    full = (project / "docs" / "dia-phuong" / "kbang.md").read_text(encoding="utf-8")
    datasets = full.count("Xem bộ dữ liệu")
    assert datasets >= 2 and "members=kbang" not in full
    monkeypatch.setattr(config, "MEMBER_PAGE_DATASETS", 1)
    assert build(project)[1] is not None
    page = (project / "docs" / "dia-phuong" / "kbang.md").read_text(encoding="utf-8")
    assert page.count("Xem bộ dữ liệu") == 1
    assert (
        f"Các bộ dữ liệu khác cũng có số liệu về Kbang: {datasets - 1} "
        "([xem trong danh mục](<../du-lieu/index.md?members=kbang>))." in page
    )
    html = (project / "site" / "dia-phuong" / "kbang" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../du-lieu/?members=kbang"' in html
    english = (project / "site" / "en" / "dia-phuong" / "kbang" / "index.html").read_text(encoding="utf-8")
    assert (
        f"Other datasets with data about Kbang: {datasets - 1}" in english
        and 'href="../../du-lieu/?members=kbang"' in english
    )
    monkeypatch.setattr(config, "MEMBER_PAGE_DATASETS", 20)
    monkeypatch.setattr(config, "MEMBER_PAGE_ROWS", 1)  # the first dataset is always shown, whatever its rows
    assert build(project)[1] is not None
    assert (project / "docs" / "dia-phuong" / "kbang.md").read_text(encoding="utf-8") == page


@given(st.text())
def test_the_fast_test_lets_no_problem_through(value: str) -> None:
    """``suspicious`` is what lets a large table's clean cells skip the full checks: it must say yes to
    every text the full checks would report."""
    if list(guard.cell_problems(value)):
        assert guard.suspicious(value)


def test_an_unchanged_dataset_is_not_validated_again(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", FIXTURES / "valid" / "datasets")
    first = check(project)
    assert first.checked and not first.reused
    again = check(project)
    assert again.checked == () and set(again.reused) == set(first.checked)
    assert sorted(i.as_tuple() for i in again.issues) == sorted(i.as_tuple() for i in first.issues)

    # one byte of one table: that dataset is checked again, and found wrong
    table = next((project / "datasets").glob("figures/*.csv"))
    data = table.read_bytes()
    position = data.index(b"\n") + 1  # the first character of the first data row
    table.write_bytes(data[:position] + b"\x00" + data[position + 1 :])
    changed = check(project)
    assert changed.checked == ("figures",), changed.checked
    assert not any(i.is_error for i in first.issues)
    assert any(i.is_error and i.dataset == "figures" for i in changed.issues), [i.code for i in changed.issues]

    # a dataset others refer to: they are checked again too (their foreign keys read it)
    members = project / "datasets" / "members" / "datapackage.yaml"
    members.write_text(members.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    referring = check(project)
    assert "members" in referring.checked and "figures" in referring.checked


def test_a_large_table_is_checked_piece_by_piece_and_its_keys_over_the_whole_file(
    tmp_path: Path, small_limits: None
) -> None:
    """Every problem frictionless finds in a whole table is found in a large one, at the right line: a
    type error and a constraint in the second piece, a primary key and a unique value repeated across
    pieces, a reference to a member that does not exist."""
    project = copy_project(tmp_path / "project", FIXTURES / "valid" / "datasets")
    edits = {
        5: {5: "dup-code"},
        300: {0: "5", 5: "dup-code"},  # repeats row 5's id and code (row 5 is in the first piece)
        350: {3: "abc"},  # not a number
        360: {3: "-1"},  # below the minimum
        370: {4: "gamma"},  # no such member
    }
    _write_survey(project / "datasets", edits=edits)
    found = sorted((i.row, i.field, i.code) for i in check(project).issues if i.is_error and i.dataset == "survey")
    # data row n is line n + 1 of the file (the header is line 1)
    assert found == [
        (301, "code", "unique-error"),
        (301, "id", "primary-key"),
        (351, "value", "type-error"),
        (361, "value", "constraint-error"),
        (371, "member_id", "foreign-key"),
    ], found
    messages = {i.code: i.message for i in check(project).issues if i.dataset == "survey"}
    assert messages["primary-key"] == "This row has the same primary key as line 6."
    assert "'gamma'" in messages["foreign-key"] and "members/members" in messages["foreign-key"]


def test_repeated_key_hashes_are_found_in_every_eighth_of_the_hash_space() -> None:
    """A large table's keys are compared by 64-bit hashes, sorted an eighth at a time (``large._repeated``)."""
    step = 1 << 61
    values = [top * step + low for top in range(8) for low in (5, 9, 2**61 - 1)]
    twice = [values[0], values[7], values[-1]]  # in the lowest, a middle and the highest eighth
    hashes = array("Q", values + twice + [twice[1]])
    assert large._repeated(hashes) == set(twice)
    assert large._repeated(array("Q", values)) == set()


@pytest.mark.parametrize("block", [1, 2, 3, 5, 7, 1 << 20])
def test_the_encoding_check_reads_blocks_and_still_finds_the_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    """The UTF-8 check reads a block at a time: a Vietnamese letter cut by a block's end is not an error,
    and a byte that is not UTF-8 is found on its line, however the blocks fall."""
    monkeypatch.setattr(encodings, "_SCAN_BLOCK", block)
    good = tmp_path / "good.csv"
    good.write_bytes("id,tên\n1,Đak Pơ\n2,Mang Yang ẩ ễ\n".encode())
    assert guard._scan_utf8(good) == (True, None)
    bad = tmp_path / "bad.csv"
    bad.write_bytes("id,tên\n1,Đak Pơ\n".encode() + b"2,\xf5k\n3,x\n")
    assert guard._scan_utf8(bad) == (True, (3, "F5"))
    blank = tmp_path / "blank.csv"
    blank.write_bytes(b" \n\n ")
    assert guard._scan_utf8(blank) == (False, None)


def test_the_docs_state_the_limits_the_code_uses() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    rows, preview = f"{config.FULL_TABLE_ROWS:,}", f"{config.PREVIEW_ROWS:,}"
    assert f"more than {rows} rows (`config.FULL_TABLE_ROWS`)" in readme
    assert f"first {preview} rows (`config.PREVIEW_ROWS`)" in readme
    assert f"over {rows} rows" in contributing and rows.replace(",", ".") + " dòng" in contributing
    datasets, member_rows = f"{config.MEMBER_PAGE_DATASETS:,}", f"{config.MEMBER_PAGE_ROWS:,}"
    assert f"at most {datasets} datasets\n  (`config.MEMBER_PAGE_DATASETS`)" in readme
    assert f"pass {member_rows} rows (`config.MEMBER_PAGE_ROWS`" in readme


def test_long_tables_stay_out_of_the_search_index(
    tmp_path: Path, small_limits: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search index every searching reader downloads holds pages' text, not every row of every table:
    a table longer than ``mdext.SEARCHABLE_ROWS`` (here the 10-row preview, the limit lowered to 5) is left
    out; the page's title and text are still found."""
    monkeypatch.setattr(mdext, "SEARCHABLE_ROWS", 5)
    project = copy_project(tmp_path / "project", FIXTURES / "valid" / "datasets")
    _write_survey(project / "datasets")
    assert build(project)[1] is not None
    html = (project / "site" / "du-lieu" / "survey" / "index.html").read_text(encoding="utf-8")
    assert "data-search-exclude" in html and "Xã 7" in html
    index = json.loads((project / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert "Khảo sát" in " ".join(doc["title"] for doc in index["docs"])
    assert "Xã 7" not in " ".join(doc["text"] for doc in index["docs"])


def test_a_large_table_in_another_declared_delimiter_is_read_in_it_everywhere(
    tmp_path: Path, small_limits: None
) -> None:
    """Every reader of a large table (its summary, its pieces, its keys, its copy for Excel, its text checks)
    reads it in the dialect its descriptor declares: a valid table written with ``;`` and holding commas in
    its cells has no problem, and its copy for Excel has the same cells."""
    project = copy_project(tmp_path / "project", FIXTURES / "valid" / "datasets")
    _write_survey(project / "datasets", delimiter=";", edits={i: {1: f"Thôn {i}, xã {i % 7}"} for i in range(1, 400)})
    assert [i.as_tuple() for i in check(project).issues if i.is_error] == []
    resource = _answers(project)
    assert resource.large and resource.count == ROWS
    assert {s.name: s.distinct for s in resource.stats}["code"] == ROWS  # each code once: read as one column
    # a repeated key is still found, at the right line
    shutil.rmtree(project / "datasets/survey")
    _write_survey(project / "datasets", delimiter=";", edits={300: {0: "5"}})
    found = [(i.row, i.field, i.code) for i in check(project).issues if i.is_error and i.dataset == "survey"]
    assert found == [(301, "id", "primary-key")]
    shutil.rmtree(project / "datasets/survey")
    _write_survey(project / "datasets", delimiter=";", edits={i: {1: f"Thôn {i}, xã {i % 7}"} for i in range(1, 400)})
    _, report = build(project)
    assert report is not None
    with (project / "site/du-lieu/survey/answers.excel.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["id", "place", "surveyed", "value", "member_id", "code"]
    assert rows[1][:2] == ["1", "Thôn 1, xã 1"] and all(len(row) == 6 for row in rows)


def test_one_csv_reader_serves_every_stage() -> None:
    """``generator/records.py`` is the only place the csv module reads a file: no stage can forget the
    declared dialect."""
    readers = {
        path.name
        for path in (ROOT / "generator").rglob("*.py")
        if "csv.reader(" in path.read_text(encoding="utf-8") or "csv.DictReader(" in path.read_text(encoding="utf-8")
    }
    assert readers == {"records.py"}
