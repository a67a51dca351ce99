"""Nothing unfinished or malformed is published: checks the guard's data checks (``guard.check_data``) call
on the descriptor, on each file's header and on each text cell it reads, before frictionless reads the rows.

1. **Placeholders** (code ``placeholder``): ``python -m generator new`` writes a skeleton whose texts to
   write start with ``CẦN SỬA:`` / ``TO FILL IN:`` and whose example rows hold ``VÍ DỤ:`` / ``EXAMPLE:``
   (``TO_FILL_IN`` and ``EXAMPLE`` below, the one definition of these marks, which the skeleton uses). Any text of the
   descriptor or text cell of a CSV file that still holds one is an error, so a skeleton fails ``validate``
   (and ``build``) until every placeholder is replaced, and ``validate`` lists exactly what is left.
2. **The delimiter** (code ``wrong-delimiter``): a spreadsheet with Vietnamese (or most European) settings
   saves "CSV" with semicolons between the columns and decimal commas. Frictionless guesses the delimiter
   of a file whose dialect declares none, so such a file would be read, and published as it is, or fail
   with one type error per number. The header line is read with the delimiter the descriptor declares
   (``,`` by default); when it is not the schema's field names but splits into them (or into as many
   columns) with another delimiter, the file is refused with one error on line 1, and frictionless does
   not check it (``guard.FILE_CODES``).
"""

from __future__ import annotations

import codecs
import csv
import json
import re
import unicodedata
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from generator.issues import Issue, Message, msg, show
from generator.records import Dialect, dialect_of, text_records

if TYPE_CHECKING:
    from frictionless import Resource as FlResource

# The marks of what the skeleton leaves to the maintainer, in Vietnamese and in English: text to write in
# place of a placeholder (``TO_FILL_IN``), and example rows to delete or replace (``EXAMPLE``). Written in
# capitals, which real text does not use for these words ("ví dụ", "cần sửa" are ordinary Vietnamese).
# ``generator/scaffold.py`` writes exactly these strings: the skeleton and the check cannot drift apart.
TO_FILL_IN = ("CẦN SỬA", "TO FILL IN")
EXAMPLE = ("VÍ DỤ", "EXAMPLE")
MARKERS = TO_FILL_IN + EXAMPLE

PLACEHOLDER = "placeholder"
WRONG_DELIMITER = "wrong-delimiter"

# A mark as a word of its own, in capitals: "EXAMPLES" or "ví dụ" (ordinary Vietnamese) are not marks.
_MARK = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(m) for m in MARKERS) + r")(?!\w)")

# The delimiters a spreadsheet writes "CSV" with, besides the one declared: comma, semicolon (Vietnamese
# and European settings), tab ("Unicode text" in Excel) and vertical bar.
DELIMITERS = (",", ";", "\t", "|")
# The header is read from the file's first bytes: a header longer than this is cut, never read whole.
_HEAD_BYTES = 64 * 1024


def wrong_delimiter(path: Path, declared: FlResource, file: str, descriptor: str, dataset: str) -> Issue | None:
    """The ``wrong-delimiter`` problem of a resource file whose header is not written with the delimiter its
    descriptor declares but with another, else ``None``. The guard calls it for every readable file (it has
    already reported a missing, empty or unsafe one)."""
    wrong = _delimiter_problem(path, declared)
    if wrong is None:
        return None
    found, expected = wrong
    return Issue(
        file,
        1,
        None,
        WRONG_DELIMITER,
        msg(
            "The columns are separated by {found}, not by {expected} as the descriptor says: the file was "
            "probably saved by a spreadsheet with Vietnamese or European settings, which may also have "
            "written numbers with decimal commas.",
            found=_delimiter_name(found),
            expected=_delimiter_name(expected),
        ),
        msg(
            'Save {file} again as "CSV UTF-8 (Comma delimited)" (Excel; if it still writes {found}, set the '
            'list separator to "," in the Windows region settings) or as Text CSV with "," as the field '
            'delimiter (LibreOffice), with "." as the decimal sign and no thousands separators. Or, if the '
            "file must keep {found}, declare it on this resource in {descriptor}: `dialect: {{delimiter: "
            '"{char}"}}`.',
            file=file,
            found=_delimiter_name(found),
            descriptor=descriptor,
            char=json.dumps(found)[1:-1],
        ),
        dataset=dataset,
    )


# --- 1. placeholders ------------------------------------------------------------------------------------------


