"""How long each stage of a build took: its wall time, and its CPU time counting the processes it started
and waited for (the forked workers of loading, validation, exports and cards, and the MkDocs builds).

``build --timings FILE`` writes them as JSON (``to_json``), and the benchmark reports them stage by stage.
A stage is timed where the pipeline runs it (``stage``); a stage inside another is named after it
(``render.exports`` within ``render``). Nothing here changes what is built."""

from __future__ import annotations

import json
import resource
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass

from generator import i18n

# The stages, in the order a cold build ends them (a stage inside another ends first).
STAGES = (
    "load",
    "validate",
    "render.exports",
    "render.cards",
    *(f"render.pages.{lang}" for lang in i18n.LANGUAGES),  # each language's pages, one after the other
    "render",
    "stage",
    "mkdocs",
    "publish",
    "build",
)


@dataclass(frozen=True)
class Timing:
    """One stage as it ran: seconds of wall time, and of CPU time (user and system) of this process and of
    the processes it started that ended within the stage."""

    stage: str
    wall_s: float
    cpu_s: float


_TAKEN: list[Timing] = []  # in the order the stages ended, in this process


def cpu_seconds() -> float:
    """CPU time so far of this process (all its threads) and of its children that ended and were waited for."""
    own, waited = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + waited.ru_utime + waited.ru_stime


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Time what runs inside as the stage ``name`` (one of ``STAGES``), whether it succeeds or not."""
    if name not in STAGES:
        raise ValueError(f"unknown stage {name!r}: add it to timings.STAGES")
    wall, cpu = time.perf_counter(), cpu_seconds()
    try:
        yield
    finally:
        _TAKEN.append(Timing(name, round(time.perf_counter() - wall, 3), round(cpu_seconds() - cpu, 3)))


def taken(since: int = 0) -> list[Timing]:
    """The stages this process has timed, from the ``since``-th on (``len(taken())`` marks a start)."""
    return _TAKEN[since:]


def add(timings: Iterable[Timing]) -> None:
    """Count as timed here the stages another process timed (the one ``build`` renders the pages in)."""
    _TAKEN.extend(timings)


def to_json(timings: Iterable[Timing]) -> str:
    """``{"stages": [{"stage": ..., "wall_s": ..., "cpu_s": ...}, ...]}``, in the order given."""
    return json.dumps({"stages": [asdict(t) for t in timings]}, indent=1) + "\n"
