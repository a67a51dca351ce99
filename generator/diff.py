"""What changed in the data between a git revision and the working tree, for people (``generator diff``).

The old version of ``datasets/`` is read from git (``git show BASE:path`` into a temporary folder: the work
tree is never checked out); the new one is the working tree. Both sides are read the same way: descriptors
with ``load.parse_descriptor`` (the same safe YAML loader as the build), CSV files with the csv module. Rows
are matched by the resource's primary key (without one, as whole rows). ``compare`` returns the changes as
data; ``markdown`` writes them for a pull request's reviewers, every value escaped by ``mdsafe``.
"""

from __future__ import annotations

import csv
import json
import subprocess
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePosixPath
from typing import Any, TypeGuard

from generator import config, mdsafe
from generator.read.load import find_descriptors, parse_descriptor
from generator.records import PLAIN, Dialect, dialect_in, text_records

DEFAULT_THRESHOLD = config.DIFF_THRESHOLD  # per cent of the old value
MAX_LISTED_ROWS = 200  # per list (added, removed, changed) and resource; the rest are counted
_NUMERIC_TYPES = ("number", "integer")
_EMPTY = mdsafe.Md("*(empty)*")


class DiffError(Exception):
    """The comparison cannot be made: not a git repository, or an unknown revision."""


@dataclass(frozen=True)
class Base:
    """The revision compared with the working tree. ``commit`` is ``None`` before the first commit."""

    commit: str | None
    label: str  # how the report names it ("merge base of HEAD and main", "v1.2", ...)


@dataclass(frozen=True)
class TableRow:
    """A CSV record: the line an editor shows for its start, and its cells by column name."""

    line: int
    cells: Mapping[str, str]


@dataclass(frozen=True)
class Table:
    """A CSV resource as read on one side. ``problem`` says why it could not be read (then no rows)."""

    name: str
    path: str
    primary_key: tuple[str, ...]
    numeric: frozenset[str]  # fields of type number or integer
    header: tuple[str, ...] = ()
    rows: tuple[TableRow, ...] = ()
    problem: str | None = None


@dataclass(frozen=True)
class Snapshot:
    """One dataset on one side: its descriptor (``None`` if unreadable, with the ``problem``) and tables."""

    name: str
    descriptor: Mapping[str, Any] | None
    tables: Mapping[str, Table]
    problem: str | None = None


@dataclass(frozen=True)
class CellChange:
    """One cell of a row that is on both sides, with its old and new text."""

    field: str
    old: str
    new: str


@dataclass(frozen=True)
class ChangedRow:
    """A row on both sides (same primary key) whose cells differ: its lines on each side and the cells."""

    key: str  # the row's primary key, as ``field=value, ...``
    old_line: int
    new_line: int
    cells: tuple[CellChange, ...]


@dataclass(frozen=True)
class MovedFigure:
    """A number that changed by more than the threshold. ``share`` is in per cent; ``None`` when the old
    value was zero (any change is then infinitely large)."""

    key: str
    line: int
    field: str
    old: Decimal
    new: Decimal
    share: Decimal | None


