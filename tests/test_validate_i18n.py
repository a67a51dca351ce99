"""``validate`` in Vietnamese: the catalogue covers every message, frictionless' codes get Vietnamese sentences,
and the command line speaks the language asked for (``--lang`` or the locale) without changing the code, file,
row or field of a problem."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from frictionless import Package

from generator import i18n
from generator.cli import default_language
from generator.issues import (
    FRICTIONLESS_HINTS,
    FRICTIONLESS_MESSAGES,
    FRICTIONLESS_OTHER,
    Issue,
    frictionless_message,
    msg,
    placeholders,
)

from conftest import FIXTURES, ROOT, copy_project, cp1258

# The files whose msg("...") calls are the ``validate`` domain (generator.i18n.DOMAIN_SOURCES).
SOURCES = [
    path
    for pattern in (
        "issues.py",
        "cli.py",
        "read/guard/*.py",
        "read/readiness.py",
        "read/load.py",
        "check/hints.py",
        "check/validate.py",
        "outputs/registry.py",
    )
    for path in sorted((ROOT / "generator").glob(pattern))
]
KEYWORDS = {"msg": None}  # generator.i18n.KEYWORDS["validate"]
PO_FILE = i18n.po_file("validate", "vi")


def extracted() -> dict[str, set[str]]:
    """Every message id in the code, with the files it is in, found as ``pybabel extract`` finds them."""
    found: dict[str, set[str]] = {}
    for path in SOURCES:
        for _, message, _, _ in extract_from_file("python", str(path), keywords=KEYWORDS):
            assert isinstance(message, str), (path, message)
            found.setdefault(message, set()).add(path.name)
    return found


def catalogue() -> Catalog:
    with PO_FILE.open("rb") as handle:
        return read_po(handle, locale="vi", domain="validate")


def translations() -> dict[str, str]:
    return {str(m.id): str(m.string) for m in catalogue() if m.id and not m.fuzzy and m.string}


# --- the catalogue ---------------------------------------------------------------------------------------------


def test_every_message_id_is_a_plain_string_literal() -> None:
    """``pybabel extract`` skips an f-string and joins the branches of ``a if x else b`` into one id: the
    first argument of every ``msg(...)`` must be one string literal."""
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "msg":
                first = node.args[0] if node.args else None
                assert isinstance(first, ast.Constant) and isinstance(first.value, str), (
                    f"{path.name}:{node.lineno}: msg() needs a string literal as its message id"
                )


def test_every_message_has_a_vietnamese_translation() -> None:
    missing = sorted(set(extracted()) - set(translations()))
    assert not missing, f"no (or a fuzzy) Vietnamese translation in {PO_FILE.relative_to(ROOT)}: {missing}"


def test_the_catalogue_has_no_message_that_is_gone_from_the_code() -> None:
    stale = sorted({str(m.id) for m in catalogue() if m.id} - set(extracted()))
    assert not stale, f"message ids no longer in the code (run python -m generator.i18n): {stale}"


def test_no_translation_is_fuzzy() -> None:
    assert [m.id for m in catalogue() if m.id and m.fuzzy] == []


@pytest.mark.parametrize("message_id", sorted(extracted()))
def test_translation_keeps_the_placeholders(message_id: str) -> None:
    translation = translations().get(message_id, "")
    assert placeholders(translation) == placeholders(message_id), (message_id, translation)
    assert translation.count("{{") == message_id.count("{{"), (message_id, translation)


def test_the_catalogue_is_utf_8_and_nfc() -> None:
    text = PO_FILE.read_bytes().decode("utf-8")
    assert unicodedata.is_normalized("NFC", text)
    assert "charset=utf-8" in text


# --- frictionless' codes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(FRICTIONLESS_HINTS))
def test_every_relayed_frictionless_code_has_a_vietnamese_sentence(code: str) -> None:
    sentence = FRICTIONLESS_MESSAGES[code]
    assert sentence.id in translations()
    hint = FRICTIONLESS_HINTS[code].fill(file="x.csv")
    assert hint.render("vi") != hint.render("en")


def test_a_code_without_a_sentence_is_relayed_with_frictionless_english() -> None:
    class Unknown:
        type = "table-dimensions"
        note = "at least 3 rows"
        message = "The data source does not have the required dimensions: at least 3 rows"

    message = frictionless_message(Unknown())
    assert message.id == FRICTIONLESS_OTHER.id
    assert message.render("en") == Unknown.message
    assert message.render("vi") == f"Frictionless báo lỗi (bằng tiếng Anh): {Unknown.message}"


BROKEN = {
    "a.csv": "id,value,member\na,1.5,x\na,abc,y\nb,-3,zz\nc,4,x,extra\nd\n\ne,5,\n",
    "m.csv": "id\nx\ny\n",
    "h.csv": "id,,id,other\n1,2,3,4\n",
}
BROKEN_DESCRIPTOR = {
    "name": "p",
    "resources": [
        {
            "name": "a",
            "path": "a.csv",
            "schema": {
                "fields": [
                    {"name": "id", "type": "string"},
                    {"name": "value", "type": "number", "constraints": {"minimum": 0}},
                    {"name": "member", "type": "string", "constraints": {"unique": True, "required": True}},
                ],
                "primaryKey": ["id"],
                "foreignKeys": [{"fields": ["member"], "reference": {"resource": "m", "fields": ["id"]}}],
            },
        },
        {"name": "m", "path": "m.csv", "schema": {"fields": [{"name": "id", "type": "string"}]}},
        {
            "name": "h",
            "path": "h.csv",
            "schema": {"fields": [{"name": n, "type": "integer"} for n in ("id", "b", "c", "d", "e")]},
        },
    ],
}


def test_frictionless_errors_get_their_own_sentence_with_their_particulars(tmp_path: Path) -> None:
    """Real frictionless errors of every table code: each is worded by its code (never relayed in English),
    with the cell, the type, the constraint or the other row filled in."""
    for name, text in BROKEN.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    report = Package(BROKEN_DESCRIPTOR, basepath=str(tmp_path)).validate()
    errors = [error for task in report.tasks for error in task.errors]
    messages = {(e.type, getattr(e, "row_number", None)): frictionless_message(e) for e in errors}
    assert {code for code, _ in messages} >= {
        "type-error",
        "constraint-error",
        "missing-cell",
        "extra-cell",
        "blank-row",
        "primary-key",
        "unique-error",
        "foreign-key",
        "incorrect-label",
        "missing-label",
        "blank-label",
        "duplicate-label",
    }
    for (code, _), message in messages.items():
        assert message.id != FRICTIONLESS_OTHER.id, (code, message)
        assert message.render("vi") != message.render("en"), (code, message)
    vietnamese = {key: message.render("vi") for key, message in messages.items()}
    assert (
        vietnamese["type-error", 3] == "Giá trị 'abc' không đúng kiểu dữ liệu của trường: number (định dạng default)."
    )
    assert vietnamese["constraint-error", 4] == "Giá trị '-3' vi phạm ràng buộc minimum của trường: 0."
    assert vietnamese["primary-key", 3] == "Dòng này có khóa chính trùng với dòng 2."
    assert vietnamese["unique-error", 5] == (
        "Giá trị 'x' phải là duy nhất trong cột này, nhưng dòng 2 cũng có giá trị này."
    )
    assert vietnamese["foreign-key", 4] == "Giá trị 'zz' của member không có trong bảng được tham chiếu m (cột id)."
    assert vietnamese["blank-row", 7] == "Dòng này để trống hoàn toàn."
    assert vietnamese["constraint-error", 8] == "Ô này trống, nhưng trường bắt buộc phải có giá trị."


# --- messages ----------------------------------------------------------------------------------------------------


def test_a_message_renders_in_either_language_with_nested_messages() -> None:
    message = msg("The path {path} is not safe: {problem}.", path="'/etc'", problem=msg("it is absolute"))
    assert message.render("en") == "The path '/etc' is not safe: it is absolute."
    assert message.render("vi") == "Đường dẫn '/etc' không an toàn: đó là đường dẫn tuyệt đối."
    # values are never read as templates: braces in the data stay as they are
    assert msg("Save {file} as UTF-8.", file="{x}.yaml").render("vi") == "Lưu {x}.yaml dưới dạng UTF-8."


def test_an_issue_keeps_its_place_and_code_in_every_language() -> None:
    issue = Issue(
        "datasets/x/x.csv",
        5,
        "value",
        "type-error",
        FRICTIONLESS_MESSAGES["blank-row"],
        FRICTIONLESS_HINTS["blank-row"].fill(file="datasets/x/x.csv"),
    )
    assert issue.message == "The row is blank."  # English, as before
    assert issue.text("vi") == ("Dòng này để trống hoàn toàn.", "Xóa dòng trống khỏi datasets/x/x.csv.")
    localized = issue.localized("vi")
    assert (localized.message, localized.hint) == issue.text("vi")
    assert localized.as_tuple() == issue.as_tuple()
    assert hash(issue) == hash(Issue(*[getattr(issue, f) for f in ("file", "row", "field", "code", "what", "fix")]))


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "en"),
        ({"LANG": "vi_VN.UTF-8"}, "vi"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANGUAGE": "vi:en", "LANG": "en_US.UTF-8"}, "vi"),
        ({"LC_ALL": "en_US.UTF-8", "LANG": "vi_VN.UTF-8"}, "en"),
        ({"LC_MESSAGES": "vi_VN", "LANG": "en_US.UTF-8"}, "vi"),
        ({"LANGUAGE": "", "LC_ALL": "", "LANG": "vi"}, "vi"),
    ],
)
def test_the_default_language_comes_from_the_locale(environ: dict[str, str], expected: str) -> None:
    assert default_language(environ) == expected


# --- the command line, end to end ----------------------------------------------------------------------------------

FIGURES_CSV = "datasets/figures/figures.csv"
INDICATORS_CSV = "datasets/figures/indicators.csv"
SOURCES_CSV = "datasets/sources/sources.csv"

DECOMPOSED = unicodedata.normalize("NFD", "Tổng giá trị")  # written over the start of a title

# (file, row, field, code): one broken cell or file each, and what `validate --lang vi` says about it.
EXPECTED_VI = {
    (FIGURES_CSV, 2, "value", "type-error"): (
        "Giá trị '27x5.764' không đúng kiểu dữ liệu của trường: number (định dạng default).",
        f"Sửa ô này trong {FIGURES_CSV} cho đúng kiểu và định dạng của trường trong schema.",
    ),
    (FIGURES_CSV, 3, "member_id", "foreign-key"): (
        "Giá trị 'gamma' của member_id không có trong bảng được tham chiếu members/members (cột id).",
        # the hint lists the ids there are (tests/test_hints.py: and the closest one, when one is close)
        f"Hãy ghi một trong các mã của members/members vào {FIGURES_CSV}: alpha, beta; hoặc thêm 'gamma' vào "
        "members/members trước.",
    ),
    (FIGURES_CSV, 6, None, "primary-key"): (
        "Dòng này có khóa chính trùng với dòng 4.",
        f"Hai dòng của {FIGURES_CSV} có cùng khóa chính: sửa hoặc xóa một trong hai dòng.",
    ),
    (INDICATORS_CSV, 2, "title", "text-not-nfc"): (
        f"Văn bản {DECOMPOSED + ' sản xuất'!r} không ở dạng Unicode NFC: 'ổ' được viết thành 'o' + U+0302 COMBINING "
        "CIRCUMFLEX ACCENT + U+0309 COMBINING HOOK ABOVE. Nó trông vẫn đúng nhưng không khớp với cùng từ đó khi gõ "
        "bình thường (trong khóa, liên kết và tìm kiếm).",
        f"Chuyển {INDICATORS_CSV} sang ký tự dựng sẵn (Unicode NFC), ví dụ bằng `uconv -x any-nfc` hoặc "
        "unicodedata.normalize('NFC', text) của Python; đa số trình soạn thảo tự làm việc này khi bạn gõ lại chữ đó.",
    ),
    (SOURCES_CSV, 2, None, "not-utf-8"): (
        "Tệp không phải UTF-8 (byte 0xEC ở dòng này); có vẻ là Windows-1258 (tiếng Việt).",
        f"Lưu lại {SOURCES_CSV} dưới dạng UTF-8 (LibreOffice: Save As, Text CSV, bộ ký tự “Unicode (UTF-8)”), hoặc "
        "khai báo `encoding` thật của tài nguyên này trong datasets/sources/datapackage.yaml.",
    ),
}

# A problem line as print_issues writes it, in each language: where (row, field), severity, [code], message.
LINE = {
    "en": re.compile(r"^  (?:(?P<where>.+?): )?(?:error|warning) \[(?P<code>[a-z0-9-]+)\] "),
    "vi": re.compile(r"^  (?:(?P<where>.+?): )?(?:lỗi|cảnh báo) \[(?P<code>[a-z0-9-]+)\] "),
}
WHERE = {"en": ("row ", "field "), "vi": ("dòng ", "trường ")}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}: the fixture changed"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The valid fixture with a type error, a missing member, a repeated primary key, a decomposed title and
    a CSV file saved as Windows-1258."""
    root = copy_project(tmp_path_factory.mktemp("i18n"), FIXTURES / "valid" / "datasets")
    figures = root / FIGURES_CSV
    _edit(figures, "2023,alpha,production-value,2735.764,", "2023,alpha,production-value,27x5.764,")
    _edit(figures, "2023,beta,production-value,10858,", "2023,gamma,production-value,10858,")
    with figures.open("a", encoding="utf-8", newline="") as handle:  # line 6 repeats line 4's key
        handle.write("2023,alpha,sown-area,1,ha,,not-applicable,1 ha,example-2024-01-23-portal,3,full-year,result\n")
    indicators = root / INDICATORS_CSV
    _edit(indicators, "Tổng giá trị", DECOMPOSED)
    sources = root / SOURCES_CSV
    sources.write_bytes(cp1258(sources.read_text(encoding="utf-8")))
    return root


