"""``generator new NAME``: a dataset that follows the conventions, whose placeholders ``validate`` lists one by
one (so that a skeleton is never published), that validates and builds once they are filled in, and that never
overwrites anything or leaves the datasets folder."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build import build, check
from generator.read.load import parse_descriptor
from generator.read.readiness import EXAMPLE, MARKERS, TO_FILL_IN, placeholder
from generator.scaffold import EXAMPLE_MEMBER, EXAMPLE_SOURCE, ScaffoldError, create

from conftest import ROOT, copy_project, snapshot, validate_in_english

Tuple = tuple[str | None, str, int | None, str | None, str]


def new(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), "new", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def line_of(root: Path, file: str, start: str) -> int:
    lines = (root / file).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.startswith(start))


def placeholders(root: Path, name: str) -> set[Tuple]:
    """What ``validate`` must list for a skeleton as created: each text to write in the descriptor (on its
    line), and each marked cell of the two example rows."""
    folder = f"datasets/{name}"
    descriptor = f"{folder}/datapackage.yaml"
    keywords = line_of(root, descriptor, "keywords:")
    english_keywords = line_of(root, descriptor, "    keywords:")
    return {
        (name, descriptor, line_of(root, descriptor, "title:"), "title", "placeholder"),
        (name, descriptor, line_of(root, descriptor, "description:"), "description", "placeholder"),
        (name, descriptor, line_of(root, descriptor, "    title:"), "translations.en.title", "placeholder"),
        (name, descriptor, line_of(root, descriptor, "    description:"), "translations.en.description", "placeholder"),
        (name, descriptor, keywords, "keywords[0]", "placeholder"),
        (name, descriptor, english_keywords, "translations.en.keywords[0]", "placeholder"),
        (name, f"{folder}/{name}.csv", 2, "note", "placeholder"),
        (name, f"{folder}/{name}.csv", 2, "note_en", "placeholder"),
        *((name, f"{folder}/indicators.csv", 2, field, "placeholder") for field in INDICATOR_TEXTS),
    }


INDICATOR_TEXTS = ("title", "title_en", "description", "description_en")


def fill_in(folder: Path) -> None:
    """What a maintainer does with the skeleton: the real title, description and keywords in place of the
    placeholders, a real indicator in place of the example one, and a real figure in place of the example
    row (Kbang's health-insurance coverage in 2023, as its source publishes it)."""
    descriptor = folder / "datapackage.yaml"
    text = descriptor.read_text(encoding="utf-8")
    for old, new in {
        '"CẦN SỬA: tên bộ dữ liệu"': "Bảo hiểm y tế",
        "CẦN SỬA: mô tả bộ dữ liệu bằng tiếng Việt (số liệu gì, của ai, năm nào, từ nguồn nào).": (
            "Tỷ lệ bao phủ bảo hiểm y tế của từng địa phương, theo tổng kết năm của Cụm thi đua."
        ),
        '"TO FILL IN: dataset title"': "Health insurance",
        "TO FILL IN: what the dataset holds, in English.": "Each locality's health-insurance coverage.",
        '["CẦN SỬA: từ khóa"]': "[bảo hiểm y tế]",
        '["TO FILL IN: keyword"]': "[health insurance]",
    }.items():
        assert old in text, old
        text = text.replace(old, new)
    descriptor.write_text(text, encoding="utf-8")
    rows = {
        "indicators.csv": {
            "id": "health-insurance-coverage",
            "title": "Tỷ lệ bao phủ bảo hiểm y tế",
            "title_en": "Health-insurance coverage",
            "description": "Tỷ lệ dân số tham gia bảo hiểm y tế.",
            "description_en": "Share of the population covered by health insurance.",
            "minimum": "0",
            "maximum": "100",
        },
        f"{folder.name}.csv": {
            "year": "2023",
            "period": "full-year",
            "member_id": EXAMPLE_MEMBER,
            "indicator_id": "health-insurance-coverage",
            "value": "94.3",
            "unit": "percent",
            "price_basis": "not-applicable",
            "status": "result",
            "as_published": "94,3%",
            "source_id": EXAMPLE_SOURCE,
            "source_paragraphs": "4",
        },
    }
    for file, row in rows.items():
        with (folder / file).open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        with (folder / file).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, header, restval="", lineterminator="\n")
            writer.writeheader()
            writer.writerow(row)  # the example row is gone: replaced by a real one


