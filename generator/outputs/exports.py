"""Downloads in every form people use, and catalogues machines harvest.

Per table: the CSV exactly as validated (copied by the writer), a CSV for Excel (UTF-8 with a byte-order mark,
CRLF), an XLSX workbook (numbers as numbers, Vietnamese column titles, frozen header, a data dictionary and
the sources) and JSON records with the schema's types. Per dataset: a ``datapackage.json`` listing every file
with its size and SHA-256, and a ZIP. For the catalogue: a ZIP of everything, a DCAT-AP catalogue in JSON-LD,
an Atom feed of updates, and schema.org ``Dataset`` JSON-LD for each dataset page.

Everything is built with code (csv, json, XlsxWriter, xml.etree), byte for byte the same for the same input:
ZIP entries and workbook properties carry fixed dates.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import csv
import dataclasses
import datetime
import functools
import hashlib
import io
import json
import math
import posixpath
import secrets
import shutil
import struct
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree

from babel.numbers import format_decimal
from xlsxwriter import Workbook

from generator import cache, config, i18n, workers
from generator.models import Catalogue, Change, Dataset, License, Resource, Row
from generator.outputs.held import Blobs
from generator.outputs.registry import (
    CATALOGUE_ZIP,
    DATAPACKAGE_JSON,
    DCAT_FILE,
    FEED_FILE,
    copy_names,
    dataset_folder,
    dcat_path,
)
from generator.read.guard import FORMULA_STARTS  # what the guard reports, the copies neutralise
from generator.records import records
from generator.vocab import THEME_SCHEME, THEMES

ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a ZIP entry can carry: no clock time in any file


@dataclass(frozen=True)
class Download:
    """A published file: where it is (relative to the site's root), what it is, its size and SHA-256."""

    path: str
    kind: str  # csv | excel-csv | xlsx | json | datapackage | zip
    media_type: str
    size: int
    sha256: str


KINDS = {
    "csv": ("CSV", "text/csv"),
    "excel-csv": (i18n.N_("CSV cho Excel"), "text/csv"),
    "xlsx": ("Excel (XLSX)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "json": ("JSON", "application/json"),
    "datapackage": ("Data Package (JSON)", "application/json"),
    "zip": ("ZIP", "application/zip"),
}


@dataclass(frozen=True)
class Exports:
    """Generated files and, per dataset and per resource, what can be downloaded. Small files are kept in
    memory (``blobs``: path -> bytes); those of large tables are written to disk as they are made
    (``files``: path -> the file), so that memory does not grow with the data."""

    blobs: Blobs
    by_dataset: Mapping[str, tuple[Download, ...]]  # datapackage.json and the dataset's ZIP
    by_resource: Mapping[tuple[str, str], tuple[Download, ...]]  # the CSV and its other forms
    catalogue: tuple[Download, ...]  # the catalogue's ZIP, DCAT and feed
    files: Mapping[str, Path] = field(default_factory=dict)


# A file's content for an archive or a descriptor: bytes in memory, or a file read as it goes.
Content = bytes | Path


@dataclass(frozen=True)
class _Made:
    """One dataset's exports: its archive's entries (by name in the dataset's folder; empty when they were
    kept from an earlier build), each resource's downloads, the dataset's own two, and where the files are."""

    entries: Mapping[str, Content]
    forms: Mapping[str, tuple[Download, ...]]
    downloads: tuple[Download, ...]  # datapackage.json and the ZIP
    blobs: Mapping[str, bytes]
    on_disk: Mapping[str, Path]
    archive: Content
    dcat: str  # its entry in the DCAT catalogue, as JSON text (``dcat_catalogue``'s ``dumped``)


KEPT_SUFFIX = ".exports.json"  # a dataset's record in the spill folder: what its exports are and where


def build_exports(catalogue: Catalogue, spill: Path | None = None, keys: Mapping[str, str] | None = None) -> Exports:
    """Every generated download and catalogue of the site. ``spill`` is the folder where the exports of
    large tables (and the archives holding them) are written; each is named by what it was made from, so an
    unchanged table's exports are made once and reused. ``keys`` (``export_keys``), with ``spill``: a
    dataset whose key is unchanged is not exported again; its record in ``spill`` names its files."""
    blobs = Blobs()
    on_disk: dict[str, Path] = {}
    downloads: dict[str, tuple[Download, ...]] = {}
    forms: dict[str, Mapping[str, tuple[Download, ...]]] = {}
    everything: dict[str, Content] = {}
    dumped = Blobs()  # held compressed until the catalogue is written
    archives: dict[str, tuple[str, Content]] = {}  # each dataset's archive, by name, with its SHA-256
    kept = {key + KEPT_SUFFIX for d in catalogue.datasets if (key := _key(d, spill, keys))}
    for dataset, made in _each_dataset(catalogue, spill, keys):  # not in the catalogue's order
        blobs.update(made.blobs)
        on_disk.update(made.on_disk)
        downloads[dataset.name], forms[dataset.name] = made.downloads, made.forms
        everything.update({f"{dataset.name}/{name}": data for name, data in made.entries.items()})
        archives[dataset.name] = (made.downloads[1].sha256, made.archive)
        dumped[dataset.name] = made.dcat.encode("utf-8")  # a third of the memory of Vietnamese text as str
    by_dataset = {d.name: downloads[d.name] for d in catalogue.datasets}
    by_resource = {(d.name, name): these for d in catalogue.datasets for name, these in forms[d.name].items()}
    if spill is not None:  # the datasets' archives hold every entry: their members copied, not compressed again
        key = ",".join(f"{name}:{sha256}" for name, (sha256, _) in sorted(archives.items()))
        parts = [data for _, (_, data) in sorted(archives.items())]
        made_zip = _spilled(spill, "zip", functools.partial(merge_zips, parts), key)
        on_disk[CATALOGUE_ZIP] = made_zip
        archive: Content = made_zip
    else:
        archive = _archive(dict(sorted(everything.items())), spill, CATALOGUE_ZIP, blobs, on_disk)
    catalogue_downloads = [_download(CATALOGUE_ZIP, "zip", archive)]
    if spill is not None:  # written to a file a piece at a time, named by its content
        pieces = functools.partial(dcat_pieces, catalogue, by_dataset, by_resource, dumped)
        key = dcat_key(catalogue, dumped)
        on_disk[DCAT_FILE] = _spilled(spill, "jsonld", functools.partial(_write_pieces, pieces), key)
    else:
        blobs[DCAT_FILE] = dcat_catalogue(catalogue, by_dataset, by_resource, dumped)
    for lang in i18n.LANGUAGES:
        blobs[i18n.prefix(lang) + FEED_FILE] = atom_feed(catalogue, lang)
    if spill is not None and spill.is_dir():  # files of earlier builds that this one no longer publishes
        published = {p.name for p in on_disk.values()} | kept
        published |= {name + cache.DIGEST_SUFFIX for name in published}
        for old in spill.iterdir():
            if old.is_file() and old.name not in published:
                cache.discard(old)
    return Exports(
        blobs.in_order(),
        by_dataset,
        by_resource,
        tuple(catalogue_downloads),
        dict(sorted(on_disk.items())),
    )


# What ``_export`` works on, set while ``_each_dataset`` runs: the forked processes inherit it (the catalogue
# is never pickled to them; only each dataset's index goes, and its ``_Made`` comes back).
_EXPORTING: tuple[Catalogue, Path | None, Mapping[str, str] | None] | None = None
BATCH = 50  # datasets exported by one set of forked processes, whose results are then taken in


def _each_dataset(
    catalogue: Catalogue, spill: Path | None, keys: Mapping[str, str] | None
) -> Iterator[tuple[Dataset, _Made]]:
    """Each dataset with its exports, not in the catalogue's order: first those an earlier build made
    (``_restored``, here: sending them back from another process took longer than reading them), then the
    others, largest first, made in forked processes on every core (``_export``, ``workers.forked``; the
    datasets share nothing but the cache's files, each named by its content and renamed into place whole).
    This process takes in ``BATCH`` results at a time: a thousand datasets' results held at once took 90 MB,
    and exports made here left it 25 MB larger."""
    global _EXPORTING
    datasets = catalogue.datasets
    pending = []
    for index, dataset in enumerate(datasets):
        key = _key(dataset, spill, keys)
        restored = _restored(spill, key) if spill and key else None
        if restored is None:
            pending.append(index)
        else:
            yield dataset, restored
    pending.sort(key=lambda i: -_weight(datasets[i]))
    # a dataset with a large table is exported in a process of its own, begun first: in a batch, it kept one
    # core busy while the other, done with the rest, waited (the benchmark's exports took 5.6 to 8.9 s less
    # wall time with this)
    several = len(pending) > 1 and workers.cores() > 1
    heavy = [i for i in pending if any(r.large for r in datasets[i].resources)] if several else []
    light = [i for i in pending if i not in heavy]
    _EXPORTING = (catalogue, spill, keys)
    begun = [workers.begin(functools.partial(_export, index)) for index in heavy]
    try:
        for index, made in zip(light, workers.forked(_export, light, workers.cores(), BATCH), strict=True):
            yield datasets[index], made
        for index, work in zip(heavy, begun, strict=True):
            yield datasets[index], work.result()
    finally:
        _EXPORTING = None
        for work in begun:
            work.stop()


def _export(index: int) -> _Made:
    """The exports of the catalogue's dataset ``index``, kept under its key when it has one."""
    assert _EXPORTING is not None
    catalogue, spill, keys = _EXPORTING
    dataset = catalogue.datasets[index]
    key = _key(dataset, spill, keys)
    if spill and key:
        return _made_and_kept(dataset, catalogue, spill, key)
    return _dataset_exports(dataset, catalogue, spill)


def _key(dataset: Dataset, spill: Path | None, keys: Mapping[str, str] | None) -> str | None:
    """The key ``dataset``'s exports are kept under in ``spill`` (``export_keys``); None: they are not kept."""
    return keys.get(dataset.name) if keys is not None and spill is not None else None


def _weight(dataset: Dataset) -> int:
    """How much there is to export: the rows of the dataset's tables."""
    return sum(r.count for r in dataset.resources)


def export_keys(catalogue: Catalogue, digests: Mapping[str, str]) -> dict[str, str]:
    """For each dataset, a key naming everything its exports are made from: the generator, the dataset's
    files (``digests``: ``cache.dataset_digest`` by name), its descriptor as published, its dates, the
    sources its workbooks list and the site's settings (a workbook's creator, the DCAT publisher and
    addresses)."""
    sources = digests.get(config.SOURCES[0], "-")
    site = json.dumps(dataclasses.asdict(catalogue.site), sort_keys=True, default=str)
    keys = {}
    for dataset in catalogue.datasets:
        published = json.dumps(dict(dataset.published), sort_keys=True, default=str)
        dates = f"{dataset.modified}:{dataset.issued}"
        keys[dataset.name] = cache.key_of("exports", digests[dataset.name], published, dates, sources, site)
    return keys


def _dataset_exports(dataset: Dataset, catalogue: Catalogue, spill: Path | None) -> _Made:
    folder = dataset_folder(dataset.name)
    blobs: dict[str, bytes] = {}
    on_disk: dict[str, Path] = {}
    forms_of: dict[str, tuple[Download, ...]] = {}
    tables = {r.path for r in dataset.resources if r.path}  # read below as the exports need them
    files: dict[str, Content] = {
        name: path.read_bytes() for name, path in published_files(dataset).items() if name not in tables
    }
    for resource in dataset.resources:
        if not resource.path:
            continue
        source = dataset.folder / resource.path
        original: Content = source if resource.large or spill is not None else source.read_bytes()
        files[resource.path] = original
        forms = [_download(f"{folder}/{resource.path}", "csv", original)]
        names = copy_names(resource)
        if resource.large and names:
            name = names["excel-csv"]
            key = _size_and_hash(source)[1] + ":" + ",".join(f.type for f in resource.fields)
            made = _spilled(_need(spill), "excel.csv", functools.partial(excel_csv_file, resource, source), key)
            files[name] = made
            on_disk[f"{folder}/{name}"] = made
            forms.append(_download(f"{folder}/{name}", "excel-csv", made))
        elif names:
            makers: dict[str, Callable[[], Content]] = {
                "excel-csv": functools.partial(excel_csv, resource),
                "xlsx": functools.partial(_workbook, dataset, resource, catalogue, spill),
                "json": functools.partial(json_records, resource),
            }
            for kind, name in names.items():
                kept = _keep(makers[kind](), spill, f"{folder}/{name}", blobs, on_disk)
                files[name] = kept
                forms.append(_download(f"{folder}/{name}", kind, kept))
        forms_of[resource.name] = tuple(forms)
    descriptor = datapackage_json(dataset, files)
    files[DATAPACKAGE_JSON] = descriptor
    blobs[f"{folder}/{DATAPACKAGE_JSON}"] = descriptor
    entries = dict(sorted(files.items()))
    archive = _archive(
        {f"{dataset.name}/{n}": d for n, d in entries.items()}, spill, f"{folder}/{dataset.name}.zip", blobs, on_disk
    )
    downloads = (
        _download(f"{folder}/{DATAPACKAGE_JSON}", "datapackage", descriptor),
        _download(f"{folder}/{dataset.name}.zip", "zip", archive),
    )
    by_resource = {(dataset.name, name): forms for name, forms in forms_of.items()}
    entry = dcat_dataset(catalogue, dataset, {dataset.name: downloads}, by_resource)
    blobs[dcat_path(dataset.name)] = dcat_dataset_file(
        catalogue, dataset, {dataset.name: downloads}, by_resource, {dataset.name: entry}
    )
    return _Made(entries, forms_of, downloads, blobs, on_disk, archive, _dumps(entry))


def _restored(spill: Path, key: str) -> _Made | None:
    """What an earlier build made under ``key``: its record read from ``spill``, every file it names there
    whole (``cache.whole``); None when there is no such record, or it or a file it names is not whole."""
    return _restore(cache.stored_json(spill / f"{key}{KEPT_SUFFIX}"), spill, key)


def _made_and_kept(dataset: Dataset, catalogue: Catalogue, spill: Path, key: str) -> _Made:
    made = _dataset_exports(dataset, catalogue, spill)
    record = {
        "format": cache.FORMAT,
        "key": key,
        "forms": {name: [dataclasses.astuple(d) for d in forms] for name, forms in made.forms.items()},
        "downloads": [dataclasses.astuple(d) for d in made.downloads],
        "blobs": {path: base64.b64encode(data).decode("ascii") for path, data in made.blobs.items()},
        "on_disk": {path: file.name for path, file in made.on_disk.items()},
        "archive": made.downloads[1].path,
        "dcat": made.dcat,
    }
    cache.keep_json(spill / f"{key}{KEPT_SUFFIX}", record)
    return made


def _restore(record: Any, spill: Path, key: str) -> _Made | None:
    if not isinstance(record, dict) or record.get("format") != cache.FORMAT or record.get("key") != key:
        return None
    try:
        on_disk = {}
        for path, name in record["on_disk"].items():
            found = cache.whole_entry(spill / name)
            if found is None:
                return None
            on_disk[path] = found
        blobs = {path: base64.b64decode(text, validate=True) for path, text in record["blobs"].items()}
        forms = {name: tuple(Download(*d) for d in forms) for name, forms in record["forms"].items()}
        downloads = tuple(Download(*d) for d in record["downloads"])
        archive: Content = on_disk.get(record["archive"]) or blobs[record["archive"]]
        dcat = record["dcat"]
        if not isinstance(dcat, str):
            return None
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    return _Made({}, forms, downloads, blobs, on_disk, archive, dcat)


def _workbook(dataset: Dataset, resource: Resource, catalogue: Catalogue, spill: Path | None) -> Content:
    """``xlsx(...)``; with ``spill``, made once and kept there under the hash of what goes into it (a
    workbook is the slowest step of rendering a small table: an unchanged table's workbook is not made again)."""
    book = workbook_content(dataset, resource, catalogue)
    if spill is None:
        return write_xlsx(book)

    def make(target: Path) -> None:
        target.write_bytes(write_xlsx(book))

    return _spilled(spill, "xlsx", make, repr(book))


def _keep(
    data: Content, spill: Path | None, path: str, blobs: MutableMapping[str, bytes], on_disk: dict[str, Path]
) -> Content:
    """A generated file: kept in memory without ``spill``; with it, written there (named by its content) so
    that a catalogue of a thousand datasets does not hold every export in memory at once. A file already
    there (``Path``) is published as it is."""
    if isinstance(data, Path):
        on_disk[path] = data
        return data
    if spill is None:
        blobs[path] = data
        return data
    name = f"{hashlib.sha256(data).hexdigest()}{posixpath.splitext(path)[1]}"
    target = cache.entry(spill / name, lambda partial: partial.write_bytes(data))
    on_disk[path] = target
    return target


def _need(spill: Path | None) -> Path:
    if spill is None:
        raise ValueError("a large table's exports are written to disk: build_exports needs a `spill` folder")
    return spill


def _archive(
    entries: Mapping[str, Content],
    spill: Path | None,
    path: str,
    blobs: MutableMapping[str, bytes],
    on_disk: dict[str, Path],
) -> Content:
    """A deterministic ZIP of ``entries``: in memory when every entry is, else written to ``spill``."""
    if all(isinstance(data, bytes) for data in entries.values()):
        data = deterministic_zip({name: d for name, d in entries.items() if isinstance(d, bytes)})
        blobs[path] = data
        return data
    key = hashlib.sha256()
    for name, content in entries.items():
        key.update(f"{name}\0{_size_and_hash(content)[1]}\0".encode())
    made = _spilled(_need(spill), "zip", lambda target: write_zip(entries, target), key.hexdigest())
    on_disk[path] = made
    return made


def _spilled(spill: Path, suffix: str, make: Callable[[Path], None], key: str) -> Path:
    """``spill/<hash>.<suffix>``, made by ``make`` unless it is already there. The hash is of ``key`` (what
    the file is made from) and of the generator's own files."""
    digest = hashlib.sha256(f"{cache.generator_fingerprint()}\0{key}".encode()).hexdigest()
    return cache.entry(spill / f"{digest}.{suffix}", make)  # verified before use, made again if damaged


def _write_pieces(pieces: Callable[[], Iterable[bytes]], target: Path) -> None:
    with target.open("wb") as out:
        for piece in pieces():
            out.write(piece)


def _size_and_hash(content: Content) -> tuple[int, str]:
    if isinstance(content, bytes):
        return len(content), hashlib.sha256(content).hexdigest()
    digest = hashlib.sha256()
    size = 0
    with content.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _download(path: str, kind: str, data: Content) -> Download:
    size, sha256 = _size_and_hash(data)
    return Download(path, kind, KINDS[kind][1], size, sha256)


# --- tables ---------------------------------------------------------------------------------------------------


def neutralise(text: str) -> str:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe: shown, never run."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _plain(value: object) -> object:
    """A cell as JSON has it: numbers as numbers (exact digits), dates as ISO text."""
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        return int(value) if isinstance(exponent, int) and exponent >= 0 else float(value)
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (list, dict)) or value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _csv_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, str):
        return neutralise(value)
    return str(value)


