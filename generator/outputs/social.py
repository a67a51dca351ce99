"""What a page shows where it is shared or found: a description of its own and a card image.

Chat apps, social networks and search engines show a link by its title, a short description and an image
(Open Graph, ``og:*``). Every page gets a description written from its own content (a dataset's description,
a member's latest figure, ...) and a 1200×630 PNG card drawn at build time with Pillow (no browser, no
network): the site's name, the page's title and its key figure, in the page's language, in DejaVu Sans. The
generator writes both into the page's front matter (``description``, ``image``); the theme
(``overrides/main.html``) prints them as ``<meta name="description">``, ``og:*`` and ``twitter:*`` tags.
"""

from __future__ import annotations

import functools
import io
import json
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageColor, ImageDraw, ImageFont

from generator import cache, mdsafe, workers

WIDTH, HEIGHT = 1200, 630  # the size Open Graph consumers expect for a large card
BACKGROUND, FOREGROUND = "#00695c", "#ffffff"  # the site's primary colour (a11y.css) and white: 7.2:1
FONT = "DejaVuSans.ttf"  # a font with every Vietnamese letter, installed with Debian's fonts-dejavu-core
DESCRIPTION_LIMIT = 200  # search engines show about 155-160 characters; chat apps a little more
CARDS_DIR = "og"  # where the cards are published, in each language's site


@dataclass(frozen=True)
class Preview:
    """A page as a link preview shows it: its title, its description and, where it has one, a key figure."""

    title: str
    description: str
    figure: str = ""
    dcat: str = ""  # a dataset page's own DCAT-AP description (its address from the page)


# A script address written in a data text ("javascript:..."): shown as text on the pages, but a description
# is printed into an attribute, where no value ever holds one (tests/test_injection.py).
_SCRIPT_SCHEME = re.compile(r"\b(java|vb)script\s*:", re.IGNORECASE)


