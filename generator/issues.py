"""Problems found while loading and validating data: plain data, never exceptions.

Every problem carries a stable kebab-case ``code`` (frictionless' own codes are kept as they are), the
file and, where it applies, the row and field, a message saying what is wrong and a hint saying how to
fix it.
"""

from __future__ import annotations

import enum
import inspect
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from frictionless import errors as frictionless_errors


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Issue:
    """One problem in the data. ``file`` is relative to the repository root, with ``/`` separators."""

    file: str
    row: int | None
    field: str | None
    code: str
    message: str
    hint: str
    severity: Severity = Severity.ERROR
    dataset: str | None = None

    def __post_init__(self) -> None:
        if self.code not in CODES and self.code not in frictionless_codes():
            raise ValueError(f"undocumented problem code {self.code!r}: add it to generator.issues.CODES")

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def location(self) -> str:
        """``file:row`` plus the field, the way editors and CI annotations address a place."""
        place = self.file if self.row is None else f"{self.file}:{self.row}"
        return place if self.field is None else f"{place} [{self.field}]"

    def as_tuple(self) -> tuple[str | None, str, int | None, str | None, str]:
        """``(dataset, file, row, field, code)``: what tests assert, rather than the prose."""
        return (self.dataset, self.file, self.row, self.field, self.code)


def sort_issues(issues: Iterable[Issue]) -> list[Issue]:
    """Stable order for printing: by file, then row (file-level problems first), then field and code."""
    return sorted(issues, key=lambda i: (i.file, i.row or 0, i.field or "", i.code, i.message))


def errors(issues: Iterable[Issue]) -> list[Issue]:
    return [i for i in issues if i.is_error]


# The codes the generator itself reports, beyond frictionless' own. Each is documented for maintainers in
# CONTRIBUTING.md (a test keeps the two in step).
CODES: dict[str, str] = {
    "descriptor-encoding": "the descriptor file is not UTF-8",
    "descriptor-syntax": "the descriptor is not valid YAML or JSON",
    "descriptor-not-mapping": "the descriptor is valid YAML but not a mapping of properties",
    "package-name-missing": "the descriptor has no name",
    "package-name-mismatch": "the package's name differs from its folder's name",
    "duplicate-package-name": "two packages have the same name",
    "foreign-key-target-missing": "a reference names a dataset or resource that does not exist",
    "unsafe-path": "a file is a symbolic link, or lies outside its dataset folder",
    "unknown-term": "a unit, qualifier or price basis that the site has no label for",
    "as-published-unreadable": "the as_published text does not hold exactly one number",
    "as-published-mismatch": "the value differs from the number in the as_published text",
    "qualifier-mismatch": "the qualifier differs from what the as_published text says",
    "value-out-of-range": "a figure lies outside its indicator's minimum/maximum",
    "sources-disagree": "two sources give different numbers (or qualifiers) for the same figure",
    "missing-english-title": "a dataset, resource or field has no English title (warning)",
    # Untrusted input (generator/guard.py): checked before frictionless sees a descriptor, and beside it.
    "descriptor-too-large": "the descriptor file is over 1 MiB, so it is not read",
    "descriptor-tag": "the YAML descriptor uses a tag (!!python/object, !!binary, !custom...)",
    "descriptor-duplicate-key": "a key is given twice in one mapping of the descriptor",
    "descriptor-field-missing": "a required property is missing (resources, or a resource's name or path)",
    "descriptor-field-type": "a property has the wrong type (a list where text is expected, ...)",
    "missing-title": "the dataset has no title (warning)",
    "missing-license": "the dataset states no license (warning)",
    "missing-schema": "a resource has no schema, so its types are guessed (warning)",
    "unsafe-name": "a dataset, resource or member name that is not a safe folder and address name",
    "name-style": "a dataset name with an underscore instead of hyphens (warning)",
    "duplicate-resource": "two resources of a dataset share a name or a file",
    "remote-reference": "a path, schema, dialect or reference is a URL: the build never uses the network",
    "unsupported-profile": "a profile or $schema other than the standard ones (would be fetched or read)",
    "unsupported-format": "a resource that is not a plain CSV file",
    "missing-file": "a resource's file does not exist",
    "empty-file": "a resource's file is empty",
    "not-utf-8": "a CSV file is not UTF-8 and declares no other encoding",
    "text-not-nfc": "text is not in Unicode NFC (decomposed letters)",
    "control-character": "text holds a control character",
    "bidi-control": "text holds a bidirectional override or isolate (U+202A-U+202E, U+2066-U+2069)",
    "zero-width-character": "text holds a zero-width character (U+200B-U+200D, U+2060, U+FEFF)",
    "spreadsheet-formula": "a text cell or header a spreadsheet would run as a formula",
}

# Hints for frictionless' own error codes. ``{file}`` is the CSV or descriptor to edit.
FRICTIONLESS_HINTS: dict[str, str] = {
    "type-error": "Edit this cell in {file} so that it matches the field's type and format in the schema.",
    "constraint-error": "Edit this cell in {file} so that it meets the field's constraints in the schema.",
    "missing-cell": "Add the missing value(s) to this row of {file}: every row needs one cell per column.",
    "extra-cell": "Remove the extra value(s) from this row of {file}, or quote a value that holds a comma.",
    "blank-row": "Delete the empty line from {file}.",
    "primary-key": "Two rows of {file} share the same primary key: change or remove one of them.",
    "unique-error": "Two rows of {file} share a value that must be unique: change one of them.",
    "foreign-key": "This value in {file} does not exist in the referenced table: fix the value or add it there.",
    "incorrect-label": "Make the header of {file} match the field names in the schema (same names, same order).",
    "extra-label": "Remove the extra column from {file}, or add the field to the schema.",
    "missing-label": "Add the missing column to {file}, or remove the field from the schema.",
    "blank-label": "Give every column of {file} a header.",
    "duplicate-label": "Rename one of the columns of {file} that share a header.",
    "scheme-error": "Use a plain relative path to a file inside the dataset folder.",
    "format-error": "Use a CSV file and declare it with format: csv.",
    "encoding-error": "Save {file} as UTF-8, or declare its real encoding in the descriptor.",
    "source-error": "Check that {file} is a readable, non-empty CSV file.",
    "schema-error": "Fix the schema in the descriptor: see the Table Schema specification.",
    "field-error": "Fix the field definition in the descriptor: see the Table Schema specification.",
    "package-error": "Fix the descriptor: see the Data Package specification.",
    "resource-error": "Fix the resource definition in the descriptor: see the Data Package specification.",
    "dialect-error": "Fix the CSV dialect in the descriptor (delimiter, quote character, header).",
    "byte-count": "The file's size differs from `bytes` in the descriptor: update or remove `bytes`.",
    "hash-count": "The file's hash differs from `hash` in the descriptor: update or remove `hash`.",
    "row-count": "The number of rows differs from the descriptor: update or remove the row count.",
}
DEFAULT_HINT = "Fix {file}; see CONTRIBUTING.md for what this code means."


def frictionless_hint(code: str, file: str) -> str:
    return FRICTIONLESS_HINTS.get(code, DEFAULT_HINT).format(file=file)


@cache
def frictionless_codes() -> frozenset[str]:
    """Every error code frictionless can report (the ``type`` of its error classes)."""
    classes = inspect.getmembers(frictionless_errors, inspect.isclass)
    return frozenset(code for _, cls in classes if isinstance(code := getattr(cls, "type", None), str))
