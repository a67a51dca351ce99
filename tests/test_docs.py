"""Tests that keep the documentation honest: commands have help, codes are documented, the README's quick
start is what CI runs."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from generator.cli import parser
from generator.issues import CODES, FRICTIONLESS_HINTS

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from quickstart import quickstart_commands


@pytest.mark.parametrize("command", ["build", "validate", "serve"])
def test_every_command_has_help(command: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator", command, "--help"], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.returncode == 0
    assert "--strict" in result.stdout
    assert len(result.stdout.splitlines()) >= 4


def test_commands_are_documented_in_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for name in commands:
        assert f"python -m generator {name}" in readme, name


@pytest.mark.parametrize("code", sorted(set(CODES) | set(FRICTIONLESS_HINTS)))
def test_every_code_is_documented_for_maintainers(code: str) -> None:
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert re.search(rf"^\| `{re.escape(code)}` \|", contributing, re.M), f"{code} missing from CONTRIBUTING.md"


def test_quick_start_has_exactly_two_commands_and_ci_runs_them() -> None:
    commands = quickstart_commands(ROOT / "README.md")
    assert commands == ["./scripts/setup", "./scripts/test"]
    ci = (ROOT / ".ci/run").read_text(encoding="utf-8")
    assert "scripts/quickstart.py" in ci and "apt-get install -y -qq chromium libreoffice-calc-nogui" in ci
