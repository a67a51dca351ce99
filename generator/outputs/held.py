"""Outputs made before they are written, each compressed (zlib, fastest level) and kept in an unnamed
temporary file, not in memory: at a thousand datasets the pages are some 65 MB of Markdown (18 MB compressed)
and the small generated files (each dataset's DCAT JSON-LD and datapackage.json) some 54 MB. Each is made
whole again only when it is read. With the compressed bytes held as Python objects, a cold build of the
benchmark's catalogue peaked at 245 MB (all its processes), and at 220 MB with them in the file.

Each file's SHA-256 is taken when it is put in (``digest``): what the site's build reads is known, and the
writer can tell an unchanged file, without making the file whole again."""

from __future__ import annotations

import hashlib
import os
import tempfile
import zlib
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from typing import IO, Any


@dataclass(frozen=True)
class Packed:
    """A file as ``Blobs`` holds it: its bytes compressed (zlib), and the SHA-256 of the bytes themselves."""

    data: bytes
    sha256: bytes


def pack(data: bytes) -> Packed:
    """``data`` compressed at zlib's fastest level, with its SHA-256."""
    return Packed(zlib.compress(data, 1), hashlib.sha256(data).digest())


class Blobs(MutableMapping[str, bytes]):
    """Generated files' bytes by path. ``copy`` and ``in_order`` share the file: it is only appended to."""

    def __init__(self, items: Iterable[tuple[str, bytes]] = ()) -> None:
        self._file: IO[bytes] | None = None  # made with the first file
        # path -> where its compressed bytes are, how many, and the SHA-256 of the file
        self._held: dict[str, tuple[int, int, bytes]] = {}
        for path, data in items:
            self[path] = data

    def __setitem__(self, path: str, data: bytes) -> None:
        self.put_packed(path, pack(data))

    def put_packed(self, path: str, packed: Packed) -> None:
        """Hold the file ``packed`` at ``path`` as it is (``pack``: nothing is compressed again)."""
        if self._file is None:
            # open as long as the mapping and its copies: closed, and gone from the disk, when collected
            self._file = tempfile.TemporaryFile(prefix="generator-held-")  # noqa: SIM115
        self._held[path] = (self._file.seek(0, os.SEEK_END), len(packed.data), packed.sha256)
        self._file.write(packed.data)

    def packed(self, path: str) -> Packed:
        """The file at ``path`` as it is held (nothing is decompressed)."""
        offset, size, sha256 = self._held[path]
        assert self._file is not None
        self._file.seek(offset)
        return Packed(self._file.read(size), sha256)

    def __getitem__(self, path: str) -> bytes:
        return zlib.decompress(self.packed(path).data)

    def __delitem__(self, path: str) -> None:
        del self._held[path]

    def digest(self, path: str) -> str:
        """The SHA-256 of the file at ``path``, in hexadecimal (taken when it was put in)."""
        return self._held[path][2].hex()

    def __iter__(self) -> Iterator[str]:
        return iter(self._held)

    def __len__(self) -> int:
        return len(self._held)

    def __reduce__(self) -> tuple[Any, ...]:
        return Blobs, (list(self.items()),)

    def copy(self) -> Blobs:
        """The same files, to add to (nothing is decompressed)."""
        return self._sharing(dict(self._held))

    def in_order(self) -> Blobs:
        """The same files, by path (nothing is decompressed)."""
        return self._sharing(dict(sorted(self._held.items())))

    def _sharing(self, held: dict[str, tuple[int, int, bytes]]) -> Blobs:
        shared = Blobs()
        shared._file, shared._held = self._file, held
        return shared


class Pages(Mapping[str, str]):
    """Page texts by path."""

    def __init__(self, texts: Iterable[tuple[str, str]] = ()) -> None:
        self._encoded = Blobs()
        for path, text in texts:
            self[path] = text

    def __setitem__(self, path: str, text: str) -> None:
        self._encoded[path] = text.encode("utf-8")

    def __getitem__(self, path: str) -> str:
        return self.encoded(path).decode("utf-8")

    def put_packed(self, path: str, packed: Packed) -> None:
        """Hold the page whose UTF-8 text is ``packed`` at ``path`` (nothing is compressed again)."""
        self._encoded.put_packed(path, packed)

    def packed(self, path: str) -> Packed:
        """The page at ``path`` as it is held (nothing is decompressed)."""
        return self._encoded.packed(path)

    def encoded(self, path: str) -> bytes:
        """The page's text as UTF-8, as it is written."""
        return self._encoded[path]

    def digest(self, path: str) -> str:
        """The SHA-256 of the page's text as UTF-8, in hexadecimal."""
        return self._encoded.digest(path)

    def __iter__(self) -> Iterator[str]:
        return iter(self._encoded)

    def __len__(self) -> int:
        return len(self._encoded)

    def in_order(self) -> Pages:
        """The same pages, by path (nothing is decompressed)."""
        ordered = Pages()
        ordered._encoded = self._encoded.in_order()
        return ordered
