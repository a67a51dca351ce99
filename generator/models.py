"""The typed model of the catalogue: frozen dataclasses built once from the descriptors.

Nothing downstream of ``load`` reads a descriptor dict: it reads these.
"""

from __future__ import annotations

import datetime
import functools
import io
import pickle
import zlib
from bisect import bisect_right
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, overload

from generator.records import PLAIN, Dialect

if TYPE_CHECKING:
    from frictionless import Package

_T = TypeVar("_T")

# Fields that make a resource a table of figures ("observations"): each row is one figure with its unit,
# qualifier, price basis and source. The convention is documented in CONTRIBUTING.md.
OBSERVATION_FIELDS = ("indicator_id", "value", "unit", "qualifier", "price_basis", "source_id")
# What every figure must also state: the part of the year it covers and whether it is a result, an estimate or
# a plan target. A table with the fields above but not these is reported (``figure-field-missing``).
FIGURE_FIELDS = ("period", "status")


@dataclass(frozen=True)
class TableChange:
    """What one commit did to one CSV file of a dataset."""

    path: str  # inside the dataset's folder
    added: int = 0
    removed: int = 0
    changed: int = 0
    columns_added: tuple[str, ...] = ()
    columns_removed: tuple[str, ...] = ()
    created: bool = False  # the file is new: ``added`` is its row count
    deleted: bool = False


@dataclass(frozen=True)
class Change:
    """One commit that touched a dataset's folder."""

    commit: str  # abbreviated hash
    # The commit's author date (its committer date when the author's cannot be shown, as a year beyond 9999);
    # None when neither can: the change is listed, undated.
    date: datetime.date | None
    subject: str  # the first line of its message (for developers; pages describe ``tables`` instead)
    time: str = ""  # the same date and time, ISO 8601 with its offset (feeds need a full timestamp)
    tables: tuple[TableChange, ...] = ()
    descriptor: bool = False  # the descriptor (titles, descriptions, schema) changed


@dataclass(frozen=True)
class Text:
    """A text in Vietnamese (the descriptor's own ``title``/``description``) and, where given, English."""

    vi: str
    en: str | None = None

    def pick(self, lang: str) -> str:
        """The text in ``lang``: English where it is given, else the Vietnamese."""
        return self.en if lang == "en" and self.en else self.vi


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    title: Text
    description: Text
    required: bool = False
    enum: tuple[str, ...] = ()
    categories: Mapping[str, Text] = field(default_factory=dict)  # value -> label (Table Schema v2)


@dataclass(frozen=True)
class ForeignKey:
    """``fields`` of this resource refer to ``ref_fields`` of ``resource``.

    ``package`` names another dataset of the catalogue for a cross-dataset reference (the Data Package v1
    "foreign keys to data packages" pattern); ``None`` means the same dataset.
    """

    fields: tuple[str, ...]
    resource: str
    ref_fields: tuple[str, ...]
    package: str | None = None


class Cells(Mapping[str, Any]):
    """A row's cells by field name, read-only: the values in the fields' order, and one index of the field
    names shared by every row with the same fields. A dict per row (and its read-only view) takes about twice
    as much: 440 against 224 bytes for six fields, the values aside."""

    __slots__ = ("_index", "_values")

    def __init__(self, index: Mapping[str, int], values: tuple[Any, ...]) -> None:
        self._index = index
        self._values = values

    @classmethod
    def of(cls, cells: Mapping[str, Any]) -> Cells:
        """The cells of ``cells``, in its order."""
        return cls(cell_index(tuple(cells)), tuple(cells.values()))

    def __getitem__(self, name: str) -> Any:
        return self._values[self._index[name]]

    # Mapping's own get and ``in`` go through __getitem__ and catch its KeyError: a page's cells ask for
    # most values this way, tens of thousands of times per language at a thousand datasets.
    def get(self, name: str, default: Any = None) -> Any:
        position = self._index.get(name)
        return default if position is None else self._values[position]

    def __contains__(self, name: object) -> bool:
        return name in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Cells({dict(self)!r})"


_INDEXES: dict[tuple[str, ...], Mapping[str, int]] = {}


def cell_index(names: tuple[str, ...]) -> Mapping[str, int]:
    """The shared index of ``Cells`` with the fields ``names``: name -> position."""
    index = _INDEXES.get(names)
    if index is None:
        index = _INDEXES[names] = MappingProxyType({name: i for i, name in enumerate(names)})
    return index


@dataclass(frozen=True, slots=True)
class Row:
    """One data row. ``number`` is the line an editor shows (the header is line 1)."""

    number: int
    cells: Mapping[str, Any]


