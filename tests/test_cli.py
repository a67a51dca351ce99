"""The command line as maintainers and CI use it: exit codes and what it prints."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from generator import timings

from conftest import ROOT, copy_project


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], capture_output=True, text=True, cwd=cwd, check=False
    )


def test_validate_real_datasets_is_clean(tmp_path: Path) -> None:
    # on a copy: validating keeps a cache beside the data, and the tests never write into the repository
    result = run("validate", "--strict", cwd=copy_project(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "All datasets are valid." in result.stdout


def test_validate_reports_every_problem_with_place_code_and_hint(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    csv = root / "datasets/production-value/production-value.csv"
    text = csv.read_text(encoding="utf-8")
    text = text.replace(
        "2023,full-year,kbang,production-value,5696.5,", "2023,full-year,kbang,production-value,5.696,5,", 1
    )
    text = text.replace(
        "2023,full-year,dak-po,production-value-growth,7.67,", "2023,full-year,dak-pho,production-value-growth,7.67,"
    )
    csv.write_text(text, encoding="utf-8")
    result = run("--root", str(root), "validate")
    assert result.returncode == 1
    err = result.stderr
    assert "datasets/production-value/production-value.csv\n" in err
    assert "row 5" in err and "[extra-cell]" in err
    assert "row 16, field member_id: error [foreign-key]" in err
    assert "hint: " in err
    # the broken rows are also cited in citations.csv, whose references now fail too
    assert err.rstrip().splitlines()[-1].endswith("in 2 file(s).")


def test_build_failure_exits_1_and_says_nothing_was_written(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    (root / "datasets/members/members.csv").write_text("id,name\n", encoding="utf-8")
    result = run("--root", str(root), "build", "--timings", str(tmp_path / "timings.json"))
    assert result.returncode == 1
    assert "docs/ and site/ are unchanged" in result.stderr
    assert not (root / "site").exists()
    # the stages that ran are timed: checking found errors, so nothing was rendered
    stages = json.loads((tmp_path / "timings.json").read_text(encoding="utf-8"))["stages"]
    assert [s["stage"] for s in stages] == ["load", "validate", "build"]


def test_build_failure_speaks_vietnamese_with_lang_vi(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    (root / "datasets/members/members.csv").write_text("id,name\n", encoding="utf-8")
    result = run("--root", str(root), "build", "--lang", "vi")
    assert result.returncode == 1
    assert "Trang chưa được dựng; docs/ và site/ không thay đổi." in result.stderr
    assert "gợi ý: " in result.stderr and "[foreign-key]" in result.stderr
    assert not (root / "site").exists()


def test_build_then_output_exists_and_each_stage_is_timed(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    result = run("--root", str(root), "build", "--timings", str(tmp_path / "timings.json"))
    assert result.returncode == 0, result.stderr
    assert (root / "site/index.html").is_file()
    assert (root / "docs/du-lieu/production-value/index.md").is_file()
    # a first build goes through every stage once, in order, those of the process that renders included
    stages = json.loads((tmp_path / "timings.json").read_text(encoding="utf-8"))["stages"]
    assert [s["stage"] for s in stages] == list(timings.STAGES)
    took = {s["stage"]: s for s in stages}
    assert all(s["wall_s"] >= 0 and s["cpu_s"] >= 0 for s in stages)
    for whole, parts in (
        ("render", ["render.exports", "render.cards", "render.pages.vi", "render.pages.en"]),
        ("publish", ["mkdocs"]),
        ("build", ["load", "validate", "render", "stage", "publish"]),
    ):
        assert sum(took[p]["wall_s"] for p in parts) <= took[whole]["wall_s"] + 0.01, whole
    assert took["render.pages.vi"]["cpu_s"] > 0 and took["mkdocs"]["cpu_s"] > 0
    assert took["build"]["cpu_s"] >= sum(took[p]["cpu_s"] for p in ("load", "validate", "render", "publish")) - 0.05
