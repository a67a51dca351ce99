"""Bad input (generator/read/guard/): one small package per case, each asserting the verdict and the exact
``(dataset, file, row, field, code)`` tuples it must name.

Each case is the valid fixture (``tests/fixtures/valid``) copied to a temporary folder with one edit. Data
comes from people we do not know: every case must end in a clear error (one line of message, one line of
hint, every character printable), never a traceback, a hang, a network request or a write outside the
output folders.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from frictionless import FrictionlessException, Package
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.build import build, check
from generator.check.validate import validate
from generator.issues import Issue, Message, Severity
from generator.read import guard
from generator.read.guard import parse as guard_parse
from generator.read.load import load_catalogue, parse_descriptor

from conftest import FIXTURES, copy_project, cp1258

VALID = FIXTURES / "valid"

FIGURES_YAML = "datasets/figures/datapackage.yaml"
FIGURES_CSV = "datasets/figures/figures.csv"
INDICATORS_CSV = "datasets/figures/indicators.csv"
MEMBERS_YAML = "datasets/members/datapackage.yaml"
MEMBERS_CSV = "datasets/members/members.csv"
SOURCES_CSV = "datasets/sources/sources.csv"

# The second resource of figures/ is indicators.csv; its properties are addressed like this in messages.
IND = "resources[1]"

Tuple = tuple[str | None, str, int | None, str | None, str]
Edit = Callable[[Path], None]


# --- building the cases ---------------------------------------------------------------------------------------


def replace(file: str, old: str, new: str, count: int = 1) -> Edit:
    """Replace ``old`` by ``new`` in ``file`` (relative to the project root), ``count`` times."""

    def edit(root: Path) -> None:
        path = root / file
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {file}: the fixture changed"
        path.write_text(text.replace(old, new, count), encoding="utf-8")

    return edit


def write_bytes(file: str, data: bytes) -> Edit:
    def edit(root: Path) -> None:
        (root / file).write_bytes(data)

    return edit


def append(file: str, text: str) -> Edit:
    def edit(root: Path) -> None:
        with (root / file).open("a", encoding="utf-8", newline="") as handle:
            handle.write(text)

    return edit


def variant(tmp_path: Path, *edits: Edit) -> Path:
    root = tmp_path / "project"
    shutil.copytree(VALID, root, symlinks=True)
    for edit in edits:
        edit(root)
    return root


def line_of(root: Path, file: str, start: str) -> int:
    lines = (root / file).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.startswith(start))


def assert_readable(issues: list[Issue]) -> None:
    """What a maintainer reads: one line saying what is wrong, one saying how to fix it, nothing invisible,
    in English and in Vietnamese (every message is a translatable ``Message``)."""
    for issue in issues:
        assert isinstance(issue.what, Message) and isinstance(issue.fix, Message), issue
        for text in (*issue.text("en"), *issue.text("vi")):
            assert text.strip(), issue
            assert all(c.isprintable() for c in text), (issue.code, text)
        assert "Traceback" not in issue.message, issue


def errors(root: Path) -> set[Tuple]:
    issues = check(root).issues
    assert_readable(issues)
    return {i.as_tuple() for i in issues if i.is_error}


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Every attempt to resolve a name or open a connection is recorded, and fails."""
    attempts: list[object] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(args)
        raise OSError("network access during a test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    yield attempts


@pytest.fixture
def deadline() -> Iterator[None]:
    """No case may hang (a pipe as a data file, an alias bomb, deep nesting): fail after 60 s instead."""

    def timeout(signum: int, frame: object) -> None:
        raise TimeoutError("the check hung")

    previous = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(60)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@dataclass(frozen=True)
class Case:
    id: str
    edits: tuple[Edit, ...]
    expected: set[Tuple] | Callable[[Path], set[Tuple]]


def case(id: str, *edits: Edit, expected: set[Tuple] | Callable[[Path], set[Tuple]]) -> Case:
    return Case(id, edits, expected)


def at_line(
    file: str, start: str, field: str | None, code: str, dataset: str = "figures"
) -> Callable[[Path], set[Tuple]]:
    """The expected tuple when the row is the line of ``file`` that starts with ``start`` (after the edit)."""
    return lambda root: {(dataset, file, line_of(root, file, start), field, code)}


IND_BLOCK = "    path: indicators.csv\n    format: csv\n    mediatype: text/csv\n    encoding: utf-8\n"


def indicators(**changes: str | None) -> Edit:
    """Change the file properties of the indicators resource (the second resource of figures/); ``None``
    removes one."""
    values: dict[str, str | None] = {
        "path": "indicators.csv",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
    }
    values.update(changes)
    block = "".join(f"    {k}: {v}\n" for k, v in values.items() if v is not None)
    return replace(FIGURES_YAML, IND_BLOCK, block)


def ind_path(value: str) -> Edit:
    return replace(FIGURES_YAML, "    path: indicators.csv\n", f"    path: {value}\n")


# --- descriptors ------------------------------------------------------------------------------------------------

DESCRIPTOR_CASES = [
    case(
        "python-tag",
        replace(FIGURES_YAML, "\nversion: 1.0.0\n", "\nversion: !!python/object/apply:os.system [echo pwned]\n"),
        expected=at_line(FIGURES_YAML, "version:", None, "descriptor-tag"),
    ),
    case(
        "python-name-tag",
        replace(FIGURES_YAML, "\nversion: 1.0.0\n", "\nversion: !!python/name:os.system\n"),
        expected=at_line(FIGURES_YAML, "version:", None, "descriptor-tag"),
    ),
    case(
        "binary-tag",  # a safe loader accepts !!binary: bytes no descriptor can hold
        replace(FIGURES_YAML, "\nversion: 1.0.0\n", "\nversion: !!binary MS4wLjA=\n"),
        expected=at_line(FIGURES_YAML, "version:", None, "descriptor-tag"),
    ),
    case(
        "local-tag-via-directive",
        replace(FIGURES_YAML, "$schema:", "%TAG !p! tag:yaml.org,2002:python/\n---\n$schema:"),
        replace(FIGURES_YAML, "\nversion: 1.0.0\n", "\nversion: !p!object/apply:os.system [ls]\n"),
        expected=at_line(FIGURES_YAML, "version:", None, "descriptor-tag"),
    ),
    case(
        "duplicate-key",  # YAML would keep the second title and drop the first without a word
        replace(FIGURES_YAML, "\ntitle: Số liệu\n", "\ntitle: Số liệu\ntitle: Số liệu 2\n"),
        expected=at_line(FIGURES_YAML, "title: Số liệu 2", None, "descriptor-duplicate-key"),
    ),
    case(
        "deep-nesting",
        append(FIGURES_YAML, "deep: " + "[" * 5000 + "]" * 5000 + "\n"),
        expected=at_line(FIGURES_YAML, "deep:", None, "descriptor-syntax"),
    ),
    case(
        "integer-with-5000-digits",  # Python refuses to convert it (ValueError), which used to be a traceback
        replace(FIGURES_YAML, "\nversion: 1.0.0\n", "\nversion: " + "9" * 5000 + "\n"),
        expected={("figures", FIGURES_YAML, None, None, "descriptor-syntax")},
    ),
    case(
        "title-is-a-list",
        replace(FIGURES_YAML, "\ntitle: Số liệu\n", "\ntitle: [Số, liệu]\n"),
        expected={("figures", FIGURES_YAML, None, "title", "descriptor-field-type")},
    ),
    case(
        "licenses-is-text",
        replace(FIGURES_YAML, "licenses:\n  - name: CC-BY-4.0\n", "licenses: CC-BY-4.0\nold_licenses:\n  - name: x\n"),
        expected={("figures", FIGURES_YAML, None, "licenses", "descriptor-field-type")},
    ),
    case(
        "resources-is-text",
        replace(FIGURES_YAML, "\nresources:\n", "\nresources: figures.csv\nold_resources:\n"),
        expected={("figures", FIGURES_YAML, None, "resources", "descriptor-field-type")},
    ),
    case(
        "resources-missing",
        replace(FIGURES_YAML, "\nresources:\n", "\nold_resources:\n"),
        expected={("figures", FIGURES_YAML, None, "resources", "descriptor-field-missing")},
    ),
    case(
        "resource-name-missing",
        replace(FIGURES_YAML, "  - name: indicators\n", "  - title_only: indicators\n"),
        expected={("figures", FIGURES_YAML, None, f"{IND}.name", "descriptor-field-missing")},
    ),
    case(
        "resource-path-missing",
        replace(FIGURES_YAML, "    path: indicators.csv\n", ""),
        expected={("figures", FIGURES_YAML, None, f"{IND}.path", "descriptor-field-missing")},
    ),
    case(
        "resource-inline-data",
        replace(FIGURES_YAML, "    path: indicators.csv\n", "    data: [[id, title], [x, y]]\n"),
        expected={("figures", FIGURES_YAML, None, f"{IND}.path", "descriptor-field-missing")},
    ),
    case(
        "resource-path-is-a-list",
        ind_path("[indicators.csv, figures.csv]"),
        expected={("figures", FIGURES_YAML, None, f"{IND}.path", "descriptor-field-type")},
    ),
    case(
        "fields-is-text",
        replace(
            FIGURES_YAML,
            "      primaryKey: [id]\n      fields:\n",
            "      primaryKey: [id]\n      fields: id\n      x:\n",
        ),
        expected={("figures", FIGURES_YAML, None, f"{IND}.schema.fields", "descriptor-field-type")},
    ),
    case(
        "schema-in-a-separate-file",  # not published with the dataset, and frictionless would read any path
        replace(FIGURES_YAML, "    schema:\n      primaryKey: [id]\n", "    schema: indicators.schema.json\n    x:\n"),
        expected={("figures", FIGURES_YAML, None, f"{IND}.schema", "descriptor-field-type")},
    ),
    case(
        "two-resources-one-file",
        ind_path("figures.csv"),
        expected={("figures", FIGURES_YAML, None, "resources", "duplicate-resource")},
    ),
    case(
        "two-resources-one-name",
        replace(FIGURES_YAML, "  - name: indicators\n", "  - name: figures\n"),
        expected={("figures", FIGURES_YAML, None, "resources", "duplicate-resource")},
    ),
]

NAME_CASES = [
    case(
        "package-name-traversal",
        replace(FIGURES_YAML, "\nname: figures\n", "\nname: ../../etc\n"),
        expected={("figures", FIGURES_YAML, None, "name", "unsafe-name")},
    ),
    case(
        "package-name-upper-case-and-space",
        replace(FIGURES_YAML, "\nname: figures\n", "\nname: Số Liệu\n"),
        expected={("figures", FIGURES_YAML, None, "name", "unsafe-name")},
    ),
    case(
        "package-name-with-a-dot",  # would collide with generated files (du-lieu/x.zip)
        replace(FIGURES_YAML, "\nname: figures\n", "\nname: figures.zip\n"),
        expected={("figures", FIGURES_YAML, None, "name", "unsafe-name")},
    ),
    case(
        "package-name-not-text",
        replace(FIGURES_YAML, "\nname: figures\n", "\nname: [figures]\n"),
        expected={("figures", FIGURES_YAML, None, "name", "descriptor-field-type")},
    ),
    case(
        "folder-name-unsafe",  # the folder names the dataset's address too
        lambda root: (root / "datasets/figures").rename(root / "datasets/Figures 2023"),
        expected={("Figures 2023", "datasets/Figures 2023", None, None, "unsafe-name")},
    ),
    case(
        "resource-name-traversal",  # frictionless' own pattern allows / and ..
        replace(FIGURES_YAML, "  - name: indicators\n", "  - name: ../../indicators\n"),
        expected={("figures", FIGURES_YAML, None, f"{IND}.name", "unsafe-name")},
    ),
    case(
        "resource-name-markup",
        replace(FIGURES_YAML, "  - name: indicators\n", '  - name: "x\\" onclick=\\"alert(1)"\n'),
        expected={("figures", FIGURES_YAML, None, f"{IND}.name", "unsafe-name")},
    ),
    case(
        # A member's id names its page (dia-phuong/<id>.md): "../" would write outside docs/, "index" would
        # replace the members' index. The fixture's schema pattern is removed to show the generator's own check.
        "member-ids-that-name-pages",
        replace(
            MEMBERS_YAML, 'constraints: {required: true, pattern: "[a-z][a-z-]*"}', "constraints: {required: true}"
        ),
        append(MEMBERS_CSV, "../../../escape,Escape,Huyện Escape,2025-07-01,example-2024-01-review\n"),
        append(MEMBERS_CSV, "index,Index,Huyện Index,2025-07-01,example-2024-01-review\n"),
        expected={("members", MEMBERS_CSV, 4, "id", "unsafe-name"), ("members", MEMBERS_CSV, 5, "id", "unsafe-name")},
    ),
]


# --- paths ------------------------------------------------------------------------------------------------------

PATH_CASES = [
    case(f"path-{kind}", ind_path(value), expected={("figures", FIGURES_YAML, None, f"{IND}.path", "unsafe-path")})
    for kind, value in [
        ("absolute", "/etc/passwd.csv"),
        ("dot-dot", "../members/members.csv"),
        ("dot-dot-inside", "sub/../indicators.csv"),
        ("dot-dot-last", "indicators.csv/.."),  # frictionless checks for "../" only: this one passes its rule
        ("file-url", "file:///etc/passwd.csv"),
        ("home", "~/indicators.csv"),
        ("variable", "$HOME/indicators.csv"),
        ("braced-variable", "${HOME}/indicators.csv"),
        ("windows-variable", "'%APPDATA%/indicators.csv'"),
        ("windows-drive", "'C:\\indicators.csv'"),
        ("backslash", "'..\\members\\members.csv'"),
    ]
] + [
    case(
        "path-with-nul",  # Python's open() raises ValueError on it: a traceback inside frictionless
        ind_path('"indicators\\0.csv"'),
        expected={
            ("figures", FIGURES_YAML, None, f"{IND}.path", "unsafe-path"),
            ("figures", FIGURES_YAML, None, f"{IND}.path", "control-character"),
        },
    ),
    case(
        "not-csv",
        indicators(path="indicators.xlsx", format="xlsx"),
        expected={("figures", FIGURES_YAML, None, f"{IND}.path", "unsupported-format")},
    ),
    case(
        "named-like-a-page",  # would be published as du-lieu/figures/index.md, over the dataset's page
        ind_path("index.md"),
        expected={("figures", FIGURES_YAML, None, f"{IND}.path", "unsupported-format")},
    ),
    case(
        "compressed",
        replace(FIGURES_YAML, "    path: indicators.csv\n", "    path: indicators.csv\n    compression: zip\n"),
        expected={("figures", FIGURES_YAML, None, f"{IND}.path", "unsupported-format")},
    ),
]


def symlink(target: str, link: str, outside: bool = True) -> Edit:
    """Replace ``link`` with a symbolic link to ``target`` (moved outside the project when ``outside``)."""

    def edit(root: Path) -> None:
        path = root / link
        if outside:
            away = root.parent / "outside" / Path(target).name
            away.parent.mkdir(exist_ok=True)
            shutil.move(root / target, away)
            os.symlink(away, path)
        else:
            os.symlink(root / target, path)

    return edit


def fifo(file: str) -> Edit:
    def edit(root: Path) -> None:
        (root / file).unlink()
        os.mkfifo(root / file)

    return edit


FILE_CASES = [
    case(
        "symlink-leading-outside",  # frictionless follows it: the site would publish whatever it points at
        symlink(INDICATORS_CSV, INDICATORS_CSV),
        expected={("figures", INDICATORS_CSV, None, None, "unsafe-path")},
    ),
    case(
        "symlinked-descriptor",
        symlink(FIGURES_YAML, FIGURES_YAML),
        expected={("figures", FIGURES_YAML, None, None, "unsafe-path")},
    ),
    case(
        "symlinked-dataset-folder",
        symlink("datasets/figures", "datasets/figures"),
        expected={("figures", "datasets/figures", None, None, "unsafe-path")},
    ),
    case(
        "pipe-as-data-file",  # reading a pipe blocks for ever
        fifo(INDICATORS_CSV),
        expected={("figures", INDICATORS_CSV, None, None, "unsafe-path")},
    ),
    case(
        "folder-as-data-file",
        lambda root: ((root / INDICATORS_CSV).unlink(), (root / INDICATORS_CSV).mkdir()),
        expected={("figures", INDICATORS_CSV, None, None, "unsafe-path")},
    ),
    case(
        "missing-file",  # frictionless: scheme-error "[Errno 2] No such file or directory: '/abs/path'"
        lambda root: (root / FIGURES_CSV).unlink(),
        expected={("figures", FIGURES_CSV, None, None, "missing-file")},
    ),
    case(
        "empty-file",
        write_bytes(FIGURES_CSV, b""),
        expected={("figures", FIGURES_CSV, None, None, "empty-file")},
    ),
    case(
        "blank-file",
        write_bytes(FIGURES_CSV, b"\n\n  \n"),
        expected={("figures", FIGURES_CSV, None, None, "empty-file")},
    ),
]


# --- remote references: refused, and no network access at all --------------------------------------------------

REMOTE_CASES = [
    case(
        "remote-path-https",
        ind_path("https://example.org/indicators.csv"),
        expected={("figures", FIGURES_YAML, None, f"{IND}.path", "remote-reference")},
    ),
    case(
        "remote-path-http",
        ind_path("http://example.org/indicators.csv"),
        expected={("figures", FIGURES_YAML, None, f"{IND}.path", "remote-reference")},
    ),
    case(
        "remote-path-no-scheme",
        ind_path("//example.org/indicators.csv"),
        expected={("figures", FIGURES_YAML, None, f"{IND}.path", "remote-reference")},
    ),
    case(
        "remote-scheme",
        replace(FIGURES_YAML, "    path: indicators.csv\n", "    path: indicators.csv\n    scheme: https\n"),
        expected={("figures", FIGURES_YAML, None, f"{IND}.scheme", "remote-reference")},
    ),
    case(
        "remote-schema",  # frictionless fetches it while it builds the Package
        replace(
            FIGURES_YAML,
            "    schema:\n      primaryKey: [id]\n",
            "    schema: https://example.org/schema.json\n    x:\n",
        ),
        expected={("figures", FIGURES_YAML, None, f"{IND}.schema", "remote-reference")},
    ),
    case(
        "remote-dialect",
        replace(
            FIGURES_YAML,
            "    path: indicators.csv\n",
            "    path: indicators.csv\n    dialect: https://example.org/d.json\n",
        ),
        expected={("figures", FIGURES_YAML, None, f"{IND}.dialect", "remote-reference")},
    ),
    case(
        "remote-package-profile",  # frictionless fetches any profile it does not know by name
        replace(FIGURES_YAML, "\nname: figures\n", "\nname: figures\nprofile: https://example.org/profile.json\n"),
        expected={("figures", FIGURES_YAML, None, "profile", "unsupported-profile")},
    ),
    case(
        "fiscal-profile",  # a name, but frictionless maps it to a URL and fetches it
        replace(FIGURES_YAML, "\nname: figures\n", "\nname: figures\nprofile: fiscal-data-package\n"),
        expected={("figures", FIGURES_YAML, None, "profile", "unsupported-profile")},
    ),
    case(
        "local-profile",  # read from a path relative to the working directory, not the dataset
        replace(FIGURES_YAML, "\nname: figures\n", "\nname: figures\nprofile: ../../../etc/profile.json\n"),
        expected={("figures", FIGURES_YAML, None, "profile", "unsupported-profile")},
    ),
    case(
        "remote-resource-profile",
        replace(
            FIGURES_YAML,
            "    path: indicators.csv\n",
            "    path: indicators.csv\n    profile: https://example.org/r.json\n",
        ),
        expected={("figures", FIGURES_YAML, None, f"{IND}.profile", "unsupported-profile")},
    ),
    case(
        "custom-dollar-schema",
        replace(
            FIGURES_YAML,
            "$schema: https://datapackage.org/profiles/2.0/datapackage.json",
            "$schema: https://example.org/p.json",
        ),
        expected={("figures", FIGURES_YAML, None, "$schema", "unsupported-profile")},
    ),
    case(
        "remote-foreign-key-package",
        replace(
            FIGURES_YAML,
            "reference: {package: members,",
            "reference: {package: 'https://example.org/datapackage.json',",
        ),
        expected={
            ("figures", FIGURES_YAML, None, "resources[0].schema.foreignKeys[0].reference.package", "remote-reference")
        },
    ),
]


# --- CSV content ----------------------------------------------------------------------------------------------

FIGURES_TEXT = (VALID / FIGURES_CSV).read_text(encoding="utf-8")
INDICATORS_LATIN_1 = "id,title\nproduction-value,Réunion\nsown-area,Côte d'Ivoire\nplan-share,Curaçao\n"

TEXT_CASES = (
    [
        case(
            "windows-1258",  # what Excel on a Vietnamese Windows saves as "CSV"; the descriptor says utf-8
            write_bytes(FIGURES_CSV, cp1258(FIGURES_TEXT)),
            expected={("figures", FIGURES_CSV, 2, None, "not-utf-8")},
        ),
        case(
            "latin-1-undeclared",  # no encoding declared: frictionless guesses and reads it without a word
            indicators(encoding=None),
            write_bytes(INDICATORS_CSV, INDICATORS_LATIN_1.encode("latin-1")),
            expected={("figures", INDICATORS_CSV, 2, None, "not-utf-8")},
        ),
        case(
            # Declared, so it is read; but Windows-1258 writes tone marks apart, and the text is not NFC.
            "windows-1258-declared",
            indicators(encoding="windows-1258"),
            write_bytes(INDICATORS_CSV, cp1258((VALID / INDICATORS_CSV).read_text(encoding="utf-8"))),
            expected={("figures", INDICATORS_CSV, line, "title", "text-not-nfc") for line in (2, 3, 4)},
        ),
        case(
            "nfd-cell",
            replace(MEMBERS_CSV, "Thị xã Đăk Beta", nfd("Thị xã Đăk Beta")),
            expected={("members", MEMBERS_CSV, 3, "official_name", "text-not-nfc")},
        ),
        case(
            "nfd-descriptor",
            replace(FIGURES_YAML, "\ntitle: Số liệu\n", f"\ntitle: {nfd('Số liệu')}\n"),
            expected={("figures", FIGURES_YAML, None, "title", "text-not-nfc")},
        ),
        case(
            "control-character-cell",
            replace(SOURCES_CSV, "Tổng kết Cụm", "Tổng kết\x07 Cụm"),
            expected={("sources", SOURCES_CSV, 2, "title", "control-character")},
        ),
        case(
            "escape-sequence-cell",  # an ANSI escape would recolour or rewrite the maintainer's terminal
            replace(SOURCES_CSV, "Báo Ví Dụ", "Báo \x1b[2J\x1b[31mVí Dụ"),
            expected={("sources", SOURCES_CSV, 2, "publisher", "control-character")},
        ),
        case(
            "c1-control-cell",
            replace(SOURCES_CSV, "Báo Ví Dụ", "Báo\x85Ví Dụ"),
            expected={("sources", SOURCES_CSV, 2, "publisher", "control-character")},
        ),
        case(
            "bidi-override-cell",
            replace(SOURCES_CSV, "Báo Ví Dụ", "Báo \u202eụD íV"),
            expected={("sources", SOURCES_CSV, 2, "publisher", "bidi-control")},
        ),
        case(
            "bidi-isolate-cell",
            replace(SOURCES_CSV, "Báo Ví Dụ", "Báo \u2067Ví Dụ\u2069"),
            expected={("sources", SOURCES_CSV, 2, "publisher", "bidi-control")},
        ),
        case(
            "zero-width-space-cell",
            replace(SOURCES_CSV, "Báo Ví Dụ", "Báo Ví\u200b Dụ"),
            expected={("sources", SOURCES_CSV, 2, "publisher", "zero-width-character")},
        ),
        case(
            "byte-order-mark-inside-a-cell",
            replace(SOURCES_CSV, "Báo Ví Dụ", "Báo \ufeffVí Dụ"),
            expected={("sources", SOURCES_CSV, 2, "publisher", "zero-width-character")},
        ),
        case(
            "zero-width-joiner-in-a-key",  # "alpha" and "al\u200dpha" look the same and are different keys
            replace(FIGURES_CSV, "2023,beta,plan-share,", "2023,be\u200dta,plan-share,"),
            expected={
                ("figures", FIGURES_CSV, 5, "member_id", "zero-width-character"),
                ("figures", FIGURES_CSV, 5, "member_id", "foreign-key"),
            },
        ),
        case(
            "bidi-in-descriptor",
            replace(FIGURES_YAML, "    title: Danh mục chỉ tiêu\n", '    title: "Danh mục \\u202echỉ tiêu"\n'),
            expected={("figures", FIGURES_YAML, None, f"{IND}.title", "bidi-control")},
        ),
        case(
            "control-in-descriptor",
            replace(FIGURES_YAML, "    title: Danh mục chỉ tiêu\n", '    title: "Danh mục \\e[31mchỉ tiêu"\n'),
            expected={("figures", FIGURES_YAML, None, f"{IND}.title", "control-character")},
        ),
    ]
    + [
        case(
            f"formula-{name}",
            replace(SOURCES_CSV, "Tổng kết Cụm thi đua năm 2023", value),
            expected={("sources", SOURCES_CSV, 2, "title", "spreadsheet-formula")},
        )
        for name, value in [
            ("equals", '"=HYPERLINK(""https://example.org"",""x"")"'),
            ("at", "@SUM(1+1)*cmd|' /C calc'!A0"),
            ("plus", "+cmd|' /C calc'!A0"),
            ("minus", "-2+3+cmd|' /C calc'!A0"),
            ("minus-word", "- ghi chú"),
            ("tab", '"\t=1+1"'),
            ("carriage-return", '"\r=1+1"'),
        ]
    ]
    + [
        case(
            "formula-field-name",  # the field name is also the CSV header a spreadsheet reads
            replace(FIGURES_YAML, "        - name: title\n", "        - name: =title\n"),
            replace(INDICATORS_CSV, "id,title\n", "id,=title\n"),
            expected={("figures", FIGURES_YAML, None, f"{IND}.schema.fields[1].name", "spreadsheet-formula")},
        ),
    ]
)

ALL_CASES = DESCRIPTOR_CASES + NAME_CASES + PATH_CASES + FILE_CASES + REMOTE_CASES + TEXT_CASES


@pytest.mark.parametrize("case", ALL_CASES, ids=[c.id for c in ALL_CASES])
def test_bad_input_is_named(case: Case, tmp_path: Path, no_network: list[object], deadline: None) -> None:
    root = variant(tmp_path, *case.edits)
    start = time.perf_counter()
    found = errors(root)
    assert time.perf_counter() - start < 20
    expected = case.expected(root) if callable(case.expected) else case.expected
    assert found == expected
    assert no_network == [], "the check tried to use the network"


@pytest.mark.parametrize("case", DESCRIPTOR_CASES, ids=[c.id for c in DESCRIPTOR_CASES])
def test_without_libyaml_descriptors_are_read_alike(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, deadline: None
) -> None:
    """The C loader (libyaml, used when PyYAML has it) and the pure-Python one refuse the same things, at the
    same lines, with the same codes: the descriptor cases read once more without libyaml."""
    monkeypatch.setattr(guard_parse, "_C_LOADER", None)
    root = variant(tmp_path, *case.edits)
    expected = case.expected(root) if callable(case.expected) else case.expected
    assert errors(root) == expected


def test_libyaml_is_used_where_pyyaml_has_it() -> None:
    assert guard_parse._C_LOADER is (yaml.CSafeLoader if yaml.__with_libyaml__ else None)


# --- what is not a problem -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["-", "+", "-5", "+84 912 345 678", "-0,5%", "−5 (a minus sign)", "a = b", "x - y", "2.735,764 tỷ đồng"],
)
def test_text_a_spreadsheet_shows_as_it_is_is_fine(value: str, tmp_path: Path) -> None:
    root = variant(tmp_path, replace(SOURCES_CSV, "Tổng kết Cụm thi đua năm 2023", f'"{value}"'))
    assert errors(root) == set()


def test_numbers_in_number_fields_are_never_formulas(tmp_path: Path) -> None:
    """``value`` is a number field: a negative figure is a number, not text (its range check still applies)."""
    root = variant(tmp_path, replace(FIGURES_CSV, ",2735.764,", ",-2735.764,"))
    assert {t[-1] for t in errors(root)} <= {"constraint-error", "as-published-mismatch"}


def test_missing_title_license_and_schema_are_warnings(tmp_path: Path) -> None:
    root = variant(
        tmp_path,
        replace(FIGURES_YAML, "\ntitle: Số liệu\n", "\n"),
        replace(FIGURES_YAML, "licenses:\n  - name: CC-BY-4.0\n", "old_licenses:\n  - name: CC-BY-4.0\n"),
        replace(FIGURES_YAML, "    schema:\n      primaryKey: [id]\n", "    old_schema:\n      primaryKey: [id]\n"),
    )
    checked = check(root)
    assert_readable(checked.issues)
    warnings = {
        i.as_tuple() for i in checked.issues if i.severity is Severity.WARNING and i.code != "missing-english-title"
    }
    assert warnings == {
        ("figures", FIGURES_YAML, None, "title", "missing-title"),
        ("figures", FIGURES_YAML, None, "licenses", "missing-license"),
        ("figures", FIGURES_YAML, None, f"{IND}.schema", "missing-schema"),
    }
    assert checked.ok() and not checked.ok(strict=True)
    # the table without a schema still has its columns, inferred from the file
    indicators = next(r for d in checked.catalogue.datasets for r in d.resources if r.name == "indicators")
    assert indicators.field_names == ("id", "title") and len(indicators.rows) == 3


def test_only_web_addresses_are_published(tmp_path: Path) -> None:
    """A descriptor's addresses go into the DCAT catalogue, schema.org and links on the pages: a
    ``javascript:``, ``data:`` or other non-web address is an error naming the property (hostile cases)."""
    root = variant(
        tmp_path,
        replace(FIGURES_YAML, "\nlicenses:\n", "\nhomepage: javascript:alert(1)\nlicenses:\n"),
        replace(
            FIGURES_YAML,
            "    path: https://creativecommons.org/licenses/by/4.0/\n",
            "    path: data:text/html,<b>x</b>\n",
        ),
        replace(
            FIGURES_YAML,
            "\nlicenses:\n",
            "\nsources:\n  - {title: a, path: ' JaVaScRiPt:alert(2)'}\n  - {title: b, path: https://example.org/b}\n"
            "contributors:\n  - {title: c, path: vbscript:msgbox}\n  - {title: d, path: 'https:'}\n"
            "licenses:\n",
        ),
    )
    checked = check(root)
    assert_readable(checked.issues)
    unsafe = {i.as_tuple() for i in checked.issues if i.code == "unsafe-url"}
    assert unsafe == {
        ("figures", FIGURES_YAML, None, field, "unsafe-url")
        for field in ("homepage", "licenses[0].path", "sources[0].path", "contributors[0].path", "contributors[1].path")
    }
    assert all(i.is_error for i in checked.issues if i.code == "unsafe-url")
    assert check(root).catalogue is None or not checked.ok()  # nothing of it is built


