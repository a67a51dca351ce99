"""The pipeline, start to end: load -> validate -> render -> write + MkDocs."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from generator import cache, config, timings, workers
from generator.issues import Issue, errors
from generator.models import Catalogue
from generator.publish import stamp
from generator.publish.site import Staged, publish, stage_pages, staging
from generator.publish.write import WriteReport, write_site
from generator.read.site_info import load_site_info

if TYPE_CHECKING:
    from generator.outputs.render import Site

# Reading, checking and rendering (frictionless, the templates, the exports' libraries) are imported by the
# functions that use them: ``build`` runs them in a process of its own, and the process that runs MkDocs
# never imports them (it was at 67 MB resident after importing everything, for the whole build).


@dataclass(frozen=True)
class Checked:
    """The catalogue, every problem found in it, and which datasets were checked this time (the others'
    problems came from the cache: nothing in them changed)."""

    # None when a build was skipped (nothing changed since the last one), and from ``build``: the catalogue
    # stays in the process that rendered the pages
    catalogue: Catalogue | None
    issues: list[Issue]
    checked: tuple[str, ...] = ()
    reused: tuple[str, ...] = ()
    up_to_date: bool = False  # the build was skipped (stamp): its issues are those of the last build

    def ok(self, strict: bool = False) -> bool:
        """No error, and under ``strict`` no warning either."""
        return not (self.issues if strict else errors(self.issues))


def check(root: Path) -> Checked:
    """Load and validate every dataset under ``root/datasets``."""
    from generator.check.validate import validate
    from generator.outputs import registry
    from generator.read.load import load_catalogue

    with timings.stage("load"):
        loaded, issues = load_catalogue(root)
    with timings.stage("validate"):
        validation = validate(loaded, root, cache_dir=root / config.CACHE_DIR / "validate")
    datasets = tuple(sorted((item.dataset for item in loaded), key=lambda d: d.name))
    found = issues + registry.collisions((item.dataset for item in loaded), root) + validation.issues
    return Checked(Catalogue(datasets, load_site_info(root)), found, validation.checked, validation.reused)


def generate(root: Path, strict: bool = False) -> tuple[Checked, Site | None]:
    """Check, then render the pages in memory if the data is clean. Nothing is published (``docs/`` and
    ``site/`` are untouched). What is costly to make (validation results, exports, charts, cards) goes
    through ``cache.entry``: under the workspace the commands open (``validate``, ``build``, ``serve``) it is
    made in the command's scratch folder and kept in ``.cache/`` only at the end, once everything succeeded."""
    from generator.outputs.render import render_site

    checked = check(root)
    if checked.catalogue is None or not checked.ok(strict):
        return checked, None
    return checked, render_site(checked.catalogue, cache_dir=root / config.CACHE_DIR)


def build(root: Path, strict: bool = False) -> tuple[Checked, WriteReport | None]:
    """Check, render, write the pages and build ``root/site``; on any problem nothing is published, and the
    cache under ``.cache/`` is as it was: what the build made is kept there only once it has published
    (``cache.workspace``).

    The pages are made in a process of their own (``_stage``), so ``checked.catalogue`` is None. When nothing
    the output depends on has changed since the last successful build (``stamp``), nothing is read, rendered
    or built again: the problems that build found are returned, with every file counted unchanged. Each
    stage is timed (``timings``), the stages of that other process included."""
    with timings.stage("build"):
        return _build(root, strict)


def _build(root: Path, strict: bool) -> tuple[Checked, WriteReport | None]:
    key = stamp.inputs_key(root)
    last = stamp.up_to_date(root, key)
    if last is not None:
        skipped = Checked(None, last.issues, up_to_date=True)
        return skipped, (WriteReport(unchanged=len(last.files)) if skipped.ok(strict) else None)
    stamp.forget(root)
    with cache.workspace(root / config.CACHE_DIR) as made, staging(root) as stage:
        checked, staged, discarded, (pid, taken) = workers.separately(functools.partial(_stage, root, strict, stage))
        made.discarded.extend(set(discarded) - set(made.discarded))  # made in another process: not known here
        if pid != os.getpid():  # timed in another process (in this one, they are already counted)
            timings.add(taken)
        if staged is None:
            return checked, None
        report = publish(root, stage, staged)
        made.keep()
    stamp.record(root, key, checked.issues)
    return checked, report


def _stage(
    root: Path, strict: bool, stage: Path
) -> tuple[Checked, Staged | None, list[Path], tuple[int, list[timings.Timing]]]:
    """``build``'s work up to MkDocs, in a process of its own (``workers.separately``): the catalogue and the
    rendered pages (most of a build's memory) are let go of before MkDocs runs. Returns the problems found
    (without the catalogue), the pages staged, the cache entries to remove when the build is kept, and the
    stages it timed with the process that timed them."""
    since = len(timings.taken())
    checked, site = generate(root, strict)
    workers.give_back()  # what rendering freed: writing the pages adds to this process's memory
    staged = None
    if site is not None:
        with timings.stage("stage"):
            staged = stage_pages(root, stage, site)
    return replace(checked, catalogue=None), staged, list(cache.discarding()), (os.getpid(), timings.taken(since))


def write_pages(root: Path, strict: bool = False) -> tuple[Checked, WriteReport | None]:
    """Check, render and write the pages to ``root/docs`` only (for ``mkdocs serve``)."""
    with cache.workspace(root / config.CACHE_DIR) as made:
        checked, site = generate(root, strict)
        if site is None:
            return checked, None
        report = write_site(site, root / config.DOCS_DIR)
        made.keep()
    return checked, report


def validate_only(root: Path) -> Checked:
    """``check`` for the ``validate`` command: the validation results it made are kept in ``.cache/`` once
    every dataset is checked (whatever was found), so that the next run checks only what changed."""
    with cache.workspace(root / config.CACHE_DIR) as made:
        checked = check(root)
        made.keep()
    return checked
