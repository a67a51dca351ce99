"""The pipeline, start to end: load -> validate -> render -> write + MkDocs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator import config
from generator.issues import Issue, errors
from generator.load import load_catalogue, load_site_info
from generator.models import Catalogue
from generator.render import Site, render_site
from generator.site import build_site
from generator.validate import validate
from generator.write import WriteReport, write_site


@dataclass(frozen=True)
class Checked:
    """The catalogue, every problem found in it, and which datasets were checked this time (the others'
    problems came from the cache: nothing in them changed)."""

    catalogue: Catalogue
    issues: list[Issue]
    checked: tuple[str, ...] = ()
    reused: tuple[str, ...] = ()

    def ok(self, strict: bool = False) -> bool:
        """No error, and under ``strict`` no warning either."""
        return not (self.issues if strict else errors(self.issues))


def check(root: Path) -> Checked:
    """Load and validate every dataset under ``root/datasets``."""
    loaded, issues = load_catalogue(root)
    validation = validate(loaded, root, cache_dir=root / config.CACHE_DIR / "validate")
    datasets = tuple(sorted((item.dataset for item in loaded), key=lambda d: d.name))
    return Checked(
        Catalogue(datasets, load_site_info(root)), issues + validation.issues, validation.checked, validation.reused
    )


def generate(root: Path, strict: bool = False) -> tuple[Checked, Site | None]:
    """Check, then render the pages in memory if the data is clean. Nothing is written."""
    checked = check(root)
    if not checked.ok(strict):
        return checked, None
    return checked, render_site(checked.catalogue, cache_dir=root / config.CACHE_DIR)


def build(root: Path, strict: bool = False) -> tuple[Checked, WriteReport | None]:
    """Check, render, write the pages and build ``root/site``; on any problem nothing is written."""
    checked, site = generate(root, strict)
    if site is None:
        return checked, None
    return checked, build_site(root, site)


def write_pages(root: Path, strict: bool = False) -> tuple[Checked, WriteReport | None]:
    """Check, render and write the pages to ``root/docs`` only (for ``mkdocs serve``)."""
    checked, site = generate(root, strict)
    if site is None:
        return checked, None
    return checked, write_site(site, root / config.DOCS_DIR)
