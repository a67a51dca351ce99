"""A small MkDocs site built in a test's folder, with plugins of the test's choosing: what the generator's
MkDocs plugins change is seen by building it with and without them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.plugins import BasePlugin


def build_site(
    tmp_path: Path,
    name: str,
    pages: Mapping[str, str],
    extensions: Sequence[str],
    plugins: Mapping[str, BasePlugin],  # type: ignore[type-arg]
) -> dict[str, bytes]:
    """Build ``pages`` (path -> Markdown, written into ``tmp_path/docs`` the first time) with Material, its
    search and ``extensions``, plus ``plugins``, into ``tmp_path/name``. Returns every file built, by path."""
    docs = tmp_path / "docs"
    if not docs.exists():
        docs.mkdir()
        for path, text in pages.items():
            (docs / path).write_text(text, encoding="utf-8")
    listed = "".join(f"  - {extension}\n" for extension in extensions)
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Thử\ntheme:\n  name: material\n  language: vi\nplugins:\n  - search\n"
        f"markdown_extensions:\n{listed}",
        encoding="utf-8",
    )
    cfg = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / name), strict=True)
    for key, plugin in plugins.items():
        cfg.plugins[key] = plugin
    build(cfg)
    site = tmp_path / name
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
