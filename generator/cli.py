"""The command line: ``python -m generator build|validate|serve|diff|new``."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from itertools import groupby
from pathlib import Path
from typing import TextIO

from generator import __version__, config, scaffold, timings, workflow_commands
from generator.build import Checked, build, validate_only, write_pages
from generator.i18n import LANGUAGES
from generator.issues import Issue, Message, Severity, msg, sort_issues
from generator.publish.site import SiteBuildError
from generator.read.site_info import load_site_info

# The locale variables that choose the language of messages, in gettext's order of precedence.
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

# What the command line itself says around the problems (``validate`` domain, like the problems).
SEVERITY = {Severity.ERROR: msg("error"), Severity.WARNING: msg("warning")}
ROW = msg("row {row}")
FIELD = msg("field {field}")
HINT = msg("hint: {hint}")
SUMMARY = msg("{errors} error(s), {warnings} warning(s) in {files} file(s).")
VALID = msg("All datasets are valid.")
REUSED = msg(
    "{checked} dataset(s) checked; {reused} unchanged since they were last checked (their problems, if any, "
    "come from .cache/validate/)."
)
UP_TO_DATE = msg(
    "Nothing changed since the last build of {folder}/ (same datasets, pages, settings and generator): nothing "
    "was read or built again; any problems below are those that build found."
)
NOT_BUILT = msg("The site was not built; docs/ and site/ are unchanged.")
BUILD_FAILED = msg("error: the site was not built; docs/ and site/ are unchanged.")
BUILT = msg("Built {folder}/ ({written} generated files written, {removed} removed, {unchanged} unchanged).")
NO_ADDRESS = msg(
    "warning: SITE_URL is not set, so this build knows no public address: the sitemaps are empty and "
    "robots.txt names none, og:url is left out, and og:image, the DCAT catalogue, schema.org, the feed and "
    "the charts' embed snippets use addresses relative to the site, which link previews, harvesters and other "
    "sites cannot follow. Set SITE_URL to the public address (https://...) when building the site to publish."
)


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
        command.add_argument(
            "--lang",
            choices=LANGUAGES,
            default=None,
            help="language of the problems' messages and hints: vi (Vietnamese) or en (English). Default: from "
            "the locale, the first of LANGUAGE, LC_ALL, LC_MESSAGES and LANG that is set: Vietnamese if it "
            "starts with vi (e.g. LANG=vi_VN.UTF-8), otherwise English. Codes, files, rows and fields are the "
            "same in both",
        )
    for name in ("validate", "build"):
        commands.choices[name].add_argument(
            "--github",
            action="store_true",
            help="also print each problem as a GitHub Actions annotation (::error file=...,line=...::); "
            "automatic when GITHUB_ACTIONS=true",
        )
    commands.choices["build"].add_argument(
        "--timings",
        type=Path,
        metavar="FILE",
        help="write to FILE, as JSON, the wall time and CPU time of each stage of the build (load, validate, "
        "render, stage, mkdocs, publish), the processes it started included",
    )
    commands.choices["serve"].add_argument(
        "--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: 127.0.0.1:8000)"
    )
    text = (
        "report, as Markdown, what changed in the data between a git revision and the working tree: per "
        "resource the rows added, removed and changed (each changed cell with its old and new value), "
        "descriptor changes, and figures that moved by more than a threshold"
    )
    compare = commands.add_parser("diff", help=text, description=text[0].upper() + text[1:] + ".")
    compare.add_argument(
        "base",
        nargs="?",
        metavar="BASE",
        help="git revision to compare with (default: the merge base of HEAD with main, or origin/main; "
        "without either, HEAD)",
    )
    compare.add_argument(
        "--threshold",
        type=_percent,
        default=config.DIFF_THRESHOLD,
        metavar="PERCENT",
        help=f"list figures that moved by more than this share of their old value (default: {config.DIFF_THRESHOLD}%%)",
    )
    compare.add_argument(
        "--output", type=Path, metavar="FILE", help="write the report to FILE instead of the standard output"
    )
    compare.epilog = "When GITHUB_STEP_SUMMARY is set (in GitHub Actions), the report is also appended to that file."
    text = (
        "create datasets/NAME/ with a descriptor and CSV files holding placeholders, and say what to fill in "
        "(validate lists every placeholder left)"
    )
    new = commands.add_parser("new", help=text, description=text[0].upper() + text[1:] + ".")
    new.add_argument("name", metavar="NAME", help="the dataset's name: lower-case letters, digits and hyphens")
    return top


def _percent(value: str) -> Decimal:
    """``10`` or ``10%``: a share in per cent, not negative."""
    try:
        share = Decimal(value.strip().removesuffix("%"))
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"{value!r} is not a percentage (e.g. 10 or 2.5%)") from None
    if not share.is_finite() or share < 0:
        raise argparse.ArgumentTypeError(f"{value!r} is not a percentage (e.g. 10 or 2.5%)")
    return share


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    root: Path = args.root.resolve()
    if args.command == "diff":
        return _diff(root, args.base, args.threshold, args.output)
    if args.command == "new":
        return _new(root, args.name)
    github = workflow_commands.enabled(getattr(args, "github", False))
    lang: str = args.lang or default_language()
    if args.command == "validate":
        checked = validate_only(root)
        if checked.reused:
            print(REUSED.fill(checked=len(checked.checked), reused=len(checked.reused)).render(lang), file=sys.stderr)
        print_issues(checked.issues, sys.stderr, github, lang)
        return _status(checked, args.strict, VALID.render(lang))
    if args.command == "build":
        since = len(timings.taken())
        try:
            checked, report = build(root, args.strict)
        except SiteBuildError as exc:
            print(f"{BUILD_FAILED.render(lang)}\n{exc}", file=sys.stderr)
            return 1
        finally:
            if args.timings is not None:
                args.timings.write_text(timings.to_json(timings.taken(since)), encoding="utf-8")
        if checked.up_to_date:
            print(UP_TO_DATE.fill(folder=config.SITE_DIR).render(lang), file=sys.stderr)
        print_issues(checked.issues, sys.stderr, github, lang)
        if report is None:
            print(NOT_BUILT.render(lang), file=sys.stderr)
            return 1
        built = BUILT.fill(
            folder=config.SITE_DIR,
            written=len(report.written),
            removed=len(report.removed),
            unchanged=report.unchanged,
        )
        print(built.render(lang))
        if not load_site_info(root).url:
            print(NO_ADDRESS.render(lang), file=sys.stderr)
        return 0
    checked, report = write_pages(root, args.strict)
    print_issues(checked.issues, sys.stderr, github, lang)
    if report is None:
        return 1
    return subprocess.call([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", args.dev_addr], cwd=root)


def default_language(environ: Mapping[str, str] | None = None) -> str:
    """``"vi"`` when the locale asks for Vietnamese, else ``"en"``: the first of ``LANGUAGE`` (a list such
    as ``vi:en``), ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that is set decides, as gettext does."""
    env = os.environ if environ is None else environ
    for variable in LOCALE_VARIABLES:
        value = env.get(variable, "").split(":")[0].strip()
        if value:
            return "vi" if value.lower().startswith("vi") else "en"
    return "en"


def _status(checked: Checked, strict: bool, success: str) -> int:
    if checked.ok(strict):
        print(success)
        return 0
    return 1


def _diff(root: Path, base: str | None, threshold: Decimal, output: Path | None) -> int:
    from generator import diff  # reads data with frictionless: imported by this command only

    try:
        report = diff.markdown(diff.compare(root, base, threshold))
    except diff.DiffError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if output is not None:
        output.write_text(report, encoding="utf-8")
    elif workflow_commands.enabled(False):
        sys.stdout.write(workflow_commands.inert(report))  # the report quotes data: never a workflow command
    else:
        sys.stdout.write(report)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(report + "\n")
    return 0


def _new(root: Path, name: str) -> int:
    try:
        created = scaffold.create(root, name)
    except (scaffold.ScaffoldError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(scaffold.instructions(created))
    return 0


def print_issues(issues: list[Issue], out: TextIO, github: bool = False, lang: str = "en") -> None:
    """Every problem, grouped by file, then a count, in ``lang`` (``"en"`` or ``"vi"``: the code, file, row
    and field are the same in both). With ``github``, each problem is also printed to the standard output as
    a GitHub Actions workflow command (an annotation on its file and line), in the same language."""
    if not issues:
        return
    ordered = [issue.localized(lang) for issue in sort_issues(issues)]
    if github:
        for issue in ordered:
            print(workflow_commands.annotation(issue))
        sys.stdout.flush()  # the annotations before the listing, which the runner reads as plain text
    lines = []
    for file, group in groupby(ordered, key=lambda i: i.file):
        lines.append(_printable(file))
        for issue in group:
            places: list[Message] = []
            if issue.row:
                places.append(ROW.fill(row=issue.row))
            if issue.field:
                places.append(FIELD.fill(field=issue.field))
            where = ", ".join(place.render(lang) for place in places)
            prefix = f"  {where}: " if where else "  "
            severity = SEVERITY[issue.severity].render(lang)
            lines.append(_printable(f"{prefix}{severity} [{issue.code}] {issue.message}"))
            lines.append(f"    {_printable(HINT.fill(hint=issue.hint).render(lang))}")
    n_errors = sum(1 for i in issues if i.is_error)
    summary = SUMMARY.fill(errors=n_errors, warnings=len(issues) - n_errors, files=len({i.file for i in issues}))
    lines.append(summary.render(lang))
    text = "\n".join(lines) + "\n"
    # In Actions the listing quotes values from data files: no line of it may be run as a workflow command
    out.write(workflow_commands.inert(text) if github else text)


def _printable(text: str) -> str:
    """Control and invisible characters written as escapes, so a message cannot spoof the terminal."""
    return "".join(c if c.isprintable() or c == " " else c.encode("unicode_escape").decode("ascii") for c in text)
