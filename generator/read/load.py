"""Read: find the Data Packages under ``datasets/``, parse their descriptors and read their rows.

``load_catalogue(root)`` returns every package it could read, each as the typed model plus the frictionless
``Package`` the validator checks, and the problems that stopped a package from loading at all.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import functools
import itertools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml
from frictionless import FrictionlessException, Package
from frictionless import Resource as FlResource
from frictionless.formats import CsvControl
from frictionless.resources import TableResource

from generator import cache, config
from generator import workers as workers_
from generator.issues import Issue, frictionless_hint, frictionless_message, msg, printable
from generator.models import (
    Cells,
    Change,
    ColumnStats,
    Dataset,
    Field,
    ForeignKey,
    License,
    LineMap,
    Loaded,
    Resource,
    Row,
    Text,
    cell_index,
)
from generator.read import guard, kept
from generator.read.history import HISTORY, dataset_histories
from generator.records import Dialect, dialect_of, file_records, records


def rel(path: Path, root: Path) -> str:
    """A path as printed in messages: relative to the repository root, with ``/`` separators, as the path is
    written (a symbolic link is named, not followed)."""
    try:
        return path.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        return path.as_posix()


def find_descriptors(datasets_dir: Path) -> list[Path]:
    """Every ``datasets/<name>/datapackage.(yaml|yml|json)``, sorted by folder name."""
    found = []
    for folder in sorted(p for p in datasets_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for name in config.DESCRIPTOR_NAMES:
            if (folder / name).is_file():
                found.append(folder / name)
    return found


def parse_descriptor(path: Path, root: Path) -> tuple[dict[str, Any] | None, list[Issue]]:
    """Read a descriptor file into a dict, or explain why it cannot be read."""
    file = rel(path, root)
    refused = list(guard.check_descriptor_file(path, root))  # a link or a huge file is never read
    if refused:
        return None, refused
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [
            Issue(
                file,
                None,
                None,
                "descriptor-encoding",
                msg("The descriptor is not UTF-8 ({reason}).", reason=exc.reason),
                msg("Save {file} as UTF-8.", file=file),
            )
        ]
    try:
        data = guard.parse_json(text) if path.suffix == ".json" else guard.parse_yaml(text)
    except guard.DescriptorRefused as exc:  # a tag or a repeated key: parsed, but refused on purpose
        return None, [
            Issue(
                file,
                exc.line,
                None,
                exc.code,
                msg("The descriptor is refused: {problem}.", problem=exc.detail),
                exc.hint.fill(file=file),
            )
        ]
    except (yaml.YAMLError, ValueError, RecursionError) as exc:  # ValueError: JSON, or an over-long integer
        line = _error_line(exc)
        # the parser's own words (PyYAML's, json's) are English; the generator's reasons are translated
        detail = exc.detail if isinstance(exc, guard.Unreadable) else printable(_one_line(exc))
        return None, [
            Issue(
                file,
                line,
                None,
                "descriptor-syntax",
                msg("The descriptor cannot be parsed: {detail}", detail=detail),
                msg("Fix the syntax of {file} near line {line}.", file=file, line=line)
                if line
                else msg("Fix the syntax of {file}.", file=file),
            )
        ]
    if not isinstance(data, dict):
        return None, [
            Issue(
                file,
                None,
                None,
                "descriptor-not-mapping",
                msg("The descriptor must be a mapping of properties, not {type}.", type=type(data).__name__),
                msg("Make {file} a mapping with name, title, licenses and resources.", file=file),
            )
        ]
    return data, []


def load_catalogue(root: Path, jobs: int | None = None) -> tuple[list[Loaded], list[Issue]]:
    """Load every package under ``root/datasets``. Returns the loaded packages and the loading problems.

    A package unchanged since it was last read comes from its kept entry (``kept``). The others are read in
    ``jobs`` forked processes (default: every core), ``BATCH`` packages per set of processes, and come back
    as kept entries' text: reading with frictionless leaves memory behind (a cold load of a thousand datasets
    in this process left it at 235 MB resident, against 162 MB when the same datasets were decoded from their
    entries)."""
    loaded: list[Loaded] = []
    issues: list[Issue] = []
    histories = dataset_histories(root, root / config.CACHE_DIR / HISTORY)
    workers_.give_back()  # the files read from git: the loading processes fork from this one
    kept_dir = root / config.CACHE_DIR / kept.FOLDER
    paths = find_descriptors(root / config.DATASETS_DIR)
    digests = {path: cache.folder_digest(path.parent, path.parent.name).hex() for path in paths}
    keys = {path: kept.key(path, digests[path]) for path in paths}
    found: dict[Path, tuple[Dataset | None, list[Issue]] | None] = {
        path: kept.find(kept_dir, key) if key else None for path, key in keys.items()
    }
    fresh = [path for path in paths if found[path] is None]
    found.update(zip(fresh, _read_fresh(fresh, root, keys, jobs), strict=True))
    for path in paths:
        dataset, problems = found[path] or (None, [])
        issues.extend(problems)
        if dataset is not None:
            # The package is not held: for a thousand datasets, frictionless' objects were a quarter of the
            # loaded catalogue's memory. Validation makes it again (``_open_package``), a dataset at a time.
            history = histories.get(path.parent.name, ())
            loaded.append(
                Loaded(
                    replace(dataset, history=history, digest=digests[path]),
                    functools.partial(_open_package, path, root),
                )
            )
    workers_.give_back()  # what reading and decoding left behind: the next stages fork from this process
    return loaded, issues


# Packages per set of processes reading them: a process that read a hundred small packages with frictionless
# has grown by what it left behind; a fresh one starts again from this process's memory.
BATCH = 100


def _read_fresh(
    paths: list[Path], root: Path, keys: Mapping[Path, str | None], jobs: int | None
) -> list[tuple[Dataset | None, list[Issue]]]:
    """``read_package`` of each of ``paths``, in order: in forked processes when there are several, each
    dataset sent back as its kept entry's text and decoded here."""
    workers = max(1, jobs or workers_.cores())
    results: list[tuple[Dataset | None, list[Issue]]] = []
    for start in range(0, len(paths), BATCH):
        batch = paths[start : start + BATCH]
        with workers_.fork_pool(min(workers, len(batch))) as pool:
            if pool is None:  # one core, one package, or no ``fork``
                results.extend(read_package(path, root, keys[path]) for path in batch)
                continue
            sent = list(pool.map(_read_sent, [(path, root, keys[path]) for path in batch]))
        for path, (text, problems) in zip(batch, sent, strict=True):
            if text is None:  # a value the kept entries cannot hold exactly: read here
                results.append(read_package(path, root, keys[path]))
            else:
                results.append((kept.decode(text) if text else None, problems))
        del sent
        workers_.give_back()  # the texts received and decoded: the next processes fork from this one
    return results