def excel_csv(resource: Resource) -> bytes:
    """The table for Excel: UTF-8 with a byte-order mark (Vietnamese opens intact), CRLF line ends, and text
    that could run as a formula neutralised. Numbers keep ``.`` as the decimal sign, as in the data."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(resource.field_names)
    for row in resource.rows:
        writer.writerow([_csv_text(row.cells.get(name)) for name in resource.field_names])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def excel_csv_file(resource: Resource, source: Path, target: Path) -> None:
    """``excel_csv`` for a large table, streamed from its file (read in its declared dialect) to ``target``:
    the cells as the file writes them, text that could run as a formula neutralised."""
    text_columns = {i for i, f in enumerate(resource.fields) if f.type == "string"}
    with source.open(encoding=resource.dialect.encoding, newline="") as reader_handle, target.open("wb") as out:
        out.write(b"\xef\xbb\xbf")
        with io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True) as text:
            writer = csv.writer(text, lineterminator="\r\n")
            reader = (cells for _, cells in records(reader_handle, resource.dialect))  # the declared dialect
            writer.writerow(next(reader, list(resource.field_names)))
            for record in reader:
                writer.writerow([neutralise(c) if i in text_columns else c for i, c in enumerate(record)])


def json_records(resource: Resource) -> bytes:
    """The table as JSON: a list of records, numbers as numbers, dates as ISO text, empty cells as null."""
    records = [{name: _plain(row.cells.get(name)) for name in resource.field_names} for row in resource.rows]
    return (json.dumps(records, ensure_ascii=False, allow_nan=False, indent=1) + "\n").encode("utf-8")


@dataclass(frozen=True)
class WorkbookContent:
    """Everything an XLSX download holds: its sheets (name, header, rows) and its properties. Its ``repr``
    is the key of the workbook in the exports cache (the values are text, numbers and dates)."""

    sheets: tuple[tuple[str, tuple[str, ...], tuple[tuple[object, ...], ...]], ...]
    created: datetime.datetime
    creator: str | None


def workbook_content(dataset: Dataset, resource: Resource, catalogue: Catalogue) -> WorkbookContent:
    """The data (Vietnamese column titles), the data dictionary, and the sources its rows cite."""
    data = (
        "Dữ liệu",
        tuple(f.title.vi for f in resource.fields),
        tuple(tuple(_excel_value(row.cells.get(f.name)) for f in resource.fields) for row in resource.rows),
    )
    dictionary = (
        "Từ điển dữ liệu",
        ("Cột", "Tên", "Tên tiếng Anh", "Kiểu", "Bắt buộc", "Mô tả"),
        tuple(
            (f.name, f.title.vi, f.title.en or "", f.type, "có" if f.required else "không", f.description.vi)
            for f in resource.fields
        ),
    )
    sources = (
        "Nguồn",
        ("Mã nguồn", "Cơ quan công bố", "Tiêu đề", "Ngày công bố", "Địa chỉ"),
        tuple(
            tuple(_excel_value(r.cells.get(key)) for key in ("id", "publisher", "title", "published", "url"))
            for r in cited_sources(resource, catalogue)
        ),
    )
    moment = datetime.datetime.combine(dataset.modified or datetime.date(2000, 1, 1), datetime.time())
    return WorkbookContent((data, dictionary, sources), moment, catalogue.site.name or None)


def xlsx(dataset: Dataset, resource: Resource, catalogue: Catalogue) -> bytes:
    """A workbook: the data (Vietnamese column titles, frozen header, numbers as numbers), the data
    dictionary, and the sources its rows cite. Text is always stored as text, never as a formula."""
    return write_xlsx(workbook_content(dataset, resource, catalogue))


def write_xlsx(content: WorkbookContent) -> bytes:
    """The bytes of ``content`` as an XLSX file, the same for the same content (XlsxWriter: it writes cells
    as it is given them, where openpyxl builds an object per cell first, at two to two and a half times the
    time)."""
    buffer = io.BytesIO()
    # Text is only ever text: never read as a formula, a number or a link
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
    book = Workbook(buffer, options)
    styles = {
        "header": book.add_format({"bold": True}),
        "quoted": book.add_format({"quote_prefix": True}),  # "=..." shown as typed, never run
        datetime.datetime: book.add_format({"num_format": "yyyy-mm-dd h:mm:ss"}),
        datetime.date: book.add_format({"num_format": "yyyy-mm-dd"}),
        datetime.time: book.add_format({"num_format": "h:mm:ss"}),
    }
    for name, header, rows in content.sheets:
        sheet = book.add_worksheet(name)
        for column, title in enumerate(header):
            sheet.write_string(0, column, title, styles["header"])
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row):
                _write_cell(sheet, number, column, _excel_value(value), styles)
        sheet.freeze_panes(1, 0)
    book.set_properties({"created": content.created, "author": content.creator or ""})
    book.close()
    # As XlsxWriter wrote it: in memory, it dates every member 1980-01-01, so the bytes depend on the content
    # alone (taking the members out and zipping them again, as for a workbook openpyxl wrote, was a third of
    # the time of a small table's workbook)
    return buffer.getvalue()


def _write_cell(sheet: Any, row: int, column: int, value: object, styles: Mapping[object, Any]) -> None:
    """One cell of ``sheet``, by the kind of ``value`` (``_excel_value``); an empty cell is not written."""
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, column, value)
    elif isinstance(value, (int, float)) and math.isfinite(value):
        sheet.write_number(row, column, value)
    elif isinstance(value, float):  # a spreadsheet has no NaN or infinity: as Table Schema spells them
        sheet.write_string(row, column, "NaN" if math.isnan(value) else "INF" if value > 0 else "-INF")
    elif isinstance(value, (datetime.date, datetime.time)):
        kind = next(k for k in (datetime.datetime, datetime.date, datetime.time) if isinstance(value, k))
        sheet.write_datetime(row, column, value, styles[kind])
    elif isinstance(value, str) and value.startswith(FORMULA_STARTS):
        sheet.write_string(row, column, value, styles["quoted"])
    else:
        sheet.write_string(row, column, str(value))


_EXCEL_DIGITS = 15  # a spreadsheet keeps 15 significant digits of a number and silently rounds the rest


def _excel_value(value: object) -> object:
    """A cell as the workbook holds it. What a spreadsheet cannot hold exactly is written as text, as the
    data has it: a number of more than 15 significant digits (a long code), and a date and time with a time
    zone (a spreadsheet's dates have none)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (Decimal, int)):
        digits = Decimal(value).normalize().as_tuple().digits
        return _plain(value) if len(digits) <= _EXCEL_DIGITS else str(value)
    if isinstance(value, (datetime.datetime, datetime.time)) and value.utcoffset() is not None:
        return value.isoformat()
    if isinstance(value, (datetime.date, datetime.time, float, str)) or value is None:
        return value
    return str(value)


def cited_sources(resource: Resource, catalogue: Catalogue) -> list[Row]:
    """The rows of the sources table that ``resource`` cites, in the order of the sources table."""
    sources = catalogue.resource(*config.SOURCES)
    if sources is None or "source_id" not in resource.field_names:
        return []
    cited = {row.cells.get("source_id") for row in resource.rows}
    return [row for row in sources.rows if row.cells.get("id") in cited]


# --- packages and archives ------------------------------------------------------------------------------------


def deterministic_zip(entries: Mapping[str, bytes], sort: bool = True) -> bytes:
    """A ZIP archive of ``entries`` whose bytes depend only on them (fixed dates and permissions)."""
    buffer = io.BytesIO()
    _zip_into(buffer, entries, sort)
    return buffer.getvalue()


def write_zip(entries: Mapping[str, Content], target: Path) -> None:
    """``deterministic_zip`` written to ``target``, reading each file entry as it goes."""
    with target.open("wb") as out:
        _zip_into(out, entries, sort=True)


def _zip_into(out: IO[bytes], entries: Mapping[str, Content], sort: bool) -> None:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(entries) if sort else entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            content = entries[name]
            if isinstance(content, bytes):
                archive.writestr(info, content)
            else:
                # the size known beforehand, as writestr knows it: the same bytes as from memory (and ZIP64
                # headers only for a file that needs them)
                info.file_size = content.stat().st_size
                with content.open("rb") as source, archive.open(info, "w") as member:
                    shutil.copyfileobj(source, member, 1 << 20)


LOCAL_HEADER = struct.Struct("<4s22sHH")  # a ZIP member's local header: signature, fields, name and extra lengths


def merge_zips(archives: Iterable[Content], target: Path) -> None:
    """Every member of ``archives`` (ZIPs made by ``write_zip``, no name in two) in one ZIP at ``target``, in
    the order of their names: byte for byte ``write_zip`` of the same entries, but each member's compressed
    bytes are copied, not compressed again. zipfile writes the central directory; this function places the
    members as ``ZipFile.write`` does (its ``fp``, ``filelist``, ``NameToInfo`` and ``start_dir``)."""
    with contextlib.ExitStack() as stack:
        members: list[tuple[str, IO[bytes], zipfile.ZipInfo]] = []
        for data in archives:
            handle: IO[bytes] = io.BytesIO(data) if isinstance(data, bytes) else stack.enter_context(data.open("rb"))
            members += [(info.filename, handle, info) for info in zipfile.ZipFile(handle).infolist()]
        members.sort(key=lambda member: member[0])
        with target.open("wb") as out, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as merged:
            for name, handle, info in members:
                if info.flag_bits & 0x08 or name in merged.NameToInfo:  # a data descriptor after the data
                    raise ValueError(f"cannot copy the ZIP member {name}: not one write_zip makes, or named twice")
                handle.seek(info.header_offset)
                header = handle.read(LOCAL_HEADER.size)
                signature, _, name_length, extra_length = LOCAL_HEADER.unpack(header)
                if signature != b"PK\x03\x04":
                    raise ValueError(f"cannot copy the ZIP member {name}: no local header where it should be")
                copied = copy.copy(info)
                copied.header_offset = out.tell()
                out.write(header)
                _copy_bytes(handle, out, name_length + extra_length + info.compress_size)
                merged.filelist.append(copied)
                merged.NameToInfo[name] = copied
                merged.start_dir = out.tell()


def _copy_bytes(source: IO[bytes], target: IO[bytes], size: int) -> None:
    while size > 0:
        chunk = source.read(min(size, 1 << 20))
        if not chunk:
            raise ValueError("a ZIP member ends before its recorded size")
        target.write(chunk)
        size -= len(chunk)


def datapackage_json(dataset: Dataset, files: Mapping[str, Content]) -> bytes:
    """The published descriptor: every file listed with ``bytes`` and ``hash``, so that ``frictionless
    validate`` can check the published folder. References to other datasets (which frictionless cannot
    follow across packages) move from ``foreignKeys`` to ``foreignKeysToOtherPackages``."""
    descriptor = copy.deepcopy(dict(dataset.published))
    resources = []
    for entry in descriptor.get("resources", []):
        path = entry.get("path")
        if isinstance(path, str) and path in files:
            entry["bytes"], digest = _size_and_hash(files[path])
            entry["hash"] = "sha256:" + digest
        schema = entry.get("schema")
        if isinstance(schema, dict) and schema.get("foreignKeys"):
            keys = schema["foreignKeys"]
            schema["foreignKeys"] = [k for k in keys if not k.get("reference", {}).get("package")]
            others = [k for k in keys if k.get("reference", {}).get("package")]
            if others:
                entry["foreignKeysToOtherPackages"] = others
            if not schema["foreignKeys"]:
                del schema["foreignKeys"]
        resources.append(entry)
        if isinstance(path, str):
            stem = posixpath.splitext(path)[0]
            for suffix, kind, fmt in (
                (".excel.csv", "excel-csv", "csv"),
                (".xlsx", "xlsx", "xlsx"),
                (".json", "json", "json"),
            ):
                name = stem + suffix
                if name in files:
                    size, digest = _size_and_hash(files[name])
                    resources.append(
                        {
                            "name": f"{entry.get('name')}-{kind}",
                            "path": name,
                            "format": fmt,
                            "mediatype": KINDS[kind][1],
                            "bytes": size,
                            "hash": "sha256:" + digest,
                            "description": f"{KINDS[kind][0]} form of the resource {entry.get('name')}",
                        }
                    )
    descriptor["resources"] = resources
    return (json.dumps(descriptor, ensure_ascii=False, allow_nan=False, indent=2) + "\n").encode("utf-8")


# --- catalogues -------------------------------------------------------------------------------------------------


# The controlled vocabularies DCAT-AP names formats and media types with.
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
EU_FILE_TYPES = "http://publications.europa.eu/resource/authority/file-type/"
FILE_TYPES = {"csv": "CSV", "excel-csv": "CSV", "xlsx": "XLSX", "json": "JSON", "datapackage": "JSON", "zip": "ZIP"}
EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
STABLE = "http://publications.europa.eu/resource/authority/planned-availability/STABLE"
# How CKAN's licence register titles the licences a descriptor may name (ckanext-dcat finds a dataset's
# licence by the URL or the title of its distributions' dct:license; the register knows CC BY 4.0 by this
# title only, as its URL there is another one).
CKAN_LICENCE_TITLES = {
    "CC-BY-4.0": "Creative Commons Attribution",
    "CC-BY-SA-4.0": "Creative Commons Attribution Share-Alike",
    "CC0-1.0": "Creative Commons CCZero",
    "ODC-BY-1.0": "Open Data Commons Attribution License",
    "ODbL-1.0": "Open Data Commons Open Database License (ODbL)",
    "PDDL-1.0": "Open Data Commons Public Domain Dedication and License (PDDL)",
}
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcatap": "http://data.europa.eu/r5r/",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "spdx": "http://spdx.org/rdf/terms#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def _iri(site_url: str, path: str) -> str:
    """An absolute address when the site's address is known, else one relative to the site's root."""
    return site_url + path if site_url else path


def dcat_catalogue(
    catalogue: Catalogue,
    by_dataset: Mapping[str, tuple[Download, ...]],
    by_resource: Mapping[tuple[str, str], tuple[Download, ...]],
    dumped: Mapping[str, bytes] | None = None,
) -> bytes:
    """The catalogue in DCAT-AP 3.0.1, as JSON-LD: every dataset with its distributions (every file), each
    distribution with its licence (harvesters such as ckanext-dcat read a dataset's licence there).
    ``dumped``: each dataset's ``dcat_dataset`` as JSON text (``_dumps``) in UTF-8 by name, kept from an
    earlier build: placed in the document as it is, the same bytes as if it were written with it."""
    return b"".join(dcat_pieces(catalogue, by_dataset, by_resource, dumped))


def dcat_key(catalogue: Catalogue, dumped: Blobs) -> str:
    """What ``dcat_pieces(catalogue, ..., dumped)`` writes, named without writing it: the document around the
    datasets' entries and each entry's SHA-256 (taken when it was dumped), in the catalogue's order."""
    digest = hashlib.sha256(_dumps(_dcat_document(catalogue, None)).encode("utf-8"))
    for dataset in catalogue.datasets:
        digest.update(f"\0{dataset.name}\0{dumped.digest(dataset.name)}".encode())
    return digest.hexdigest()


def _dcat_document(catalogue: Catalogue, datasets: Any) -> dict[str, Any]:
    """The DCAT catalogue with ``datasets`` as its ``dcat:dataset``."""
    site = catalogue.site.url
    publisher = _publisher(catalogue)

    changes = sorted(c.date for d in catalogue.datasets for c in d.history if c.date)
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "@id": _iri(site, DCAT_FILE),
        "@type": "dcat:Catalog",
        "dct:title": _lang(catalogue.site.title("vi"), catalogue.site.name_en or None),
        "dct:description": _lang(catalogue.site.about("vi"), catalogue.site.description_en or None),
        "dct:publisher": publisher,
        "dct:language": [{"@id": EU_LANGUAGE + code, "@type": "dct:LinguisticSystem"} for code in ("VIE", "ENG")],
        "dct:spatial": {"@id": SPATIAL, "@type": "dct:Location"},
        "foaf:homepage": {"@id": _iri(site, "") or "./", "@type": "foaf:Document"},
        "dcat:themeTaxonomy": {
            "@id": THEME_SCHEME,
            "@type": "skos:ConceptScheme",
            "dct:title": _lang("Chủ đề dữ liệu (Liên minh châu Âu)", "Data theme (European Union)"),
        },
        "dcat:dataset": datasets,
    }
    used = {lic.path: lic for d in catalogue.datasets for lic in d.licenses if lic.path}
    if len(used) == 1:  # one licence for everything: the catalogue's own
        document["dct:license"] = _licence(next(iter(used.values())))
    if changes:
        document["dct:issued"] = {"@value": changes[0].isoformat(), "@type": "xsd:date"}
        document["dct:modified"] = {"@value": changes[-1].isoformat(), "@type": "xsd:date"}
    return document