def placeholder(text: str) -> str | None:
    """The mark of ``generator new`` that ``text`` holds (``"CẦN SỬA"``, ``"EXAMPLE"``...), or ``None``."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)  # a decomposed Ế is still the mark (and text-not-nfc)
    match = _MARK.search(text)
    return match[0] if match else None


def descriptor_placeholders(path: Path, file: str, dataset: str) -> Iterator[Issue]:
    """A ``placeholder`` problem for every text of the descriptor that still holds a mark of ``generator new``."""
    hint = msg(
        "Write the real text in place of the placeholder in {file}: the dataset's own title, description or "
        "keywords (Vietnamese in `title`, `description` and `keywords`, English under `translations.en`).",
        file=file,
    )
    for where, line, text in _descriptor_texts(path):
        mark = placeholder(text)
        if mark is not None:
            yield Issue(file, line, where or None, PLACEHOLDER, _found(text, mark), hint, dataset=dataset)


def cell_placeholder(file: str, line: int, name: str, text: str, dataset: str | None) -> Issue | None:
    """The ``placeholder`` problem of one text cell of a CSV file, or ``None``. The guard calls it for every
    text cell it reads (one pass over each file), and caps the problems per file."""
    mark = placeholder(text)
    if mark is None:
        return None
    if mark in EXAMPLE:
        hint = msg(
            "Line {row} of {file} is an example row written by `python -m generator new`, not data: delete "
            "it, or replace the whole row with real data (a real indicator; a real figure with its source).",
            row=line,
            file=file,
        )
    else:
        hint = msg("Write the real text in place of the placeholder in this cell of {file}.", file=file)
    return Issue(file, line, name, PLACEHOLDER, _found(text, mark), hint, dataset=dataset)


def _found(text: str, mark: str) -> Message:
    return msg(
        "The text {text} is a placeholder left by `python -m generator new` (it holds {mark}): the dataset is "
        "not published while it is there.",
        text=show(text),
        mark=show(mark),
    )


# libyaml where PyYAML has it (as the guard reads descriptors): composing a thousand descriptors in pure Python
# took some 8 s of a cold build. The guard has refused aliases, unknown tags and deep nesting already.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _descriptor_texts(path: Path) -> Iterator[tuple[str, int | None, str]]:
    """``(where, line, text)`` of every text value of a descriptor, ``where`` written as the guard writes it
    (``resources[0].schema.fields[2].title``). The line is the one an editor shows for YAML, ``None`` for
    JSON. The descriptor was read by the guard already: it parses, without aliases or tags."""
    try:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".json":
            yield from ((where, None, value) for where, value in _json_texts(json.loads(text), ""))
            return
        node = yaml.compose(text, Loader=_LOADER)
    except (OSError, ValueError, yaml.YAMLError, RecursionError):
        return  # the guard reports a descriptor it cannot read; this one changed since, or is beyond parsing
    if node is not None:
        yield from _yaml_texts(node)


def _json_texts(value: object, where: str) -> Iterator[tuple[str, str]]:
    stack: list[tuple[object, str]] = [(value, where)]
    while stack:
        item, place = stack.pop()
        if isinstance(item, str):
            yield place, item
        elif isinstance(item, Mapping):
            stack.extend((v, f"{place}.{k}" if place else str(k)) for k, v in reversed(list(item.items())))
        elif isinstance(item, list):
            stack.extend((v, f"{place}[{i}]") for i, v in reversed(list(enumerate(item))))


def _yaml_texts(root: yaml.Node) -> Iterator[tuple[str, int | None, str]]:
    """The text scalars of a composed YAML document, each node once (iteratively: no recursion to exhaust,
    and an alias, if one got this far, is not walked twice)."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, str]] = [(root, "")]
    while stack:
        node, place = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            if node.tag == "tag:yaml.org,2002:str" and isinstance(node.value, str):
                yield place, node.start_mark.line + 1, node.value
        elif isinstance(node, yaml.MappingNode):
            items: list[tuple[Any, yaml.Node]] = list(node.value)
            for key, value in reversed(items):
                name = key.value if isinstance(key, yaml.ScalarNode) else "?"
                stack.append((value, f"{place}.{name}" if place else str(name)))
        elif isinstance(node, yaml.SequenceNode):
            children: list[yaml.Node] = list(node.value)
            stack.extend((child, f"{place}[{i}]") for i, child in reversed(list(enumerate(children))))


# --- 2. the delimiter -----------------------------------------------------------------------------------------


def dialect(declared: object) -> tuple[str, str]:
    """The delimiter and quote character a resource declares (``,`` and ``"`` when it declares none)."""
    found = dialect_of(declared)
    return found.delimiter, found.quotechar


def _delimiter_problem(path: Path, declared: object) -> tuple[str, str] | None:
    """``(found, expected)`` when the header of ``path`` is not written with the declared delimiter but with
    another one, else ``None``."""
    expected, quote = dialect(declared)
    schema = getattr(declared, "schema", None)
    names = [str(f.name) for f in getattr(schema, "fields", None) or ()]
    header = _header(path, getattr(declared, "encoding", None))
    if header is None:
        return None
    as_declared = _split(header, expected, quote)
    if as_declared is None or as_declared == names or (not names and len(as_declared) > 1):
        return None
    for other in DELIMITERS:
        if other == expected:
            continue
        cells = _split(header, other, quote)
        if cells is None or len(cells) < 2:
            continue
        if cells == names or (len(as_declared) == 1 and (not names or len(cells) == len(names))):
            return other, expected
    return None


def _header(path: Path, encoding: str | None) -> str | None:
    """The beginning of the file (at most ``_HEAD_BYTES``), decoded, with the header record at its start;
    ``None`` when it is blank or its encoding is unknown (the guard and frictionless say why)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD_BYTES)
        name = encoding or "utf-8"
        if codecs.lookup(name).name == "utf-8":
            name = "utf-8-sig"  # a byte order mark is not part of the first column's name
        text = codecs.getincrementaldecoder(name)(errors="replace").decode(head)
    except (OSError, LookupError, TypeError, ValueError):  # TypeError: a codec that is not bytes to text
        return None
    return text if text.strip() else None


def _split(text: str, delimiter: str, quote: str) -> list[str] | None:
    """The first record of ``text`` (a quoted header may span lines), split by ``delimiter``."""
    try:
        return next((cells for _, cells in text_records(text, Dialect(delimiter, quote))), [])
    except csv.Error:
        return None


def _delimiter_name(delimiter: str) -> Message | str:
    names = {
        ",": msg("commas (,)"),
        ";": msg("semicolons (;)"),
        "\t": msg("tabs"),
        "|": msg("vertical bars (|)"),
    }
    return names.get(delimiter, show(delimiter))
