"""During validation: every resource file exists, is not empty, is UTF-8 (unless another encoding is
declared) and split by its declared delimiter, and its text cells pass the text rules; members' ids are
slugs."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from generator import config
from generator.issues import Issue, Message, msg, show
from generator.models import Dataset, Loaded, Resource, Row
from generator.read import readiness
from generator.read.guard.encodings import _SCAN_BLOCK, _legacy_encoding, _scan_utf8, likely_encoding
from generator.read.guard.names import MEMBER_ID, RESERVED_MEMBER_IDS, shown_path
from generator.read.guard.text import cell_problems, suspicious
from generator.records import file_records

# Past this many problems of one kind in one file, the rest are counted in one closing line.
MAX_REPORTS_PER_FILE = 20
# Codes for a resource file frictionless cannot read properly: its own errors for that file are dropped
# (they would repeat the same problem in a less helpful way, with an absolute path).
FILE_CODES = frozenset({"missing-file", "empty-file", "not-utf-8", readiness.WRONG_DELIMITER})


# Texts of one file remembered as holding nothing to report: a large table's text columns repeat a few names
# and codes down a million rows (the benchmark's: 3.1 million text cells), and each is checked once, not once
# a row. Capped: a column of texts that never repeat holds no more than this in memory.
CLEAN_TEXTS = 10_000


def check_data(item: Loaded, root: Path) -> Iterator[Issue]:
    """Each resource file exists, is not empty, is UTF-8 (unless the descriptor declares another encoding)
    and is split by the delimiter it declares; then its text cells (read once: control characters, formulas,
    placeholders left by ``generator new``) and, for a table without a schema, its header. Members' ids, which
    name pages, are slugs. The descriptor's texts are searched for placeholders too."""
    dataset = item.dataset
    descriptor = shown_path(dataset.descriptor, root)
    # placeholders left by `generator new` (generator/read/readiness.py)
    yield from _capped(list(readiness.descriptor_placeholders(dataset.descriptor, descriptor, dataset.name)))
    for resource in dataset.resources:
        if not resource.path:
            continue
        declared = item.package.get_resource(resource.name)  # as written: load infers on a copy
        path = dataset.folder / resource.path
        file = shown_path(path, root)
        problem = _file_problem(path, file, descriptor, declared.encoding)
        if problem is not None:
            line, code, message, hint = problem
            yield Issue(file, line, None, code, message, hint, dataset=dataset.name)
            continue
        wrong = None if path.is_symlink() else readiness.wrong_delimiter(path, declared, file, descriptor, dataset.name)
        if wrong is not None:
            yield wrong
        found: list[Issue] = []
        if not declared.schema.fields:  # the header names the inferred fields: check it like a row
            for field in resource.fields:
                found.extend(
                    Issue(file, 1, field.name, code, message, hint.fill(file=file), dataset=dataset.name)
                    for code, message, hint in cell_problems(field.name)
                )
        legacy = _legacy_encoding(declared.encoding)
        clean: set[str] = set()  # texts in which nothing was found: the same text, the same findings
        for number, name, value in text_cells(resource, path):
            if value in clean:
                continue
            unfinished = None
            if wrong is None:  # a file in the wrong delimiter is not searched for placeholders
                unfinished = readiness.cell_placeholder(file, number, name, value, dataset.name)
                if unfinished is not None:
                    found.append(unfinished)
            if not suspicious(value):
                if unfinished is None and len(clean) < CLEAN_TEXTS:
                    clean.add(value)
                continue
            for code, message, hint in cell_problems(value):
                if code == "text-not-nfc" and legacy:
                    # NFC cannot be written in Windows-1258 (it keeps tone marks apart): the fix is UTF-8
                    hint = msg(
                        'Save {file} as UTF-8 (in Excel: Save As, "CSV UTF-8") and declare `encoding: utf-8` for '
                        "it in {descriptor}: {encoding} cannot hold these letters composed.",
                        descriptor=descriptor,
                        encoding=show(declared.encoding),
                    )
                found.append(Issue(file, number, name, code, message, hint.fill(file=file), dataset=dataset.name))
        if (dataset.name, resource.name) == config.MEMBERS:
            found.extend(_member_ids(dataset, resource.rows, file))
        yield from _capped(found)


