"""Languages: the site speaks Vietnamese first and English second; ``validate`` speaks either.

Strings are translated with gettext catalogues (``generator/locale/<lang>/LC_MESSAGES/<domain>.po``), read
with Babel. Each domain keeps the language it was written in as its message ids:

- ``site``: the interface strings of the pages, written in Vietnamese (the site's first language) in the
  templates and in ``render``; ``locale/en/.../site.po`` holds their English.
- ``validate``: the problems ``validate`` reports, written in English in code (frictionless speaks only
  English); ``locale/vi/.../validate.po`` holds their Vietnamese.

``python -m generator.i18n`` finds every message id (Babel's extractors, with each domain's keywords) and
brings the catalogues in step; ``tests/test_i18n.py`` and ``tests/test_validate_i18n.py`` fail when one has
no translation, so that no page or message ever falls back to the other language unnoticed.
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


def prefix(lang: str) -> str:
    """Where a language's pages live in the site: ``""`` for the default one, ``"en/"`` for English."""
    return "" if lang == DEFAULT else f"{lang}/"


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


def N_(message: str) -> str:
    """Marks a string for extraction (``python -m generator.i18n``) where it is defined; it is translated
    where it is shown."""
    return message


@cache
def translator(domain: str, lang: str) -> Translator:
    return Translator(domain, lang)


# --- keeping the catalogues in step with the code ------------------------------------------------------------

_GENERATOR = Path(__file__).parent
# Where each domain's strings are written: ``_("...")``, ``gettext("...")`` and ``N_("...")`` calls.
DOMAIN_SOURCES = {
    "site": (
        *(f"outputs/{name}.py" for name in ("render", "tables", "figures", "charts", "citation", "widgets", "exports")),
        "outputs/templates/*.j2",
    ),
    "validate": (
        "issues.py",
        "cli.py",
        *(f"read/{name}.py" for name in ("guard/*", "readiness", "load")),
        *(f"check/{name}.py" for name in ("hints", "validate")),
        "outputs/registry.py",  # output-collision
    ),
}
# The calls that mark a string of each domain: ``msg("...", **values)`` for validate's messages (see issues.py).
KEYWORDS = {"site": {"_": None, "gettext": None, "N_": None}, "validate": {"msg": None}}


def extract(domain: str) -> dict[str, list[str]]:
    """Every message id of ``domain`` in the code, with where it is written (``render.py:12``)."""
    from babel.messages.extract import extract_from_file

    found: dict[str, list[str]] = {}
    for pattern in DOMAIN_SOURCES[domain]:
        for path in sorted(_GENERATOR.glob(pattern)):
            template = path.suffix == ".j2"
            method = "jinja2.ext.babel_extract" if template else "python"
            options = {"trim_blocks": "true", "lstrip_blocks": "true"} if template else None
            for lineno, message, _comments, _context in extract_from_file(
                method, str(path), keywords=KEYWORDS[domain], options=options
            ):
                if isinstance(message, str):
                    found.setdefault(message, []).append(f"{path.relative_to(_GENERATOR).as_posix()}:{lineno}")
    return found


def update(domain: str, lang: str) -> tuple[int, int]:
    """Bring ``lang``'s catalogue of ``domain`` in step with the code: new ids added untranslated, ids no
    longer in the code removed, translations kept. Returns (added, removed)."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    exists = po_file(domain, lang).exists()
    old = (catalog(domain, lang) if exists else None) or Catalog(locale=lang, domain=domain)
    ids = extract(domain)
    new = Catalog(
        locale=lang,
        domain=domain,
        project="Cụm thi đua số 2 open data",
        header_comment=f"# The {domain} strings in {NAMES.get(lang, lang)}. After changing strings in the code, run\n"
        "# `python -m generator.i18n` and fill in every empty msgstr (see CONTRIBUTING.md).",
        creation_date=old.creation_date,
        fuzzy=False,
    )
    for message, places in ids.items():
        entry = old.get(message)
        flags = ["python-brace-format"] if "{" in message else []
        if entry is not None and entry.fuzzy:
            flags.append("fuzzy")  # a guess stays marked until someone checks it
        new.add(
            message,
            entry.string if entry is not None else "",
            locations=[(p.rsplit(":", 1)[0], int(p.rsplit(":", 1)[1])) for p in places],
            flags=flags,
        )
    path = po_file(domain, lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, new, width=100, omit_header=False, sort_output=True, include_lineno=False)
    catalog.cache_clear()
    translator.cache_clear()
    added = sum(1 for m in ids if old.get(m) is None)
    removed = sum(1 for m in old if m.id and m.id not in ids)
    return added, removed


if __name__ == "__main__":  # python -m generator.i18n: update every catalogue after changing strings
    for name, source in SOURCE_LANGUAGE.items():
        if name not in DOMAIN_SOURCES:
            continue
        for language in LANGUAGES:
            if language != source:
                added, removed = update(name, language)
                print(f"{po_file(name, language)}: {added} added (to translate), {removed} removed")
