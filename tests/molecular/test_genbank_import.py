"""GenBank and FASTA import with the real records in ../shared/data/sequences, and their failure modes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from subgraphs.core.db import Database
from subgraphs.exchange.sequences import import_files

from ..conftest import REPO, SubgraphServer, graphql, mutate, table_counts, truncate_all

SEQUENCES = REPO.parent / "shared" / "data" / "sequences"
if not SEQUENCES.is_dir():
    SEQUENCES = REPO / "subgraphs" / "exchange" / "demo_data"
BARCODE = SEQUENCES / "EF525953-Lissotriton-boscai-COI-BOLD-voucher.gb"
MIENS = SEQUENCES / "GU949562-Shewanella-16S-MIENS-MIxS.gb"

SEQUENCE_FIELDS = """accession accessionVersion sourceDatabase definition organism moleculeType length checksumSha256
  specimenVoucher dbXrefs submitters publications sourceQualifiers structuredComments region { name }
  residues(start: 1, end: 12) fasta history { operation snapshot }"""


def sequence(subgraphs: SubgraphServer, accession: str) -> dict:
    body = graphql(subgraphs.url("molecular"), f"""query($a: String!) {{
      sequences(filter: {{accession: {{eq: $a}}}}) {{ edges {{ node {{ {SEQUENCE_FIELDS} materialSample {{ id }} }} }} }} }}""",
                   {"a": accession})
    return [e["node"] for e in body["data"]["sequences"]["edges"]]


@pytest.fixture
async def imported(db: Database) -> object:
    await truncate_all(db)
    return await import_files(db, "genbank", [BARCODE, MIENS], group="herpetology", actor="test import")


def file_residues(path: Path) -> str:
    text = path.read_text().split("ORIGIN", 1)[1].split("//")[0]
    return "".join(c for c in text if c.isalpha()).upper()


async def test_every_field_of_the_voucher_record(imported: object, subgraphs: SubgraphServer, router: str) -> None:
    assert imported.summary() == "2 imported, 0 unchanged, 0 linked to existing samples, 2 samples created, 0 rejected"
    (record,) = sequence(subgraphs, "EF525953")
    residues = file_residues(BARCODE)
    assert record["accessionVersion"] == 1 and record["sourceDatabase"] == "GenBank"
    assert record["definition"] == ("Lissotriton boscai voucher RuHF-TBB-01-4 cytochrome oxidase subunit I (COI) "
                                    "gene, partial cds; mitochondrial")
    assert (record["organism"], record["moleculeType"], record["length"]) == ("Lissotriton boscai", "DNA", 146)
    assert record["checksumSha256"] == hashlib.sha256(residues.encode()).hexdigest()
    assert record["residues"] == residues[:12] == "ACCCTATACTTA"
    assert record["fasta"].splitlines()[1] == residues[:70]
    assert record["specimenVoucher"] == "RuHF-TBB-01-4"
    (created,) = record["history"]  # audited without the residues themselves, which the checksum identifies
    assert created["operation"] == "create" and "residues" not in created["snapshot"]
    assert created["snapshot"]["checksum_sha256"] == record["checksumSha256"]
    assert record["dbXrefs"] == ["BOLD:ABCAP149-05", "taxon:323757"]
    assert record["region"] == {"name": "COI"}
    assert record["submitters"] == ["Smith,M.A.", "Poyarkov,N.A. Jr.", "Hebert,P.D.N."]
    assert record["publications"] == [{
        "authors": "Smith,M.A., Poyarkov,N.A. Jr. and Hebert,P.D.", "pubmed": "21585765",
        "title": "DNA BARCODING: CO1 DNA barcoding amphibians: take the chance, meet the challenge",
        "journal": "Mol Ecol Resour 8 (2), 235-246 (2008)"}]
    source = record["sourceQualifiers"]
    assert (source["country"], source["lat_lon"], source["collection_date"], source["collected_by"]) == (
        "Spain: Cantabria", "43.25 N 4.08 W", "18-Jul-2004", "Rafael Fonoll")

    specimen = graphql(router, """query($id: ID!) { materialSample(id: $id) { materialSampleName
      collectingEvent { startEventDate verbatimEventDate country stateProvince decimalLatitude decimalLongitude }
      collectors { displayName } } }""", {"id": record["materialSample"]["id"]})["data"]["materialSample"]
    assert specimen == {"materialSampleName": "RuHF-TBB-01-4", "collectors": [{"displayName": "Rafael Fonoll"}],
                        "collectingEvent": {"startEventDate": "2004-07-18", "verbatimEventDate": "18-Jul-2004",
                                            "country": "Spain", "stateProvince": "Cantabria",
                                            "decimalLatitude": 43.25, "decimalLongitude": -4.08}}


async def test_miens_structured_comment_and_strain_sample(imported: object, subgraphs: SubgraphServer) -> None:
    (record,) = sequence(subgraphs, "GU949562")
    miens = record["structuredComments"]["MIENS-Data"]
    assert miens["investigation_type"] == "miens-survey"
    assert miens["lat_lon"] == "55.02814 8.45248" and miens["geodetic_datum"] == "WGS84"
    assert record["region"] == {"name": "16S rRNA"} and record["length"] == 717
    assert record["sourceQualifiers"]["strain"] == "MAR_280_P06_2010-01-20"
    sample = graphql(subgraphs.url("collection"), f'{{ materialSample(id: "{record["materialSample"]["id"]}") '
                     "{ materialSampleName } }")["data"]["materialSample"]
    assert sample == {"materialSampleName": "MAR_280_P06_2010-01-20"}


async def test_reimport_is_idempotent_and_a_new_version_is_kept_beside(
    imported: object, db: Database, tmp_path: Path, subgraphs: SubgraphServer
) -> None:
    before = await table_counts(db)
    again = await import_files(db, "genbank", [BARCODE, MIENS], group="herpetology", actor="test")
    assert again.summary() == "0 imported, 2 unchanged, 0 linked to existing samples, 0 samples created, 0 rejected"
    assert await table_counts(db) == before

    newer = tmp_path / "EF525953.2.gb"
    newer.write_text(BARCODE.read_text().replace("EF525953.1  GI:156788686", "EF525953.2  GI:156788686"))
    report = await import_files(db, "genbank", [newer], group="herpetology", actor="test")
    assert report.imported == ["EF525953.2"] and report.samples_linked == ["EF525953 -> RuHF-TBB-01-4"]
    assert [r["accessionVersion"] for r in sequence(subgraphs, "EF525953")] == [1, 2]


async def test_darwin_core_triplet_voucher_links_an_existing_sample(db: Database, tmp_path: Path,
                                                                   subgraphs: SubgraphServer) -> None:
    await truncate_all(db)
    sample = mutate(subgraphs.url("collection"), """mutation($input: CreateMaterialSampleInput!) {
      createMaterialSample(input: $input) { materialSample { id } errors { code message field } } }""",
                    group="herpetology", materialSampleName="RuHF-TBB-01-4")
    triplet = tmp_path / "triplet.gb"
    triplet.write_text(BARCODE.read_text().replace('/specimen_voucher="RuHF-TBB-01-4"',
                                                   '/specimen_voucher="MNCN:Herp:RuHF-TBB-01-4"'))
    report = await import_files(db, "genbank", [triplet], group="herpetology", actor="test")
    (record,) = sequence(subgraphs, "EF525953")
    assert report.samples_created == [] and record["materialSample"]["id"] == sample["id"]
    assert record["specimenVoucher"] == "MNCN:Herp:RuHF-TBB-01-4"  # kept as found


async def test_report_missing_rejects_and_writes_nothing(db: Database) -> None:
    await truncate_all(db)
    before = await table_counts(db)
    report = await import_files(db, "genbank", [BARCODE], group="herpetology", actor="test",
                                create_missing_samples=False)
    assert [str(e) for e in report.errors] == [
        f"{BARCODE.name}: record EF525953.1: no material sample has catalogue number 'RuHF-TBB-01-4'"]
    assert await table_counts(db) == before


async def test_malformed_genbank_is_reported_with_file_and_record(db: Database, tmp_path: Path) -> None:
    await truncate_all(db)
    broken = tmp_path / "broken.gb"
    broken.write_text(BARCODE.read_text().replace("ORIGIN", "ORIGXN"))
    before = await table_counts(db)
    report = await import_files(db, "genbank", [broken, MIENS], group="herpetology", actor="test")
    assert len(report.errors) == 1 and report.errors[0].file == "broken.gb" and report.errors[0].record == "1"
    assert "not a readable GenBank record" in report.errors[0].reason
    assert report.imported == ["GU949562.1"]  # the good file still went in
    after = await table_counts(db)
    assert after["molecular.sequence"] == before["molecular.sequence"] + 1


async def test_fasta_with_illegal_characters(db: Database, tmp_path: Path, subgraphs: SubgraphServer) -> None:
    await truncate_all(db)
    fasta = tmp_path / "mixed.fasta"
    fasta.write_text(">OK000001.1 a clean barcode\nACGTACGTNN\nRYKM\n>BAD000002.1 a protein by mistake\nMKVLAAGIQE\n"
                     ">BAD000003.1 digits\nACGT1234\n")
    report = await import_files(db, "fasta", [fasta], group="herpetology", actor="test")
    assert report.imported == ["OK000001.1"]
    assert [str(e) for e in report.errors] == [
        "mixed.fasta: record 2 (BAD000002.1): The sequence has characters that are not IUPAC nucleotide codes: EILQ.",
        "mixed.fasta: record 3 (BAD000003.1): The sequence has characters that are not IUPAC nucleotide codes: 1234.",
    ]
    (record,) = sequence(subgraphs, "OK000001")
    assert (record["length"], record["definition"], record["materialSample"]) == (14, "a clean barcode", None)
