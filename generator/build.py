"""The pipeline, start to end: load -> validate -> render -> write + MkDocs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator import config, stamp
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

    catalogue: Catalogue | None  # None when a build was skipped: nothing changed since the last one
    issues: list[Issue]
    checked: tuple[str, ...] = ()
    reused: tuple[str, ...] = ()
    up_to_date: bool = False  # the build was skipped (stamp): its issues are those of the last build

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
    """Check, then render the pages in memory if the data is clean. Nothing is published (``docs/`` and
    ``site/`` are untouched); what is costly to make (validation results, exports, charts, cards) is kept
    under ``.cache/`` on the way (``cache.entry``), where the next run finds it."""
    checked = check(root)
    if checked.catalogue is None or not checked.ok(strict):
        return checked, None
    return checked, render_site(checked.catalogue, cache_dir=root / config.CACHE_DIR)


def build(root: Path, strict: bool = False) -> tuple[Checked, WriteReport | None]:
    """Check, render, write the pages and build ``root/site``; on any problem nothing is published (the cache
    under ``.cache/`` may have gained entries: they are kept by content, so they are never wrong).

    When nothing the output depends on has changed since the last successful build (``stamp``), nothing is
    read, rendered or built again: the problems that build found are returned, with ``checked.catalogue``
    None and every file counted unchanged."""
    key = stamp.inputs_key(root)
    last = stamp.up_to_date(root, key)
    if last is not None:
        skipped = Checked(None, last.issues, up_to_date=True)
        return skipped, (WriteReport(unchanged=len(last.files)) if skipped.ok(strict) else None)
    stamp.forget(root)
    checked, site = generate(root, strict)
    if site is None:
        return checked, None
    report = build_site(root, site)
    stamp.record(root, key, checked.issues)
    return checked, report


def write_pages(root: Path, strict: bool = False) -> tuple[Checked, WriteReport | None]:
    """Check, render and write the pages to ``root/docs`` only (for ``mkdocs serve``)."""
    checked, site = generate(root, strict)
    if site is None:
        return checked, None
    return checked, write_site(site, root / config.DOCS_DIR)