def test_a_theme_must_be_one_of_the_eu_data_themes(tmp_path: Path) -> None:
    root = variant(tmp_path, replace(FIGURES_YAML, "\nlicenses:\n", "\nthemes: [ECON, ECONOMY]\nlicenses:\n"))
    checked = check(root)
    assert_readable(checked.issues)
    assert {i.as_tuple() for i in checked.issues if i.is_error} == {
        ("figures", FIGURES_YAML, None, "themes", "unknown-theme")
    }


def test_an_underscore_in_a_dataset_name_is_a_warning(tmp_path: Path) -> None:
    root = variant(
        tmp_path,
        replace(FIGURES_YAML, "\nname: figures\n", "\nname: figures_2023\n"),
        lambda root: (root / "datasets/figures").rename(root / "datasets/figures_2023"),
    )
    checked = check(root)
    assert not {i.as_tuple() for i in checked.issues if i.is_error}
    assert ("figures_2023", "datasets/figures_2023/datapackage.yaml", None, "name", "name-style") in {
        i.as_tuple() for i in checked.issues
    }


def test_a_declared_encoding_is_respected(tmp_path: Path) -> None:
    """A file in the encoding its resource declares is read as such: no problem to report."""
    text = (
        "id,publisher,title,url,published\n"
        "example-2024-01-review,Le Monde,Réunion annuelle,https://example.org/a.html,2024-01\n"
        "example-2024-01-23-portal,Portail,Côte d'Ivoire,https://example.org/b.html,2024-01-23\n"
    )
    root = variant(
        tmp_path,
        replace("datasets/sources/datapackage.yaml", "    encoding: utf-8\n", "    encoding: latin-1\n"),
        write_bytes(SOURCES_CSV, text.encode("latin-1")),
    )
    assert errors(root) == set()


