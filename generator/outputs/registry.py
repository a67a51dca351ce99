"""One registry of everything the site publishes: each kind of file, where it lands in ``site/``, its format,
and which module makes it (``OUTPUTS``); the names of a dataset's files (``dataset_outputs``); and the check
that no two outputs take one path (``collisions``, code ``output-collision``), which ``validate`` and
``build`` both run, so that whatever ``validate`` accepts, ``build`` can publish.

``python -m generator.outputs.registry`` prints ``OUTPUTS`` as the Markdown table README shows ("What is
published"); ``tests/test_registry.py`` checks that every file of a built site is one of these kinds, that
every kind is published, and that README's table is this one.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from generator import config
from generator.issues import Issue, Message, msg, show
from generator.models import Dataset, Resource
from generator.read import guard
from generator.read.load import rel

DCAT_FILE = "catalog.jsonld"
DATAPACKAGE_JSON = "datapackage.json"  # each dataset's descriptor as published (Data Package v2, JSON)
DATASET_DCAT_FILE = "dcat.jsonld"  # each dataset's own DCAT-AP description, beside its files
FEED_FILE = "feed.xml"
CATALOGUE_ZIP = "du-lieu/cum-thi-dua-so-2.zip"


@dataclass(frozen=True)
class Output:
    """A kind of published file. ``pattern`` is its path in ``site/``: ``{lang}`` is the other languages'
    folder (``en/``) or nothing, ``{x}`` one path segment, ``{x...}`` one or more; ``made_by`` the module
    (under ``generator/``) or tool that makes it."""

    kind: str
    pattern: str
    format: str
    made_by: str
    what: str

    def regex(self) -> re.Pattern[str]:
        parts = re.split(r"(\{[a-z]+(?:\.\.\.)?\})", self.pattern)
        out = []
        for part in parts:
            if part == "{lang}":
                out.append("(?:en/)?")
            elif part.startswith("{") and part.endswith("...}"):
                out.append("[^/]+(?:/[^/]+)*")
            elif part.startswith("{"):
                out.append("[^/]+")
            else:
                out.append(re.escape(part))
        return re.compile("".join(out))


_PAGE = "Markdown by outputs/render.py, HTML by MkDocs"
# In the order a path is matched: the first kind whose pattern matches a path is the path's kind.
OUTPUTS = (
    Output("home page", "{lang}index.html", "HTML", _PAGE, "the home page: key figures and the members"),
    Output("about page", "{lang}gioi-thieu/index.html", "HTML", _PAGE, "what the site is, its sources and licence"),
    Output("catalogue", "{lang}du-lieu/index.html", "HTML", _PAGE, "every dataset, with a filter"),
    Output(
        "catalogue page", "{lang}danh-muc/{n}/index.html", "HTML", _PAGE, "the catalogue's further pages (over 100)"
    ),
    Output("dataset page", "{lang}du-lieu/{dataset}/index.html", "HTML", _PAGE, "a dataset: answer, charts, tables"),
    Output("members page", "{lang}dia-phuong/index.html", "HTML", _PAGE, "the five members"),
    Output("member page", "{lang}dia-phuong/{member}/index.html", "HTML", _PAGE, "a member's figures"),
    Output("comparison page", "{lang}so-sanh/index.html", "HTML", _PAGE, "the members side by side"),
    Output("conflicts page", "{lang}mau-thuan/index.html", "HTML", _PAGE, "every documented disagreement"),
    Output("not-found page", "404.html", "HTML", "MkDocs (Material)", "the one page of unknown addresses"),
    Output(
        "chart",
        "{lang}{page...}/bieu-do/{chart...}.svg",
        "SVG",
        "outputs/charts.py",
        "a chart, drawn at build time",
    ),
    Output(
        "home chart",
        "{lang}bieu-do-trang-chu/{dataset}/{indicator}/{name}.svg",
        "SVG",
        "outputs/charts.py",
        "the home page's chart",
    ),
    Output("card", "{lang}og/{page...}.png", "PNG", "outputs/social.py", "a page's link-preview image"),
    Output(
        "dataset catalogue entry",
        f"du-lieu/{{dataset}}/{DATASET_DCAT_FILE}",
        "JSON-LD",
        "outputs/exports.py",
        "a dataset's DCAT-AP description",
    ),
    Output(
        "dataset descriptor",
        f"du-lieu/{{dataset}}/{DATAPACKAGE_JSON}",
        "JSON",
        "outputs/exports.py",
        "the Data Package v2 descriptor, every file with size and SHA-256",
    ),
    Output("catalogue archive", CATALOGUE_ZIP, "ZIP", "outputs/exports.py", "every dataset's files in one archive"),
    Output("dataset archive", "du-lieu/{dataset}/{dataset}.zip", "ZIP", "outputs/exports.py", "a dataset's files"),
    Output(
        "descriptor as written",
        "du-lieu/{dataset}/datapackage.{ext}",
        "YAML or JSON",
        "publish/write.py (copied)",
        "the maintainers' descriptor, as in the repository",
    ),
    Output(
        "Excel copy",
        "du-lieu/{dataset}/{path...}.excel.csv",
        "CSV (UTF-8 with BOM, CRLF)",
        "outputs/exports.py",
        "a table for Excel",
    ),
    Output(
        "table as validated",
        "du-lieu/{dataset}/{path...}.csv",
        "CSV",
        "publish/write.py (copied)",
        "a table, byte for byte as validated",
    ),
    Output("workbook", "du-lieu/{dataset}/{path...}.xlsx", "XLSX", "outputs/exports.py", "a table as a workbook"),
    Output("JSON copy", "du-lieu/{dataset}/{path...}.json", "JSON", "outputs/exports.py", "a table as typed records"),
    Output("DCAT catalogue", DCAT_FILE, "JSON-LD", "outputs/exports.py", "the DCAT-AP catalogue of every dataset"),
    Output("feed", "{lang}" + FEED_FILE, "Atom", "outputs/exports.py", "the updates, newest first"),
    Output("sitemap", "{lang}sitemap.xml", "XML", "publish/sitemaps.py", "every page with its other language"),
    Output("sitemap, compressed", "{lang}sitemap.xml.gz", "gzip", "publish/sitemaps.py", "the same, compressed"),
    Output("robots.txt", "robots.txt", "text", "publish/sitemaps.py", "where the sitemaps are"),
    Output(
        "search index",
        "{lang}search/search_index.json",
        "JSON",
        "MkDocs (search plugin)",
        "loaded only when the reader searches",
    ),
    Output("theme and styles", "{lang}assets/{file...}", "CSS, JS, fonts", "docs/assets, Material", "the look"),
    Output("service worker", "{lang}sw.js", "JavaScript", "docs/sw.js (hand-written)", "pages once read open offline"),
)


def kind_of(path: str) -> Output | None:
    """The kind of the published file at ``path`` (relative to ``site/``, with ``/``), or None."""
    return next((output for output in OUTPUTS if output.regex().fullmatch(path)), None)


def table() -> str:
    """``OUTPUTS`` as a Markdown table (README, "What is published")."""
    lines = ["| file | what | where in `site/` | format | made by |", "| --- | --- | --- | --- | --- |"]
    for o in OUTPUTS:
        lines.append(f"| {o.kind} | {o.what} | `{o.pattern}` | {o.format} | {o.made_by} |")
    return "\n".join(lines) + "\n"


def dcat_path(name: str) -> str:
    """Where a dataset's own DCAT-AP description is published."""
    return f"{dataset_folder(name)}/{DATASET_DCAT_FILE}"


