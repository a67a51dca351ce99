"""Check: check every package and every row, and return every problem found (never raise).

Frictionless checks each package against its descriptor and schema, row by row. References to another
dataset (``reference: {package: ..., resource: ...}``) are checked by frictionless too: the referenced
table's key columns are added to the package as an inline resource (looked up, not checked again). The
generator then adds the checks frictionless has no notion of: folder and package names, the figures'
vocabularies, and that each figure matches its ``as_published`` text.
"""

from __future__ import annotations

import dataclasses
import re
import tempfile
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from babel.numbers import NumberFormatError, parse_decimal
from frictionless import Checklist, FrictionlessException, Package, Report, Schema
from frictionless import Resource as FlResource

from generator import cache, config
from generator.check import checks, hints, large
from generator.issues import Issue, Param, Severity, frictionless_hint, frictionless_message, msg, show
from generator.models import (
    FIGURE_FIELDS,
    OBSERVATION_FIELDS,
    Catalogue,
    Dataset,
    ForeignKey,
    LineMap,
    Loaded,
    Resource,
    Row,
)
from generator.read import guard
from generator.read.load import rel, stream_rows
from generator.vocab import ESTIMATE, OBSERVATION_VOCABULARIES, QUALIFIERS, RESULT, SECONDARY, Term
from generator.workers import alongside, cores, give_back

# A number as Vietnamese text writes it: 2.735,764 · 10.858 · 100,05 · 93; and as an English page does:
# 2,735.764 · 81,600 · 1845.00 (the source's ``language`` says which).
_NUMBERS = {
    "vi": re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"),
    "en": re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"),
}
_OUT_OF = re.compile(r"(?<![\d/])(\d+)/\d+(?![\d/])")  # "4/7 xã": 4 (of 7)


@dataclass(frozen=True)
class Validation:
    """What ``validate`` found, and which datasets it checked this time (the others came from the cache)."""

    issues: list[Issue]
    checked: tuple[str, ...]
    reused: tuple[str, ...]


def validate(loaded: list[Loaded], root: Path, cache_dir: Path | None = None, jobs: int | None = None) -> Validation:
    """Every problem in the loaded packages: names, frictionless' checks, and the figures' own rules.

    Datasets are checked in parallel, one per process (``jobs``, default: every core), largest first. With
    ``cache_dir``, a dataset whose files, referenced datasets and generator are unchanged is not checked
    again: its problems come from the cache (``generator/cache.py``)."""
    catalogue = Catalogue(tuple(item.dataset for item in loaded))
    found: dict[int, list[Issue]] = {}
    keys: dict[int, str] = {}
    for index, item in enumerate(loaded):
        if cache_dir is not None:
            keys[index] = cache.dataset_key(item.dataset, catalogue)
            cached = cache.load(cache_dir, keys[index])
            if cached is not None:
                found[index] = cached
    pending = [i for i in range(len(loaded)) if i not in found]
    workers = max(1, jobs or cores())
    with tempfile.TemporaryDirectory(prefix="generator-pieces-") as pieces_dir:
        tasks = _tasks(pending, loaded, root, workers, Path(pieces_dir))
        results: dict[int, list[Issue]] = {i: [] for i in pending}
        for task, issues in zip(tasks, _run(tasks, loaded, catalogue, root, workers), strict=True):
            results[task.dataset].extend(issues)
    for index in pending:
        found[index] = results[index]
        if cache_dir is not None:
            cache.store(cache_dir, keys[index], results[index])
    issues = list(check_names(loaded, root))
    for index in range(len(loaded)):
        issues.extend(found[index])
    return Validation(
        issues,
        tuple(loaded[i].dataset.name for i in pending),
        tuple(loaded[i].dataset.name for i in range(len(loaded)) if i not in pending),
    )


@dataclass(frozen=True)
class _Task:
    """One unit of work for a process: a dataset (all of it but its large tables' rows), a piece of a large
    table, or the keys of a large table."""

    dataset: int
    resource: str | None = None
    piece: large.Piece | None = None
    size: int = 0  # bytes to read: the largest tasks start first


