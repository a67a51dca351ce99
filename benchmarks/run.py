"""Build benchmark: a synthetic catalogue through the generator, timed and weighed, beside frictionless and
MkDocs alone.

Usage: ``.venv/bin/python benchmarks/run.py [--small] [--datasets N] [--rows M] [--runs R] [--json FILE]``
(``--help`` lists the rest). It is not a test: nothing here asserts a time, and pytest never collects it.

It writes a catalogue into a temporary project (a copy of ``mkdocs*.yml``, ``overrides/`` and the hand-written
``docs/``, the repository's ``members`` and ``sources`` datasets, and generated datasets), deterministically
from ``--seed``:

- N small datasets (``synthetic-0001``...), each with two resources of about 50 rows: ``places`` (Vietnamese
  place names, a reference to a member and to a source, a date, a decimal) and ``figures`` (a reference to
  ``places``, a year, a decimal and an integer with minimum/maximum, a coded value with labels, a note);
- one large dataset (``large-survey``) with one M-row, 8-column resource: an integer primary key, Vietnamese
  place and district names (NFC), a date, a decimal and an integer with minimum/maximum, a coded value (enum
  and labels), and an optional Vietnamese note (quoted when it holds a comma or quotes).

The full size is 1,000 small datasets and 1,000,000 rows; ``--small`` is 50 and 20,000. Each measurement is
a fresh child process (``python -m generator --root PROJECT build``), run ``--runs`` times; the table gives
the median. Peak memory is that of all the child's processes together (the build forks workers): the sum
of their PSS, sampled every 0.2 s, and at least the largest resident set of any one of them (``os.wait4``),
in MB (10^6 bytes).

- **Cold build**: every output removed first (``site/``, the generated paths of ``docs/``, anything else the
  generator left in the project, such as a cache, and ``XDG_CACHE_HOME``); the OS file cache stays warm.
- **Rebuild, nothing changed** and **rebuild after one cell of one small dataset changed**.
- **Pages**: the largest HTML page of ``site/``, the large resource's page, and the search index.
- **Baselines, in the same run** (interleaved with the cold builds): ``frictionless`` alone on the same
  packages -- one child process looping over every descriptor with ``Package(path).validate()`` (what
  ``frictionless validate PATH`` does; the CLI merges several descriptors into one package, and a process per
  package would mostly time interpreter start-ups), with the references to other datasets (``package:``)
  left out, as frictionless cannot resolve them -- and ``mkdocs build --strict`` alone on the pages the
  generator wrote (``docs/`` as it stands after the build), once per language as the generator runs it
  (``mkdocs.yml``, then each ``mkdocs.<lang>.yml`` on the hand-written files plus ``docs/<lang>/``). The
  ratio compares the cold build with the two run one after the other.
- **Scaling** (``--scaling``): cold builds of two catalogues of small datasets only (200 and 1,000 in the full
  size, 10 and 50 with ``--small``), and the ratio of their times.
- **mkdocs-table-reader-plugin** (``--table-reader``): a page embedding the same 100,000-row CSV through
  ``{{ read_csv(...) }}``, beside the generator building a catalogue of that file alone (plus members and
  sources). The plugin is installed with ``pip install --target`` into the work folder, never into the
  project's virtual environment.

The generator measured is the one in the repository holding this script (``--repo`` to measure another
checkout): it is put first on the children's ``PYTHONPATH``.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime
import importlib.metadata
import importlib.util
import json
import os
import platform
import pstats
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from random import Random
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SEED = 20250701
SMALL_ROWS = 50  # rows of each resource of a small dataset
LARGE_NAME = "large-survey"
LARGE_RESOURCE = "survey"
SMALL_PREFIX = "synthetic-"
COPIED_DATASETS = ("members", "sources")  # the datasets the generator gives a part of their own (config.py)
PROJECT_INPUTS = frozenset({"overrides", "docs", "datasets", ".git"})  # and every mkdocs*.yml
EPOCH = 1735664400  # 2025-01-01 00:00 +07:00: the synthetic commit's date, and SOURCE_DATE_EPOCH everywhere
TABLE_READER_ROWS = 100_000
TABLE_READER_PACKAGES = ("mkdocs-table-reader-plugin", "pandas", "tabulate")
MB = 1_000_000


@dataclass(frozen=True)
class Size:
    datasets: int
    rows: int
    scaling: tuple[int, int]


FULL = Size(1000, 1_000_000, (200, 1000))
SMALL = Size(50, 20_000, (10, 50))

# Targets from issues 9 and 19: (figure, bound, how it is compared).
TARGETS = {
    "large_page_kb": 300,  # the large resource's page, HTML, < 300 kB
    "page_kb": 300,  # every HTML page of the site < 300 kB (issue 19: every page is checked, not one)
    "first_visit_kb": 150,  # a first visit to any page kind, gzip on the wire, <= 150 kB (without the search)
    "peak_mb": 250,  # whole build, < 250 MB
    "scaling_ratio": 5,  # the larger catalogue of small datasets takes at most 5x the smaller one
    "noop_share": 0.10,  # rebuild with nothing changed < 10% of the cold build
    "changed_share": 0.10,  # rebuild after one cell of one small dataset changed <= 10% of the cold build
    "baseline_ratio": 0.6,  # cold build wall time <= 0.6 x (frictionless + mkdocs)
    "baseline_cpu_ratio": 1.0,  # cold build CPU time <= 1.0 x (frictionless + mkdocs)
}


# --- the synthetic catalogue --------------------------------------------------------------------------------

TOPICS = (
    ("Giáo dục", "Education"),
    ("Y tế", "Health"),
    ("Nông nghiệp", "Agriculture"),
    ("Giao thông", "Transport"),
    ("Dân số", "Population"),
    ("Lâm nghiệp", "Forestry"),
    ("Thủy lợi", "Irrigation"),
    ("Văn hóa", "Culture"),
    ("Du lịch", "Tourism"),
    ("Việc làm", "Employment"),
)
PLACE_KINDS = ("Xã", "Phường", "Thị trấn", "Thôn", "Làng", "Buôn", "Tổ dân phố")
SYLLABLES = (
    "Ia", "Đak", "Kon", "Chư", "Hà", "Tây", "Sơn", "Bình", "Phú", "An", "Thành", "Nghĩa", "Đông", "Hòa", "Tân",
    "Lộc", "Quý", "Kông", "Pơ", "Yang", "Đoa", "Krông", "Hrang", "Băng", "Grai", "Ơ", "Rông", "Kênh", "Hiếu",
    "Trạm", "Lập", "Tú", "Cửu", "Phước", "Xuân", "Khê", "Bầu", "Cần", "Đê", "Glar", "Hneng", "Tơ", "Yên", "Thượng",
    "Mơ", "Nueng", "Sư", "Pết", "Kdang", "Trang",
)  # fmt: skip
DISTRICTS = ("An Khê", "Kbang", "Đak Đoa", "Mang Yang", "Đak Pơ", "Chư Păh", "Ia Grai", "Kông Chro")
NOTES = (
    "Số liệu ước tính, chưa được thẩm định",
    'Theo báo cáo "sơ bộ" của Ủy ban nhân dân xã',
    "Đã điều chỉnh theo kết quả rà soát năm sau",
    "Chưa bao gồm các hộ tạm trú",
    "Số liệu do thôn, làng tự khai",
)
AREA_TYPES = (("nong-thon", "nông thôn", "rural"), ("do-thi", "đô thị", "urban"), ("mien-nui", "miền núi", "upland"))
LEVELS = (("thap", "thấp", "low"), ("trung-binh", "trung bình", "medium"), ("cao", "cao", "high"))
LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
_DAY_ZERO = datetime.date(2015, 1, 1).toordinal()


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def place_name(rng: Random) -> str:
    """``Xã Ia Băng``: a Vietnamese place name, NFC."""
    return nfc(f"{rng.choice(PLACE_KINDS)} {rng.choice(SYLLABLES)} {rng.choice(SYLLABLES)}")


def _decimal(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _date(rng: Random) -> str:
    return datetime.date.fromordinal(_DAY_ZERO + rng.randrange(3653)).isoformat()


def _field(name: str, type_: str, vi: str, en: str, **constraints: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {"name": name, "type": type_, "title": vi, "translations": {"en": {"title": en}}}
    if constraints:
        spec["constraints"] = constraints
    return spec


def _coded(name: str, vi: str, en: str, codes: Sequence[tuple[str, str, str]], required: bool) -> dict[str, Any]:
    """A coded column as the conventions write it: an ``enum`` and Table Schema v2 ``categories`` labels."""
    spec = _field(name, "string", vi, en, required=required, enum=[c for c, _, _ in codes])
    spec["categories"] = [{"value": c, "label": label} for c, label, _ in codes]
    spec["translations"]["en"]["categories"] = {c: label for c, _, label in codes}
    return spec


def _resource(name: str, vi: str, en: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "title": vi,
        "translations": {"en": {"title": en}},
        "path": f"{name}.csv",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": schema,
    }


def _package(
    name: str, title: tuple[str, str], topic: tuple[str, str], resources: list[dict[str, Any]]
) -> dict[str, Any]:
    """A package with the properties the conventions ask for (English beside the Vietnamese, CC BY)."""
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": name,
        "title": title[0],
        "description": f"Dữ liệu giả định, tạo tự động để đo hiệu năng của trang (chủ đề: {topic[0].lower()}).",
        "translations": {
            "en": {
                "title": title[1],
                "description": f"Made-up data, generated to measure the site's build (topic: {topic[1].lower()}).",
            }
        },
        "version": "1.0.0",
        "keywords": [topic[0].lower(), topic[1].lower(), "dữ liệu tổng hợp"],
        "licenses": [LICENSE],
        "resources": resources,
    }


def _write_descriptor(folder: Path, descriptor: dict[str, Any], seed: int) -> None:
    text = yaml.safe_dump(descriptor, allow_unicode=True, sort_keys=False, width=120, default_flow_style=None)
    header = f"# Synthetic dataset written by benchmarks/run.py (seed {seed}); not real data.\n"
    (folder / "datapackage.yaml").write_text(header + text, encoding="utf-8")


def _write_csv(path: Path, header: Sequence[str], rows: Iterator[Sequence[str]] | list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _ids(datasets_dir: Path, dataset: str) -> list[str]:
    """The ``id`` column of ``datasets/<dataset>/<dataset>.csv`` (members, sources), in file order."""
    with (datasets_dir / dataset / f"{dataset}.csv").open(encoding="utf-8", newline="") as handle:
        return [row["id"] for row in csv.DictReader(handle)]


def small_dataset(
    datasets_dir: Path, index: int, seed: int, members: Sequence[str], sources: Sequence[str], rows: int = SMALL_ROWS
) -> str:
    """``synthetic-NNNN``: two resources of ``rows`` rows, ``places`` and ``figures`` (which refers to it)."""
    rng = Random(f"{seed}-small-{index}")  # noqa: S311 - test data, not secrets
    name = f"{SMALL_PREFIX}{index:04d}"
    topic_vi, topic_en = TOPICS[index % len(TOPICS)]
    folder = datasets_dir / name
    folder.mkdir(parents=True)
    places_schema = {
        "primaryKey": ["id"],
        "foreignKeys": [
            {"fields": ["member_id"], "reference": {"package": "members", "resource": "members", "fields": ["id"]}},
            {"fields": ["source_id"], "reference": {"package": "sources", "resource": "sources", "fields": ["id"]}},
        ],
        "fields": [
            _field("id", "string", "Mã địa bàn", "Place id", required=True, pattern="[a-z][a-z0-9-]*"),
            _field("name", "string", "Tên địa bàn", "Place", required=True),
            _field("member_id", "string", "Địa phương", "Locality", required=True),
            _field("established", "date", "Ngày thành lập", "Established", required=True),
            _field("area_km2", "number", "Diện tích (km²)", "Area (km²)", required=True, minimum=0, maximum=10000),
            _field("source_id", "string", "Nguồn", "Source", required=True),
        ],
    }
    figures_schema = {
        "primaryKey": ["year", "place_id"],
        "foreignKeys": [{"fields": ["place_id"], "reference": {"resource": "places", "fields": ["id"]}}],
        "fields": [
            _field("year", "year", "Năm", "Year", required=True, minimum=2000, maximum=2100),
            _field("place_id", "string", "Địa bàn", "Place", required=True),
            _field("value", "number", "Giá trị", "Value", required=True, minimum=0, maximum=1000000),
            _field("count", "integer", "Số hộ", "Households", required=True, minimum=0, maximum=100000),
            _coded("level", "Mức", "Level", LEVELS, required=True),
            _field("note", "string", "Ghi chú", "Note"),
        ],
    }
    descriptor = _package(
        name,
        (f"{topic_vi}: bộ dữ liệu tổng hợp số {index}", f"{topic_en}: synthetic dataset no. {index}"),
        (topic_vi, topic_en),
        [
            _resource("places", "Danh mục địa bàn", "Places", places_schema),
            _resource("figures", "Số liệu theo địa bàn", "Figures by place", figures_schema),
        ],
    )
    _write_descriptor(folder, descriptor, seed)
    place_ids = [f"p{index:04d}-{i:03d}" for i in range(rows)]
    _write_csv(
        folder / "places.csv",
        [f["name"] for f in places_schema["fields"]],
        [
            [
                pid,
                place_name(rng),
                rng.choice(members),
                _date(rng),
                _decimal(rng.randrange(100, 1_000_000)),
                rng.choice(sources),
            ]
            for pid in place_ids
        ],
    )
    _write_csv(
        folder / "figures.csv",
        [f["name"] for f in figures_schema["fields"]],
        [
            [
                str(2022 + i % 2),
                place_ids[i // 2],
                _decimal(rng.randrange(0, 100_000_000)),
                str(rng.randrange(0, 100_000)),
                rng.choice(LEVELS)[0],
                rng.choice(NOTES) if rng.random() < 0.2 else "",
            ]
            for i in range(rows)
        ],
    )
    return name


def large_rows(rows: int, seed: int) -> Iterator[list[str]]:
    rng = Random(f"{seed}-large")  # noqa: S311 - test data, not secrets
    for i in range(1, rows + 1):
        yield [
            str(i),
            place_name(rng),
            rng.choice(DISTRICTS),
            _date(rng),
            _decimal(rng.randrange(0, 10_000_000)),
            str(rng.randrange(0, 5000)),
            rng.choice(AREA_TYPES)[0],
            rng.choice(NOTES) if rng.random() < 0.1 else "",
        ]


def large_dataset(datasets_dir: Path, rows: int, seed: int) -> str:
    """``large-survey``: one resource of ``rows`` rows and 8 columns."""
    folder = datasets_dir / LARGE_NAME
    folder.mkdir(parents=True)
    schema = {
        "primaryKey": ["id"],
        "fields": [
            _field("id", "integer", "Mã phiếu", "Record id", required=True, minimum=1),
            _field("place", "string", "Địa bàn", "Place", required=True),
            _field("district", "string", "Huyện, thị xã", "District", required=True),
            _field("surveyed", "date", "Ngày khảo sát", "Survey date", required=True),
            _field("value", "number", "Thu nhập (triệu đồng)", "Income (million VND)", minimum=0, maximum=100000),
            _field("households", "integer", "Số hộ", "Households", required=True, minimum=0, maximum=5000),
            _coded("area_type", "Loại địa bàn", "Kind of area", AREA_TYPES, required=True),
            _field("note", "string", "Ghi chú", "Note"),
        ],
    }
    descriptor = _package(
        LARGE_NAME,
        ("Khảo sát hộ gia đình (tổng hợp)", "Household survey (synthetic)"),
        ("Khảo sát", "Survey"),
        [_resource(LARGE_RESOURCE, "Phiếu khảo sát", "Survey records", schema)],
    )
    _write_descriptor(folder, descriptor, seed)
    _write_csv(folder / f"{LARGE_RESOURCE}.csv", [f["name"] for f in schema["fields"]], large_rows(rows, seed))
    return LARGE_NAME


def generate_catalogue(
    datasets_dir: Path, datasets: int, rows: int, seed: int = SEED, small_rows: int = SMALL_ROWS
) -> list[str]:
    """Write ``datasets`` small datasets and, if ``rows`` > 0, the large one into ``datasets_dir``, which must
    already hold ``members`` and ``sources`` (their ids are referred to). Returns the names written."""
    members, sources = _ids(datasets_dir, "members"), _ids(datasets_dir, "sources")
    names = [small_dataset(datasets_dir, i, seed, members, sources, small_rows) for i in range(1, datasets + 1)]
    if rows > 0:
        names.append(large_dataset(datasets_dir, rows, seed))
    return names


def change_cell(datasets_dir: Path, step: int) -> None:
    """One cell of one small dataset (the first row's ``value`` in ``synthetic-0001/figures.csv``): raised by
    0.01 on even steps, restored on odd ones, so that every step is a change."""
    path = datasets_dir / f"{SMALL_PREFIX}0001" / "figures.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    cents = round(float(rows[1][2]) * 100) + (1 if step % 2 == 0 else -1)
    rows[1][2] = _decimal(cents)
    _write_csv(path, rows[0], rows[1:])


# --- the project folder -------------------------------------------------------------------------------------


def generated_paths(repo: Path) -> tuple[str, ...]:
    """``GENERATED_PATHS`` of the measured repository's ``generator/config.py`` (read from that file, so that
    ``--repo`` measures another checkout's)."""
    spec = importlib.util.spec_from_file_location("_bench_config", repo / "generator" / "config.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return tuple(module.GENERATED_PATHS)


def make_project(
    project: Path, repo: Path, datasets: int, rows: int, seed: int, git: bool = True, small_rows: int = SMALL_ROWS
) -> list[str]:
    """A project folder as a build reads it: mkdocs.yml (and each language's mkdocs.<lang>.yml), overrides/,
    the hand-written docs/, members and sources, the synthetic datasets; committed to a fresh git repository
    (one commit, fixed date) unless ``git`` is false. Returns the generated datasets' names."""
    project.mkdir(parents=True)
    for config in repo.glob("mkdocs*.yml"):
        shutil.copy2(config, project / config.name)
    shutil.copytree(repo / "overrides", project / "overrides")
    generated = set(generated_paths(repo))
    shutil.copytree(
        repo / "docs",
        project / "docs",
        ignore=lambda folder, names: set(names) & generated if Path(folder) == repo / "docs" else set(),
    )
    for name in COPIED_DATASETS:
        shutil.copytree(repo / "datasets" / name, project / "datasets" / name)
    names = generate_catalogue(project / "datasets", datasets, rows, seed, small_rows)
    if git and shutil.which("git"):
        env = {
            **os.environ,
            "GIT_AUTHOR_DATE": f"@{EPOCH} +0700",
            "GIT_COMMITTER_DATE": f"@{EPOCH} +0700",
            "GIT_AUTHOR_NAME": "Benchmark",
            "GIT_AUTHOR_EMAIL": "benchmark@example.org",
            "GIT_COMMITTER_NAME": "Benchmark",
            "GIT_COMMITTER_EMAIL": "benchmark@example.org",
        }
        for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "--no-gpg-sign", "-m", "Synthetic catalogue"]):
            subprocess.run(["git", *args], cwd=project, env=env, check=True, capture_output=True)
    return names


