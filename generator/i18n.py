"""Languages: the site speaks Vietnamese first and English second; ``validate`` speaks either.

Strings are translated with gettext catalogues (``generator/locale/<lang>/LC_MESSAGES/<domain>.po``), read
with Babel. Each domain keeps the language it was written in as its message ids:

- ``site``: the interface strings of the pages, written in Vietnamese (the site's first language) in the
  templates and in ``render``; ``locale/en/.../site.po`` holds their English.
- ``validate``: the problems ``validate`` reports, written in English in code (frictionless speaks only
  English); ``locale/vi/.../validate.po`` holds their Vietnamese.

``pybabel extract -F babel.cfg`` finds every message id; ``tests/test_i18n.py`` fails when one has no
translation, so that no page or message ever falls back to the other language unnoticed.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).parent / "locale"

# The site's languages, first the default one (served at the site's root); the others under /<lang>/.
LANGUAGES = ("vi", "en")
DEFAULT = LANGUAGES[0]
# What each language is called in the language switcher, in that language.
NAMES = {"vi": "Tiếng Việt", "en": "English"}
# The language each domain's message ids are written in.
SOURCE_LANGUAGE = {"site": "vi", "validate": "en"}


def po_file(domain: str, lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"


@cache
def catalog(domain: str, lang: str) -> Catalog | None:
    """The domain's catalogue for ``lang``, or ``None`` when ``lang`` is the language its ids are written in."""
    if lang == SOURCE_LANGUAGE[domain]:
        return None
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: choose one of {', '.join(LANGUAGES)}")
    with po_file(domain, lang).open("rb") as handle:
        return read_po(handle, locale=lang, domain=domain)


class Translator:
    """``gettext`` for one domain and language. A message without a translation stays as written (the test
    of the catalogues keeps that from happening in a release)."""

    def __init__(self, domain: str, lang: str) -> None:
        self.domain = domain
        self.lang = lang
        self._catalog = catalog(domain, lang)

    def gettext(self, message: str) -> str:
        if self._catalog is None:
            return message
        entry = self._catalog.get(message)
        if entry is None or not entry.string or entry.fuzzy:
            return message
        return str(entry.string)

    __call__ = gettext


@cache
def translator(domain: str, lang: str) -> Translator:
    return Translator(domain, lang)
