"""GenBank and FASTA import with the real records in ../shared/data/sequences, and their failure modes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import text

from subgraphs.collection.service import create_material_sample
from subgraphs.collection.vouchers import collection_for_codes
from subgraphs.core.data.db import Database
from subgraphs.exchange.sequences import import_files

from ..conftest import REPO, SubgraphServer, graphql, table_counts, truncate_all

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
    sample = await specimen(db, "herpetology", "RuHF-TBB-01-4", "MNCN", "Herp")
    report = await import_files(db, "genbank", [voucher_record(tmp_path, "EF525953", "MNCN:Herp:RuHF-TBB-01-4")],
                                group="herpetology", actor="test")
    (record,) = sequence(subgraphs, "EF525953")
    assert report.samples_created == [] and record["materialSample"]["id"] == sample
    assert record["specimenVoucher"] == "MNCN:Herp:RuHF-TBB-01-4"  # kept as found


async def specimen(db: Database, group: str, name: str, institution: str | None = None,
                   collection: str | None = None) -> str:
    """A sample of the group named ``name`` in the institution's collection (both made if missing)."""
    async with db.unit_of_work() as session:
        found = await collection_for_codes(session, institution, collection, group=group, actor="test")
        sample = await create_material_sample(session, actor="test", group=group, material_sample_name=name,
                                              collection_id=found.id if found else None)
        return str(sample.id)


def voucher_record(tmp: Path, accession: str, voucher: str) -> Path:
    """The barcode record under another accession, with ``voucher`` as its /specimen_voucher."""
    path = tmp / f"{accession}.gb"
    path.write_text(BARCODE.read_text().replace("EF525953", accession)
                    .replace('/specimen_voucher="RuHF-TBB-01-4"', f'/specimen_voucher="{voucher}"'))
    return path


async def linked_samples(db: Database) -> dict[str, tuple]:
    """Each sequence's accession: its sample's name, collection code, institution code and group."""
    async with db.unit_of_work() as session:
        rows = await session.execute(text("""
            SELECT q.accession, s.material_sample_name, c.code, i.code, s."group" FROM molecular.sequence q
            JOIN collection.material_sample s ON s.id = q.material_sample_id
            LEFT JOIN collection.collection c ON c.id = s.collection_id
            LEFT JOIN collection.institution i ON i.id = c.institution_id"""))
        return {accession: tuple(rest) for accession, *rest in rows}


async def test_vouchers_of_other_collections_institutions_and_groups_never_share_a_sample(
        db: Database, tmp_path: Path) -> None:
    await truncate_all(db)
    herp = await specimen(db, "herpetology", "1234", "INST", "Herp")
    await specimen(db, "herpetology", "1", "INST", "Herp")
    records = [voucher_record(tmp_path, accession, voucher) for accession, voucher in [
        ("AA000001", "INST:Herp:1234"), ("AA000002", "INST:Mamm:1234"), ("AA000003", "INST:Herp:1"),
        ("AA000004", "INST:Mamm:1"), ("AA000005", "OTHER:1"), ("AA000006", "1")]]
    report = await import_files(db, "genbank", records, group="herpetology", actor="test")
    assert report.errors == [] and report.samples_linked == ["AA000001 -> 1234", "AA000003 -> 1"]
    assert report.samples_created == ["INST:Mamm:1234", "INST:Mamm:1", "OTHER:1", "1"]
    samples = await linked_samples(db)
    assert samples == {
        "AA000001": ("1234", "Herp", "INST", "herpetology"), "AA000002": ("1234", "Mamm", "INST", "herpetology"),
        "AA000003": ("1", "Herp", "INST", "herpetology"), "AA000004": ("1", "Mamm", "INST", "herpetology"),
        "AA000005": ("1", "OTHER", "OTHER", "herpetology"), "AA000006": ("1", None, None, "herpetology")}
    async with db.unit_of_work() as session:
        assert await session.scalar(text(
            "SELECT material_sample_id::text FROM molecular.sequence WHERE accession = 'AA000001'")) == herp

    # Another group's import links nothing of herpetology's, and gets its own institution and collection.
    mammals = await import_files(db, "genbank", [voucher_record(tmp_path, "AA000007", "INST:Herp:1234")],
                                 group="mammalogy", actor="test")
    assert mammals.samples_linked == [] and mammals.samples_created == ["INST:Herp:1234"]
    assert (await linked_samples(db))["AA000007"] == ("1234", "Herp", "INST", "mammalogy")