def text_cells(resource: Resource, path: Path) -> Iterator[tuple[int, str, str]]:
    """``(line, field, text)`` of every text cell: from the rows, or for a large table (whose model holds a
    preview) from its file, streamed in the file's declared dialect (``records``). A file that cannot be read
    ends the stream: the validator reports it."""
    if not resource.large:
        for row in resource.rows:
            for name, value in row.cells.items():
                if isinstance(value, str):
                    yield row.number, name, value
        return
    text_fields = [i for i, f in enumerate(resource.fields) if f.type == "string"]
    names = [f.name for f in resource.fields]
    try:
        reader = file_records(path, resource.dialect, errors="replace")
        next(reader, None)
        for line, cells in reader:
            for i in text_fields:
                if i < len(cells) and cells[i]:
                    yield line, names[i], cells[i]
    except (OSError, LookupError, TypeError, ValueError, csv.Error):
        return  # (ValueError: a UnicodeError, a NUL byte...)


def _file_problem(
    path: Path, file: str, descriptor: str, encoding: str | None
) -> tuple[int | None, str, Message, Message] | None:
    """``(row, code, message, hint)`` for a resource file that cannot be read as declared, else ``None``."""
    if not path.is_file():
        return (
            None,
            "missing-file",
            msg("The file does not exist."),
            msg(
                "Add the CSV file, or correct its `path` in {descriptor} (paths are relative to the dataset folder "
                "and case-sensitive).",
                descriptor=descriptor,
            ),
        )
    has_content, bad = _scan_utf8(path)
    if not has_content:
        return (
            None,
            "empty-file",
            msg("The file is empty."),
            msg(
                "Put the table (a header line, then the rows) in {file}, or remove the resource from {descriptor}.",
                file=file,
                descriptor=descriptor,
            ),
        )
    if _legacy_encoding(encoding):
        return None  # declared: frictionless decodes it, and reports an encoding-error if it is wrong
    if bad is not None:
        line, byte = bad
        with path.open("rb") as handle:
            head = handle.read(_SCAN_BLOCK)
        return (
            line,
            "not-utf-8",
            msg(
                "The file is not UTF-8 (byte 0x{byte} on this line); it looks like {encoding}.",
                byte=byte,
                encoding=likely_encoding(head),
            ),
            msg(
                "Save {file} again as UTF-8 (LibreOffice: Save As, Text CSV, character set “Unicode (UTF-8)”), or "
                "declare its real `encoding` for this resource in {descriptor}.",
                file=file,
                descriptor=descriptor,
            ),
        )
    return None


def _member_ids(dataset: Dataset, rows: Iterable[Row], file: str) -> Iterator[Issue]:
    """Each member gets the page ``dia-phuong/<id>.md``: its id must be a plain slug (``../x`` would write
    outside the site's folder, ``index`` would replace the members' index page)."""
    for row in rows:
        member = row.cells.get("id")
        if member is None:
            continue
        if not MEMBER_ID.fullmatch(str(member)) or str(member) in RESERVED_MEMBER_IDS:
            yield Issue(
                file,
                row.number,
                "id",
                "unsafe-name",
                msg(
                    "The member id {id} cannot name a page: ids are lower-case letters, digits and hyphens, and "
                    "not `index`.",
                    id=show(member),
                ),
                msg("Change the id in {file} (and in every table that refers to it), e.g. `dak-po`.", file=file),
                dataset=dataset.name,
            )


def _capped(found: list[Issue]) -> Iterator[Issue]:
    """At most ``MAX_REPORTS_PER_FILE`` problems of one code per file, then one line counting the rest: a file
    saved in the wrong normal form would otherwise give a line per cell."""
    counts = Counter(issue.code for issue in found)
    shown: Counter[str] = Counter()
    for issue in found:
        shown[issue.code] += 1
        if shown[issue.code] <= MAX_REPORTS_PER_FILE:
            yield issue
        elif shown[issue.code] == MAX_REPORTS_PER_FILE + 1:
            yield Issue(
                issue.file,
                None,
                None,
                issue.code,
                msg(
                    "… and {count} more cells of this file with the same problem ({code}).",
                    count=counts[issue.code] - MAX_REPORTS_PER_FILE,
                    code=issue.code,
                ),
                issue.fix,
                issue.severity,
                issue.dataset,
            )
