"""Nothing is kept before the publish step: a command's new cache entries are made in its own scratch folder
(``cache.workspace``) and moved into ``.cache/`` only once the build has published (or ``validate`` has
reported); a build that fails leaves ``.cache/`` as it was."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator import build as pipeline
from generator import cache, config
from generator.publish import site
from generator.publish.site import SiteBuildError

from conftest import FIXTURES, copy_project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the small project fixture, with what a build reads."""
    return copy_project(tmp_path / "project", FIXTURES / "valid" / "datasets")


def _kept(root: Path) -> dict[str, bytes]:
    folder = root / config.CACHE_DIR
    if not folder.is_dir():
        return {}
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "build.lock"
    }


def test_a_build_that_fails_to_publish_keeps_nothing(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise SiteBuildError("MkDocs failed (on purpose)")

    monkeypatch.setattr(site, "run_builds", refuse)
    before = _kept(project)
    with pytest.raises(SiteBuildError):
        pipeline.build(project)
    assert _kept(project) == before, "a build that did not publish changed .cache/"
    assert not (project / config.CACHE_DIR / cache.PENDING_DIR).exists()


def test_a_build_that_publishes_keeps_what_it_made(project: Path) -> None:
    checked, report = pipeline.build(project)
    assert report is not None, [i.as_tuple() for i in checked.issues]
    kept = _kept(project)
    for folder in ("validate", "exports", "charts", "cards"):
        assert any(name.startswith(folder + "/") for name in kept), f"nothing kept under .cache/{folder}"
    assert not (project / config.CACHE_DIR / cache.PENDING_DIR).exists()
    # every entry whole; the copies kept for the next build (mirrors/: links to docs/ and site/) are no entries
    names = [n for n in kept if not n.endswith(cache.DIGEST_SUFFIX) and "/" in n and not n.startswith("mirrors/")]
    assert all(cache.whole(project / config.CACHE_DIR / name) for name in names)
    assert any(name.startswith("mirrors/docs/") for name in kept)


def test_a_build_that_finds_an_error_keeps_nothing(project: Path) -> None:
    figures = next((project / "datasets").rglob("*.csv"))
    figures.write_text("not,the,header\n1,2,3\n", encoding="utf-8")
    before = _kept(project)
    checked, report = pipeline.build(project)
    assert report is None and not checked.ok()
    assert _kept(project) == before


def test_validate_keeps_its_results_once_it_has_reported(project: Path) -> None:
    first = pipeline.validate_only(project)
    assert first.checked and not first.reused
    again = pipeline.validate_only(project)
    assert not again.checked and set(again.reused) == set(first.checked)


def test_an_entry_made_in_the_workspace_is_found_there_and_kept_at_the_end(tmp_path: Path) -> None:
    root = tmp_path / ".cache"
    with cache.workspace(root) as made:
        path = cache.entry(root / "charts" / "a.svg", lambda partial: partial.write_bytes(b"<svg/>"))
        assert path.is_relative_to(made.scratch) and not (root / "charts").exists()
        assert cache.read_whole(root / "charts" / "a.svg") == b"<svg/>"
        cache.keep_json(root / "tables" / "t.json", {"rows": 3})
        assert cache.stored_json(root / "tables" / "t.json") == {"rows": 3}
        made.keep()
    assert cache.read_whole(root / "charts" / "a.svg") == b"<svg/>"
    assert cache.stored_json(root / "tables" / "t.json") == {"rows": 3}
    assert not (root / cache.PENDING_DIR).exists()


def test_an_entry_discarded_in_the_workspace_goes_only_when_kept(tmp_path: Path) -> None:
    root = tmp_path / ".cache"
    old = cache.entry(root / "exports" / "old.xlsx", lambda partial: partial.write_bytes(b"old"))
    with cache.workspace(root) as made:
        cache.discard(old)
        assert cache.read_whole(old) == b"old"
        made.keep()
    assert not old.exists() and not Path(str(old) + cache.DIGEST_SUFFIX).exists()


def test_the_scratch_folder_of_a_dead_process_is_removed(tmp_path: Path) -> None:
    root = tmp_path / ".cache"
    dead = root / cache.PENDING_DIR / "999999999-0000"  # beyond Linux's largest process id
    (dead / "charts").mkdir(parents=True)
    (dead / "charts" / "x.svg").write_bytes(b"half")
    alive = root / cache.PENDING_DIR / f"{os.getpid()}-ffff"  # this process: another workspace of it
    alive.mkdir()
    with cache.workspace(root):
        assert not dead.exists() and alive.exists()