def _read_sent(args: tuple[Path, Path, str | None]) -> tuple[str | None, list[Issue]]:
    """``read_package`` in a forked process: the dataset as its kept entry's text ("" when it did not load;
    None when it cannot be kept exactly), and the problems."""
    dataset, problems = read_package(*args)
    if dataset is None:
        return "", problems
    try:
        return kept.encode_text(dataset), problems
    except kept.Unsupported:
        return None, problems


def read_package(path: Path, root: Path, entry_key: str | None) -> tuple[Dataset | None, list[Issue]]:
    """The dataset of the descriptor ``path`` (None if it does not load: a problem says why), without its
    history, and the problems found while reading it. Kept under ``entry_key`` when it loaded cleanly."""
    descriptor, problems = parse_descriptor(path, root)
    problems = [replace(p, dataset=path.parent.name) for p in problems]
    if descriptor is None:
        return None, problems
    checked = list(guard.check_descriptor(descriptor, path, root))
    if any(p.is_error for p in checked):  # frictionless never sees a descriptor that could fetch, follow or overflow
        return None, problems + checked
    file = rel(path, root)
    try:
        package = Package(descriptor, basepath=str(path.parent))
    except FrictionlessException as exc:
        reasons = exc.reasons or [exc.error]
        return None, [
            *problems,
            *checked,
            *(
                Issue(
                    file,
                    None,
                    None,
                    exc.error.type,
                    frictionless_message(r),
                    frictionless_hint(exc.error.type, file),
                    dataset=path.parent.name,
                )
                for r in reasons
            ),
        ]
    dataset = _dataset(package, path, (), root / config.CACHE_DIR / "tables")
    if entry_key and not any(p.is_error for p in problems):
        kept.keep(root / config.CACHE_DIR / kept.FOLDER, entry_key, dataset, problems + checked)
    return dataset, problems + checked


