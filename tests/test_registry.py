"""One registry of everything published (``generator/outputs/registry.py``): every file of a built site is
one of its kinds, every kind is published, and README's table of published files is the registry's."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from generator.outputs import registry

from conftest import ROOT

# Kinds a build of the real datasets does not publish, and why.
ONLY_SOMETIMES = {"catalogue page": "only beyond 100 datasets (tests/test_catalogue_pages.py)"}


def _published(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())


def test_every_published_file_is_a_kind_of_the_registry(site_dir: Path) -> None:
    files = _published(site_dir)
    assert len(files) > 500
    unknown = [path for path in files if registry.kind_of(path) is None]
    assert not unknown, f"{len(unknown)} published files are no kind of registry.OUTPUTS: {unknown[:10]}"


def test_every_kind_of_the_registry_is_published(site_dir: Path) -> None:
    seen = Counter(kind.kind for path in _published(site_dir) if (kind := registry.kind_of(path)))
    missing = [o.kind for o in registry.OUTPUTS if not seen[o.kind] and o.kind not in ONLY_SOMETIMES]
    assert not missing, f"kinds the registry lists but the build did not publish: {missing}"
    datasets = [p for p in (ROOT / "datasets").iterdir() if p.is_dir()]
    assert seen["dataset page"] == 2 * len(datasets)  # each in two languages


def test_kinds_are_told_apart() -> None:
    """The first matching kind wins: the order of ``OUTPUTS`` sends each path where it belongs."""
    expected = {
        "index.html": "home page",
        "en/du-lieu/production-value/index.html": "dataset page",
        "danh-muc/2/index.html": "catalogue page",
        "du-lieu/production-value/production-value.csv": "table as validated",
        "du-lieu/production-value/production-value.excel.csv": "Excel copy",
        "du-lieu/production-value/datapackage.json": "dataset descriptor",
        "du-lieu/production-value/datapackage.yaml": "descriptor as written",
        "du-lieu/production-value/production-value.zip": "dataset archive",
        "du-lieu/cum-thi-dua-so-2.zip": "catalogue archive",
        "du-lieu/production-value/bieu-do/production-value/cac-nam.svg": "chart",
        "en/og/du-lieu/production-value/index.png": "card",
        "so-sanh/bieu-do/production-value/production-value/2024.svg": "chart",
    }
    assert {path: getattr(registry.kind_of(path), "kind", None) for path in expected} == expected
    assert registry.kind_of("du-lieu/production-value/notes.txt") is None
    assert registry.kind_of("../index.html") is None


def test_readme_shows_the_registry() -> None:
    """README's "What is published" is ``python -m generator.outputs.registry``, exactly."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"\n### What is published\n\n.*?\n\n(\| file .*?\n)\n", readme, re.S)
    assert section is not None, "README has no table under '### What is published'"
    assert section.group(1) == registry.table()
