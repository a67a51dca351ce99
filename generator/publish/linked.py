"""Publish: the generated files MkDocs does not convert (downloads, cards, charts) go into the site as hard links.

MkDocs copies every file of the docs folder that is not a page into the site folder. The generated ones are
the generator's own: the writer puts each in place by a rename and never writes into one, and a dataset's
own CSV is copied into ``docs/``, not linked (``write._replace``). So the site can hold the very same file by
a hard link. At 1,000 datasets (the benchmark's catalogue), with the writer's links into ``docs/``, a cold
build leaves 1.2 GB in the project folder instead of 2.0 GB. Hand-written files (styles, scripts) are
still copied: an editor writes into them, and ``site/`` must not change before a build. A file already at
the destination is removed first, never written through; where a link cannot be made (another device),
the file is copied. The bytes published are the same (``tests/test_golden_site.py``); which files are
linked and which copied: ``tests/test_site.py``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from generator.publish import mirror
from generator.publish.incremental import NoOptions


class LinkedFile(File):
    """A file MkDocs publishes as it is, by a hard link to its source."""

    def copy_file(self, dirty: bool = False) -> None:
        if dirty and not self.is_modified():
            return
        source = self.abs_src_path
        if source is None or self.generated_by is not None:  # content a plugin made: MkDocs writes it
            super().copy_file(dirty)
            return
        target = self.abs_dest_path
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if os.path.lexists(target):
            os.unlink(target)  # never written through: it may be a link to another file
        mirror.link_or_copy(source, target)


class Linked(BasePlugin[NoOptions]):  # type: ignore[no-untyped-call]
    """MkDocs plugin: the static files under ``generated`` (paths of the docs folder) become ``LinkedFile``s."""

    def __init__(self, generated: Iterable[str]) -> None:
        super().__init__()
        self.generated = tuple(generated)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        for file in files:
            if not file.is_documentation_page() and file.generated_by is None and self._generated(file.src_uri):
                file.__class__ = LinkedFile
        return files

    def _generated(self, path: str) -> bool:
        return any(path == name or path.startswith(name + "/") for name in self.generated)