def reset(project: Path, hand_written: frozenset[str], cache: Path) -> None:
    """Back to the inputs only: everything a build wrote (site/, generated pages, staging or cache folders)
    removed."""
    for path in project.iterdir():
        if path.name not in PROJECT_INPUTS and not _is_config(path):
            _remove(path)
    for path in (project / "docs").iterdir():
        if path.name not in hand_written:
            _remove(path)
    _remove(cache)
    cache.mkdir(parents=True)


def _is_config(path: Path) -> bool:
    return path.name.startswith("mkdocs") and path.suffix == ".yml"


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


# --- measuring ----------------------------------------------------------------------------------------------


class BenchmarkError(Exception):
    """A measured command failed; the message says which and shows the end of its output."""


@dataclass
class Run:
    """One child process: wall time, CPU time (its own and its children's), the largest resident set of any
    one of its processes (``wait4``), and the largest sum of PSS over all of them, sampled every 0.2 s
    (forked workers share pages: PSS counts each shared page once, split between them)."""

    seconds: float
    peak_mb: float
    cpu_s: float = 0.0
    tree_peak_mb: float = 0.0
    stdout: str = ""

    @property
    def memory_mb(self) -> float:
        """The build's peak memory, all its processes together (at least the largest single one)."""
        return max(self.peak_mb, self.tree_peak_mb)