def run(root: Path, *args: str, **environ: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**env, **environ},
        check=False,
    )


def problems(stderr: str, lang: str) -> dict[tuple[str, int | None, str | None, str], tuple[str, str]]:
    """``(file, row, field, code) -> (message, hint)`` from what ``validate`` prints."""
    hint_prefix = {"en": "    hint: ", "vi": "    gợi ý: "}[lang]
    found = {}
    file = ""
    lines = stderr.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("datasets/"):
            file = line
        elif match := LINE[lang].match(line):
            row_word, field_word = WHERE[lang]
            row, field = None, None
            for part in (match["where"] or "").split(", "):
                if part.startswith(row_word):
                    row = int(part.removeprefix(row_word))
                elif part.startswith(field_word):
                    field = part.removeprefix(field_word)
            assert lines[i + 1].startswith(hint_prefix), lines[i + 1]
            key = (file, row, field, match["code"])
            found[key] = (line[match.end() :], lines[i + 1].removeprefix(hint_prefix))
    return found


@pytest.fixture(scope="module")
def english(broken: Path) -> subprocess.CompletedProcess[str]:
    return run(broken, "validate")


@pytest.mark.parametrize(
    ("args", "environ"),
    [(("validate", "--lang", "vi"), {}), (("validate",), {"LANG": "vi_VN.UTF-8"})],
    ids=["--lang-vi", "LANG-vi_VN"],
)
def test_validate_speaks_vietnamese(
    broken: Path, english: subprocess.CompletedProcess[str], args: tuple[str, ...], environ: dict[str, str]
) -> None:
    result = run(broken, *args, **environ)
    assert result.returncode == english.returncode == 1
    said = problems(result.stderr, "vi")
    for key, (message, hint) in EXPECTED_VI.items():
        assert said.get(key) == (message, hint), key
    # the same problems, at the same places, with the same codes, as in English; each one translated
    in_english = problems(english.stderr, "en")
    assert said.keys() == in_english.keys()
    assert all(said[key] != in_english[key] for key in said)
    summary = result.stderr.rstrip().splitlines()[-1]
    assert re.fullmatch(r"\d+ lỗi, 0 cảnh báo trong \d+ tệp\.", summary), summary


