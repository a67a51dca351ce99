"""The generator's own checks on untrusted input, run before frictionless sees a descriptor and beside it.

Data arrives by pull request from people we do not know, and frictionless trusts more than a public site
can: it fetches http(s) schemas, dialects and profiles while it builds a ``Package``, reads a custom
profile from any path, follows symbolic links, accepts any package name and any control character. So:

1. ``check_descriptor_file`` (before a descriptor is read): the dataset folder and the descriptor are real
   files, not links, and the descriptor is small enough to read.
2. ``DescriptorLoader`` and ``parse_json`` (while it is read): no YAML alias, no tag beyond plain data, no
   key given twice, no nesting deep enough to exhaust the parser.
3. ``check_descriptor`` (before frictionless sees it): required properties with the right types, names
   that are safe as folder and URL names, and no reference that would make frictionless touch the
   network or a file outside the dataset folder. An error here means frictionless never sees the package.
4. ``check_data`` (during validation): every resource file exists, is not empty, is UTF-8 (unless the
   descriptor declares another encoding), and no text cell holds decomposed Unicode, control, bidi or
   zero-width characters, or a spreadsheet formula.

Every problem is an ``Issue`` with a stable code (``issues.CODES``). Values are quoted with ``show``, so a
message never carries a raw control or bidi character to a terminal or a log.
"""

from __future__ import annotations

import itertools
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import chardet
import yaml

from generator import config
from generator.issues import Issue, Severity
from generator.models import Dataset, Row

if TYPE_CHECKING:
    from generator.load import Loaded  # load imports this module: the type is only named here

# A descriptor is metadata: the largest real one we know (country-codes) is 14 kB. The limit is checked on
# the file's size before it is read, so a huge file is never parsed.
MAX_DESCRIPTOR_BYTES = 1024 * 1024
# Real descriptors nest about 8 levels (resources / schema / fields / constraints / enum). A deeper one is
# refused before the parser's recursion (or frictionless') can hit Python's limit.
MAX_NESTING = 50
# Past this many problems of one kind in one file, the rest are counted in one closing line.
MAX_REPORTS_PER_FILE = 20

# A dataset name becomes a folder (``datasets/<name>``, ``du-lieu/<name>/``) and a URL: lower-case ASCII
# letters, digits, ``-`` (the house style) and ``_`` (allowed, with a warning). No dot: ``x.zip`` would
# collide with a generated file, ``..`` would leave the folder.
DATASET_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,99}")
HOUSE_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
# A resource name is an identifier inside its package (references, anchors): the Data Package pattern
# without ``/``, starting with a letter or digit.
RESOURCE_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,99}")
# A member's id names its page (``dia-phuong/<id>.md``); ``index`` is the members' index page.
MEMBER_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,99}")
RESERVED_MEMBER_IDS = frozenset({"index"})

# Profiles frictionless knows by name. Any other value is retrieved: from the network for a URL, from a
# path relative to the working directory otherwise (including "fiscal-data-package", which it maps to a URL).
PACKAGE_PROFILES = frozenset({"data-package", "tabular-data-package"})
RESOURCE_PROFILES = frozenset({"data-resource", "tabular-data-resource"})
# ``$schema`` only names the standard's version (frictionless 5 never fetches it); the official profiles
# are accepted, anything else could be fetched by another tool or a later version.
STANDARD_SCHEMA = re.compile(r"https://datapackage\.org/profiles/\d+\.\d+/[a-z]+\.json")

# The plain-data tags of YAML: everything a JSON descriptor can hold. ``!!binary``, ``!!set``,
# ``!!timestamp``, ``!!python/...`` and local tags are refused.
_CORE_TAGS = frozenset(f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "seq", "map"))
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"

# Characters that change how text is shown without being seen.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
_LINE_BREAKS = frozenset("\t\n\r")  # allowed inside text (multi-line notes); a leading tab is a formula
# Text that a spreadsheet runs as a formula when the CSV is opened (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# ... except a signed number, which a spreadsheet reads as the number it is, and a lone sign ("-" for "none").
_SIGNED_NUMBER = re.compile("[+-]\\d[\\d.,\u00a0\u202f ]*%?")
_LONE_SIGNS = frozenset({"-", "+"})

