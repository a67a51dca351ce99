"""Before frictionless sees a descriptor: required properties with the right types, names safe as folder
and URL names, only http(s) addresses, and no reference that would make frictionless touch the network or a
file outside the dataset folder."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from generator.issues import Issue, Message, Severity, msg, printable, show
from generator.read.guard.names import DATASET_NAME, HOUSE_NAME, RESOURCE_NAME, shown_path
from generator.read.guard.parse import MAX_NESTING, _deeper_than
from generator.read.guard.text import is_formula, text_problems
from generator.vocab import THEMES

# Profiles frictionless knows by name. Any other value is retrieved: from the network for a URL, from a
# path relative to the working directory otherwise (including "fiscal-data-package", which it maps to a URL).
PACKAGE_PROFILES = frozenset({"data-package", "tabular-data-package"})
RESOURCE_PROFILES = frozenset({"data-resource", "tabular-data-resource"})
# ``$schema`` only names the standard's version (frictionless 5 never fetches it); the official profiles
# are accepted, anything else could be fetched by another tool or a later version.
STANDARD_SCHEMA = re.compile(r"https://datapackage\.org/profiles/\d+\.\d+/[a-z]+\.json")


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
        self.file = shown_path(path, root)
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
                shown_path(target, self.root),
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
