"""Third-party Data Packages (../shared/corpus, copied unchanged from public repositories) through the generator.

Each package is copied into a datasets/ tree beside the test fixture's datasets (the site is built around its
members and sources: without them its navigation has no target), in a folder named like the package (the
site's rule: folder name == package name), whatever its descriptor is called (``datapackage.json``, ``.yaml``
or ``.yml``).
Verdicts must match validation-summary.json (``frictionless validate`` 5.21 run on each package):

- the valid ones validate without error and build into a site whose dataset page shows their tables (the
  site's own conventions, such as English titles, a license or a schema, only warn about them);
- the invalid ones fail, from the command line, with exit code 1, no traceback, and the same problems
  frictionless finds, file by file and code by code.

One deliberate difference: this site requires a package ``name`` (it names the dataset's folder, its address
and the references to it). The corpus's one package without a name fails with exactly
``package-name-missing``, and builds once the name is added.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from generator.build import build, check
from generator.read import guard

from conftest import FIXTURES, ROOT, copy_project
from htmltext import read_page

CORPUS = ROOT.parent / "shared" / "corpus"
if not (CORPUS / "validation-summary.json").is_file():
    pytest.skip(
        f"the third-party corpus is not at {CORPUS} (../shared/corpus beside this checkout)", allow_module_level=True
    )

SUMMARY: dict[str, Any] = json.loads((CORPUS / "validation-summary.json").read_text(encoding="utf-8"))["packages"]
PACKAGES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())
UNNAMED = "frictionless-py--country-package-yaml"
# Packages validated but not built in the test run (none: the XLSX export is linear now).
SLOW_TO_BUILD: dict[str, str] = {}


def descriptor_of(folder: Path) -> Path:
    (found,) = [p for p in folder.iterdir() if p.name.startswith("datapackage.")]
    return found


def read_descriptor(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    data = guard.parse_json(text) if path.suffix == ".json" else guard.parse_yaml(text)
    assert isinstance(data, dict)
    return data


def place(package: str, target: Path, name: str | None = None) -> tuple[Path, str]:
    """A project at ``target`` whose only dataset is the corpus package, in a folder named like the package
    (or, for a package without a name, like the corpus folder). Returns the project root and the name."""
    source = CORPUS / package
    name = name or read_descriptor(descriptor_of(source)).get("name") or package.split("--", 1)[1]
    datasets = target / "input"
    shutil.copytree(FIXTURES / "valid" / "datasets", datasets)
    shutil.copytree(source, datasets / name)
    for path in (datasets / name).rglob("*"):
        path.chmod(0o644 if path.is_file() else 0o755)  # the corpus is read-only; the copies need not be
    return copy_project(target / "project", datasets), name


def expected_errors(package: str, name: str) -> Counter[tuple[str, str]]:
    """``(file, code)`` -> count, from validation-summary.json (for country-codes: its check as .yaml)."""
    summary = SUMMARY[package]
    tasks = summary.get("as_yaml", summary)["tasks"]
    found: Counter[tuple[str, str]] = Counter()
    for task in tasks:
        for code, count in task.get("errors", {}).items():
            found[(f"datasets/{name}/{task['place']}", code)] += count
    return found


# What the site rejects besides frictionless' own errors, per package: the number-constraints package holds
# NaN, INF and -INF in each of its six number columns, which frictionless reads as numbers but no JSON,
# spreadsheet or chart can hold (number-out-of-range, generator/check/checks.py).
OWN_CHECKS = {
    "frictionless-py--number-constraints-invalid": {("number-test.csv", "number-out-of-range"): 3 * 6},
}


def is_valid(package: str) -> bool:
    summary = SUMMARY[package]
    return bool(summary.get("as_yaml", summary)["valid"])


def run_validate(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), "validate"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_the_corpus_is_what_the_summary_describes() -> None:
    assert sorted(SUMMARY) == PACKAGES
    assert sum(is_valid(p) for p in PACKAGES) == 9 and len(PACKAGES) == 14


@pytest.mark.parametrize("package", [p for p in PACKAGES if not is_valid(p)])
def test_invalid_packages_fail_like_frictionless_says_without_traceback(package: str, tmp_path: Path) -> None:
    root, name = place(package, tmp_path)
    result = run_validate(root)
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert result.returncode == 1, result.stderr[-3000:]
    assert "error(s)" in result.stderr.splitlines()[-1]
    # the same problems, file by file and code by code
    errors = [i for i in check(root).issues if i.is_error]
    expected = expected_errors(package, name)
    for (file, code), count in OWN_CHECKS.get(package, {}).items():
        expected[(f"datasets/{name}/{file}", code)] += count
    assert Counter((i.file, i.code) for i in errors) == expected
    for issue in errors:  # every one says where (a file of the package) and how to fix it
        assert issue.file.startswith(f"datasets/{name}/") and issue.hint.strip() and issue.message.strip()


@pytest.mark.parametrize("package", [p for p in PACKAGES if is_valid(p) and p != UNNAMED])
def test_valid_packages_validate_and_build(package: str, tmp_path: Path) -> None:
    root, name = place(package, tmp_path)
    if package in SLOW_TO_BUILD:
        assert [i.as_tuple() for i in check(root).issues if i.is_error] == []
        pytest.skip(SLOW_TO_BUILD[package])
    checked, report = build(root)  # validates first: an exception here would fail the test
    assert [(i.as_tuple(), i.message) for i in checked.issues if i.is_error] == []
    assert report is not None
    assert {i.code for i in checked.issues} <= {
        "missing-english-title",
        "missing-title",
        "missing-license",
        "missing-schema",
        "name-style",
    }
    descriptor = read_descriptor(descriptor_of(CORPUS / package))
    text, rows = read_page(root / "site", f"du-lieu/{name}")
    assert str(descriptor.get("title") or name) in text
    catalogue = check(root).catalogue  # build's stays in the process that made the pages
    assert catalogue is not None
    dataset = catalogue.get(name)
    assert dataset is not None
    for resource in dataset.resources:  # every table is read, titled on the page, its columns described
        assert resource.rows, resource.name
        assert resource.title.vi in text, resource.name
        assert all(field.name in text for field in resource.fields), resource.name
    assert rows, "the page has tables"


def test_a_package_without_a_name_fails_with_exactly_that_and_builds_once_named(tmp_path: Path) -> None:
    root, name = place(UNNAMED, tmp_path / "as-is")
    result = run_validate(root)
    assert "Traceback" not in result.stderr and result.returncode == 1
    errors = [i.as_tuple() for i in check(root).issues if i.is_error]
    assert errors == [(name, f"datasets/{name}/datapackage.yaml", None, "name", "package-name-missing")]

    named, _ = place(UNNAMED, tmp_path / "named")
    descriptor = named / "datasets" / name / "datapackage.yaml"
    descriptor.write_text(f"name: {name}\n" + descriptor.read_text(encoding="utf-8"), encoding="utf-8")
    checked, report = build(named)
    assert report is not None, [(i.as_tuple(), i.message) for i in checked.issues if i.is_error]
    text, _ = read_page(named / "site", f"du-lieu/{name}")
    assert "Countries and their capitals" in text
