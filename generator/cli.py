"""The command line: ``python -m generator build|validate|serve``."""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Sequence
from itertools import groupby
from pathlib import Path
from typing import TextIO

from generator import __version__, config
from generator.build import Checked, build, check, write_pages
from generator.issues import Issue, sort_issues
from generator.site import SiteBuildError


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="python -m generator",
        description="Validate the Data Packages in datasets/ and publish them as a static website.",
    )
    top.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    top.add_argument(
        "--root",
        type=Path,
        default=Path.cwd(),
        help="repository root holding datasets/, docs/ and mkdocs.yml (default: current folder)",
    )
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, text in (
        ("build", "validate every dataset, write the pages and build the website into site/"),
        ("validate", "validate every dataset and report every problem; writes nothing"),
        ("serve", "validate, write the pages, then preview the site with `mkdocs serve`"),
    ):
        command = commands.add_parser(name, help=text, description=text[0].upper() + text[1:] + ".")
        command.add_argument("--strict", action="store_true", help="treat warnings as errors")
    commands.choices["serve"].add_argument(
        "--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: 127.0.0.1:8000)"
    )
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    root: Path = args.root.resolve()
    if args.command == "validate":
        checked = check(root)
        print_issues(checked.issues, sys.stderr)
        return _status(checked, args.strict, "All datasets are valid.")
    if args.command == "build":
        try:
            checked, report = build(root, args.strict)
        except SiteBuildError as exc:
            print(f"error: the site was not built; docs/ and site/ are unchanged.\n{exc}", file=sys.stderr)
            return 1
        print_issues(checked.issues, sys.stderr)
        if report is None:
            print("The site was not built; docs/ and site/ are unchanged.", file=sys.stderr)
            return 1
        print(
            f"Built {config.SITE_DIR}/ ({len(report.written)} generated files written, "
            f"{len(report.removed)} removed, {report.unchanged} unchanged)."
        )
        return 0
    checked, report = write_pages(root, args.strict)
    print_issues(checked.issues, sys.stderr)
    if report is None:
        return 1
    return subprocess.call([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", args.dev_addr], cwd=root)


def _status(checked: Checked, strict: bool, success: str) -> int:
    if checked.ok(strict):
        print(success)
        return 0
    return 1


def print_issues(issues: list[Issue], out: TextIO) -> None:
    """Every problem, grouped by file, then a count."""
    if not issues:
        return
    for file, group in groupby(sort_issues(issues), key=lambda i: i.file):
        print(file, file=out)
        for issue in group:
            where = ", ".join(
                p for p in (f"row {issue.row}" if issue.row else "", f"field {issue.field}" if issue.field else "") if p
            )
            prefix = f"  {where}: " if where else "  "
            print(f"{prefix}{issue.severity.value} [{issue.code}] {_printable(issue.message)}", file=out)
            print(f"    hint: {_printable(issue.hint)}", file=out)
    n_errors = sum(1 for i in issues if i.is_error)
    n_warnings = len(issues) - n_errors
    n_files = len({i.file for i in issues})
    print(f"{n_errors} error(s), {n_warnings} warning(s) in {n_files} file(s).", file=out)


def _printable(text: str) -> str:
    """Control and invisible characters written as escapes, so a message cannot spoof the terminal."""
    return "".join(c if c.isprintable() or c == " " else c.encode("unicode_escape").decode("ascii") for c in text)