def dcat_pieces(
    catalogue: Catalogue,
    by_dataset: Mapping[str, tuple[Download, ...]],
    by_resource: Mapping[tuple[str, str], tuple[Download, ...]],
    dumped: Mapping[str, bytes] | None = None,
) -> Iterator[bytes]:
    """``dcat_catalogue``'s bytes, a dataset's entry at a time: at a thousand datasets the document is some
    20 MB, and a build writes it to a file as it is made, never holding it whole."""
    place = secrets.token_hex(16)  # where the dumped entries go: no text of the data can name it
    datasets: Any = (
        place
        if dumped is not None
        else [dcat_dataset(catalogue, d, by_dataset, by_resource) for d in catalogue.datasets]
    )
    text = _dumps(_dcat_document(catalogue, datasets)) + "\n"
    if dumped is None:
        yield text.encode("utf-8")
        return
    before, after = text.split(json.dumps(place), 1)
    if not catalogue.datasets:
        yield (before + "[]" + after).encode("utf-8")
        return
    yield before.encode("utf-8") + b"[\n"
    for i, name in enumerate(d.name for d in catalogue.datasets):
        # json.dumps at indent 1 puts a list item of the document's "dcat:dataset" two spaces further in: each
        # line of an entry dumped on its own moves in by two (JSON text holds no line break inside a string)
        yield (b",\n  " if i else b"  ") + dumped[name].replace(b"\n", b"\n  ")
    yield b"\n ]" + after.encode("utf-8")


