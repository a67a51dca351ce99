"""The generator's own checks on untrusted input, run before frictionless sees a descriptor and beside it.

Data arrives by pull request from people we do not know, and frictionless trusts more than a public site
can: it fetches http(s) schemas, dialects and profiles while it builds a ``Package``, reads a custom
profile from any path, follows symbolic links, accepts any package name and any control character. So, one
module per moment of the check:

1. ``parse`` (before and while a descriptor is read): ``check_descriptor_file`` makes sure the dataset folder
   and the descriptor are real files, not links, and small enough to read; ``DescriptorLoader`` and
   ``parse_json`` refuse YAML aliases, tags beyond plain data, keys given twice, and nesting deep enough to
   exhaust the parser.
2. ``descriptor`` (before frictionless sees it): ``check_descriptor`` checks required properties and their
   types, names that are safe as folder and URL names, http(s) addresses only, and no reference that would
   make frictionless touch the network or a file outside the dataset folder. An error here means
   frictionless never sees the package.
3. ``data`` (during validation): ``check_data`` checks that every resource file exists, is not empty, is
   UTF-8 (unless the descriptor declares another encoding: ``encodings``) and split by its delimiter, and that
   no text cell breaks the rules of ``text`` (decomposed Unicode, control, bidi, zero-width or noncharacter
   code points, a spreadsheet formula).

Every problem is an ``Issue`` with a stable code (``issues.CODES``) and a message and hint written as
``msg(...)`` templates (English ids, Vietnamese in ``locale/vi/LC_MESSAGES/validate.po``). Values are quoted
with ``show``, so a message never carries a raw control or bidi character to a terminal or a log.
"""

from generator.issues import show
from generator.read.guard.data import FILE_CODES, MAX_REPORTS_PER_FILE, check_data, text_cells
from generator.read.guard.descriptor import REMOTE, check_descriptor, path_problem
from generator.read.guard.encodings import _scan_utf8, likely_encoding
from generator.read.guard.names import DATASET_NAME, MEMBER_ID, RESOURCE_NAME, SLUG
from generator.read.guard.parse import (
    MAX_DESCRIPTOR_BYTES,
    MAX_NESTING,
    DescriptorLoader,
    DescriptorRefused,
    Unreadable,
    check_descriptor_file,
    parse_json,
    parse_yaml,
)
from generator.read.guard.text import (
    BIDI_CONTROLS,
    FORMULA_STARTS,
    ZERO_WIDTH,
    cell_problems,
    is_formula,
    suspicious,
    text_problems,
)

__all__ = [
    "BIDI_CONTROLS",
    "DATASET_NAME",
    "FILE_CODES",
    "FORMULA_STARTS",
    "MAX_DESCRIPTOR_BYTES",
    "MAX_NESTING",
    "MAX_REPORTS_PER_FILE",
    "MEMBER_ID",
    "REMOTE",
    "RESOURCE_NAME",
    "SLUG",
    "ZERO_WIDTH",
    "DescriptorLoader",
    "DescriptorRefused",
    "Unreadable",
    "_scan_utf8",
    "cell_problems",
    "check_data",
    "check_descriptor",
    "check_descriptor_file",
    "is_formula",
    "likely_encoding",
    "parse_json",
    "parse_yaml",
    "path_problem",
    "show",
    "suspicious",
    "text_cells",
    "text_problems",
]