# Vietnamese tone marks as Windows-1258 writes them: separate combining characters after the vowel.
_TONE_BYTES = frozenset(b"\xcc\xec\xde\xd2\xf2")
_VOWEL_BYTES = frozenset(b"aeiouyAEIOUY\xe2\xea\xf4\xf5\xfd\xe3\xc2\xca\xd4\xd5\xdd\xc3\xe0\xe1\xe8\xe9")
_DJ_BYTES = frozenset(b"\xd0\xf0")  # Đ đ in Windows-1258 (Ð ð in Latin-1: rare outside Icelandic)
_LATIN_1_NAMES = frozenset(
    {"iso-8859-1", "iso8859-1", "latin-1", "iso-8859-15", "iso8859-15", "windows-1252", "cp1252"}
)

# Codes for a resource file frictionless cannot read properly: its own errors for that file are dropped
# (they would repeat the same problem in a less helpful way, with an absolute path).
FILE_CODES = frozenset({"missing-file", "empty-file", "not-utf-8"})


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


def _char(c: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``: how a message names an invisible character."""
    name = unicodedata.name(c, "")
    return f"U+{ord(c):04X}" + (f" {name}" if name else "")


# --- 1. before a descriptor is read ------------------------------------------------------------------------


def check_descriptor_file(path: Path, root: Path) -> Iterator[Issue]:
    """The descriptor may be read: its folder has a safe name, neither is a symbolic link (reading through
    one would read whatever it points at), and it is a regular file of at most ``MAX_DESCRIPTOR_BYTES``."""
    folder = path.parent
    file = _rel(path, root)
    dataset = folder.name
    if not DATASET_NAME.fullmatch(folder.name):
        yield Issue(
            _rel(folder, root) if folder.name.isprintable() else show(_rel(folder, root)),
            None,
            None,
            "unsafe-name",
            f"The dataset folder name {show(folder.name)} is not a safe name: it becomes a folder and an "
            "address on the site.",
            "Rename the folder (and the package's `name`) with lower-case letters, digits and hyphens only, "
            "e.g. `production-value`.",
            dataset=dataset,
        )
        return
    for link, what in ((folder, "The dataset folder"), (path, "The descriptor")):
        if link.is_symlink():
            yield Issue(
                _rel(link, root),
                None,
                None,
                "unsafe-path",
                f"{what} is a symbolic link; it is not read.",
                "Replace the symbolic link with the real folder or file, inside datasets/.",
                dataset=dataset,
            )
            return
    if not path.is_file():
        return  # find_descriptors only returns files; a race is not worth a message
    size = path.stat().st_size
    if size > MAX_DESCRIPTOR_BYTES:
        yield Issue(
            file,
            None,
            None,
            "descriptor-too-large",
            f"The descriptor is {size:,} bytes; the limit is {MAX_DESCRIPTOR_BYTES:,} bytes (1 MiB). It was not read.",
            f"Keep {file} to metadata: put data in CSV files and refer to them with `path`.",
            dataset=dataset,
        )


# --- 2. while it is read ------------------------------------------------------------------------------------


class DescriptorRefused(yaml.MarkedYAMLError):
    """A descriptor that parses but holds something refused on purpose (a tag, a repeated key): it has its
    own problem code, unlike a syntax error."""

    def __init__(self, code: str, problem: str, hint: str, mark: Any = None) -> None:
        super().__init__(problem=problem, problem_mark=mark)
        self.code = code
        self.hint = hint  # ``{file}`` is the descriptor

    @property
    def line(self) -> int | None:
        mark = self.problem_mark
        return int(mark.line) + 1 if mark is not None else None


class DescriptorLoader(yaml.SafeLoader):
    """PyYAML's safe loader, narrowed to plain data:

    - aliases are refused before they are expanded (an alias bomb never grows);
    - explicit tags other than the plain-data ones are refused (``!!python/object`` is already unknown to
      the safe loader, but ``!!binary`` or ``!!set`` would give values no descriptor can hold);
    - a key given twice in a mapping is refused (YAML keeps the last one and silently drops the other);
    - nesting deeper than ``MAX_NESTING`` is refused before the composer's recursion can overflow;
    - dates are read as text (a JSON descriptor holds them as text too; frictionless expects strings).
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        mark: Any = event.start_mark
        if isinstance(event, yaml.AliasEvent):
            raise yaml.MarkedYAMLError(problem="YAML aliases (*name) are not allowed", problem_mark=mark)
        tag = getattr(event, "tag", None)
        if tag not in (None, "!") and tag not in _CORE_TAGS:
            shown = "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag
            raise DescriptorRefused(
                "descriptor-tag",
                f"the YAML tag {show(shown)} is not allowed",
                "Remove the tag from {file}: a descriptor holds only text, numbers, lists and mappings.",
                mark,
            )
        self._depth += 1
        try:
            if self._depth > MAX_NESTING:
                raise DescriptorRefused(
                    "descriptor-syntax",
                    f"it is nested more than {MAX_NESTING} levels deep",
                    "Simplify {file}: a descriptor needs only a few levels of lists and mappings.",
                    mark,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    raise DescriptorRefused(
                        "descriptor-duplicate-key",
                        f"the key {show(key.value)} is given twice in one mapping",
                        _DUPLICATE_HINT,
                        key.start_mark,
                    )
                seen.add(key.value)
        return super().construct_mapping(node, deep=deep)


# Dates stay text: the timestamp resolver is left out of the loader's own copy of the resolvers.
DescriptorLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP_TAG]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


_DUPLICATE_HINT = "Keep one of the two keys in {file}: the parser would silently drop the first one."


def parse_yaml(text: str) -> Any:
    """A YAML descriptor as plain data. Raises ``DescriptorRefused`` or another ``yaml.YAMLError``, or
    ``ValueError`` (an integer too long for Python to convert)."""
    loader = DescriptorLoader(text)
    try:
        return loader.get_single_data()
    except ValueError as exc:
        raise ValueError(_plain_value_error(exc)) from exc
    finally:
        loader.dispose()


def parse_json(text: str) -> Any:
    """A JSON descriptor as plain data. Raises ``DescriptorRefused`` for a repeated key, ``ValueError`` for
    invalid JSON (including ``NaN`` and ``Infinity``, which JSON does not have) and ``RecursionError``."""

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = Counter(k for k, _ in items)
        twice = [k for k, n in keys.items() if n > 1]
        if twice:
            raise DescriptorRefused(
                "descriptor-duplicate-key", f"the key {show(twice[0])} is given twice in one object", _DUPLICATE_HINT
            )
        return dict(items)

    def constant(name: str) -> Any:
        raise ValueError(f"{name} is not a JSON number")

    try:
        return json.loads(text, object_pairs_hook=pairs, parse_constant=constant)
    except RecursionError as exc:
        raise ValueError("the descriptor is nested too deeply to read") from exc
    except json.JSONDecodeError:
        raise
    except ValueError as exc:
        raise ValueError(_plain_value_error(exc)) from exc


def _plain_value_error(exc: ValueError) -> str:
    """Python's refusal of a number with thousands of digits, in a maintainer's words."""
    if "integer string conversion" in str(exc):
        return "a number has more than 4300 digits"
    return str(exc)


# --- 3. before frictionless sees it -------------------------------------------------------------------------


def check_descriptor(descriptor: Mapping[str, Any], path: Path, root: Path) -> Iterator[Issue]:
    """Problems of a parsed descriptor that must stop it before frictionless builds a ``Package`` (errors),
    and missing metadata the site can do without (warnings)."""
    checker = _DescriptorCheck(descriptor, path, root)
    yield from checker.run()


class _DescriptorCheck:
    def __init__(self, descriptor: Mapping[str, Any], path: Path, root: Path) -> None:
        self.data = descriptor
        self.path = path
        self.root = root
        self.folder = path.parent
        self.file = _rel(path, root)
        self.dataset = path.parent.name

    def issue(
        self, field: str | None, code: str, message: str, hint: str, severity: Severity = Severity.ERROR
    ) -> Issue:
        return Issue(self.file, None, field, code, message, hint, severity, self.dataset)

    def wrong_type(self, where: str, value: object, expected: str) -> Issue:
        return self.issue(
            where,
            "descriptor-field-type",
            f"`{where}` must be {expected}, not {_kind(value)} ({_preview(value)}).",
            f"Write `{where}` in {self.file} as {expected}.",
        )

    def missing(self, where: str, what: str) -> Issue:
        return self.issue(
            where, "descriptor-field-missing", f"`{where}` is missing: {what}.", f"Add `{where}` to {self.file}."
        )

    def run(self) -> Iterator[Issue]:
        if _deeper_than(self.data, MAX_NESTING):
            yield self.issue(
                None,
                "descriptor-syntax",
                f"The descriptor is nested more than {MAX_NESTING} levels deep.",
                f"Simplify {self.file}: a descriptor needs only a few levels.",
            )
            return
        yield from self.text()
        yield from self.package()
        resources = self.data.get("resources")
        if resources is None:
            yield self.missing("resources", "a dataset lists its tables (name, path and schema of each)")
        elif not isinstance(resources, list) or not all(isinstance(r, Mapping) for r in resources):
            yield self.wrong_type("resources", resources, "a list of resources (mappings)")
        elif not resources:
            yield self.missing("resources", "the list of resources is empty")
        else:
            for index, resource in enumerate(resources):
                yield from self.resource(index, resource)
            yield from self.duplicates(resources)

    def text(self) -> Iterator[Issue]:
        """Every key and text value: what a page or a terminal would show."""
        for where, value in _strings(self.data, ""):
            for code, message, hint in text_problems(value):
                yield self.issue(where or None, code, message, hint.format(file=self.file))

    def package(self) -> Iterator[Issue]:
        data = self.data
        name = data.get("name")
        if name is not None and not isinstance(name, str):
            yield self.wrong_type("name", name, "text")
        elif isinstance(name, str):
            yield from self.dataset_name(name)
        for key in ("title", "description", "homepage"):
            if key in data and not isinstance(data[key], str):
                yield self.wrong_type(key, data[key], "text")
        if "version" in data and not isinstance(data["version"], str | int | float):
            yield self.wrong_type("version", data["version"], "text such as 1.0.0")
        keywords = data.get("keywords")
        if keywords is not None and not (isinstance(keywords, list) and all(isinstance(k, str) for k in keywords)):
            yield self.wrong_type("keywords", keywords, "a list of words")
        if not data.get("title") or (isinstance(data["title"], str) and not data["title"].strip()):
            yield self.issue(
                "title",
                "missing-title",
                "The dataset has no title; the site shows its name instead.",
                f"Add `title:` (in Vietnamese) to {self.file}.",
                Severity.WARNING,
            )
        licenses = data.get("licenses")
        if licenses is None or licenses == []:
            yield self.issue(
                "licenses",
                "missing-license",
                "The dataset states no license, so readers do not know how they may reuse it.",
                f"Add `licenses:` to {self.file}, e.g. "
                "`[{name: CC-BY-4.0, path: https://creativecommons.org/licenses/by/4.0/}]`.",
                Severity.WARNING,
            )
        elif not isinstance(licenses, list):
            yield self.wrong_type("licenses", licenses, "a list of licenses (each with name, title and path)")
        else:
            for i, lic in enumerate(licenses):
                if not isinstance(lic, Mapping):
                    yield self.wrong_type(f"licenses[{i}]", lic, "a mapping with name, title and path")
                    continue
                for key in ("name", "title", "path"):
                    if key in lic and not isinstance(lic[key], str):
                        yield self.wrong_type(f"licenses[{i}].{key}", lic[key], "text")
        yield from self.profile("", data, PACKAGE_PROFILES)

    def dataset_name(self, name: str) -> Iterator[Issue]:
        if not DATASET_NAME.fullmatch(name):
            yield self.issue(
                "name",
                "unsafe-name",
                f"The package name {show(name)} is not a safe name: it becomes a folder and an address on the site.",
                "Use lower-case letters, digits and hyphens only (e.g. `production-value`), and the same name "
                "for the dataset's folder.",
            )
        elif not HOUSE_NAME.fullmatch(name):
            yield self.issue(
                "name",
                "name-style",
                f"The package name {show(name)} has an underscore; dataset names here use hyphens.",
                f"Rename it (and its folder) with hyphens, e.g. {show(name.replace('_', '-'))}.",
                Severity.WARNING,
            )

    def profile(self, prefix: str, data: Mapping[str, Any], known: frozenset[str]) -> Iterator[Issue]:
        profile = data.get("profile")
        if profile is not None and not (isinstance(profile, str) and profile in known):
            yield self.issue(
                prefix + "profile",
                "unsupported-profile",
                f"The profile {show(profile)} is not one of {', '.join(sorted(known))}: frictionless would fetch "
                "or read it as a file, and the build never uses the network.",
                f"Remove `{prefix}profile` from {self.file}, or use one of: {', '.join(sorted(known))}.",
            )
        schema = data.get("$schema")
        if schema is not None and not (isinstance(schema, str) and STANDARD_SCHEMA.fullmatch(schema)):
            yield self.issue(
                prefix + "$schema",
                "unsupported-profile",
                f"`$schema` is {show(schema)}, not a standard Data Package profile.",
                f"Use `$schema: https://datapackage.org/profiles/2.0/datapackage.json` or remove it from {self.file}.",
            )

    def resource(self, index: int, resource: Mapping[str, Any]) -> Iterator[Issue]:
        at = f"resources[{index}]"
        name = resource.get("name")
        if name is None:
            yield self.missing(f"{at}.name", "every resource needs a name")
        elif not isinstance(name, str):
            yield self.wrong_type(f"{at}.name", name, "text")
        elif not RESOURCE_NAME.fullmatch(name):
            yield self.issue(
                f"{at}.name",
                "unsafe-name",
                f"The resource name {show(name)} is not a safe name.",
                "Use lower-case letters, digits, hyphens, dots or underscores only (e.g. `figures`).",
            )
        for key in ("title", "description", "encoding", "format", "mediatype"):
            if key in resource and not isinstance(resource[key], str):
                yield self.wrong_type(f"{at}.{key}", resource[key], "text")
        yield from self.profile(f"{at}.", resource, RESOURCE_PROFILES)
        yield from self.resource_path(at, resource)
        yield from self.reference_property(at, "dialect", resource.get("dialect"))
        schema = resource.get("schema")
        if schema is None:
            yield self.issue(
                f"{at}.schema",
                "missing-schema",
                "The resource has no schema: the columns' types are guessed from the file, and nothing checks them.",
                f"Add a `schema` with the fields (name, type, title) to this resource in {self.file}.",
                Severity.WARNING,
            )
        elif not isinstance(schema, Mapping):
            yield from self.reference_property(at, "schema", schema)
        else:
            yield from self.schema(f"{at}.schema", schema)

    def resource_path(self, at: str, resource: Mapping[str, Any]) -> Iterator[Issue]:
        path = resource.get("path")
        if path is None:
            what = "inline `data` is not published: put the rows in a CSV file" if "data" in resource else ""
            yield self.missing(f"{at}.path", what or "every resource is a CSV file")
            return
        if not isinstance(path, str):
            yield self.wrong_type(f"{at}.path", path, "the path of one CSV file, as text")
            return
        scheme = resource.get("scheme")
        if scheme is not None and scheme != "file":
            yield self.remote(
                f"{at}.scheme", str(scheme), f"Remove `{at}.scheme` from {self.file}: `path` names a local file."
            )
            return
        problem = path_problem(path)
        if problem == "remote":
            yield self.remote(f"{at}.path", path)
            return
        if problem:
            yield self.unsafe_path(f"{at}.path", path, problem)
            return
        fmt = resource.get("format")
        unsupported = [k for k in ("compression", "innerpath", "extrapaths") if k in resource]
        if (isinstance(fmt, str) and fmt.lower() != "csv") or not path.lower().endswith(".csv") or unsupported:
            detail = (
                f"`{unsupported[0]}` is set"
                if unsupported
                else f"the file is {show(path)} ({show(fmt or 'no format')})"
            )
            yield self.issue(
                f"{at}.path",
                "unsupported-format",
                f"Only plain CSV files are published here, and {detail}.",
                "Convert the table to a CSV file (UTF-8, comma-separated) named *.csv, and set `format: csv` "
                f"in {self.file}.",
            )
            return
        yield from self.resource_file(f"{at}.path", path)

    def resource_file(self, where: str, path: str) -> Iterator[Issue]:
        """A file frictionless would open: no symbolic link on the way (frictionless follows them), inside the
        folder, and a regular file if it exists (a pipe or a device would hang the build). A missing file is
        reported later, with the data (``check_data``). The problem is on disk: the issue names the file."""
        target = self.folder / path
        parts = PurePosixPath(path).parts
        hint = "Replace the symbolic link with the real file, inside the dataset folder."
        problem = None
        for i in range(len(parts)):
            step = self.folder.joinpath(*parts[: i + 1])
            if step.is_symlink():
                target, problem = step, "is a symbolic link"
                break
        else:
            if not target.resolve().is_relative_to(self.folder.resolve()):
                problem = "lies outside the dataset folder"
            elif target.exists() and not target.is_file():
                problem, hint = "is not a regular file (a folder, a device or a pipe)", "Make it a CSV file."
        if problem:
            yield Issue(
                _rel(target, self.root),
                None,
                None,
                "unsafe-path",
                f"The file of `{where}` ({show(path)}) {problem}; it is not read.",
                hint,
                dataset=self.dataset,
            )

    def reference_property(self, at: str, key: str, value: object) -> Iterator[Issue]:
        """``schema`` and ``dialect`` written as a path or URL instead of inline."""
        if value is None or isinstance(value, Mapping):
            return
        where = f"{at}.{key}"
        if isinstance(value, str) and path_problem(value) == "remote":
            yield self.remote(where, value, f"Copy the {key} into {self.file}, under `{where}`.")
        else:
            yield self.issue(
                where,
                "descriptor-field-type",
                f"`{where}` must be written in the descriptor (a mapping), not {_kind(value)} ({_preview(value)}): "
                "a separate file would not be published with the dataset.",
                f"Copy the {key} into {self.file} under `{where}`.",
            )

    def schema(self, at: str, schema: Mapping[str, Any]) -> Iterator[Issue]:
        yield from self.profile(f"{at}.", schema, frozenset({"tableschema"}))
        fields = schema.get("fields")
        if not isinstance(fields, list) or not all(isinstance(f, Mapping) for f in fields):
            yield self.wrong_type(f"{at}.fields", fields, "a list of fields (mappings with name and type)")
            return
        for i, field in enumerate(fields):
            name = field.get("name")
            if not isinstance(name, str):
                yield self.wrong_type(f"{at}.fields[{i}].name", name, "text")
            elif is_formula(name):
                yield self.issue(
                    f"{at}.fields[{i}].name",
                    "spreadsheet-formula",
                    f"The field name {show(name)} is also the column's header, and a spreadsheet would run it as "
                    "a formula.",
                    f"Rename the field (in {self.file} and in the CSV header) so that it starts with a letter.",
                )
        foreign_keys = schema.get("foreignKeys", [])
        if not isinstance(foreign_keys, list):
            yield self.wrong_type(f"{at}.foreignKeys", foreign_keys, "a list")
            return
        for i, fk in enumerate(foreign_keys):
            reference = fk.get("reference") if isinstance(fk, Mapping) else None
            package = reference.get("package") if isinstance(reference, Mapping) else None
            if isinstance(package, str) and path_problem(package) is not None:
                yield self.remote(
                    f"{at}.foreignKeys[{i}].reference.package",
                    package,
                    "Name a dataset of this catalogue by its name (e.g. `package: members`), or add that dataset.",
                )

    def duplicates(self, resources: list[Mapping[str, Any]]) -> Iterator[Issue]:
        """Two resources with one name, or one file (compared case-insensitively: two files that differ
        only in case are one file on Windows and macOS, and one published file on the site)."""
        for key in ("name", "path"):
            values = [r.get(key) for r in resources if isinstance(r.get(key), str)]
            counts = Counter(str(v).casefold() for v in values)
            for value in dict.fromkeys(v for v in values if counts[str(v).casefold()] > 1):
                yield self.issue(
                    "resources",
                    "duplicate-resource",
                    f"Several resources have the {key} {show(value)}.",
                    f"Give each resource of {self.file} its own name and its own CSV file.",
                )

    def remote(self, where: str, value: str, hint: str | None = None) -> Issue:
        return self.issue(
            where,
            "remote-reference",
            f"`{where}` is {show(value)}, which would be fetched from elsewhere: the build never uses the network "
            "and reads only the dataset's own folder.",
            hint
            or "Download the file into the dataset folder and write its relative path (e.g. `data.csv`) in "
            f"{self.file}.",
        )

    def unsafe_path(self, where: str, path: str, problem: str) -> Issue:
        return self.issue(
            where,
            "unsafe-path",
            f"The path {show(path)} is not safe: {problem}.",
            "Put the file inside the dataset folder and write its path relative to it (e.g. `data.csv`) "
            f"in {self.file}.",
        )


def path_problem(path: str) -> str | None:
    """What is wrong with a path from a descriptor, or ``None`` for a plain relative path inside the folder:
    ``"remote"`` for a URL, else the reason in words. Checked lexically: frictionless blocks some of these
    itself, but its rule (``../`` in the path) lets ``sub/..``, a NUL (a ValueError inside it) and Windows
    forms through."""
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in path):
        return "it holds control or invisible characters"
    try:
        parts = urlsplit(path)
    except ValueError:  # e.g. an unclosed [ in a host: not a path either way
        return "remote"
    if parts.scheme and len(parts.scheme) > 1:  # "C:" is a Windows drive, not a scheme
        return "it is a file:// address" if parts.scheme.lower() == "file" else "remote"
    if path.startswith("//"):
        return "remote"
    if not path.strip():
        return "it is empty"
    if path.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", path):
        return "it is absolute"
    if "\\" in path:
        return "it uses backslashes (write / between folders)"
    if path.startswith("~"):
        return "it starts with ~ (a home folder)"
    if "$" in path or re.search(r"%[^%]+%", path):
        return "it names an environment variable ($NAME or %NAME%)"
    steps = path.removeprefix("./").split("/")
    if ".." in steps:
        return "it goes up a folder (..)"
    if any(step in ("", ".") for step in steps):
        return "it has an empty or . step"
    return None