@dataclass
class Runner:
    """Runs each measured command as a fresh child process, with its own peak memory."""

    repo: Path
    work: Path
    timeout: float
    memory_limit_mb: float
    verbose: bool = True
    count: int = 0

    @property
    def cache(self) -> Path:
        return self.work / "xdg-cache"

    def env(self, extra_path: Sequence[Path] = ()) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "PYTHONPATH", "GITHUB_ACTIONS")}
        env["PYTHONPATH"] = os.pathsep.join(str(p) for p in (self.repo, *extra_path))
        env["SOURCE_DATE_EPOCH"] = str(EPOCH)
        env["NO_MKDOCS_2_WARNING"] = "1"
        env["XDG_CACHE_HOME"] = str(self.cache)
        env["LANGUAGE"], env["LC_ALL"] = "en", "C.UTF-8"  # the generator's messages in English (parsed here)
        return env

    def run(self, label: str, command: Sequence[str], cwd: Path, extra_path: Sequence[Path] = ()) -> Run:
        self.count += 1
        log = self.work / "logs" / f"{self.count:03d}-{re.sub(r'[^a-z0-9]+', '-', label.lower())}"
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(f"{log}.out", "wb") as out, open(f"{log}.err", "wb") as err:
            start = time.perf_counter()
            child = subprocess.Popen(
                command, cwd=cwd, env=self.env(extra_path), stdout=out, stderr=err, start_new_session=True
            )
            watchdog = _Watchdog(child.pid, self.timeout, self.memory_limit_mb)
            watchdog.start()
            _, status, usage = os.wait4(child.pid, 0)
            seconds = time.perf_counter() - start
            child.returncode = os.waitstatus_to_exitcode(status)
            watchdog.stop()
        stdout = Path(f"{log}.out").read_text(encoding="utf-8", errors="replace")
        peak = usage.ru_maxrss * 1024 / MB  # kB on Linux
        cpu = usage.ru_utime + usage.ru_stime
        if self.verbose:
            print(
                f"  {label}: {seconds:.1f} s (CPU {cpu:.1f} s), {peak:.0f} MB largest process, "
                f"{watchdog.tree_peak_mb:.0f} MB all processes",
                file=sys.stderr,
                flush=True,
            )
        if child.returncode != 0 or watchdog.reason:
            tail = Path(f"{log}.err").read_text(encoding="utf-8", errors="replace").strip().splitlines()[-30:]
            raise BenchmarkError(
                f"{label} failed (exit {child.returncode}{', ' + watchdog.reason if watchdog.reason else ''}) "
                f"after {seconds:.1f} s, peak {peak:.0f} MB: {' '.join(command)}\n"
                + "\n".join(tail)
                + f"\n(full output: {log}.out, {log}.err)"
            )
        return Run(seconds, peak, cpu, watchdog.tree_peak_mb, stdout)