def _open_package(path: Path, root: Path) -> Package:
    """The frictionless package of a loaded dataset: its descriptor read again (it loaded without an
    error; a kept dataset's folder has not changed since it did)."""
    descriptor, _ = parse_descriptor(path, root)
    package = Package(descriptor, basepath=str(path.parent))
    for resource in package.resources:
        pin_dialect(resource)
    return package


def pin_dialect(resource: FlResource) -> None:
    """Have frictionless read a CSV table in the dialect ``records`` reads it in (``dialect_of``): spaces
    after a delimiter skipped only if ``skipInitialSpace`` is declared true (Table Dialect's default is
    false). Left undeclared, frictionless guesses it from the table's first lines: one quoted cell after
    ", " was enough, and it then read " 2" as "2" where every other reader of the file (the text checks,
    the Excel copy, a large table's summary) reads " 2". The descriptor as published is not changed."""
    if isinstance(resource, TableResource) and resource.format in ("csv", "tsv"):
        control = CsvControl.from_dialect(resource.dialect)
        if control.get_defined("skip_initial_space") is None:
            control.skip_initial_space = False


def _dataset(package: Package, descriptor: Path, history: tuple[Change, ...], summaries: Path | None = None) -> Dataset:
    return Dataset(
        history=history,
        published=package.to_descriptor(),
        name=package.name or descriptor.parent.name,
        folder=descriptor.parent,
        descriptor=descriptor,
        title=_text(package.title or package.name or descriptor.parent.name, package.custom, "title"),
        description=_text(package.description or "", package.custom, "description"),
        version=str(package.version or ""),
        keywords=tuple(str(k) for k in package.keywords or ()),
        keywords_en=_words(_english(package.custom).get("keywords")),
        themes=_words(package.custom.get("themes")),
        licenses=tuple(
            License(
                name=str(lic.get("name", "")),
                title=str(lic.get("title", lic.get("name", ""))),
                path=str(lic.get("path", "")),
            )
            for lic in package.licenses or ()
            if isinstance(lic, Mapping)
        ),
        resources=tuple(_resource(r, summaries) for r in package.resources),
    )


def _resource(resource: FlResource, summaries: Path | None = None) -> Resource:
    pin_dialect(resource)  # before anything reads it: the descriptor as published was taken
    dialect = dialect_of(resource)  # as declared: inference (below) may guess another
    if isinstance(resource, TableResource) and not resource.schema.fields:
        resource = _inferred(resource)
    lines = line_map(resource)
    schema = resource.schema if isinstance(resource, TableResource) else None
    fields = tuple(
        Field(
            name=f.name,
            type=f.type,
            title=_text(f.title or f.name, f.custom, "title"),
            description=_text(f.description or "", f.custom, "description"),
            required=bool(f.constraints.get("required")),
            enum=tuple(str(v) for v in f.constraints.get("enum", ())),
            categories=_categories(f.custom),
        )
        for f in (schema.fields if schema else ())
    )
    return Resource(
        name=resource.name,
        path=str(resource.path or ""),
        title=_text(resource.title or resource.name, resource.custom, "title"),
        description=_text(resource.description or "", resource.custom, "description"),
        fields=fields,
        primary_key=tuple(schema.primary_key) if schema else (),
        foreign_keys=tuple(_foreign_key(fk) for fk in (schema.foreign_keys if schema else ())),
        lines=lines,
        dialect=dialect,
        **_rows_or_summary(resource, lines, fields, dialect, summaries),
    )


def _rows_or_summary(
    resource: FlResource, lines: LineMap, fields: tuple[Field, ...], dialect: Dialect, summaries: Path | None = None
) -> dict[str, Any]:
    """Every row of a table up to ``config.FULL_TABLE_ROWS``; beyond that only the first
    ``config.PREVIEW_ROWS`` rows, the number of rows and each column's summary, computed while streaming the
    file once (memory does not grow with the table)."""
    rows: list[Row] = []
    for row in read_rows(resource, lines, texts={}):
        rows.append(row)
        if len(rows) > config.FULL_TABLE_ROWS:
            break
    else:
        return {"rows": tuple(rows)}
    path = Path(resource.normpath or "")
    if summaries is None:
        count, stats = summarise(path, fields, dialect)
    else:
        count, stats = cache.summary(summaries, path, fields, dialect, summarise)
    return {"rows": tuple(rows[: config.PREVIEW_ROWS]), "row_count": count, "large": True, "stats": stats}


