"""Shared fixtures: the repository, and a site built from a copy of it (the repository is never touched)."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import hypothesis
import hypothesis.configuration
import pytest

from generator import config
from generator.build import Checked, build, check

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# The tests never write into the repository: hypothesis keeps no example database in .hypothesis/ (pytest's
# own cache is off: pyproject.toml), and screenshots and PDFs for a person to look at go to a folder outside it.
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS") or Path(tempfile.gettempdir()) / "cluster2-test-artifacts")
hypothesis.configuration.set_hypothesis_home_dir(ARTIFACTS / "hypothesis")  # its Unicode tables, not .hypothesis/
hypothesis.settings.register_profile("no-database", database=None)
hypothesis.settings.load_profile("no-database")


def _load_page_weight() -> ModuleType:
    """benchmarks/page_weight.py (a script, not a package): the browser set-up every browser test shares
    (Debian's chromium, its flags, viewports, a local server for site/)."""
    spec = importlib.util.spec_from_file_location("page_weight", ROOT / "benchmarks" / "page_weight.py")
    assert spec is not None and spec.loader is not None
    module = sys.modules.setdefault("page_weight", importlib.util.module_from_spec(spec))
    if not hasattr(module, "PAGES"):
        spec.loader.exec_module(module)
    return module


page_weight = _load_page_weight()


def copy_project(target: Path, datasets: Path | None = None) -> Path:
    """A copy of what a build reads: mkdocs.yml, the hand-written docs and a datasets folder."""
    target.mkdir(parents=True, exist_ok=True)
    for config_file in ROOT.glob("mkdocs*.yml"):  # mkdocs.yml, and mkdocs.en.yml for the English site
        shutil.copy2(config_file, target / config_file.name)
    shutil.copytree(ROOT / "overrides", target / "overrides")
    shutil.copytree(ROOT / "docs", target / "docs", ignore=shutil.ignore_patterns(*config.GENERATED_PATHS))
    shutil.copytree(datasets or ROOT / "datasets", target / "datasets")
    return target


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/ from the current output instead of comparing with it",
    )


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository with the real datasets, built once for the whole session."""
    root = copy_project(tmp_path_factory.mktemp("project"))
    checked, report = build(root)
    assert report is not None, [i.as_tuple() for i in checked.issues]
    return root


@pytest.fixture(scope="session")
def site_dir(built_project: Path) -> Path:
    return built_project / "site"


@pytest.fixture(scope="session")
def repository_checked(tmp_path_factory: pytest.TempPathFactory) -> Checked:
    """The real datasets validated, from a copy (validating keeps a cache beside the data)."""
    return check(copy_project(tmp_path_factory.mktemp("repository")))


def _contents(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` but the generator's caches: its bytes."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and config.CACHE_DIR not in path.relative_to(root).parts
    }


@pytest.fixture(scope="session")
def valid(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A copy of the small valid fixture (``tests/fixtures/valid``) for tests that only read what the generator
    makes of it: the generator keeps its caches beside the data, and the fixture itself stays untouched.

    The copy is shared by the whole session, so a test that changed it would break the tests that run after it
    (and only those): at the end of the session the copy must still be the fixture, byte for byte."""
    root = tmp_path_factory.mktemp("valid") / "valid"
    shutil.copytree(FIXTURES / "valid", root, ignore=shutil.ignore_patterns(config.CACHE_DIR))
    expected = _contents(root)
    yield root
    now = _contents(root)
    changed = sorted(name for name in expected.keys() | now.keys() if expected.get(name) != now.get(name))
    assert not changed, f"a test changed the shared `valid` fixture (use a copy of its own): {changed}"


# --- the repository is never written by the tests -------------------------------------------------------------

_UNWATCHED = {".git", ".venv", "__pycache__", ".mypy_cache", ".ruff_cache"}


def _tree() -> dict[str, int]:
    """Every file of the repository (not .git, the virtual environment or Python's own caches): its mtime."""
    found = {}
    for folder, names, files in os.walk(ROOT):
        names[:] = [n for n in names if n not in _UNWATCHED]
        for name in files:
            path = Path(folder, name)
            try:
                found[path.relative_to(ROOT).as_posix()] = path.lstat().st_mtime_ns
            except OSError:
                continue
    return found


def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[_BEFORE] = _tree()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    before = session.config.stash.get(_BEFORE, None)
    if before is None or getattr(session.config, "workerinput", None) is not None:
        return
    after = _tree()
    touched = sorted(p for p in after.keys() | before.keys() if before.get(p) != after.get(p))
    if touched:
        shown = "\n  ".join(touched[:20]) + (f"\n  ... and {len(touched) - 20} more" if len(touched) > 20 else "")
        session.config.get_terminal_writer().line(f"\nThe tests wrote into the repository:\n  {shown}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


_BEFORE = pytest.StashKey[dict[str, int]]()


def cp1258(text: str) -> bytes:
    """Text as Windows-1258 writes Vietnamese: base letters precomposed where the code page has them (â, ơ,
    đ...), tone marks as separate combining characters."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = b""
    for char in unicodedata.normalize("NFC", text):
        decomposed = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
        out += base.encode("cp1258") + "".join(c for c in decomposed if c in tones).encode("cp1258")
    return out


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file of site/ and docs/: bytes and mtime."""
    return {
        path.relative_to(root).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
        for top in ("site", "docs")
        for path in sorted((root / top).rglob("*"))
        if path.is_file()
    }


def validate_in_english(root: Path) -> subprocess.CompletedProcess[str]:
    """``python -m generator validate --lang en`` on ``root``, as a maintainer runs it (not as in Actions)."""
    return subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), "validate", "--lang", "en"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"},
        check=False,
    )


def in_fresh_python(code: str, *args: str) -> str:
    """Run ``code`` with ``args`` in a new interpreter that imports the repository and ``tests/`` (one thread:
    ``workers.separately`` and the forked helpers fork only then, and this test process may run a browser
    driver's or the chart renderer's threads). Fails the test if it exits with an error; returns what it
    printed."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")])}
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout
