"""Problems as GitHub Actions annotations: the workflow command's format and its escaping."""

from __future__ import annotations

import os
import re
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
        # (after the line saying that the first run's checks were reused: nothing changed since), between
        # the markers that keep the runner from reading it as commands
        listing = "\n".join(line for line in result.stderr.splitlines() if not line.startswith("::")) + "\n"
        assert listing.endswith(plain.stderr) and "unchanged since they were last checked" in result.stderr
        assert runner_commands(result.stderr) == []


def runner_commands(log: str) -> list[str]:
    """The workflow commands GitHub's runner would run in ``log``, read as the runner reads a step's output:
    a line starting with ``::`` (the v2 form) or holding ``##[`` anywhere (the v1 form); nothing between
    ``::stop-commands::<token>`` and ``::<token>::`` but that closing line. The markers are not listed."""
    run: list[str] = []
    token = None
    for line in log.splitlines():
        if token is not None:
            if line == f"::{token}::":
                token = None
            continue
        if line.startswith("::stop-commands::"):
            token = line.removeprefix("::stop-commands::")
        elif line.startswith("::") or "##[" in line:
            run.append(line)
    return run


HOSTILE_TITLE = "::error file=evil::injected ##[warning]v1 %0A::add-mask::x"  # a dataset title


def test_data_quoted_in_the_listing_or_the_diff_is_never_a_workflow_command(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    git_env = {
        **{k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY")},
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "data"]):
        subprocess.run(["git", *args], cwd=root, env=git_env, check=True, capture_output=True)
    descriptor = root / "datasets/production-value/datapackage.yaml"
    text = descriptor.read_text(encoding="utf-8")
    descriptor.write_text(text.replace("title: Giá trị sản xuất\n", f"title: '{HOSTILE_TITLE}'\n", 1), encoding="utf-8")
    csv = root / "datasets/production-value/production-value.csv"
    cells = csv.read_text(encoding="utf-8")
    csv.write_text(cells.replace(",5696.5,", ",##[error]v1::error::x,", 1), encoding="utf-8")
    actions = {**git_env, "GITHUB_ACTIONS": "true"}

    checked = _validate(root, env=actions)
    assert checked.returncode == 1 and "##[error]v1" in checked.stderr  # the value is quoted...
    commands = runner_commands(checked.stdout) + runner_commands(checked.stderr)
    assert commands and all(re.match(r"::(error|warning) file=datasets/", c) for c in commands)  # ...never run

    report = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), "diff"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=actions,
        check=False,
    )
    assert report.returncode == 0, report.stderr
    inside = report.stdout.splitlines()[1:-1]
    assert any(line.startswith("::error file=evil") for line in inside)  # a line the runner would run...
    assert runner_commands(report.stdout) == []  # ...but between the markers it is text
