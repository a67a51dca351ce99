"""Work in other processes: pools of forked processes (loading, the MkDocs builds), forked helpers working
alongside this process (validation), work run in a process of its own so that its memory is given back when
it ends (``separately``), and freed memory handed back to the system (``give_back``)."""

from __future__ import annotations

import ctypes
import functools
import gc
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

T = TypeVar("T")
A = TypeVar("A")


def cores() -> int:
    """How many processes work side by side by default: one per core."""
    return max(1, os.cpu_count() or 1)


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
        with _forking(workers) as pool:
            yield pool
    finally:
        gc.unfreeze()


@contextmanager
def _forking(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of ``workers`` forked processes that leaves no thread behind: once it has shut down, the
    threads it started are waited for until the system no longer lists them (a joined thread can be listed
    for a moment more), up to ``THREAD_GRACE`` seconds, so that ``one_thread`` can tell at once whether it
    is safe to fork again."""
    before = _threads()
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
            yield pool
    finally:
        deadline = time.monotonic() + THREAD_GRACE
        while before is not None and (_threads() or 0) > before and time.monotonic() < deadline:
            time.sleep(0.005)


# Seconds a pool that shut down waits for its threads to be gone (``_forking``): right after one was shut
# down, its manager thread, joined, was still listed (and the next stage would not fork).
THREAD_GRACE = 0.5


def _threads() -> int | None:
    """How many threads this process runs, native ones included (Linux's ``/proc``; None elsewhere)."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return None


def forked(perform: Callable[[A], T], items: Sequence[A], workers: int, batch: int) -> Iterator[T]:
    """``perform`` of each of ``items``, in order, in forked processes while this process waits: a fresh pool
    of ``workers`` processes for every ``batch`` items, whose results come as that batch ends. What making
    them takes is never this process's: it holds only the results, a batch at a time, and a process that
    went through many items does not go on holding copies of what they read (``alongside``). In this process
    with one worker or without ``fork``."""
    for start in range(0, len(items), batch):
        part = items[start : start + batch]
        with fork_pool(min(workers, len(part))) as pool:
            if pool is None:
                results = [perform(item) for item in part]
            else:  # a few chunks per process: one item per message costs more than a small item's work
                results = list(pool.map(perform, part, chunksize=max(1, len(part) // (4 * workers))))
        yield from results


def alongside(perform: Callable[[A], T], items: Sequence[A], workers: int, renew: int) -> list[T]:
    """``perform`` of each of ``items``, in order, on ``workers`` cores with this process taking part: its
    ``workers - 1`` forked helpers take items from the front, this process from the back (give the items
    largest first, and this process does the small ones between its checks on the helpers). A helper is
    replaced by a fresh fork after ``renew`` items: a forked process shares this one's memory until it
    touches it, so one that went through many items holds copies of all they read.

    One forked process fewer than ``fork_pool`` for the same cores: this process's memory is already there,
    a helper's is mostly copies. In this process alone with one worker, one item, or no ``fork``."""
    if workers <= 1 or len(items) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [perform(item) for item in items]
    helpers, done = workers - 1, dict[int, T]()
    front, back = 0, len(items)  # the helpers have been given items[:front]; this process did items[back:]
    gc.freeze()  # as in ``fork_pool``
    try:
        while front < back:
            with _forking(helpers) as pool:
                running: dict[int, Future[T]] = {}
                given = 0
                while front < back:
                    for index in [i for i, future in running.items() if future.done()]:
                        done[index] = running.pop(index).result()
                    if given >= renew and not running:
                        break  # these helpers are spent: fresh ones
                    if given < renew and len(running) < 2 * helpers:  # one queued each: never idle
                        running[front] = pool.submit(perform, items[front])
                        front, given = front + 1, given + 1
                        continue
                    back -= 1
                    done[back] = perform(items[back])
                done.update((index, future.result()) for index, future in running.items())
    finally:
        gc.unfreeze()
    return [done[i] for i in range(len(items))]


def give_back() -> None:
    """Hand the memory this process has freed back to the system (the C library's ``malloc_trim``, where there
    is one: glibc). Python frees objects into the C allocator, which keeps freed memory for later unless it
    lies at the top of its heap: after a cold load of a thousand datasets, this process was at 241 MB resident,
    and at 160 MB once trimmed, with the same objects alive. A no-op elsewhere."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return getattr(ctypes.CDLL(None), "malloc_trim", None)
    except OSError:  # no C library to look in
        return None


# False: ``separately`` runs its work in this process (under a debugger, or in a test that watches calls).
SEPARATE = True


def separately(work: Callable[[], T]) -> T:
    """``work()``, run in a forked process that ends with it, so that the memory it took is given back at
    once (Python keeps what it freed for itself). Its result, or the exception it raised, comes back pickled.
    In this process without ``fork``, with ``SEPARATE`` false, or while this process runs other threads: a
    forked process has none of them, and a library waiting on its own (the chart renderer's runtime, a
    browser driver in a test) would wait for ever."""
    return begin(work).result()


class Begun(Generic[T]):
    """Work going on in a forked process of its own (``begin``)."""

    def __init__(self, pid: int | None, reader: int | None, done: tuple[bool, Any] | None = None) -> None:
        self._pid, self._reader, self._done = pid, reader, done

    def result(self) -> T:
        """Wait for the work to end: its result, or the exception it raised."""
        if self._done is None:
            assert self._pid is not None and self._reader is not None
            with os.fdopen(self._reader, "rb") as pipe:
                data = pipe.read()
            _, wait_status = os.waitpid(self._pid, 0)
            self._pid = self._reader = None
            if not data:
                raise ChildProcessError(f"a separate process ended without a result ({_ended(wait_status)})")
            self._done = pickle.loads(data)  # noqa: S301 - written by our own child process, through a pipe
        ok, value = self._done
        if not ok:
            raise value
        return value  # type: ignore[no-any-return]

    def stop(self) -> None:
        """End the work if it still goes on, without waiting for its result (when this process gives up)."""
        if self._pid is not None and self._reader is not None:
            os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            os.close(self._reader)
            self._pid = self._reader = None


def begin(work: Callable[[], T]) -> Begun[T]:
    """``work()`` begun in a forked process that ends with it, working while this process goes on: its
    ``result()`` waits for it (``separately`` is ``begin(work).result()``). Done in this process, at once,
    where ``separately`` would be (no ``fork``, ``SEPARATE`` false, other threads running)."""
    if not SEPARATE or "fork" not in multiprocessing.get_all_start_methods() or not one_thread():
        try:
            return Begun(None, None, (True, work()))
        except Exception as exc:
            return Begun(None, None, (False, exc))
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
    return Begun(pid, reader)


def one_thread() -> bool:
    """Whether this process runs a single thread, native ones included (Linux's ``/proc``; elsewhere only
    Python's threads are seen)."""
    threads = _threads()
    return threading.active_count() == 1 if threads is None else threads == 1


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
