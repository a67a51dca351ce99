"""Validation: one defect per case, asserted as ``(dataset, file, row, field, code)`` tuples.

Each invalid case is the valid fixture (``tests/fixtures/valid``) copied to a temporary folder with one
edit, so the defect is visible right here in the case table rather than in a near-copy of the fixture.
Row numbers are the lines an editor shows: the header is line 1, the first data row line 2.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.build import Checked, check
from generator.issues import Message, Severity
from generator.read.load import parse_descriptor

from conftest import FIXTURES

VALID = FIXTURES / "valid"

FIGURES_CSV = "datasets/figures/figures.csv"
FIGURES_YAML = "datasets/figures/datapackage.yaml"
INDICATORS_CSV = "datasets/figures/indicators.csv"
MEMBERS_CSV = "datasets/members/members.csv"

# An alias bomb: 9 levels of 9 aliases, about 387 million strings once expanded.
ALIAS_BOMB = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
    f"{new}: &{new} [{', '.join([f'*{old}'] * 9)}]\n" for old, new in zip("abcdefgh", "bcdefghi", strict=True)
)

Edit = Callable[[Path], None]


def replace(file: str, old: str, new: str) -> Edit:
    """Replace the first ``old`` by ``new`` in ``file`` (relative to the project root)."""

    def edit(root: Path) -> None:
        path = root / file
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {file}: the fixture changed"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def overwrite(file: str, text: str) -> Edit:
    def edit(root: Path) -> None:
        (root / file).write_text(text, encoding="utf-8")

    return edit


def variant(tmp_path: Path, *edits: Edit) -> Path:
    """A copy of the valid fixture with ``edits`` applied. Returns the project root."""
    root = tmp_path / "project"
    shutil.copytree(VALID, root)
    for edit in edits:
        edit(root)
    return root


def error_tuples(root: Path) -> set[tuple[str | None, str, int | None, str | None, str]]:
    return {issue.as_tuple() for issue in check(root).issues if issue.is_error}


def line_of(file: Path, start: str) -> int:
    """The 1-based line of ``file`` that starts with ``start``."""
    lines = file.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.startswith(start))


@dataclass(frozen=True)
class Case:
    id: str
    edits: tuple[Edit, ...]
    expected: set[tuple[str | None, str, int | None, str | None, str]]


CASES = [
    Case(
        "type-error",
        (replace(FIGURES_CSV, "2023,beta,production-value,10858,", "2023,beta,production-value,mười,"),),
        {("figures", FIGURES_CSV, 3, "value", "type-error")},
    ),
    Case(
        "constraint-error",  # year has minimum: 2000
        (replace(FIGURES_CSV, "2023,beta,plan-share,", "1999,beta,plan-share,"),),
        {("figures", FIGURES_CSV, 5, "year", "constraint-error")},
    ),
    Case(
        "primary-key",  # line 5 repeats the (year, member_id, indicator_id, period, price_basis) of line 2
        (
            replace(
                FIGURES_CSV,
                "2023,beta,plan-share,100.30,percent,,current,",
                "2023,alpha,production-value,100.30,percent,,constant-2010,",
            ),
        ),
        {("figures", FIGURES_CSV, 5, None, "primary-key")},
    ),
    Case(
        "foreign-key-to-members",  # a cross-dataset reference: member_id -> members/members.id
        (replace(FIGURES_CSV, "2023,beta,plan-share,", "2023,gamma,plan-share,"),),
        {("figures", FIGURES_CSV, 5, "member_id", "foreign-key")},
    ),
    Case(
        "foreign-key-in-dataset",  # indicator_id -> indicators.id in the same package
        (replace(FIGURES_CSV, "2023,beta,plan-share,", "2023,beta,plan-ratio,"),),
        {("figures", FIGURES_CSV, 5, "indicator_id", "foreign-key")},
    ),
    Case(
        "foreign-key-to-sources",  # members/members.source_id -> sources/sources.id
        (replace(MEMBERS_CSV, "2025-07-01,example-2024-01-review\nbeta", "2025-07-01,example-2023\nbeta"),),
        {("members", MEMBERS_CSV, 2, "source_id", "foreign-key")},
    ),
    Case(
        # frictionless reports a missing required cell twice: missing-cell, and the "required" constraint
        "missing-cell",
        (
            replace(
                FIGURES_CSV,
                ",example-2024-01-23-portal,3,full-year,result\n",
                ",example-2024-01-23-portal,3,full-year\n",
            ),
        ),
        {
            ("figures", FIGURES_CSV, 5, "status", "missing-cell"),
            ("figures", FIGURES_CSV, 5, "status", "constraint-error"),
        },
    ),
    Case(
        "extra-cell",
        (
            replace(
                FIGURES_CSV,
                ",example-2024-01-23-portal,3,full-year,result\n",
                ",example-2024-01-23-portal,3,full-year,result,4\n",
            ),
        ),
        {("figures", FIGURES_CSV, 5, None, "extra-cell")},
    ),
    Case(
        # The realistic way to reach the vocabulary check: the schema's enum was extended, generator/vocab.py
        # was not, so the site would not know how to print the unit.
        "unknown-term",
        (
            replace(FIGURES_YAML, "enum: [billion-vnd, ha, percent,", "enum: [billion-vnd, ha, km, percent,"),
            replace(FIGURES_CSV, '100.30,percent,,current,"100,30%"', '100.30,km,,current,"100,30 km"'),
        ),
        {("figures", FIGURES_CSV, 5, "unit", "unknown-term")},
    ),
    Case(
        "unknown-term-typo",  # a typo in the CSV breaks the schema's enum and the vocabulary
        (replace(FIGURES_CSV, "100.30,percent,", "100.30,per-cent,"),),
        {
            ("figures", FIGURES_CSV, 5, "unit", "constraint-error"),
            ("figures", FIGURES_CSV, 5, "unit", "unknown-term"),
        },
    ),
    Case(
        "as-published-mismatch",  # two digits swapped in the value
        (replace(FIGURES_CSV, "2735.764,", "2735.746,"),),
        {("figures", FIGURES_CSV, 2, "value", "as-published-mismatch")},
    ),
    Case(
        "as-published-unreadable",  # two numbers in the text
        (replace(FIGURES_CSV, '"10.858 tỷ đồng"', '"10.858 tỷ đồng, tăng 12%"'),),
        {("figures", FIGURES_CSV, 3, "as_published", "as-published-unreadable")},
    ),
    Case(
        "qualifier-mismatch-missing",  # the source says "hơn" but the qualifier is empty
        (replace(FIGURES_CSV, "90497,ha,more-than,", "90497,ha,,"),),
        {("figures", FIGURES_CSV, 4, "qualifier", "qualifier-mismatch")},
    ),
    Case(
        "qualifier-mismatch-extra",  # "more-than" for an exact figure
        (replace(FIGURES_CSV, "10858,billion-vnd,,current", "10858,billion-vnd,more-than,current"),),
        {("figures", FIGURES_CSV, 3, "qualifier", "qualifier-mismatch")},
    ),
    Case(
        "package-name-mismatch",  # folder figures/, package figures-2023
        (replace(FIGURES_YAML, "\nname: figures\n", "\nname: figures-2023\n"),),
        {("figures-2023", FIGURES_YAML, None, "name", "package-name-mismatch")},
    ),
    Case(
        "package-name-missing",
        (replace(FIGURES_YAML, "\nname: figures\n", "\n"),),
        {("figures", FIGURES_YAML, None, "name", "package-name-missing")},
    ),
    Case(
        "duplicate-package-name",  # a second package named sources, in the folder sources-copy
        (lambda root: shutil.copytree(root / "datasets/sources", root / "datasets/sources-copy"),),
        {
            ("sources", "datasets/sources-copy/datapackage.yaml", None, "name", "package-name-mismatch"),
            ("sources", "datasets/sources-copy/datapackage.yaml", None, "name", "duplicate-package-name"),
            ("sources", "datasets/sources/datapackage.yaml", None, "name", "duplicate-package-name"),
        },
    ),
    Case(
        "descriptor-not-mapping",
        (overwrite(FIGURES_YAML, "- name: figures\n- title: Số liệu\n"),),
        {("figures", FIGURES_YAML, None, None, "descriptor-not-mapping")},
    ),
    Case(
        "foreign-key-target-missing",  # a reference to a package that does not exist
        (replace(FIGURES_YAML, "reference: {package: members,", "reference: {package: regions,"),),
        {("figures", FIGURES_YAML, None, "member_id", "foreign-key-target-missing")},
    ),
    Case(
        "unsafe-path",  # refused before frictionless sees it (generator/read/guard/; more cases in test_guard.py)
        (replace(FIGURES_YAML, "path: indicators.csv", "path: ../members/members.csv"),),
        {("figures", FIGURES_YAML, None, "resources[1].path", "unsafe-path")},
    ),
    Case(
        "incorrect-label",
        (replace(FIGURES_CSV, "year,member_id,", "nam,member_id,"),),
        {("figures", FIGURES_CSV, None, "year", "incorrect-label")},
    ),
]


def test_valid_fixture_has_no_issue(valid: Path) -> None:
    assert [i.as_tuple() for i in check(valid).issues] == []


def test_repository_datasets_are_valid(repository_checked: Checked) -> None:
    """The real datasets/: no error and no warning (the build runs --strict in CI)."""
    assert [(i.as_tuple(), i.message) for i in repository_checked.issues] == []


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_invalid_case(case: Case, tmp_path: Path) -> None:
    root = variant(tmp_path, *case.edits)
    issues = check(root).issues
    assert {i.as_tuple() for i in issues if i.is_error} == case.expected
    for issue in issues:  # what a maintainer reads: one line saying what is wrong, one saying how to fix it
        assert isinstance(issue.what, Message) and isinstance(issue.fix, Message), issue
        for message, hint in (issue.text("en"), issue.text("vi")):
            assert message.strip() and hint.strip(), issue
            assert "\n" not in message + hint, issue


def test_descriptor_syntax(tmp_path: Path) -> None:
    root = variant(tmp_path, replace(FIGURES_YAML, "keywords: [kinh tế, economy]", "keywords: [kinh tế, economy"))
    # PyYAML notices the unclosed "[" on the next line, where it finds "licenses:" instead of "," or "]".
    line = line_of(root / FIGURES_YAML, "licenses:")
    assert error_tuples(root) == {("figures", FIGURES_YAML, line, None, "descriptor-syntax")}


def test_descriptor_encoding(tmp_path: Path) -> None:
    root = variant(tmp_path)
    path = root / FIGURES_YAML
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    assert error_tuples(root) == {("figures", FIGURES_YAML, None, None, "descriptor-encoding")}


def test_a_broken_members_descriptor_is_reported_with_what_depends_on_it(tmp_path: Path) -> None:
    root = variant(tmp_path, replace("datasets/members/datapackage.yaml", "keywords: [", "keywords: [["))
    line = line_of(root / "datasets/members/datapackage.yaml", "licenses:")
    assert error_tuples(root) == {
        ("members", "datasets/members/datapackage.yaml", line, None, "descriptor-syntax"),
        ("figures", FIGURES_YAML, None, "member_id", "foreign-key-target-missing"),
    }


def test_yaml_alias_is_refused_before_it_expands(tmp_path: Path) -> None:
    path = tmp_path / "datapackage.yaml"
    path.write_text(ALIAS_BOMB, encoding="utf-8")
    # Guard: if aliases were accepted, check() below would expand the bomb; fail here instead.
    start = time.perf_counter()
    data, issues = parse_descriptor(path, tmp_path)
    assert data is None
    assert [i.as_tuple() for i in issues] == [(None, "datapackage.yaml", 2, None, "descriptor-syntax")]
    assert time.perf_counter() - start < 1

    root = variant(tmp_path, overwrite(FIGURES_YAML, ALIAS_BOMB))
    start = time.perf_counter()
    assert error_tuples(root) == {("figures", FIGURES_YAML, 2, None, "descriptor-syntax")}
    assert time.perf_counter() - start < 5


def test_a_harmless_alias_is_refused_too(tmp_path: Path) -> None:
    """Aliases are refused outright, not only when they grow: the rule is simple to state and to keep."""
    root = variant(
        tmp_path,
        replace(FIGURES_YAML, "licenses:\n  - name: CC-BY-4.0", "licenses:\n  - &cc\n    name: CC-BY-4.0"),
        replace(FIGURES_YAML, "\nresources:\n", "\nextra: *cc\nresources:\n"),
    )
    line = line_of(root / FIGURES_YAML, "extra: *cc")
    assert error_tuples(root) == {("figures", FIGURES_YAML, line, None, "descriptor-syntax")}


def test_warnings_are_not_errors(tmp_path: Path) -> None:
    root = variant(
        tmp_path, replace(FIGURES_YAML, "translations:\n  en:\n    title: Figures\n", "translations:\n  en:\n")
    )
    checked = check(root)
    assert {(i.as_tuple(), i.severity) for i in checked.issues} == {
        (("figures", FIGURES_YAML, None, None, "missing-english-title"), Severity.WARNING)
    }
    assert checked.ok()
    assert not checked.ok(strict=True)


def test_row_numbers_are_editor_lines_after_a_multiline_cell(tmp_path: Path) -> None:
    root = variant(
        tmp_path,
        replace(FIGURES_CSV, '"2.735,764 tỷ đồng"', '"2.735,764\ntỷ đồng"'),  # one record on lines 2-3
        replace(FIGURES_CSV, "2023,beta,plan-share,", "2023,beta,plan-ratio,"),
    )
    line = line_of(root / FIGURES_CSV, "2023,beta,plan-ratio,")
    assert line == 6
    assert error_tuples(root) == {("figures", FIGURES_CSV, line, "indicator_id", "foreign-key")}


def test_a_symlinked_resource_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.csv"
    root = variant(tmp_path)
    (root / INDICATORS_CSV).rename(outside)
    os.symlink(outside, root / INDICATORS_CSV)
    errors = [i for i in check(root).issues if i.is_error]
    assert any(i.file == INDICATORS_CSV for i in errors), [i.as_tuple() for i in errors]


def test_other_datasets_key_columns_are_looked_up_not_checked_again(tmp_path: Path) -> None:
    """``validate_own`` checks a dataset's own tables as ``Package.validate`` does, foreign keys to other
    datasets included, and never the other datasets' key columns it looks them up in."""
    from frictionless import Resource as FlResource

    from generator.check import checks
    from generator.check.validate import _with_references, validate_own
    from generator.models import Catalogue
    from generator.read.load import load_catalogue

    root = variant(
        tmp_path,
        replace(FIGURES_CSV, "2023,beta,plan-share,", "2023,gamma,plan-share,"),  # not a member
        replace(FIGURES_CSV, "2023,alpha,production-value,", "2023,alpha,production-value,x"),  # not a number
    )
    loaded, _ = load_catalogue(root, jobs=1)
    catalogue = Catalogue(tuple(item.dataset for item in loaded))
    item = next(i for i in loaded if i.dataset.name == "figures")
    own = {r.name for r in item.dataset.resources}
    package, _ = _with_references(item, catalogue, root)
    assert {r.name for r in package.resources} - own, "no other dataset's key columns were added"

    def errors(report: object) -> list[tuple[str, str, int | None, str | None]]:
        return [
            (task.name, e.type, getattr(e, "row_number", None), getattr(e, "field_name", None))
            for task in report.tasks  # type: ignore[attr-defined]
            if task.name in own
            for e in task.errors
        ]

    whole = package.validate(checks.checklist())
    checked: list[str] = []
    validate = FlResource.validate

    def spy(self: FlResource, *args: object, **kwargs: object) -> object:
        checked.append(self.name)
        return validate(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(FlResource, "validate", spy)
        lean = validate_own(package, own, checks.checklist())
    assert sorted(checked) == sorted(own)
    assert errors(lean) == errors(whole)
    assert {e[1] for e in errors(lean)} == {"foreign-key", "type-error"}
    assert lean.errors == whole.errors == []


def test_rows_are_read_without_looking_up_references_and_the_references_stay(tmp_path: Path) -> None:
    """``read_rows`` reads a table's rows without opening the tables its foreign keys point to (the validator
    checks those, across datasets), and leaves the resource's foreign keys as they were."""
    from frictionless import Package

    from generator.read.load import line_map, read_rows

    valid = variant(tmp_path)  # a copy of its own: a table is removed below
    package = Package(str(valid / FIGURES_YAML))
    figures = package.get_resource("figures")
    (valid / INDICATORS_CSV).unlink()  # a lookup of indicator_id would have to read it
    keys = figures.schema.foreign_keys
    assert any(k["reference"]["resource"] == "indicators" for k in keys)
    rows = list(read_rows(figures, line_map(figures)))
    assert len(rows) == len((valid / FIGURES_CSV).read_text(encoding="utf-8").splitlines()) - 1
    assert figures.schema.foreign_keys == keys