# --- the pieces ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "named"),
    [
        (cp1258("alpha,Đak Pơ\n"), "Windows-1258"),  # too short for chardet
        (cp1258("Thị xã An Khê, tổng giá trị sản xuất 2.735,764 tỷ đồng\n"), "Windows-1258"),
        ("id,name\n1,Réunion\n2,Côte d'Ivoire\n".encode("latin-1"), "Latin-1"),
        ("Österreich, Müller Straße, Zürich\n".encode("cp1252"), "Windows-1252"),
        ("São Tomé e Príncipe\n".encode("latin-1"), "Latin-1"),  # ã is also Windows-1258's ă: not taken for it
        ("id,tên\n1,Đak Pơ\n".encode("utf-16"), "UTF-16"),
    ],
)
def test_the_likely_encoding_is_named(data: bytes, named: str) -> None:
    assert named in str(guard.likely_encoding(data))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", True),
        ("@A1", True),
        ("\t1", True),
        ("\r1", True),
        ("+1+1", True),
        ("-cmd", True),
        ("- x", True),
        ("-", False),
        ("+", False),
        ("-5", False),
        ("-5.5", False),
        ("-1,234.5", False),
        ("-0,5%", False),
        ("+84 912 345 678", False),
        ("5-3", False),
        ("a=1", False),
        ("", False),
    ],
)
def test_formula_rule(value: str, expected: bool) -> None:
    assert guard.is_formula(value) is expected


