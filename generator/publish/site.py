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
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import config, i18n, timings
from generator.publish import compact, incremental, linked, mirror, searchlean, sitemaps, stamp, write
from generator.publish.write import WriteReport, handwritten_files, write_site
from generator.read.site_info import load_site_info
from generator.workers import cores, fork_pool

if TYPE_CHECKING:  # the renderer is not imported by the process that only publishes
    from generator.outputs.render import Site


class SiteBuildError(Exception):
    """MkDocs could not build the site; the message says why."""


@contextmanager
def staging(root: Path) -> Iterator[Path]:
    """A staging folder for one build of the site, under ``root``. One build runs at a time (a lock), and
    staging folders a killed build left behind are removed first. An ``OSError`` inside becomes a
    ``SiteBuildError``."""
    with _one_build_at_a_time(root):
        _clean_up_after_killed_builds(root)
        try:
            with tempfile.TemporaryDirectory(dir=root, prefix=STAGING_PREFIX, ignore_cleanup_errors=True) as tmp:
                yield Path(tmp)
        except OSError as exc:
            raise SiteBuildError(f"The site could not be written: {exc}. docs/ and site/ are unchanged.") from exc


@dataclass(frozen=True)
class Staged:
    """The pages written to a staging copy of ``docs/`` (``stage_pages``): what changed in ``docs/``, what
    MkDocs will read (``Inputs``), the pages' paths (for the sitemaps) and the hand-written files as they
    were when the copy was made."""

    report: WriteReport
    inputs: Inputs
    pages: tuple[str, ...]
    handwritten: dict[str, tuple[int, int, int]]


def stage_pages(root: Path, stage: Path, site: Site) -> Staged:
    """Write ``site`` into ``stage/docs``, a copy of ``root/docs`` (hard links). Only the paths and digests
    of ``site`` are needed afterwards: the site can be built by a process that never held the catalogue."""
    docs = root / config.DOCS_DIR
    inputs = read_inputs(root, site)
    handwritten = _handwritten(docs)
    mirror.take(root, "docs", stage / "docs")
    mirror.make(stage / "docs", mirror.listing(docs))
    report = write_site(site, stage / "docs", inputs.generated, _read_known(root / config.CACHE_DIR / WRITTEN))
    return Staged(report, inputs, tuple(site.pages), handwritten)


def publish(root: Path, stage: Path, staged: Staged) -> WriteReport:
    """Build the site from ``stage/docs`` (``stage_pages``) into ``stage/site`` with MkDocs, or not at all
    when ``site/`` was built from exactly these inputs, and put ``docs/`` and ``site/`` in place. Returns what
    changed in ``root/docs``.

    One MkDocs build per language, of one configuration: the Vietnamese site from ``docs/`` (without
    ``docs/en/``) into ``site/``, then for each other language ``mkdocs.<lang>.yml`` (which INHERITs
    ``mkdocs.yml``: its language, search language, names and navigation) from that language's pages plus the
    hand-written files (styles, scripts) into ``site/<lang>/``; the builds run side by side (``run_builds``).
    Files every language shares (downloads) are published once, by the Vietnamese build. Publishing swaps
    each folder with its staged one in one atomic exchange; on any failure both stay as they were, and a
    ``SiteBuildError`` says why."""
    with timings.stage("publish"):
        return _publish_site(root, stage, staged)


