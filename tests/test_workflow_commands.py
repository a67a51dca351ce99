"""Problems as GitHub Actions annotations: the workflow command's format and its escaping."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from generator.issues import Issue, Severity
from generator.workflow_commands import annotation, enabled, escape_data, escape_property

from conftest import ROOT, copy_project


def test_error_with_row() -> None:
    issue = Issue("datasets/x/x.csv", 5, "value", "type-error", "Bad value.", "Edit the cell.")
    assert annotation(issue) == "::error file=datasets/x/x.csv,line=5,title=type-error::Bad value. — Edit the cell."


def test_warning_without_row_has_no_line() -> None:
    issue = Issue(
        "datasets/x/datapackage.yaml", None, None, "missing-english-title", "No title.", "Add one.", Severity.WARNING
    )
    assert (
        annotation(issue)
        == "::warning file=datasets/x/datapackage.yaml,title=missing-english-title::No title. — Add one."
    )


def test_message_escaping() -> None:
    assert escape_data("50% off\r\nnext: a, b") == "50%25 off%0D%0Anext: a, b"
    # a percent sign is escaped first, so an existing escape is not read back as a newline
    assert escape_data("%0A") == "%250A"


def test_property_escaping() -> None:
    assert escape_property("a:b,c%d\ne") == "a%3Ab%2Cc%25d%0Ae"


def test_a_value_cannot_start_a_command_or_add_a_property() -> None:
    issue = Issue(
        "datasets/x/a,line=1:b.csv",
        2,
        None,
        "type-error",
        "cell 'x\n::error file=evil::injected' \x1b[31mred",
        "fix 100%",
    )
    line = annotation(issue)
    assert "\n" not in line and "\r" not in line and "\x1b" not in line
    assert line.startswith("::error file=datasets/x/a%2Cline=1%3Ab.csv,line=2,title=type-error::")
    assert line.endswith("cell 'x%0A::error file=evil::injected' \\x1b[31mred — fix 100%25")


def test_enabled_by_flag_or_github_actions() -> None:
    assert enabled(True, {})
    assert enabled(False, {"GITHUB_ACTIONS": "true"})
    assert not enabled(False, {})
    assert not enabled(False, {"GITHUB_ACTIONS": "false"})


def _validate(root: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), "validate", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
    )


def test_validate_prints_annotations_and_keeps_the_grouped_report(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    csv = root / "datasets/production-value/production-value.csv"
    text = csv.read_text(encoding="utf-8")
    csv.write_text(
        text.replace("2023,full-year,kbang,production-value,5696.5,", "2023,full-year,kbang,production-value,abc,", 1)
    )
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}

    plain = _validate(root, env=env)
    assert plain.returncode == 1
    assert "::error" not in plain.stdout

    for result in (_validate(root, "--github", env=env), _validate(root, env={**env, "GITHUB_ACTIONS": "true"})):
        assert result.returncode == 1
        annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
        assert "::error file=datasets/production-value/production-value.csv,line=5,title=type-error::" in "\n".join(
            annotations
        )
        assert all(" — " in line for line in annotations)
        # the human-readable report is unchanged
        assert "datasets/production-value/production-value.csv\n" in result.stderr
        assert "row 5, field value: error [type-error]" in result.stderr
        # (after the line saying that the first run's checks were reused: nothing changed since)
        assert result.stderr.endswith(plain.stderr) and "unchanged since they were last checked" in result.stderr