# --- 4. during validation -------------------------------------------------------------------------------------


def check_data(item: Loaded, root: Path) -> Iterator[Issue]:
    """Each resource file exists, is not empty and is UTF-8 (unless the descriptor declares another
    encoding); then its text cells and, for a table without a schema, its header. Members' ids, which name
    pages, are slugs."""
    dataset = item.dataset
    descriptor = _rel(dataset.descriptor, root)
    for resource in dataset.resources:
        if not resource.path:
            continue
        declared = item.package.get_resource(resource.name)  # as written: load infers on a copy
        path = dataset.folder / resource.path
        file = _rel(path, root)
        problem = _file_problem(path, file, descriptor, declared.encoding)
        if problem is not None:
            line, code, message, hint = problem
            yield Issue(file, line, None, code, message, hint, dataset=dataset.name)
            continue
        found: list[Issue] = []
        if not declared.schema.fields:  # the header names the inferred fields: check it like a row
            for field in resource.fields:
                found.extend(
                    Issue(file, 1, field.name, code, message, hint.format(file=file), dataset=dataset.name)
                    for code, message, hint in cell_problems(field.name)
                )
        for row in resource.rows:
            for name, value in row.cells.items():
                if isinstance(value, str):
                    found.extend(
                        Issue(file, row.number, name, code, message, hint.format(file=file), dataset=dataset.name)
                        for code, message, hint in cell_problems(value)
                    )
        if (dataset.name, resource.name) == config.MEMBERS:
            found.extend(_member_ids(dataset, resource.rows, file))
        yield from _capped(found)