class _Watchdog(threading.Thread):
    """Samples the memory of the child's processes (its session: the child and everything it forks), and
    kills them past a time limit or when together they pass a memory limit (the machine is shared: a build
    that would take all of it is stopped, and reported)."""

    def __init__(self, pid: int, timeout: float, memory_limit_mb: float) -> None:
        super().__init__(daemon=True)
        self.pid, self.timeout, self.limit = pid, timeout, memory_limit_mb
        self.reason = ""
        self.tree_peak_mb = 0.0
        self._done = threading.Event()

    def run(self) -> None:
        deadline = time.monotonic() + self.timeout
        while not self._done.wait(0.2):
            used = _session_mb(self.pid)
            self.tree_peak_mb = max(self.tree_peak_mb, used)
            if time.monotonic() > deadline:
                self._kill(f"killed after the {self.timeout:.0f} s time limit")
            elif self.limit and used > self.limit:
                self._kill(f"killed above the {self.limit:.0f} MB memory limit")

    def _kill(self, reason: str) -> None:
        self.reason = reason
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        self._done.set()

    def stop(self) -> None:
        self._done.set()
        self.join()


def _session_mb(session: int) -> float:
    """The PSS of every process of ``session`` (the child started with ``start_new_session``), summed."""
    total = 0.0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry.name}/stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[3]) != session:  # state, ppid, pgrp, session
                continue
            total += _pss_mb(entry.name)
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
    return total


def _pss_mb(pid: str) -> float:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024 / MB
    except OSError:
        pass
    fields = Path(f"/proc/{pid}/statm").read_text().split()  # no smaps_rollup: resident size
    return int(fields[1]) * os.sysconf("SC_PAGE_SIZE") / MB


_BUILT = re.compile(r"\((\d+) generated files written, (\d+) removed, (\d+) unchanged\)")


def written(run: Run) -> int | None:
    """How many generated files the build wrote, from its closing line."""
    match = _BUILT.search(run.stdout)
    return int(match.group(1)) if match else None


# Run in a child: every package validated by frictionless alone, with its references to other datasets left
# out (frictionless cannot resolve ``reference: {package: ...}`` and would skip the rows of that resource).
_FRICTIONLESS = """
import json, sys
from frictionless import Package
rows = errors = 0
for path in sys.argv[1:]:
    package = Package(path)
    for resource in package.resources:
        schema = getattr(resource, "schema", None)
        if schema is not None and schema.foreign_keys:
            schema.foreign_keys = [k for k in schema.foreign_keys if not k.get("reference", {}).get("package")]
    report = package.validate()
    errors += len(report.errors) + sum(len(t.errors) for t in report.tasks)
    rows += sum(t.stats.get("rows") or 0 for t in report.tasks)
print(json.dumps({"packages": len(sys.argv) - 1, "rows": rows, "errors": errors}))
"""


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def _page_sizes(site: Path) -> dict[str, Any]:
    """The largest HTML pages, the large resource's page (in each language: ``du-lieu/...`` and
    ``<lang>/du-lieu/...``) and the search indexes (one per language)."""
    pages = sorted(((p.stat().st_size, p.relative_to(site).as_posix()) for p in site.rglob("*.html")), reverse=True)
    large = {p.relative_to(site).as_posix(): p.stat().st_size for p in site.glob(f"**/du-lieu/{LARGE_NAME}/index.html")}
    indexes = {p.relative_to(site).as_posix(): p.stat().st_size for p in site.glob("**/search/search_index.json")}
    limit = TARGETS["page_kb"] * 1000
    return {
        "html_pages": len(pages),
        "pages_over_limit": [{"page": p, "bytes": b} for b, p in pages if b >= limit],
        "largest_page_bytes": pages[0][0] if pages else 0,
        "largest_page": pages[0][1] if pages else "",
        "next_largest": [{"page": p, "bytes": b} for b, p in pages[1:4]],
        "large_pages": large,
        "large_page_bytes": max(large.values()) if large else None,
        "search_indexes": indexes,
        "search_index_bytes": max(indexes.values()) if indexes else None,
        "site_bytes": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()),
    }


