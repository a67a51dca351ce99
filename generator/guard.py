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

Every problem is an ``Issue`` with a stable code (``issues.CODES``) and a message and hint written as
``msg(...)`` templates (English ids, Vietnamese in ``locale/vi/LC_MESSAGES/validate.po``). Values are quoted
with ``show``, so a message never carries a raw control or bidi character to a terminal or a log.
"""

from __future__ import annotations

import csv
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

from generator import config, readiness
from generator.issues import Issue, Message, Severity, msg, printable, show
from generator.models import Dataset, Resource, Row
from generator.records import file_records
from generator.vocab import THEMES

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
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,99}")  # an id that names a page or a file: member and indicator ids
MEMBER_ID = SLUG
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
# Unicode's noncharacters (U+FDD0..U+FDEF and the last two code points of every plane): never text, not
# allowed in XML (feeds, SVG charts, XLSX) and fatal to the chart renderer.
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
_NONCHARACTER = re.compile(f"[{_NONCHARACTERS}]")
# Any character ``text_problems`` looks at (control characters but the allowed line breaks, surrogates,
# noncharacters, direction controls, zero-width characters): text without one, composed, and not
# formula-like is clean.
_SUSPECT = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff"
    + _NONCHARACTERS
    + "".join(sorted(BIDI_CONTROLS | ZERO_WIDTH))
    + "]"
)
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
FILE_CODES = frozenset({"missing-file", "empty-file", "not-utf-8", readiness.WRONG_DELIMITER})


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
            msg(
                "The dataset folder name {name} is not a safe name: it becomes a folder and an address on the site.",
                name=show(folder.name),
            ),
            msg(
                "Rename the folder (and the package's `name`) with lower-case letters, digits and hyphens only, "
                "e.g. `production-value`."
            ),
            dataset=dataset,
        )
        return
    for link, what in (
        (folder, msg("The dataset folder is a symbolic link; it is not read.")),
        (path, msg("The descriptor is a symbolic link; it is not read.")),
    ):
        if link.is_symlink():
            yield Issue(
                _rel(link, root),
                None,
                None,
                "unsafe-path",
                what,
                msg("Replace the symbolic link with the real folder or file, inside datasets/."),
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
            msg(
                "The descriptor is {size} bytes; the limit is {limit} bytes (1 MiB). It was not read.",
                size=size,
                limit=MAX_DESCRIPTOR_BYTES,
            ),
            msg("Keep {file} to metadata: put data in CSV files and refer to them with `path`.", file=file),
            dataset=dataset,
        )


# --- 2. while it is read ------------------------------------------------------------------------------------


class DescriptorRefused(yaml.MarkedYAMLError):
    """A descriptor that parses but holds something refused on purpose (a tag, a repeated key): it has its
    own problem code, unlike a syntax error."""

    def __init__(self, code: str, problem: Message, hint: Message, mark: Any = None) -> None:
        super().__init__(problem=str(problem), problem_mark=mark)
        self.code = code
        self.detail = problem
        self.hint = hint  # ``{file}`` is the descriptor, filled by the caller

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
            raise DescriptorRefused(
                "descriptor-syntax",
                msg("YAML aliases (*name) are not allowed"),
                msg("Write the values out in {file} instead of repeating them with &anchors and *aliases."),
                mark,
            )
        tag = getattr(event, "tag", None)
        if tag not in (None, "!") and tag not in _CORE_TAGS:
            shown = "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag
            raise DescriptorRefused(
                "descriptor-tag",
                msg("the YAML tag {tag} is not allowed", tag=show(shown)),
                msg("Remove the tag from {file}: a descriptor holds only text, numbers, lists and mappings."),
                mark,
            )
        self._depth += 1
        try:
            if self._depth > MAX_NESTING:
                raise DescriptorRefused(
                    "descriptor-syntax",
                    msg("it is nested more than {limit} levels deep", limit=MAX_NESTING),
                    msg("Simplify {file}: a descriptor needs only a few levels of lists and mappings."),
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
                        msg("the key {key} is given twice in one mapping", key=show(key.value)),
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


_DUPLICATE_HINT = msg("Keep one of the two keys in {file}: the parser would silently drop the first one.")


class Unreadable(ValueError):
    """A descriptor that cannot be read, for a reason the generator words itself (``detail``), rather than
    the parser."""

    def __init__(self, detail: Message) -> None:
        super().__init__(str(detail))
        self.detail = detail


def parse_yaml(text: str) -> Any:
    """A YAML descriptor as plain data. Raises ``DescriptorRefused`` or another ``yaml.YAMLError``, or
    ``Unreadable`` (an integer too long for Python to convert)."""
    loader = DescriptorLoader(text)
    try:
        return loader.get_single_data()
    except ValueError as exc:
        raise _plain_value_error(exc) from exc
    finally:
        loader.dispose()


def parse_json(text: str) -> Any:
    """A JSON descriptor as plain data. Raises ``DescriptorRefused`` for a repeated key, ``ValueError`` for
    invalid JSON, and ``Unreadable`` for ``NaN`` and ``Infinity`` (which JSON does not have), a nesting too
    deep to read and an integer too long to convert."""

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = Counter(k for k, _ in items)
        twice = [k for k, n in keys.items() if n > 1]
        if twice:
            raise DescriptorRefused(
                "descriptor-duplicate-key",
                msg("the key {key} is given twice in one object", key=show(twice[0])),
                _DUPLICATE_HINT,
            )
        return dict(items)

    def constant(name: str) -> Any:
        raise Unreadable(msg("{name} is not a JSON number", name=name))

    try:
        return json.loads(text, object_pairs_hook=pairs, parse_constant=constant)
    except RecursionError as exc:
        raise Unreadable(msg("the descriptor is nested too deeply to read")) from exc
    except (json.JSONDecodeError, Unreadable):
        raise
    except ValueError as exc:
        raise _plain_value_error(exc) from exc


def _plain_value_error(exc: ValueError) -> ValueError:
    """Python's refusal of a number with thousands of digits, in a maintainer's words."""
    if "integer string conversion" in str(exc):
        return Unreadable(msg("a number has more than {digits} digits", digits=4300))
    return ValueError(str(exc))


# --- 3. before frictionless sees it -------------------------------------------------------------------------


def check_descriptor(descriptor: Mapping[str, Any], path: Path, root: Path) -> Iterator[Issue]:
    """Problems of a parsed descriptor that must stop it before frictionless builds a ``Package`` (errors),
    and missing metadata the site can do without (warnings)."""
    checker = _DescriptorCheck(descriptor, path, root)
    yield from checker.run()


# What ``wrong_type`` expects most often.
TEXT = msg("text")


class _DescriptorCheck:
    def __init__(self, descriptor: Mapping[str, Any], path: Path, root: Path) -> None:
        self.data = descriptor
        self.path = path
        self.root = root
        self.folder = path.parent
        self.file = _rel(path, root)
        self.dataset = path.parent.name

    def issue(
        self, field: str | None, code: str, message: Message, hint: Message, severity: Severity = Severity.ERROR
    ) -> Issue:
        return Issue(self.file, None, field, code, message, hint, severity, self.dataset)

    def themes(self, themes: object) -> Iterator[Issue]:
        """``themes``: codes of the EU data themes, which catalogues name by their addresses."""
        if themes is None:
            return
        if not (isinstance(themes, list) and all(isinstance(t, str) for t in themes)):
            yield self.wrong_type("themes", themes, msg("a list of theme codes such as [ECON, AGRI]"))
            return
        for theme in themes:
            if theme not in THEMES:
                yield self.issue(
                    "themes",
                    "unknown-theme",
                    msg("{theme} is not one of the EU data themes.", theme=_preview(theme)),
                    msg("Use one of: {codes}.", codes=", ".join(THEMES)),
                )

    def wrong_type(self, where: str, value: object, expected: Message) -> Issue:
        return self.issue(
            where,
            "descriptor-field-type",
            msg(
                "`{where}` must be {expected}, not {kind} ({value}).",
                where=where,
                expected=expected,
                kind=_kind(value),
                value=_preview(value),
            ),
            msg("Write `{where}` in {file} as {expected}.", where=where, file=self.file, expected=expected),
        )

    def missing(self, where: str, what: Message) -> Issue:
        return self.issue(
            where,
            "descriptor-field-missing",
            msg("`{where}` is missing: {what}.", where=where, what=what),
            msg("Add `{where}` to {file}.", where=where, file=self.file),
        )

    def run(self) -> Iterator[Issue]:
        if _deeper_than(self.data, MAX_NESTING):
            yield self.issue(
                None,
                "descriptor-syntax",
                msg("The descriptor is nested more than {limit} levels deep.", limit=MAX_NESTING),
                msg("Simplify {file}: a descriptor needs only a few levels.", file=self.file),
            )
            return
        yield from self.text()
        yield from self.package()
        resources = self.data.get("resources")
        if resources is None:
            yield self.missing("resources", msg("a dataset lists its tables (name, path and schema of each)"))
        elif not isinstance(resources, list) or not all(isinstance(r, Mapping) for r in resources):
            yield self.wrong_type("resources", resources, msg("a list of resources (mappings)"))
        elif not resources:
            yield self.missing("resources", msg("the list of resources is empty"))
        else:
            for index, resource in enumerate(resources):
                yield from self.resource(index, resource)
            yield from self.duplicates(resources)

    def text(self) -> Iterator[Issue]:
        """Every key and text value: what a page or a terminal would show."""
        for where, value in _strings(self.data, ""):
            for code, message, hint in text_problems(value):
                yield self.issue(where or None, code, message, hint.fill(file=self.file))

    def package(self) -> Iterator[Issue]:
        data = self.data
        name = data.get("name")
        if name is not None and not isinstance(name, str):
            yield self.wrong_type("name", name, TEXT)
        elif isinstance(name, str):
            yield from self.dataset_name(name)
        for key in ("title", "description", "homepage"):
            if key in data and not isinstance(data[key], str):
                yield self.wrong_type(key, data[key], TEXT)
        if "version" in data and not isinstance(data["version"], str | int | float):
            yield self.wrong_type("version", data["version"], msg("text such as 1.0.0"))
        keywords = data.get("keywords")
        if keywords is not None and not (isinstance(keywords, list) and all(isinstance(k, str) for k in keywords)):
            yield self.wrong_type("keywords", keywords, msg("a list of words"))
        translations = data.get("translations")
        english = translations.get("en") if isinstance(translations, dict) else None
        english_words = english.get("keywords") if isinstance(english, dict) else None
        if english_words is not None and not (
            isinstance(english_words, list) and all(isinstance(k, str) for k in english_words)
        ):
            yield self.wrong_type("translations.en.keywords", english_words, msg("a list of words"))
        yield from self.themes(data.get("themes"))
        if not data.get("title") or (isinstance(data["title"], str) and not data["title"].strip()):
            yield self.issue(
                "title",
                "missing-title",
                msg("The dataset has no title; the site shows its name instead."),
                msg("Add `title:` (in Vietnamese) to {file}.", file=self.file),
                Severity.WARNING,
            )
        licenses = data.get("licenses")
        if licenses is None or licenses == []:
            yield self.issue(
                "licenses",
                "missing-license",
                msg("The dataset states no license, so readers do not know how they may reuse it."),
                msg(
                    "Add `licenses:` to {file}, e.g. "
                    "`[{{name: CC-BY-4.0, path: https://creativecommons.org/licenses/by/4.0/}}]`.",
                    file=self.file,
                ),
                Severity.WARNING,
            )
        elif not isinstance(licenses, list):
            yield self.wrong_type("licenses", licenses, msg("a list of licenses (each with name, title and path)"))
        else:
            for i, lic in enumerate(licenses):
                if not isinstance(lic, Mapping):
                    yield self.wrong_type(f"licenses[{i}]", lic, msg("a mapping with name, title and path"))
                    continue
                for key in ("name", "title", "path"):
                    if key in lic and not isinstance(lic[key], str):
                        yield self.wrong_type(f"licenses[{i}].{key}", lic[key], TEXT)
        yield from self.profile("", data, PACKAGE_PROFILES)
        yield from self.addresses("", data)

    def addresses(self, prefix: str, data: Mapping[str, Any]) -> Iterator[Issue]:
        """Addresses the catalogues publish (DCAT, schema.org) and the pages link to: ``homepage`` and the
        ``path`` of each license, source and contributor. Only http(s) addresses are published: a
        ``javascript:`` or ``data:`` one would become a link that runs or carries code."""
        found: list[tuple[str, object]] = [(f"{prefix}homepage", data.get("homepage"))] if "homepage" in data else []
        for key in ("licenses", "sources", "contributors"):
            items = data.get(key)
            for i, item in enumerate(items if isinstance(items, list) else ()):
                if isinstance(item, Mapping) and "path" in item:
                    found.append((f"{prefix}{key}[{i}].path", item["path"]))
        for where, value in found:
            if not isinstance(value, str):
                continue  # the wrong type is reported where the property's type is checked
            parts = urlsplit(value.strip())
            if parts.scheme.lower() in ("http", "https") and parts.netloc:
                continue
            yield self.issue(
                where,
                "unsafe-url",
                msg("`{where}` must be a web address (http or https), not {value}.", where=where, value=show(value)),
                msg("Write the full https:// address in {file}, or remove `{where}`.", file=self.file, where=where),
            )

    def dataset_name(self, name: str) -> Iterator[Issue]:
        if not DATASET_NAME.fullmatch(name):
            yield self.issue(
                "name",
                "unsafe-name",
                msg(
                    "The package name {name} is not a safe name: it becomes a folder and an address on the site.",
                    name=show(name),
                ),
                msg(
                    "Use lower-case letters, digits and hyphens only (e.g. `production-value`), and the same name "
                    "for the dataset's folder."
                ),
            )
        elif not HOUSE_NAME.fullmatch(name):
            yield self.issue(
                "name",
                "name-style",
                msg("The package name {name} has an underscore; dataset names here use hyphens.", name=show(name)),
                msg("Rename it (and its folder) with hyphens, e.g. {name}.", name=show(name.replace("_", "-"))),
                Severity.WARNING,
            )

    def profile(self, prefix: str, data: Mapping[str, Any], known: frozenset[str]) -> Iterator[Issue]:
        profile = data.get("profile")
        if profile is not None and not (isinstance(profile, str) and profile in known):
            yield self.issue(
                prefix + "profile",
                "unsupported-profile",
                msg(
                    "The profile {profile} is not one of {known}: frictionless would fetch or read it as a file, "
                    "and the build never uses the network.",
                    profile=show(profile),
                    known=", ".join(sorted(known)),
                ),
                msg(
                    "Remove `{where}` from {file}, or use one of: {known}.",
                    where=prefix + "profile",
                    file=self.file,
                    known=", ".join(sorted(known)),
                ),
            )
        schema = data.get("$schema")
        if schema is not None and not (isinstance(schema, str) and STANDARD_SCHEMA.fullmatch(schema)):
            yield self.issue(
                prefix + "$schema",
                "unsupported-profile",
                msg("`$schema` is {value}, not a standard Data Package profile.", value=show(schema)),
                msg(
                    "Use `$schema: https://datapackage.org/profiles/2.0/datapackage.json` or remove it from {file}.",
                    file=self.file,
                ),
            )

    def resource(self, index: int, resource: Mapping[str, Any]) -> Iterator[Issue]:
        at = f"resources[{index}]"
        name = resource.get("name")
        if name is None:
            yield self.missing(f"{at}.name", msg("every resource needs a name"))
        elif not isinstance(name, str):
            yield self.wrong_type(f"{at}.name", name, TEXT)
        elif not RESOURCE_NAME.fullmatch(name):
            yield self.issue(
                f"{at}.name",
                "unsafe-name",
                msg("The resource name {name} is not a safe name.", name=show(name)),
                msg("Use lower-case letters, digits, hyphens, dots or underscores only (e.g. `figures`)."),
            )
        for key in ("title", "description", "encoding", "format", "mediatype"):
            if key in resource and not isinstance(resource[key], str):
                yield self.wrong_type(f"{at}.{key}", resource[key], TEXT)
        yield from self.profile(f"{at}.", resource, RESOURCE_PROFILES)
        yield from self.addresses(f"{at}.", resource)
        yield from self.resource_path(at, resource)
        yield from self.reference_property(at, "dialect", resource.get("dialect"))
        schema = resource.get("schema")
        if schema is None:
            yield self.issue(
                f"{at}.schema",
                "missing-schema",
                msg(
                    "The resource has no schema: the columns' types are guessed from the file, and nothing checks them."
                ),
                msg("Add a `schema` with the fields (name, type, title) to this resource in {file}.", file=self.file),
                Severity.WARNING,
            )
        elif not isinstance(schema, Mapping):
            yield from self.reference_property(at, "schema", schema)
        else:
            yield from self.schema(f"{at}.schema", schema)

    def resource_path(self, at: str, resource: Mapping[str, Any]) -> Iterator[Issue]:
        path = resource.get("path")
        if path is None:
            if "data" in resource:
                what = msg("inline `data` is not published: put the rows in a CSV file")
            else:
                what = msg("every resource is a CSV file")
            yield self.missing(f"{at}.path", what)
            return
        if not isinstance(path, str):
            yield self.wrong_type(f"{at}.path", path, msg("the path of one CSV file, as text"))
            return
        scheme = resource.get("scheme")
        if scheme is not None and scheme != "file":
            where = at + ".scheme"
            hint = msg("Remove `{where}` from {file}: `path` names a local file.", where=where, file=self.file)
            yield self.remote(where, str(scheme), hint)
            return
        problem = path_problem(path)
        if problem == REMOTE:
            yield self.remote(f"{at}.path", path)
            return
        if problem:
            yield self.unsafe_path(f"{at}.path", path, problem)
            return
        fmt = resource.get("format")
        unsupported = [k for k in ("compression", "innerpath", "extrapaths") if k in resource]
        if (isinstance(fmt, str) and fmt.lower() != "csv") or not path.lower().endswith(".csv") or unsupported:
            if unsupported:
                message = msg("Only plain CSV files are published here, and `{key}` is set.", key=unsupported[0])
            else:
                message = msg(
                    "Only plain CSV files are published here, and the file is {path} ({format}).",
                    path=show(path),
                    format=show(fmt) if fmt else msg("no format"),
                )
            yield self.issue(
                f"{at}.path",
                "unsupported-format",
                message,
                msg(
                    "Convert the table to a CSV file (UTF-8, comma-separated) named *.csv, and set `format: csv` "
                    "in {file}.",
                    file=self.file,
                ),
            )
            return
        yield from self.resource_file(f"{at}.path", path)

    def resource_file(self, where: str, path: str) -> Iterator[Issue]:
        """A file frictionless would open: no symbolic link on the way (frictionless follows them), inside the
        folder, and a regular file if it exists (a pipe or a device would hang the build). A missing file is
        reported later, with the data (``check_data``). The problem is on disk: the issue names the file."""
        target = self.folder / path
        parts = PurePosixPath(path).parts
        hint = msg("Replace the symbolic link with the real file, inside the dataset folder.")
        problem = None
        for i in range(len(parts)):
            step = self.folder.joinpath(*parts[: i + 1])
            if step.is_symlink():
                target = step
                problem = msg("The file of `{where}` ({path}) is a symbolic link; it is not read.")
                break
        else:
            if not target.resolve().is_relative_to(self.folder.resolve()):
                problem = msg("The file of `{where}` ({path}) lies outside the dataset folder; it is not read.")
            elif target.exists() and not target.is_file():
                problem = msg(
                    "The file of `{where}` ({path}) is not a regular file (a folder, a device or a pipe); it is "
                    "not read."
                )
                hint = msg("Make it a CSV file.")
        if problem:
            yield Issue(
                _rel(target, self.root),
                None,
                None,
                "unsafe-path",
                problem.fill(where=where, path=show(path)),
                hint,
                dataset=self.dataset,
            )

    def reference_property(self, at: str, key: str, value: object) -> Iterator[Issue]:
        """``schema`` and ``dialect`` written as a path or URL instead of inline."""
        if value is None or isinstance(value, Mapping):
            return
        where = f"{at}.{key}"
        hint = msg("Copy the {key} into {file}, under `{where}`.", key=key, file=self.file, where=where)
        if isinstance(value, str) and path_problem(value) == REMOTE:
            yield self.remote(where, value, hint)
        else:
            yield self.issue(
                where,
                "descriptor-field-type",
                msg(
                    "`{where}` must be written in the descriptor (a mapping), not {kind} ({value}): a separate "
                    "file would not be published with the dataset.",
                    where=where,
                    kind=_kind(value),
                    value=_preview(value),
                ),
                hint,
            )

    def schema(self, at: str, schema: Mapping[str, Any]) -> Iterator[Issue]:
        yield from self.profile(f"{at}.", schema, frozenset({"tableschema"}))
        fields = schema.get("fields")
        if not isinstance(fields, list) or not all(isinstance(f, Mapping) for f in fields):
            yield self.wrong_type(f"{at}.fields", fields, msg("a list of fields (mappings with name and type)"))
            return
        for i, field in enumerate(fields):
            name = field.get("name")
            if not isinstance(name, str):
                yield self.wrong_type(f"{at}.fields[{i}].name", name, TEXT)
            elif is_formula(name):
                yield self.issue(
                    f"{at}.fields[{i}].name",
                    "spreadsheet-formula",
                    msg(
                        "The field name {name} is also the column's header, and a spreadsheet would run it as a "
                        "formula.",
                        name=show(name),
                    ),
                    msg(
                        "Rename the field (in {file} and in the CSV header) so that it starts with a letter.",
                        file=self.file,
                    ),
                )
        foreign_keys = schema.get("foreignKeys", [])
        if not isinstance(foreign_keys, list):
            yield self.wrong_type(f"{at}.foreignKeys", foreign_keys, msg("a list"))
            return
        for i, fk in enumerate(foreign_keys):
            reference = fk.get("reference") if isinstance(fk, Mapping) else None
            package = reference.get("package") if isinstance(reference, Mapping) else None
            if isinstance(package, str) and path_problem(package) is not None:
                yield self.remote(
                    f"{at}.foreignKeys[{i}].reference.package",
                    package,
                    msg("Name a dataset of this catalogue by its name (e.g. `package: members`), or add that dataset."),
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
                    msg("Several resources have the same `{key}`: {value}.", key=key, value=show(value)),
                    msg("Give each resource of {file} its own name and its own CSV file.", file=self.file),
                )

    def remote(self, where: str, value: str, hint: Message | None = None) -> Issue:
        return self.issue(
            where,
            "remote-reference",
            msg(
                "`{where}` is {value}, which would be fetched from elsewhere: the build never uses the network "
                "and reads only the dataset's own folder.",
                where=where,
                value=show(value),
            ),
            hint
            or msg(
                "Download the file into the dataset folder and write its relative path (e.g. `data.csv`) in {file}.",
                file=self.file,
            ),
        )

    def unsafe_path(self, where: str, path: str, problem: Message) -> Issue:
        return self.issue(
            where,
            "unsafe-path",
            msg("The path {path} is not safe: {problem}.", path=show(path), problem=problem),
            msg(
                "Put the file inside the dataset folder and write its path relative to it (e.g. `data.csv`) in {file}.",
                file=self.file,
            ),
        )


# ``path_problem``'s verdict on a URL (or another address that is not a local path).
REMOTE = msg("it is a web address")


def path_problem(path: str) -> Message | None:
    """What is wrong with a path from a descriptor, or ``None`` for a plain relative path inside the folder:
    ``REMOTE`` for a URL, else the reason in words. Checked lexically: frictionless blocks some of these
    itself, but its rule (``../`` in the path) lets ``sub/..``, a NUL (a ValueError inside it) and Windows
    forms through."""
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in path):
        return msg("it holds control or invisible characters")
    try:
        parts = urlsplit(path)
    except ValueError:  # e.g. an unclosed [ in a host: not a path either way
        return REMOTE
    if parts.scheme and len(parts.scheme) > 1:  # "C:" is a Windows drive, not a scheme
        return msg("it is a file:// address") if parts.scheme.lower() == "file" else REMOTE
    if path.startswith("//"):
        return REMOTE
    if not path.strip():
        return msg("it is empty")
    if path.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", path):
        return msg("it is absolute")
    if "\\" in path:
        return msg("it uses backslashes (write / between folders)")
    if path.startswith("~"):
        return msg("it starts with ~ (a home folder)")
    if "$" in path or re.search(r"%[^%]+%", path):
        return msg("it names an environment variable ($NAME or %NAME%)")
    steps = path.removeprefix("./").split("/")
    if ".." in steps:
        return msg("it goes up a folder (..)")
    if any(step in ("", ".") for step in steps):
        return msg("it has an empty or . step")
    return None


# --- 4. during validation -------------------------------------------------------------------------------------


def check_data(item: Loaded, root: Path) -> Iterator[Issue]:
    """Each resource file exists, is not empty, is UTF-8 (unless the descriptor declares another encoding)
    and is split by the delimiter it declares; then its text cells (read once: control characters, formulas,
    placeholders left by ``generator new``) and, for a table without a schema, its header. Members' ids, which
    name pages, are slugs. The descriptor's texts are searched for placeholders too."""
    dataset = item.dataset
    descriptor = _rel(dataset.descriptor, root)
    # placeholders left by `generator new` (generator/readiness.py)
    yield from _capped(list(readiness.descriptor_placeholders(dataset.descriptor, descriptor, dataset.name)))
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
        for number, name, value in text_cells(resource, path):
            if wrong is None:  # a file in the wrong delimiter is not searched for placeholders
                unfinished = readiness.cell_placeholder(file, number, name, value, dataset.name)
                if unfinished is not None:
                    found.append(unfinished)
            if not suspicious(value):
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


