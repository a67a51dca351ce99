"""Problems found while loading and validating data: plain data, never exceptions.

Every problem carries a stable kebab-case ``code`` (frictionless' own codes are kept as they are), the
file and, where it applies, the row and field, a message saying what is wrong and a hint saying how to
fix it.

Messages and hints speak English or Vietnamese. Each is a ``Message``: an English message id with named
``{placeholders}`` and the values that fill them, rendered in either language when it is printed (the
Vietnamese comes from ``generator/locale/vi/LC_MESSAGES/validate.po``, read by ``generator.i18n``). Message
ids are written as ``msg("...", name=value)``: ``msg`` is the keyword ``python -m generator.i18n`` looks for
(Babel's extractor), so an id must be one string literal (adjacent literals are joined), never an f-string
or an expression.
"""

from __future__ import annotations

import enum
import inspect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import cache, total_ordering
from string import Formatter
from typing import Union

from generator.i18n import translator

DOMAIN = "validate"
ENGLISH = "en"

# A placeholder's value: text shown as it is in every language (names, paths, values quoted from the data),
# a number, or a message of its own, rendered in the same language as the message it is part of.
Param = Union["Message", str, int]


@total_ordering
@dataclass(frozen=True)
class Message:
    """What ``validate`` says, in either language: ``id`` is the English text with ``{name}`` placeholders
    (the message id of the catalogue), ``params`` the values that fill them, as sorted ``(name, value)``
    pairs so that a message stays hashable."""

    id: str
    params: tuple[tuple[str, Param], ...] = ()

    def fill(self, **params: Param) -> Message:
        """The same message with more placeholders filled (a hint's ``{file}``, known only to its caller)."""
        return Message(self.id, tuple(sorted({**dict(self.params), **params}.items())))

    def render(self, lang: str = ENGLISH) -> str:
        """The text in ``lang`` (``"en"`` or ``"vi"``). A message the catalogue lacks stays in English."""
        template = translator(DOMAIN, lang).gettext(self.id)
        return template.format_map({k: v.render(lang) if isinstance(v, Message) else v for k, v in self.params})

    def __str__(self) -> str:
        return self.render(ENGLISH)

    def __lt__(self, other: object) -> bool:
        if isinstance(other, Message | str):
            return str(self) < str(other)
        return NotImplemented


def msg(message_id: str, /, **params: Param) -> Message:
    """A message, marked for extraction (``python -m generator.i18n``, keyword ``msg``):
    ``msg("The file {file} is empty.", file=name)``."""
    return Message(message_id, tuple(sorted(params.items())))


def placeholders(template: str) -> frozenset[str]:
    """The names of a template's ``{placeholders}`` (``{{`` and ``}}`` are literal braces)."""
    return frozenset(name for _, name, _, _ in Formatter().parse(template) if name)


# A message or hint: a ``Message``, or text shown as it is in every language.
Text = Message | str


def render(text: Text, lang: str = ENGLISH) -> str:
    return text.render(lang) if isinstance(text, Message) else text


def show(value: object, limit: int = 60) -> str:
    """A value quoted for a message: ``repr`` escapes control, bidi and zero-width characters (none of them
    is printable), so the message cannot spoof a terminal or a log; long values are cut."""
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return repr(text)


