"""The GitHub workflows: valid against GitHub's schema, clean under zizmor's audit, and hardened by rules a later
change cannot quietly undo."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from conftest import ROOT

GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.y*ml"))
WORKFLOW_IDS = [p.name for p in WORKFLOWS]
BIN = Path(sys.executable).parent
# `uses: owner/repo@<40 hex digits> # v1.2.3`
PINNED = re.compile(r"^\s*(?:-\s+)?uses:\s*[\w.-]+/[\w./-]+@[0-9a-f]{40}\s+#\s*v\d+(?:\.\d+)*\s*$")
WRITE_PERMISSIONS = {"pages", "id-token"}


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    return data


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    """The ``on:`` mapping (YAML 1.1 reads the bare key ``on`` as ``True``)."""
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    assert isinstance(on, dict)
    return on


def steps(workflow: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield name, step


def test_the_workflows_exist() -> None:
    assert {"ci.yml", "pages.yml"} <= set(WORKFLOW_IDS)
    assert (GITHUB / "dependabot.yml").is_file()


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=WORKFLOW_IDS)
def test_workflow_matches_githubs_schema(workflow: Path) -> None:
    result = subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(workflow)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_dependabot_matches_its_schema() -> None:
    result = subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.dependabot", str(GITHUB / "dependabot.yml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_nothing() -> None:
    result = subprocess.run(
        # the pedantic persona: every finding, including an image pinned by tag only (unpinned-images)
        [str(BIN / "zizmor"), "--offline", "--no-progress", "--persona=pedantic", str(GITHUB)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout, result.stdout


def test_dependabot_updates_actions_and_python_dependencies() -> None:
    config = load(GITHUB / "dependabot.yml")
    assert {u["package-ecosystem"] for u in config["updates"]} >= {"github-actions", "pip"}


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=WORKFLOW_IDS)
def test_top_level_permissions_are_read_only(workflow: Path) -> None:
    assert load(workflow).get("permissions") == {"contents": "read"}


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=WORKFLOW_IDS)
def test_write_permissions_only_on_the_deploy_job(workflow: Path) -> None:
    for name, job in load(workflow)["jobs"].items():
        permissions = job.get("permissions", {})
        assert isinstance(permissions, dict), f"{name}: permissions must be a mapping, not {permissions!r}"
        writes = {scope for scope, level in permissions.items() if level == "write"}
        if name == "deploy" and workflow.name == "pages.yml":
            assert writes == WRITE_PERMISSIONS, writes
            assert set(permissions) == WRITE_PERMISSIONS, permissions
        else:
            assert not writes, f"{workflow.name}: job {name} asks for write permissions {writes}"


def test_pages_deploys_with_the_pages_actions_after_a_strict_build() -> None:
    pages = load(GITHUB / "workflows/pages.yml")
    assert set(triggers(pages)) <= {"push", "workflow_dispatch"}
    assert triggers(pages)["push"] == {"branches": ["main"]}
    uses = [step.get("uses", "").split("@")[0] for _, step in steps(pages)]
    for action in ("actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"):
        assert action in uses
    assert pages["jobs"]["deploy"]["needs"] == "build"
    assert pages["jobs"]["deploy"]["environment"]["name"] == "github-pages"
    runs = " ".join(step.get("run", "") for _, step in steps(pages))
    assert "generator build --strict" in runs


def test_pull_requests_are_validated_tested_built_and_uploaded() -> None:
    ci = load(GITHUB / "workflows/ci.yml")
    assert set(triggers(ci)) == {"pull_request"}
    runs = " ".join(step.get("run", "") for _, step in steps(ci))
    for command in ("ruff check", "ruff format --check", "mypy", "pytest", "generator validate", "generator diff"):
        assert command in runs, command
    assert "generator build --strict" in runs
    assert any(step.get("uses", "").startswith("actions/upload-artifact@") for _, step in steps(ci))


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=WORKFLOW_IDS)
def test_no_pull_request_target(workflow: Path) -> None:
    assert "pull_request_target" not in triggers(load(workflow))
    code = [
        line.split(" #")[0] for line in workflow.read_text(encoding="utf-8").splitlines() if line.strip()[:1] != "#"
    ]
    assert not any("pull_request_target" in line for line in code)


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=WORKFLOW_IDS)
def test_every_checkout_drops_its_credentials(workflow: Path) -> None:
    checkouts = [step for _, step in steps(load(workflow)) if step.get("uses", "").startswith("actions/checkout@")]
    assert checkouts
    for step in checkouts:
        assert step.get("with", {}).get("persist-credentials") is False, step


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=WORKFLOW_IDS)
def test_every_action_is_pinned_to_a_commit_with_its_version(workflow: Path) -> None:
    uses_lines = [
        line for line in workflow.read_text(encoding="utf-8").splitlines() if re.match(r"\s*(-\s+)?uses:", line)
    ]
    assert len(uses_lines) == sum(1 for _, step in steps(load(workflow)) if "uses" in step)
    for line in uses_lines:
        assert PINNED.match(line), f"not pinned to a full commit SHA with a `# vX` comment: {line.strip()}"


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=WORKFLOW_IDS)
def test_no_expression_inside_run(workflow: Path) -> None:
    for job, step in steps(load(workflow)):
        assert "${{" not in step.get("run", ""), f"{job}: pass the value through env:, not {step['run']!r}"


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=WORKFLOW_IDS)
def test_every_job_has_a_timeout(workflow: Path) -> None:
    for name, job in load(workflow)["jobs"].items():
        assert isinstance(job.get("timeout-minutes"), int), f"{workflow.name}: job {name} has no timeout-minutes"


def test_hardening_rules_catch_a_regression() -> None:
    """The rules above fail on a workflow that breaks them (the checks themselves are not vacuous)."""
    bad = yaml.safe_load(
        """
