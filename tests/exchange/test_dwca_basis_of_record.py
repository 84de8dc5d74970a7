"""A record's real basisOfRecord: an observation (no specimen) is stored as one, found by it, and
exported as it was published — never rewritten to PreservedSpecimen."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from subgraphs.core.data.db import Database
from subgraphs.exchange.dwca.archive import DWC
from subgraphs.exchange.dwca.exporter import export_archive

from ..conftest import SubgraphServer, graphql, mutate
from .test_dwca import import_both_ways, occurrence_archive
from .test_dwca_export import exported_rows

TERMS = ["occurrenceID", "basisOfRecord", "scientificName", "eventDate"]
ROWS = [["obs-1", "HumanObservation", "Turdus merula", "2024-05-01"],
        ["obs-2", "MACHINE_OBSERVATION", "Pipistrellus pygmaeus", "2024-05-02"],
        ["fossil-1", "FossilSpecimen", "Ornithocheirus", "1870"],
        ["odd-1", "Specimen", "Parus major", "2024"]]


async def test_each_basis_of_record_is_kept_filterable_and_exported_as_published(
        db: Database, database_url: str, subgraphs: SubgraphServer, tmp_path: Path) -> None:
    folder = occurrence_archive(tmp_path, TERMS, ROWS)
    defects, imported, _, samples, flags = await import_both_ways(db, database_url, folder)
    assert (defects, imported) == ([], 4)
    assert {s[1]: s[-1] for s in samples} == {"obs-1": "HumanObservation", "obs-2": "MachineObservation",
                                              "fossil-1": "FossilSpecimen", "odd-1": None}
    assert flags == [(5, "dwc:basisOfRecord", "Specimen", "BASIS_OF_RECORD_INVALID")]

    url = subgraphs.url("collection")
    body = graphql(url, """{ materialSamples(filter: {basisOfRecord: {in: ["HumanObservation", "MachineObservation"]}})
      { totalCount edges { node { occurrenceId basisOfRecord } } } }""")
    found = body["data"]["materialSamples"]
    assert found["totalCount"] == 2
    assert {e["node"]["occurrenceId"]: e["node"]["basisOfRecord"] for e in found["edges"]} == {
        "obs-1": "HumanObservation", "obs-2": "MachineObservation"}

    out = tmp_path / "export.zip"
    await export_archive(db, out)
    basis = {core[DWC + "occurrenceID"]: core[DWC + "basisOfRecord"] for core, _ in exported_rows(out)}
    # As published (GBIF's MACHINE_OBSERVATION spelling too), and an unknown value left as it was.
    assert basis == {"obs-1": "HumanObservation", "obs-2": "MACHINE_OBSERVATION", "fossil-1": "FossilSpecimen",
                     "odd-1": "Specimen"}


async def test_an_edited_basis_of_record_is_exported_as_it_is_now_and_a_wrong_one_refused(
        db: Database, database_url: str, subgraphs: SubgraphServer, tmp_path: Path) -> None:
    await import_both_ways(db, database_url, occurrence_archive(tmp_path, TERMS, ROWS[:1]))
    url = subgraphs.url("collection")
    (edge,) = graphql(url, "{ materialSamples { edges { node { id version } } } }")["data"]["materialSamples"]["edges"]
    update = """mutation($input: UpdateMaterialSampleInput!) { updateMaterialSample(input: $input) {
      materialSample { basisOfRecord } errors { field code message } } }"""
    refused = graphql(url, update, {"input": {**edge["node"], "basisOfRecord": "Sighting"}})["data"]["updateMaterialSample"]
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("basisOfRecord", "NOT_IN_VOCABULARY")]
    sample = mutate(url, update, **edge["node"], basisOfRecord="preserved specimen")
    assert sample == {"basisOfRecord": "PreservedSpecimen"}

    out = tmp_path / "export.zip"
    await export_archive(db, out)
    ((core, _),) = exported_rows(out)
    assert core[DWC + "basisOfRecord"] == "PreservedSpecimen"


async def test_establishment_means_and_degree_of_establishment_round_trip(
        db: Database, database_url: str, tmp_path: Path) -> None:
    terms = ["occurrenceID", "basisOfRecord", "establishmentMeans", "degreeOfEstablishment"]
    rows = [["garden-1", "LivingSpecimen", "Introduced", "cultivated"], ["wild-1", "HumanObservation", "native", ""]]
    _, imported, _, _, _ = await import_both_ways(db, database_url, occurrence_archive(tmp_path, terms, rows))
    assert imported == 2
    async with db.engine.connect() as conn:
        stored = (await conn.execute(text("SELECT occurrence_id, establishment_means, degree_of_establishment "
                                          "FROM collection.material_sample ORDER BY 1"))).all()
    assert [tuple(r) for r in stored] == [("garden-1", "introduced", "cultivated"), ("wild-1", "native", None)]
    out = tmp_path / "export.zip"
    await export_archive(db, out)
    exported = {core[DWC + "occurrenceID"]: [core.get(DWC + t) for t in terms[1:]] for core, _ in exported_rows(out)}
    assert exported == {"garden-1": ["LivingSpecimen", "Introduced", "cultivated"],
                        "wild-1": ["HumanObservation", "native", None]}
