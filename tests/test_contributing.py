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