def rows_where(rows: Sequence[Row], name: str, value: object) -> list[Row]:
    """The rows of ``rows`` whose cell ``name`` is ``value`` (``HeldRows.where`` for held rows)."""
    if isinstance(rows, HeldRows):
        return rows.where(name, value)
    return [r for r in rows if r.cells.get(name) == value]


def rows_by(rows: Sequence[Row], name: str, values: Iterable[object]) -> dict[object, Sequence[Row]]:
    """``rows_where`` for each of ``values`` at once, in one pass over ``rows``: the rows whose cell ``name`` is
    that value, in their order (none: an empty tuple). Held rows stay held: each value's rows are held apart
    (``HeldRows.by``)."""
    if isinstance(rows, HeldRows):
        return dict(rows.by(name, values))
    found: dict[object, list[Row]] = {value: [] for value in values}
    for row in rows:
        bucket = _bucket(found, row.cells.get(name))
        if bucket is not None:
            bucket.append(row)
    return {value: tuple(bucket) for value, bucket in found.items()}


def _bucket(buckets: dict[object, list[_T]], value: object) -> list[_T] | None:
    """The bucket of ``value`` (a dictionary finds a key equal to a value as ``==`` does), or None: none, or
    a value that cannot be a key (a list cell equals no key anyway)."""
    try:
        return buckets.get(value)
    except TypeError:
        return None


class HeldRows(Sequence[Row]):
    """A table's rows, held compressed (their numbers, field names and values pickled, then zlib) and made again
    when read. The ``RECENT`` tables read last stay made: a stage reads a dataset's tables several times in a
    row, then moves on. On the benchmark's thousand small datasets, rows held as objects took 38 MB, and 3.7 MB
    compressed; making a table of 50 rows again took 0.06 ms."""

    __slots__ = ("_count", "_data", "_made")
    RECENT = 16
    _recent: ClassVar[deque[HeldRows]] = deque()

    def __init__(self, rows: Iterable[Row]) -> None:
        rows = tuple(rows)
        names: dict[tuple[str, ...], int] = {}
        packed = [(r.number, names.setdefault(tuple(r.cells), len(names)), tuple(r.cells.values())) for r in rows]
        self._data = zlib.compress(pickle.dumps((tuple(names), packed), protocol=pickle.HIGHEST_PROTOCOL), 1)
        self._count = len(rows)
        self._made: tuple[Row, ...] | None = None

    def _rows(self) -> tuple[Row, ...]:
        made = self._made
        if made is None:
            names, packed = self.unpacked()
            indexes = [cell_index(n) for n in names]
            made = self._made = tuple(Row(number, Cells(indexes[i], values)) for number, i, values in packed)
            HeldRows._recent.append(self)
            if len(HeldRows._recent) > HeldRows.RECENT:
                HeldRows._recent.popleft()._made = None
        return made

    @classmethod
    def packed(cls, names: Sequence[tuple[str, ...]], rows: Sequence[tuple[int, int, tuple[Any, ...]]]) -> HeldRows:
        """Rows as ``unpacked`` gives them: the field names of each shape of row, and each row's number, shape
        (an index into ``names``) and values. No ``Row`` is made."""
        _check_shapes(names, rows)
        data = zlib.compress(pickle.dumps((tuple(names), list(rows)), protocol=pickle.HIGHEST_PROTOCOL), 1)
        return _held_rows(data, len(rows))

    @classmethod
    def from_data(cls, data: bytes, count: int) -> HeldRows:
        """Rows held as ``data`` (what ``HeldRows`` holds, kept in a file by ``generator/read/kept.py``), once
        read with only the classes of ``CELL_CLASSES`` allowed and found to be ``count`` rows that match their
        field names: bytes from outside this process never make anything else. Raises ValueError."""
        try:
            names, rows = _CellUnpickler(io.BytesIO(zlib.decompress(data))).load()
        except (pickle.UnpicklingError, zlib.error, EOFError, TypeError, ValueError) as exc:
            raise ValueError(f"not held rows: {exc}") from None
        if not isinstance(names, tuple) or not all(
            type(shape) is tuple and all(type(name) is str for name in shape) for shape in names
        ):
            raise ValueError("held rows whose field names are not texts")
        if not isinstance(rows, list) or len(rows) != count:
            raise ValueError("held rows that are not as many as they were")
        for row in rows:
            if not (type(row) is tuple and len(row) == 3 and [type(part) for part in row] == [int, int, tuple]):
                raise ValueError("a held row that is not a number, a shape and values")
        _check_shapes(names, rows)
        return _held_rows(data, count)

    @property
    def data(self) -> bytes:
        """What is held: the field names of each shape of row and each row's number, shape and values, pickled
        and compressed (``from_data`` reads it back)."""
        return self._data

    def unpacked(self) -> tuple[tuple[tuple[str, ...], ...], list[tuple[int, int, tuple[Any, ...]]]]:
        """The rows as they are held (``packed``)."""
        return pickle.loads(zlib.decompress(self._data))  # type: ignore[no-any-return]  # noqa: S301 - made here

    def where(self, name: str, value: object) -> list[Row]:
        """The rows whose cell ``name`` is ``value``, made without making the others (nor keeping the table
        made). ``by`` picks the rows of several values at once."""
        if self._made is not None:
            return [r for r in self._made if r.cells.get(name) == value]
        names, packed = self.unpacked()
        indexes = [cell_index(n) for n in names]
        positions = [index.get(name) for index in indexes]
        return [
            Row(number, Cells(indexes[i], values))
            for number, i, values in packed
            if (at := positions[i]) is not None and values[at] == value
        ]

    def by(self, name: str, values: Iterable[object]) -> dict[object, HeldRows]:
        """``where`` for each of ``values`` at once: the table is read once (not once per value), and each
        value's rows are held apart, compressed, without a ``Row`` being made. A member's page picks its rows
        out of every table of the catalogue, for every member and language."""
        names, packed = self.unpacked()
        positions = [cell_index(shape).get(name) for shape in names]
        found: dict[object, list[tuple[int, int, tuple[Any, ...]]]] = {value: [] for value in values}
        for row in packed:
            at = positions[row[1]]
            bucket = None if at is None else _bucket(found, row[2][at])
            if bucket is not None:
                bucket.append(row)
        return {value: HeldRows.packed(names, rows) for value, rows in found.items()}

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> Row: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Row, ...]: ...

    def __getitem__(self, index: int | slice) -> Row | tuple[Row, ...]:
        return self._rows()[index]

    def __iter__(self) -> Iterator[Row]:
        return iter(self._rows())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, HeldRows):
            return self._data == other._data or self._rows() == other._rows()
        if isinstance(other, tuple):
            return self._rows() == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # as a tuple of rows (their cells are mappings)

    def __repr__(self) -> str:
        return f"HeldRows({self._rows()!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return _held_rows, (self._data, self._count)


