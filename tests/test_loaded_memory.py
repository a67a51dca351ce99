"""What keeps a build's memory down (the benchmark's peak): the loaded catalogue holds what rendering reads
and little else (rows as ``Cells`` sharing their field index and repeated texts, no frictionless package
between stages), validation runs in batches of fresh processes, and the pages are made in a process of their
own (``workers.separately``) that gives its memory back before MkDocs runs."""

from __future__ import annotations

import functools
import gc
import os
import pickle
import shutil
import sys
import threading
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from frictionless import Package

from generator import workers
from generator.check import validate as validate_module
from generator.check.validate import validate
from generator.models import Cells, HeldRows, Resource, Row, Text, cell_index
from generator.read import kept
from generator.read import load as load_module
from generator.read.load import load_catalogue

from conftest import copy_project, in_fresh_python


def test_cells_read_as_a_mapping_in_the_fields_order() -> None:
    cells = Cells.of({"year": 2024, "value": "1.5", "note": None})
    assert list(cells) == ["year", "value", "note"]
    assert len(cells) == 3
    assert cells["value"] == "1.5"
    assert cells.get("missing") is None and cells.get("missing", 0) == 0
    assert cells.get("note", "default") is None
    assert "year" in cells and "missing" not in cells
    with pytest.raises(KeyError):
        cells["missing"]
    same = {"year": 2024, "value": "1.5", "note": None}
    assert cells == same
    assert same == cells  # a dict asks the other side
    assert cells != {"year": 2024, "value": "1.5", "note": ""}
    assert dict(cells.items()) == {"year": 2024, "value": "1.5", "note": None}
    with pytest.raises(TypeError):
        cells["year"] = 2025  # type: ignore[index]


def test_rows_with_the_same_fields_share_one_index() -> None:
    assert cell_index(("a", "b")) is cell_index(("a", "b"))
    assert cell_index(("a", "b")) is not cell_index(("b", "a"))


def _rows(count: int, start: int = 0) -> tuple[Row, ...]:
    return tuple(
        Row(i + 2, Cells.of({"year": 2020 + i % 3, "value": Decimal(i) / 4, "note": "ghi chú" if i % 2 else None}))
        for i in range(start, start + count)
    )


def test_held_rows_read_as_the_rows_they_hold() -> None:
    rows = _rows(50)
    held = HeldRows(rows)
    assert len(held) == 50 and held == rows and rows == held
    assert tuple(held) == rows and held[0] == rows[0] and held[-1] == rows[-1] and held[10:12] == rows[10:12]
    assert held[3].cells["value"] == Decimal("0.75") and type(held[3].cells["value"]) is Decimal
    assert held != _rows(50, start=1)
    assert pickle.loads(pickle.dumps(held)) == held
    resource = Resource("t", "t.csv", Text("t"), Text(""), (), (), (), rows=rows)
    assert isinstance(resource.rows, HeldRows) and resource.rows == rows  # every table's rows are held so


def test_held_rows_take_a_tenth_of_the_memory_and_only_the_recent_tables_stay_made() -> None:
    rows = _rows(50)
    held = HeldRows(rows)
    objects = {id(o): sys.getsizeof(o) for r in rows for o in (r, r.cells, r.cells._values, *r.cells._values)}
    assert sys.getsizeof(held._data) * 5 < sum(objects.values())
    assert held._made is None  # nothing made until read
    assert len(held) == 50 and held._made is None
    first = held[0]
    assert held[0] is first  # made once while recent
    others = [HeldRows(_rows(5, start=n)) for n in range(HeldRows.RECENT)]
    for other in others:
        other[0]
    assert held._made is None  # let go of after RECENT other tables were read
    assert held[0] == first and held[0] is not first


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list]:  # type: ignore[type-arg]
    root = copy_project(tmp_path_factory.mktemp("memory"))
    items, issues = load_catalogue(root)
    assert not [i for i in issues if i.is_error]
    return root, items


def _packages_alive(root: Path) -> list[Package]:
    gc.collect()
    return [o for o in gc.get_objects() if isinstance(o, Package) and str(o.basepath).startswith(str(root))]


def test_loading_holds_no_frictionless_package(loaded: tuple[Path, list]) -> None:  # type: ignore[type-arg]
    root, items = loaded
    assert items
    assert _packages_alive(root) == []
    item = items[0]
    package = item.package  # made again from the descriptor, when asked for
    assert package.name == item.dataset.name
    assert [r.name for r in package.resources] == [r.name for r in item.dataset.resources]
    assert len(_packages_alive(root)) == 1
    item.forget_package()
    del package
    assert _packages_alive(root) == []


def test_validation_lets_go_of_each_package(loaded: tuple[Path, list]) -> None:  # type: ignore[type-arg]
    root, items = loaded
    validation = validate(items, root, jobs=1)  # in this process: what it leaves behind is seen here
    assert not [i for i in validation.issues if i.is_error]
    assert _packages_alive(root) == []