async def test_an_ambiguous_voucher_is_refused_by_record_and_the_rest_imported(db: Database, tmp_path: Path) -> None:
    await truncate_all(db)
    await specimen(db, "herpetology", "1234", "INST", "Herp")
    await specimen(db, "herpetology", "1234", "INST", "Mamm")
    before = await table_counts(db)
    report = await import_files(db, "genbank", [voucher_record(tmp_path, "AA000001", "INST:1234"), MIENS],
                                group="herpetology", actor="test")
    (error,) = report.errors
    assert (error.file, error.record) == ("AA000001.gb", "AA000001.1")
    assert error.reason.startswith("voucher INST:1234 matches 2 samples of group herpetology: 1234 (")
    assert report.imported == ["GU949562.1"]
    assert (await table_counts(db))["collection.material_sample"] == before["collection.material_sample"] + 1


async def test_an_accession_another_group_holds_is_imported_as_the_groups_own(db: Database) -> None:
    await truncate_all(db)
    await import_files(db, "genbank", [BARCODE], group="herpetology", actor="test")
    other = await import_files(db, "genbank", [BARCODE], group="mammalogy", actor="test")
    assert other.summary() == "1 imported, 0 unchanged, 0 linked to existing samples, 1 samples created, 0 rejected"
    again = await import_files(db, "genbank", [BARCODE], group="mammalogy", actor="test")
    assert again.unchanged == ["EF525953.1"]


async def test_report_missing_rejects_and_writes_nothing(db: Database) -> None:
    await truncate_all(db)
    before = await table_counts(db)
    report = await import_files(db, "genbank", [BARCODE], group="herpetology", actor="test",
                                create_missing_samples=False)
    assert [str(e) for e in report.errors] == [
        f"{BARCODE.name}: record EF525953.1: no material sample of group herpetology matches voucher 'RuHF-TBB-01-4'"]
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
        "mixed.fasta: record 2 (BAD000002.1): a protein sequence (amino acids EILQ): only nucleotide sequences "
        "are imported, protein records are refused",
        "mixed.fasta: record 3 (BAD000003.1): The sequence has characters that are not IUPAC nucleotide codes: 1234.",
    ]
    (record,) = sequence(subgraphs, "OK000001")
    assert (record["length"], record["definition"], record["materialSample"]) == (14, "a clean barcode", None)


async def test_a_con_record_is_refused_by_its_number_and_accession_and_the_rest_imported(db: Database) -> None:
    await truncate_all(db)
    report = await import_files(db, "genbank", [SEQUENCES / "biopython-con-record-second-of-4.gb"],
                                group="herpetology", actor="test")
    assert report.imported == ["EU851978.1", "HM138502.1", "KF527485.1"]
    assert [str(e) for e in report.errors] == [
        "biopython-con-record-second-of-4.gb: record 2 (DS830848): has no residues (a CON record, built from "
        "other records): not imported"]


async def test_ten_genes_of_one_plasmid_are_ten_sequences(db: Database, subgraphs: SubgraphServer) -> None:
    await truncate_all(db)
    genes = SEQUENCES / "biopython-NC_005816-genes.ffn"
    report = await import_files(db, "fasta", [genes], group="herpetology", actor="test")
    assert report.errors == [] and len(report.imported) == 10
    assert report.imported[:2] == ["NC_005816.1:87-1109", "NC_005816.1:1106-1888"]
    assert report.imported[5] == "NC_005816.1:c5888-4815"  # the complement strand, as NCBI writes it
    records = sequence(subgraphs, "NC_005816")
    assert sorted(r["length"] for r in records) == sorted(
        len("".join(block.split("\n", 1)[1].split())) for block in genes.read_text().split(">")[1:])
    again = await import_files(db, "fasta", [genes], group="herpetology", actor="test")
    assert (again.imported, len(again.unchanged)) == ([], 10)