def _first_visits(site: Path) -> dict[str, Any] | None:
    """What a first visit to each kind of page of the synthetic site sends on the wire (gzip, as GitHub Pages
    serves it), loading the page only, and with the search opened (``benchmarks/page_weight.py``, in Debian's
    Chromium). ``None`` without Chromium."""
    if str(ROOT / "benchmarks") not in sys.path:
        sys.path.insert(0, str(ROOT / "benchmarks"))
    import page_weight  # beside this script

    kinds = [
        page_weight.PageKind("home", "/", "home"),
        page_weight.PageKind("catalogue", "/du-lieu/", "catalogue"),
        page_weight.PageKind("small dataset", f"/du-lieu/{SMALL_PREFIX}0001/", "dataset"),
        page_weight.PageKind("large dataset", f"/du-lieu/{LARGE_NAME}/", "dataset"),
        page_weight.PageKind("member", "/dia-phuong/dak-po/", "member"),
        page_weight.PageKind("en-catalogue", "/en/du-lieu/", "catalogue", lang="en"),
    ]
    kinds = [k for k in kinds if (site / k.path.strip("/") / "index.html").is_file()]
    try:
        weights = page_weight.measure_all(site, kinds)
    except FileNotFoundError as exc:
        _say(f"first visits not measured: {exc}")
        return None
    visits = {w.page.name: {"load": w.sent(with_search=False), "with_search": w.sent()} for w in weights}
    return {
        "first_visits": visits,
        "first_visit_bytes": max(v["load"] for v in visits.values()),
        "first_visit_page": max(visits, key=lambda name: visits[name]["load"]),
    }


def mkdocs_alone(
    runner: Runner, project: Path, generated: frozenset[str], label: str, output: Path
) -> tuple[float, float, float]:
    """MkDocs alone on the pages the generator wrote, as the generator runs it: ``mkdocs.yml`` from ``docs/``
    (which leaves the other languages' folders out), then for each ``mkdocs.<lang>.yml`` a build from the
    hand-written files plus ``docs/<lang>/`` into ``<output>/<lang>``. Those folders are put together before
    the clock starts. Returns the summed time, the summed CPU time and the largest peak."""
    _remove(output)
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q"]
    runs = [runner.run(f"{label} (mkdocs.yml)", [*command, "-f", "mkdocs.yml", "-d", str(output)], project)]
    for config in sorted(project.glob("mkdocs.*.yml")):
        lang = config.name.split(".")[1]
        if not (project / "docs" / lang).is_dir():
            continue
        docs = runner.work / f"mkdocs-alone-docs-{lang}"
        _remove(docs)
        shutil.copytree(project / "docs", docs, ignore=lambda folder, names: set(names) & generated)
        shutil.copytree(project / "docs" / lang, docs, dirs_exist_ok=True)
        # In the project folder (MkDocs resolves overrides/ beside the configuration); removed by reset().
        inherit = project / f".benchmark-{config.name}"
        inherit.write_text(f"INHERIT: {config.name}\ndocs_dir: {json.dumps(str(docs))}\n", encoding="utf-8")
        runs.append(
            runner.run(f"{label} ({config.name})", [*command, "-f", inherit.name, "-d", str(output / lang)], project)
        )
        _remove(docs)
    _remove(output)
    return sum(r.seconds for r in runs), sum(r.cpu_s for r in runs), max(r.memory_mb for r in runs)


def build_command(project: Path, timings: Path | None = None) -> list[str]:
    """``python -m generator build`` of ``project``; with ``timings``, its stages timed into that file."""
    command = [sys.executable, "-m", "generator", "--root", str(project), "build"]
    return [*command, "--timings", str(timings)] if timings is not None else command


def stage_medians(runs: Sequence[Path]) -> list[dict[str, Any]]:
    """Each stage of the cold builds' ``--timings`` files, in the first run's order: the median wall and CPU
    time over the runs that timed it."""
    timed = [json.loads(path.read_text(encoding="utf-8"))["stages"] for path in runs]
    order = [s["stage"] for s in timed[0]] if timed else []
    return [
        {
            "stage": name,
            "wall_s": median([s["wall_s"] for run in timed for s in run if s["stage"] == name]),
            "cpu_s": median([s["cpu_s"] for run in timed for s in run if s["stage"] == name]),
        }
        for name in order
    ]


def bench_catalogue(
    runner: Runner, project: Path, hand_written: frozenset[str], generated: frozenset[str], runs: int
) -> dict[str, Any]:
    """Cold builds interleaved with the baselines, then rebuilds with nothing changed and with one cell changed."""
    descriptors = sorted(str(p) for p in (project / "datasets").glob("*/datapackage.yaml"))
    cold, frictionless, mkdocs = [], [], []
    pages: dict[str, Any] = {}
    checked: dict[str, Any] = {}
    stages = [runner.work / "timings" / f"cold-{i}.json" for i in range(1, runs + 1)]
    stages[0].parent.mkdir(parents=True, exist_ok=True)
    for i in range(1, runs + 1):
        reset(project, hand_written, runner.cache)
        cold.append(runner.run(f"cold build {i}", build_command(project, stages[i - 1]), project))
        if not pages:
            pages = _page_sizes(project / "site")
            pages.update(_first_visits(project / "site") or {})
        run = runner.run(
            f"frictionless alone {i}", [sys.executable, "-c", _FRICTIONLESS, *descriptors], project / "datasets"
        )
        checked = json.loads(run.stdout.strip().splitlines()[-1])
        frictionless.append(run)
        mkdocs.append(mkdocs_alone(runner, project, generated, f"mkdocs alone {i}", runner.work / "mkdocs-alone"))
    noop = [runner.run(f"rebuild, nothing changed {i}", build_command(project), project) for i in range(1, runs + 1)]
    changed = []
    for i in range(1, runs + 1 if (project / "datasets" / f"{SMALL_PREFIX}0001").is_dir() else 1):
        change_cell(project / "datasets", i)
        changed.append(runner.run(f"rebuild, one cell changed {i}", build_command(project), project))
    cold_s = median([r.seconds for r in cold])
    baseline_s = median([r.seconds for r in frictionless]) + median([s for s, _, _ in mkdocs])
    baseline_cpu_s = median([r.cpu_s for r in frictionless]) + median([c for _, c, _ in mkdocs])
    return {
        "cold_s": cold_s,
        "cold_runs_s": [r.seconds for r in cold],
        "peak_mb": median([r.memory_mb for r in cold]),
        "peak_runs_mb": [r.memory_mb for r in cold],
        "largest_process_mb": median([r.peak_mb for r in cold]),
        "cold_cpu_s": median([r.cpu_s for r in cold]),
        "cold_stages": stage_medians(stages),
        "noop_s": median([r.seconds for r in noop]),
        "noop_peak_mb": median([r.memory_mb for r in noop]),
        "noop_cpu_s": median([r.cpu_s for r in noop]),
        "noop_written": [written(r) for r in noop],
        "noop_share": median([r.seconds for r in noop]) / cold_s,
        "changed_s": median([r.seconds for r in changed]) if changed else None,
        "changed_peak_mb": median([r.memory_mb for r in changed]) if changed else None,
        "changed_cpu_s": median([r.cpu_s for r in changed]) if changed else None,
        "changed_written": [written(r) for r in changed],
        "changed_share": median([r.seconds for r in changed]) / cold_s if changed else None,
        "frictionless_s": median([r.seconds for r in frictionless]),
        "frictionless_peak_mb": median([r.memory_mb for r in frictionless]),
        "frictionless_cpu_s": median([r.cpu_s for r in frictionless]),
        "frictionless_checked": checked,
        "mkdocs_s": median([s for s, _, _ in mkdocs]),
        "mkdocs_cpu_s": median([c for _, c, _ in mkdocs]),
        "mkdocs_peak_mb": median([m for _, _, m in mkdocs]),
        "baseline_cpu_ratio": median([r.cpu_s for r in cold]) / baseline_cpu_s,
        "baseline_ratio": cold_s / baseline_s,
        **pages,
    }


