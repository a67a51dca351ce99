"""Work spread over the cores: a pool of forked processes, shared by validation and the MkDocs builds."""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager


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