def test_new_dataset_fails_validate_with_exactly_its_placeholders(project: Path) -> None:
    result = new(project, "budget-revenue")
    assert result.returncode == 0, result.stderr
    folder = project / "datasets/budget-revenue"
    assert sorted(p.name for p in folder.iterdir()) == ["budget-revenue.csv", "datapackage.yaml", "indicators.csv"]

    validated = validate_in_english(project)
    assert validated.returncode == 1
    assert validated.stderr.count("[placeholder]") == 12
    assert "Traceback" not in validated.stderr
    issues = check(project).issues
    assert {i.as_tuple() for i in issues} == placeholders(project, "budget-revenue")
    assert len(issues) == 12
    by_place = {(i.file, i.row, i.field): i for i in issues}
    descriptor = "datasets/budget-revenue/datapackage.yaml"
    title = by_place[descriptor, line_of(project, descriptor, "title:"), "title"]
    assert "'CẦN SỬA: tên bộ dữ liệu'" in title.message
    assert "title, description or keywords" in title.hint
    note = by_place["datasets/budget-revenue/budget-revenue.csv", 2, "note"]
    assert "'VÍ DỤ'" in note.message
    assert "Line 2 of datasets/budget-revenue/budget-revenue.csv is an example row" in note.hint
    assert "delete it" in note.hint
    vi_message, vi_hint = note.text("vi")
    assert "phần giữ chỗ" in vi_message and "dòng mẫu" in vi_hint


def test_filled_in_dataset_validates_strictly(project: Path) -> None:
    create(project, "budget-revenue")
    fill_in(project / "datasets/budget-revenue")
    checked = check(project)
    assert [i.as_tuple() for i in checked.issues] == []
    dataset = checked.catalogue.get("budget-revenue") if checked.catalogue else None
    assert dataset is not None
    observations = dataset.get_resource("budget-revenue")
    assert observations is not None and observations.is_observations
    assert len(observations.rows) == 1


def test_each_placeholder_left_is_still_listed(project: Path) -> None:
    """Filling in part of the skeleton leaves exactly the rest listed: here, the English translations."""
    create(project, "budget-revenue")
    folder = project / "datasets/budget-revenue"
    text = (folder / "datapackage.yaml").read_text(encoding="utf-8")
    fill_in(folder)
    filled = (folder / "datapackage.yaml").read_text(encoding="utf-8")
    english = text[text.index("translations:\n  en:\n") : text.index("version:")]
    (folder / "datapackage.yaml").write_text(
        filled.replace(filled[filled.index("translations:\n  en:\n") : filled.index("version:")], english),
        encoding="utf-8",
    )
    descriptor = "datasets/budget-revenue/datapackage.yaml"
    assert {i.as_tuple() for i in check(project).issues} == {
        (
            "budget-revenue",
            descriptor,
            line_of(project, descriptor, "    title:"),
            "translations.en.title",
            "placeholder",
        ),
        (
            "budget-revenue",
            descriptor,
            line_of(project, descriptor, "    description:"),
            "translations.en.description",
            "placeholder",
        ),
        (
            "budget-revenue",
            descriptor,
            line_of(project, descriptor, "    keywords:"),
            "translations.en.keywords[0]",
            "placeholder",
        ),
    }