def bench_scaling(runner: Runner, repo: Path, seed: int, sizes: tuple[int, int], runs: int) -> dict[str, Any]:
    """Cold builds of two catalogues of small datasets only (no large one): does the time grow linearly?"""
    result: dict[str, Any] = {}
    for n in sizes:
        project = runner.work / f"scaling-{n}"
        _say(f"scaling: generating {n} small datasets")
        make_project(project, repo, n, 0, seed)
        hand_written = frozenset(p.name for p in (project / "docs").iterdir())
        times, peaks = [], []
        for i in range(1, runs + 1):
            reset(project, hand_written, runner.cache)
            run = runner.run(f"cold build, {n} small datasets, {i}", build_command(project), project)
            times.append(run.seconds)
            peaks.append(run.memory_mb)
        result[str(n)] = {"cold_s": median(times), "runs_s": times, "peak_mb": median(peaks)}
        shutil.rmtree(project)
    small, large = (result[str(n)]["cold_s"] for n in sizes)
    result["ratio"] = large / small
    result["sizes"] = list(sizes)
    return result


# --- mkdocs-table-reader-plugin -----------------------------------------------------------------------------

_TABLE_READER_CONFIG = """\
site_name: Table reader
docs_dir: docs
site_dir: site
theme:
  name: material
  language: vi
  font: false
plugins:
  - search:
      lang: vi
  - table-reader
markdown_extensions:
  - tables
"""

# mkdocs with the plugin's folder appended to sys.path: the venv's packages (mkdocs, Material) come first, the
# folder only adds what the venv lacks (the plugin, pandas, tabulate).
_MKDOCS_APPENDED = "import sys; sys.path.append(sys.argv.pop(1)); from mkdocs.__main__ import cli; cli()"


