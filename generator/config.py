"""Where things are, and which datasets play a special part on the site."""

from __future__ import annotations

from decimal import Decimal

DATASETS_DIR = "datasets"
DOCS_DIR = "docs"
SITE_DIR = "site"
MKDOCS_FILE = "mkdocs.yml"
MKDOCS_EN_FILE = "mkdocs.en.yml"  # the English site: what differs from mkdocs.yml
DESCRIPTOR_NAMES = ("datapackage.yaml", "datapackage.yml", "datapackage.json")

# The generator owns these paths under docs/ (build output, ignored by git); everything else there is
# written by hand and never touched.
GENERATED_PATHS = (
    "index.md",
    "gioi-thieu.md",
    "du-lieu",
    "danh-muc",  # the catalogue's further pages, when it holds more than CATALOGUE_PAGE_SIZE datasets
    "dia-phuong",
    "so-sanh",
    "mau-thuan",
    "bieu-do-trang-chu",
    "catalog.jsonld",
    "feed.xml",
    "og",  # each page's link-preview card (generator/outputs/social.py)
    "en",  # the English pages, built into site/en/ (mkdocs.en.yml)
)
CATALOGUE_DIR = "du-lieu"
# The catalogue lists this many datasets a page: page 1 at du-lieu/, the next ones at danh-muc/2/, ... (a
# folder no dataset can take). 1,000 datasets on one page made 490 kB of HTML; a page of 100 is about 50 kB.
CATALOGUE_PAGES_DIR = "danh-muc"
CATALOGUE_PAGE_SIZE = 100
MEMBERS_DIR = "dia-phuong"
ABOUT_PAGE = "gioi-thieu.md"
COMPARISON_DIR = "so-sanh"
CONFLICTS_DIR = "mau-thuan"  # every documented disagreement between sources, linked from each figure it touches
# (dataset, indicator) charted by member on the home page, in its latest year.
HOME_CHART = ("production-value", "production-value")

# (dataset, resource) of the cluster's members: each row gets its own page, and every row elsewhere that
# refers to it is shown there.
MEMBERS = ("members", "members")
# (dataset, resource) of the sources every row cites.
SOURCES = ("sources", "sources")
# (dataset, resource) of the documented conflicts between sources, which citations refer to (``conflict_id``).
CONFLICTS = ("conflicts", "conflicts")

LOCALE = "vi"

# Tables up to this many rows are read whole and shown whole. A larger table is never held in memory: its
# page shows the first PREVIEW_ROWS rows and summary statistics of every column (computed while streaming
# the file), and it is published as CSV (and CSV for Excel) only; XLSX and JSON copies of such a table would
# be too large to open.
FULL_TABLE_ROWS = 5_000
PREVIEW_ROWS = 100
# A member's page shows the rows about the member of at most MEMBER_PAGE_DATASETS datasets, and of fewer
# when they would pass MEMBER_PAGE_ROWS rows (figures first, then by name); it counts the others and links
# to the catalogue filtered to the member, so that the page stays light however large the catalogue grows.
MEMBER_PAGE_DATASETS = 20
MEMBER_PAGE_ROWS = 1_000
# Where generated files too large to keep in memory are written (inside the repository, ignored by git).
CACHE_DIR = ".cache"

# Where the cluster's figures are, for catalogues that want coordinates (schema.org's spatialCoverage): the
# extent of the former Gia Lai province, which holds the five members, as Báo Gia Lai gives it from Decision
# 272/QĐ-TTg (https://baogialai.com.vn/gia-lai-position-and-force-post80927.html): 12°58'20" to 14°36'30"
# north, 107°27'23" to 108°54'40" east. As schema.org writes a box: south-west corner, then north-east.
SPATIAL_BOX = "12.9722 107.4564 14.6083 108.9111"

# ``diff``: figures that moved by more than this per cent of their old value are listed separately
DIFF_THRESHOLD = Decimal(10)
