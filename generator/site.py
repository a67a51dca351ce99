"""Stage 5: build the public website with MkDocs, without ever leaving a half-built result.

The pages are written to a staging copy of ``docs/`` and MkDocs builds from it into a staging folder. Only
when that succeeds are the generated pages in ``docs/`` updated and the new site moved into place of the
old one; on any failure ``docs/`` and ``site/`` stay exactly as they were.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import cache, config, i18n, sitemaps, stamp
from generator.load import load_site_info
from generator.render import Site
from generator.workers import fork_pool
from generator.write import WriteReport, write_site


class SiteBuildError(Exception):
    """MkDocs could not build the site; the message says why."""


def build_site(root: Path, site: Site) -> WriteReport:
    """Build ``root/site`` from ``root/docs`` plus ``site``. Returns what changed in ``root/docs``.

    One MkDocs build per language, of one configuration: the Vietnamese site from ``docs/`` (without
    ``docs/en/``) into ``site/``, then for each other language ``mkdocs.<lang>.yml`` (which INHERITs
    ``mkdocs.yml``: its language, search language, names and navigation) from that language's pages plus the
    hand-written files (styles, scripts) into ``site/<lang>/``; the builds run side by side (``run_builds``).
    Files every language shares (downloads) are published once, by the Vietnamese build."""
    docs = root / config.DOCS_DIR
    fingerprint = inputs_fingerprint(root, site)
    marker = root / config.CACHE_DIR / "site.sha256"
    if (root / config.SITE_DIR / "index.html").is_file() and _read(marker) == fingerprint:
        # site/ was built from exactly these inputs: MkDocs would write the same bytes again
        return write_site(site, docs)
    with tempfile.TemporaryDirectory(dir=root, prefix=".build-") as tmp:
        stage = Path(tmp)
        shutil.copytree(docs, stage / "docs", symlinks=True, ignore=_ignore_generated(docs))
        write_site(site, stage / "docs")
        builds = [Build(stage / "docs", stage / "site", config.MKDOCS_FILE, {})]
        base_url = load_site_info(root).url
        for lang in i18n.LANGUAGES[1:]:
            lang_docs = stage / f"docs-{lang}"
            shutil.copytree(docs, lang_docs, symlinks=True, ignore=_ignore_generated(docs))
            shutil.copytree(stage / "docs" / lang, lang_docs, symlinks=True, dirs_exist_ok=True)
            overrides = {"site_url": base_url + i18n.prefix(lang)} if base_url else {}
            builds.append(Build(lang_docs, stage / f"site-{lang}", f"mkdocs.{lang}.yml", overrides))
        run_builds(root, builds)
        for lang in i18n.LANGUAGES[1:]:
            (stage / f"site-{lang}").rename(stage / "site" / lang)
            # A host serves one 404 page, the site's own (Vietnamese, with a link to the English home).
            (stage / "site" / lang / "404.html").unlink(missing_ok=True)
        sitemaps.write(stage / "site", site.pages, base_url)
        report = write_site(site, docs)
        _swap(stage / "site", root / config.SITE_DIR, stage / "old-site")
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(fingerprint, encoding="utf-8")
    return report


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def inputs_fingerprint(root: Path, site: Site) -> str:
    """A hash of everything the MkDocs builds read: the generated pages and files, and what a build reads
    besides the datasets (``stamp.add_surroundings``: the hand-written files, the MkDocs configurations, the
    generator, the versions of MkDocs and Material, the environment that changes the output)."""
    digest = hashlib.sha256()
    add = stamp.labelled(digest)
    stamp.add_surroundings(add, root)
    for path, text in site.pages.items():
        add("page:" + path, text.encode("utf-8"))
    for path, data in site.blobs.items():
        add("blob:" + path, data)
    for path, source in site.files.items():
        add("file:" + path, cache.file_digest(source))
    return digest.hexdigest()


def _ignore_generated(docs: Path) -> Callable[[str, list[str]], set[str]]:
    """For ``copytree``: the hand-written files of ``docs``, without what the generator writes."""

    def ignore(folder: str, names: list[str]) -> set[str]:
        if Path(folder).resolve() != docs.resolve():
            return set()
        return set(names) & set(config.GENERATED_PATHS)

    return ignore


def _swap(new: Path, target: Path, old: Path) -> None:
    """Replace ``target`` with ``new`` by two renames on the same file system."""
    if target.exists():
        target.rename(old)
    new.rename(target)


@dataclass(frozen=True)
class Build:
    """One MkDocs build: from ``docs_dir`` into ``site_dir`` with ``config_file`` and ``overrides``."""

    docs_dir: Path
    site_dir: Path
    config_file: str
    overrides: dict[str, Any]


def run_builds(root: Path, builds: list[Build], jobs: int | None = None) -> None:
    """Run ``builds`` (the languages' MkDocs builds, which share nothing), each in its own process, at most
    ``jobs`` (default: one per core) at a time; in this process, one after the other, on one core or
    without ``fork``. MkDocs is single-threaded: on two cores the two languages take the time of one.
    Raises ``SiteBuildError`` (the first build's that failed)."""
    with fork_pool(min(len(builds), max(1, jobs or os.cpu_count() or 1))) as pool:
        if pool is None:
            for item in builds:
                run_mkdocs(root, item.docs_dir, item.site_dir, item.config_file, **item.overrides)
            return
        futures = [
            pool.submit(run_mkdocs, root, item.docs_dir, item.site_dir, item.config_file, **item.overrides)
            for item in builds
        ]
        for future in futures:
            future.result()  # re-raises a build's SiteBuildError here


def run_mkdocs(
    root: Path, docs_dir: Path, site_dir: Path, config_file: str = config.MKDOCS_FILE, **overrides: Any
) -> None:
    """``mkdocs build --strict`` of ``root/config_file`` from ``docs_dir`` into ``site_dir``, in this process;
    ``overrides`` replace settings of the configuration file (``plugins=[...]``, ...)."""
    from mkdocs import exceptions
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    with _environment(root), _mkdocs_log() as messages:
        try:
            cfg = load_config(
                config_file=str(root / config_file),
                docs_dir=str(docs_dir),
                site_dir=str(site_dir),
                strict=True,
                **overrides,
            )
            build(cfg)
        except (exceptions.MkDocsException, exceptions.Abort, OSError) as exc:
            detail = "\n".join(messages) or str(exc)
            raise SiteBuildError(f"MkDocs failed: {exc}\n{detail}".strip()) from exc


@contextmanager
def _environment(root: Path) -> Iterator[None]:
    """Quiet Material's MkDocs 2.0 banner, and date the build by the last commit (sitemap dates, gzip
    headers) so that the same input gives the same bytes."""
    saved = dict(os.environ)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    if "SOURCE_DATE_EPOCH" not in os.environ:
        epoch = stamp.commit_time(root)
        if epoch:
            os.environ["SOURCE_DATE_EPOCH"] = epoch
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@contextmanager
def _mkdocs_log() -> Iterator[list[str]]:
    """Collect MkDocs' warnings and errors, to print them if the build fails."""
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(f"{record.levelname}: {record.getMessage()}")

    handler = Collect(level=logging.WARNING)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        yield messages
    finally:
        logger.removeHandler(handler)
