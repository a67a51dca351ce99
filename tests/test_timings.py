"""The build's stage timings (``build --timings``): wall time, and CPU time that counts the processes a
stage started and waited for."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from generator import timings

BUSY = "import time\nend = time.process_time() + 0.4\nwhile time.process_time() < end: pass\n"


def test_a_stage_counts_the_cpu_of_a_process_it_waited_for() -> None:
    since = len(timings.taken())
    with timings.stage("mkdocs"):
        subprocess.run([sys.executable, "-c", BUSY], check=True)
    with timings.stage("stage"):
        time.sleep(0.2)  # waiting is wall time, not CPU time
    busy, idle = timings.taken(since)
    assert (busy.stage, idle.stage) == ("mkdocs", "stage")
    assert busy.cpu_s >= 0.35  # the child's 0.4 s, though this process only waited
    assert busy.wall_s >= busy.cpu_s * 0.5
    assert idle.wall_s >= 0.19 and idle.cpu_s < 0.1


def test_a_stage_that_fails_is_timed_and_an_unknown_one_refused() -> None:
    since = len(timings.taken())
    with pytest.raises(KeyError), timings.stage("validate"):
        raise KeyError("x")
    assert [t.stage for t in timings.taken(since)] == ["validate"]
    with pytest.raises(ValueError, match="unknown stage 'rendering'"), timings.stage("rendering"):
        pass


def test_the_json_lists_the_stages_in_order() -> None:
    data = json.loads(timings.to_json([timings.Timing("load", 1.5, 2.25), timings.Timing("build", 3.0, 4.0)]))
    assert data == {
        "stages": [{"stage": "load", "wall_s": 1.5, "cpu_s": 2.25}, {"stage": "build", "wall_s": 3.0, "cpu_s": 4.0}]
    }
