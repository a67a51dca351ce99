"""Publish: build the public website with MkDocs, without ever leaving a half-built result.

The pages are written to a staging copy of ``docs/`` and MkDocs builds from it into a staging folder. Only
when that succeeds are the generated pages in ``docs/`` updated and the new site moved into place of the
old one; on any failure ``docs/`` and ``site/`` stay exactly as they were.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import cache, config, i18n
from generator.outputs.render import Site
from generator.publish import sitemaps, stamp
from generator.publish.write import WriteReport, write_site
from generator.read.load import load_site_info
from generator.workers import fork_pool


class SiteBuildError(Exception):
    """MkDocs could not build the site; the message says why."""


def build_site(root: Path, site: Site) -> WriteReport:
    """Build ``root/site`` from ``root/docs`` plus ``site``. Returns what changed in ``root/docs``.

    One MkDocs build per language, of one configuration: the Vietnamese site from ``docs/`` (without
    ``docs/en/``) into ``site/``, then for each other language ``mkdocs.<lang>.yml`` (which INHERITs
    ``mkdocs.yml``: its language, search language, names and navigation) from that language's pages plus the
    hand-written files (styles, scripts) into ``site/<lang>/``; the builds run side by side (``run_builds``).
    Files every language shares (downloads) are published once, by the Vietnamese build.

    Everything is made in a staging folder: ``docs/`` as it will be (hard links to the files that do not
    change) and the new ``site/``. Publishing swaps each folder with its staged one in one atomic exchange;
    on any failure both stay as they were, and a ``SiteBuildError`` says why. One build runs at a time (a
    lock), and staging folders a killed build left behind are removed first."""
    docs = root / config.DOCS_DIR
    with _one_build_at_a_time(root):
        _clean_up_after_killed_builds(root)
        fingerprint = inputs_fingerprint(root, site)
        marker = root / config.CACHE_DIR / "site.sha256"
        try:
            with tempfile.TemporaryDirectory(dir=root, prefix=STAGING_PREFIX, ignore_cleanup_errors=True) as tmp:
                stage = Path(tmp)
                handwritten = _handwritten(docs)
                shutil.copytree(docs, stage / "docs", symlinks=True, copy_function=_link_or_copy)
                report = write_site(site, stage / "docs")
                if _read(marker) == _marker(fingerprint, root):
                    # site/ was built from exactly these inputs: MkDocs would write the same bytes again
                    _publish(root, stage, docs, handwritten, with_site=False)
                    return report
                _build_languages(root, stage, site)
                _publish(root, stage, docs, handwritten, with_site=True)
        except OSError as exc:
            raise SiteBuildError(f"The site could not be written: {exc}. docs/ and site/ are unchanged.") from exc
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(_marker(fingerprint, root), encoding="utf-8")
    return report


def _marker(fingerprint: str, root: Path) -> str:
    """What ``.cache/site.sha256`` holds after a build: the inputs' fingerprint, and a hash of the list of
    ``site/``'s files with their sizes and times (``stamp.site_files``). MkDocs is skipped only while both
    match: a file deleted or changed in ``site/`` is built again."""
    listing = json.dumps(stamp.site_files(root / config.SITE_DIR), sort_keys=True).encode()
    return f"{fingerprint} {hashlib.sha256(listing).hexdigest()}"


STAGING_PREFIX = ".build-"


def _build_languages(root: Path, stage: Path, site: Site) -> None:
    """Every language's MkDocs build, from ``stage/docs`` into ``stage/site``; the sitemaps added."""
    docs = stage / "docs"
    builds = [Build(docs, stage / "site", config.MKDOCS_FILE, {})]
    base_url = load_site_info(root).url
    for lang in i18n.LANGUAGES[1:]:
        lang_docs = stage / f"docs-{lang}"
        shutil.copytree(docs, lang_docs, symlinks=True, ignore=_ignore_generated(docs), copy_function=_link_or_copy)
        shutil.copytree(docs / lang, lang_docs, symlinks=True, dirs_exist_ok=True, copy_function=_link_or_copy)
        overrides = {"site_url": base_url + i18n.prefix(lang)} if base_url else {}
        builds.append(Build(lang_docs, stage / f"site-{lang}", f"mkdocs.{lang}.yml", overrides))
    run_builds(root, builds)
    for lang in i18n.LANGUAGES[1:]:
        (stage / f"site-{lang}").rename(stage / "site" / lang)
        # A host serves one 404 page, the site's own (Vietnamese, with a link to the English home).
        (stage / "site" / lang / "404.html").unlink(missing_ok=True)
    sitemaps.write(stage / "site", site.pages, base_url)


