"""The published catalogues and descriptors checked against the standards themselves, offline: the DCAT
catalogue against the official DCAT-AP 3.0.1 SHACL shapes (mandatory, range, recommended), each published
``datapackage.json`` against the Data Package v2 JSON Schemas, and the licence as ckanext-dcat reads it.

The standards are unchanged copies in ``../shared/standards/`` beside the checkout (see its README); where they
are absent the tests are skipped, saying so.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import DCAT, DCTERMS, RDF, SH

from conftest import ROOT

STANDARDS = ROOT.parent / "shared" / "standards"
needs_standards = pytest.mark.skipif(not STANDARDS.is_dir(), reason="../shared/standards is not beside this checkout")
SITE = "https://example.org/cum2/"  # the catalogue's relative addresses, resolved as on a published site
MAX_RECOMMENDED_WARNINGS = 20

# CKAN's licence register, as ckanext-dcat reads it (ckan/model/license.py): the licence a harvested
# dataset gets is the first of its distributions' dct:license found there, by URL and then by title.
CKAN_LICENCES = {
    "cc-by": {"url": "http://www.opendefinition.org/licenses/cc-by", "title": "Creative Commons Attribution"},
    "cc-by-sa": {
        "url": "http://www.opendefinition.org/licenses/cc-by-sa",
        "title": "Creative Commons Attribution Share-Alike",
    },
    "cc-zero": {"url": "http://www.opendefinition.org/licenses/cc-zero", "title": "Creative Commons CCZero"},
}


def catalogue(site_dir: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(site_dir / "catalog.jsonld", format="json-ld", publicID=SITE)


def shacl(data: rdflib.Graph, shapes: str) -> list[tuple[str, str, str]]:
    """(severity, focus node, path) of every result of one DCAT-AP shapes file."""
    from pyshacl import validate

    graph = rdflib.Graph().parse(STANDARDS / f"dcatap-3.0.1_html_shacl_{shapes}.ttl", format="turtle")
    _conforms, report, _text = validate(data, shacl_graph=graph, inference="none")
    assert isinstance(report, rdflib.Graph)
    return sorted(
        (
            str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1],
            str(report.value(r, SH.focusNode)),
            str(report.value(r, SH.resultPath)),
        )
        for r in report.subjects(RDF.type, SH.ValidationResult)
    )


@needs_standards
@pytest.mark.parametrize("shapes", ["shapes", "range"])
def test_dcat_catalogue_has_no_mandatory_or_range_violation(site_dir: Path, shapes: str) -> None:
    assert shacl(catalogue(site_dir), shapes) == []


@needs_standards
def test_dcat_catalogue_meets_nearly_every_recommendation(site_dir: Path) -> None:
    warnings = shacl(catalogue(site_dir), "shapes_recommended")
    assert len(warnings) <= MAX_RECOMMENDED_WARNINGS, "\n".join(map(str, warnings))


@needs_standards
def test_the_shapes_notice_a_broken_catalogue(site_dir: Path) -> None:
    """The check can fail: a distribution without an access URL is a mandatory violation."""
    graph = catalogue(site_dir)
    distribution = next(graph.subjects(RDF.type, DCAT.Distribution))
    graph.remove((distribution, DCAT.accessURL, None))
    assert ("Violation", str(distribution), str(DCAT.accessURL)) in shacl(graph, "shapes")


def ckan_licence(graph: rdflib.Graph, dataset: rdflib.term.Node) -> str:
    """ckanext-dcat's rule (RDFProfile._license): the first distribution whose dct:license the register
    knows, by its URL, else by its dct:title."""
    by_url = {entry["url"]: name for name, entry in CKAN_LICENCES.items()}
    by_title = {entry["title"]: name for name, entry in CKAN_LICENCES.items()}
    for distribution in graph.objects(dataset, DCAT.distribution):
        licence = graph.value(distribution, DCTERMS.license)
        if licence is None:
            continue
        found = by_url.get(str(licence)) or by_title.get(str(graph.value(licence, DCTERMS.title)))
        if found:
            return found
    return ""


def test_ckan_harvests_every_dataset_as_cc_by(site_dir: Path) -> None:
    graph = catalogue(site_dir)
    datasets = list(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) >= 10
    assert {str(graph.value(d, DCTERMS.identifier)): ckan_licence(graph, d) for d in datasets} == {
        str(graph.value(d, DCTERMS.identifier)): "cc-by" for d in datasets
    }
    for distribution in graph.subjects(RDF.type, DCAT.Distribution):
        assert graph.value(distribution, DCTERMS.license) is not None, distribution


def test_dcat_names_the_datasets_themes_and_keywords_in_both_languages(site_dir: Path) -> None:
    graph = catalogue(site_dir)
    production = next(graph.subjects(DCTERMS.identifier, rdflib.Literal("production-value")))
    assert {str(t) for t in graph.objects(production, DCAT.theme)} == {
        "http://publications.europa.eu/resource/authority/data-theme/ECON"
    }
    keywords = {(str(k), k.language) for k in graph.objects(production, DCAT.keyword)}  # type: ignore[attr-defined]
    assert ("giá trị sản xuất", "vi") in keywords and ("production value", "en") in keywords
    period = graph.value(production, DCTERMS.temporal)
    assert str(graph.value(period, DCAT.startDate)) == "2019-01-01"


def _validator() -> object:
    import jsonschema
    from referencing import Registry, Resource

    schemas = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in STANDARDS.glob("dp-2.0-*.json")}
    registry: Registry = Registry()
    for name, schema in schemas.items():
        for uri in {schema.get("$id"), "https://datapackage.org/profiles/2.0/" + name.removeprefix("dp-2.0-")}:
            if uri:
                registry = registry.with_resource(uri, Resource.from_contents(schema))
    main = schemas["dp-2.0-datapackage.json"]
    return jsonschema.validators.validator_for(main)(main, registry=registry)


@needs_standards
def test_every_published_datapackage_json_is_valid_data_package_v2(site_dir: Path) -> None:
    validator = _validator()
    packages = sorted((site_dir / "du-lieu").glob("*/datapackage.json"))
    assert len(packages) >= 10
    for package in packages:
        errors = [
            f"{'/'.join(map(str, e.path))}: {e.message}"
            for e in validator.iter_errors(json.loads(package.read_text(encoding="utf-8")))  # type: ignore[attr-defined]
        ]
        assert not errors, (package, errors[:5])


@needs_standards
def test_the_profile_notices_a_resource_of_an_unknown_type(site_dir: Path) -> None:
    validator = _validator()
    descriptor = json.loads((site_dir / "du-lieu/members/datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][-1]["type"] = "file"
    assert list(validator.iter_errors(descriptor))  # type: ignore[attr-defined]


@needs_standards
def test_each_datasets_own_dcat_description_conforms(site_dir: Path) -> None:
    for described in sorted((site_dir / "du-lieu").glob("*/dcat.jsonld")):
        address = SITE + described.relative_to(site_dir).as_posix()
        graph = rdflib.Graph().parse(described, format="json-ld", publicID=address)
        datasets = list(graph.subjects(RDF.type, DCAT.Dataset))
        assert [str(d) for d in datasets] == [SITE + f"du-lieu/{described.parent.name}/"], described
        assert shacl(graph, "shapes") == [] and shacl(graph, "range") == [], described