def test_lang_option_overrides_the_locale(broken: Path, english: subprocess.CompletedProcess[str]) -> None:
    result = run(broken, "validate", "--lang", "en", LANG="vi_VN.UTF-8")
    # the same report (after, if the first run's checks were kept, the line saying so)
    assert result.stderr.endswith(english.stderr)
    assert result.stderr[: -len(english.stderr)] in (
        "",
        "0 dataset(s) checked; 3 unchanged since they were last checked (their problems, if any, come from "
        ".cache/validate/).\n",
    )
    assert (
        "[type-error] The value '27x5.764' does not match the field's type: number (format default)." in english.stderr
    )


def test_github_annotations_speak_the_chosen_language(broken: Path) -> None:
    result = run(broken, "validate", "--github", "--lang", "vi")
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    message, hint = EXPECTED_VI[FIGURES_CSV, 2, "value", "type-error"]
    assert f"::error file={FIGURES_CSV},line=2,title=type-error::{message} — {hint}" in annotations


def test_valid_data_says_so_in_vietnamese(tmp_path: Path) -> None:
    root = copy_project(tmp_path, FIXTURES / "valid" / "datasets")
    result = run(root, "validate", "--strict", LANGUAGE="vi")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Mọi bộ dữ liệu đều hợp lệ.\n"


def test_help_documents_the_language_option() -> None:
    for command in ("validate", "build"):
        result = subprocess.run(
            [sys.executable, "-m", "generator", command, "--help"], capture_output=True, text=True, check=True
        )
        text = " ".join(result.stdout.split())
        assert "--lang {vi,en}" in text
        assert "LANGUAGE, LC_ALL, LC_MESSAGES and LANG" in text and "starts with vi" in text


def test_the_documented_command_leaves_the_catalogue_as_it_is() -> None:
    """The command CONTRIBUTING.md gives (``python -m generator.i18n``) run on the committed catalogue changes
    nothing (tests/test_i18n.py runs it on copies): a maintainer's update shows only their own messages."""
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert ".venv/bin/python -m generator.i18n" in contributing
    assert i18n.DOMAIN_SOURCES["validate"] and i18n.KEYWORDS["validate"] == KEYWORDS