def _dumps(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False, allow_nan=False, indent=1)


def dcat_dataset(
    catalogue: Catalogue,
    dataset: Dataset,
    by_dataset: Mapping[str, tuple[Download, ...]],
    by_resource: Mapping[tuple[str, str], tuple[Download, ...]],
) -> dict[str, Any]:
    """One dataset in DCAT-AP: what it is, who publishes it, when and where its figures are, and each file
    as a distribution with its licence."""
    site = catalogue.site.url
    downloads = [d for r in dataset.resources for d in by_resource.get((dataset.name, r.name), ())]
    downloads += list(by_dataset.get(dataset.name, ()))
    licences = [_licence(lic) for lic in dataset.licenses if lic.path]
    landing = _iri(site, dataset_folder(dataset.name) + "/")
    entry: dict[str, Any] = {
        "@id": landing,
        "@type": "dcat:Dataset",
        "dct:identifier": dataset.name,
        "dct:title": _lang(dataset.title.vi, dataset.title.en),
        "dct:description": _lang(dataset.description.vi or dataset.title.vi, dataset.description.en),
        "dcat:keyword": [{"@value": k, "@language": "vi"} for k in dataset.keywords]
        + [{"@value": k, "@language": "en"} for k in dataset.keywords_en],
        "dcat:theme": [_theme(code) for code in dataset.themes if code in THEMES],
        "owl:versionInfo": dataset.version,
        "dct:publisher": {"@id": _publisher(catalogue)["@id"]},
        "dcat:contactPoint": _contact(catalogue),
        "dct:spatial": {"@id": SPATIAL, "@type": "dct:Location"},
        "dct:license": licences,
        "dcat:landingPage": {"@id": landing, "@type": "foaf:Document"},
        "dcat:distribution": [_distribution(site, d, licences) for d in downloads],
    }
    covered = years_covered(dataset)
    if covered:
        entry["dct:temporal"] = {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": {"@value": f"{covered[0]}-01-01", "@type": "xsd:date"},
            "dcat:endDate": {"@value": f"{covered[-1]}-12-31", "@type": "xsd:date"},
        }
    if dataset.modified and dataset.issued:
        entry["dct:modified"] = {"@value": dataset.modified.isoformat(), "@type": "xsd:date"}
        entry["dct:issued"] = {"@value": dataset.issued.isoformat(), "@type": "xsd:date"}
    return entry