def _file_problem(
    path: Path, file: str, descriptor: str, encoding: str | None
) -> tuple[int | None, str, str, str] | None:
    """``(row, code, message, hint)`` for a resource file that cannot be read as declared, else ``None``."""
    if not path.is_file():
        return (
            None,
            "missing-file",
            "The file does not exist.",
            f"Add the CSV file, or correct its `path` in {descriptor} (paths are relative to the dataset folder "
            "and case-sensitive).",
        )
    data = path.read_bytes()
    if not data.strip():
        return (
            None,
            "empty-file",
            "The file is empty.",
            f"Put the table (a header line, then the rows) in {file}, or remove the resource from {descriptor}.",
        )
    if encoding is not None and encoding.lower().replace("_", "-") not in ("utf-8", "utf8", "utf-8-sig"):
        return None  # declared: frictionless decodes it, and reports an encoding-error if it is wrong
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start : exc.start + 1].hex().upper()
        return (
            line,
            "not-utf-8",
            f"The file is not UTF-8 (byte 0x{byte} on this line); it looks like {likely_encoding(data)}.",
            f"Save {file} again as UTF-8 (LibreOffice: Save As, Text CSV, character set “Unicode (UTF-8)”), or "
            f"declare its real `encoding` for this resource in {descriptor}.",
        )
    return None


