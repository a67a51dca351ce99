"""Faithful data: every figure's ``as_published`` text is found, number and unit, in the source it cites.

The source documents live outside the repository (``../shared/sources/`` beside the checkout, as on the
developers' machines and in CI); where they are absent the test is skipped, saying so.
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
        text = (SOURCES / DOCUMENTS[source_id]).read_text(encoding="utf-8")
        body = " ".join(text.split("---", 1)[1].split())
        assert published in body, f"{file}, row {row}: {published!r} is not in {DOCUMENTS[source_id]}"