def dataset_folder(name: str) -> str:
    return f"{config.CATALOGUE_DIR}/{name}"


def chart_folder(name: str) -> str:
    """Where a dataset page's charts are published: ``<indicator>/<year>.svg`` and ``<indicator>/cac-nam.svg``."""
    return f"{dataset_folder(name)}/bieu-do"


def copy_names(resource: Resource) -> dict[str, str]:
    """Kind of download -> the file name, in the dataset's folder, of each copy made of ``resource``: the
    Excel CSV, and unless the table is large the workbook and the JSON records. None without a schema."""
    if not resource.path or not resource.fields:
        return {}
    stem = posixpath.splitext(resource.path)[0]
    names = {"excel-csv": f"{stem}.excel.csv"}
    if not resource.large:
        names |= {"xlsx": f"{stem}.xlsx", "json": f"{stem}.json"}
    return names


def dataset_outputs(dataset: Dataset) -> list[tuple[str, str, str | None]]:
    """Every file published in a dataset's folder, as ``(name, what, resource)``: ``what`` is ``page``,
    ``descriptor``, ``datapackage``, ``archive``, ``dcat``, ``file`` (a resource's own file) or a kind of copy
    (``excel-csv``, ``xlsx``, ``json``); ``resource`` names the resource it comes from. ``check_outputs``
    checks that no two share a name (or that one is not a folder of another); ``build_exports`` makes them."""
    outputs: list[tuple[str, str, str | None]] = [
        ("index.md", "page", None),
        (DATAPACKAGE_JSON, "datapackage", None),
        (f"{dataset.name}.zip", "archive", None),
        (DATASET_DCAT_FILE, "dcat", None),
    ]
    if dataset.descriptor.name != DATAPACKAGE_JSON:
        outputs.append((dataset.descriptor.name, "descriptor", None))
    for resource in dataset.resources:
        if resource.path:
            outputs.append((resource.path, "file", resource.name))
            outputs += [(name, kind, resource.name) for kind, name in copy_names(resource).items()]
    return outputs