@pytest.mark.parametrize(
    "path",
    ["data.csv", "./data.csv", "sub/data.csv", "data-2023.csv", "dữ-liệu.csv"],
)
def test_plain_relative_paths_are_fine(path: str) -> None:
    assert guard.path_problem(path) is None


def test_messages_quote_invisible_characters_escaped() -> None:
    shown = guard.show("a\u202eb\x1b[31mc\u200bd\nx")
    assert shown == "'a\\u202eb\\x1b[31mc\\u200bd\\nx'"
    assert all(c.isprintable() for c in shown)
    assert guard.show("x" * 100).endswith("…'") and len(guard.show("x" * 100)) == 62


def test_many_problems_in_one_file_are_counted_not_listed(tmp_path: Path) -> None:
    rows = "".join(f"extra-{n},{nfd('Chỉ tiêu thử')} {n}\n" for n in range(30))
    root = variant(tmp_path, append(INDICATORS_CSV, rows))
    found = [i for i in check(root).issues if i.code == "text-not-nfc"]
    assert len(found) == guard.MAX_REPORTS_PER_FILE + 1
    assert [i.row for i in found[:3]] == [5, 6, 7]
    assert (found[-1].row, found[-1].field) == (None, None) and "10 more cells" in found[-1].message


# --- descriptors that must fail fast ------------------------------------------------------------------------------


def test_alias_bomb_fails_in_under_a_second(tmp_path: Path) -> None:
    bomb = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
        f"{new}: &{new} [{', '.join([f'*{old}'] * 9)}]\n" for old, new in zip("abcdefgh", "bcdefghi", strict=True)
    )
    path = tmp_path / "datapackage.yaml"
    path.write_text(bomb, encoding="utf-8")
    start = time.perf_counter()
    data, issues = parse_descriptor(path, tmp_path)
    assert time.perf_counter() - start < 1
    assert data is None and [i.as_tuple() for i in issues] == [(None, "datapackage.yaml", 2, None, "descriptor-syntax")]