def dcat_dataset_file(
    catalogue: Catalogue,
    dataset: Dataset,
    by_dataset: Mapping[str, tuple[Download, ...]],
    by_resource: Mapping[tuple[str, str], tuple[Download, ...]],
    entries: Mapping[str, dict[str, Any]] | None = None,
) -> bytes:
    """One dataset's DCAT-AP description on its own (``du-lieu/<name>/dcat.jsonld``), with its publisher, for
    a harvester that reads one dataset page: linked from the page's head. ``entries`` as for
    ``dcat_catalogue``."""
    entry = entries[dataset.name] if entries is not None else dcat_dataset(catalogue, dataset, by_dataset, by_resource)
    document = {
        # without the site's address the IRIs are relative to the site's root, two folders up from this file
        "@context": {**CONTEXT, "@base": "../../"},
        "@graph": [entry, _publisher(catalogue)],
    }
    return (json.dumps(document, ensure_ascii=False, allow_nan=False, indent=1) + "\n").encode("utf-8")


# Where the figures are: the five members lie in Gia Lai province. The EU's authority lists of places name no
# Vietnamese province, so the catalogue names the country (the pages and schema.org name the cluster).
SPATIAL = "http://publications.europa.eu/resource/authority/country/VNM"


def _theme(code: str) -> dict[str, Any]:
    term = THEMES[code]
    return {
        "@id": f"{THEME_SCHEME}/{code}",
        "@type": "skos:Concept",
        "skos:prefLabel": _lang(term.label_vi, term.label_en),
    }