def _output(what: str, resource: str | None) -> Message:
    """What makes a published file, in words (``dataset_outputs``' kinds)."""
    named = show(resource or "")
    return {
        "page": msg("the dataset's page"),
        "descriptor": msg("the descriptor"),
        "datapackage": msg("the generated datapackage.json"),
        "archive": msg("the dataset's ZIP archive"),
        "dcat": msg("the dataset's DCAT description"),
        "file": msg("the file of resource {resource}", resource=named),
        "excel-csv": msg("the Excel copy (CSV) of resource {resource}", resource=named),
        "xlsx": msg("the workbook (XLSX) of resource {resource}", resource=named),
        "json": msg("the JSON copy of resource {resource}", resource=named),
    }[what]


def check_outputs(dataset: Dataset, root: Path) -> Iterator[Issue]:
    """No two files the site publishes for ``dataset`` land on the same path, and none needs as a folder a
    name another file has: a download would otherwise serve another file than its page, its hashes and its
    catalogue entry say. Each indicator's charts are published under its id, so an id is a slug, and in one
    table of the dataset only."""
    descriptor = rel(dataset.descriptor, root)
    index = {r.name: i for i, r in enumerate(dataset.resources)}
    folder = dataset_folder(dataset.name)
    files: dict[str, tuple[str, str | None]] = {}
    folders: dict[str, tuple[str, str | None]] = {}
    for name, what, resource in dataset_outputs(dataset):
        clash = next((p for p in _parents(name) if p in files), None)
        first = files.get(name) or folders.get(name) or (files[clash] if clash else None)
        if first is None:
            files[name] = (what, resource)
            for parent in _parents(name):
                folders.setdefault(parent, (what, resource))
            continue
        path = show(f"{folder}/{name if clash is None else clash}")
        if name in files:
            problem = msg(
                "Two files would be published as {path}: {first} and {second}.",
                path=path,
                first=_output(*first),
                second=_output(what, resource),
            )
        else:
            problem = msg(
                "Two files would need {path}, one as a file, the other as a folder: {first} and {second}.",
                path=path,
                first=_output(*first),
                second=_output(what, resource),
            )
        blamed = resource if resource is not None else first[1]
        yield Issue(
            descriptor,
            None,
            f"resources[{index[blamed]}].path" if blamed is not None else None,
            "output-collision",
            problem,
            msg(
                "Rename the file of resource {resource} (its `path` in {file}, and the file itself): a resource "
                "`x.csv` is also published as `x.excel.csv`, `x.xlsx` and `x.json`, and `datapackage.json`, "
                "`{dataset}.zip` and `dcat.jsonld` are taken.",
                resource=show(blamed or ""),
                file=descriptor,
                dataset=dataset.name,
            ),
            dataset=dataset.name,
        )
    yield from _chart_names(dataset, root)


def _parents(name: str) -> list[str]:
    """``a/b/c.csv`` -> ``["a", "a/b"]``: the folders a file needs."""
    parts = name.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def _chart_names(dataset: Dataset, root: Path) -> Iterator[Issue]:
    """Indicator ids name chart files (``bieu-do/<indicator>/<year>.svg``): each is a slug, found in one
    observations table of the dataset."""
    owner: dict[str, Resource] = {}
    for resource in dataset.resources:
        if not resource.is_observations:
            continue
        file = rel(dataset.folder / resource.path, root)
        seen: set[str] = set()
        for row in resource.rows:
            value = row.cells.get("indicator_id")
            if value is None or str(value) in seen:
                continue
            indicator = str(value)
            seen.add(indicator)
            if not guard.SLUG.fullmatch(indicator):
                yield Issue(
                    file,
                    row.number,
                    "indicator_id",
                    "unsafe-name",
                    msg(
                        "The indicator id {id} cannot name a chart file: ids are lower-case letters, digits and "
                        "hyphens.",
                        id=show(indicator),
                    ),
                    msg("Change the id in {file} and in the indicators table, e.g. `production-value`.", file=file),
                    dataset=dataset.name,
                )
            elif indicator in owner:
                yield Issue(
                    file,
                    row.number,
                    "indicator_id",
                    "output-collision",
                    msg(
                        "The indicator {id} is also in the table {other}: the charts of both tables would be "
                        "published as {path}.",
                        id=show(indicator),
                        other=show(owner[indicator].path),
                        path=show(f"{chart_folder(dataset.name)}/{indicator}/"),
                    ),
                    msg(
                        "Keep the figures of one indicator in one table of the dataset, or give this indicator "
                        "another id in {file}.",
                        file=file,
                    ),
                    dataset=dataset.name,
                )
            else:
                owner[indicator] = resource


def collisions(datasets: Iterable[Dataset], root: Path) -> list[Issue]:
    """Every ``output-collision`` of ``datasets``: two outputs on one path (``check_outputs``)."""
    return [issue for dataset in datasets for issue in check_outputs(dataset, root)]


if __name__ == "__main__":
    print(table(), end="")