def printable(text: str) -> str:
    """``text`` with every character that is not printable written as an escape (``\\u202e``): for
    messages that embed values themselves, such as frictionless'."""
    return "".join(c if c.isprintable() or c == " " else c.encode("unicode_escape").decode("ascii") for c in text)


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Issue:
    """One problem in the data. ``file`` is relative to the repository root, with ``/`` separators.
    ``what`` says what is wrong and ``fix`` how to fix it (the hint): ``Message``s, or plain text shown as
    it is in every language."""

    file: str
    row: int | None
    field: str | None
    code: str
    what: Text
    fix: Text
    severity: Severity = Severity.ERROR
    dataset: str | None = None

    def __post_init__(self) -> None:
        if self.code not in CODES and self.code not in frictionless_codes():
            raise ValueError(f"undocumented problem code {self.code!r}: add it to generator.issues.CODES")

    @property
    def message(self) -> str:
        """What is wrong, in English."""
        return render(self.what)

    @property
    def hint(self) -> str:
        """How to fix it, in English."""
        return render(self.fix)

    def text(self, lang: str) -> tuple[str, str]:
        """``(message, hint)`` in ``lang`` (``"en"`` or ``"vi"``)."""
        return render(self.what, lang), render(self.fix, lang)

    def localized(self, lang: str) -> Issue:
        """The same problem with its message and hint rendered in ``lang``, for printers that read
        ``message`` and ``hint`` (the file, row, field and code are the same in every language)."""
        message, hint = self.text(lang)
        return replace(self, what=message, fix=hint)

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
    "sources-disagree": "two sources give different numbers, qualifiers or price bases for one figure, undocumented",
    "conflict-without-disagreement": "a citation is marked as a documented conflict but agrees (warning)",
    "figure-field-missing": "a table of figures does not say each figure's period or status",
    "estimate-and-result": "one figure is entered twice, as a result and as an estimate",
    "as-of-date-missing": "a figure counted up to a date (period as-of-date) without the date",
    "secondary-source-preferred": "a figure is taken from a secondary copy while a better source gives it",
    "missing-english-title": "a dataset, resource or field has no English title (warning)",
    # Untrusted input (generator/read/guard/): checked before frictionless sees a descriptor, and beside it.
    "descriptor-too-large": "the descriptor file is over 1 MiB, so it is not read",
    "descriptor-tag": "the YAML descriptor uses a tag (!!python/object, !!binary, !custom...)",
    "descriptor-duplicate-key": "a key is given twice in one mapping of the descriptor",
    "descriptor-field-missing": "a required property is missing (resources, or a resource's name or path)",
    "descriptor-field-type": "a property has the wrong type (a list where text is expected, ...)",
    "unknown-theme": "a code in `themes` is not one of the EU data themes",
    "unsafe-url": "an address the catalogues publish (homepage, or a license's, source's or contributor's path) "
    "is not http(s)",
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
    "output-collision": "two files the site publishes would land on the same path (or one needs the other's name as "
    "a folder)",
    "number-out-of-range": "a number cell is NaN, infinite, or beyond what a double can hold (about 1.8 × 10^308)",
    "noncharacter": "text holds a Unicode noncharacter (U+FFFE, U+FFFF, U+FDD0-U+FDEF...), which no file format "
    "can carry",
    "bidi-control": "text holds a bidirectional override or isolate (U+202A-U+202E, U+2066-U+2069)",
    "zero-width-character": "text holds a zero-width character (U+200B-U+200D, U+2060, U+FEFF)",
    "spreadsheet-formula": "a text cell or header a spreadsheet would run as a formula",
    # Nothing unfinished or malformed is published (generator/read/readiness.py).
    "placeholder": "a text still holds a placeholder of `generator new` (CẦN SỬA, TO FILL IN, VÍ DỤ, EXAMPLE)",
    "wrong-delimiter": "a CSV file's columns are separated by another character than its descriptor declares",
}