def shorten(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """``text`` on one line, cut at a word before ``limit`` characters (with "…") when longer; a script
    address in it loses its colon (``javascript∶``)."""
    words = _SCRIPT_SCHEME.sub(lambda m: m.group(0).rstrip(": \t") + "\u2236", " ".join(text.split()))
    return words if len(words) <= limit else textwrap.shorten(words, limit, placeholder=" …")


def card_path(page: str) -> str:
    """Where the card of ``page`` (a Markdown path such as ``du-lieu/x/index.md``) is published."""
    stem = page.removesuffix(".md")
    return f"{CARDS_DIR}/{stem}.png"


def front_matter(preview: Preview, page: str) -> str:
    """The front-matter lines that carry the page's description, the address of its card and, for a dataset,
    of its DCAT-AP description."""
    lines = [
        mdsafe.front_matter_text("description", shorten(preview.description)),
        mdsafe.front_matter_text("image", card_path(page)),
    ]
    if preview.dcat:
        lines.append(mdsafe.front_matter_text("dcat", preview.dcat))
    return "\n".join(lines)


def with_front_matter(markdown: str, lines: str) -> str:
    """``markdown`` (which starts with a ``---`` front-matter block) with ``lines`` added to that block."""
    if not markdown.startswith("---\n"):
        return f"---\n{lines}\n---\n\n{markdown}"
    return "---\n" + lines + "\n" + markdown[len("---\n") :]


def _lines(text: str, width: int, most: int) -> list[str]:
    lines = textwrap.wrap(" ".join(text.split()), width) or [""]
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = textwrap.shorten(lines[-1] + " …", width, placeholder=" …")
    return lines


def card_spec(preview: Preview, site_name: str) -> list[dict[str, object]]:
    """The card's text, line by line: each line's text, its vertical middle (``y``) and font size, in pixels."""
    texts: list[dict[str, object]] = [{"text": site_name, "y": 70, "size": 32}]
    y = 190
    for line in _lines(preview.title, 30, 2):
        texts.append({"text": line, "y": y, "size": 64})
        y += 80
    y += 30
    for line in _lines(preview.figure or preview.description, 44 if preview.figure else 56, 4):
        texts.append({"text": line, "y": y, "size": 44 if preview.figure else 34})
        y += 60 if preview.figure else 48
    return texts


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    try:
        return ImageFont.truetype(FONT, size)  # found under /usr/share/fonts
    except OSError as exc:
        raise OSError(f"{FONT} is not installed: the link-preview cards need it (Debian: fonts-dejavu-core)") from exc


def draw_card(spec_json: str) -> bytes:
    """The card as PNG: white text on the site's colour, each line from the left margin.

    The text is drawn as coverage (0 for background, 255 for full text) on a one-byte-a-pixel picture whose
    palette runs from the site's colour to white: the same pixels as drawing white on the colour in RGB,
    with a third of the bytes to compress (9 ms a card instead of 21, measured with drawing)."""
    spec = json.loads(spec_json)
    coverage = Image.new("L", (WIDTH, HEIGHT), 0)
    pen = ImageDraw.Draw(coverage)
    for line in spec["lines"]:
        pen.text((64, line["y"]), line["text"], fill=255, font=_font(line["size"]), anchor="lm")
    picture = Image.frombytes("P", coverage.size, coverage.tobytes())
    picture.putpalette(_PALETTE)
    out = io.BytesIO()
    # no time or text chunk: the same card, the same bytes
    picture.save(out, format="PNG", compress_level=spec["compress_level"])
    return out.getvalue()


def _blend(coverage: int) -> list[int]:
    """The colour of a pixel ``coverage``/255 covered by the text: what Pillow draws in RGB."""
    back, fore = ImageColor.getrgb(BACKGROUND), ImageColor.getrgb(FOREGROUND)
    return [round(b + (f - b) * coverage / 255) for b, f in zip(back, fore, strict=True)]


_PALETTE = [channel for coverage in range(256) for channel in _blend(coverage)]


def card_pngs(cards: Sequence[tuple[Preview, str]], cache_dir: Path | None = None) -> list[bytes | Path]:
    """``card_png`` of each (preview, site name) of ``cards``, in order. Cards kept from an earlier build are
    found here; the others are drawn in forked processes on every core (``workers.forked``: cards share
    nothing, and this process never holds what drawing them takes)."""
    found: list[bytes | Path | None] = [
        cache.drawn_kept(cache_dir / CARDS, _spec_json(*card), ".png", TOOL) if cache_dir is not None else None
        for card in cards
    ]
    draw = functools.partial(_card_png, cache_dir=cache_dir)
    missing = [card for card, kept in zip(cards, found, strict=True) if kept is None]
    drawn = iter(list(workers.forked(draw, missing, workers.cores(), BATCH)))
    return [kept if kept is not None else next(drawn) for kept in found]


def _card_png(card: tuple[Preview, str], cache_dir: Path | None) -> bytes | Path:
    return card_png(*card, cache_dir=cache_dir)


BATCH = 500  # cards drawn by one set of forked processes (``workers.forked``)
CARDS = "cards"  # their folder in the cache
TOOL = "pillow"  # what draws them: its version is part of each card's key


# zlib's fastest level for the cards' PNG: measured on a card of four lines, 2.5 ms to compress instead of 7.4 ms
# at level 6, for 24.5 kB instead of 18.3 kB (the benchmark's 2,048 cards: 19.8 s of CPU, then 10.0 s, for
# a site 11 MB larger, bytes only link-preview crawlers fetch). Part of each card's specification: a card kept
# from a build that compressed otherwise is not taken for this one.
PNG_LEVEL = 1


def _spec_json(preview: Preview, site_name: str) -> str:
    """What a card is drawn from (``draw_card``), as the text its cache key is made of."""
    spec = {"lines": card_spec(preview, site_name), "compress_level": PNG_LEVEL}
    return json.dumps(spec, ensure_ascii=False, allow_nan=False, sort_keys=True)


def card_png(preview: Preview, site_name: str, cache_dir: Path | None = None) -> bytes | Path:
    """The card as PNG: with ``cache_dir``, the file kept under ``cache_dir/cards/`` (``cache.drawn_file``: an
    unchanged card is not drawn again, and a thousand cards are never held in memory); else its bytes."""
    spec = _spec_json(preview, site_name)
    if cache_dir is None:
        return draw_card(spec)
    return cache.drawn_file(cache_dir / CARDS, spec, ".png", draw_card, TOOL)