def test_held_rows_share_each_repeated_text(loaded: tuple[Path, list]) -> None:  # type: ignore[type-arg]
    _, items = loaded
    repeated = 0
    for item in items:
        for resource in item.dataset.resources:
            for name in resource.field_names:
                seen: dict[str, int] = {}
                for row in resource.rows:
                    value = row.cells[name]
                    if isinstance(value, str):
                        if value in seen:
                            assert id(value) == seen[value], (item.dataset.name, resource.name, name, value)
                            repeated += 1
                        seen.setdefault(value, id(value))
    assert repeated > 100  # the repository's tables repeat codes, units and sources down their columns


def test_validation_in_batches_of_processes_finds_the_same_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each batch of tasks gets fresh processes (``validate.BATCH``); the problems and their order are those
    found in one process."""
    root = copy_project(tmp_path)
    for table in sorted((root / "datasets").glob("*/*.csv"))[::3]:  # a repeated last row: key errors here and there
        lines = table.read_text(encoding="utf-8").splitlines(keepends=True)
        table.write_text("".join(lines) + ("" if lines[-1].endswith("\n") else "\n") + lines[-1], encoding="utf-8")
    items, _ = load_catalogue(root)
    alone = [i.as_tuple() for i in validate(items, root, jobs=1).issues]
    monkeypatch.setattr(validate_module, "BATCH", 2)
    batched = [i.as_tuple() for i in validate(items, root, jobs=2).issues]
    assert len({t[0] for t in alone if t}) > 3  # problems in several files
    assert batched == alone


def _note_pid(folder: Path, item: int) -> int:
    """Writes which process handled ``item`` (a file per item), and returns the item squared."""
    (folder / str(item)).write_text(str(os.getpid()), encoding="utf-8")
    if item == 13:
        raise ValueError("thirteen")
    return item * item


def test_alongside_shares_the_work_between_this_process_and_renewed_helpers(tmp_path: Path) -> None:
    items = list(range(12))
    squares = workers.alongside(functools.partial(_note_pid, tmp_path), items, workers=2, renew=2)
    assert squares == [i * i for i in items]  # in the items' order, whoever did them
    by = {int(p.name): p.read_text(encoding="utf-8") for p in tmp_path.iterdir()}
    assert sorted(by) == items  # each item once
    here = str(os.getpid())
    helped = [i for i in items if by[i] != here]
    assert 0 in helped and 11 not in helped  # helpers from the front (the largest), this process from the back
    helpers = Counter(by[i] for i in helped)
    assert max(helpers.values()) <= 2  # a fresh helper after two items
    assert any(by[i] == here for i in items)


def test_alongside_raises_what_an_item_raised(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="thirteen"):
        workers.alongside(functools.partial(_note_pid, tmp_path), [13, 1, 2], 2, 5)  # 13: in a helper


def test_give_back_returns_freed_memory_to_the_system() -> None:
    """Freed memory between blocks still in use stays with the process until ``give_back`` (glibc)."""
    printed = in_fresh_python(
        """
        from generator import workers

        def resident():
            with open("/proc/self/status") as status:
                return next(int(line.split()[1]) // 1024 for line in status if line.startswith("VmRSS"))

        if workers._malloc_trim() is None:
            print("no malloc_trim")
        else:
            blocks = [bytes(2000) for _ in range(100_000)]  # 200 MB, past Python's own small-object allocator
            kept = blocks[::16]
            del blocks
            before = resident()
            workers.give_back()
            print(before - resident())
        """
    )
    if printed.strip() == "no malloc_trim":
        pytest.skip("this C library has no malloc_trim")
    assert int(printed) > 100  # MB given back, of the 188 MB freed


def _break_a_descriptor(root: Path) -> None:
    """A descriptor that is not YAML: a loading problem from the loading processes too."""
    (root / "datasets" / "conflicts" / "datapackage.yaml").write_text("name: [unclosed\n", encoding="utf-8")


def test_packages_read_in_forked_processes_load_as_in_this_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A dataset not kept from an earlier build is read in a forked process (``load.BATCH`` datasets per set of
    processes) and comes back as its kept entry's text: the same datasets, problems and order as read here."""
    root = copy_project(tmp_path)
    _break_a_descriptor(root)
    alone, alone_issues = load_catalogue(root, jobs=1)
    shutil.rmtree(root / ".cache")  # nothing kept: every dataset is read again

    readers = tmp_path / "readers"
    read_package = load_module.read_package

    def spy(path: Path, *args: object) -> object:
        with readers.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")
        return read_package(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(load_module, "read_package", spy)
    monkeypatch.setattr(load_module, "BATCH", 3)
    items, issues = load_catalogue(root, jobs=2)
    pids = readers.read_text(encoding="utf-8").split()
    assert len(pids) == len(list((root / "datasets").glob("*/datapackage.yaml")))
    assert str(os.getpid()) not in pids and len(set(pids)) >= 2  # read in other processes, fresh per batch

    assert [i.dataset for i in items] == [i.dataset for i in alone]
    assert [i.as_tuple() for i in issues] == [i.as_tuple() for i in alone_issues]
    assert any(i.dataset == "conflicts" and i.is_error for i in issues)  # did not load, and says why
    assert "conflicts" not in {i.dataset.name for i in items}


def test_a_dataset_the_kept_entries_cannot_hold_is_read_in_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_project(tmp_path)
    alone, _ = load_catalogue(root, jobs=1)
    shutil.rmtree(root / ".cache")
    encode_text = kept.encode_text

    def refuse_members(value: object) -> str:
        if getattr(value, "name", None) == "members":
            raise kept.Unsupported("a value the test says cannot be kept")
        return encode_text(value)

    monkeypatch.setattr(kept, "encode_text", refuse_members)
    items, _ = load_catalogue(root, jobs=2)
    assert [i.dataset for i in items] == [i.dataset for i in alone]


def test_separately_runs_the_work_in_another_process_and_brings_back_its_result_or_exception() -> None:
    in_fresh_python(
        """
        import os
        from decimal import Decimal
        import pytest
        from generator import workers

        assert workers.separately(os.getpid) != os.getpid()
        assert workers.separately(lambda: {"rows": (1, Decimal("2.50"))}) == {"rows": (1, Decimal("2.50"))}

        def fail():
            raise ValueError("datasets/a/b.csv: no such column")

        with pytest.raises(ValueError, match="no such column") as raised:
            workers.separately(fail)
        assert any("in fail" in note for note in raised.value.__notes__)

        class Unpicklable(Exception):
            def __init__(self, a, b):
                super().__init__(f"{a} and {b}")

        def fail_oddly():
            raise Unpicklable(1, 2)

        with pytest.raises(RuntimeError, match="1 and 2"):
            workers.separately(fail_oddly)
        with pytest.raises(ChildProcessError, match="exit status 3"):
            workers.separately(lambda: os._exit(3))
        """
    )


def test_separately_stays_in_this_process_while_another_thread_runs() -> None:
    """A forked process would not have the other thread (nor a library's native ones): it runs here."""
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert workers.separately(os.getpid) == os.getpid()
    finally:
        release.set()
        other.join()


def test_begun_work_goes_on_alongside_this_process_and_can_be_stopped() -> None:
    in_fresh_python(
        """
        import os, time
        import pytest
        from generator import workers

        begun = workers.begin(lambda: (os.getpid(), time.sleep(0.5), time.monotonic())[::2])
        meanwhile = time.monotonic()  # this process went on while the other slept
        pid, ended = begun.result()
        assert pid != os.getpid() and meanwhile < ended
        assert begun.result() == (pid, ended)  # the result stays
        with pytest.raises(ZeroDivisionError):
            workers.begin(lambda: 1 / 0).result()
        endless = workers.begin(lambda: time.sleep(60))
        started = time.monotonic()
        endless.stop()
        assert time.monotonic() - started < 5
        """
    )


def test_one_thread_once_a_pool_of_processes_has_shut_down() -> None:
    """Right after a pool of forked processes shut down, its manager thread (joined) can still be listed by
    the system: the pool waits for it to be gone, so the work that follows still goes to forked processes."""
    in_fresh_python(
        """
        from generator import workers

        for _ in range(20):
            assert list(workers.forked(abs, [-1, -2, -3, -4], 2, 2)) == [1, 2, 3, 4]
            assert workers.one_thread()
        """
    )


def test_not_one_thread_while_another_runs() -> None:
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert not workers.one_thread()
    finally:
        release.set()
        other.join()


def test_the_build_makes_its_pages_in_a_process_of_its_own(tmp_path: Path) -> None:
    """The catalogue and the pages are made, and their memory given back, before MkDocs runs in the build's
    own process."""
    root = copy_project(tmp_path / "project")
    printed = in_fresh_python(
        f"""
        import os
        from pathlib import Path
        from generator import build as pipeline

        real = pipeline.generate

        def generate(*args):
            print("pages made in", os.getpid(), flush=True)
            return real(*args)

        pipeline.generate = generate
        checked, report = pipeline.build(Path({str(root)!r}))
        assert report is not None and checked.ok() and checked.catalogue is None
        print("built in", os.getpid())
        import sys
        print("imported", *sorted(m for m in {HEAVY!r} if m in sys.modules))
        """
    )
    made = [line.split()[-1] for line in printed.splitlines() if line.startswith("pages made in")]
    built = [line.split()[-1] for line in printed.splitlines() if line.startswith("built in")]
    assert len(made) == 1 and len(built) == 1 and made != built, printed
    assert (root / "site" / "index.html").is_file()
    # the process that runs MkDocs never read, checked or rendered: it never imported what they need
    assert printed.splitlines()[-1] == "imported", printed


# What reading, checking and rendering import, and the process that only runs MkDocs does not.
HEAVY = ("frictionless", "openpyxl", "PIL", "vl_convert", "generator.outputs.render", "generator.read.load")


def test_the_command_line_imports_only_what_publishing_needs() -> None:
    printed = in_fresh_python(
        f"""
        import sys
        import generator.cli
        print(*sorted(m for m in {HEAVY!r} if m in sys.modules))
        """
    )
    assert printed.strip() == ""