# The classes a cell's value may be of besides Python's own (text, numbers, lists, mappings...): frictionless
# reads numbers as Decimal, and dates and times (a time zone as an offset).
CELL_CLASSES = frozenset(
    (cls.__module__, cls.__qualname__)
    for cls in (Decimal, datetime.date, datetime.datetime, datetime.time, datetime.timezone, datetime.timedelta)
)


class _CellUnpickler(pickle.Unpickler):
    """Unpickles values, never code: a class is found only if it is one of ``CELL_CLASSES`` (Python's
    "restricting globals")."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in CELL_CLASSES:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not a class of a cell's value")


def _check_shapes(names: Sequence[tuple[str, ...]], rows: Iterable[tuple[int, int, tuple[Any, ...]]]) -> None:
    """Raises ValueError unless each row's shape is one of ``names`` and its values are as many as its names."""
    for _, shape, values in rows:
        if not 0 <= shape < len(names) or len(values) != len(names[shape]):
            raise ValueError("a row that does not match its field names")


def _held_rows(data: bytes, count: int) -> HeldRows:
    """``HeldRows`` from what it holds (unpickling, ``packed``, ``from_data``)."""
    held = HeldRows.__new__(HeldRows)
    held._data, held._count, held._made = data, count, None
    return held


@dataclass(frozen=True)
class LineMap:
    """Record number -> the line an editor shows. They differ after a quoted cell that spans lines.

    Record numbers are frictionless' ``row_number`` (the header is record 1). Only the records where the
    difference changes are stored, so the map stays small for a large file.
    """

    starts: tuple[int, ...] = ()  # record numbers from which ``offsets[i]`` applies
    offsets: tuple[int, ...] = ()

    def line(self, record: int) -> int:
        i = bisect_right(self.starts, record) - 1
        return record + (self.offsets[i] if i >= 0 else 0)


@dataclass(frozen=True)
class ColumnStats:
    """Summary of one column of a large table, computed while streaming its file. Values are typed
    (``Decimal``, ``int``, ``date``); ``distinct`` stops counting at ``DISTINCT_LIMIT`` (``distinct_capped``)."""

    name: str
    filled: int = 0
    empty: int = 0
    minimum: object = None
    maximum: object = None
    total: Decimal | None = None  # numbers only: the sum, for the mean
    distinct: int = 0
    distinct_capped: bool = False

    DISTINCT_LIMIT = 1000