def _publish_site(root: Path, stage: Path, staged: Staged) -> WriteReport:
    docs = root / config.DOCS_DIR
    manifest_path = root / config.CACHE_DIR / MANIFEST
    last = _read_manifest(manifest_path)
    inputs = staged.inputs
    listing = _listing(root)
    if last.get("fingerprint") == inputs.fingerprint and last.get("listing") == listing:
        # site/ was built from exactly these inputs: MkDocs would write the same bytes again
        _keep_mirrors(root, stage, _publish(root, stage, docs, staged.handwritten, with_site=False))
        _keep_json(root / config.CACHE_DIR / WRITTEN, write.record(docs, inputs.generated))
        return staged.report
    _build_languages(root, stage, staged.pages, changed_since(last, inputs, listing))
    _keep_mirrors(root, stage, _publish(root, stage, docs, staged.handwritten, with_site=True))
    _keep_json(root / config.CACHE_DIR / WRITTEN, write.record(docs, inputs.generated))
    manifest = {
        "fingerprint": inputs.fingerprint,
        "setup": inputs.setup,
        "listing": _listing(root),
        "generated": inputs.generated,
    }
    _keep_json(manifest_path, manifest)
    return staged.report


def _keep_json(path: Path, data: Any) -> None:
    """Write ``data`` as JSON to ``path`` (whole, then renamed into place)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
    partial.replace(path)


def _read_known(path: Path) -> write.Known:
    """``write.record`` as kept in ``path``; empty if there is none or it cannot be read."""
    data = _read_manifest(path)
    try:
        return {str(k): (str(d), int(i), int(n), int(t)) for k, (d, i, n, t) in data.items()}
    except (TypeError, ValueError):
        return {}


# What the last build of site/ was made from (``read_inputs``), and the list of site/'s files it left: MkDocs is
# skipped while everything matches, and runs only on the changed pages while the set-up and the set of files
# match (``changed_since``). A file deleted or changed in site/ by hand means a whole build.
MANIFEST = "site.json"
# The generated files the last publish left in docs/, with their digests (``write.record``): the next build
# compares its pages with them without reading them.
WRITTEN = "docs.json"


def _read_manifest(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _listing(root: Path) -> str:
    """A hash of the list of ``site/``'s files with their sizes and times (``stamp.site_files``)."""
    listing = json.dumps(stamp.site_files(root / config.SITE_DIR), sort_keys=True).encode()
    return hashlib.sha256(listing).hexdigest()


def changed_since(last: dict[str, Any], inputs: Inputs, listing: str) -> frozenset[str] | None:
    """The generated paths (inside ``docs/``) whose content changed since the build of the site in place, when
    only their content changed: the same MkDocs set-up (``Inputs.setup``), the same generated paths, and
    ``site/`` as that build left it. None when the site must be built whole."""
    previous = last.get("generated")
    if last.get("setup") != inputs.setup or last.get("listing") != listing or not isinstance(previous, dict):
        return None
    if previous.keys() != inputs.generated.keys():
        return None
    return frozenset(path for path, digest in inputs.generated.items() if previous[path] != digest)


STAGING_PREFIX = ".build-"


def _build_languages(root: Path, stage: Path, pages: Iterable[str], changed: frozenset[str] | None = None) -> None:
    """Every language's MkDocs build, from ``stage/docs`` into ``stage/site``; the sitemaps added. With
    ``changed`` (generated paths inside ``docs/``), each build reads only those of its pages and takes the
    rest from ``site/`` (``incremental``); if that fails, the site is built whole."""
    if changed is not None:
        try:
            _run_languages(root, stage, pages, changed)
            # every file of site/ that was not built again, from a copy kept from the last build
            built = stage / "site-built"
            (stage / "site").rename(built)
            mirror.take(root, "site", stage / "site")
            mirror.make(stage / "site", {**mirror.listing(root / config.SITE_DIR), **mirror.listing(built)})
            return
        except SiteBuildError as exc:
            logging.getLogger(__name__).info("built whole: %s", exc)
            for leftover in stage.glob("site*"):
                shutil.rmtree(leftover)
    _run_languages(root, stage, pages, None)