_CASTS: dict[str, Callable[[str], object]] = {
    "integer": int,
    "number": Decimal,
    "year": int,
    "date": datetime.date.fromisoformat,
    "datetime": datetime.datetime.fromisoformat,
}


def summarise(path: Path, fields: tuple[Field, ...], dialect: Dialect) -> tuple[int, tuple[ColumnStats, ...]]:
    """The number of data rows of a CSV file and a summary of each column, in one streaming pass with
    Python's csv module (frictionless reads typed rows some forty times slower). A cell that does not read as
    its field's type is counted but left out of minimum, maximum and mean: the validator reports it."""
    names = [f.name for f in fields]
    casts = [_CASTS.get(f.type) for f in fields]
    filled = [0] * len(fields)
    empty = [0] * len(fields)
    low: list[Any] = [None] * len(fields)
    high: list[Any] = [None] * len(fields)
    totals: list[Decimal | None] = [Decimal(0) if f.type in ("number", "integer") else None for f in fields]
    seen: list[set[str] | None] = [set() for _ in fields]
    capped = [False] * len(fields)
    count = 0
    with path.open(encoding=dialect.encoding, newline="") as handle:
        reader = records(handle, dialect)
        next(reader, None)  # the header
        for _, record in reader:
            count += 1
            for i, text in enumerate(record[: len(fields)]):
                if text == "":
                    empty[i] += 1
                    continue
                filled[i] += 1
                values = seen[i]
                if values is not None and text not in values:
                    if len(values) >= ColumnStats.DISTINCT_LIMIT:
                        seen[i], capped[i] = None, True
                    else:
                        values.add(text)
                cast = casts[i]
                if cast is None:
                    continue
                try:
                    value = cast(text)
                except (ValueError, ArithmeticError):
                    continue
                if low[i] is None or value < low[i]:
                    low[i] = value
                if high[i] is None or value > high[i]:
                    high[i] = value
                total = totals[i]
                if total is not None and isinstance(value, (int, Decimal)):
                    totals[i] = total + value
    stats = tuple(
        ColumnStats(
            name=names[i],
            filled=filled[i],
            empty=empty[i],
            minimum=low[i],
            maximum=high[i],
            total=totals[i],
            distinct=ColumnStats.DISTINCT_LIMIT if capped[i] else len(seen[i] or ()),
            distinct_capped=capped[i],
        )
        for i in range(len(fields))
    )
    return count, stats


def stream_rows(package: Package, resource: Resource) -> Iterator[Row]:
    """Every typed row of ``resource`` (of ``package``), read from its file as it goes: for a large table,
    whose model holds only a preview."""
    if not resource.large:
        yield from resource.rows
        return
    table = package.get_resource(resource.name)
    yield from read_rows(table, resource.lines)


def _inferred(resource: TableResource) -> TableResource:
    """A table without a schema, with the fields frictionless infers from its file (as ``frictionless
    validate`` does). A copy: the package keeps the descriptor as written, for the validator."""
    copy = resource.to_copy()
    try:
        copy.infer()
    except FrictionlessException:
        return resource  # the file cannot be read: the validator says why
    return copy


def line_map(resource: FlResource) -> LineMap:
    """Where each record of a CSV resource starts, as an editor numbers lines."""
    path = Path(resource.normpath) if resource.normpath and resource.path else None
    if not isinstance(resource, TableResource) or path is None or not path.is_file() or path.is_symlink():
        return LineMap()
    starts: list[int] = []
    offsets: list[int] = []
    try:
        for record, (line, _) in enumerate(file_records(path, dialect_of(resource), errors="replace"), start=1):
            offset = line - record
            if offset != (offsets[-1] if offsets else 0):
                starts.append(record)
                offsets.append(offset)
    except (OSError, csv.Error, LookupError, ValueError):  # ValueError: UnicodeError of a wrong encoding
        return LineMap()
    return LineMap(tuple(starts), tuple(offsets))