def test_oversize_descriptor_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = variant(tmp_path)
    path = root / FIGURES_YAML
    path.write_text(path.read_text(encoding="utf-8") + "#" * guard.MAX_DESCRIPTOR_BYTES + "\n", encoding="utf-8")
    read: list[Path] = []
    original = Path.read_text

    def spy(self: Path, *args: Any, **kwargs: Any) -> str:
        read.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", spy)
    start = time.perf_counter()
    assert errors(root) == {("figures", FIGURES_YAML, None, None, "descriptor-too-large")}
    assert time.perf_counter() - start < 5
    assert path not in read


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ('{"name": "figures", "name": "x"}', "descriptor-duplicate-key"),
        ('{"name": "figures", "version": NaN}', "descriptor-syntax"),
        ('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}", "descriptor-syntax"),
        ('{"a": ' + "[" * 60 + "]" * 60 + "}", "descriptor-syntax"),  # under Python's limit, over ours
        ('{"version": ' + "9" * 5000 + "}", "descriptor-syntax"),
    ],
    ids=["duplicate-key", "nan", "very-deep", "deep", "long-integer"],
)
def test_json_descriptors(text: str, code: str, tmp_path: Path) -> None:
    root = variant(tmp_path, lambda root: (root / FIGURES_YAML).unlink())
    (root / "datasets/figures/datapackage.json").write_text(text, encoding="utf-8")
    start = time.perf_counter()
    assert errors(root) == {("figures", "datasets/figures/datapackage.json", None, None, code)}
    assert time.perf_counter() - start < 5


# --- frictionless on its own: what the guard is for ---------------------------------------------------------------


def test_frictionless_alone_would_fetch_a_remote_schema(tmp_path: Path, no_network: list[object]) -> None:
    """Why remote references are refused before frictionless sees the descriptor: the Package is built
    without a request, but the first look at the resource's schema (as the loader takes) fetches it. Offline,
    that was a FrictionlessException outside any ``try``: a traceback."""
    (tmp_path / "a.csv").write_text("id\n1\n", encoding="utf-8")
    descriptor = {"name": "p", "resources": [{"name": "a", "path": "a.csv", "schema": "https://example.org/s.json"}]}
    package = Package(descriptor, basepath=str(tmp_path))
    assert no_network == []
    with pytest.raises(FrictionlessException, match="cannot retrieve"):
        _ = package.resources[0].schema
    assert no_network, "frictionless no longer fetches remote schemas: the guard is still right to refuse them"
    assert any(
        i.code == "remote-reference"
        for i in guard.check_descriptor(descriptor, tmp_path / "datapackage.json", tmp_path)
    )


def test_frictionless_alone_accepts_a_traversing_resource_name(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("id\n1\n", encoding="utf-8")
    descriptor = {"name": "../../etc", "resources": [{"name": "../../a", "path": "a.csv"}]}
    assert Package(descriptor, basepath=str(tmp_path)).validate().valid
    codes = {(i.field, i.code) for i in guard.check_descriptor(descriptor, tmp_path / "datapackage.json", tmp_path)}
    assert {("name", "unsafe-name"), ("resources[0].name", "unsafe-name")} <= codes


# --- nothing lost ---------------------------------------------------------------------------------------------------


def tree(folder: Path) -> dict[str, tuple[str, bytes]]:
    """Every path under ``folder`` (links not followed), with its kind and content."""
    found: dict[str, tuple[str, bytes]] = {}
    for path in sorted(folder.rglob("*")):
        key = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[key] = ("link", os.readlink(path).encode())
        elif path.is_file():
            found[key] = ("file", path.read_bytes())
        else:
            found[key] = ("dir", b"")
    return found


ESCAPES: list[tuple[str, tuple[Edit, ...]]] = [
    ("package-name", (replace(MEMBERS_YAML, "\nname: members\n", "\nname: ../../../escape\n"),)),
    ("resource-name", (replace(FIGURES_YAML, "  - name: indicators\n", "  - name: ../../../../escape\n"),)),
    ("resource-path", (ind_path("../../../escape.csv"),)),
    ("resource-path-inside-out", (ind_path("../figures/../../../escape.csv"),)),
    (
        "member-id",  # the schema's pattern removed: the generator's own check must hold
        (
            replace(
                MEMBERS_YAML, 'constraints: {required: true, pattern: "[a-z][a-z-]*"}', "constraints: {required: true}"
            ),
            append(MEMBERS_CSV, "../../../escape,Escape,Huyện Escape,2025-07-01,example-2024-01-review\n"),
        ),
    ),
]


@pytest.mark.parametrize("edits", [e for _, e in ESCAPES], ids=[n for n, _ in ESCAPES])
def test_a_name_never_makes_the_build_write_outside_its_folders(edits: tuple[Edit, ...], tmp_path: Path) -> None:
    """Names that try to escape are refused first; the build writes nothing, and nothing outside docs/ and
    site/ changes (the folders around the project hold decoys a traversal would hit)."""
    outer = tmp_path / "outer"
    root = copy_project(outer / "a" / "b" / "project", VALID / "datasets")
    for edit in edits:
        edit(root)
    (outer / "escape.md").write_text("decoy", encoding="utf-8")
    (outer / "a" / "escape").mkdir()
    before = tree(outer)
    checked, report = build(root)
    assert report is None and not checked.ok()
    assert {i.code for i in checked.issues if i.is_error} & {"unsafe-name", "unsafe-path"}
    cache = "a/b/project/.cache"  # a refused build keeps nothing there (cache.workspace): at most the folder
    after = tree(outer)
    kept = {name for name in after if name == cache or name.startswith(cache + "/")}
    assert not [name for name in kept if after[name][0] != "dir"], sorted(kept)
    assert {k: v for k, v in after.items() if k not in kept} == before


def test_cli_prints_every_bad_input_escaped_and_without_traceback(tmp_path: Path) -> None:
    root = variant(
        tmp_path,
        replace(SOURCES_CSV, "Báo Ví Dụ", "Báo \u202eụD íV\x1b[2J"),
        replace(FIGURES_YAML, "\nversion: 1.0.0\n", "\nversion: !!python/object/apply:os.system [echo pwned]\n"),
        replace(MEMBERS_CSV, "Thị xã Đăk Beta", nfd("Thị xã Đăk Beta")),
    )
    shutil.copy2(Path(__file__).resolve().parent.parent / "mkdocs.yml", root / "mkdocs.yml")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), "validate"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "pwned" not in result.stdout
    assert "\u202e" not in result.stderr and "\x1b" not in result.stderr
    assert "\\u202e" in result.stderr and "\\x1b" in result.stderr
    for code in ("bidi-control", "control-character", "descriptor-tag", "text-not-nfc"):
        assert f"[{code}]" in result.stderr