def _run_languages(root: Path, stage: Path, pages: Iterable[str], changed: frozenset[str] | None) -> None:
    docs = stage / "docs"
    previous = root / config.SITE_DIR
    builds = [Build(docs, stage / "site", config.MKDOCS_FILE, {}, _own(changed, ""), previous)]
    base_url = load_site_info(root).url
    for lang in i18n.LANGUAGES[1:]:
        lang_docs = stage / f"docs-{lang}"
        if not lang_docs.exists():  # the hand-written files and the language's pages
            mirror.take(root, f"docs-{lang}", lang_docs)
            hand_written = mirror.listing(docs, skip=config.GENERATED_PATHS)
            mirror.make(lang_docs, {**hand_written, **mirror.listing(docs / lang)})
        overrides = {"site_url": base_url + i18n.prefix(lang)} if base_url else {}
        own = _own(changed, i18n.prefix(lang))
        builds.append(Build(lang_docs, stage / f"site-{lang}", f"mkdocs.{lang}.yml", overrides, own, previous / lang))
    with timings.stage("mkdocs"):
        run_builds(root, builds)
    for lang in i18n.LANGUAGES[1:]:
        (stage / f"site-{lang}").rename(stage / "site" / lang)
        # A host serves one 404 page, the site's own (Vietnamese, with a link to the English home).
        (stage / "site" / lang / "404.html").unlink(missing_ok=True)
    sitemaps.write(stage / "site", pages, base_url)


def _own(changed: frozenset[str] | None, prefix: str) -> frozenset[str] | None:
    """The changed paths one language's build reads: those under its folder (``en/``), inside it; the default
    language's are those under no other language's folder."""
    if changed is None:
        return None
    if prefix:
        return frozenset(path[len(prefix) :] for path in changed if path.startswith(prefix))
    others = tuple(i18n.prefix(lang) for lang in i18n.LANGUAGES[1:])
    return frozenset(path for path in changed if not path.startswith(others))


def _publish(
    root: Path, stage: Path, docs: Path, handwritten: dict[str, tuple[int, int, int]], with_site: bool
) -> dict[str, Path | None]:
    """Put the staged ``docs/`` (and ``site/``) in place: each by one atomic exchange of folders; if the
    second fails, the first is exchanged back. Refuses if a hand-written file of ``docs/`` changed while the
    build ran (the staged copy would undo the edit). Returns where the folders replaced now are, by name."""
    if _handwritten(docs) != handwritten:
        raise SiteBuildError("A hand-written file of docs/ changed during the build. Run the build again.")
    previous_docs = _replace_folder(stage / "docs", docs, stage / "previous-docs")
    if not with_site:
        return {"docs": previous_docs}
    try:
        previous_site = _replace_folder(stage / "site", root / config.SITE_DIR, stage / "previous-site")
    except OSError:
        if previous_docs is not None:
            _replace_folder(previous_docs, docs, stage / "undone-docs")
        raise
    return {"docs": previous_docs, "site": previous_site}


def _keep_mirrors(root: Path, stage: Path, replaced: dict[str, Path | None]) -> None:
    """Keep the copies this build is done with for the next one (``mirror``): the folders it replaced and
    each other language's staged pages. A copy that cannot be kept is made again next time."""
    folders = {**replaced, **{f"docs-{lang}": stage / f"docs-{lang}" for lang in i18n.LANGUAGES[1:]}}
    for name, folder in folders.items():
        try:
            mirror.keep(root, name, folder)
        except OSError as exc:
            logging.getLogger(__name__).info("not kept for the next build: %s (%s)", name, exc)


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
    """Hold a lock on the folder ``.cache/`` itself for the build (no lock file: a build refused for its data
    leaves nothing behind): a second build waits for the first."""
    folder = root / config.CACHE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # closing the folder lets go of the lock


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


def _handwritten(docs: Path) -> dict[str, tuple[int, int, int]]:
    """The hand-written files of ``docs`` (not the generated paths): path -> (inode, size, mtime)."""
    found = {}
    for path in handwritten_files(docs):
        info = path.lstat()
        found[path.relative_to(docs).as_posix()] = (info.st_ino, info.st_size, info.st_mtime_ns)
    return found