@dataclass(frozen=True)
class PropertyChange:
    """A descriptor property added, removed or changed. ``where`` is its path (``resources/x/title``);
    ``old``/``new`` are shown values, ``None`` where the property is absent."""

    where: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class ResourceDiff:
    """What changed in one resource (a CSV table): rows added, removed and changed, figures that moved."""

    name: str
    path: str
    status: str  # "added", "removed" or "changed"
    key: tuple[str, ...]  # the primary key rows were matched by; () = matched as whole rows
    old_header: tuple[str, ...]
    new_header: tuple[str, ...]
    added: tuple[TableRow, ...] = ()
    removed: tuple[TableRow, ...] = ()
    changed: tuple[ChangedRow, ...] = ()
    moved: tuple[MovedFigure, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def columns_added(self) -> tuple[str, ...]:
        return tuple(c for c in self.new_header if c not in self.old_header) if self.status == "changed" else ()

    @property
    def columns_removed(self) -> tuple[str, ...]:
        return tuple(c for c in self.old_header if c not in self.new_header) if self.status == "changed" else ()

    @property
    def is_empty(self) -> bool:
        """Nothing to report: a resource present on both sides with the same rows and columns."""
        return self.status == "changed" and not (
            self.added or self.removed or self.changed or self.notes or self.columns_added or self.columns_removed
        )


@dataclass(frozen=True)
class DatasetDiff:
    """What changed in one dataset: its descriptor's properties and its resources (only those that changed)."""

    name: str
    status: str  # "added", "removed" or "changed"
    title: str
    descriptor: tuple[PropertyChange, ...]
    resources: tuple[ResourceDiff, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class DataDiff:
    """Every dataset that changed between ``base`` and the working tree, sorted by name."""

    base: Base
    threshold: Decimal
    datasets: tuple[DatasetDiff, ...]


# --- git ---------------------------------------------------------------------------------------------------


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, check=False, timeout=120)
    except (OSError, subprocess.SubprocessError) as exc:
        raise DiffError(f"git could not be run: {exc}") from exc


def _git_text(root: Path, *args: str) -> str | None:
    """The output of a git command, or ``None`` if it failed."""
    result = _git(root, *args)
    return result.stdout.decode("utf-8", "replace").strip() if result.returncode == 0 else None


def resolve_base(root: Path, base: str | None = None) -> Base:
    """The revision to compare with: ``base`` if given; otherwise the merge base of HEAD with ``main`` (or
    ``origin/main``); without either, HEAD (the uncommitted changes); before the first commit, nothing."""
    if _git_text(root, "rev-parse", "--is-inside-work-tree") != "true":
        raise DiffError(f"{root} is not inside a git work tree: there is no earlier version to compare with.")
    if base is not None:
        if not base or base.startswith("-"):
            raise DiffError(f"{base!r} is not a git revision.")
        commit = _git_text(root, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}")
        if not commit:
            raise DiffError(f"{base!r} is not a commit of this repository (fetch it, or name another revision).")
        return Base(commit, base)
    head = _git_text(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    if head is None:
        return Base(None, "an empty repository (no commit yet)")
    for branch in ("main", "origin/main"):
        if _git_text(root, "rev-parse", "--verify", "--quiet", f"{branch}^{{commit}}"):
            merge_base = _git_text(root, "merge-base", "HEAD", branch)
            if merge_base:
                return Base(merge_base, f"the merge base of HEAD and {branch}")
    return Base(head, "HEAD (there is no main branch: only uncommitted changes are shown)")


def _export_datasets(root: Path, commit: str, target: Path) -> None:
    """Write ``datasets/`` as it was at ``commit`` under ``target`` (regular files only; no checkout)."""
    prefix = _git_text(root, "rev-parse", "--show-prefix") or ""
    folder = f"{prefix}{config.DATASETS_DIR}"
    listing = _git(root, "ls-tree", "-r", "-z", "--full-tree", commit, "--", folder)
    if listing.returncode != 0:
        raise DiffError(f"git ls-tree failed: {listing.stderr.decode('utf-8', 'replace').strip()}")
    for entry in listing.stdout.decode("utf-8", "surrogateescape").split("\0"):
        meta, _, full_path = entry.partition("\t")
        if not full_path or meta.split(" ")[0] not in ("100644", "100755"):
            continue  # symbolic links and submodules are not data files
        relative = PurePosixPath(full_path[len(prefix) :])
        if relative.is_absolute() or ".." in relative.parts:
            continue
        shown = _git(root, "show", f"{commit}:{full_path}")
        if shown.returncode != 0:
            raise DiffError(f"git show {commit}:{full_path} failed: {shown.stderr.decode('utf-8', 'replace')}")
        destination = target.joinpath(*relative.parts)
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(shown.stdout)


# --- reading one side --------------------------------------------------------------------------------------


def read_datasets(root: Path) -> dict[str, Snapshot]:
    """Every dataset under ``root/datasets``, by folder name. Symbolic links are not followed."""
    datasets_dir = root / config.DATASETS_DIR
    if not datasets_dir.is_dir() or datasets_dir.is_symlink():
        return {}
    snapshots: dict[str, Snapshot] = {}
    for path in find_descriptors(datasets_dir):
        folder = path.parent
        if folder.name in snapshots:
            continue  # the first descriptor name wins, as config.DESCRIPTOR_NAMES orders them
        if folder.is_symlink() or path.is_symlink():
            snapshots[folder.name] = Snapshot(folder.name, None, {}, "not read: a symbolic link")
            continue
        descriptor, issues = parse_descriptor(path, root)
        if descriptor is None:
            problem = issues[0].message if issues else "the descriptor cannot be read"
            snapshots[folder.name] = Snapshot(folder.name, None, {}, problem)
            continue
        tables = {table.name: table for table in _tables(folder, descriptor)}
        snapshots[folder.name] = Snapshot(folder.name, descriptor, tables)
    return snapshots


def _tables(folder: Path, descriptor: Mapping[str, Any]) -> Iterator[Table]:
    resources = descriptor.get("resources")
    for resource in resources if isinstance(resources, list) else ():
        if not isinstance(resource, Mapping) or not isinstance(resource.get("name"), str):
            continue
        schema = resource.get("schema")
        schema = schema if isinstance(schema, Mapping) else {}
        key = schema.get("primaryKey")
        primary_key = (
            (key,) if isinstance(key, str) else tuple(str(k) for k in key or ()) if isinstance(key, list) else ()
        )
        fields = schema.get("fields")
        numeric = frozenset(
            str(f.get("name"))
            for f in (fields if isinstance(fields, list) else ())
            if isinstance(f, Mapping) and f.get("type") in _NUMERIC_TYPES
        )
        path = resource.get("path")
        table = Table(resource["name"], str(path) if path is not None else "", primary_key, numeric)
        if not isinstance(path, str):
            yield _with_problem(table, "no single CSV file (`path`)")
            continue
        yield _read_table(folder, table, resource)


def _with_problem(table: Table, problem: str) -> Table:
    return Table(table.name, table.path, table.primary_key, table.numeric, problem=problem)


def _read_table(folder: Path, table: Table, resource: Mapping[str, Any]) -> Table:
    relative = PurePosixPath(table.path)
    if not table.path or relative.is_absolute() or ".." in relative.parts or "://" in table.path:
        return _with_problem(table, f"not read: {table.path!r} is not a path inside the dataset folder")
    file = folder.joinpath(*relative.parts)
    steps = [folder.joinpath(*relative.parts[: i + 1]) for i in range(len(relative.parts))]
    if any(step.is_symlink() for step in steps) or not file.is_file():
        return _with_problem(table, f"not read: {table.path} is missing or is a symbolic link")
    dialect = dialect_in(resource)
    encoding = dialect.encoding
    try:
        text = file.read_bytes().decode("utf-8-sig" if encoding.lower() in ("utf-8", "utf8") else encoding, "replace")
    except (OSError, LookupError) as exc:
        return _with_problem(table, f"not read: {exc}")
    header, rows = parse_csv(text, dialect)
    return Table(table.name, table.path, table.primary_key, table.numeric, header, rows)


def parse_csv(text: str, dialect: Dialect = PLAIN) -> tuple[tuple[str, ...], tuple[TableRow, ...]]:
    """The header and the records of a CSV text, each record with the editor line it starts on. Blank lines
    are skipped; cells beyond the header are kept together under ``(extra cells)``."""
    header: tuple[str, ...] = ()
    rows: list[TableRow] = []
    try:
        for line, record in text_records(text, dialect):
            if not record:
                continue
            if not header:
                header = tuple(record)
                continue
            cells = {name: record[i] if i < len(record) else "" for i, name in enumerate(header)}
            if len(record) > len(header):
                cells["(extra cells)"] = dialect.delimiter.join(record[len(header) :])
            rows.append(TableRow(line, cells))
    except csv.Error:
        pass  # the validator reports the broken record; the diff shows what could be read
    return header, tuple(rows)


# --- comparing ---------------------------------------------------------------------------------------------


def compare(root: Path, base: str | None = None, threshold: Decimal = DEFAULT_THRESHOLD) -> DataDiff:
    """Every change in ``root/datasets`` between ``base`` (see ``resolve_base``) and the working tree."""
    resolved = resolve_base(root, base)
    with tempfile.TemporaryDirectory(prefix="generator-diff-") as tmp:
        old_root = Path(tmp)
        if resolved.commit is not None:
            _export_datasets(root, resolved.commit, old_root)
        old = read_datasets(old_root)
    new = read_datasets(root)
    datasets = [_dataset_diff(name, old.get(name), new.get(name), threshold) for name in sorted(old.keys() | new)]
    return DataDiff(resolved, threshold, tuple(d for d in datasets if d is not None))


def _dataset_diff(name: str, old: Snapshot | None, new: Snapshot | None, threshold: Decimal) -> DatasetDiff | None:
    status = "added" if old is None else "removed" if new is None else "changed"
    latest = new if new is not None else old
    assert latest is not None
    title = str(latest.descriptor.get("title", "")) if latest.descriptor is not None else ""
    notes = [f"{side} version: {snap.problem}" for side, snap in (("old", old), ("new", new)) if snap and snap.problem]
    old_descriptor = old.descriptor if old is not None else None
    new_descriptor = new.descriptor if new is not None else None
    properties: list[PropertyChange] = []
    if status == "changed" and old_descriptor is not None and new_descriptor is not None:
        properties = list(compare_descriptors(old_descriptor, new_descriptor))
    old_tables = old.tables if old is not None else {}
    new_tables = new.tables if new is not None else {}
    if notes:  # a side without a readable descriptor has no tables: they are not "removed" or "added"
        old_tables, new_tables = {}, {}
    resources = [
        _resource_diff(old_tables.get(r), new_tables.get(r), threshold)
        for r in [*old_tables, *(t for t in new_tables if t not in old_tables)]
    ]
    changed = tuple(r for r in resources if not r.is_empty)
    if status == "changed" and not (properties or changed or notes):
        return None
    return DatasetDiff(name, status, title, tuple(properties), changed, tuple(notes))


def _resource_diff(old: Table | None, new: Table | None, threshold: Decimal) -> ResourceDiff:
    if old is None or new is None:
        table = new if new is not None else old
        assert table is not None
        status = "added" if old is None else "removed"
        return ResourceDiff(
            table.name,
            table.path,
            status,
            table.primary_key,
            old.header if old else (),
            new.header if new else (),
            added=new.rows if new else (),
            removed=old.rows if old else (),
            notes=(f"{table.path}: {table.problem}",) if table.problem else (),
        )
    notes = [f"{side} version of {t.path}: {t.problem}" for side, t in (("old", old), ("new", new)) if t.problem]
    key = new.primary_key if new.primary_key == old.primary_key else ()
    if new.primary_key != old.primary_key:
        notes.append("The primary key changed: rows are matched as whole rows.")
    elif key and not (_unique(old.rows, key) and _unique(new.rows, key)):
        notes.append(f"The primary key ({', '.join(key)}) is not unique: rows are matched as whole rows.")
        key = ()
    if old.header != new.header and set(old.header) == set(new.header):
        notes.append("The order of the columns changed.")
    if key:
        added, removed, changed, moved = _match_by_key(old, new, key, threshold)
    else:
        added, removed = _match_whole_rows(old, new)
        changed, moved = (), ()
    return ResourceDiff(
        new.name, new.path, "changed", key, old.header, new.header, added, removed, changed, moved, tuple(notes)
    )


def _row_key(row: TableRow, key: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(row.cells.get(k, "") for k in key)


def _unique(rows: Iterable[TableRow], key: tuple[str, ...]) -> bool:
    seen = [_row_key(r, key) for r in rows]
    return len(seen) == len(set(seen))


def key_text(row: TableRow, key: tuple[str, ...]) -> str:
    """How a row is named in the report: ``year=2023, member_id=kbang``, or its cells without a key."""
    if key:
        return ", ".join(f"{k}={row.cells.get(k, '')}" for k in key)
    return ", ".join(row.cells.values())


def _match_by_key(
    old: Table, new: Table, key: tuple[str, ...], threshold: Decimal
) -> tuple[tuple[TableRow, ...], tuple[TableRow, ...], tuple[ChangedRow, ...], tuple[MovedFigure, ...]]:
    old_rows = {_row_key(r, key): r for r in old.rows}
    new_rows = {_row_key(r, key): r for r in new.rows}
    added = tuple(r for k, r in new_rows.items() if k not in old_rows)
    removed = tuple(r for k, r in old_rows.items() if k not in new_rows)
    changed: list[ChangedRow] = []
    moved: list[MovedFigure] = []
    columns = [*new.header, *(c for c in old.header if c not in new.header)]
    for k, after in new_rows.items():
        before = old_rows.get(k)
        if before is None:
            continue
        cells = tuple(
            CellChange(c, before.cells.get(c, ""), after.cells.get(c, ""))
            for c in columns
            if before.cells.get(c, "") != after.cells.get(c, "")
        )
        if not cells:
            continue
        name = key_text(after, key)
        changed.append(ChangedRow(name, before.line, after.line, cells))
        for cell in cells:
            if cell.field in new.numeric:
                figure = _moved(name, after.line, cell, threshold)
                if figure is not None:
                    moved.append(figure)
    return added, removed, tuple(changed), tuple(moved)


def _moved(key: str, line: int, cell: CellChange, threshold: Decimal) -> MovedFigure | None:
    try:
        old, new = Decimal(cell.old.strip()), Decimal(cell.new.strip())
    except InvalidOperation:
        return None
    if not (old.is_finite() and new.is_finite()) or old == new:
        return None
    if old == 0:
        return MovedFigure(key, line, cell.field, old, new, None)
    share = (new - old) / abs(old) * 100
    return MovedFigure(key, line, cell.field, old, new, share) if abs(share) > threshold else None


def _match_whole_rows(old: Table, new: Table) -> tuple[tuple[TableRow, ...], tuple[TableRow, ...]]:
    """Rows without a key: a row is added or removed when its cells (as a whole) are; duplicates count."""
    columns = new.header

    def content(row: TableRow) -> tuple[str, ...]:
        return tuple(row.cells.get(c, "") for c in columns) + tuple(
            f"{c}={v}" for c, v in row.cells.items() if c not in columns and v
        )

    remaining_old = Counter(content(r) for r in old.rows)
    remaining_new = Counter(content(r) for r in new.rows)
    added = []
    for row in new.rows:
        if remaining_old[content(row)] > 0:
            remaining_old[content(row)] -= 1
        else:
            added.append(row)
    removed = []
    for row in old.rows:
        if remaining_new[content(row)] > 0:
            remaining_new[content(row)] -= 1
        else:
            removed.append(row)
    return tuple(added), tuple(removed)


def compare_descriptors(old: Mapping[str, Any], new: Mapping[str, Any], where: str = "") -> Iterator[PropertyChange]:
    """Every property that differs, down to the leaves. Resources and schema fields are matched by name
    (``resources/<name>/...``, ``schema/fields/<name>/...``); other lists are compared whole."""
    for key in [*old, *(k for k in new if k not in old)]:
        path = f"{where}/{key}" if where else str(key)
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if key in ("resources", "fields") and _named_list(before) and _named_list(after):
            yield from _compare_named(before, after, path)
        elif isinstance(before, Mapping) and isinstance(after, Mapping):
            yield from compare_descriptors(before, after, path)
        else:
            yield PropertyChange(path, _shown(before) if key in old else None, _shown(after) if key in new else None)


def _named_list(value: object) -> TypeGuard[list[Mapping[str, Any]]]:
    return isinstance(value, list) and all(isinstance(v, Mapping) and isinstance(v.get("name"), str) for v in value)


def _compare_named(
    before: list[Mapping[str, Any]], after: list[Mapping[str, Any]], where: str
) -> Iterator[PropertyChange]:
    old = {item["name"]: item for item in before}
    new = {item["name"]: item for item in after}
    for name in [*old, *(n for n in new if n not in old)]:
        if name not in new:
            yield PropertyChange(f"{where}/{name}", "(present)", None)
        elif name not in old:
            yield PropertyChange(f"{where}/{name}", None, "(added)")
        elif old[name] != new[name]:
            yield from compare_descriptors(old[name], new[name], f"{where}/{name}")
    if [n for n in old if n in new] != [n for n in new if n in old]:
        yield PropertyChange(f"{where} (order)", ", ".join(old), ", ".join(new))


def _shown(value: object, limit: int = 160) -> str:
    shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


# --- the report --------------------------------------------------------------------------------------------


def markdown(result: DataDiff) -> str:
    """The report for people: a summary, then per dataset its descriptor changes and, per resource, the
    rows added, removed and changed (each changed cell with its old and new value) and the figures that
    moved by more than the threshold."""
    base = result.base
    commit = f" (commit `{base.commit[:12]}`)" if base.commit else ""
    threshold = _number(result.threshold)
    lines = [
        "# What changed in the data",
        "",
        f"Compared with {mdsafe.text(base.label)}{commit}; the new version is the working tree.",
        f"Figures that moved by more than **{threshold}%** of their old value are listed separately "
        f"(threshold: {threshold}%, set with `--threshold`).",
        "",
    ]
    if not result.datasets:
        lines.append("No changes in the data.")
        return "\n".join(lines) + "\n"
    lines += ["## Summary", ""]
    lines += [f"- **{mdsafe.text(d.name)}**: {_summary(d)}" for d in result.datasets]
    for dataset in result.datasets:
        lines += ["", f"## {mdsafe.text(dataset.name)} ({dataset.status})"]
        if dataset.title:
            lines += ["", mdsafe.text(dataset.title)]
        if dataset.notes:
            lines += ["", *(f"> {mdsafe.text(note)}" for note in dataset.notes)]
        if dataset.descriptor:
            lines += ["", "**Descriptor changes**", "", *(_property_line(p) for p in dataset.descriptor)]
        for resource in dataset.resources:
            lines += _resource_lines(resource)
    return "\n".join(lines) + "\n"


def _summary(dataset: DatasetDiff) -> str:
    if dataset.status != "changed":
        rows = sum(len(r.added) + len(r.removed) for r in dataset.resources)
        return f"dataset {dataset.status} ({len(dataset.resources)} resource(s), {rows} row(s))"
    parts = [
        f"{mdsafe.text(r.path or r.name)}: "
        + (
            f"resource {r.status} ({len(r.added) + len(r.removed)} row(s))"
            if r.status != "changed"
            else f"{len(r.added)} row(s) added, {len(r.removed)} removed, {len(r.changed)} changed"
            + (f", {len(r.moved)} figure(s) moved by more than the threshold" if r.moved else "")
        )
        for r in dataset.resources
    ]
    if dataset.descriptor:
        parts.append(f"{len(dataset.descriptor)} descriptor change(s)")
    return "; ".join(parts) if parts else "cannot be compared (see below)"


def _property_line(change: PropertyChange) -> str:
    where = mdsafe.text(change.where)
    if change.old is None:
        return f"- {where}: added ({_value(change.new)})"
    if change.new is None:
        return f"- {where}: removed (was {_value(change.old)})"
    return f"- {where}: {_value(change.old)} → {_value(change.new)}"


def _resource_lines(resource: ResourceDiff) -> list[str]:
    lines = ["", f"### {mdsafe.text(resource.path or resource.name)} (resource {mdsafe.text(resource.name)})", ""]
    if resource.status != "changed":
        lines.append(f"Resource {resource.status}.")
    elif resource.key:
        lines.append(f"Rows matched by the primary key ({mdsafe.text(', '.join(resource.key))}).")
    else:
        lines.append("Rows matched as whole rows (no primary key).")
    lines[-1] += (
        f" {len(resource.added)} row(s) added, {len(resource.removed)} removed, {len(resource.changed)} changed."
    )
    lines += [f"> {mdsafe.text(note)}" for note in resource.notes]
    if resource.columns_added or resource.columns_removed:
        lines += ["", f"Columns added: {_names(resource.columns_added)}; removed: {_names(resource.columns_removed)}."]
    if resource.changed:
        lines += ["", "**Changed**", "", "| row | line | field | old | new |", "| --- | --- | --- | --- | --- |"]
        for row in resource.changed[:MAX_LISTED_ROWS]:
            for cell in row.cells:
                where = f"{row.new_line}" if row.old_line == row.new_line else f"{row.old_line} → {row.new_line}"
                lines.append(
                    f"| {mdsafe.text(row.key)} | {where} | {mdsafe.text(cell.field)} | "
                    f"{_value(cell.old)} | {_value(cell.new)} |"
                )
        lines += _more(len(resource.changed))
    if resource.moved:
        lines += [
            "",
            "**Figures that moved by more than the threshold**",
            "",
            "| row | line | field | old | new | change |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for figure in resource.moved:
            share = "from zero" if figure.share is None else f"{figure.share:+.1f}%"
            lines.append(
                f"| {mdsafe.text(figure.key)} | {figure.line} | {mdsafe.text(figure.field)} | "
                f"{mdsafe.text(figure.old)} | {mdsafe.text(figure.new)} | {mdsafe.text(share)} |"
            )
    for title, rows, header in (
        ("Added", resource.added, resource.new_header),
        ("Removed", resource.removed, resource.old_header),
    ):
        if rows:
            lines += ["", f"**{title}**", "", *_row_table(rows, header)]
    return lines


def _row_table(rows: tuple[TableRow, ...], header: tuple[str, ...]) -> list[str]:
    columns = header or tuple(rows[0].cells)
    lines = [
        "| line | " + " | ".join(mdsafe.text(c) for c in columns) + " |",
        "| --- |" + " --- |" * len(columns),
    ]
    for row in rows[:MAX_LISTED_ROWS]:
        lines.append(f"| {row.line} | " + " | ".join(_value(row.cells.get(c, "")) for c in columns) + " |")
    return lines + _more(len(rows))


def _more(count: int) -> list[str]:
    return ["", f"… and {count - MAX_LISTED_ROWS} more."] if count > MAX_LISTED_ROWS else []


def _value(value: str | None) -> str:
    return _EMPTY if not value else mdsafe.text(value)


def _names(names: tuple[str, ...]) -> str:
    return ", ".join(mdsafe.text(n) for n in names) or "none"


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f")