def likely_encoding(data: bytes) -> str:
    """The encoding a file that is not UTF-8 most likely has, in words. Windows-1258 (Vietnamese) writes
    tone marks as separate bytes after the vowel, which general detectors miss in short files, so it is
    recognised first; then chardet (a frictionless dependency) guesses."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    if _looks_like_windows_1258(data):
        return "Windows-1258 (Vietnamese)"
    guess = chardet.detect(data[:65536]).get("encoding")
    if not guess:
        return "an unknown encoding"
    if guess.lower() in _LATIN_1_NAMES:
        return "Windows-1252 or Latin-1 (ISO-8859-1)"
    return str(guess)


def _looks_like_windows_1258(data: bytes) -> bool:
    try:
        data.decode("cp1258")
    except UnicodeDecodeError:
        return False
    high = sum(1 for b in data if b >= 0x80)
    tones = sum(1 for prev, b in itertools.pairwise(data) if b in _TONE_BYTES and prev in _VOWEL_BYTES)
    evidence = tones + sum(1 for b in data if b in _DJ_BYTES)
    return high > 0 and evidence >= max(1, high // 5)


def text_problems(value: str) -> Iterator[tuple[str, str, str]]:
    """``(code, message, hint)`` for text that is not composed (NFC), or that holds control, bidi or
    zero-width characters. ``{file}`` in the hint is the file to edit."""
    for c in value:
        if unicodedata.category(c) in ("Cc", "Cs") and c not in _LINE_BREAKS:
            what = "half of a UTF-16 surrogate pair, not a character" if unicodedata.category(c) == "Cs" else ""
            yield (
                "control-character",
                f"The text {show(value)} holds the control character {_char(c)}{f' ({what})' if what else ''}.",
                "Delete the invisible control character from {file} (retype the text if in doubt).",
            )
            break
    for c in value:
        if c in BIDI_CONTROLS:
            yield (
                "bidi-control",
                f"The text {show(value)} holds {_char(c)}, which changes the order in which text is shown.",
                "Delete the direction control character from {file}.",
            )
            break
    for c in value:
        if c in ZERO_WIDTH:
            yield (
                "zero-width-character",
                f"The text {show(value)} holds the invisible character {_char(c)}.",
                "Delete the invisible character from {file}: it makes equal-looking text differ.",
            )
            break
    if not unicodedata.is_normalized("NFC", value):
        yield (
            "text-not-nfc",
            f"The text {show(value)} is not in Unicode NFC: {_decomposed(value)}. It looks right but does not "
            "match the same word typed normally (in keys, links and search).",
            "Convert {file} to composed characters (Unicode NFC), e.g. `uconv -x any-nfc` or Python's "
            "unicodedata.normalize('NFC', text); most editors do it when you retype the letter.",
        )


def cell_problems(value: str) -> Iterator[tuple[str, str, str]]:
    """``text_problems``, plus text a spreadsheet would run as a formula."""
    yield from text_problems(value)
    if is_formula(value):
        yield (
            "spreadsheet-formula",
            f"The text {show(value)} starts with {show(value[0])}: a spreadsheet opening the CSV would run "
            "it as a formula.",
            "Reword the cell in {file} so that it does not start with = + - @, a tab or a line break "
            "(a signed number such as -5 and a lone - are fine).",
        )


def is_formula(text: str) -> bool:
    """Whether a spreadsheet would treat ``text`` as a formula. A text cell starting with ``=``, ``@``, a tab
    or a carriage return is one; starting with ``+`` or ``-`` it is one unless it is a signed number
    (``-5``, ``+84 912``, ``-0,5%``) or a lone sign (``-`` for "none"), which a spreadsheet shows as they are."""
    if not text.startswith(FORMULA_STARTS):
        return False
    if text[0] in "+-":
        return not (text in _LONE_SIGNS or _SIGNED_NUMBER.fullmatch(text.rstrip()))
    return True


def _decomposed(value: str) -> str:
    """The first letter that is written decomposed, spelled out: ``'ơ' is written as 'o' + U+031B``."""
    for i, c in enumerate(value):
        if unicodedata.combining(c):
            start = i
            while start > 0 and unicodedata.combining(value[start - 1]):
                start -= 1
            end = i + 1
            while end < len(value) and unicodedata.combining(value[end]):
                end += 1
            base = value[max(start - 1, 0) : end]
            composed = unicodedata.normalize("NFC", base)
            spelled = " + ".join(show(ch) if not unicodedata.combining(ch) else _char(ch) for ch in base)
            return f"{show(composed)} is written as {spelled}"
    return "some characters are written in a decomposed form"


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
                f"The member id {show(member)} cannot name a page: ids are lower-case letters, digits and "
                "hyphens, and not `index`.",
                f"Change the id in {file} (and in every table that refers to it), e.g. `dak-po`.",
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
                f"… and {counts[issue.code] - MAX_REPORTS_PER_FILE} more cells of this file with the same "
                f"problem ({issue.code}).",
                issue.hint,
                issue.severity,
                issue.dataset,
            )


# --- helpers ----------------------------------------------------------------------------------------------------


def _strings(value: object, where: str) -> Iterator[tuple[str, str]]:
    """Every text in a descriptor, keys included, with where it is (``resources[0].schema.fields[2].title``)."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            place = f"{where}.{key}" if where else str(key)
            if isinstance(key, str):
                yield place, key
            yield from _strings(item, place)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, f"{where}[{i}]")


def _deeper_than(value: object, limit: int) -> bool:
    """Whether ``value`` nests more than ``limit`` lists or mappings (iteratively: no recursion to exhaust)."""
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, Mapping | list):
            if depth >= limit:
                return True
            children = item.values() if isinstance(item, Mapping) else item
            stack.extend((child, depth + 1) for child in children)
    return False


def _preview(value: object) -> str:
    """A value of any type as a message quotes it: text as ``show`` does, anything else as compact JSON."""
    if isinstance(value, str):
        return show(value)
    try:
        shown = json.dumps(value, ensure_ascii=False, default=str)
    except (ValueError, RecursionError):
        shown = type(value).__name__
    return printable(shown if len(shown) <= 60 else shown[:59] + "…")


def _kind(value: object) -> str:
    return {
        type(None): "empty",
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "a mapping",
    }.get(type(value), type(value).__name__)


def _rel(path: Path, root: Path) -> str:
    try:
        return path.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        return path.as_posix()