def read_rows(resource: FlResource, lines: LineMap, texts: dict[str, str] | None = None) -> Iterator[Row]:
    """Typed rows of a resource, read as they are needed: frictionless's row stream, cell by cell. Rows
    frictionless cannot read are skipped, and an unreadable file ends the rows: the validator reports them.
    With ``texts``, rows that are held share one object per distinct text (codes, units and sources repeat
    down a column); ``texts`` keeps them all."""
    if not isinstance(resource, TableResource):
        return
    plain = _plain_csv(resource)
    rows = _plain_rows(resource, *plain) if plain is not None else _frictionless_rows(resource)
    for number, names, values in rows:
        if texts is not None:
            values = [texts.setdefault(v, v) if type(v) is str else v for v in values]
        yield Row(number=lines.line(number), cells=Cells(cell_index(names), tuple(values)))


def _frictionless_rows(resource: TableResource) -> Iterator[tuple[int, tuple[str, ...], list[Any]]]:
    """Each row of frictionless's row stream: its record number (the header is 1), its fields' names (the
    schema's, as matched to the file's header) and its typed values."""
    # References are checked by the validator, across datasets: read without them (frictionless would read
    # the referenced tables to look them up). Put back once read, rather than reading a copy: copying a
    # resource took as long as reading its 50 rows.
    keys = resource.schema.foreign_keys
    resource.schema.foreign_keys = []
    names: tuple[str, ...] = ()
    try:
        with resource:
            for row in resource.row_stream:
                values = row.to_list()
                if len(values) != len(names):
                    names = tuple(row)
                yield row.row_number, names, values
    except FrictionlessException:
        return
    finally:
        resource.schema.foreign_keys = keys


# What frictionless's CSV parser reads beyond the header to sniff the file's dialect (its ``SAMPLE_SIZE``).
SNIFFED_LINES = 100


def _plain_csv(resource: TableResource) -> tuple[Path, Dialect] | None:
    """The file and the dialect in which ``records`` reads a table exactly as frictionless's row stream
    does, cell for cell: a local CSV file declared UTF-8, no dialect option but the delimiter, the quote
    character and spaces after the delimiter kept (``pin_dialect``), the dialect frictionless settles on
    (what is declared, the rest sniffed from the first lines as its CSV parser does) one that ``records``
    reads, and a header of one label per field on the first line.
    None: the table is read through frictionless (``_frictionless_rows``), which opening a resource makes
    about ten times slower (2.83 s against 0.29 s of CPU for 400 of the benchmark's tables of 50 rows).
    The dialect is settled here as frictionless 5's ``CsvParser`` settles it, with its own ``CsvControl``:
    ``tests/test_read_rows.py`` compares both readings, so a frictionless that reads otherwise fails it."""
    dialect = resource.dialect
    path = Path(resource.normpath) if resource.normpath and isinstance(resource.path, str) else None
    encoding = resource.get_defined("encoding")
    if (
        path is None
        or resource.format != "csv"
        or resource.compression
        or resource.innerpath
        or resource.remote
        or resource.multipart
        or not isinstance(encoding, str)
        or _codec(encoding) not in ("utf-8", "utf-8-sig")
        or not resource.schema.fields
        or (dialect.header, dialect.header_rows, dialect.comment_char, dialect.comment_rows) != (True, [1], None, [])
        or dialect.skip_blank_rows
        or any(control.type != "csv" for control in dialect.controls)
        or not path.is_file()
        or path.is_symlink()
    ):
        return None
    control = CsvControl.from_dialect(dialect)
    if control.null_sequence is not None:
        return None
    read = Dialect(encoding="utf-8-sig")  # frictionless reads a declared UTF-8 file with a BOM as utf-8-sig
    try:
        with path.open(encoding=read.encoding, newline="") as handle:
            sample = list(itertools.islice(handle, SNIFFED_LINES))
            # as frictionless's CsvParser settles the dialect
            sniffed: Any
            try:
                sniffed = csv.Sniffer().sniff("".join(sample), control.get_defined("delimiter", default=",\t;|"))
            except csv.Error:
                sniffed = csv.excel()
            if sniffed.quotechar == "'":
                sniffed.quotechar = '"'
            control.set_not_defined("delimiter", sniffed.delimiter, distinct=True)
            control.set_not_defined("escape_char", sniffed.escapechar, distinct=True)
            control.set_not_defined("quote_char", sniffed.quotechar, distinct=True)
            control.set_not_defined("skip_initial_space", sniffed.skipinitialspace, distinct=True)
            settled = control.to_python()
            if (
                settled.escapechar is not None
                or settled.skipinitialspace
                or settled.quoting != csv.QUOTE_MINIMAL
                or len(settled.delimiter) != 1
                or len(settled.quotechar or "") != 1
            ):
                return None
            read = replace(read, delimiter=settled.delimiter, quotechar=settled.quotechar)
            handle.seek(0)
            header = next(records(handle, read), None)
    except (OSError, csv.Error, UnicodeError):
        return None
    if header is None or len(header[1]) != len(resource.schema.fields):
        return None  # frictionless matches fewer or more labels otherwise; and an empty file has no rows
    return path, read