def _publisher(catalogue: Catalogue) -> dict[str, Any]:
    return {
        "@id": _iri(catalogue.site.url, "#publisher"),
        "@type": "foaf:Agent",
        "foaf:name": _lang(catalogue.site.title("vi"), catalogue.site.name_en or None),
    }


def _contact(catalogue: Catalogue) -> dict[str, Any]:
    """Where a reader writes about the data: the about page says how (no address is invented here)."""
    return {
        "@type": "vcard:Kind",
        "vcard:fn": catalogue.site.title("vi"),
        "vcard:hasURL": {"@id": _iri(catalogue.site.url, "gioi-thieu/")},
    }


def _licence(lic: License) -> dict[str, Any]:
    entry: dict[str, Any] = {"@id": lic.path, "@type": "dct:LicenseDocument"}
    title = CKAN_LICENCE_TITLES.get(lic.name)
    if title:
        entry["dct:title"] = title
    if lic.name:
        entry["dct:identifier"] = lic.name
    return entry


def years_covered(dataset: Dataset) -> list[int]:
    """The first and last year the dataset's rows describe (``year`` columns of the tables held in memory)."""
    found = {
        row.cells["year"]
        for resource in dataset.resources
        if not resource.large and "year" in resource.field_names
        for row in resource.rows
        if isinstance(row.cells.get("year"), int)
    }
    return [min(found), max(found)] if found else []


