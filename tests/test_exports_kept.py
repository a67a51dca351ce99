"""A dataset's exports are made once for what they are made from, and the catalogue's ZIP is put together
from the datasets' ZIPs without compressing anything again."""

from __future__ import annotations

import dataclasses
import io
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest

from generator import build as pipeline
from generator import config, workers
from generator.outputs import exports
from generator.publish import stamp

from conftest import FIXTURES, copy_project


def _zip_of(entries: dict[str, bytes], target: Path) -> Path:
    exports.write_zip(dict(entries), target)
    return target


def test_merged_archives_are_byte_for_byte_one_archive_of_their_entries(tmp_path: Path) -> None:
    rng_bytes = os.urandom(3 << 20)  # more than one read of the copy, and incompressible
    first = {"b/data.csv": b"x,y\n1,2\n" * 1000, "b/datapackage.json": b"{}\n"}
    second = {"a-b/large.bin": rng_bytes, "a-b/z.txt": "Đak Đoa\n".encode()}
    third = {"a/readme.txt": b"", "a/t.csv": b"id\n1\n"}
    parts: list[exports.Content] = [
        _zip_of(first, tmp_path / "first.zip"),
        _zip_of(second, tmp_path / "second.zip").read_bytes(),  # an archive held in memory
        _zip_of(third, tmp_path / "third.zip"),
    ]
    exports.merge_zips(parts, tmp_path / "merged.zip")
    whole = _zip_of({**first, **second, **third}, tmp_path / "whole.zip")
    assert (tmp_path / "merged.zip").read_bytes() == whole.read_bytes()
    with zipfile.ZipFile(tmp_path / "merged.zip") as merged:
        assert merged.testzip() is None
        # "a-b/…" sorts before "a/…": the order of the names, not of the archives
        assert merged.namelist()[:2] == ["a-b/large.bin", "a-b/z.txt"]
        assert merged.read("a-b/large.bin") == rng_bytes


def test_a_name_in_two_archives_is_refused(tmp_path: Path) -> None:
    one = _zip_of({"a/t.csv": b"1\n"}, tmp_path / "one.zip")
    two = _zip_of({"a/t.csv": b"2\n"}, tmp_path / "two.zip")
    with pytest.raises(ValueError, match=r"a/t\.csv"):
        exports.merge_zips([one, two], tmp_path / "merged.zip")


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _built(root: Path) -> None:
    checked, report = pipeline.build(root)
    assert report is not None, [i.as_tuple() for i in checked.issues]


