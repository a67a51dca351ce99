"""MkDocs holds no page's Markdown or HTML between converting every page and writing it
(``generator/publish/compact.py``), and writes the same bytes as without it."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.plugins import BasePlugin, event_priority

from generator.publish import compact
from generator.publish.incremental import NoOptions

from minisite import build_site


class Probe(BasePlugin[NoOptions]):  # type: ignore[no-untyped-call]
    """Counts the characters of Markdown and HTML MkDocs holds once every page is converted."""

    def __init__(self) -> None:
        super().__init__()
        self.held = -1

    @event_priority(-1000)
    def on_env(self, env: object, *, config: object, files: object) -> None:
        pages = [f.page for f in files.documentation_pages() if f.page is not None]  # type: ignore[attr-defined]
        self.held = sum(len(p.markdown or "") + len(p.content or "") for p in pages)


def _site(tmp_path: Path, name: str, with_compact: bool) -> tuple[dict[str, bytes], int]:
    pages = {"index.md": "# Trang chủ\n\n[Một](mot.md#phan-hai)\n"}
    for i, slug in enumerate(("mot", "hai", "ba")):
        rows = "\n".join(f"| {i} | Đak Pơ {n} |" for n in range(200))
        pages[f"{slug}.md"] = (
            f"---\ntitle: Trang {slug}\n---\n\n# Trang {slug}\n\n## Phần hai\n\n| a | b |\n| - | - |\n{rows}\n"
        )
    probe = Probe()
    plugins: dict[str, BasePlugin] = {"probe": probe}  # type: ignore[type-arg]
    if with_compact:
        plugins["generator/compact"] = compact.Compact()
    return build_site(tmp_path, name, pages, ["tables", "toc"], plugins), probe.held


def test_no_page_is_held_between_conversion_and_writing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # the sitemaps' date
    plain, held_plain = _site(tmp_path, "plain", with_compact=False)
    compacted, held_compact = _site(tmp_path, "compact", with_compact=True)
    assert held_plain > 20_000, "the probe saw no page"
    assert held_compact == 0
    assert compacted.keys() == plain.keys()
    assert [name for name in plain if plain[name] != compacted[name]] == []
