"""Stage 4, publish: write the outputs under ``docs/`` (``write``), build the site with MkDocs in a staging
folder and swap it into place (``site``, ``sitemaps``, ``mdext`` for the tables), and record the build
(``stamp``)."""