# Hints for frictionless' own error codes. ``{file}`` is the CSV or descriptor to edit.
FRICTIONLESS_HINTS: dict[str, Message] = {
    "type-error": msg("Edit this cell in {file} so that it matches the field's type and format in the schema."),
    "constraint-error": msg("Edit this cell in {file} so that it meets the field's constraints in the schema."),
    "missing-cell": msg("Add the missing value(s) to this row of {file}: every row needs one cell per column."),
    "extra-cell": msg("Remove the extra value(s) from this row of {file}, or quote a value that holds a comma."),
    "blank-row": msg("Delete the empty line from {file}."),
    "primary-key": msg("Two rows of {file} share the same primary key: change or remove one of them."),
    "unique-error": msg("Two rows of {file} share a value that must be unique: change one of them."),
    "foreign-key": msg("This value in {file} does not exist in the referenced table: fix the value or add it there."),
    "incorrect-label": msg("Make the header of {file} match the field names in the schema (same names, same order)."),
    "extra-label": msg("Remove the extra column from {file}, or add the field to the schema."),
    "missing-label": msg("Add the missing column to {file}, or remove the field from the schema."),
    "blank-label": msg("Give every column of {file} a header."),
    "duplicate-label": msg("Rename one of the columns of {file} that share a header."),
    "scheme-error": msg("Use a plain relative path to a file inside the dataset folder."),
    "format-error": msg("Use a CSV file and declare it with format: csv."),
    "encoding-error": msg("Save {file} as UTF-8, or declare its real encoding in the descriptor."),
    "source-error": msg("Check that {file} is a readable, non-empty CSV file."),
    "schema-error": msg("Fix the schema in the descriptor: see the Table Schema specification."),
    "field-error": msg("Fix the field definition in the descriptor: see the Table Schema specification."),
    "package-error": msg("Fix the descriptor: see the Data Package specification."),
    "resource-error": msg("Fix the resource definition in the descriptor: see the Data Package specification."),
    "dialect-error": msg("Fix the CSV dialect in the descriptor (delimiter, quote character, header)."),
    "byte-count": msg("The file's size differs from `bytes` in the descriptor: update or remove `bytes`."),
    "hash-count": msg("The file's hash differs from `hash` in the descriptor: update or remove `hash`."),
    "row-count": msg("The number of rows differs from the descriptor: update or remove the row count."),
    "number-out-of-range": msg(
        "Write this cell of {file} as a finite number; leave it empty if the value is missing (not NaN), or "
        "declare the field as a string if it holds a code rather than a quantity."
    ),
}
DEFAULT_HINT = msg("Fix {file}; see CONTRIBUTING.md for what this code means.")


def frictionless_hint(code: str, file: str) -> Message:
    return FRICTIONLESS_HINTS.get(code, DEFAULT_HINT).fill(file=file)


# What frictionless reports, one sentence per code (frictionless speaks only English, so its own message
# cannot be translated word for word). The placeholders are filled from the error's attributes (see
# ``frictionless_message``); a code that is not here, or whose particulars are missing, is relayed with
# frictionless' English message (``FRICTIONLESS_OTHER``). Keys after a ``/`` name a variant of a code.
FRICTIONLESS_MESSAGES: dict[str, Message] = {
    "type-error": msg("The value {cell} does not match the field's type: {type} (format {format})."),
    "constraint-error": msg("The value {cell} breaks the field's constraint {constraint}: {limit}."),
    "constraint-error/required": msg("The cell is empty, but the field is required."),
    "missing-cell": msg("The row ends before this column: it has fewer values than the header has columns."),
    "extra-cell": msg("The row has an extra value {cell} in column {position}, beyond the header's columns."),
    "blank-row": msg("The row is blank."),
    "primary-key": msg("This row has the same primary key as line {other}."),
    "primary-key/empty": msg("The primary key of this row is empty."),
    "unique-error": msg("The value {cell} must be unique in this column, but line {other} has it too."),
    "foreign-key": msg("The value {values} of {fields} is not in the referenced table {table} (column {columns})."),
    "incorrect-label": msg("The header {label} does not match the field name {field} in the schema."),
    "extra-label": msg("The header has an extra column {label} (column {position}) that the schema does not list."),
    "missing-label": msg("The header has no column for the field {field} of the schema (column {position})."),
    "blank-label": msg("The header of column {position} is blank."),
    "duplicate-label": msg("The header {label} is given twice: column {position} repeats column {other}."),
    "scheme-error": msg("The file cannot be opened: {note}"),
    "format-error": msg("The file cannot be read in its declared format: {note}"),
    "encoding-error": msg("The file cannot be decoded with its encoding: {note}"),
    "source-error": msg("The file's contents are not supported or not consistent: {note}"),
    "schema-error": msg("The schema is not valid: {note}"),
    "field-error": msg("A field definition is not valid: {note}"),
    "package-error": msg("The descriptor is not a valid Data Package: {note}"),
    "resource-error": msg("A resource definition is not valid: {note}"),
    "dialect-error": msg("The CSV dialect is not valid: {note}"),
    "byte-count": msg("The file's size does not match the descriptor: {note}"),
    "hash-count": msg("The file's hash does not match the descriptor: {note}"),
    "row-count": msg("The number of rows does not match the descriptor: {note}"),
    "number-out-of-range": msg(
        "The number {cell} cannot be published: JSON, spreadsheets and charts hold only finite numbers up to "
        "about 1.8 × 10^308."
    ),
}
# TRANSLATORS: frictionless' own English message, for a code without a sentence of its own.
FRICTIONLESS_OTHER = msg("{message}")

