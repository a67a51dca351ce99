"""What encoding a file that is not UTF-8 most likely has, found without reading it whole."""

from __future__ import annotations

import itertools
from pathlib import Path

import chardet

from generator.issues import Message, msg

# Vietnamese tone marks as Windows-1258 writes them: separate combining characters after the vowel.
_TONE_BYTES = frozenset(b"\xcc\xec\xde\xd2\xf2")
_VOWEL_BYTES = frozenset(b"aeiouyAEIOUY\xe2\xea\xf4\xf5\xfd\xe3\xc2\xca\xd4\xd5\xdd\xc3\xe0\xe1\xe8\xe9")
_DJ_BYTES = frozenset(b"\xd0\xf0")  # Đ đ in Windows-1258 (Ð ð in Latin-1: rare outside Icelandic)
_LATIN_1_NAMES = frozenset(
    {"iso-8859-1", "iso8859-1", "latin-1", "iso-8859-15", "iso8859-15", "windows-1252", "cp1252"}
)


def _legacy_encoding(encoding: str | None) -> bool:
    """Whether a declared encoding is another than UTF-8 (a code page such as Windows-1258)."""
    return encoding is not None and encoding.lower().replace("_", "-") not in ("utf-8", "utf8", "utf-8-sig")


_SCAN_BLOCK = 1 << 20


def _scan_utf8(path: Path) -> tuple[bool, tuple[int, str] | None]:
    """Whether the file holds anything but whitespace, and where it first fails to decode as UTF-8 (its
    line and the byte, in hex), read a block at a time: memory does not grow with the file."""
    has_content = False
    lines = 0  # line breaks before ``data``
    carry = b""
    with path.open("rb") as handle:
        while True:
            block = handle.read(_SCAN_BLOCK)
            data = carry + block
            if not data:
                return has_content, None
            has_content = has_content or bool(data.strip())
            try:
                data.decode("utf-8")
                carry = b""
            except UnicodeDecodeError as exc:
                if block and exc.reason == "unexpected end of data":
                    carry = data[exc.start :]  # a character cut by the block's end: decoded with the next block
                    data = data[: exc.start]
                else:
                    return True, (
                        lines + data.count(b"\n", 0, exc.start) + 1,
                        data[exc.start : exc.start + 1].hex().upper(),
                    )
            lines += data.count(b"\n")
            if not block:
                return has_content, None


def likely_encoding(data: bytes) -> Message | str:
    """The encoding a file that is not UTF-8 most likely has, in words. Windows-1258 (Vietnamese) writes
    tone marks as separate bytes after the vowel, which general detectors miss in short files, so it is
    recognised first; then chardet (a frictionless dependency) guesses."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    if _looks_like_windows_1258(data):
        return msg("Windows-1258 (Vietnamese)")
    guess = chardet.detect(data[:65536]).get("encoding")
    if not guess:
        return msg("an unknown encoding")
    if guess.lower() in _LATIN_1_NAMES:
        return msg("Windows-1252 or Latin-1 (ISO-8859-1)")
    return str(guess)  # a name, the same in every language


def _looks_like_windows_1258(data: bytes) -> bool:
    try:
        data.decode("cp1258")
    except UnicodeDecodeError:
        return False
    high = sum(1 for b in data if b >= 0x80)
    tones = sum(1 for prev, b in itertools.pairwise(data) if b in _TONE_BYTES and prev in _VOWEL_BYTES)
    evidence = tones + sum(1 for b in data if b in _DJ_BYTES)
    return high > 0 and evidence >= max(1, high // 5)
