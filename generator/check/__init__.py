"""Stage 2, check: frictionless on every package and row, the site's own rules on figures, citations and
translations (``validate``, ``checks``), large tables in bounded memory (``large``), and hints that say the
fix (``hints``). Every problem is returned as an ``Issue``; results are cached through ``generator.cache``
(kept only at the command's end)."""