_TYPE = re.compile(r'type is "([^"/]+)/(.+)"')  # type-error: 'type is "number/default"'
_CONSTRAINT = re.compile(r'constraint "([^"]+)" is "(.*)"')  # 'constraint "minimum" is "0"'
_SAME_ROW = re.compile(r"the same as in the row at position (\d+)")  # primary-key, unique-error
_AT_POSITION = re.compile(r'at position "?(\d+)"?')  # duplicate-label: 'at position "1"'


def frictionless_message(error: object, line: Callable[[int], int] = lambda record: record) -> Message:
    """A frictionless error as a ``Message``, with its particulars (the cell, the field's type and format,
    the constraint, the other row...) taken from the error's attributes. ``line`` turns a record number
    into the line an editor shows."""
    code = str(getattr(error, "type", "error"))
    note = printable(" ".join(str(getattr(error, "note", "") or "").split()))
    params: dict[str, Param] = {"note": note}
    if (cell := getattr(error, "cell", None)) is not None and cell != "":
        params["cell"] = show(cell)
    for name, attribute in (("field", "field_name"), ("label", "label")):
        if value := getattr(error, attribute, None):
            params[name] = show(value) if name == "label" else printable(str(value))
    if isinstance(position := getattr(error, "field_number", None), int):
        params["position"] = position
    if match := _TYPE.fullmatch(note):
        params["type"], params["format"] = match.groups()
    if match := _CONSTRAINT.fullmatch(note):
        params["constraint"], params["limit"] = match[1], printable(match[2])
    if match := _SAME_ROW.search(note):
        params["other"] = line(int(match[1]))
    elif code == "duplicate-label" and (match := _AT_POSITION.search(note)):
        params["other"] = int(match[1])
    if code == "foreign-key":
        params.update(_reference(error))
    key = code
    if code == "constraint-error" and params.get("constraint") == "required":
        key = "constraint-error/required"
    elif code == "primary-key" and "other" not in params and '"None"' in note:
        key = "primary-key/empty"
    template = FRICTIONLESS_MESSAGES.get(key)
    needed = placeholders(template.id) if template is not None else frozenset()
    if template is None or any(params.get(name) in (None, "") for name in needed):
        message = printable(" ".join(str(getattr(error, "message", error)).split()))
        return FRICTIONLESS_OTHER.fill(message=message)
    return template.fill(**{name: params[name] for name in needed})


def _reference(error: object) -> dict[str, Param]:
    """A foreign-key error's values, fields and referenced table. A table of another dataset is added to the
    package as ``<dataset>--<resource>`` (``validate._inline_keys``): it is named ``<dataset>/<resource>``."""
    values = getattr(error, "field_cells", None) or []
    fields = getattr(error, "field_names", None) or []
    table = str(getattr(error, "reference_name", "") or "")
    columns = getattr(error, "reference_field_names", None) or []
    return {
        "values": ", ".join(show(v) for v in values),
        "fields": printable(", ".join(str(f) for f in fields)),
        "table": printable(table.replace("--", "/", 1)),
        "columns": printable(", ".join(str(c) for c in columns)),
    }


@cache
def frictionless_codes() -> frozenset[str]:
    """Every error code frictionless can report (the ``type`` of its error classes)."""
    from frictionless import errors as frictionless_errors  # only where problems are checked, not to publish

    classes = inspect.getmembers(frictionless_errors, inspect.isclass)
    return frozenset(code for _, cls in classes if isinstance(code := getattr(cls, "type", None), str))