def _legacy_encoding(encoding: str | None) -> bool:
    """Whether a declared encoding is another than UTF-8 (a code page such as Windows-1258)."""
    return encoding is not None and encoding.lower().replace("_", "-") not in ("utf-8", "utf8", "utf-8-sig")


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


_SCAN_BLOCK = 1 << 20


def _scan_utf8(path: Path) -> tuple[bool, tuple[int, str] | None]:
    """Whether the file holds anything but whitespace, and where it first fails to decode as UTF-8 (its
    line and the byte, in hex), read a block at a time: memory does not grow with the file."""
    has_content = False
    lines = 0  # line breaks before ``data``
    carry = b""
    with path.open("rb") as handle:
        while True:
            block = handle.read(_SCAN_BLOCK)
            data = carry + block
            if not data:
                return has_content, None
            has_content = has_content or bool(data.strip())
            try:
                data.decode("utf-8")
                carry = b""
            except UnicodeDecodeError as exc:
                if block and exc.reason == "unexpected end of data":
                    carry = data[exc.start :]  # a character cut by the block's end: decoded with the next block
                    data = data[: exc.start]
                else:
                    return True, (
                        lines + data.count(b"\n", 0, exc.start) + 1,
                        data[exc.start : exc.start + 1].hex().upper(),
                    )
            lines += data.count(b"\n")
            if not block:
                return has_content, None


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