on: pull_request_target
permissions: write-all
jobs:
  build:
    steps:
      - uses: actions/checkout@v4
      - run: echo "${{ github.event.pull_request.title }}"
"""
    )
    assert "pull_request_target" in triggers(bad)
    assert bad["permissions"] != {"contents": "read"}
    assert "timeout-minutes" not in bad["jobs"]["build"]
    step = bad["jobs"]["build"]["steps"][0]
    assert step.get("with", {}).get("persist-credentials") is not False
    assert not PINNED.match("      - uses: actions/checkout@v4")
    assert not PINNED.match("      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683")
    assert PINNED.match("      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2")
    assert "${{" in bad["jobs"]["build"]["steps"][1]["run"]


def test_pull_request_and_issue_templates() -> None:
    checklist = (GITHUB / "pull_request_template.md").read_text(encoding="utf-8")
    assert checklist.count("- [ ]") >= 5
    for step in ("generator validate --strict", "generator diff", "source_id", "version"):
        assert step in checklist, step
    template = (GITHUB / "ISSUE_TEMPLATE/wrong-figure.md").read_text(encoding="utf-8")
    front_matter = yaml.safe_load(template.split("---\n")[1])
    assert {"name", "about", "title"} <= set(front_matter)
    for question in ("Which page?", "Which value?", "What does the source say?", "Link to the source"):
        assert question in template, question


LOCK = ROOT / "requirements/deploy.txt"


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=WORKFLOW_IDS)
def test_every_container_image_is_pinned_by_digest(workflow: Path) -> None:
    for name, job in load(workflow)["jobs"].items():
        container = job.get("container")
        image = container.get("image") if isinstance(container, dict) else container
        if image is not None:
            assert re.fullmatch(r"[\w./-]+(:[\w.-]+)?@sha256:[0-9a-f]{64}", image), f"{name}: {image}"


def test_pages_installs_only_the_locked_hashed_versions() -> None:
    pages = load(GITHUB / "workflows/pages.yml")
    installs = [
        line.strip() for _, step in steps(pages) for line in step.get("run", "").splitlines() if "pip install" in line
    ]
    assert installs, "the Pages build installs its dependencies"
    for line in installs:
        assert "--require-hashes" in line and "-r requirements/deploy.txt" in line, line
        assert "--upgrade" not in line, line


def _locked() -> dict[str, tuple[str, list[str]]]:
    """requirements/deploy.txt: name -> (version, hashes)."""
    text = LOCK.read_text(encoding="utf-8").replace("\\\n", " ")
    found = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9._-]+)==(\S+)((?:\s+--hash=sha256:[0-9a-f]{64})+)", line)
        assert match, f"not an exact version with hashes: {line}"
        found[canonicalize_name(match[1])] = (match[2], re.findall(r"sha256:([0-9a-f]{64})", match[3]))
    return found


def test_the_lock_pins_every_dependency_with_hashes() -> None:
    locked = _locked()
    assert all(hashes for _, hashes in locked.values())
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for text in project["dependencies"]:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{name} is a dependency but not in {LOCK.name}: run pip-compile (CONTRIBUTING.md)"
        assert requirement.specifier.contains(locked[name][0]), f"{name}=={locked[name][0]} breaks {requirement}"
