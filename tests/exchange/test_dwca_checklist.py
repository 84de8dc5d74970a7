"""Taxon-core archives import as classifications, their defects reported with rows; occurrence imports
link determinations to a chosen classification."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest

from subgraphs.core.data.db import Database
from subgraphs.exchange.dwca.exporter import export_archive
from subgraphs.exchange.dwca.importer import import_archive

from ..conftest import REPO, SubgraphServer, graphql, truncate_all

DWCA = REPO.parent / "shared" / "data" / "dwca"
PLAZI = DWCA / "plazi-treatment-draposa-taxon-core.zip"
pytestmark = pytest.mark.skipif(not DWCA.is_dir(), reason="needs ../shared/data/dwca")
TERMS = ["taxonID", "parentNameUsageID", "acceptedNameUsageID", "scientificName", "scientificNameAuthorship",
         "taxonRank", "taxonomicStatus", "family", "genus"]
# A checklist with each defect a checklist can have, beside a clean tree (row numbers count the header as 1).
ROWS = [
    ("t1", "", "", "Animalia", "", "kingdom", "accepted", "", ""),
    ("t2", "t1", "", "Chordata", "", "phylum", "accepted", "", ""),
    ("t3", "t2", "", "Actinopterygii", "", "class", "accepted", "", ""),
    ("t4", "t3", "", "Tetraodontiformes", "", "order", "accepted", "", ""),
    ("t5", "t4", "", "Ostraciidae", "", "family", "accepted", "", ""),
    ("t6", "t5", "", "Lactoria", "", "genus", "accepted", "", ""),
    ("t7", "t6", "t7", "Lactoria cornuta", "(Linnaeus, 1758)", "species", "accepted", "", ""),
    ("t8", "", "t7", "Ostracion cornutus", "Linnaeus, 1758", "species", "synonym", "", ""),
    ("t9", "", "t8", "Ostracion cornutum", "", "species", "heterotypic synonym", "", ""),  # row 10
    ("t10", "t99", "", "Tetrosomus gibbosus", "(Linnaeus, 1758)", "species", "accepted", "Ostraciidae", "Tetrosomus"),
    ("t11", "t12", "", "Aa", "", "genus", "accepted", "", ""),
    ("t12", "t11", "", "Bb", "", "genus", "accepted", "", ""),
    ("t13", "", "t404", "Lactoria diaphana", "", "species", "synonym", "", "Lactoria"),
    ("t7", "t6", "", "Lactoria cornuta", "", "species", "accepted", "", ""),
    ("t14", "t6", "", "", "", "species", "accepted", "", ""),
    ("t15", "t5", "", "Acanthostracion", "", "genera", "accepted", "", ""),
]


def checklist(path: Path) -> Path:
    fields = "\n".join(f'<field index="{i}" term="http://rs.tdwg.org/dwc/terms/{t}"/>' for i, t in enumerate(TERMS))
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("meta.xml", f'<archive xmlns="http://rs.tdwg.org/dwc/text/"><core encoding="UTF-8" '
                         'fieldsTerminatedBy="\\t" linesTerminatedBy="\\n" fieldsEnclosedBy="" ignoreHeaderLines="1" '
                         'rowType="http://rs.tdwg.org/dwc/terms/Taxon"><files><location>taxa.txt</location></files>'
                         f'<id index="0"/>{fields}</core></archive>')
        archive.writestr("taxa.txt", "\n".join("\t".join(row) for row in [tuple(TERMS), *ROWS]) + "\n")
    return path


def query(subgraphs: SubgraphServer, text: str, **variables: object) -> dict:
    body = graphql(subgraphs.url("collection"), text, variables)
    assert "errors" not in body, body
    return body["data"]


def taxon_named(subgraphs: SubgraphServer, name: str, selection: str) -> dict:
    (edge,) = query(subgraphs, f"query($name: String) {{ taxa(filter: {{scientificName: {{eq: $name}}}}) "
                    f"{{ edges {{ node {{ {selection} }} }} }} }}", name=name)["taxa"]["edges"]
    return edge["node"]


async def test_plazi_checklist_becomes_a_classification_its_material_determined_as_its_taxa(
        db: Database, subgraphs: SubgraphServer) -> None:
    await truncate_all(db)
    report = await import_archive(db, PLAZI, group="g", actor="test")
    assert (report.rows, report.taxa, report.imported, report.linked) == (10, 9, 47, 47)
    assert [str(d) for d in report.defects if d.file == "taxa.txt"] == [
        "taxa.txt row 11: duplicate taxonID 270A0BD9F965F91D578A4EEDFB0638BD.taxon (first at row 10): not imported"]
    draposa = taxon_named(subgraphs, "Draposa", "id rank sourceId classification { name source } children "
                          "{ scientificName } parent { id }")
    assert draposa["classification"] == {
        "name": "Draposa, a new wolf spider genus from South and Southeast Asia (Araneae: Lycosidae)",
        "source": "plazi-treatment-draposa-taxon-core.zip"}
    assert (draposa["rank"], draposa["sourceId"], draposa["parent"]) == (
        "GENUS", "270A0BD9F965F91D578A4EEDFB0638BD.taxon", None)
    assert [c["scientificName"] for c in draposa["children"]] == [
        "Draposa atropalpis", "Draposa lyrivulva", "Draposa nicobarica", "Draposa oakleyi", "Draposa porpaensis",
        "Draposa subhadrae", "Draposa tenasserimensis", "Draposa zhanjiangensis"]
    samples = query(subgraphs, """query($id: ID!) { materialSamples(filter: {taxon: {descendantOf: $id}}) {
        totalCount edges { node { effectiveScientificName } } } }""", id=draposa["id"])["materialSamples"]
    assert samples["totalCount"] == 47
    assert {e["node"]["effectiveScientificName"] for e in samples["edges"]} <= {
        c["scientificName"] for c in draposa["children"]}
    again = await import_archive(db, PLAZI, group="g", actor="test")  # the same classification, found again
    assert (again.taxa, again.imported, again.unchanged, again.classification_id) == (0, 0, 47, report.classification_id)


async def test_checklist_defects_are_reported_with_their_rows(db: Database, subgraphs: SubgraphServer,
                                                              tmp_path: Path) -> None:
    await truncate_all(db)
    report = await import_archive(db, checklist(tmp_path / "ostraciidae.zip"), group="g", actor="test")
    assert [(d.row, d.reason) for d in report.defects] == [
        (15, "duplicate taxonID t7 (first at row 8): not imported"),
        (16, "has no dwc:scientificName: not imported"),
        (17, "taxonRank 'genera' is not a Darwin Core rank: imported as unranked"),
        (11, "parentNameUsageID t99 names no taxon of the checklist: placed by its higher-rank columns"),
        (14, "acceptedNameUsageID t404 names no taxon of the checklist: imported as doubtful"),
        (10, "acceptedNameUsageID t8 is itself a synonym: linked to its accepted taxon Lactoria cornuta"),
        (12, "parentNameUsageID makes a cycle (rows 12, 13): imported as a root"),
    ]
    assert (report.taxa, report.rows) == (15, 16)  # 14 rows imported, and the genus Tetrosomus of row 11's columns
    cornuta = taxon_named(subgraphs, "Lactoria cornuta", "authorship classificationPath { scientificName } "
                          "synonyms { scientificName taxonomicStatus }")
    assert cornuta == {"authorship": "(Linnaeus, 1758)", "classificationPath": [{"scientificName": n} for n in [
        "Animalia", "Chordata", "Actinopterygii", "Tetraodontiformes", "Ostraciidae", "Lactoria", "Lactoria cornuta"]],
        "synonyms": [{"scientificName": "Ostracion cornutum", "taxonomicStatus": "HETEROTYPIC_SYNONYM"},
                     {"scientificName": "Ostracion cornutus", "taxonomicStatus": "SYNONYM"}]}
    gibbosus = taxon_named(subgraphs, "Tetrosomus gibbosus", "classificationPath { scientificName rank }")
    assert [(t["scientificName"], t["rank"]) for t in gibbosus["classificationPath"]][-3:] == [
        ("Ostraciidae", "FAMILY"), ("Tetrosomus", "GENUS"), ("Tetrosomus gibbosus", "SPECIES")]
    diaphana = taxon_named(subgraphs, "Lactoria diaphana", "taxonomicStatus parent { scientificName }")
    assert diaphana == {"taxonomicStatus": "DOUBTFUL", "parent": {"scientificName": "Lactoria"}}
    assert taxon_named(subgraphs, "Aa", "parent { scientificName }") == {"parent": None}
    assert taxon_named(subgraphs, "Bb", "parent { scientificName }") == {"parent": {"scientificName": "Aa"}}


async def test_occurrences_link_to_a_chosen_classification(db: Database, subgraphs: SubgraphServer,
                                                           tmp_path: Path) -> None:
    await truncate_all(db)
    classification = (await import_archive(db, checklist(tmp_path / "ostraciidae.zip"), group="g",
                                           actor="test")).classification_id
    lactoria = await import_archive(db, DWCA / "gbif-simple-csv-download-lactoria.zip", group="g", actor="test",
                                    classification_id=classification)
    assert (lactoria.imported, lactoria.linked) == (3, 3)  # "Lactoria cornuta (Linnaeus, 1758)": name + authorship
    nhm = await import_archive(db, DWCA / "nhm-occurrence-multimedia", group="g", actor="test",
                               classification_id=classification)
    assert (nhm.linked, [str(d) for d in nhm.defects]) == (0, [
        "occurrence.csv row 2: determination no taxon of the classification is named 'Ornithocheirus': left unlinked"])
    family = taxon_named(subgraphs, "Ostraciidae", "id")
    samples = query(subgraphs, """query($id: ID!) { materialSamples(filter: {taxon: {descendantOf: $id}}) {
        totalCount edges { node { effectiveScientificName determinations { scientificName taxon { authorship } } } } } }""",
                    id=family["id"])["materialSamples"]
    assert samples["totalCount"] == 3
    assert samples["edges"][0]["node"] == {"effectiveScientificName": "Lactoria cornuta", "determinations": [
        {"scientificName": "Lactoria cornuta (Linnaeus, 1758)", "taxon": {"authorship": "(Linnaeus, 1758)"}}]}


async def test_export_writes_the_linked_taxon_terms(db: Database, tmp_path: Path) -> None:
    await truncate_all(db)
    classification = (await import_archive(db, checklist(tmp_path / "ostraciidae.zip"), group="g",
                                           actor="test")).classification_id
    await import_archive(db, DWCA / "gbif-simple-csv-download-lactoria.zip", group="g", actor="test",
                         classification_id=classification)
    await export_archive(db, tmp_path / "out.zip")
    with zipfile.ZipFile(tmp_path / "out.zip") as archive:
        text = archive.read("occurrence.txt").decode()
    rows = list(csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))
    assert len(rows) == 3
    assert {k: rows[0][k] for k in ["scientificName", "taxonID", "taxonRank", "scientificNameAuthorship",
                                     "acceptedNameUsage", "acceptedNameUsageID", "kingdom", "order", "family", "genus"]} == {
        "scientificName": "Lactoria cornuta (Linnaeus, 1758)", "taxonID": "t7", "taxonRank": "species",
        "scientificNameAuthorship": "(Linnaeus, 1758)", "acceptedNameUsage": "Lactoria cornuta (Linnaeus, 1758)",
        "acceptedNameUsageID": "t7", "kingdom": "Animalia", "order": "Tetraodontiformes", "family": "Ostraciidae",
        "genus": "Lactoria"}