@dataclass(frozen=True)
class Resource:
    name: str
    path: str  # relative to the dataset folder, "/" separators
    title: Text
    description: Text
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...]
    # Every row, or for a large table (``large``) only the first ``config.PREVIEW_ROWS``: stream the file for
    # the others (``load.stream_rows``).
    rows: Sequence[Row] = ()  # held compressed (``HeldRows``)
    lines: LineMap = LineMap()
    row_count: int = -1  # -1: len(rows)
    large: bool = False
    stats: tuple[ColumnStats, ...] = ()
    dialect: Dialect = PLAIN  # as the descriptor declares it: every reader of the file uses it

    def __post_init__(self) -> None:
        if self.rows and not isinstance(self.rows, HeldRows):
            object.__setattr__(self, "rows", HeldRows(self.rows))

    @property
    def count(self) -> int:
        """How many rows the table has (not only how many are held)."""
        return self.row_count if self.row_count >= 0 else len(self.rows)

    # Asked for every cell of a page's tables: worked out once per resource (the fields never change; the
    # values are kept outside the dataclass's fields, so they are neither compared nor kept by ``kept``).
    @functools.cached_property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @functools.cached_property
    def is_observations(self) -> bool:
        return all(name in self.field_names for name in OBSERVATION_FIELDS)

    def get_field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


@dataclass(frozen=True)
class License:
    name: str
    title: str
    path: str


@dataclass(frozen=True)
class Dataset:
    """One Data Package: a folder of ``datasets/`` with its descriptor and CSV resources."""

    name: str
    folder: Path
    descriptor: Path
    title: Text
    description: Text
    version: str
    keywords: tuple[str, ...]  # in Vietnamese (the descriptor's own ``keywords``)
    licenses: tuple[License, ...]
    resources: tuple[Resource, ...] = field(default=())
    history: tuple[Change, ...] = ()  # newest first, from git; empty outside a repository
    # The descriptor as published (for datapackage.json and catalogues): an edge of the pipeline, never read
    # to decide anything.
    published: Mapping[str, Any] = field(default_factory=dict)
    keywords_en: tuple[str, ...] = ()  # ``translations: {en: {keywords: [...]}}``; empty: none given
    themes: tuple[str, ...] = ()  # codes of the EU data themes (``themes``), see ``vocab.THEMES``
    # Every file of the folder by name and content as it was loaded (``cache.folder_digest``, hex), taken
    # once by ``load`` for every stage's cache keys; empty for a dataset made otherwise (then taken when asked).
    digest: str = ""

    @property
    def modified(self) -> datetime.date | None:
        """The date of the newest dated change, if any."""
        return next((c.date for c in self.history if c.date), None)

    @property
    def issued(self) -> datetime.date | None:
        """The date of the oldest dated change, if any."""
        return next((c.date for c in reversed(self.history) if c.date), None)

    def keywords_in(self, lang: str) -> tuple[str, ...]:
        """The keywords in ``lang``: the English ones from ``translations``, else the Vietnamese."""
        return (self.keywords_en or self.keywords) if lang == "en" else self.keywords

    def get_resource(self, name: str) -> Resource | None:
        return next((r for r in self.resources if r.name == name), None)


@dataclass(frozen=True)
class SiteInfo:
    """What citations need to know about the site (``site_name`` and ``site_url`` of mkdocs.yml)."""

    name: str
    url: str = ""  # empty until the public address is set in mkdocs.yml
    description: str = ""  # ``site_description``
    name_en: str = ""  # the English site's (mkdocs.en.yml); empty when there is none
    description_en: str = ""

    def title(self, lang: str) -> str:
        """The site's name in ``lang`` (the Vietnamese one where no English is set; the cluster's name where
        mkdocs.yml names none)."""
        return Text(self.name, self.name_en or None).pick(lang) or "Cụm thi đua số 2"

    def about(self, lang: str) -> str:
        """What the site is, in ``lang`` (``site_description``), else its name."""
        return Text(self.description, self.description_en or None).pick(lang) or self.title(lang)


@dataclass(frozen=True)
class Catalogue:
    """Every dataset, sorted by name."""

    datasets: tuple[Dataset, ...]
    site: SiteInfo = SiteInfo("")

    def get(self, name: str) -> Dataset | None:
        return next((d for d in self.datasets if d.name == name), None)

    def resource(self, package: str, resource: str) -> Resource | None:
        dataset = self.get(package)
        return dataset.get_resource(resource) if dataset else None


@dataclass(frozen=True)
class Loaded:
    """A package as read from disk: the model for rendering, and the frictionless package for validation,
    made when first asked for (``open_package``): a dataset kept unchanged from the last build
    (``generator/read/kept.py``) is not validated again, and its package is never made."""

    dataset: Dataset
    open_package: Callable[[], Package]

    @cached_property
    def package(self) -> Package:
        return self.open_package()

    def forget_package(self) -> None:
        """Let go of the package ``package`` made (it is made again if asked for): a process checking many
        datasets holds one package at a time."""
        self.__dict__.pop("package", None)
