"""Hints that say the fix itself: a number typed the Vietnamese way gets the number as data files write it,
and an id that is not in the referenced table gets the closest id and the list of valid ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import check
from generator.check.hints import number_hint, reference_hint

from conftest import FIXTURES, copy_project

FIGURES_CSV = "datasets/figures/figures.csv"
NUMBER = 'type is "number/default"'
INTEGER = 'type is "integer/default"'


@pytest.mark.parametrize(
    ("cell", "note", "written"),
    [
        ("3.100,5", NUMBER, "3100.5"),
        ("2.735,764", NUMBER, "2735.764"),
        ("1,5", NUMBER, "1.5"),
        ("-0,25", NUMBER, "-0.25"),
        ("10.858", INTEGER, "10858"),
        ("1.500.000", INTEGER, "1500000"),
    ],
)
def test_a_vietnamese_number_is_answered_with_the_number_to_write(cell: str, note: str, written: str) -> None:
    hint = number_hint(cell, note, "x.csv")
    assert hint is not None
    english = hint.render("en")
    assert f": {written} (not '{cell}')" in english and "x.csv" in english
    assert written in hint.render("vi")


@pytest.mark.parametrize(
    ("cell", "note"),
    [("abc", NUMBER), ("95%", NUMBER), ("1,5", INTEGER), ("3.100,5", 'type is "date/default"'), ("", NUMBER)],
)
def test_no_number_hint_where_the_cell_is_not_a_vietnamese_number(cell: str, note: str) -> None:
    assert number_hint(cell, note, "x.csv") is None


def test_an_unknown_id_gets_the_closest_one_and_the_list() -> None:
    ids = ["kbang", "mang-yang", "dak-doa", "dak-po", "an-khe"]
    hint = reference_hint("dak-p0", "members/members", ids, "x.csv").render("en")
    assert hint.startswith("Did you mean 'dak-po'?") and "kbang, mang-yang, dak-doa, dak-po, an-khe" in hint
    far = reference_hint("gia-lai", "members/members", ids, "x.csv").render("en")
    assert "Did you mean" not in far and "or add 'gia-lai' to members/members first" in far
    many = reference_hint("x", "t", [f"id-{n}" for n in range(40)], "x.csv").render("en")
    assert "id-29, …" in many and "id-30" not in many


def test_validate_gives_both_hints_at_the_right_row(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project", FIXTURES / "valid" / "datasets")
    path = root / FIGURES_CSV
    text = path.read_text(encoding="utf-8")
    text = text.replace("2023,beta,plan-share,100.30,", '2023,beta,plan-share,"3.100,5",', 1)
    text = text.replace("2023,alpha,sown-area,", "2023,alpah,sown-area,", 1)
    path.write_text(text, encoding="utf-8")
    issues = {i.as_tuple(): i for i in check(root).issues if i.is_error}
    assert set(issues) == {
        ("figures", FIGURES_CSV, 4, "member_id", "foreign-key"),
        ("figures", FIGURES_CSV, 5, "value", "type-error"),
    }
    member = issues[("figures", FIGURES_CSV, 4, "member_id", "foreign-key")]
    assert member.text("en")[1].startswith("Did you mean 'alpha'?")
    assert member.text("vi")[1].startswith("Có phải ý bạn là 'alpha'?")
    number = issues[("figures", FIGURES_CSV, 5, "value", "type-error")]
    assert "3100.5" in number.text("en")[1] and "3100.5" in number.text("vi")[1]