def _lang(vi: str, en: str | None) -> list[dict[str, str]]:
    values = [{"@value": vi, "@language": "vi"}]
    if en:
        values.append({"@value": en, "@language": "en"})
    return values


def _distribution(site: str, download: Download, licences: list[dict[str, Any]]) -> dict[str, Any]:
    url = {"@id": _iri(site, download.path)}
    title = KINDS[download.kind][0]
    english = i18n.translator("site", "en")(title)
    return {
        "@id": _iri(site, download.path),
        "@type": "dcat:Distribution",
        "dct:title": _lang(title, english if english != title else None),
        "dct:description": _lang(*DESCRIPTIONS[download.kind]),
        "dcat:accessURL": url,
        "dcat:downloadURL": url,
        "dcat:mediaType": {"@id": IANA_MEDIA_TYPES + download.media_type, "@type": "dct:MediaType"},
        "dct:format": {"@id": EU_FILE_TYPES + FILE_TYPES[download.kind], "@type": "dct:MediaTypeOrExtent"},
        "dcat:byteSize": {"@value": str(download.size), "@type": "xsd:nonNegativeInteger"},
        "dct:license": licences,
        "dcatap:availability": {"@id": STABLE, "@type": "skos:Concept", "skos:prefLabel": _lang("ổn định", "stable")},
        "spdx:checksum": {
            "@type": "spdx:Checksum",
            "spdx:algorithm": {"@id": "http://spdx.org/rdf/terms#checksumAlgorithm_sha256"},
            "spdx:checksumValue": {"@value": download.sha256, "@type": "xsd:hexBinary"},
        },
    }


# What each kind of file is, for a harvester's listing (Vietnamese, English).
DESCRIPTIONS = {
    "csv": ("Bảng dữ liệu dạng CSV (UTF-8, dấu phẩy).", "The table as CSV (UTF-8, comma-separated)."),
    "excel-csv": (
        "Bảng dữ liệu dạng CSV để mở bằng Excel (UTF-8 có BOM).",
        "The table as CSV for opening in Excel (UTF-8 with a byte order mark).",
    ),
    "xlsx": ("Bảng dữ liệu dạng bảng tính Excel.", "The table as an Excel workbook."),
    "json": ("Bảng dữ liệu dạng JSON (mỗi dòng một đối tượng).", "The table as JSON (one object per row)."),
    "datapackage": (
        "Mô tả bộ dữ liệu theo chuẩn Data Package (lược đồ, nguồn, giấy phép).",
        "The dataset's Data Package descriptor (schema, sources, licence).",
    ),
    "zip": ("Toàn bộ tệp của bộ dữ liệu, nén ZIP.", "Every file of the dataset, as a ZIP archive."),
}


