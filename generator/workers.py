"""Work in other processes: a pool of forked processes, shared by validation and the MkDocs builds, and work
run in a process of its own so that its memory is given back when it ends (``separately``)."""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")


@contextmanager
def fork_pool(workers: int) -> Iterator[ProcessPoolExecutor | None]:
    """A pool of ``workers`` forked processes, or None when the work should stay in this process (one
    worker, or a system without ``fork``). Forked processes inherit this process's memory instead of having
    the work pickled to them; the heap is frozen for the garbage collector while they run (``gc.freeze``),
    so that collections in them do not write to, and so copy, every page of memory they share with it."""
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield None
        return
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
            yield pool
    finally:
        gc.unfreeze()


# False: ``separately`` runs its work in this process (under a debugger, or in a test that watches calls).
SEPARATE = True


def separately(work: Callable[[], T]) -> T:
    """``work()``, run in a forked process that ends with it, so that the memory it took is given back at
    once (Python keeps what it freed for itself). Its result, or the exception it raised, comes back pickled.
    In this process without ``fork``, with ``SEPARATE`` false, or while this process runs other threads: a
    forked process has none of them, and a library waiting on its own (the chart renderer's runtime, a
    browser driver in a test) would wait for ever."""
    if not SEPARATE or "fork" not in multiprocessing.get_all_start_methods() or not _one_thread():
        return work()
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: send the outcome, then end without running the parent's clean-up code
        os.close(reader)
        status = 1
        try:
            try:
                data = pickle.dumps((True, work()))
            except BaseException as exc:  # every failure goes back to the parent, with where it happened
                exc.add_note("".join(traceback.format_exception(exc)).rstrip())
                data = _failure(exc)
            with os.fdopen(writer, "wb") as pipe:
                pipe.write(data)
            status = 0
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(status)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        data = pipe.read()
    _, wait_status = os.waitpid(pid, 0)
    if not data:
        raise ChildProcessError(f"a separate process ended without a result ({_ended(wait_status)})")
    ok, value = pickle.loads(data)  # noqa: S301 - written by our own child process, through a pipe
    if not ok:
        raise value
    return value  # type: ignore[no-any-return]


def _one_thread() -> bool:
    """Whether this process runs a single thread, native ones included (Linux's ``/proc``; elsewhere only
    Python's threads are seen)."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return threading.active_count() == 1


def _failure(exc: BaseException) -> bytes:
    """``exc`` pickled, or as a ``RuntimeError`` with its text if it does not come back whole."""
    try:
        data = pickle.dumps((False, exc))
        pickle.loads(data)  # noqa: S301 - made just above
        return data
    except Exception as problem:
        return pickle.dumps((False, RuntimeError(f"{exc!r} (could not be sent back: {problem})\n{exc.__notes__}")))


def _ended(wait_status: int) -> str:
    if os.WIFSIGNALED(wait_status):
        return f"killed by signal {os.WTERMSIG(wait_status)}"
    return f"exit status {os.waitstatus_to_exitcode(wait_status)}"