def _publish(
    root: Path, stage: Path, docs: Path, handwritten: dict[str, tuple[int, int, int]], with_site: bool
) -> None:
    """Put the staged ``docs/`` (and ``site/``) in place: each by one atomic exchange of folders; if the
    second fails, the first is exchanged back. Refuses if a hand-written file of ``docs/`` changed while the
    build ran (the staged copy would undo the edit)."""
    if _handwritten(docs) != handwritten:
        raise SiteBuildError("A hand-written file of docs/ changed during the build. Run the build again.")
    previous_docs = _replace_folder(stage / "docs", docs, stage / "previous-docs")
    if not with_site:
        return
    try:
        _replace_folder(stage / "site", root / config.SITE_DIR, stage / "previous-site")
    except OSError:
        if previous_docs is not None:
            _replace_folder(previous_docs, docs, stage / "undone-docs")
        raise


def _replace_folder(new: Path, target: Path, previous: Path) -> Path | None:
    """Put the folder ``new`` where ``target`` is, atomically, and return where the old ``target`` now is
    (None if there was none). Linux exchanges the two folders in one step (``renameat2``
    ``RENAME_EXCHANGE``); elsewhere ``target`` is renamed to ``previous`` first (a build killed between the two
    renames is repaired by the next one: ``_clean_up_after_killed_builds``)."""
    if not target.exists() and not target.is_symlink():
        new.rename(target)
        return None
    try:
        _exchange(new, target)
        return new
    except OSError as exc:
        if exc.errno not in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
            raise
    target.rename(previous)
    new.rename(target)
    return previous


def _exchange(a: Path, b: Path) -> None:
    """Swap the paths ``a`` and ``b`` in one atomic step (Linux ``renameat2(..., RENAME_EXCHANGE)``)."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        raise OSError(errno.ENOSYS, "renameat2 is not available")
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(a), None, str(b))


@contextmanager
def _one_build_at_a_time(root: Path) -> Iterator[None]:
    """Hold ``.cache/build.lock`` for the build: a second build waits for the first."""
    lock = root / config.CACHE_DIR / "build.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _clean_up_after_killed_builds(root: Path) -> None:
    """Remove the staging folders of builds that were killed (none can be running: the lock is held). If one
    was killed between the two renames of a publish without atomic exchange, its ``previous-*`` folder is the
    last published one: it is put back first."""
    for leftover in sorted(root.glob(STAGING_PREFIX + "*")):
        if not leftover.is_dir() or leftover.is_symlink():
            continue
        for name, target in (("docs", root / config.DOCS_DIR), ("site", root / config.SITE_DIR)):
            previous = leftover / f"previous-{name}"
            if previous.is_dir() and not target.exists():
                previous.rename(target)
        shutil.rmtree(leftover, ignore_errors=True)


def _link_or_copy(source: str, target: str) -> None:
    """For ``copytree``: a hard link (no bytes copied; the writer replaces files, never writes into them),
    or a copy where links are not possible."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _handwritten(docs: Path) -> dict[str, tuple[int, int, int]]:
    """The hand-written files of ``docs`` (not the generated paths): path -> (inode, size, mtime)."""
    found = {}
    for path in docs.rglob("*"):
        relative = path.relative_to(docs)
        if relative.parts[0] in config.GENERATED_PATHS or path.is_dir():
            continue
        info = path.lstat()
        found[relative.as_posix()] = (info.st_ino, info.st_size, info.st_mtime_ns)
    return found


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