async def test_a_protein_fasta_is_refused_as_protein_record_by_record(db: Database) -> None:
    await truncate_all(db)
    before = await table_counts(db)
    report = await import_files(db, "fasta", [SEQUENCES / "biopython-NC_005816-proteins.faa"],
                                group="herpetology", actor="test")
    assert report.imported == [] and len(report.errors) == 10
    assert str(report.errors[0]) == (
        "biopython-NC_005816-proteins.faa: record 1 (gi|45478712|ref|NP_995567.1|): a protein sequence "
        "(amino acids EFILPQ): only nucleotide sequences are imported, protein records are refused")
    assert await table_counts(db) == before


async def test_bio_material_identified_by_and_insdc_name_order(db: Database, router: str) -> None:
    await truncate_all(db)
    path = SEQUENCES / "nrm-triturus-cristatus-4rec-bio_material-identified_by.gb"
    report = await import_files(db, "genbank", [path], group="herpetology", actor="test")
    assert report.imported == ["KJ128672.1", "KJ128673.1", "KJ128674.1", "KJ128675.1"] and report.errors == []
    assert report.samples_created[:2] == ["NRM:6188", "NRM:17"]  # the specimen, then its tissue
    tissue = (await linked_samples(db))["KJ128672"]
    assert tissue == ("17", "NRM", "NRM", "herpetology")
    body = graphql(router, """{ materialSamples(filter: {materialSampleName: {eq: "17"}}) { edges { node {
      materialSampleType parentMaterialSample { materialSampleName materialSampleType collection { code }
        collectingEvent { startEventDate country decimalLatitude decimalLongitude
          collectors { displayName givenNames familyNames } }
        determinations { scientificName isPrimary determiners { displayName givenNames familyNames } } } } } } }""")
    (node,) = [e["node"] for e in body["data"]["materialSamples"]["edges"]]
    assert node["materialSampleType"] == "ORGANISM_PART"
    parent = node["parentMaterialSample"]
    assert (parent["materialSampleName"], parent["materialSampleType"], parent["collection"]) == (
        "6188", "WHOLE_ORGANISM", {"code": "NRM"})
    assert parent["collectingEvent"] == {
        "startEventDate": "2008-09-04", "country": "Sweden", "decimalLatitude": 59.1721, "decimalLongitude": 18.1071,
        "collectors": [{"displayName": "Bolander, S", "givenNames": "S", "familyNames": "Bolander"}]}
    assert parent["determinations"] == [{"scientificName": "Triturus cristatus", "isPrimary": True, "determiners": [
        {"displayName": "Ahlander, E", "givenNames": "E", "familyNames": "Ahlander"}]}]


async def test_a_culture_is_one_sample_and_geo_loc_name_wins_over_country(db: Database, tmp_path: Path) -> None:
    await truncate_all(db)
    culture = BARCODE.read_text().replace('/specimen_voucher="RuHF-TBB-01-4"\n', "").replace(
        '/country="Spain: Cantabria"', '/country="Spain"\n                     /geo_loc_name="Spain: Asturias, Oviedo"'
        '\n                     /culture_collection="ATCC:Bact:12345"\n                     /strain="12345"')
    paths = []
    for accession in ("AA000001", "AA000002"):
        paths.append(tmp_path / f"{accession}.gb")
        paths[-1].write_text(culture.replace("EF525953", accession))
    report = await import_files(db, "genbank", paths, group="herpetology", actor="test")
    assert report.errors == [] and report.samples_created == ["ATCC:Bact:12345"]
    assert report.samples_linked == ["AA000002 -> 12345"]
    async with db.unit_of_work() as session:
        rows = (await session.execute(text("""SELECT s.material_sample_type, e.country, e.state_province,
            e.verbatim_locality FROM collection.material_sample s JOIN collection.collecting_event e
            ON e.id = s.collecting_event_id"""))).all()
    assert [tuple(r) for r in rows] == [("CULTURE_STRAIN", "Spain", "Asturias", "Spain: Asturias, Oviedo")]


async def test_a_multi_record_file_without_vouchers(db: Database) -> None:
    await truncate_all(db)
    report = await import_files(db, "genbank", [SEQUENCES / "biopython-cor6_6-6rec.gb"], group="herpetology",
                                actor="test")
    assert report.summary() == "6 imported, 0 unchanged, 0 linked to existing samples, 6 samples created, 0 rejected"
    assert report.samples_created[0] == "Columbia"  # named by its /strain
