"""Rules for text from a data file or a descriptor: composed (NFC), without control, bidi, zero-width or
noncharacter code points, and not a formula a spreadsheet would run."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from generator.issues import Message, msg, show

# Characters that change how text is shown without being seen.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
_LINE_BREAKS = frozenset("\t\n\r")  # allowed inside text (multi-line notes); a leading tab is a formula
# Unicode's noncharacters (U+FDD0..U+FDEF and the last two code points of every plane): never text, not
# allowed in XML (feeds, SVG charts, XLSX) and fatal to the chart renderer.
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
_NONCHARACTER = re.compile(f"[{_NONCHARACTERS}]")
# Any character ``text_problems`` looks at (control characters but the allowed line breaks, surrogates,
# noncharacters, direction controls, zero-width characters): text without one, composed, and not
# formula-like is clean.
_SUSPECT = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff"
    + _NONCHARACTERS
    + "".join(sorted(BIDI_CONTROLS | ZERO_WIDTH))
    + "]"
)
# Text that a spreadsheet runs as a formula when the CSV is opened (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# ... except a signed number, which a spreadsheet reads as the number it is, and a lone sign ("-" for "none").
_SIGNED_NUMBER = re.compile("[+-]\\d[\\d.,\u00a0\u202f ]*%?")
_LONE_SIGNS = frozenset({"-", "+"})


def _char(c: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``: how a message names an invisible character."""
    name = unicodedata.name(c, "")
    return f"U+{ord(c):04X}" + (f" {name}" if name else "")


def suspicious(value: str) -> bool:
    """Whether ``cell_problems`` could find anything in ``value``: a fast test (C code only) that lets the
    cells of a large table through without building a message for each."""
    return (
        _SUSPECT.search(value) is not None
        or value.startswith(FORMULA_STARTS)
        or (not value.isascii() and not unicodedata.is_normalized("NFC", value))
    )


def text_problems(value: str) -> Iterator[tuple[str, Message, Message]]:
    """``(code, message, hint)`` for text that is not composed (NFC), or that holds control, bidi or
    zero-width characters. The hint's ``{file}``, the file to edit, is left for the caller to fill."""
    for c in value:
        if unicodedata.category(c) in ("Cc", "Cs") and c not in _LINE_BREAKS:
            if unicodedata.category(c) == "Cs":
                message = msg(
                    "The text {text} holds the control character {char} (half of a UTF-16 surrogate pair, not a "
                    "character).",
                    text=show(value),
                    char=_char(c),
                )
            else:
                message = msg("The text {text} holds the control character {char}.", text=show(value), char=_char(c))
            yield (
                "control-character",
                message,
                msg("Delete the invisible control character from {file} (retype the text if in doubt)."),
            )
            break
    if found := _NONCHARACTER.search(value):
        yield (
            "noncharacter",
            msg(
                "The text {text} holds {char}, a code point Unicode reserves as never being a character.",
                text=show(value),
                char=_char(found.group()),
            ),
            msg("Delete the invisible {char} from {file} (retype the text if in doubt).", char=_char(found.group())),
        )
    for c in value:
        if c in BIDI_CONTROLS:
            yield (
                "bidi-control",
                msg(
                    "The text {text} holds {char}, which changes the order in which text is shown.",
                    text=show(value),
                    char=_char(c),
                ),
                msg("Delete the direction control character from {file}."),
            )
            break
    for c in value:
        if c in ZERO_WIDTH:
            yield (
                "zero-width-character",
                msg("The text {text} holds the invisible character {char}.", text=show(value), char=_char(c)),
                msg("Delete the invisible character from {file}: it makes equal-looking text differ."),
            )
            break
    if not unicodedata.is_normalized("NFC", value):
        yield (
            "text-not-nfc",
            msg(
                "The text {text} is not in Unicode NFC: {detail}. It looks right but does not match the same word "
                "typed normally (in keys, links and search).",
                text=show(value),
                detail=_decomposed(value),
            ),
            msg(
                "Convert {file} to composed characters (Unicode NFC), e.g. `uconv -x any-nfc` or Python's "
                "unicodedata.normalize('NFC', text); most editors do it when you retype the letter."
            ),
        )


def cell_problems(value: str) -> Iterator[tuple[str, Message, Message]]:
    """``text_problems``, plus text a spreadsheet would run as a formula."""
    yield from text_problems(value)
    if is_formula(value):
        yield (
            "spreadsheet-formula",
            msg(
                "The text {text} starts with {first}: a spreadsheet opening the CSV would run it as a formula.",
                text=show(value),
                first=show(value[0]),
            ),
            msg(
                "Reword the cell in {file} so that it does not start with = + - @, a tab or a line break "
                "(a signed number such as -5 and a lone - are fine)."
            ),
        )


def is_formula(text: str) -> bool:
    """Whether a spreadsheet would treat ``text`` as a formula. A text cell starting with ``=``, ``@``, a tab
    or a carriage return is one; starting with ``+`` or ``-`` it is one unless it is a signed number
    (``-5``, ``+84 912``, ``-0,5%``) or a lone sign (``-`` for "none"), which a spreadsheet shows as they are."""
    if not text.startswith(FORMULA_STARTS):
        return False
    if text[0] in "+-":
        return not (text in _LONE_SIGNS or _SIGNED_NUMBER.fullmatch(text.rstrip()))
    return True


def _decomposed(value: str) -> Message:
    """The first letter that is written decomposed, spelled out: ``'ơ' is written as 'o' + U+031B``."""
    for i, c in enumerate(value):
        if unicodedata.combining(c):
            start = i
            while start > 0 and unicodedata.combining(value[start - 1]):
                start -= 1
            end = i + 1
            while end < len(value) and unicodedata.combining(value[end]):
                end += 1
            base = value[max(start - 1, 0) : end]
            composed = unicodedata.normalize("NFC", base)
            spelled = " + ".join(show(ch) if not unicodedata.combining(ch) else _char(ch) for ch in base)
            return msg("{letter} is written as {parts}", letter=show(composed), parts=spelled)
    return msg("some characters are written in a decomposed form")
