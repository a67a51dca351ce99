"""Names that become folders, files and addresses on the site, and paths as messages print them."""

from __future__ import annotations

import re
from pathlib import Path

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


def shown_path(path: Path, root: Path) -> str:
    try:
        return path.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        return path.as_posix()
