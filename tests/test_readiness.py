"""Nothing unfinished or malformed is published (generator/read/readiness.py): a CSV file saved with another
delimiter than its descriptor declares (a spreadsheet's "CSV" in Vietnamese settings) is refused with one
error on line 1, and text still holding a placeholder of ``generator new`` is an error wherever it is.

The skeleton itself (every placeholder ``generator new`` writes) is tested in test_scaffold.py."""

from __future__ import annotations

import csv
import io
import json
import shutil
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from generator.build import Checked, build, check
from generator.issues import Issue
from generator.read.guard import MAX_REPORTS_PER_FILE

from conftest import FIXTURES, snapshot, validate_in_english

VALID = FIXTURES / "valid"
FIGURES_YAML = "datasets/figures/datapackage.yaml"
FIGURES_CSV = "datasets/figures/figures.csv"
INDICATORS_CSV = "datasets/figures/indicators.csv"
SOURCES_YAML = "datasets/sources/datapackage.yaml"
SOURCES_CSV = "datasets/sources/sources.csv"
REAL_CSV = "datasets/production-value/production-value.csv"

Tuple = tuple[str | None, str, int | None, str | None, str]


def variant(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(VALID, root, symlinks=True)
    return root


def edit(root: Path, file: str, old: str, new: str) -> None:
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {file}: the fixture changed"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def resave(path: Path, delimiter: str, decimal_comma: tuple[str, ...] = (), bom: bool = False) -> None:
    """``path`` as a spreadsheet saves it with other settings: ``delimiter`` between the cells, and a decimal
    comma in the columns ``decimal_comma`` (UTF-8, with a byte order mark when ``bom``)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    columns = [rows[0].index(name) for name in decimal_comma]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(rows[0])
    for row in rows[1:]:
        writer.writerow([cell.replace(".", ",") if i in columns else cell for i, cell in enumerate(row)])
    path.write_text(("\ufeff" if bom else "") + out.getvalue(), encoding="utf-8", newline="")


def errors(root: Path) -> set[Tuple]:
    issues = check(root).issues
    for issue in issues:
        for text in (*issue.text("en"), *issue.text("vi")):
            assert text.strip() and all(c.isprintable() for c in text), (issue.code, text)
    return {i.as_tuple() for i in issues if i.is_error}


def one(root: Path, code: str) -> Issue:
    [issue] = [i for i in check(root).issues if i.code == code]
    return issue


# --- the delimiter ----------------------------------------------------------------------------------------------


def test_a_real_csv_saved_with_semicolons_is_refused_and_never_published(built_project: Path, tmp_path: Path) -> None:
    """A real dataset's CSV as Excel saves it in Vietnamese settings: semicolons and decimal commas, UTF-8.
    One error on line 1 (not one type error per figure), and the build leaves site/ and docs/ as they were."""
    root = tmp_path / "project"
    shutil.copytree(built_project, root, symlinks=True)
    before = snapshot(root)
    resave(root / REAL_CSV, ";", decimal_comma=("value",))
    assert "18797,39" in (root / REAL_CSV).read_text(encoding="utf-8").split("\n")[1]

    assert errors(root) == {("production-value", REAL_CSV, 1, None, "wrong-delimiter")}
    validated = validate_in_english(root)
    assert validated.returncode == 1
    assert REAL_CSV in validated.stderr and "row 1: error [wrong-delimiter]" in validated.stderr
    assert "CSV UTF-8 (Comma delimited)" in validated.stderr
    assert "Traceback" not in validated.stderr

    checked, report = build(root)
    assert report is None and not checked.ok()
    assert snapshot(root) == before


def test_the_message_names_both_delimiters_and_the_hint_the_fix(tmp_path: Path) -> None:
    root = variant(tmp_path)
    resave(root / FIGURES_CSV, ";", decimal_comma=("value",))
    issue = one(root, "wrong-delimiter")
    assert issue.as_tuple() == ("figures", FIGURES_CSV, 1, None, "wrong-delimiter")
    assert "separated by semicolons (;), not by commas (,)" in issue.message
    for words in ('"CSV UTF-8 (Comma delimited)"', '"." as the decimal sign', "no thousands separators", FIGURES_YAML):
        assert words in issue.hint, words
    assert '`dialect: {delimiter: ";"}`' in issue.hint
    message, hint = issue.text("vi")
    assert "dấu chấm phẩy (;)" in message and "dấu phẩy (,)" in message
    assert '"CSV UTF-8 (Phân cách bằng dấu phẩy)"' in hint


def test_semicolons_without_decimal_commas_are_refused_too(tmp_path: Path) -> None:
    """Frictionless guesses the delimiter when none is declared: it reads this file row by row without a
    word (every figure typed right), so only the header check stops the semicolon file being published."""
    root = variant(tmp_path)
    resave(root / FIGURES_CSV, ";")
    checked = check(root)
    dataset = checked.catalogue.get("figures") if checked.catalogue else None
    figures = dataset.get_resource("figures") if dataset else None
    assert figures is not None and figures.rows[0].cells["value"] == Decimal("2735.764")
    assert {i.as_tuple() for i in checked.issues if i.is_error} == {
        ("figures", FIGURES_CSV, 1, None, "wrong-delimiter")
    }


@pytest.mark.parametrize(
    ("delimiter", "bom", "named"),
    [("\t", False, "tabs"), ("|", False, "vertical bars (|)"), (";", True, "semicolons (;)")],
    ids=["tab", "vertical-bar", "semicolon-with-byte-order-mark"],
)
def test_other_delimiters(delimiter: str, bom: bool, named: str, tmp_path: Path) -> None:
    root = variant(tmp_path)
    resave(root / INDICATORS_CSV, delimiter, bom=bom)
    assert errors(root) == {("figures", INDICATORS_CSV, 1, None, "wrong-delimiter")}
    assert f"separated by {named}" in one(root, "wrong-delimiter").message


def test_a_declared_delimiter_is_respected(tmp_path: Path) -> None:
    root = variant(tmp_path)
    edit(root, FIGURES_YAML, "    path: indicators.csv\n", '    path: indicators.csv\n    dialect: {delimiter: ";"}\n')
    resave(root / INDICATORS_CSV, ";")
    assert errors(root) == set()
    # ... and a file that does not follow it is refused
    shutil.copy2(VALID / INDICATORS_CSV, root / INDICATORS_CSV)
    found = errors(root)
    # (read as declared, the indicators are one column: the figures that refer to them fail their foreign key)
    assert {t for t in found if t[1] == INDICATORS_CSV} == {("figures", INDICATORS_CSV, 1, None, "wrong-delimiter")}
    assert "separated by commas (,), not by semicolons (;)" in one(root, "wrong-delimiter").message


def test_a_table_without_schema_is_checked_too(tmp_path: Path) -> None:
    root = variant(tmp_path)
    text = (root / SOURCES_YAML).read_text(encoding="utf-8")
    start = text.index("    schema:\n")
    (root / SOURCES_YAML).write_text(text[:start], encoding="utf-8")
    resave(root / SOURCES_CSV, ";")
    assert ("sources", SOURCES_CSV, 1, None, "wrong-delimiter") in errors(root)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("indicator_id,value", "indicator,value", "incorrect-label"),  # a wrong name, not a wrong delimiter
        ("year,member_id,", "year;member_id,", "incorrect-label"),  # one stray semicolon
    ],
)
def test_a_comma_file_with_a_wrong_header_is_not_a_delimiter_problem(
    old: str, new: str, expected: str, tmp_path: Path
) -> None:
    root = variant(tmp_path)
    edit(root, FIGURES_CSV, old, new)
    codes = {code for *_, code in errors(root)}
    assert "wrong-delimiter" not in codes and expected in codes


def test_the_real_datasets_are_comma_separated_and_hold_no_placeholder(repository_checked: Checked) -> None:
    assert not {i.code for i in repository_checked.issues} & {"wrong-delimiter", "placeholder"}


# --- placeholders in any dataset --------------------------------------------------------------------------------


def test_a_placeholder_in_a_cell_of_any_table(tmp_path: Path) -> None:
    root = variant(tmp_path)
    edit(root, SOURCES_CSV, "Tổng kết Cụm thi đua năm 2023", "EXAMPLE: title of the article")
    assert errors(root) == {("sources", SOURCES_CSV, 2, "title", "placeholder")}
    issue = one(root, "placeholder")
    assert "'EXAMPLE: title of the article'" in issue.message and "'EXAMPLE'" in issue.message
    assert "Line 2 of datasets/sources/sources.csv is an example row" in issue.hint


def test_a_placeholder_in_a_descriptor_translation(tmp_path: Path) -> None:
    root = variant(tmp_path)
    edit(root, FIGURES_YAML, "      en: {title: Indicators}\n", '      en: {title: "TO FILL IN: title"}\n')
    line = next(
        n
        for n, text in enumerate((root / FIGURES_YAML).read_text(encoding="utf-8").splitlines(), start=1)
        if "TO FILL IN" in text
    )
    assert errors(root) == {("figures", FIGURES_YAML, line, "resources[1].translations.en.title", "placeholder")}


def test_a_placeholder_in_a_json_descriptor_has_no_line(tmp_path: Path) -> None:
    root = variant(tmp_path)
    data = yaml.safe_load((root / SOURCES_YAML).read_text(encoding="utf-8"))
    data["keywords"] = ["nguồn", "CẦN SỬA"]
    (root / SOURCES_YAML).unlink()
    (root / "datasets/sources/datapackage.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert errors(root) == {("sources", "datasets/sources/datapackage.json", None, "keywords[1]", "placeholder")}


def test_a_decomposed_placeholder_is_still_one(tmp_path: Path) -> None:
    root = variant(tmp_path)
    edit(root, SOURCES_CSV, "Tổng kết Cụm thi đua năm 2023", unicodedata.normalize("NFD", "VÍ DỤ: tiêu đề"))
    assert errors(root) == {
        ("sources", SOURCES_CSV, 2, "title", "placeholder"),
        ("sources", SOURCES_CSV, 2, "title", "text-not-nfc"),
    }


def test_many_placeholders_in_one_file_are_counted_not_listed(tmp_path: Path) -> None:
    root = variant(tmp_path)
    rows = "".join(f"x-{i},VÍ DỤ,Tiêu đề {i},https://example.org/{i},2024-01\n" for i in range(30))
    with (root / SOURCES_CSV).open("a", encoding="utf-8", newline="") as handle:
        handle.write(rows)
    placeholders = [i for i in check(root).issues if i.code == "placeholder"]
    assert len(placeholders) == MAX_REPORTS_PER_FILE + 1
    assert placeholders[-1].row is None and "10 more cells" in placeholders[-1].message


def test_ordinary_words_are_not_placeholders(tmp_path: Path) -> None:
    root = variant(tmp_path)
    edit(root, SOURCES_CSV, "Tổng kết Cụm thi đua năm 2023", "Ví dụ: các chỉ tiêu cần sửa đổi (an example)")
    assert errors(root) == set()