def schema_org(
    dataset: Dataset, catalogue: Catalogue, downloads: Iterable[Download], lang: str = i18n.DEFAULT
) -> dict[str, Any]:
    """schema.org ``Dataset`` for the dataset's page in ``lang`` (what dataset search engines read)."""
    site = catalogue.site.url
    english = lang == "en"
    title = dataset.title.pick(lang)
    description = dataset.description.pick(lang)
    name = catalogue.site.title(lang)
    organisation = {"@type": "Organization", "name": name, "url": _iri(site, i18n.prefix(lang))}
    document: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": title,
        "description": description or title,
        "identifier": dataset.name,
        "version": dataset.version,
        "keywords": list(dataset.keywords_in(lang)),
        "inLanguage": lang,
        "isAccessibleForFree": True,
        "license": [lic.path for lic in dataset.licenses if lic.path],
        "url": _iri(site, i18n.prefix(lang) + dataset_folder(dataset.name) + "/"),
        "creator": organisation,
        "publisher": organisation,
        "includedInDataCatalog": {
            "@type": "DataCatalog",
            "name": name,
            "url": _iri(site, i18n.prefix(lang) + config.CATALOGUE_DIR + "/"),
        },
        "spatialCoverage": {
            "@type": "Place",
            "name": "Emulation Cluster No. 2, former Gia Lai province, Vietnam"
            if english
            else "Cụm thi đua số 2, tỉnh Gia Lai (cũ), Việt Nam",
            "geo": {"@type": "GeoShape", "box": config.SPATIAL_BOX},
        },
        "distribution": [
            {
                "@type": "DataDownload",
                "encodingFormat": d.media_type,
                "contentUrl": _iri(site, d.path),
                "contentSize": f"{d.size} B",
                "name": KINDS[d.kind][0],
            }
            for d in downloads
        ],
    }
    covered = years_covered(dataset)
    if covered:
        document["temporalCoverage"] = f"{covered[0]}/{covered[-1]}" if covered[0] != covered[-1] else str(covered[0])
    if dataset.modified and dataset.issued:
        document["dateModified"] = dataset.modified.isoformat()
        document["datePublished"] = dataset.issued.isoformat()
    return document


def change_text(change: Change, dataset: Dataset, lang: str) -> str:
    """What a commit did to a dataset, for readers in ``lang``: ``Số liệu theo địa phương: 6 dòng mới, 2 dòng
    sửa; sửa phần mô tả`` (never the commit's message, written for developers)."""
    _ = i18n.translator("site", lang)
    titles = {r.path: r.title.pick(lang) or r.path for r in dataset.resources}

    def count(message: str, n: int) -> str:
        return message.format(n=format_decimal(n, locale=lang))

    parts = []
    for table in change.tables:
        said = []
        if table.created:
            said.append(count(_("công bố {n} dòng"), table.added))
        elif table.deleted:
            said.append(count(_("bỏ bảng ({n} dòng)"), table.removed))
        else:
            if table.added:
                said.append(count(_("{n} dòng mới"), table.added))
            if table.changed:
                said.append(count(_("{n} dòng sửa"), table.changed))
            if table.removed:
                said.append(count(_("{n} dòng bỏ"), table.removed))
            if table.columns_added:
                said.append(_("thêm cột {columns}").format(columns=", ".join(table.columns_added)))
            if table.columns_removed:
                said.append(_("bỏ cột {columns}").format(columns=", ".join(table.columns_removed)))
        if said:
            parts.append(f"{titles.get(table.path, table.path)}: {', '.join(said)}")
    if change.descriptor:
        parts.append(_("sửa phần mô tả bộ dữ liệu"))
    return "; ".join(parts) or _("sửa cách ghi tệp, số liệu không đổi")


def atom_feed(catalogue: Catalogue, lang: str = i18n.DEFAULT) -> bytes:
    """An Atom feed in ``lang`` with one entry per change of a dataset (from git), newest first: what changed
    in the data, in words for readers, with the commit's full timestamp."""
    site = catalogue.site.url
    _ = i18n.translator("site", lang)
    name = catalogue.site.title(lang)
    own = _iri(site, i18n.prefix(lang) + FEED_FILE)
    # The namespace is declared as an attribute: ElementTree's global prefix map is left to the charts' SVG.
    feed = ElementTree.Element("feed", {"xmlns": "http://www.w3.org/2005/Atom", "xml:lang": lang})
    changes = sorted(
        ((c, d) for d in catalogue.datasets for c in d.history if c.date),  # Atom entries must be dated
        key=lambda item: (_moment(item[0]), item[1].name, item[0].commit),
        reverse=True,
    )
    _sub(feed, "id", own if site else f"tag:cum-thi-dua-so-2,2024:feed-{lang}")
    _sub(feed, "title", _("{site}: cập nhật dữ liệu").format(site=name))
    _sub(feed, "updated", _timestamp(changes[0][0]) if changes else "2000-01-01T00:00:00Z")
    author = ElementTree.SubElement(feed, "author")
    _sub(author, "name", name)
    ElementTree.SubElement(feed, "link", {"rel": "self", "href": own})
    for change, dataset in changes:
        title = dataset.title.pick(lang) or dataset.name
        text = change_text(change, dataset, lang)
        entry = ElementTree.SubElement(feed, "entry")
        _sub(entry, "id", f"tag:cum-thi-dua-so-2,{_timestamp(change)[:10]}:{dataset.name}/{change.commit}")
        _sub(entry, "title", f"{title}: {text}")
        _sub(entry, "updated", _timestamp(change))
        address = _iri(site, i18n.prefix(lang) + dataset_folder(dataset.name) + "/")
        ElementTree.SubElement(entry, "link", {"rel": "alternate", "href": address})
        _sub(
            entry,
            "summary",
            _("{dataset} (phiên bản {version}): {change}").format(dataset=title, version=dataset.version, change=text),
        )
    ElementTree.indent(feed)
    return bytes(ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)) + b"\n"


def _moment(change: Change) -> datetime.datetime:
    """When the change was made, for ordering: its timestamps carry their authors' offsets, so they are
    compared as moments, not as text."""
    try:
        return datetime.datetime.fromisoformat(change.time)
    except ValueError:
        return datetime.datetime.combine(change.date or datetime.date.min, datetime.time(), datetime.UTC)


def _timestamp(change: Change) -> str:
    """The change's author date and time (RFC 3339, as Atom wants it); midnight UTC when only the day is known."""
    return change.time or f"{(change.date or datetime.date.min).isoformat()}T00:00:00Z"


def _sub(parent: ElementTree.Element, tag: str, text: str) -> None:
    ElementTree.SubElement(parent, tag).text = text


def published_files(dataset: Dataset) -> dict[str, Path]:
    """The files copied as they are: the descriptor (unless it is a ``datapackage.json``, which the generated
    one, the descriptor as published, replaces) and every resource's file."""
    files = {} if dataset.descriptor.name == DATAPACKAGE_JSON else {dataset.descriptor.name: dataset.descriptor}
    files.update({r.path: dataset.folder / r.path for r in dataset.resources if r.path})
    return files