class Spy:
    """The datasets whose exports are made (the build renders in this process, to be watched). Each is
    noted in ``log``, a line each: the datasets are exported by this process and forked helpers."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, log: Path) -> None:
        monkeypatch.setattr(workers, "SEPARATE", False)
        self.log = log
        original = exports._dataset_exports

        def spy(dataset: exports.Dataset, *args: object) -> object:
            with log.open("a", encoding="utf-8") as noted:  # one short line: appended whole
                noted.write(dataset.name + "\n")
            return original(dataset, *args)  # type: ignore[arg-type]

        monkeypatch.setattr(exports, "_dataset_exports", spy)

    @property
    def made(self) -> list[str]:
        return sorted(self.log.read_text("utf-8").split()) if self.log.exists() else []


def _rename_source(root: Path) -> None:
    table = root / "datasets" / "sources" / "sources.csv"
    table.write_text(table.read_text("utf-8").replace("Tổng kết Cụm thi đua năm 2023", "Tổng kết (sửa)"), "utf-8")


def test_only_the_datasets_a_change_reaches_are_exported_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = copy_project(tmp_path / "whole", FIXTURES / "valid" / "datasets")
    _rename_source(whole)
    _built(whole)

    root = copy_project(tmp_path / "project", FIXTURES / "valid" / "datasets")
    _built(root)
    spy = Spy(monkeypatch, tmp_path / "exported.txt")
    stamp.forget(root)  # a build, not one skipped because nothing changed
    _built(root)
    assert spy.made == [], "an unchanged dataset was exported again"

    # a source's title is in the workbooks of the tables citing it (their "Nguồn" sheet): the sources
    # themselves and every dataset citing them are exported again, and the site is a whole build's
    _rename_source(root)
    _built(root)
    assert "sources" in spy.made and "figures" in spy.made
    book = openpyxl.load_workbook(io.BytesIO((root / "site/du-lieu/figures/figures.xlsx").read_bytes()))
    assert "Tổng kết (sửa)" in [c.value for c in book["Nguồn"]["C"]]
    assert _tree(root / config.SITE_DIR) == _tree(whole / config.SITE_DIR)


def test_a_damaged_record_or_export_is_made_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_project(tmp_path / "project", FIXTURES / "valid" / "datasets")
    _built(root)
    reference = _tree(root / config.SITE_DIR)
    spill = root / config.CACHE_DIR / "exports"
    records = sorted(spill.glob(f"*{exports.KEPT_SUFFIX}"))
    assert len(records) == 3  # figures, members, sources
    records[0].write_text('{"format": 1}', encoding="utf-8")  # no longer matches its digest
    workbook = next(p for p in sorted(spill.glob("*.xlsx")))
    workbook.write_bytes(workbook.read_bytes()[:100])
    spy = Spy(monkeypatch, tmp_path / "exported.txt")
    stamp.forget(root)
    _built(root)
    assert 1 <= len(spy.made) <= 2, spy.made
    assert _tree(root / config.SITE_DIR) == reference


def test_the_catalogue_of_kept_entries_is_the_catalogue_written_whole(tmp_path: Path) -> None:
    """The DCAT catalogue places each dataset's entry, kept as JSON text, as it is: the same bytes as the
    catalogue written in one piece, on the repository's data (text with quotes, Vietnamese, nesting)."""
    checked = pipeline.check(copy_project(tmp_path / "project"))
    catalogue = checked.catalogue
    made = exports.build_exports(catalogue)
    dumped = {
        d.name: exports._dumps(exports.dcat_dataset(catalogue, d, made.by_dataset, made.by_resource)).encode()
        for d in catalogue.datasets
    }
    whole = exports.dcat_catalogue(catalogue, made.by_dataset, made.by_resource)
    assert exports.dcat_catalogue(catalogue, made.by_dataset, made.by_resource, dumped) == whole
    assert made.blobs[exports.DCAT_FILE] == whole
    empty = dataclasses.replace(catalogue, datasets=())
    assert exports.dcat_catalogue(empty, {}, {}, {}) == exports.dcat_catalogue(empty, {}, {})


def test_a_build_writes_the_catalogue_to_a_file_a_piece_at_a_time(tmp_path: Path) -> None:
    """With a spill folder (a build), the DCAT catalogue goes to a file as each dataset's entry is placed,
    named by its content: the same bytes as the catalogue made whole, and no copy of it held in memory."""
    catalogue = pipeline.check(copy_project(tmp_path / "project")).catalogue
    assert catalogue is not None
    whole = exports.build_exports(catalogue).blobs[exports.DCAT_FILE]
    spill = tmp_path / "spill"
    made = exports.build_exports(catalogue, spill)
    assert exports.DCAT_FILE not in made.blobs
    written = made.files[exports.DCAT_FILE]
    assert written.parent == spill and written.read_bytes() == whole
    again = exports.build_exports(catalogue, spill)
    assert again.files[exports.DCAT_FILE] == written  # the same content, the same file: kept