def likely_encoding(data: bytes) -> Message | str:
    """The encoding a file that is not UTF-8 most likely has, in words. Windows-1258 (Vietnamese) writes
    tone marks as separate bytes after the vowel, which general detectors miss in short files, so it is
    recognised first; then chardet (a frictionless dependency) guesses."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    if _looks_like_windows_1258(data):
        return msg("Windows-1258 (Vietnamese)")
    guess = chardet.detect(data[:65536]).get("encoding")
    if not guess:
        return msg("an unknown encoding")
    if guess.lower() in _LATIN_1_NAMES:
        return msg("Windows-1252 or Latin-1 (ISO-8859-1)")
    return str(guess)  # a name, the same in every language


def _looks_like_windows_1258(data: bytes) -> bool:
    try:
        data.decode("cp1258")
    except UnicodeDecodeError:
        return False
    high = sum(1 for b in data if b >= 0x80)
    tones = sum(1 for prev, b in itertools.pairwise(data) if b in _TONE_BYTES and prev in _VOWEL_BYTES)
    evidence = tones + sum(1 for b in data if b in _DJ_BYTES)
    return high > 0 and evidence >= max(1, high // 5)


def suspicious(value: str) -> bool:
    """Whether ``cell_problems`` could find anything in ``value``: a fast test (C code only) that lets the
    cells of a large table through without building a message for each."""
    return (
        _SUSPECT.search(value) is not None
        or value.startswith(FORMULA_STARTS)
        or (not value.isascii() and not unicodedata.is_normalized("NFC", value))
    )


def text_problems(value: str) -> Iterator[tuple[str, Message, Message]]:
    """``(code, message, hint)`` for text that is not composed (NFC), or that holds control, bidi or
    zero-width characters. The hint's ``{file}``, the file to edit, is left for the caller to fill."""
    for c in value:
        if unicodedata.category(c) in ("Cc", "Cs") and c not in _LINE_BREAKS:
            if unicodedata.category(c) == "Cs":
                message = msg(
                    "The text {text} holds the control character {char} (half of a UTF-16 surrogate pair, not a "
                    "character).",
                    text=show(value),
                    char=_char(c),
                )
            else:
                message = msg("The text {text} holds the control character {char}.", text=show(value), char=_char(c))
            yield (
                "control-character",
                message,
                msg("Delete the invisible control character from {file} (retype the text if in doubt)."),
            )
            break
    if found := _NONCHARACTER.search(value):
        yield (
            "noncharacter",
            msg(
                "The text {text} holds {char}, a code point Unicode reserves as never being a character.",
                text=show(value),
                char=_char(found.group()),
            ),
            msg("Delete the invisible {char} from {file} (retype the text if in doubt).", char=_char(found.group())),
        )
    for c in value:
        if c in BIDI_CONTROLS:
            yield (
                "bidi-control",
                msg(
                    "The text {text} holds {char}, which changes the order in which text is shown.",
                    text=show(value),
                    char=_char(c),
                ),
                msg("Delete the direction control character from {file}."),
            )
            break
    for c in value:
        if c in ZERO_WIDTH:
            yield (
                "zero-width-character",
                msg("The text {text} holds the invisible character {char}.", text=show(value), char=_char(c)),
                msg("Delete the invisible character from {file}: it makes equal-looking text differ."),
            )
            break
    if not unicodedata.is_normalized("NFC", value):
        yield (
            "text-not-nfc",
            msg(
                "The text {text} is not in Unicode NFC: {detail}. It looks right but does not match the same word "
                "typed normally (in keys, links and search).",
                text=show(value),
                detail=_decomposed(value),
            ),
            msg(
                "Convert {file} to composed characters (Unicode NFC), e.g. `uconv -x any-nfc` or Python's "
                "unicodedata.normalize('NFC', text); most editors do it when you retype the letter."
            ),
        )


