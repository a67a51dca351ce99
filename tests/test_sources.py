"""Faithful data: every figure's ``as_published`` text is found, number and unit, in the source it cites.

The source documents live outside the repository (``../shared/sources/`` beside the checkout, as on the
developers' machines and in CI); where they are absent the test is skipped, saying so. Sources that are not
stored there as text (public pages read in the workplace's library, listed with short quotes in
``2026-12-more-sources-2019-2025.md``) are checked against the quotes that file records for the source (its
``S`` number): each figure was re-read in the stored page before it was entered, and the quote keeps the test
from drifting from what was read.
"""

from __future__ import annotations

import pytest

from generator.build import check

from conftest import ROOT

SOURCES = ROOT.parent / "shared" / "sources"
DOCUMENTS = {
    "baogialai-2024-01-cluster2-2023-review": "2024-01-baogialai-cluster2-2023-review.txt",
    "dakpo-portal-2024-01-23-cluster2-2023-review": "2024-01-23-dakpo-portal-cluster2-2023-review.txt",
    "baogialai-2025-02-cluster2-2024-review": "2025-02-baogialai-cluster2-2024-review.txt",
}
LEADS = SOURCES / "2026-12-more-sources-2019-2025.md"
# Source id -> its number in LEADS.
LEAD_NUMBERS = {
    "baogialai-2024-07-an-khe-council-h1-2024": "S25",
    "baogialai-2024-12-an-khe-council-2024": "S27",
}


def _text_of(source_id: str) -> str:
    """The words of the source a figure cites, with whitespace folded."""
    if source_id in LEAD_NUMBERS:
        section = LEADS.read_text(encoding="utf-8").split(f"\n#### {LEAD_NUMBERS[source_id]} —", 1)[1]
        return " ".join(section.split("\n#### ", 1)[0].split())
    text = (SOURCES / DOCUMENTS[source_id]).read_text(encoding="utf-8")
    return " ".join(text.split("---", 1)[1].split())


def citations() -> list[tuple[str, int, str, str]]:
    """(file, row, source id, as_published) for every row of the real data that quotes a figure."""
    found = []
    for dataset in check(ROOT).catalogue.datasets:
        for resource in dataset.resources:
            if "as_published" in resource.field_names and "source_id" in resource.field_names:
                for row in resource.rows:
                    found.append(
                        (
                            f"{dataset.name}/{resource.path}",
                            row.number,
                            str(row.cells["source_id"]),
                            str(row.cells["as_published"]),
                        )
                    )
    return found


@pytest.mark.skipif(not SOURCES.is_dir(), reason="../shared/sources is not beside this checkout")
def test_every_published_figure_is_in_its_source() -> None:
    rows = citations()
    assert len(rows) >= 50
    for file, row, source_id, published in rows:
        assert published in _text_of(source_id), f"{file}, row {row}: {published!r} is not in {source_id}"
