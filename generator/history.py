"""What changed in each dataset, and when, read from the repository's history (git), never typed by hand.

One ``git log`` over ``datasets/`` gives every commit with the files it touched; each commit is listed under
the datasets whose folder it touched. Outside a git repository (an exported copy) there is no history, and
the site says so.
"""

from __future__ import annotations

import datetime
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from generator import config

_RECORD = "\x1e"  # separates commits in the log output
_FIELD = "\x1f"  # separates a commit's fields


@dataclass(frozen=True)
class Change:
    """One commit that touched a dataset's folder."""

    commit: str  # abbreviated hash
    date: datetime.date  # the commit's author date
    subject: str  # the first line of its message


def _git(root: Path, *args: str) -> str:
    try:
        result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout if result.returncode == 0 else ""


def dataset_histories(root: Path) -> Mapping[str, tuple[Change, ...]]:
    """Dataset folder name -> its changes, newest first. Empty unless ``root`` is the top of a git work tree
    (a folder inside another repository, such as a test fixture, has no history of its own)."""
    if _git(root, "rev-parse", "--show-toplevel").strip() != str(root.resolve()):
        return {}
    try:
        result = subprocess.run(
            [
                "git",
                "log",
                f"--format={_RECORD}%h{_FIELD}%as{_FIELD}%s",
                "--name-only",
                "--no-renames",
                "--relative",
                "--",
                config.DATASETS_DIR,
            ],
            cwd=root,
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
            timeout=120,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    if result.returncode != 0:
        return {}
    histories: dict[str, list[Change]] = {}
    for record in result.stdout.split(_RECORD)[1:]:
        head, _, names = record.partition("\n")
        commit, date, subject = head.split(_FIELD, 2)
        change = Change(commit, datetime.date.fromisoformat(date), subject.strip())
        folders = {Path(name).parts[1] for name in names.splitlines() if len(Path(name).parts) > 2}
        for folder in sorted(folders):
            histories.setdefault(folder, []).append(change)
    return {folder: tuple(changes) for folder, changes in histories.items()}