def cell_problems(value: str) -> Iterator[tuple[str, Message, Message]]:
    """``text_problems``, plus text a spreadsheet would run as a formula."""
    yield from text_problems(value)
    if is_formula(value):
        yield (
            "spreadsheet-formula",
            msg(
                "The text {text} starts with {first}: a spreadsheet opening the CSV would run it as a formula.",
                text=show(value),
                first=show(value[0]),
            ),
            msg(
                "Reword the cell in {file} so that it does not start with = + - @, a tab or a line break "
                "(a signed number such as -5 and a lone - are fine)."
            ),
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


def _decomposed(value: str) -> Message:
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
            return msg("{letter} is written as {parts}", letter=show(composed), parts=spelled)
    return msg("some characters are written in a decomposed form")


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


def _kind(value: object) -> Message | str:
    """What a value of the descriptor is, in words (another type, which no parser here gives, by its name)."""
    kinds: dict[type, Message] = {
        type(None): msg("empty"),
        bool: msg("true/false"),
        int: msg("a number"),
        float: msg("a number"),
        str: TEXT,
        list: msg("a list"),
        dict: msg("a mapping"),
    }
    return kinds.get(type(value), type(value).__name__)


def _rel(path: Path, root: Path) -> str:
    try:
        return path.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        return path.as_posix()
