"""Downloads journalists can use and catalogues machines can harvest, proved with the real clients:
LibreOffice reads the Excel forms, frictionless validates the published packages, rdflib reads the DCAT
catalogue and the pages' JSON-LD, feedparser reads the Atom feed."""

from __future__ import annotations

import csv
import datetime
import hashlib
import html
import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import feedparser
import openpyxl
import pytest
import rdflib
from rdflib.namespace import DCAT, DCTERMS, RDF

from generator.build import build
from generator.models import Catalogue, Dataset, Field, Resource, Row, SiteInfo, Text
from generator.outputs.exports import WorkbookContent, excel_csv, json_records, write_xlsx, xlsx

from conftest import copy_project

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
# LibreOffice's CSV filter: comma, double quote, UTF-8, from line 1; on export, quote every text cell, so that
# a number comes back unquoted and text quoted.
CSV_FILTER = "44,34,76,1,,0,true"


def libreoffice_to_csv(source: Path, out: Path) -> list[list[str]]:
    """Open ``source`` in LibreOffice Calc (headless) and save it as CSV; return the rows, with every text
    cell marked by a leading ``T:`` and every number by ``N:`` (from the quoting)."""
    assert SOFFICE, "LibreOffice is needed: apt-get install -y libreoffice-calc-nogui"
    out.mkdir(parents=True, exist_ok=True)
    command = [SOFFICE, "--headless", f"-env:UserInstallation=file://{out / 'profile'}"]
    if source.suffix == ".csv":
        command.append("--infilter=CSV:44,34,76,1")
    command += [
        "--convert-to",
        f"csv:Text - txt - csv (StarCalc):{CSV_FILTER}",
        "--outdir",
        str(out / "csv"),
        str(source),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    text = (out / "csv" / (source.stem + ".csv")).read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        cells = []
        for raw in re.findall(r'("(?:[^"]|"")*"|[^,]*)(?:,|$)', line)[:-1] if line else []:
            cells.append("T:" + raw[1:-1].replace('""', '"') if raw.startswith('"') else ("N:" + raw if raw else ""))
        rows.append(cells)
    return rows


@pytest.mark.parametrize("name", ["production-value.excel.csv", "production-value.xlsx"])
def test_libreoffice_reads_the_excel_forms(site_dir: Path, tmp_path: Path, name: str) -> None:
    source = tmp_path / name.replace(".excel", "")
    shutil.copy(site_dir / "du-lieu/production-value" / name, source)
    rows = libreoffice_to_csv(source, tmp_path)
    header = rows[0]
    if name.endswith(".xlsx"):
        assert header[:5] == ["T:Năm", "T:Thời kỳ", "T:Địa phương", "T:Chỉ tiêu", "T:Giá trị"]  # Vietnamese titles
    else:
        assert header[:5] == ["T:year", "T:period", "T:member_id", "T:indicator_id", "T:value"]
    dak_po = next(r for r in rows if "T:dak-po" in r and "T:production-value" in r and "N:2023" in r)
    assert "N:2735.764" in dak_po  # a number, with all its digits
    assert "T:2.735,764 tỷ đồng" in dak_po  # Vietnamese text intact
    values = [r[4] for r in rows[1:]]
    assert values and all(v.startswith("N:") for v in values), "every value is numeric"


def test_excel_forms_neutralise_formulas_and_keep_numbers(tmp_path: Path) -> None:
    fields = (Field("label", "string", Text("Nhãn"), Text("")), Field("value", "number", Text("Giá trị"), Text("")))
    rows = (
        Row(2, {"label": '=HYPERLINK("http://x","y")', "value": Decimal("-5.25")}),
        Row(3, {"label": "+1", "value": Decimal("100")}),
        Row(4, {"label": "@SUM(A1)", "value": None}),
        Row(5, {"label": "-", "value": Decimal("0.5")}),
        Row(6, {"label": "Đak Pơ", "value": Decimal("2735.764")}),
    )
    resource = Resource("t", "t.csv", Text("t"), Text(""), fields, (), (), rows)
    dataset = Dataset("d", tmp_path, tmp_path / "datapackage.yaml", Text("d"), Text(""), "1", (), (), (resource,))
    book = openpyxl.load_workbook(io.BytesIO(xlsx(dataset, resource, Catalogue((dataset,), SiteInfo("x")))))
    sheet = book["Dữ liệu"]
    labels = [sheet.cell(row=i, column=1) for i in range(2, 7)]
    assert [c.value for c in labels] == ['=HYPERLINK("http://x","y")', "+1", "@SUM(A1)", "-", "Đak Pơ"]
    assert all(c.data_type == "s" for c in labels)  # text, never a formula
    assert all(c.quotePrefix for c in labels[:4]) and not labels[4].quotePrefix
    assert [sheet.cell(row=i, column=2).value for i in range(2, 7)] == [-5.25, 100, None, 0.5, 2735.764]
    assert sheet.freeze_panes == "A2"

    text = excel_csv(resource).decode("utf-8")
    assert text.startswith("\ufefflabel,value\r\n")
    parsed = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert [r[0] for r in parsed[1:]] == ['\'=HYPERLINK("http://x","y")', "'+1", "'@SUM(A1)", "'-", "Đak Pơ"]
    assert [r[1] for r in parsed[1:]] == ["-5.25", "100", "", "0.5", "2735.764"]  # negative numbers stay numbers

    records = json.loads(json_records(resource))
    assert records[0] == {"label": '=HYPERLINK("http://x","y")', "value": -5.25}
    assert records[1]["value"] == 100 and isinstance(records[1]["value"], int)


def test_a_workbook_keeps_each_kind_of_value_as_a_spreadsheet_reads_it() -> None:
    """Dates, times and moments as dates with their formats, truth values as such, a number of more than 15
    digits and a number a spreadsheet cannot hold (NaN, infinity) as text, an empty cell empty; the header bold;
    the same content, the same bytes."""
    row = (
        datetime.date(2024, 1, 2),
        datetime.datetime(2024, 1, 2, 3, 4, 5),
        datetime.time(6, 7, 8),
        True,
        Decimal("12345678901234567890"),
        float("nan"),
        float("-inf"),
        None,
    )
    content = WorkbookContent((("Dữ liệu", tuple("abcdefgh"), (row,)),), datetime.datetime(2024, 5, 1), "Cụm 2")
    data = write_xlsx(content)
    assert data == write_xlsx(content)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # no clock time in it: every member dated 1980-01-01,
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode("utf-8")  # and the workbook by the content's date
    assert "2024-05-01T00:00:00Z" in core and str(datetime.date.today()) not in core
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert (book.properties.creator, book.properties.created) == ("Cụm 2", datetime.datetime(2024, 5, 1))
    sheet = book["Dữ liệu"]
    assert all(cell.font.b for cell in sheet[1]) and not any(cell.font.b for cell in sheet[2])
    cells = list(sheet[2])
    assert [c.value for c in cells] == [
        datetime.datetime(2024, 1, 2),
        datetime.datetime(2024, 1, 2, 3, 4, 5),
        datetime.time(6, 7, 8),
        True,
        "12345678901234567890",
        "NaN",
        "-INF",
        None,
    ]
    assert [c.number_format for c in cells[:3]] == ["yyyy-mm-dd", "yyyy-mm-dd h:mm:ss", "h:mm:ss"]
    assert [c.data_type for c in cells[3:7]] == ["b", "s", "s", "s"]


def test_json_has_the_schema_types(site_dir: Path) -> None:
    records = json.loads((site_dir / "du-lieu/production-value/production-value.json").read_text(encoding="utf-8"))
    kbang = next(
        r
        for r in records
        if r["member_id"] == "kbang" and r["year"] == 2024 and r["indicator_id"] == "production-value"
    )
    assert kbang["value"] == 6156 and kbang["qualifier"] == "more-than" and kbang["note"] is None
    members = json.loads((site_dir / "du-lieu/members/members.json").read_text(encoding="utf-8"))
    assert members[0]["district_level_ended"] == "2025-07-01" and members[0]["gso_code"] == "623"


def test_frictionless_validates_every_published_package(site_dir: Path) -> None:
    frictionless = Path(sys.executable).parent / "frictionless"
    packages = sorted((site_dir / "du-lieu").glob("*/datapackage.json"))
    assert len(packages) >= 6
    for package in packages:
        result = subprocess.run(
            [str(frictionless), "validate", "--json", "datapackage.json"],
            cwd=package.parent,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        report = json.loads(result.stdout)
        assert report["valid"], (package, result.stdout[:2000])
        described = json.loads(package.read_text(encoding="utf-8"))
        for resource in described["resources"]:
            data = (package.parent / resource["path"]).read_bytes()
            assert resource["bytes"] == len(data)
            assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        assert {r["path"] for r in described["resources"]} == {
            p.name for p in package.parent.iterdir() if p.suffix in (".csv", ".xlsx", ".json") and p != package
        }


def test_frictionless_notices_a_tampered_file(site_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "members"
    shutil.copytree(site_dir / "du-lieu/members", copy)
    (copy / "members.xlsx").write_bytes((copy / "members.xlsx").read_bytes() + b"x")
    frictionless = Path(sys.executable).parent / "frictionless"
    result = subprocess.run(
        [str(frictionless), "validate", "--json", "datapackage.json"],
        cwd=copy,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert not json.loads(result.stdout)["valid"]


def test_zips_hold_every_file_and_the_descriptors(site_dir: Path) -> None:
    folder = site_dir / "du-lieu/production-value"
    with zipfile.ZipFile(folder / "production-value.zip") as archive:
        names = set(archive.namelist())
        assert archive.read("production-value/production-value.csv") == (folder / "production-value.csv").read_bytes()
    assert {
        "production-value/datapackage.yaml",
        "production-value/datapackage.json",
        "production-value/production-value.xlsx",
    } <= names
    with zipfile.ZipFile(site_dir / "du-lieu/cum-thi-dua-so-2.zip") as archive:
        names = set(archive.namelist())
    for dataset in ("members", "sources", "production-value", "cluster-totals"):
        assert f"{dataset}/datapackage.json" in names and f"{dataset}/datapackage.yaml" in names


def test_dcat_catalogue_lists_every_dataset_with_its_distributions(site_dir: Path) -> None:
    graph = rdflib.Graph().parse(site_dir / "catalog.jsonld", format="json-ld", publicID="https://example.org/")
    catalogues = list(graph.subjects(RDF.type, DCAT.Catalog))
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    pages = sorted(p.parent.name for p in (site_dir / "du-lieu").glob("*/index.html"))
    assert len(catalogues) == 1
    assert {str(graph.value(d, DCTERMS.identifier)) for d in datasets} == set(pages)
    for dataset in datasets:
        distributions = list(graph.objects(dataset, DCAT.distribution))
        assert len(distributions) >= 6  # CSV, Excel CSV, XLSX, JSON per table, plus datapackage.json and ZIP
        for distribution in distributions:
            url = str(graph.value(distribution, DCAT.downloadURL)).removeprefix("https://example.org/")
            assert (site_dir / url).is_file(), url
            assert int(graph.value(distribution, DCAT.byteSize)) == (site_dir / url).stat().st_size
    titles = {str(t) for t in graph.objects(None, DCTERMS.title) if getattr(t, "language", None) == "en"}
    assert "Production value" in titles


def test_each_dataset_page_embeds_one_schema_org_dataset(site_dir: Path) -> None:
    for page in sorted((site_dir / "du-lieu").glob("*/index.html")):
        scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page.read_text("utf-8"), re.S)
        assert len(scripts) == 1, page
        document = json.loads(scripts[0])
        assert document["@type"] == "Dataset" and document["identifier"] == page.parent.name
        # read it as RDF too (schema.org's context inline: no network)
        document["@context"] = {"@vocab": "https://schema.org/"}
        graph = rdflib.Graph().parse(data=json.dumps(document), format="json-ld", publicID="https://example.org/")
        schema = rdflib.Namespace("https://schema.org/")
        found = list(graph.subjects(RDF.type, schema.Dataset))
        assert len(found) == 1
        downloads = list(graph.objects(found[0], schema.distribution))
        assert len(downloads) >= 3
        for url in graph.objects(None, schema.contentUrl):
            assert (site_dir / str(url).removeprefix("https://example.org/")).is_file()


def test_atom_feed_parses(site_dir: Path, built_project: Path) -> None:
    feed = feedparser.parse((site_dir / "feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title.endswith("cập nhật dữ liệu")
    # a copy outside git has no history: no entries, but a valid feed


def test_pages_show_size_and_sha256_of_each_download(site_dir: Path) -> None:
    page = (site_dir / "du-lieu/production-value/index.html").read_text(encoding="utf-8")
    for name in (
        "production-value.csv",
        "production-value.excel.csv",
        "production-value.xlsx",
        "production-value.json",
        "datapackage.json",
        "production-value.zip",
    ):
        digest = hashlib.sha256((site_dir / "du-lieu/production-value" / name).read_bytes()).hexdigest()
        assert f"<code>{digest}</code>" in page, name
        assert f'href="{name}"' in page, name


def test_every_internal_link_resolves(site_dir: Path) -> None:
    """A link checker over the built site: every href and src that stays on the site points at a file."""
    checked = 0
    for page in site_dir.rglob("*.html"):
        for url in re.findall(r'(?:href|src)="([^"]+)"', page.read_text(encoding="utf-8")):
            url = html.unescape(url).split("#")[0].split("?")[0]
            if not url or re.match(r"[a-z][a-z0-9+.-]*:", url):
                continue
            target = (site_dir / url.lstrip("/") if url.startswith("/") else page.parent / url).resolve()
            if target.is_dir():
                target = target / "index.html"
            assert target.is_file(), f"{url} from {page.relative_to(site_dir)}"
            checked += 1
    assert checked > 300


def test_with_a_public_address_the_sitemap_and_catalogues_are_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SITE_URL", "https://example.org/cum2/")
    root = copy_project(tmp_path)
    checked, report = build(root)
    assert report is not None, [i.as_tuple() for i in checked.issues if i.is_error]
    sitemap = (root / "site/sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://example.org/cum2/du-lieu/production-value/</loc>" in sitemap
    assert "<loc>https://example.org/cum2/dia-phuong/dak-po/</loc>" in sitemap
    catalogue = json.loads((root / "site/catalog.jsonld").read_text(encoding="utf-8"))
    assert catalogue["@id"] == "https://example.org/cum2/catalog.jsonld"
    page = (root / "site/du-lieu/members/index.html").read_text(encoding="utf-8")
    assert '"url": "https://example.org/cum2/du-lieu/members/"' in page
    assert "https://example.org/cum2/du-lieu/members/" in page  # the citation carries the address


# LibreOffice with Vietnamese settings: the locale a Vietnamese reader's office suite uses to read numbers
# (decimal comma, dot between thousands), set in a fresh user profile.
VIETNAMESE_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">\
<value>vi-VN</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse"><value>vi-VN</value></prop></item>
</oor:items>
"""


def libreoffice_vietnamese(source: Path, out: Path) -> list[tuple[object, ...]]:
    """Open ``source`` in LibreOffice Calc set to Vietnamese (a CSV with its default import, comma-separated,
    the numbers read the locale's way), save it as XLSX, and return the first sheet's rows as openpyxl
    reads them: numbers as numbers, text as text."""
    assert SOFFICE, "LibreOffice is needed: apt-get install -y libreoffice-calc-nogui"
    profile = out / "profile-vi"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(VIETNAMESE_PROFILE, encoding="utf-8")
    command = [SOFFICE, "--headless", f"-env:UserInstallation=file://{profile}"]
    if source.suffix == ".csv":
        command.append("--infilter=CSV:44,34,76,1")  # comma, quote, UTF-8, line 1; numbers as the locale reads
    command += ["--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out / "vi"), str(source)]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    book = openpyxl.load_workbook(out / "vi" / (source.stem + ".xlsx"))
    return list(book.worksheets[0].iter_rows(values_only=True))


def test_with_vietnamese_settings_the_xlsx_keeps_its_numbers_and_the_page_says_to_open_it(
    site_dir: Path, tmp_path: Path
) -> None:
    """Excel and LibreOffice set to Vietnamese read "2735.764" in a CSV as 2.735.764 (the dot separates
    thousands there), and no comma-separated CSV reads right in both a Vietnamese and an English setting.
    So the dataset page says plainly which file to open with Vietnamese settings: the XLSX, whose numbers are
    numbers in every locale. Both halves are checked here with LibreOffice set to Vietnamese."""
    folder = site_dir / "du-lieu/production-value"
    for name, expected in (("production-value.xlsx", 2735.764), ("production-value.excel.csv", 2735764)):
        source = tmp_path / name.replace(".excel", "")
        shutil.copy(folder / name, source)
        rows = libreoffice_vietnamese(source, tmp_path / f"libreoffice-{name}")
        dak_po = next(r for r in rows if "dak-po" in r and "production-value" in r and 2023 in r)
        assert dak_po[4] == expected, (name, dak_po)
    for page, advice in (
        ("du-lieu/production-value/index.html", "thiết lập tiếng Việt"),
        ("en/du-lieu/production-value/index.html", "Vietnamese settings"),
    ):
        text = (site_dir / page).read_text(encoding="utf-8")
        assert advice in text and "XLSX" in text and "2.735.764" in text, page
