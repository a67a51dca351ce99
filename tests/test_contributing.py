"""CONTRIBUTING.md covers the maintainers' tasks in Vietnamese and in English."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT

CONTRIBUTING = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
HEADINGS = set(re.findall(r"^##? (.+)$", CONTRIBUTING, re.M))

VIETNAMESE = [
    "Kiểm tra trên máy trước khi mở pull request",
    "Sửa một số liệu",
    "Thêm một năm",
    "Thêm một nguồn",
    "Thêm một bộ dữ liệu",
    "CI làm gì",
    "Đọc báo cáo `generator diff`",
]
ENGLISH = [
    "Before you open a pull request (running checks locally)",
    "Updating a figure",
    "Adding a year",
    "Adding a source",
    "Adding a dataset",
    "What CI does",
    "Reading `generator diff`",
]


@pytest.mark.parametrize("heading", VIETNAMESE + ENGLISH)
def test_every_task_has_a_section_in_both_languages(heading: str) -> None:
    assert heading in HEADINGS


def test_the_commands_it_names_exist() -> None:
    for command in ("generator new", "generator diff", "generator validate --strict", "--threshold"):
        assert command in CONTRIBUTING, command


def test_both_parts_say_how_to_get_messages_in_vietnamese() -> None:
    vietnamese, english = CONTRIBUTING.split("# English part", 1)
    for part in (vietnamese, english):
        assert "--lang vi" in part and "LANG=vi_VN.UTF-8" in part
        assert "generator/locale/vi/LC_MESSAGES/validate.po" in part
    assert "python -m generator.i18n" in english and "python -m generator.i18n" in vietnamese