@dataclass(frozen=True)
class Inputs:
    """What the MkDocs builds read: all of it (``fingerprint``), what besides the generated files (``setup``:
    ``stamp.add_surroundings`` without the commit, which reaches the pages only through the generated
    files), and each generated file's SHA-256 (``generated``, by path inside ``docs/``)."""

    fingerprint: str
    setup: str
    generated: dict[str, str]


def read_inputs(root: Path, site: Site) -> Inputs:
    """``Inputs`` of a build of ``site``: the generated pages and files, and what a build reads besides the
    datasets (the hand-written files, the MkDocs configurations, the generator, the versions of MkDocs and
    Material, the environment that changes the output)."""
    setup = hashlib.sha256()
    stamp.add_surroundings(stamp.labelled(setup), root, commit=False)
    generated = {path: site.digest(path) for path in site.paths()}
    digest = hashlib.sha256()
    add = stamp.labelled(digest)
    stamp.add_surroundings(add, root)
    for path in sorted(generated):
        add("generated:" + path, bytes.fromhex(generated[path]))
    return Inputs(digest.hexdigest(), setup.hexdigest(), dict(sorted(generated.items())))


@dataclass(frozen=True)
class Build:
    """One MkDocs build: from ``docs_dir`` into ``site_dir`` with ``config_file`` and ``overrides``."""

    docs_dir: Path
    site_dir: Path
    config_file: str
    overrides: dict[str, Any]
    changed: frozenset[str] | None = None  # only these files of docs_dir, the rest from ``previous``
    previous: Path | None = None


def run_builds(root: Path, builds: list[Build], jobs: int | None = None) -> None:
    """Run ``builds`` (the languages' MkDocs builds, which share nothing), each in its own process, at most
    ``jobs`` (default: one per core) at a time; in this process, one after the other, on one core or
    without ``fork``. MkDocs is single-threaded: on two cores the two languages take the time of one.
    Raises ``SiteBuildError`` (the first build's that failed)."""
    with fork_pool(min(len(builds), max(1, jobs or cores()))) as pool:
        if pool is None:
            for item in builds:
                run_mkdocs(root, item)
            return
        futures = [pool.submit(run_mkdocs, root, item) for item in builds]
        for future in futures:
            future.result()  # re-raises a build's SiteBuildError here


def run_mkdocs(root: Path, item: Build) -> None:
    """``mkdocs build --strict`` of ``item``, in this process: of ``root/item.config_file`` from
    ``item.docs_dir`` into ``item.site_dir``, ``item.overrides`` replacing settings of the configuration file
    (``plugins=[...]``, ...). With ``item.changed``, a dirty build of those files only (``incremental``)."""
    from mkdocs import exceptions
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    quiet = incremental.QuietDirtyWarning()
    with _environment(root), _mkdocs_log() as messages:
        try:
            cfg = load_config(
                config_file=str(root / item.config_file),
                docs_dir=str(item.docs_dir),
                site_dir=str(item.site_dir),
                strict=True,
                **item.overrides,
            )
            cfg.plugins["generator/compact"] = compact.Compact()
            cfg.plugins["generator/searchlean"] = searchlean.LeanSearch()
            cfg.plugins["generator/linked"] = linked.Linked(config.GENERATED_PATHS)
            dirty = item.changed is not None and item.previous is not None
            if item.changed is not None and item.previous is not None:
                cfg.plugins["generator/incremental"] = incremental.Incremental(item.changed, item.previous)
                logging.getLogger("mkdocs.commands.build").addFilter(quiet)
            build(cfg, dirty=dirty)
        except (exceptions.MkDocsException, exceptions.Abort, OSError) as exc:
            detail = "\n".join(messages) or str(exc)
            raise SiteBuildError(f"MkDocs failed: {exc}\n{detail}".strip()) from exc
        finally:
            logging.getLogger("mkdocs.commands.build").removeFilter(quiet)


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