def install_table_reader(target: Path) -> None:
    """``pip install --target``: a folder of its own, never the project's virtual environment."""
    if (target / ".complete").is_file():
        return
    _say(f"installing {', '.join(TABLE_READER_PACKAGES)} into {target} (pip install --target)")
    pip = [sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--target", str(target)]
    subprocess.run([*pip, "--no-deps", "mkdocs-table-reader-plugin", "tabulate"], check=True)
    subprocess.run([*pip, "pandas"], check=True)
    (target / ".complete").write_text("")


def bench_table_reader(runner: Runner, repo: Path, seed: int, rows: int, runs: int, target: Path) -> dict[str, Any]:
    """The same CSV of ``rows`` rows: embedded in a page by mkdocs-table-reader-plugin, and built by the
    generator (a catalogue of that one dataset, plus members and sources)."""
    install_table_reader(target)
    ours = runner.work / "table-reader-ours"
    make_project(ours, repo, 0, rows, seed)
    csv_file = ours / "datasets" / LARGE_NAME / f"{LARGE_RESOURCE}.csv"
    theirs = runner.work / "table-reader-plugin"
    (theirs / "docs").mkdir(parents=True)
    (theirs / "mkdocs.yml").write_text(_TABLE_READER_CONFIG, encoding="utf-8")
    shutil.copy2(csv_file, theirs / "docs" / "survey.csv")
    page = "# Phiếu khảo sát\n\n{{ read_csv('docs/survey.csv') }}\n"
    (theirs / "docs" / "index.md").write_text(page, encoding="utf-8")
    hand_written = frozenset(p.name for p in (ours / "docs").iterdir())
    plugin, generator = [], []
    version = _version_in(target, "mkdocs-table-reader-plugin")
    for i in range(1, runs + 1):
        _remove(theirs / "site")
        plugin.append(
            runner.run(
                f"mkdocs-table-reader-plugin {version}, {rows} rows, {i}",
                [sys.executable, "-c", _MKDOCS_APPENDED, str(target), "build", "-q"],
                theirs,
            )
        )
        reset(ours, hand_written, runner.cache)
        generator.append(runner.run(f"generator, {rows} rows, {i}", build_command(ours), ours))
    theirs_page = theirs / "site" / "index.html"
    ours_page = ours / "site" / "du-lieu" / LARGE_NAME / "index.html"
    return {
        "rows": rows,
        "csv_bytes": csv_file.stat().st_size,
        "plugin_version": version,
        "plugin_s": median([r.seconds for r in plugin]),
        "plugin_peak_mb": median([r.memory_mb for r in plugin]),
        "plugin_page_bytes": theirs_page.stat().st_size,
        "generator_s": median([r.seconds for r in generator]),
        "generator_peak_mb": median([r.memory_mb for r in generator]),
        "generator_page_bytes": ours_page.stat().st_size,
    }


def _version_in(folder: Path, name: str) -> str:
    found = next(importlib.metadata.distributions(path=[str(folder)], name=name), None)
    return found.version if found else "?"


# --- profile ------------------------------------------------------------------------------------------------


def profile_build(runner: Runner, project: Path, hand_written: frozenset[str], output: Path) -> str:
    """One more cold build under cProfile; returns the 30 functions with the largest cumulative time."""
    reset(project, hand_written, runner.cache)
    command = [sys.executable, "-m", "cProfile", "-o", str(output), "-m", "generator", "--root", str(project), "build"]
    runner.run("cold build under cProfile", command, project)
    stream = _Capture()
    pstats.Stats(str(output), stream=stream).sort_stats("cumulative").print_stats(30)  # type: ignore[arg-type]
    return stream.text


class _Capture:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        self.parts.append(text)
        return len(text)

    @property
    def text(self) -> str:
        return "".join(self.parts)


# --- report -------------------------------------------------------------------------------------------------


def machine(repo: Path) -> dict[str, Any]:
    def version(name: str) -> str:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return "?"

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=repo, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "generator"], cwd=repo, capture_output=True, text=True)
    return {
        "cpus": os.cpu_count(),
        "cpu": _cpu_model(),
        "memory_mb": os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // MB,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "platform": platform.platform(),
        "frictionless": version("frictionless"),
        "mkdocs": version("mkdocs"),
        "mkdocs-material": version("mkdocs-material"),
        "repository": str(repo),
        "commit": (commit.stdout.strip() or "(not a git checkout)")
        + (" + uncommitted generator changes" if dirty.stdout.strip() else ""),
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def _kb(n: float | None) -> str:
    return "—" if n is None else f"{n / 1000:,.1f} kB"


def _sizes(files: dict[str, int]) -> str:
    """``412.3 kB (`du-lieu/x/index.html`), ...``: one size per file (one file per language)."""
    return ", ".join(f"{_kb(n)} (`{name}`)" for name, n in files.items()) or "—"


def _verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("yes" if ok else "**no**")


def report(results: dict[str, Any]) -> str:
    """The figures as a Markdown table, then the machine."""
    size = results["size"]
    c = results.get("catalogue")
    lines = [
        f"Catalogue: {size['datasets']:,} small datasets (2 resources of {SMALL_ROWS} rows) + 1 dataset of "
        f"{size['rows']:,} rows × 8 columns; median of {results['runs']} runs (seed {results['seed']}).",
        "",
        "| figure | value | target | met |",
        "| --- | ---: | --- | --- |",
    ]
    if c:
        large_kb = c["large_page_bytes"] / 1000 if c["large_page_bytes"] is not None else None
        lines += [
            f"| cold build | {c['cold_s']:.1f} s (CPU {c['cold_cpu_s']:.1f} s) | | |",
            f"| rebuild, nothing changed | {c['noop_s']:.1f} s (CPU {c['noop_cpu_s']:.1f} s; {c['noop_share']:.0%} of "
            f"cold; files written: "
            f"{c['noop_written'][0]}) | < 10% of cold | {_verdict(c['noop_share'] < TARGETS['noop_share'])} |",
            f"| rebuild, one cell of one small dataset changed | {c['changed_s']:.1f} s (CPU "
            f"{c['changed_cpu_s']:.1f} s; {c['changed_share']:.0%} of cold; files written: "
            f"{c['changed_written'][0]}) | ≤ 10% of cold | {_verdict(c['changed_share'] <= TARGETS['changed_share'])} |"
            if c["changed_s"] is not None
            else "| rebuild, one cell of one small dataset changed | — (no small dataset) | | |",
            f"| peak memory (cold build, all processes; largest one {c['largest_process_mb']:,.0f} MB) | "
            f"{c['peak_mb']:,.0f} MB | < 250 MB | "
            f"{_verdict(c['peak_mb'] < TARGETS['peak_mb'])} |",
            f"| page of the {size['rows']:,}-row resource (HTML) | {_sizes(c['large_pages'])} | < 300 kB | "
            f"{_verdict(None if large_kb is None else large_kb < TARGETS['large_page_kb'])} |",
            f"| every page (HTML): largest | {_kb(c['largest_page_bytes'])} (`{c['largest_page']}`; "
            f"{len(c['pages_over_limit'])} of {c['html_pages']:,} pages at 300 kB or more"
            + (
                f": {', '.join('`' + p['page'] + '`' for p in c['pages_over_limit'][:5])}"
                if c["pages_over_limit"]
                else ""
            )
            + f") | < 300 kB each | {_verdict(not c['pages_over_limit'])} |",
            *(
                [
                    f"| first visit, gzip on the wire (largest: {c['first_visit_page']}; "
                    + "; ".join(
                        f"{name} {v['load'] / 1000:.0f} kB, {v['with_search'] / 1000:.0f} kB with the search opened"
                        for name, v in c["first_visits"].items()
                    )
                    + f") | {c['first_visit_bytes'] / 1000:.0f} kB | ≤ 150 kB | "
                    f"{_verdict(c['first_visit_bytes'] <= TARGETS['first_visit_kb'] * 1000)} |"
                ]
                if c.get("first_visits")
                else ["| first visit, gzip on the wire | — (no Chromium) | ≤ 150 kB | — |"]
            ),
            f"| search index | {_sizes(c['search_indexes'])} | | |",
            f"| site | {c['html_pages']:,} pages, {c['site_bytes'] / MB:,.1f} MB | | |",
            f"| frictionless alone (same packages) | {c['frictionless_s']:.1f} s "
            f"(CPU {c['frictionless_cpu_s']:.1f} s), "
            f"{c['frictionless_peak_mb']:,.0f} MB ({c['frictionless_checked']['rows']:,} rows, "
            f"{c['frictionless_checked']['errors']} errors) | | |",
            f"| mkdocs build alone (same pages) | {c['mkdocs_s']:.1f} s (CPU {c['mkdocs_cpu_s']:.1f} s), "
            f"{c['mkdocs_peak_mb']:,.0f} MB | | |",
            f"| cold build ÷ (frictionless + mkdocs), wall time | {c['baseline_ratio']:.2f} | ≤ 0.6 | "
            f"{_verdict(c['baseline_ratio'] <= TARGETS['baseline_ratio'])} |",
            f"| cold build ÷ (frictionless + mkdocs), CPU time | {c['baseline_cpu_ratio']:.2f} | ≤ 1.0 | "
            f"{_verdict(c['baseline_cpu_ratio'] <= TARGETS['baseline_cpu_ratio'])} |",
        ]
    s = results.get("scaling")
    if s:
        a, b = s["sizes"]
        lines += [
            f"| cold build, {a:,} small datasets | {s[str(a)]['cold_s']:.1f} s, {s[str(a)]['peak_mb']:,.0f} MB | | |",
            f"| cold build, {b:,} small datasets | {s[str(b)]['cold_s']:.1f} s, {s[str(b)]['peak_mb']:,.0f} MB | | |",
            f"| {b:,} ÷ {a:,} datasets | {s['ratio']:.2f} | ≤ {b / a:g} | {_verdict(s['ratio'] <= b / a)} |",
        ]
    t = results.get("table_reader")
    if t:
        lines += [
            f"| {t['rows']:,}-row CSV ({t['csv_bytes'] / MB:.1f} MB): mkdocs-table-reader-plugin {t['plugin_version']} "
            f"| {t['plugin_s']:.1f} s, {t['plugin_peak_mb']:,.0f} MB, page {_kb(t['plugin_page_bytes'])} | | |",
            f"| same CSV: the generator (whole site) | {t['generator_s']:.1f} s, {t['generator_peak_mb']:,.0f} MB, "
            f"page {_kb(t['generator_page_bytes'])} | | |",
        ]
    if c and c.get("cold_stages"):
        lines += ["", *stage_table(c, results["runs"])]
    m = results["machine"]
    lines += [
        "",
        f"Machine: {m['cpus']} CPUs ({m['cpu']}), {m['memory_mb']:,} MB, load average at start "
        f"{', '.join(str(x) for x in m['load_average'])}; Python {m['python']} ({m['platform']}); frictionless "
        f"{m['frictionless']}, mkdocs {m['mkdocs']}, mkdocs-material {m['mkdocs-material']}; generator at "
        f"{m['commit']}. kB = 1000 bytes, MB = 10^6 bytes; peak memory is that of all the build's processes "
        "together (PSS sampled every 0.2 s, at least the largest process's maximum resident set); CPU time "
        "includes the build's child processes.",
    ]
    return "\n".join(lines)


def stage_table(c: dict[str, Any], runs: int) -> list[str]:
    """The cold build stage by stage (``build --timings``) beside the baselines, and how much of its CPU time
    goes to work neither baseline does: loading, rendering, staging, and publishing besides MkDocs."""
    took = {s["stage"]: s for s in c["cold_stages"]}
    lines = [
        f"Cold build by stage (`build --timings`, median of {runs} runs; a stage inside another is indented):",
        "",
        "| stage | wall | CPU |",
        "| --- | ---: | ---: |",
    ]
    for s in c["cold_stages"]:  # indented once for each stage it is inside (``render.pages.vi`` in ``render``)
        depth = sum(1 for outer in took if s["stage"].startswith(outer + "."))
        lines.append(f"| {'↳ ' * depth}{s['stage']} | {s['wall_s']:.1f} s | {s['cpu_s']:.1f} s |")
    lines += [
        f"| *frictionless alone* | {c['frictionless_s']:.1f} s | {c['frictionless_cpu_s']:.1f} s |",
        f"| *mkdocs build alone* | {c['mkdocs_s']:.1f} s | {c['mkdocs_cpu_s']:.1f} s |",
    ]
    if all(name in took for name in ("load", "validate", "render", "stage", "publish", "mkdocs")):
        own = sum(took[n]["cpu_s"] for n in ("load", "render", "stage")) + took["publish"]["cpu_s"]
        own -= took["mkdocs"]["cpu_s"]
        lines += [
            "",
            f"Work neither baseline does (load, render, stage, and publish besides MkDocs): {own:.1f} s of CPU, "
            f"{own / c['cold_cpu_s']:.0%} of the cold build's {c['cold_cpu_s']:.1f} s. The CPU target allows "
            f"{c['frictionless_cpu_s'] + c['mkdocs_cpu_s']:.1f} s for the whole build, validate "
            f"({took['validate']['cpu_s']:.1f} s) and mkdocs "
            f"({took['mkdocs']['cpu_s']:.1f} s) included.",
        ]
    return lines


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].replace("\n", " "))
    parser.add_argument("--small", action="store_true", help="quick sizes: 50 small datasets, 20,000 rows")
    parser.add_argument("--datasets", type=int, help="small datasets in the catalogue (full: 1000)")
    parser.add_argument("--rows", type=int, help="rows of the large resource (full: 1,000,000; 0: none)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement; the median is reported")
    parser.add_argument("--seed", type=int, default=SEED, help=f"seed of the synthetic data (default {SEED})")
    parser.add_argument(
        "--scaling",
        metavar="A,B",
        help="catalogue sizes (small datasets only) compared for scaling (full: 200,1000; --small: 10,50)",
    )
    parser.add_argument("--no-scaling", action="store_true", help="skip the scaling measurement")
    parser.add_argument("--no-catalogue", action="store_true", help="skip the main catalogue (scaling etc. only)")
    parser.add_argument(
        "--table-reader",
        nargs="?",
        type=int,
        const=TABLE_READER_ROWS,
        metavar="ROWS",
        help="also compare with mkdocs-table-reader-plugin on a CSV of ROWS rows (default 100,000); installs the "
        "plugin with pip install --target into the work folder",
    )
    parser.add_argument("--repo", type=Path, default=ROOT, help="the checkout whose generator is measured")
    parser.add_argument("--work", type=Path, help="work folder (default: a new temporary folder, removed after)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--timeout", type=float, default=3 * 3600, help="seconds before a child is killed")
    parser.add_argument(
        "--memory-limit", type=float, default=16_000, help="MB of resident memory before a child is killed (0: none)"
    )
    parser.add_argument("--profile", type=Path, metavar="FILE", help="one more cold build under cProfile, to FILE")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write every figure as JSON to FILE")
    args = parser.parse_args(argv)

    base = SMALL if args.small else FULL
    size = Size(
        args.datasets if args.datasets is not None else base.datasets,
        args.rows if args.rows is not None else base.rows,
        tuple(int(x) for x in args.scaling.split(",")) if args.scaling else base.scaling,  # type: ignore[arg-type]
    )
    repo = args.repo.resolve()
    work = args.work.resolve() if args.work else Path(tempfile.mkdtemp(prefix="generator-benchmark-"))
    work.mkdir(parents=True, exist_ok=True)
    runner = Runner(repo, work, args.timeout, args.memory_limit)
    results: dict[str, Any] = {
        "machine": machine(repo),
        "size": asdict(size),
        "runs": args.runs,
        "seed": args.seed,
        "small_rows": SMALL_ROWS,
    }
    try:
        if not args.no_catalogue:
            project = work / "catalogue"
            _say(f"generating {size.datasets} small datasets and one of {size.rows:,} rows in {project}")
            started = time.perf_counter()
            make_project(project, repo, size.datasets, size.rows, args.seed)
            results["generation_s"] = time.perf_counter() - started
            hand_written = frozenset(p.name for p in (project / "docs").iterdir())
            generated = frozenset(generated_paths(repo))
            results["catalogue"] = bench_catalogue(runner, project, hand_written, generated, args.runs)
            if args.profile:
                results["profile"] = profile_build(runner, project, hand_written, args.profile.resolve())
        if not args.no_scaling:
            results["scaling"] = bench_scaling(runner, repo, args.seed, size.scaling, args.runs)
        if args.table_reader:
            results["table_reader"] = bench_table_reader(
                runner, repo, args.seed, args.table_reader, args.runs, work / "table-reader-packages"
            )
    except BenchmarkError as exc:
        print(f"error: {exc}", file=sys.stderr)
        results["error"] = str(exc)
        if args.json:
            args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"(work folder kept: {work})", file=sys.stderr)
        return 1
    finally:
        results["machine"]["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    print(report(results))
    if "profile" in results:
        print("\ncProfile, one cold build, by cumulative time:\n\n```\n" + results["profile"].strip() + "\n```")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if args.keep or args.work:
        print(f"(work folder kept: {work})", file=sys.stderr)
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
