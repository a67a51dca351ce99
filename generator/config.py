"""Where things are, and which datasets play a special part on the site."""

from __future__ import annotations

DATASETS_DIR = "datasets"
DOCS_DIR = "docs"
SITE_DIR = "site"
MKDOCS_FILE = "mkdocs.yml"
DESCRIPTOR_NAMES = ("datapackage.yaml", "datapackage.yml", "datapackage.json")

# The generator owns these paths under docs/ (build output, ignored by git); everything else there is
# written by hand and never touched.
GENERATED_PATHS = (
    "index.md",
    "gioi-thieu.md",
    "du-lieu",
    "dia-phuong",
    "so-sanh",
    "bieu-do-trang-chu",
    "catalog.jsonld",
    "feed.xml",
    "en",  # the English pages, built into site/en/ (mkdocs.en.yml)
)
CATALOGUE_DIR = "du-lieu"
MEMBERS_DIR = "dia-phuong"
ABOUT_PAGE = "gioi-thieu.md"
COMPARISON_DIR = "so-sanh"
# (dataset, indicator) charted by member on the home page, in its latest year.
HOME_CHART = ("production-value", "production-value")

# (dataset, resource) of the cluster's members: each row gets its own page, and every row elsewhere that
# refers to it is shown there.
MEMBERS = ("members", "members")
# (dataset, resource) of the sources every row cites.
SOURCES = ("sources", "sources")

LOCALE = "vi"