def _codec(encoding: str) -> str | None:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return None


def _plain_rows(
    resource: TableResource, path: Path, dialect: Dialect
) -> Iterator[tuple[int, tuple[str, ...], list[Any]]]:
    """``_frictionless_rows`` of a table ``_plain_csv`` found plain: its file's records after the header,
    each cell read by its field's own frictionless cell reader (a missing cell is None, as frictionless has
    it; cells beyond the fields are left out). A file that stops decoding or parsing ends the rows."""
    fields = resource.schema.fields
    names = tuple(f.name for f in fields)
    readers = [f.create_cell_reader() for f in fields]
    width = len(fields)
    try:
        with path.open(encoding=dialect.encoding, newline="") as handle:
            reader = records(handle, dialect)
            next(reader, None)  # the header
            for number, (_, cells) in enumerate(reader, start=2):
                values = [cast(cell)[0] for cast, cell in zip(readers, cells, strict=False)]
                if len(cells) < width:
                    values += [None] * (width - len(cells))
                yield number, names, values
    except (OSError, csv.Error, UnicodeError):
        return


def _foreign_key(fk: Mapping[str, Any]) -> ForeignKey:
    reference = fk.get("reference", {})
    return ForeignKey(
        fields=tuple(_as_list(fk.get("fields"))),
        resource=str(reference.get("resource", "")),
        ref_fields=tuple(_as_list(reference.get("fields"))),
        package=str(reference["package"]) if reference.get("package") else None,
    )


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _categories(custom: Mapping[str, Any]) -> Mapping[str, Text]:
    """Table Schema v2 ``categories`` (``[{value, label}]``) with English labels from
    ``translations: {en: {categories: {value: label}}}``."""
    raw = custom.get("categories")
    if not isinstance(raw, list):
        return MappingProxyType({})
    translations = custom.get("translations")
    english = translations.get("en") if isinstance(translations, Mapping) else None
    en_labels = english.get("categories") if isinstance(english, Mapping) else None
    labels = {}
    for item in raw:
        if isinstance(item, Mapping) and "value" in item:
            value = str(item["value"])
            en = en_labels.get(value) if isinstance(en_labels, Mapping) else None
            labels[value] = Text(str(item.get("label", value)), str(en) if en is not None else None)
    return MappingProxyType(labels)


def _english(custom: Mapping[str, Any]) -> Mapping[str, Any]:
    """The descriptor's ``translations: {en: {...}}`` (empty when there are none)."""
    translations = custom.get("translations")
    english = translations.get("en") if isinstance(translations, Mapping) else None
    return english if isinstance(english, Mapping) else {}


def _text(vi: str, custom: Mapping[str, Any], key: str) -> Text:
    """The Vietnamese text and its English translation from ``translations: {en: {key: ...}}``."""
    en = _english(custom).get(key)
    return Text(vi=str(vi), en=str(en) if isinstance(en, str) else None)


def _words(value: object) -> tuple[str, ...]:
    """A list of words from a descriptor (the guard reports one that is not a list of texts)."""
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def _one_line(value: object) -> str:
    return " ".join(str(value).split())


def _error_line(exc: Exception) -> int | None:
    mark = getattr(exc, "problem_mark", None)
    if mark is not None:
        return int(mark.line) + 1
    lineno = getattr(exc, "lineno", None)
    return int(lineno) if lineno is not None else None