# --- no traceback, whatever the descriptor holds --------------------------------------------------------------------

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)
_KEYS = [
    "name",
    "title",
    "path",
    "schema",
    "fields",
    "resources",
    "licenses",
    "type",
    "format",
    "encoding",
    "dialect",
    "profile",
    "$schema",
    "foreignKeys",
    "reference",
    "package",
    "primaryKey",
    "data",
    "scheme",
]
_DESCRIPTORISH = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from(["figures.csv", "x", "", "https://example.org/x", "../x.csv", "a.csv"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.sampled_from(_KEYS), children, max_size=5),
    max_leaves=25,
)


_FIELD = st.fixed_dictionaries(
    {"name": st.sampled_from(["id", "title", "x"])},
    optional={
        "type": st.sampled_from(["string", "integer", "number", "date", "boolean", "any", "bogus"]) | _DESCRIPTORISH,
        "constraints": st.dictionaries(st.sampled_from(["required", "enum", "pattern", "minimum"]), _DESCRIPTORISH),
        "title": _DESCRIPTORISH,
    },
)
# Mostly well-formed packages with one part fuzzed: these reach frictionless, the loader and the validator.
_PACKAGE = st.fixed_dictionaries(
    {
        "name": st.just("fuzz"),
        "resources": st.lists(
            st.fixed_dictionaries(
                {"name": st.sampled_from(["a", "b"]), "path": st.sampled_from(["figures.csv", "a.csv"])},
                optional={
                    "schema": st.fixed_dictionaries(
                        {"fields": st.lists(_FIELD, max_size=3)},
                        optional={"primaryKey": _DESCRIPTORISH, "foreignKeys": _DESCRIPTORISH},
                    )
                    | _DESCRIPTORISH,
                    "dialect": _DESCRIPTORISH,
                    "encoding": st.sampled_from(["utf-8", "latin-1", "utf-16", "bogus"]),
                    "format": st.sampled_from(["csv", "CSV", "json"]),
                    "title": _DESCRIPTORISH,
                },
            ),
            min_size=1,
            max_size=2,
        ),
    },
    optional={"title": _DESCRIPTORISH, "licenses": _DESCRIPTORISH, "keywords": _DESCRIPTORISH},
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(descriptor=st.one_of(_PACKAGE, _DESCRIPTORISH, _JSON))
def test_any_descriptor_gives_issues_not_a_traceback(
    descriptor: object, tmp_path: Path, no_network: list[object]
) -> None:
    root = tmp_path / "fuzz"
    folder = root / "datasets" / "fuzz"
    shutil.rmtree(root, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / "figures.csv").write_text("id,title\n1,x\n", encoding="utf-8")
    (folder / "a.csv").write_text("", encoding="utf-8")
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    loaded, issues = load_catalogue(root)
    issues += validate(loaded, root).issues
    assert_readable(issues)
    assert no_network == []


_CSV_DESCRIPTOR = {
    "name": "fuzz",
    "title": "Fuzz",
    "licenses": [{"name": "CC-BY-4.0"}],
    "resources": [
        {
            "name": "a",
            "path": "a.csv",
            "schema": {
                "fields": [{"name": "id", "type": "integer"}, {"name": "title", "type": "string"}],
                "primaryKey": ["id"],
            },
        },
        {"name": "b", "path": "b.csv"},  # no schema: inferred
    ],
}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.one_of(
        st.binary(max_size=120),
        st.text(max_size=120).map(lambda t: t.encode("utf-8")),
        st.lists(st.lists(st.text(max_size=8), max_size=4), max_size=5).map(
            lambda rows: "\n".join(",".join(r) for r in [["id", "title"], *rows]).encode("utf-8")
        ),
    )
)
def test_any_csv_gives_issues_not_a_traceback(data: bytes, tmp_path: Path) -> None:
    folder = tmp_path / "fuzz-csv" / "datasets" / "fuzz"
    shutil.rmtree(folder.parent.parent, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / "datapackage.json").write_text(json.dumps(_CSV_DESCRIPTOR), encoding="utf-8")
    (folder / "a.csv").write_bytes(data)
    (folder / "b.csv").write_bytes(data)
    checked = check(folder.parent.parent)
    assert_readable(checked.issues)


def test_half_a_surrogate_pair_in_a_descriptor(tmp_path: Path) -> None:
    """A YAML or JSON escape can write half a UTF-16 pair (``\\ud800``): not a character; no UTF-8 page holds it."""
    root = variant(tmp_path, replace(FIGURES_YAML, "\ntitle: Số liệu\n", '\ntitle: "Số liệu \\uD800"\n'))
    assert errors(root) == {("figures", FIGURES_YAML, None, "title", "control-character")}


def test_frictionless_never_runs_trusted() -> None:
    """``trusted=True`` turns frictionless' own path checks off: the generator never passes it."""
    sources = (Path(__file__).resolve().parent.parent / "generator").rglob("*.py")
    assert not [p.name for p in sources if re.search(r"\btrusted\s*=", p.read_text(encoding="utf-8"))]


def test_a_problem_repeated_down_a_column_is_reported_on_every_row(tmp_path: Path) -> None:
    """The guard checks each distinct clean text of a file once (``data.CLEAN_TEXTS``); a text with a problem is
    never taken for clean, so every row that holds it is reported."""
    root = variant(
        tmp_path,
        replace(SOURCES_CSV, "Tổng kết Cụm thi đua năm 2023", "=1+1"),
        replace(SOURCES_CSV, "Hội nghị tổng kết năm 2023", "=1+1"),
        replace(SOURCES_CSV, "Báo Ví Dụ", "CẦN SỬA"),
        replace(SOURCES_CSV, "Cổng thông tin Ví Dụ", "CẦN SỬA"),
    )
    found = {t for t in errors(root) if t[1] == SOURCES_CSV}
    assert found == {
        ("sources", SOURCES_CSV, row, field, code)
        for row in (2, 3)
        for field, code in (("title", "spreadsheet-formula"), ("publisher", "placeholder"))
    }