def test_the_skeleton_is_never_published_until_filled_in(built_project: Path, tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(built_project, root, symlinks=True)
    before = snapshot(root)
    assert before and "site/index.html" in before
    create(root, "budget-revenue")

    checked, report = build(root)
    assert report is None
    assert {i.as_tuple() for i in checked.issues} == placeholders(root, "budget-revenue")
    assert snapshot(root) == before  # docs/ and site/ exactly as the last good build left them
    assert not list(root.rglob("*budget-revenue*.md"))

    fill_in(root / "datasets/budget-revenue")
    checked, report = build(root, strict=True)
    assert report is not None, [i.as_tuple() for i in checked.issues]
    page = root / "site/du-lieu/budget-revenue/index.html"
    assert page.is_file()
    published = page.read_text(encoding="utf-8")
    assert "Bảo hiểm y tế" in published
    assert not any(mark in published for mark in MARKERS)


def test_the_marks_are_defined_once() -> None:
    """The skeleton is written with ``scaffold``'s marks, and ``readiness`` recognises exactly them, in
    capitals and as words: ordinary Vietnamese ("ví dụ", "cần sửa") and other words are not marks."""
    assert MARKERS == TO_FILL_IN + EXAMPLE
    for mark in MARKERS:
        assert placeholder(f"{mark}: x") == mark
        assert placeholder(f"x {mark}") == mark
    for text in ("Ví dụ: 5 ha", "các chỉ tiêu cần sửa đổi", "Example", "EXAMPLES", "COUNTEREXAMPLE", "Báo Ví Dụ"):
        assert placeholder(text) is None, text


def test_new_dataset_follows_the_conventions(project: Path) -> None:
    create(project, "budget-revenue")
    folder = project / "datasets/budget-revenue"
    descriptor, issues = parse_descriptor(folder / "datapackage.yaml", project)
    assert issues == [] and descriptor is not None
    assert descriptor["name"] == "budget-revenue"
    assert descriptor["version"] == "0.1.0"
    assert descriptor["title"] and descriptor["description"]
    assert descriptor["translations"]["en"]["title"] and descriptor["translations"]["en"]["description"]
    assert [lic["name"] for lic in descriptor["licenses"]] == ["CC-BY-4.0"]
    resources = {r["name"]: r for r in descriptor["resources"]}
    assert set(resources) == {"budget-revenue", "indicators"}
    for resource in resources.values():
        assert resource["translations"]["en"]["title"]
        fields = resource["schema"]["fields"]
        assert all(f["translations"]["en"]["title"] for f in fields)
        with (folder / resource["path"]).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        assert rows[0] == [f["name"] for f in fields]
        assert len(rows) == 2
    references = {tuple(fk["fields"]): fk["reference"] for fk in resources["budget-revenue"]["schema"]["foreignKeys"]}
    assert references[("member_id",)] == {"package": "members", "resource": "members", "fields": ["id"]}
    assert references[("source_id",)] == {"package": "sources", "resource": "sources", "fields": ["id"]}
    assert references[("indicator_id",)] == {"resource": "indicators", "fields": ["id"]}
    # the example row uses ids that exist
    members = (project / "datasets/members/members.csv").read_text(encoding="utf-8")
    sources = (project / "datasets/sources/sources.csv").read_text(encoding="utf-8")
    assert f"\n{EXAMPLE_MEMBER}," in members and f"\n{EXAMPLE_SOURCE}," in sources


def test_instructions_say_what_to_fill_in(project: Path) -> None:
    result = new(project, "budget-revenue")
    out = result.stdout
    for expected in (
        "datasets/budget-revenue/datapackage.yaml",
        "datasets/budget-revenue/indicators.csv",
        "datasets/budget-revenue/budget-revenue.csv",
        "LINE 2 IS AN EXAMPLE ROW, NOT DATA",
        "CẦN SỬA / TO FILL IN",
        '"placeholder"',
        "python -m generator validate --strict",
    ):
        assert expected in out, expected
    assert "validates as it is" not in out
    folder = project / "datasets/budget-revenue"
    descriptor = (folder / "datapackage.yaml").read_text(encoding="utf-8")
    assert descriptor.count("CẦN SỬA / TO FILL IN") >= 3
    for mark in TO_FILL_IN:
        assert f"{mark}:" in descriptor
    for file in ("budget-revenue.csv", "indicators.csv"):
        text = (folder / file).read_text(encoding="utf-8")
        assert all(f"{mark}:" in text for mark in EXAMPLE), file


UNSAFE_NAMES = [
    "../escape",
    "a/b",
    "Budget",
    "budget_revenue",
    "budget--revenue",
    "-budget",
    "budget-",
    "1budget",
    "",
    ".",
    "ü",
    "x" * 65,
    "budget revenue",
    "budget\nrevenue",
]


@pytest.mark.parametrize("name", UNSAFE_NAMES)
def test_unsafe_names_are_refused(project: Path, name: str) -> None:
    before = sorted(p.name for p in (project / "datasets").iterdir())
    with pytest.raises(ScaffoldError):
        create(project, name)
    assert sorted(p.name for p in (project / "datasets").iterdir()) == before
    assert not (project / "escape").exists()


def test_existing_names_are_refused(project: Path) -> None:
    original = (project / "datasets/production-value/datapackage.yaml").read_bytes()
    result = new(project, "production-value")
    assert result.returncode == 1
    assert "already exists" in result.stderr
    assert (project / "datasets/production-value/datapackage.yaml").read_bytes() == original
    (project / "datasets/stray-file").write_text("", encoding="utf-8")
    with pytest.raises(ScaffoldError):
        create(project, "stray-file")
    (project / "datasets/link").symlink_to(project / "datasets/members")
    with pytest.raises(ScaffoldError):
        create(project, "link")


def test_cli_refuses_an_unsafe_name(project: Path) -> None:
    result = new(project, "../escape")
    assert result.returncode == 1
    assert "is not a dataset name" in result.stderr
    assert not (project / "escape").exists()


def test_new_has_help() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "new", "--help"], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.returncode == 0
    assert "NAME" in result.stdout and "datasets/NAME/" in result.stdout
