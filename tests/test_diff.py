"""``generator diff``: a temporary git repository holding a copy of the project, one change at a time, and the
report says exactly that change."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from generator.diff import CellChange, ChangedRow, PropertyChange, compare

from conftest import ROOT, copy_project

VALUES = "datasets/production-value/production-value.csv"
KBANG_2023 = "2023,full-year,kbang,production-value,5696.5,"  # line 5 of VALUES
KBANG_KEY = (
    "year=2023, period=full-year, member_id=kbang, indicator_id=production-value, price_basis=constant-2010, "
    "status=result"
)
KBANG_KEY_MD = (
    r"year=2023, period=full-year, member\_id=kbang, indicator\_id=production-value, price\_basis=constant-2010, "
    r"status=result"
)
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


def git(root: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, env={**os.environ, **GIT_ENV}, check=True
    )
    return result.stdout


def clean_env() -> dict[str, str]:
    """The environment without GitHub Actions' variables: a test must not write to a real job summary."""
    return {k: v for k, v in os.environ.items() if k not in ("GITHUB_STEP_SUMMARY", "GITHUB_ACTIONS")}


def run_diff(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), "diff", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**(env if env is not None else clean_env()), **GIT_ENV},
        check=False,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the project, committed on ``main``."""
    root = copy_project(tmp_path / "project")
    git(root, "init", "--quiet", "--initial-branch=main")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "--message", "Data as it was")
    return root


def edit(root: Path, path: str, old: str, new: str) -> None:
    file = root / path
    text = file.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    file.write_text(text.replace(old, new), encoding="utf-8")


def table_rows(report: str, heading: str) -> list[str]:
    """The data rows of the Markdown table under ``**heading**``."""
    section = report.split(f"**{heading}**\n\n", 1)[1]
    table = section.split("\n\n", 1)[0].splitlines()
    return table[2:]


def test_one_changed_cell_is_reported_exactly(repo: Path) -> None:
    edit(repo, VALUES, KBANG_2023, "2023,full-year,kbang,production-value,5700.5,")

    result = compare(repo)
    assert [d.name for d in result.datasets] == ["production-value"]
    dataset = result.datasets[0]
    assert dataset.descriptor == ()
    assert [r.name for r in dataset.resources] == ["production-value"]
    resource = dataset.resources[0]
    assert resource.key == ("year", "period", "member_id", "indicator_id", "price_basis", "status")
    assert (resource.added, resource.removed, resource.moved) == ((), (), ())
    assert resource.changed == (ChangedRow(KBANG_KEY, 5, 5, (CellChange("value", "5696.5", "5700.5"),)),)

    cli = run_diff(repo)
    assert cli.returncode == 0, cli.stderr
    report = cli.stdout
    assert report.startswith("# What changed in the data\n")
    assert "the merge base of HEAD and main" in report
    assert "0 row(s) added, 0 removed, 1 changed" in report
    assert table_rows(report, "Changed") == [f"| {KBANG_KEY_MD} | 5 | value | 5696.5 | 5700.5 |"]
    assert "**Added**" not in report and "**Removed**" not in report and "Descriptor changes" not in report
    assert len(re.findall(r"^## ", report, re.M)) == 2  # the summary and one dataset


def test_added_row(repo: Path) -> None:
    row = (
        '2024,full-year,,kbang,health-insurance-coverage,95.1,percent,,not-applicable,result,"95,1%",{},4,,,\n'.format(
            "baogialai-2024-01-cluster2-2023-review"
        )
    )
    path = repo / "datasets/poverty-health-insurance/poverty-health-insurance.csv"
    path.write_text(path.read_text(encoding="utf-8") + row, encoding="utf-8")
    lines = len(path.read_text(encoding="utf-8").splitlines())

    (dataset,) = compare(repo).datasets
    (resource,) = dataset.resources
    assert (len(resource.added), len(resource.removed), len(resource.changed)) == (1, 0, 0)
    assert resource.added[0].line == lines
    assert resource.added[0].cells["value"] == "95.1"

    report = run_diff(repo).stdout
    assert "1 row(s) added, 0 removed, 0 changed" in report
    (added,) = table_rows(report, "Added")
    assert added.startswith(
        f"| {lines} | 2024 | full-year | *(empty)* | kbang | health-insurance-coverage | 95.1 | percent | *(empty)* |"
    )


def test_removed_row(repo: Path) -> None:
    edit(
        repo,
        VALUES,
        KBANG_2023 + 'billion-vnd,,constant-2010,result,"5.696,5 tỷ đồng",baogialai-2024-01-cluster2-2023-review,2,,\n',
        "",
    )

    (dataset,) = compare(repo).datasets
    (resource,) = dataset.resources
    assert (len(resource.added), len(resource.removed), len(resource.changed)) == (0, 1, 0)
    assert resource.removed[0].line == 5
    assert resource.removed[0].cells["member_id"] == "kbang"
    report = run_diff(repo).stdout
    assert "0 row(s) added, 1 removed, 0 changed" in report
    assert len(table_rows(report, "Removed")) == 1


def test_descriptor_title_change(repo: Path) -> None:
    edit(
        repo,
        "datasets/production-value/datapackage.yaml",
        "title: Giá trị sản xuất\n",
        "title: Giá trị sản xuất (mới)\n",
    )

    (dataset,) = compare(repo).datasets
    assert dataset.resources == ()
    assert dataset.descriptor == (PropertyChange("title", "Giá trị sản xuất", "Giá trị sản xuất (mới)"),)
    report = run_diff(repo).stdout
    assert "- title: Giá trị sản xuất → Giá trị sản xuất (mới)" in report


def test_descriptor_changes_name_resources_fields_and_version(repo: Path) -> None:
    descriptor = "datasets/production-value/datapackage.yaml"
    edit(repo, descriptor, "version: 2.1.0", "version: 2.2.0")
    edit(repo, descriptor, "en: {title: Figures by locality}", "en: {title: Figures per locality}")
    edit(repo, descriptor, "          title: Ghi chú (tiếng Anh)\n", "          title: Ghi chú bằng tiếng Anh\n")
    changes = {(c.where, c.old, c.new) for c in compare(repo).datasets[0].descriptor}
    assert changes == {
        ("version", "2.1.0", "2.2.0"),
        ("resources/production-value/translations/en/title", "Figures by locality", "Figures per locality"),
        ("resources/production-value/schema/fields/note_en/title", "Ghi chú (tiếng Anh)", "Ghi chú bằng tiếng Anh"),
    }


def test_threshold(repo: Path) -> None:
    # 5696.5 -> 6000 is +5.3%: under the default 10%, over a 5% threshold
    edit(repo, VALUES, KBANG_2023, "2023,full-year,kbang,production-value,6000,")
    # 100.3 -> 130.3 is +29.9%
    edit(
        repo,
        VALUES,
        "2023,full-year,an-khe,production-value-plan-share,100.3,",
        "2023,full-year,an-khe,production-value-plan-share,130.3,",
    )

    default = compare(repo)
    assert default.threshold == Decimal(10)
    (moved,) = default.datasets[0].resources[0].moved
    assert (moved.field, moved.old, moved.new, moved.line) == ("value", Decimal("100.3"), Decimal("130.3"), 3)
    report = run_diff(repo).stdout
    assert "threshold: 10%" in report
    (row,) = table_rows(report, "Figures that moved by more than the threshold")
    key = (
        r"year=2023, period=full-year, member\_id=an-khe, indicator\_id=production-value-plan-share, "
        r"price\_basis=current, status=result"
    )
    assert row == f"| {key} | 3 | value | 100.3 | 130.3 | +29.9% |"

    report = run_diff(repo, "--threshold", "5%").stdout
    assert "threshold: 5%" in report
    assert len(table_rows(report, "Figures that moved by more than the threshold")) == 2
    assert run_diff(repo, "--threshold", "many").returncode == 2


def test_markdown_escapes_values(repo: Path) -> None:
    edit(
        repo,
        VALUES,
        '"5.696,5 tỷ đồng",baogialai-2024-01-cluster2-2023-review,2,,',
        '"5.696,5 tỷ đồng",baogialai-2024-01-cluster2-2023-review,2,"a | b <script>x</script>\n# c",',
    )
    (row,) = table_rows(run_diff(repo).stdout, "Changed")
    assert row == rf"| {KBANG_KEY_MD} | 5 | note | *(empty)* | a \| b &lt;script&gt;x&lt;/script&gt; \# c |"


def test_default_base_is_the_merge_base_with_main(repo: Path) -> None:
    git(repo, "checkout", "--quiet", "-b", "update")
    edit(repo, VALUES, KBANG_2023, "2023,full-year,kbang,production-value,5700.5,")
    git(repo, "commit", "--quiet", "--all", "--message", "Kbang 2023")
    edit(
        repo,
        VALUES,
        "2023,full-year,an-khe,production-value-plan-share,100.3,",
        "2023,full-year,an-khe,production-value-plan-share,100.4,",
    )
    # committed and uncommitted changes since main
    assert len(compare(repo).datasets[0].resources[0].changed) == 2
    # an explicit base: only the uncommitted change
    (only,) = compare(repo, "HEAD").datasets[0].resources[0].changed
    assert only.cells == (CellChange("value", "100.3", "100.4"),)
    assert "Compared with HEAD (commit" in run_diff(repo, "HEAD").stdout


def test_without_main_the_uncommitted_changes_are_shown(repo: Path) -> None:
    git(repo, "branch", "--move", "main", "trunk")
    edit(repo, VALUES, KBANG_2023, "2023,full-year,kbang,production-value,5700.5,")
    result = compare(repo)
    assert result.base.label.startswith("HEAD (there is no main branch")
    assert len(result.datasets[0].resources[0].changed) == 1


def test_no_change(repo: Path) -> None:
    assert compare(repo).datasets == ()
    assert "No changes in the data." in run_diff(repo).stdout


def test_rows_without_a_primary_key_are_matched_whole(repo: Path) -> None:
    edit(repo, "datasets/sources/datapackage.yaml", "      primaryKey: [id]\n", "")
    git(repo, "commit", "--quiet", "--all", "--message", "No key")
    edit(repo, "datasets/sources/sources.csv", "2024-01,full,vi", "2024-01,excerpt,vi")
    (resource,) = compare(repo).datasets[0].resources
    assert resource.key == ()
    assert (len(resource.added), len(resource.removed), len(resource.changed)) == (1, 1, 0)
    assert resource.added[0].cells["completeness"] == "excerpt"
    assert "Rows matched as whole rows (no primary key)." in run_diff(repo).stdout


def test_new_and_removed_datasets(repo: Path) -> None:
    folder = repo / "datasets/cluster-activities"
    for file in folder.iterdir():
        file.unlink()
    folder.rmdir()
    copy = repo / "datasets/sources-copy"
    copy.mkdir()
    source = (repo / "datasets/sources/datapackage.yaml").read_text(encoding="utf-8")
    (copy / "datapackage.yaml").write_text(source.replace("name: sources\n", "name: sources-copy\n"), encoding="utf-8")
    (copy / "sources.csv").write_bytes((repo / "datasets/sources/sources.csv").read_bytes())
    statuses = {d.name: d.status for d in compare(repo).datasets}
    assert statuses == {"cluster-activities": "removed", "sources-copy": "added"}
    report = run_diff(repo).stdout
    assert "## sources-copy (added)" in report
    assert "## cluster-activities (removed)" in report


def test_an_unreadable_descriptor_is_reported_not_its_tables_removed(repo: Path) -> None:
    with (repo / "datasets/members/datapackage.yaml").open("a", encoding="utf-8") as handle:
        handle.write("  broken: [\n")
    (dataset,) = compare(repo).datasets
    assert dataset.name == "members"
    assert dataset.resources == ()
    assert len(dataset.notes) == 1 and dataset.notes[0].startswith("new version: ")
    assert "**members**: cannot be compared (see below)" in run_diff(repo).stdout


def test_output_file_and_job_summary(repo: Path, tmp_path: Path) -> None:
    edit(repo, VALUES, KBANG_2023, "2023,full-year,kbang,production-value,5700.5,")
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    output = tmp_path / "diff.md"
    result = run_diff(repo, "--output", str(output), env={**clean_env(), "GITHUB_STEP_SUMMARY": str(summary)})
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    report = output.read_text(encoding="utf-8")
    assert "| value | 5696.5 | 5700.5 |" in report
    assert summary.read_text(encoding="utf-8") == "earlier step\n" + report + "\n"


def test_unknown_revision_and_no_repository(repo: Path, tmp_path: Path) -> None:
    result = run_diff(repo, "no-such-branch")
    assert result.returncode == 2
    assert "'no-such-branch' is not a commit" in result.stderr
    assert run_diff(repo, "--", "--output=x").returncode == 2
    outside = copy_project(tmp_path / "plain")
    result = run_diff(outside)
    assert result.returncode == 2, result.stdout
    assert "not inside a git work tree" in result.stderr


def test_the_work_tree_is_not_touched(repo: Path) -> None:
    edit(repo, VALUES, KBANG_2023, "2023,full-year,kbang,production-value,5700.5,")
    before = git(repo, "status", "--porcelain")
    compare(repo)
    assert git(repo, "status", "--porcelain") == before
    assert KBANG_2023 not in (repo / VALUES).read_text(encoding="utf-8")


def test_diff_has_help() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "diff", "--help"], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.returncode == 0
    for option in ("BASE", "--threshold", "--output", "GITHUB_STEP_SUMMARY", "merge base"):
        assert option in result.stdout, option
