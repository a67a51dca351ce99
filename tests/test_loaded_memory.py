"""What keeps a build's memory down (the benchmark's peak): the loaded catalogue holds what rendering reads
and little else (rows as ``Cells`` sharing their field index and repeated texts, no frictionless package
between stages), validation runs in batches of fresh processes, and the pages are made in a process of their
own (``workers.separately``) that gives its memory back before MkDocs runs."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from frictionless import Package

from generator import workers
from generator.check import validate as validate_module
from generator.check.validate import validate
from generator.models import Cells, cell_index
from generator.read.load import load_catalogue

from conftest import ROOT, copy_project


def test_cells_read_as_a_mapping_in_the_fields_order() -> None:
    cells = Cells.of({"year": 2024, "value": "1.5", "note": None})
    assert list(cells) == ["year", "value", "note"]
    assert len(cells) == 3
    assert cells["value"] == "1.5"
    assert cells.get("missing") is None
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


def _in_fresh_python(code: str) -> str:
    """Run ``code`` in a new interpreter (one thread: ``workers.separately`` forks only then; this test process
    may run a browser driver's or the chart renderer's threads). Returns what it printed."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")])}
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_separately_runs_the_work_in_another_process_and_brings_back_its_result_or_exception() -> None:
    _in_fresh_python(
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


def test_the_build_makes_its_pages_in_a_process_of_its_own(tmp_path: Path) -> None:
    """The catalogue and the pages are made, and their memory given back, before MkDocs runs in the build's
    own process."""
    root = copy_project(tmp_path / "project")
    printed = _in_fresh_python(
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
        """
    )
    made = [line.split()[-1] for line in printed.splitlines() if line.startswith("pages made in")]
    built = [line.split()[-1] for line in printed.splitlines() if line.startswith("built in")]
    assert len(made) == 1 and len(built) == 1 and made != built, printed
    assert (root / "site" / "index.html").is_file()