def _tasks(pending: list[int], loaded: list[Loaded], root: Path, workers: int, folder: Path) -> list[_Task]:
    tasks = []
    for index in pending:
        dataset = loaded[index].dataset
        tasks.append(_Task(index, size=_size(dataset, large_too=False)))
        for resource in dataset.resources:
            if not (resource.large and resource.path and (dataset.folder / resource.path).is_file()):
                continue
            source = dataset.folder / resource.path
            size = source.stat().st_size
            tasks.append(_Task(index, resource.name, size=size))
            pieces = folder / dataset.name / resource.name
            for piece in large.split(source, resource.count, workers, pieces, resource.dialect):
                tasks.append(_Task(index, resource.name, piece, size // workers))
    return tasks


# The work of ``_run``'s processes: set before they are forked, so that they inherit it instead of having it
# pickled (frictionless packages and the model's read-only mappings do not pickle).
_WORK: tuple[list[Loaded], Catalogue, Path] | None = None


# Tasks per forked process (``workers.alongside``). A forked process shares this one's memory until it touches
# it (Python writes a reference count on every object it reads): going through a thousand datasets, a worker
# grew from about 85 to 155 MB of its own (PSS). A fresh one every ``BATCH`` tasks copies only what they read.
BATCH = 50


def _run(tasks: list[_Task], loaded: list[Loaded], catalogue: Catalogue, root: Path, workers: int) -> list[list[Issue]]:
    """Each task's problems, in the tasks' order, on as many cores as ``workers``: this process takes part,
    with forked helpers renewed every ``BATCH`` tasks (``workers.alongside``), largest tasks first."""
    global _WORK
    _WORK = (loaded, catalogue, root)
    order = sorted(range(len(tasks)), key=lambda i: -tasks[i].size)
    try:
        found = alongside(_perform, [tasks[i] for i in order], workers, BATCH)
        give_back()  # what this process's share of the checks left behind
        done = dict(zip(order, found, strict=True))
        return [done[i] for i in range(len(tasks))]
    finally:
        _WORK = None


def _perform(task: _Task) -> list[Issue]:
    assert _WORK is not None
    loaded, catalogue, root = _WORK
    item = loaded[task.dataset]
    if task.resource is None:
        try:
            return check_dataset(item, catalogue, root)
        finally:
            item.forget_package()
    resource = item.dataset.get_resource(task.resource)
    assert resource is not None
    file = rel(item.dataset.folder / resource.path, root)
    if task.piece is None:
        return large.check_keys(item.dataset, resource, catalogue, file)
    schema = large.schema_of(item.dataset, resource)
    return large.check_piece(item.dataset, resource, task.piece, file, schema)


def _size(dataset: Dataset, large_too: bool = True) -> int:
    return sum(
        (dataset.folder / r.path).stat().st_size
        for r in dataset.resources
        if r.path and (dataset.folder / r.path).is_file() and (large_too or not r.large)
    )


def check_dataset(item: Loaded, catalogue: Catalogue, root: Path) -> list[Issue]:
    """Every problem of one dataset: its paths, its files' text, frictionless on the whole package, and the
    figures' own rules."""
    issues = list(check_paths(item.dataset, root))
    data = list(guard.check_data(item, root))
    issues.extend(data)
    unreadable = {i.file for i in data if i.code in guard.FILE_CODES}
    issues.extend(check_package(item, catalogue, root, skip=unreadable, without=_large_unreferenced(item.dataset)))
    languages, authorities = _languages(catalogue), _authorities(catalogue)  # of the sources, for every table
    for resource in item.dataset.resources:
        # a large table's model holds a preview: its rows are read again from the file, as they go
        rows = stream_rows(item.package, resource) if resource.large else resource.rows
        if resource.is_observations:
            issues.extend(check_figure_fields(item.dataset, resource, root))
            if not resource.large:
                issues.extend(check_superseded(item.dataset, resource, root))
            issues.extend(check_observations(item.dataset, resource, root, rows, languages))
        elif "as_published" in resource.field_names:
            issues.extend(check_citations(item.dataset, resource, root, rows, authorities, languages))
    issues.extend(check_translations(item.dataset, root))
    return issues


def check_figure_fields(dataset: Dataset, resource: Resource, root: Path) -> Iterator[Issue]:
    """A table of figures states what each figure is: the part of the year it covers and its status."""
    missing = [name for name in FIGURE_FIELDS if name not in resource.field_names]
    if missing:
        yield Issue(
            rel(dataset.descriptor, root),
            None,
            f"resources/{resource.name}/schema/fields",
            "figure-field-missing",
            msg(
                "The table {resource} holds figures ({fields}) but does not say {missing} of each.",
                resource=repr(resource.name),
                fields=", ".join(OBSERVATION_FIELDS),
                missing=", ".join(missing),
            ),
            msg(
                "Add the field(s) {missing} to the schema and a column to the CSV: period (full-year, "
                "first-half, ...) and status (result, estimate, plan-target); see CONTRIBUTING.md, "
                "Rules for figures.",
                missing=", ".join(missing),
            ),
            dataset=dataset.name,
        )


def check_superseded(dataset: Dataset, resource: Resource, root: Path) -> Iterator[Issue]:
    """One figure is a result or an estimate, not both: when a source publishes the result, the earlier
    estimate becomes a further citation of it (a documented conflict if the numbers differ). A plan target
    for the same year is another figure and may stand beside them."""
    seen: dict[tuple[object, ...], Row] = {}
    identity = [f for f in ("year", "period", "member_id", "indicator_id", "price_basis") if f in resource.field_names]
    for row in resource.rows:
        if row.cells.get("status") not in (RESULT, ESTIMATE):
            continue
        key = tuple(row.cells.get(f) for f in identity)
        other = seen.setdefault(key, row)
        if other is row or other.cells.get("status") == row.cells.get("status"):
            continue  # the same status twice is frictionless' primary-key error
        yield Issue(
            rel(dataset.folder / resource.path, root),
            row.number,
            "status",
            "estimate-and-result",
            msg(
                "This row and line {line} are the same figure, one as a result and one as an estimate.",
                line=other.number,
            ),
            msg(
                "Keep the result as the figure and move the estimate's source to the citations table (with a "
                "conflict_id if the numbers differ)."
            ),
            dataset=dataset.name,
        )


def _authorities(catalogue: Catalogue) -> dict[object, object] | None:
    """Each source's ``authority`` by its id, or ``None`` when the sources do not state it."""
    sources = catalogue.resource(*config.SOURCES)
    if sources is None or "authority" not in sources.field_names:
        return None
    return {r.cells.get("id"): r.cells.get("authority") for r in sources.rows}


def _languages(catalogue: Catalogue) -> dict[object, str]:
    """Each source's ``language`` by its id (the way its numbers are written); empty when not stated."""
    sources = catalogue.resource(*config.SOURCES)
    if sources is None or "language" not in sources.field_names:
        return {}
    return {r.cells.get("id"): str(r.cells.get("language")) for r in sources.rows if r.cells.get("language")}


def _secondary_preferred(file: str, figure: Row, cited: Row, citations: str, dataset: str, authority: str) -> Issue:
    """A figure taken from a secondary copy (an encyclopaedia mirror, a republished list) although an official
    page or the press, cited beside it, gives it too: the better source is the one to use."""
    return Issue(
        file,
        figure.number,
        "source_id",
        "secondary-source-preferred",
        msg(
            "This figure is taken from {source}, a secondary copy, although {file} line {line} cites {better} "
            "({authority}) for it.",
            source=str(figure.cells.get("source_id")),
            file=citations,
            line=cited.number,
            better=str(cited.cells.get("source_id")),
            authority=authority,
        ),
        msg(
            "Take the figure from the official page or the press (swap the two sources), and keep the secondary "
            "copy as a further citation."
        ),
        dataset=dataset,
    )


def check_names(loaded: list[Loaded], root: Path) -> Iterator[Issue]:
    """A package's name is its folder's name, and no two packages share a name."""
    counts = Counter(item.dataset.name for item in loaded)
    for item in loaded:
        dataset = item.dataset
        file = rel(dataset.descriptor, root)
        if not item.dataset.published.get("name"):  # as declared (the model falls back on the folder's name)
            yield Issue(
                file,
                None,
                "name",
                "package-name-missing",
                msg("The descriptor has no name."),
                msg("Add `name: {name}` to {file}.", name=dataset.folder.name, file=file),
                dataset=dataset.name,
            )
        elif dataset.name != dataset.folder.name:
            yield Issue(
                file,
                None,
                "name",
                "package-name-mismatch",
                msg(
                    "The package is named {name} but its folder is {folder}.",
                    name=show(dataset.name),
                    folder=show(dataset.folder.name),
                ),
                msg("Rename the folder or set `name: {folder}` in {file}.", folder=dataset.folder.name, file=file),
                dataset=dataset.name,
            )
        if counts[dataset.name] > 1:
            yield Issue(
                file,
                None,
                "name",
                "duplicate-package-name",
                msg("Another package is also named {name}.", name=show(dataset.name)),
                msg("Give every dataset its own name (and folder)."),
                dataset=dataset.name,
            )


def check_paths(dataset: Dataset, root: Path) -> Iterator[Issue]:
    """Every file of a dataset is a real file inside its folder: frictionless follows symbolic links, and a
    link would publish whatever it points at."""
    folder = dataset.folder
    hint = msg("Replace the symbolic link with the real file, inside the dataset folder.")
    if folder.is_symlink():
        yield Issue(
            rel(folder, root),
            None,
            None,
            "unsafe-path",
            msg("The dataset folder is a symbolic link."),
            hint,
            dataset=dataset.name,
        )
        return
    candidates = [(dataset.descriptor, None)] + [(folder / r.path, r.name) for r in dataset.resources if r.path]
    for path, resource in candidates:
        inside = path.resolve().is_relative_to(folder.resolve())
        links = [p for p in _components(folder, path) if p.is_symlink()]
        if links or not inside:
            if resource is None:
                message = (
                    msg("The descriptor is a symbolic link.")
                    if links
                    else msg("The descriptor lies outside the dataset folder.")
                )
            elif links:
                message = msg("The file of resource {resource} is a symbolic link.", resource=show(resource))
            else:
                message = msg(
                    "The file of resource {resource} lies outside the dataset folder.", resource=show(resource)
                )
            yield Issue(rel(path, root), None, None, "unsafe-path", message, hint, dataset=dataset.name)


def _components(folder: Path, path: Path) -> list[Path]:
    """``folder/a``, ``folder/a/b``, ... down to ``path`` (lexically, without following links)."""
    try:
        parts = path.relative_to(folder).parts
    except ValueError:
        return []
    return [folder.joinpath(*parts[: i + 1]) for i in range(len(parts))]


def _large_unreferenced(dataset: Dataset) -> set[str]:
    """The large tables of a dataset that no other table of it refers to: ``generator.check.large`` checks their
    rows, piece by piece; frictionless checks the rest of the package."""
    referenced = {fk.resource for r in dataset.resources for fk in r.foreign_keys if fk.package is None}
    return {r.name for r in dataset.resources if r.large and r.name not in referenced}


def check_package(
    item: Loaded, catalogue: Catalogue, root: Path, skip: set[str] | None = None, without: set[str] | None = None
) -> list[Issue]:
    """Run frictionless on the whole package, with other datasets' referenced tables added inline. Its
    errors for the files in ``skip`` (missing, empty, wrong encoding: already reported) are left out; the
    resources named in ``without`` are not checked here (large tables: see ``generator.check.large``).
    ``item``'s package is changed for this and then forgotten: ``item.package`` is made again if asked for."""
    dataset = item.dataset
    try:
        package, issues = _with_references(item, catalogue, root)
        for name in without or ():
            package.remove_resource(name)
        report = validate_own(package, {r.name for r in dataset.resources}, checks.checklist())
    finally:
        item.forget_package()
    resources = {r.name: r for r in dataset.resources}
    descriptor = rel(dataset.descriptor, root)
    for error in report.errors:
        issues.append(_issue(error, descriptor, dataset.name, LineMap()))
    for task in report.tasks:
        resource = resources.get(task.name)
        file = rel(dataset.folder / resource.path, root) if resource else descriptor
        if file in (skip or set()):
            continue
        for error in task.errors:
            issue = _issue(error, file, dataset.name, resource.lines if resource else LineMap())
            issues.append(_with_reference_hint(issue, error, dataset, catalogue))
    return issues


def validate_own(package: Package, names: Collection[str], checklist: Checklist) -> Report:
    """``package.validate(checklist)`` of the resources named ``names`` only: the descriptor, then each of
    those resources, its foreign keys looked up in the whole package. The other datasets' key columns added
    inline (``_with_references``) are looked up, not checked again as tables of this package: they are rows
    of their own datasets, checked there, and checking them again for every dataset that refers to them
    was a third of the resources frictionless checked on the benchmark's catalogue."""
    try:
        package.to_descriptor(validate=True)
    except FrictionlessException as exception:
        report: Report = Report.from_validation(errors=exception.to_errors())
        return report
    reports = [resource.validate(checklist) for resource in package.resources if resource.name in names]
    report = Report.from_validation_reports(time=0, reports=reports)
    return report


def _issue(error: object, file: str, dataset: str, lines: LineMap) -> Issue:
    """A frictionless error as an issue: its code, the line an editor shows, its field, and a message of the
    generator's own per code (``issues.FRICTIONLESS_MESSAGES``), which speaks either language. A number typed
    the Vietnamese way gets a hint with the number as it must be written (``hints.number_hint``)."""
    code = str(getattr(error, "type", "error"))
    record = getattr(error, "row_number", None)
    row = lines.line(record) if isinstance(record, int) else None
    field = getattr(error, "field_name", None) or ",".join(getattr(error, "field_names", None) or ()) or None
    message = frictionless_message(error, lines.line)
    hint = frictionless_hint(code, file)
    if code == "type-error":
        hint = hints.number_hint(getattr(error, "cell", None), str(getattr(error, "note", "")), file) or hint
    return Issue(file, row, field, code, message, hint, dataset=dataset)


def _with_reference_hint(issue: Issue, error: object, dataset: Dataset, catalogue: Catalogue) -> Issue:
    """A foreign-key problem's hint names the closest id of the referenced table and the ids it holds."""
    values = getattr(error, "field_cells", None) or []
    columns = getattr(error, "reference_field_names", None) or []
    table = str(getattr(error, "reference_name", "") or "")
    if issue.code != "foreign-key" or len(values) != 1 or len(columns) != 1:
        return issue
    package, _, name = table.partition("--") if "--" in table else (dataset.name, "", table)
    target = catalogue.resource(package, name)
    if target is None or target.large:
        return issue
    hint = hints.reference_hint(
        str(values[0]), f"{package}/{name}", hints.reference_ids(target, columns[0]), issue.file
    )
    return dataclasses.replace(issue, fix=hint)


def _with_references(item: Loaded, catalogue: Catalogue, root: Path) -> tuple[Package, list[Issue]]:
    """``item``'s package, changed in place rather than copied (``check_package`` forgets it), in which each
    reference to another dataset points at an inline copy of the referenced key columns, so that frictionless
    checks it like any other foreign key."""
    package = item.package
    issues: list[Issue] = []
    descriptor = rel(item.dataset.descriptor, root)
    for resource in item.dataset.resources:
        target = package.get_resource(resource.name)
        if not isinstance(target, FlResource) or not hasattr(target, "schema") or not resource.foreign_keys:
            continue  # (setting keys on a table without a schema would give it an empty one)
        keys = []
        for fk, raw in zip(resource.foreign_keys, target.schema.foreign_keys, strict=True):
            if fk.package is None:
                keys.append(raw)
                continue
            referenced = catalogue.resource(fk.package, fk.resource)
            if referenced is None:
                issues.append(
                    Issue(
                        descriptor,
                        None,
                        ",".join(fk.fields),
                        "foreign-key-target-missing",
                        msg(
                            "Resource {resource} refers to {target}, which is not a dataset resource of the catalogue.",
                            resource=show(resource.name),
                            target="/".join((fk.package, fk.resource)),
                        ),
                        msg(
                            "Fix the reference in {descriptor}, or add the dataset {dataset}.",
                            descriptor=descriptor,
                            dataset=show(fk.package),
                        ),
                        dataset=item.dataset.name,
                    )
                )
                continue
            inline = _inline_keys(referenced, fk)
            if not package.has_resource(inline.name):
                package.add_resource(inline)
            keys.append(
                {"fields": list(fk.fields), "reference": {"resource": inline.name, "fields": list(fk.ref_fields)}}
            )
        target.schema.foreign_keys = keys
    return package, issues


def _inline_keys(referenced: Resource, fk: ForeignKey) -> FlResource:
    fields = [f for f in referenced.fields if f.name in fk.ref_fields]
    schema = Schema.from_descriptor({"fields": [{"name": f.name, "type": f.type} for f in fields]})
    data = [[f.name for f in fields]] + [[row.cells.get(f.name) for f in fields] for row in referenced.rows]
    return FlResource(name=f"{fk.package}--{fk.resource}", data=data, schema=schema)


def check_observations(
    dataset: Dataset,
    resource: Resource,
    root: Path,
    rows: Iterable[Row] | None = None,
    languages: Mapping[object, str] | None = None,
) -> Iterator[Issue]:
    """Each figure's unit, qualifier and price basis come from the vocabularies, the figure lies within its
    indicator's range, and it agrees with the text it was copied from (``as_published``)."""
    file = rel(dataset.folder / resource.path, root)
    indicators = _indicators(dataset, resource)
    for row in resource.rows if rows is None else rows:
        for column, vocabulary in OBSERVATION_VOCABULARIES.items():
            code = row.cells.get(column)
            if code is not None and code not in vocabulary:
                yield Issue(
                    file,
                    row.number,
                    column,
                    "unknown-term",
                    msg("{term} is not a known term for {column}.", term=show(code), column=column),
                    msg(
                        "Use one of: {terms} (or add the term to generator/vocab.py).",
                        terms=", ".join(sorted(vocabulary)),
                    ),
                    dataset=dataset.name,
                )
        if row.cells.get("period") == "as-of-date" and not row.cells.get("as_of"):
            yield Issue(
                file,
                row.number,
                "as_of",
                "as-of-date-missing",
                msg("The figure covers the year up to a date (period as-of-date), but the date is not given."),
                msg("Put the date the source counts to in the as_of column (YYYY-MM-DD), or choose another period."),
                dataset=dataset.name,
            )
        value = row.cells.get("value")
        if not isinstance(value, Decimal):
            continue
        indicator = indicators.get(row.cells.get("indicator_id"))
        if indicator is not None:
            yield from _check_range(file, row.number, dataset.name, value, indicator)
        published = row.cells.get("as_published")
        if isinstance(published, str):
            lang = (languages or {}).get(row.cells.get("source_id"), "vi")
            yield from _check_as_published(
                file, row.number, dataset.name, published, value, row.cells.get("qualifier"), lang
            )


def check_citations(
    dataset: Dataset,
    resource: Resource,
    root: Path,
    rows: Iterable[Row] | None = None,
    authority: Mapping[object, object] | None = None,
    languages: Mapping[object, str] | None = None,
) -> Iterator[Issue]:
    """A further source of a figure (a table with ``as_published`` that refers to an observations table of
    the same dataset) must say the same number, with the same qualifier and, where it states one, the same
    price basis: sources that disagree are an error naming both rows, unless the disagreement is documented
    (``conflict_id``, a row of the conflicts dataset saying which value is used and why). With the sources'
    ``authority``, a figure taken from a secondary copy that a better cited source also gives is reported."""
    if "as_published" not in resource.field_names or resource.is_observations:
        return
    file = rel(dataset.folder / resource.path, root)
    for fk in resource.foreign_keys:
        target = dataset.get_resource(fk.resource) if fk.package is None else None
        if target is None or not target.is_observations:
            continue
        figures: dict[tuple[object, ...], list[Row]] = {}
        for r in target.rows:
            figures.setdefault(tuple(r.cells.get(f) for f in fk.ref_fields), []).append(r)
        for row in resource.rows if rows is None else rows:
            candidates = figures.get(tuple(row.cells.get(f) for f in fk.fields), [])
            published = row.cells.get("as_published")
            if not candidates or not isinstance(published, str):
                continue  # a missing figure is frictionless' foreign-key error
            better = authority.get(row.cells.get("source_id")) if authority is not None else None
            if better is not None and better != SECONDARY:
                yield from (
                    _secondary_preferred(
                        rel(dataset.folder / target.path, root), figure, row, resource.path, dataset.name, str(better)
                    )
                    for figure in candidates
                    if authority is not None and authority.get(figure.cells.get("source_id")) == SECONDARY
                )
            stated = row.cells.get("stated_price_basis")
            same_basis = [f for f in candidates if not stated or f.cells.get("price_basis") == stated]
            lang = (languages or {}).get(row.cells.get("source_id"), "vi")
            agreeing = [f for f in same_basis if _agrees(file, row, dataset.name, published, f, lang)]
            documented = bool(row.cells.get("conflict_id"))
            if agreeing:
                if documented:
                    yield Issue(
                        file,
                        row.number,
                        "conflict_id",
                        "conflict-without-disagreement",
                        msg(
                            "This source is recorded as disagreeing ({conflict}), but it gives the same figure "
                            "as {file} line {line}.",
                            conflict=str(row.cells.get("conflict_id")),
                            file=target.path,
                            line=agreeing[0].number,
                        ),
                        msg("Remove the conflict_id (the sources agree), or correct the figure copied wrongly."),
                        dataset=dataset.name,
                        severity=Severity.WARNING,
                    )
                continue
            if documented:
                continue
            figure = (same_basis or candidates)[0]
            yield Issue(
                file,
                row.number,
                "as_published",
                "sources-disagree",
                msg(
                    "This source writes {published} (price basis: {stated}), but {file} line {line} records "
                    "{value} (qualifier: {qualifier}; price basis: {basis}) from {source}.",
                    published=repr(published),
                    stated=str(stated) if stated else msg("not stated"),
                    file=target.path,
                    line=figure.number,
                    value=str(figure.cells.get("value")),
                    qualifier=_qualifier(figure.cells.get("qualifier")),
                    basis=str(figure.cells.get("price_basis")),
                    source=str(figure.cells.get("source_id")),
                ),
                msg(
                    "Check both sources: correct the figure that was copied wrongly, or, if the sources really "
                    "differ, document the conflict: add a row to datasets/conflicts/conflicts.csv (what differs, "
                    "which value is used and why) and put its id in this row's conflict_id."
                ),
                dataset=dataset.name,
            )


def _agrees(file: str, row: Row, dataset: str, published: str, figure: Row, lang: str = "vi") -> bool:
    """Whether a citation's text gives the same number and qualifier as ``figure``."""
    value = figure.cells.get("value")
    if not isinstance(value, Decimal):
        return True  # a value of the wrong type is frictionless' error
    qualifier = figure.cells.get("qualifier")
    return not list(_check_as_published(file, row.number, dataset, published, value, qualifier, lang))


def _qualifier(qualifier: object) -> Param:
    """A figure's qualifier as a message names it: its code, or the word for none."""
    return str(qualifier) if qualifier else msg("none")


def _indicators(dataset: Dataset, resource: Resource) -> dict[object, Row]:
    """The rows of the same dataset's table that ``indicator_id`` refers to, by id."""
    for fk in resource.foreign_keys:
        if fk.fields == ("indicator_id",) and fk.package is None:
            target = dataset.get_resource(fk.resource)
            if target is not None:
                return {r.cells.get(fk.ref_fields[0]): r for r in target.rows}
    return {}


def _check_range(file: str, row: int, dataset: str, value: Decimal, indicator: Row) -> Iterator[Issue]:
    low, high = indicator.cells.get("minimum"), indicator.cells.get("maximum")
    if (isinstance(low, Decimal) and value < low) or (isinstance(high, Decimal) and value > high):
        yield Issue(
            file,
            row,
            "value",
            "value-out-of-range",
            msg(
                "The value {value} is outside the range of indicator {indicator} (from {low} to {high}).",
                value=str(value),
                indicator=repr(indicator.cells.get("id")),
                low=str(low) if low is not None else "-∞",
                high=str(high) if high is not None else "∞",
            ),
            msg(
                "Check the figure against its source; if the range is wrong, change minimum/maximum in the "
                "indicators table."
            ),
            dataset=dataset,
        )


def _check_as_published(
    file: str, row: int, dataset: str, published: str, value: Decimal, qualifier: object, lang: str = "vi"
) -> Iterator[Issue]:
    """The text a figure was copied from holds one number, read the way its source's language writes
    numbers, equal to the value, and the qualifier word the ``qualifier`` column names (and no other)."""
    lang = lang if lang in _NUMBERS else "vi"
    # "3/9 tiêu chí", "4/7 xã": the figure is the first number, the second says out of how many
    numbers = _NUMBERS[lang].findall(_OUT_OF.sub(r"\1", published))
    if len(numbers) != 1:
        yield Issue(
            file,
            row,
            "as_published",
            "as-published-unreadable",
            msg(
                "The text {published} should hold exactly one number, written the Vietnamese way (2.735,764), "
                "but {count} were found.",
                published=repr(published),
                count=len(numbers),
            )
            if lang == "vi"
            else msg(
                "The text {published} should hold exactly one number, written the English way (2,735.764), "
                "as its source is in English, but {count} were found.",
                published=repr(published),
                count=len(numbers),
            ),
            msg("Copy the figure exactly as the source prints it, with its unit."),
            dataset=dataset,
        )
        return
    try:
        printed = parse_decimal(numbers[0], locale=lang, strict=False)
    except NumberFormatError:
        printed = None
    if printed != value:
        yield Issue(
            file,
            row,
            "value",
            "as-published-mismatch",
            msg(
                "The value {value} does not match the published text {published}.",
                value=str(value),
                published=repr(published),
            ),
            msg("Correct the value (or the as_published text) so that both say the same number."),
            dataset=dataset,
        )
    # a qualifier is a word right before the number ("hơn 90.497 ha", "trên 7.772 tỷ"), not "trên địa bàn",
    # or one written after the number and its unit ("42 tỷ đồng trở lên")
    found = [
        code
        for code, term in QUALIFIERS.items()
        if any(re.search(rf"(^|\s){word}\s+\d", published) for word in _qualifier_words(term, lang))
        or (lang == "vi" and any(re.search(rf"\d[^\d]*\s{word}($|\W)", published) for word in term.after_vi))
    ]
    expected = qualifier if isinstance(qualifier, str) and qualifier in QUALIFIERS else None
    if found != ([expected] if expected else []):
        yield Issue(
            file,
            row,
            "qualifier",
            "qualifier-mismatch",
            msg(
                "The published text {published} and the qualifier ({qualifier}) disagree.",
                published=repr(published),
                qualifier=_qualifier(qualifier),
            ),
            msg(
                'Set the qualifier to what the source says (for instance more-than for "hơn"), '
                "or leave it empty for an exact figure."
            ),
            dataset=dataset,
        )


def _qualifier_words(term: Term, lang: str) -> tuple[str, ...]:
    """How a source in ``lang`` writes a qualifier before a number ("hơn", "trên"; "more than")."""
    if lang == "en":
        return (term.label_en,)
    return term.words_vi or (term.label_vi,)


def check_translations(dataset: Dataset, root: Path) -> Iterator[Issue]:
    """English titles are expected for the dataset, its resources and their fields (warnings)."""
    file = rel(dataset.descriptor, root)
    hint = msg("Add `translations: {{en: {{title: ...}}}}` beside the title in {file}.", file=file)
    if dataset.title.en is None:
        yield Issue(
            file,
            None,
            None,
            "missing-english-title",
            msg("The dataset has no English title."),
            hint,
            Severity.WARNING,
            dataset.name,
        )
    for resource in dataset.resources:
        if resource.title.en is None:
            yield Issue(
                file,
                None,
                None,
                "missing-english-title",
                msg("Resource {resource} has no English title.", resource=show(resource.name)),
                hint,
                Severity.WARNING,
                dataset.name,
            )
        for field in resource.fields:
            if field.title.en is None:
                yield Issue(
                    file,
                    None,
                    field.name,
                    "missing-english-title",
                    msg(
                        "Field {field} of resource {resource} has no English title.",
                        field=show(field.name),
                        resource=show(resource.name),
                    ),
                    hint,
                    Severity.WARNING,
                    dataset.name,
                )
