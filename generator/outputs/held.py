"""Outputs held in memory until they are written, each compressed (zlib, fastest level): at a thousand
datasets the pages are some 65 MB of Markdown (18 MB compressed) and the small generated files (DCAT JSON-LD,
datapackage.json) some 54 MB. Each is made whole again only when it is read."""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator, Mapping, MutableMapping


class Blobs(MutableMapping[str, bytes]):
    """Generated files' bytes by path."""

    def __init__(self, items: Iterable[tuple[str, bytes]] = ()) -> None:
        self._held: dict[str, bytes] = {}
        for path, data in items:
            self[path] = data

    def __setitem__(self, path: str, data: bytes) -> None:
        self._held[path] = zlib.compress(data, 1)

    def __getitem__(self, path: str) -> bytes:
        return zlib.decompress(self._held[path])

    def __delitem__(self, path: str) -> None:
        del self._held[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._held)

    def __len__(self) -> int:
        return len(self._held)

    def copy(self) -> Blobs:
        """The same files, to add to (nothing is decompressed)."""
        copied = Blobs()
        copied._held = dict(self._held)
        return copied

    def in_order(self) -> Blobs:
        """The same files, by path (nothing is decompressed)."""
        ordered = Blobs()
        ordered._held = dict(sorted(self._held.items()))
        return ordered


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

    def encoded(self, path: str) -> bytes:
        """The page's text as UTF-8, as it is written."""
        return self._encoded[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._encoded)

    def __len__(self) -> int:
        return len(self._encoded)

    def in_order(self) -> Pages:
        """The same pages, by path (nothing is decompressed)."""
        ordered = Pages()
        ordered._encoded = self._encoded.in_order()
        return ordered
