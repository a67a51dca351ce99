"""``generator new NAME``: a dataset that validates clean as created, follows the conventions, and never
overwrites anything or leaves the datasets folder."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build import build, check
from generator.load import parse_descriptor
from generator.scaffold import EXAMPLE_MEMBER, EXAMPLE_SOURCE, ScaffoldError, create

from conftest import ROOT, copy_project


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


def test_new_dataset_validates_strictly_as_created(project: Path) -> None:
    result = new(project, "budget-revenue")
    assert result.returncode == 0, result.stderr
    folder = project / "datasets/budget-revenue"
    assert sorted(p.name for p in folder.iterdir()) == ["budget-revenue.csv", "datapackage.yaml", "indicators.csv"]

    validated = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(project), "validate", "--strict"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"},
        check=False,
    )
    assert validated.returncode == 0, validated.stderr
    assert validated.stderr == ""
    checked = check(project)
    assert [i.as_tuple() for i in checked.issues] == []
    dataset = checked.catalogue.get("budget-revenue")
    assert dataset is not None
    observations = dataset.get_resource("budget-revenue")
    assert observations is not None and observations.is_observations
    assert len(observations.rows) == 1


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


def test_new_dataset_builds(project: Path) -> None:
    create(project, "budget-revenue")
    checked, report = build(project, strict=True)
    assert report is not None, [i.as_tuple() for i in checked.issues]
    assert (project / "site/du-lieu/budget-revenue/index.html").is_file()


def test_instructions_say_what_to_fill_in(project: Path) -> None:
    result = new(project, "budget-revenue")
    out = result.stdout
    for expected in (
        "datasets/budget-revenue/datapackage.yaml",
        "datasets/budget-revenue/indicators.csv",
        "datasets/budget-revenue/budget-revenue.csv",
        "LINE 2 IS AN EXAMPLE ROW, NOT DATA",
        "CẦN SỬA / TO FILL IN",
        "python -m generator validate --strict",
    ):
        assert expected in out, expected
    descriptor = (project / "datasets/budget-revenue/datapackage.yaml").read_text(encoding="utf-8")
    assert descriptor.count("CẦN SỬA / TO FILL IN") >= 3
    assert "VÍ DỤ" in (project / "datasets/budget-revenue/budget-revenue.csv").read_text(encoding="utf-8")


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
