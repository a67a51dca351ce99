"""Problems as GitHub Actions workflow commands, so that each appears as an annotation on its file and line.

A workflow command is one line, ``::error file=F,line=N,title=T::MESSAGE``, read by the runner from a step's
output. Values are escaped as the runner unescapes them (``%`` ``\\r`` ``\\n`` in the message; also ``:`` and
``,`` in a property), so that a value from a data file can neither end the line (and start a command of its
own) nor add a property. Text that is not meant as commands but quotes data (the problem listing, the
``diff`` report) is printed between ``stop-commands`` markers (``inert``).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping

from generator.issues import Issue


def enabled(flag: bool, environ: Mapping[str, str] | None = None) -> bool:
    """Whether to print annotations: asked for (``--github``), or running in GitHub Actions."""
    env = os.environ if environ is None else environ
    return flag or env.get("GITHUB_ACTIONS") == "true"


def inert(text: str) -> str:
    """``text`` between ``::stop-commands::<token>`` and ``::<token>::``: the runner runs no workflow command
    in it (a line starting with ``::``, or holding ``##[``, from a dataset's title or a cell). The token is
    random, so the text cannot guess it and end the quiet part early."""
    token = secrets.token_hex(16)
    body = text if text.endswith("\n") else text + "\n"
    return f"::stop-commands::{token}\n{body}::{token}::\n"


def escape_data(value: str) -> str:
    """A workflow command's message, escaped per GitHub's rules; other control characters as escapes."""
    escaped = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return _visible(escaped)


def escape_property(value: str) -> str:
    """A workflow command's property value (``file=``, ``title=``): the message's rules plus ``:`` and ``,``."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def annotation(issue: Issue) -> str:
    """``::error file=<path>,line=<row>,title=<code>::<message> — <hint>`` (``::warning`` for a warning)."""
    properties = [f"file={escape_property(issue.file)}"]
    if issue.row is not None:
        properties.append(f"line={issue.row}")
    properties.append(f"title={escape_property(issue.code)}")
    command = "error" if issue.is_error else "warning"
    return f"::{command} {','.join(properties)}::{escape_data(f'{issue.message} — {issue.hint}')}"


def _visible(text: str) -> str:
    """Control and invisible characters (other than the space) written as ``\\x..`` escapes: a message
    cannot move the cursor or colour the log."""
    return "".join(c if c.isprintable() or c == " " else c.encode("unicode_escape").decode("ascii") for c in text)