def test_only_the_page_of_a_changed_dataset_is_made_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A dataset page is kept with its charts under what it is made from: a rebuild after one cell of the
    dataset ``figures`` changed makes that page again in each language and no other dataset page, and publishes
    what a whole build publishes."""
    from generator.outputs import render

    def change(root: Path) -> None:
        table = root / "datasets" / "figures" / "indicators.csv"
        table.write_text(table.read_text("utf-8").replace("Diện tích gieo trồng", "Diện tích (đo lại)"), "utf-8")

    whole = copy_project(tmp_path / "whole", FIXTURES / "valid" / "datasets")
    change(whole)
    _built(whole)
    root = copy_project(tmp_path / "project", FIXTURES / "valid" / "datasets")
    _built(root)
    made: list[str] = []
    view = render.dataset_view
    monkeypatch.setattr(workers, "SEPARATE", False)  # the pages are made in this process, to be watched
    monkeypatch.setattr(
        render, "dataset_view", lambda dataset, *args: made.append(dataset.name) or view(dataset, *args)
    )
    stamp.forget(root)
    _built(root)
    assert made == [], "an unchanged dataset's page was made again"
    change(root)
    _built(root)
    assert made == ["figures", "figures"]
    assert _tree(root / config.SITE_DIR) == _tree(whole / config.SITE_DIR)


def test_the_dcat_catalogue_is_named_by_what_it_is_made_from(tmp_path: Path) -> None:
    """The kept DCAT catalogue is named without writing it (``exports.dcat_key``): the name changes with any
    dataset's entry or the site's settings, and the file under it is the catalogue made whole."""
    from generator.build import check
    from generator.outputs.held import Blobs

    root = copy_project(tmp_path / "project", FIXTURES / "valid" / "datasets")
    catalogue = check(root).catalogue
    assert catalogue is not None
    made = exports.build_exports(catalogue, tmp_path / "spill")
    whole = exports.build_exports(catalogue)
    assert made.files[exports.DCAT_FILE].read_bytes() == whole.blobs[exports.DCAT_FILE]
    entries = {
        d.name: exports._dumps(exports.dcat_dataset(catalogue, d, whole.by_dataset, whole.by_resource))
        for d in catalogue.datasets
    }
    dumped = Blobs((name, text.encode("utf-8")) for name, text in entries.items())
    key = exports.dcat_key(catalogue, dumped)
    first = catalogue.datasets[0].name
    changed = Blobs(dumped.items())
    changed[first] = entries[first].replace("Số liệu", "Số liệu (sửa)").encode("utf-8")
    assert changed[first] != dumped[first]
    renamed = dataclasses.replace(catalogue, site=dataclasses.replace(catalogue.site, name="Tên khác"))
    assert len({key, exports.dcat_key(catalogue, changed), exports.dcat_key(renamed, dumped)}) == 3
    assert exports.dcat_key(catalogue, Blobs(dumped.items())) == key


def test_exports_made_on_every_core_are_those_made_in_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``build_exports`` makes the datasets' exports in forked processes (``workers.forked``), a few datasets
    per set of processes: every file, download and checksum is the same as when this process makes them all
    (on one core), and this process made none of them."""
    catalogue = pipeline.check(copy_project(tmp_path / "project")).catalogue
    assert catalogue is not None
    log = tmp_path / "made-by.txt"
    original = exports._dataset_exports

    def noted(dataset: exports.Dataset, *args: object) -> object:
        with log.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")
        return original(dataset, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(exports, "_dataset_exports", noted)
    monkeypatch.setattr(workers, "cores", lambda: 1)
    alone = exports.build_exports(catalogue)
    assert set(log.read_text("utf-8").split()) == {str(os.getpid())}
    log.unlink()
    monkeypatch.setattr(workers, "cores", lambda: 2)  # forked processes, whatever the machine
    monkeypatch.setattr(exports, "BATCH", 2)  # more than one set of them
    shared = exports.build_exports(catalogue)
    made_by = log.read_text("utf-8").split()
    assert len(catalogue.datasets) > 2 and len(set(made_by)) >= 2, made_by
    # a set of one dataset (the last, when 2 does not divide them) is not worth a fork: made here
    assert made_by.count(str(os.getpid())) == len(catalogue.datasets) % 2, made_by
    assert dict(shared.blobs.items()) == dict(alone.blobs.items())
    assert (shared.by_dataset, shared.by_resource, shared.catalogue, shared.files) == (
        alone.by_dataset,
        alone.by_resource,
        alone.catalogue,
        alone.files,
    )
