"""Darwin Core Archives: the real GBIF, Plazi and NHM archives in, valid archives out, bad ones refused whole."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pytest
from dwca.read import DwCAReader
from sqlalchemy import text

from subgraphs.core.data.db import Database
from subgraphs.exchange.dwca.archive import DWC, ArchiveError
from subgraphs.exchange.dwca.exporter import export_archive, exportable
from subgraphs.exchange.dwca.importer import import_archive

from ..conftest import REPO, SubgraphServer, graphql, table_counts, truncate_all

DWCA = REPO.parent / "shared" / "data" / "dwca"
CHECKER = REPO.parent / "shared" / "peer" / "dwca-check.py"
GBIF_MULTIMEDIA = "http://rs.gbif.org/terms/1.0/Multimedia"
DC, AC = "http://purl.org/dc/terms/", "http://rs.tdwg.org/ac/terms/"
pytestmark = pytest.mark.skipif(not DWCA.is_dir(), reason="needs ../shared/data/dwca")


async def test_each_real_archive_imports_with_its_defects_reported(db: Database) -> None:
    await truncate_all(db)
    reports = {name: await import_archive(db, DWCA / name, group="g", actor="test") for name in [
        "gbif-occurrence-download-2013.zip", "gbif-simple-csv-download-lactoria.zip",
        "plazi-treatment-draposa-taxon-core.zip", "nhm-occurrence-multimedia"]}

    gbif, simple, plazi, nhm = reports.values()
    assert (gbif.rows, gbif.imported, gbif.defects) == (158, 158, [])
    assert (simple.rows, simple.imported) == (3, 3)
    assert [str(d) for d in simple.defects][0] == "meta.xml: missing: read as a simple archive (header row names terms)"
    assert simple.defects[1].reason.startswith("header names normalised: occurrenceid → dwc:occurrenceID, ")
    assert plazi.core == "Taxon" and plazi.rows == 10
    assert [str(d) for d in plazi.defects if "not stored" not in d.reason] == [  # (test_dwca_reading: the rest)
        "meta.xml: names metadata file 'metadata.xml', which is missing",
        f"media.txt: unknown Darwin Core term {DWC}additionalInformationURL (values kept)",
        "taxa.txt row 11: duplicate taxonID 270A0BD9F965F91D578A4EEDFB0638BD.taxon (first at row 10): not imported",
    ]
    assert (nhm.imported, nhm.media, nhm.defects) == (1, 4, [])


async def test_reimport_is_idempotent(db: Database) -> None:
    await truncate_all(db)
    await import_archive(db, DWCA / "gbif-occurrence-download-2013.zip", group="g", actor="test")
    before = await table_counts(db)
    again = await import_archive(db, DWCA / "gbif-occurrence-download-2013.zip", group="g", actor="test")
    assert (again.imported, again.unchanged) == (0, 158)
    assert await table_counts(db) == before


async def test_imported_occurrence_reads_like_the_archive(db: Database, subgraphs: SubgraphServer) -> None:
    await truncate_all(db)
    await import_archive(db, DWCA / "nhm-occurrence-multimedia", group="g", actor="test")
    body = graphql(subgraphs.url("collection"), """{ materialSamples { edges { node {
      materialSampleName occurrenceId collection { code institution { code } } sourceRecord
      determinations { scientificName } attachments { id } } } } }""")
    (node,) = [e["node"] for e in body["data"]["materialSamples"]["edges"]]
    assert node["materialSampleName"] == "PV OR 35322"
    assert node["collection"] == {"code": "PAL", "institution": {"code": "NHMUK"}}
    assert node["determinations"] == [{"scientificName": "Ornithocheirus"}]
    assert len(node["attachments"]) == 4
    assert '\\"fragments of bone\\"' in node["sourceRecord"][DWC + "dynamicProperties"]  # escaped quotes intact


def read_back(path: Path) -> dict[str, dict[str, str]]:
    with DwCAReader(str(path)) as archive:
        return {row.data[DWC + "occurrenceID"]: {k: v for k, v in row.data.items() if v} for row in archive}


@pytest.mark.parametrize("name", ["gbif-occurrence-download-2013.zip", "nhm-occurrence-multimedia"])
async def test_round_trip_loses_no_term_value(db: Database, tmp_path: Path, name: str) -> None:
    await truncate_all(db)
    source = DWCA / name
    await import_archive(db, source, group="g", actor="test")
    out = tmp_path / "export.zip"
    count = await export_archive(db, out)

    original = read_back(source if source.suffix == ".zip" else _zip(source, tmp_path / "source.zip"))
    exported = read_back(out)
    assert count == len(original) == len(exported)
    for occurrence_id, values in original.items():
        kept = {term: value for term, value in values.items() if exportable(term)}
        assert {t: exported[occurrence_id].get(t) for t in kept} == kept


@pytest.mark.skipif(not CHECKER.is_file(), reason="needs ../shared/peer/dwca-check.py")
async def test_exports_pass_the_third_party_validator(db: Database, tmp_path: Path) -> None:
    await truncate_all(db)
    for name in ["gbif-occurrence-download-2013.zip", "nhm-occurrence-multimedia", "plazi-treatment-draposa-taxon-core.zip"]:
        await import_archive(db, DWCA / name, group="g", actor="test")
    out = tmp_path / "all.zip"
    await export_archive(db, out)
    result = subprocess.run([sys.executable, str(CHECKER), str(out)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "meta.xml valid against tdwg_dwc_text.xsd" in result.stdout
    with zipfile.ZipFile(out) as archive:
        assert set(archive.namelist()) == {"occurrence.txt", "multimedia.txt", "meta.xml", "eml.xml"}


def _zip(folder: Path, out: Path) -> Path:
    with zipfile.ZipFile(out, "w") as archive:
        for file in folder.iterdir():
            archive.write(file, file.name)
    return out


def _bad_archives(tmp: Path) -> dict[str, Path]:
    whole = (DWCA / "gbif-simple-csv-download-lactoria.zip").read_bytes()
    truncated = tmp / "truncated.zip"
    truncated.write_bytes(whole[: len(whole) // 2])
    latin = tmp / "latin1"
    latin.mkdir()
    meta = (DWCA / "nhm-occurrence-multimedia" / "meta.xml").read_text()
    (latin / "meta.xml").write_text(meta)
    (latin / "occurrence.csv").write_bytes((DWCA / "nhm-occurrence-multimedia" / "occurrence.csv").read_text()
                                           .replace("Ornithocheirus", "Ornithochéirus").encode("latin-1"))
    (latin / "multimedia.csv").write_bytes((DWCA / "nhm-occurrence-multimedia" / "multimedia.csv").read_bytes())
    no_core = tmp / "no-core.zip"
    with zipfile.ZipFile(no_core, "w") as archive:
        archive.writestr("meta.xml", meta)
    not_xml = tmp / "not-xml.zip"
    with zipfile.ZipFile(not_xml, "w") as archive:
        archive.writestr("meta.xml", "<archive><core")
        archive.writestr("occurrence.csv", io.BytesIO(b"a,b\n").getvalue())
    nul_header = tmp / "nul-header"  # a simple archive: its header names the terms values are stored under
    nul_header.mkdir()
    (nul_header / "occurrence.csv").write_text("occurrenceID,local\x00ity\na,Sierra Nevada\n")
    return {"truncated": truncated, "wrong encoding": latin, "missing core": no_core, "broken meta.xml": not_xml,
            "NUL in a simple archive's header": nul_header}


@pytest.mark.parametrize(("case", "message"), [
    ("truncated", "is not a readable zip archive"),
    ("wrong encoding", "occurrence.csv is not valid UTF-8"),
    ("missing core", "the core file 'occurrence.csv' is missing"),
    ("broken meta.xml", "meta.xml is not well-formed XML"),
    ("NUL in a simple archive's header", "the header row of occurrence.csv contains a NUL character"),
])
async def test_bad_archive_is_a_clear_error_and_writes_nothing(db: Database, tmp_path: Path, case: str,
                                                               message: str) -> None:
    before = await table_counts(db)
    with pytest.raises(ArchiveError, match=message):
        await import_archive(db, _bad_archives(tmp_path)[case], group="g", actor="test")
    assert await table_counts(db) == before


async def indexes_and_foreign_keys(db: Database) -> set[str]:
    async with db.engine.connect() as conn:
        indexes = await conn.execute(text("SELECT indexdef FROM pg_indexes WHERE schemaname IN ('collection', 'agents')"))
        keys = await conn.execute(text("SELECT conrelid::regclass || pg_get_constraintdef(oid) FROM pg_constraint "
                                       "WHERE contype = 'f' AND connamespace::regnamespace::text = 'collection'"))
        return {row[0] for row in [*indexes, *keys]}


@pytest.mark.parametrize(("name", "rows", "media"), [
    ("gbif-occurrence-download-2013.zip", 158, 0), ("nhm-occurrence-multimedia", 1, 4)])
async def test_bulk_copy_import_matches_the_row_by_row_one(db: Database, database_url: str, name: str, rows: int,
                                                           media: int) -> None:
    from subgraphs.exchange.dwca.bulk import bulk_import_archive

    await truncate_all(db)
    schema_before = await indexes_and_foreign_keys(db)
    report = await bulk_import_archive(database_url, DWCA / name, group="g", actor="test")
    # An empty table: indexes and foreign keys were dropped for the load and rebuilt, all of them.
    assert await indexes_and_foreign_keys(db) == schema_before
    again = await bulk_import_archive(database_url, DWCA / name, group="g", actor="test")
    assert (report.rows, report.imported, report.media, report.defects) == (rows, rows, media, [])
    assert (again.imported, again.unchanged) == (0, rows)
    bulk_counts, bulk_samples = await table_counts(db), await sample_contents(db)
    await truncate_all(db)
    await import_archive(db, DWCA / name, group="g", actor="test")
    row_counts = await table_counts(db)
    # Every table (media included) but the audit logs: bulk loads audit samples and media only.
    assert {k: v for k, v in row_counts.items() if not k.endswith(".audit_log")} == {
        k: v for k, v in bulk_counts.items() if not k.endswith(".audit_log")}
    assert await sample_contents(db) == bulk_samples


async def sample_contents(db: Database) -> list[tuple]:
    """What an occurrence became, without ids: sample, event, determination, people, media and the
    collection (code, institution code) it was filed in."""
    async with db.engine.connect() as conn:
        result = await conn.execute(text("""
            SELECT s.material_sample_name, s.occurrence_id, s.other_catalog_numbers, s.source_record,
                   e.start_event_date, e.end_event_date, e.verbatim_locality, e.decimal_latitude, e.decimal_longitude,
                   e.coordinate_uncertainty_in_meters, e.country_code,
                   (SELECT array_agg(p.display_name ORDER BY k) FROM unnest(e.collector_ids) WITH ORDINALITY AS c(id, k)
                      JOIN agents.person p ON p.id = c.id) AS collectors,
                   o.sex, o.life_stage, d.scientific_name, d.type_status, d.determined_on,
                   (SELECT array_agg(m.access_uri || ' ' || m.dc_format || ' ' || coalesce(m.caption, '') ORDER BY k)
                      FROM unnest(s.attachment_ids) WITH ORDINALITY AS a(id, k) JOIN media.media m ON m.id = a.id),
                   s.issues, s.measurements, d.is_primary,
                   (SELECT array_agg(p.display_name ORDER BY k) FROM unnest(d.determiner_ids) WITH ORDINALITY AS c(id, k)
                      JOIN agents.person p ON p.id = c.id) AS determiners,
                   s.associations, s.citations, c.code, i.code, s.basis_of_record
            FROM collection.material_sample s
            LEFT JOIN collection.collection c ON c.id = s.collection_id
            LEFT JOIN collection.institution i ON i.id = c.institution_id
            LEFT JOIN collection.collecting_event e ON e.id = s.collecting_event_id
            LEFT JOIN collection.organism o ON o.material_sample_id = s.id
            LEFT JOIN collection.determination d ON d.organism_id = o.id
            ORDER BY s.occurrence_id, s.material_sample_name, d.is_primary DESC, d.scientific_name"""))
        return [tuple(row) for row in result]


def occurrence_archive(tmp: Path, terms: list[str], rows: list[list[str]], media_terms: Sequence[str] = (),
                       media_rows: Sequence[list[str]] = ()) -> Path:
    """A tab-separated occurrence archive in ``tmp``, a value of each of ``terms`` a row; the first is the core id.
    With ``media_terms`` (term URIs; the first column is the core id) it has a GBIF Multimedia extension,
    multimedia.txt, of ``media_rows``."""
    folder = tmp / "archive"
    folder.mkdir()
    fields = "".join(f'<field index="{i}" term="{DWC}{t}"/>' for i, t in enumerate(terms))
    extension = ""
    if media_terms:
        media_fields = "".join(f'<field index="{i}" term="{t}"/>' for i, t in enumerate(media_terms) if i)
        extension = f"""<extension fieldsTerminatedBy="\\t" ignoreHeaderLines="1" rowType="{GBIF_MULTIMEDIA}">
    <files><location>multimedia.txt</location></files><coreid index="0"/>{media_fields}
  </extension>"""
        (folder / "multimedia.txt").write_text(
            "\n".join("\t".join(row) for row in [["coreid", *media_terms[1:]], *media_rows]) + "\n")
    (folder / "meta.xml").write_text(f"""<archive xmlns="http://rs.tdwg.org/dwc/text/">
  <core fieldsTerminatedBy="\\t" ignoreHeaderLines="1" rowType="{DWC}Occurrence">
    <files><location>occ.txt</location></files><id index="0"/>{fields}
  </core>{extension}</archive>""")
    (folder / "occ.txt").write_text("\n".join("\t".join(row) for row in [terms, *rows]) + "\n")
    return folder


async def test_bulk_import_reports_bad_rows_and_keeps_the_rest(db: Database, database_url: str, tmp_path: Path) -> None:
    from subgraphs.exchange.dwca.bulk import bulk_import_archive

    await truncate_all(db)
    # More samples already stored than the archive brings: indexes stay in place during the load.
    await bulk_import_archive(database_url, DWCA / "gbif-occurrence-download-2013.zip", group="g", actor="test")
    schema_before = await indexes_and_foreign_keys(db)
    folder = occurrence_archive(tmp_path, ["occurrenceID", "eventDate", "decimalLatitude", "country"], [
        ["a", "2001-02-03", "55.1", "DK"], ["b", "2001-13-40", "55", _long(201)], ["c", "2001", "95", "DK"],
        ["a", "2002", "1", "DK"]])
    report = await bulk_import_archive(database_url, folder, group="g", actor="test")
    assert report.imported == 2
    assert [(d.row, d.reason) for d in report.defects] == [
        (3, "country is longer than 200 characters"), (5, "duplicate id a")]
    assert [(f.row, f.term, str(f.issue)) for f in report.flags] == [
        (2, "dwc:decimalLatitude", "COORDINATE_INVALID"), (4, "dwc:decimalLatitude", "COORDINATE_INVALID")]
    assert await indexes_and_foreign_keys(db) == schema_before
    assert (await table_counts(db))["collection.material_sample"] == 160


EVENT_RULE_TERMS = ["occurrenceID", "materialSampleID", "eventDate", "decimalLatitude", "decimalLongitude",
                    "coordinateUncertaintyInMeters", "countryCode", "recordedBy"]
# A row of each of those terms, and the values flagged where the collection service refuses them: the
# value is left out of its column (kept verbatim in the source record), the row imported.
EVENT_RULE_ROWS = [
    (["a", "", "2001-02-03", "55.1", "12.5", "10", "dk", "Bo Berg"], []),
    (["b", "", "2001-13-40", "", "", "", "", "Ed Eng"], [("dwc:eventDate", "2001-13-40", "RECORDED_DATE_INVALID")]),
    (["c", "", "2001", "95", "12", "", "", "Bo Berg"], [("dwc:decimalLatitude", "95", "COORDINATE_OUT_OF_RANGE")]),
    (["d", "", "2001", "10", "190", "", "", ""], [("dwc:decimalLongitude", "190", "COORDINATE_OUT_OF_RANGE")]),
    (["e", "", "2001", "10", "", "", "", ""], [("dwc:decimalLatitude", "10", "COORDINATE_INVALID")]),
    (["f", "", "2001", "", "10", "", "", ""], [("dwc:decimalLongitude", "10", "COORDINATE_INVALID")]),
    (["g", "", "2001", "10", "10", "-5", "", ""],
     [("dwc:coordinateUncertaintyInMeters", "-5", "COORDINATE_UNCERTAINTY_METERS_INVALID")]),
    (["h", "", "2001", "", "", "", "DNK", ""], [("dwc:countryCode", "DNK", "COUNTRY_INVALID")]),
    (["i", "", "2001-05/2001-03", "", "", "", "", ""], [("dwc:eventDate", "2001-05/2001-03", "RECORDED_DATE_INVALID")]),
    (["j", "", "/2001-03", "", "", "", "", ""], [("dwc:eventDate", "/2001-03", "RECORDED_DATE_INVALID")]),
    (["k", "", "2001", "1,234.5", "12", "", "", ""], [("dwc:decimalLatitude", "1,234.5", "COORDINATE_INVALID"),
                                                      ("dwc:decimalLongitude", "12", "COORDINATE_INVALID")]),
    (["l", "", "2001", "95", "", "-1", "Denmark", ""], [
        ("dwc:decimalLatitude", "95", "COORDINATE_INVALID"),
        ("dwc:coordinateUncertaintyInMeters", "-1", "COORDINATE_UNCERTAINTY_METERS_INVALID"),
        ("dwc:countryCode", "Denmark", "COUNTRY_INVALID")]),
    (["m", "", "2001", "0", "0", "", "", ""], [("dwc:decimalLatitude", "0", "ZERO_COORDINATE")]),
    (["", "MS-1", "2001", "", "", "", "", "Bo Berg"], []),
]


async def import_both_ways(db: Database, database_url: str, folder: Path) -> tuple:
    """Bulk, then row-by-row, import of ``folder`` into an empty database; both must give the same
    defects, imported count, table counts (audit logs aside: bulk audits samples and media only),
    samples and flags, and that one outcome is returned."""
    from subgraphs.exchange.dwca.bulk import bulk_import_archive

    outcomes = []
    for load in (lambda: bulk_import_archive(database_url, folder, group="g", actor="test"),
                 lambda: import_archive(db, folder, group="g", actor="test")):
        await truncate_all(db)
        report = await load()
        counts = {k: v for k, v in (await table_counts(db)).items() if not k.endswith(".audit_log")}
        outcomes.append(([(d.file, d.row, d.reason) for d in report.defects], report.imported, counts,
                         await sample_contents(db), [(f.row, f.term, f.value, str(f.issue)) for f in report.flags]))
    bulk, row_by_row = outcomes
    assert bulk == row_by_row
    return bulk


async def test_both_importers_flag_the_values_the_collecting_event_rules_refuse_and_keep_the_rows(
        db: Database, database_url: str, tmp_path: Path) -> None:
    # Before: each of these rows was refused whole ("82 of 740 occurrences vanish"); GBIF keeps them.
    folder = occurrence_archive(tmp_path, EVENT_RULE_TERMS, [row for row, _ in EVENT_RULE_ROWS])

    defects, imported, counts, samples, flags = await import_both_ways(db, database_url, folder)

    assert defects == []
    assert imported == len(EVENT_RULE_ROWS)
    assert flags == [(number, *flag) for number, (_, row_flags) in enumerate(EVENT_RULE_ROWS, start=2)
                     for flag in row_flags]
    issues = {s[1] or s[0]: s[18] for s in samples}
    assert issues["a"] == [] and issues["l"] == [
        "COORDINATE_INVALID", "COORDINATE_UNCERTAINTY_METERS_INVALID", "COUNTRY_INVALID"]
    by_id = {s[1] or s[0]: s for s in samples}
    # The flagged value is left out of its column; the row's other values are kept.
    assert by_id["c"][7:9] == (None, None) and by_id["c"][4] == "2001"
    assert by_id["h"][10] is None and by_id["b"][4] is None and by_id["b"][3][DWC + "eventDate"] == "2001-13-40"
    assert by_id["m"][7:9] == (0.0, 0.0)  # a zero coordinate is kept, and flagged, as GBIF does
    assert (counts["collection.collecting_event"], counts["agents.person"]) == (len(EVENT_RULE_ROWS), 2)


async def test_a_refused_first_row_of_a_new_collection_does_not_refuse_the_rest_of_it(
        db: Database, database_url: str, tmp_path: Path) -> None:
    # Row-by-row, the refused row's savepoint takes the NEWI institution and NEWC collection it created
    # with it; the importer must not keep their ids for the collection's later rows.
    folder = occurrence_archive(tmp_path, ["occurrenceID", "institutionCode", "collectionCode", "country"], [
        ["a", "NEWI", "NEWC", _long(201)], ["b", "NEWI", "NEWC", "Chile"], ["c", "NEWI", "NEWC", "Peru"]])

    defects, imported, counts, samples, _ = await import_both_ways(db, database_url, folder)

    assert defects == [("occ.txt", 2, "country is longer than 200 characters")]
    assert imported == 2
    assert (counts["collection.institution"], counts["collection.collection"]) == (1, 1)
    assert [(s[1], s[-3], s[-2]) for s in samples] == [("b", "NEWC", "NEWI"), ("c", "NEWC", "NEWI")]


async def test_a_later_row_names_a_collector_a_refused_row_created_and_lost(
        db: Database, database_url: str, tmp_path: Path) -> None:
    # Row 2 is refused (a country too long) in a new collection; before the fix row 3 was then refused too,
    # after creating its new collector Ann Ny in its savepoint, and row 4 pointed at that rolled-back Ann Ny.
    folder = occurrence_archive(tmp_path, ["occurrenceID", "institutionCode", "collectionCode", "country",
                                           "recordedBy"], [
        ["a", "NEWI", "NEWC", _long(201), "Ed Eng"], ["b", "NEWI", "NEWC", "Chile", "Ann Ny"],
        ["c", "", "", "Peru", "Ann Ny|Ed Eng"]])

    defects, imported, counts, samples, _ = await import_both_ways(db, database_url, folder)

    assert [(row, reason) for _, row, reason in defects] == [(2, "country is longer than 200 characters")]
    assert (imported, counts["agents.person"]) == (2, 2)
    assert [(s[1], s[11]) for s in samples] == [("b", ["Ann Ny"]), ("c", ["Ann Ny", "Ed Eng"])]
    async with db.engine.connect() as conn:
        dangling = await conn.scalar(text("""
            SELECT count(*) FROM collection.collecting_event e, unnest(e.collector_ids) AS c(id)
            WHERE NOT EXISTS (SELECT 1 FROM agents.person p WHERE p.id = c.id)"""))
    assert dangling == 0


async def test_a_row_named_only_by_its_material_sample_id_keeps_that_name(
        db: Database, database_url: str, tmp_path: Path) -> None:
    folder = occurrence_archive(tmp_path, ["occurrenceID", "materialSampleID", "catalogNumber"], [
        ["", "MS-1", ""], ["", "MS-2", "CAT-2"]])

    defects, _, _, samples, _ = await import_both_ways(db, database_url, folder)

    assert defects == []
    assert [sample[0] for sample in samples] == ["CAT-2", "MS-1"]


def _long(size: int, start: str = "") -> str:
    """``start`` padded with x to ``size`` characters."""
    return start + "x" * (size - len(start))


# Each core term written to a column of limited length, a value one character too long for it, and the
# defect both importers report (the limits are the models' String(n)). None: the row is imported (the second
# has every value right at its limit; the third a sex that is only kept in sourceRecord, without a name).
LENGTH_TERMS = ["occurrenceID", "catalogNumber", "institutionCode", "collectionCode", "eventDate", "verbatimEventDate",
                "country", "stateProvince", "geodeticDatum", "recordedBy", "identifiedBy", "scientificName",
                "typeStatus", "sex", "lifeStage"]
LENGTH_ROWS = [
    ({}, None),
    ({"catalogNumber": _long(250), "institutionCode": _long(50), "collectionCode": _long(50, "C"),
      "verbatimEventDate": _long(250), "country": _long(200), "stateProvince": _long(200), "geodeticDatum": _long(50),
      "recordedBy": _long(500), "scientificName": _long(500), "typeStatus": _long(100), "sex": _long(50),
      "lifeStage": _long(100)}, None),
    ({"scientificName": "", "sex": _long(51)}, None),
    ({"occurrenceID": _long(501)}, "occurrenceID is longer than 500 characters"),
    ({"catalogNumber": _long(251)}, "catalogNumber is longer than 250 characters"),
    ({"catalogNumber": "", "occurrenceID": _long(251, "o-")}, "occurrenceID is longer than 250 characters"),
    ({"institutionCode": _long(51)}, "institutionCode is longer than 50 characters"),
    ({"collectionCode": _long(51)}, "collectionCode is longer than 50 characters"),
    ({"eventDate": _long(251, "2001-02-03")}, "eventDate is longer than 250 characters"),
    ({"verbatimEventDate": _long(251)}, "verbatimEventDate is longer than 250 characters"),
    ({"country": _long(201)}, "country is longer than 200 characters"),
    ({"stateProvince": _long(201)}, "stateProvince is longer than 200 characters"),
    ({"geodeticDatum": _long(51)}, "geodeticDatum is longer than 50 characters"),
    ({"recordedBy": "Bo Berg|" + _long(501)}, "a name in recordedBy is longer than 500 characters"),
    ({"identifiedBy": _long(501)}, "a name in identifiedBy is longer than 500 characters"),
    ({"scientificName": _long(501)}, "scientificName is longer than 500 characters"),
    ({"typeStatus": _long(101)}, "typeStatus is longer than 100 characters"),
    ({"sex": _long(51)}, "sex is longer than 50 characters"),
    ({"lifeStage": _long(101)}, "lifeStage is longer than 100 characters"),
    ({"sex": _long(51), "country": _long(201), "decimalLatitude": "95"},
     "country is longer than 200 characters; sex is longer than 50 characters"),
]


async def test_both_importers_refuse_values_longer_than_their_columns(
        db: Database, database_url: str, tmp_path: Path) -> None:
    # Before: the first too-long value was a database error (a string too long for varchar(n)) that
    # stopped either import as a whole instead of being reported as that row's defect.
    terms = [*LENGTH_TERMS, "decimalLatitude"]
    base = {"eventDate": "2001", "recordedBy": "Bo Berg", "scientificName": "Rana", "catalogNumber": "CAT"}
    rows = [[{**base, "occurrenceID": f"o{n}", **values}.get(t, "") for t in terms]
            for n, (values, _) in enumerate(LENGTH_ROWS)]
    folder = occurrence_archive(tmp_path, terms, rows)

    defects, imported, counts, samples, _ = await import_both_ways(db, database_url, folder)

    assert defects == [("occ.txt", number, reason) for number, (_, reason) in enumerate(LENGTH_ROWS, start=2)
                       if reason]
    assert imported == 3
    assert (counts["collection.collecting_event"], counts["collection.determination"]) == (3, 2)
    assert counts["agents.person"] == 2  # Bo Berg and the 500-character collector; nobody of a refused row
    assert (counts["collection.institution"], counts["collection.collection"]) == (1, 1)
    assert sorted(len(s[0]) for s in samples) == [3, 3, 250]


MEDIA_TERMS = ["coreid", DC + "identifier", AC + "accessURI", DC + "type", DC + "format", DC + "license",
               DC + "rightsHolder", DC + "title"]


def _media_row(core_id: str, **values: str) -> list[str]:
    values = {"identifier": f"https://img.example.org/{core_id}.jpg", **values}
    return [core_id, *(values.get(t.rsplit("/", 1)[-1], "") for t in MEDIA_TERMS[1:])]


async def test_a_multimedia_row_too_long_for_its_column_refuses_its_occurrence_and_only_it(
        db: Database, database_url: str, tmp_path: Path) -> None:
    # Before: the bulk COPY of the media table failed and took the whole import with it; row by row,
    # the database error ended the import. Now the occurrence is refused with the media row's file,
    # row and reason, so fixing multimedia.txt and importing again brings it in with all its media.
    folder = occurrence_archive(tmp_path, ["occurrenceID", "scientificName"], [
        ["a", "Rana"], ["b", "Bufo"], ["c", "Hyla"], ["d", "Pelobates"], ["e", ""]], MEDIA_TERMS, [
        _media_row("a"),                                                              # row 2
        _media_row("a", type=_long(51)),                                              # row 3
        _media_row("b", identifier=_long(2001, "https://"), license=_long(501)),      # row 4
        _media_row("c", identifier=_long(2000, "https://"), rightsHolder=_long(500), type=_long(50),
                   format=_long(150), license=_long(500)),                            # row 5: at the limits
        _media_row("c", title=_long(5000)),                                           # row 6: caption is text
        _media_row("d", identifier="", accessURI=_long(2001, "https://")),            # row 7
        _media_row("e", format=_long(151)),                                           # row 8
    ])

    defects, imported, counts, samples, _ = await import_both_ways(db, database_url, folder)

    assert defects == [
        ("occ.txt", 2, "multimedia.txt row 3: type is longer than 50 characters"),
        ("occ.txt", 3, "multimedia.txt row 4: identifier is longer than 2000 characters; "
                       "multimedia.txt row 4: license is longer than 500 characters"),
        ("occ.txt", 5, "multimedia.txt row 7: accessURI is longer than 2000 characters"),
        ("occ.txt", 6, "multimedia.txt row 8: format is longer than 150 characters"),
    ]
    assert imported == 1
    # Nothing of a refused occurrence is written, not even its media rows that fit (a's row 2).
    assert (counts["media.media"], counts["collection.collecting_event"], counts["collection.determination"]) == (
        2, 1, 1)
    assert [(s[1], len(s[17])) for s in samples] == [("c", 2)]

    # The data manager shortens the reported values; importing again brings the refused occurrences with all
    # their media, and leaves c alone.
    (folder / "multimedia.txt").write_text((folder / "multimedia.txt").read_text().replace("x" * 40, ""))
    from subgraphs.exchange.dwca.bulk import bulk_import_archive

    again = await bulk_import_archive(database_url, folder, group="g", actor="test")
    assert (again.imported, again.unchanged, again.media, again.defects) == (4, 1, 5, [])
    assert [(s[1], len(s[17] or [])) for s in await sample_contents(db)] == [
        ("a", 2), ("b", 1), ("c", 2), ("d", 1), ("e", 1)]


async def test_both_importers_report_a_row_with_a_nul_character_and_import_the_rest(
        db: Database, database_url: str, tmp_path: Path) -> None:
    # Before: PostgreSQL text cannot hold NUL, so the first such value was a database error (invalid byte
    # sequence 0x00; unsupported Unicode escape sequence in the jsonb sourceRecord) that ended either import
    # with nothing imported and no row reported. Now the archive reader reports the row and skips it; a
    # multimedia row with a NUL refuses its occurrence, as a media row too long for its columns does.
    folder = occurrence_archive(tmp_path, ["occurrenceID", "locality", "country", "eventDate", "recordedBy"], [
        ["a", "Sierra Nevada", "Spain", "2001", "Bo Berg"],
        ["b", "Sierra\x00Nevada", "Spain", "2001", "Ed Eng"],
        ["c", "x\x00", "Spa\x00in", "2001", ""],
        ["d", "", "", "2002", "Bo Berg"],
        ["e\x00", "", "", "2003", ""],
        ["f", "", "", "2004", ""],
    ], MEDIA_TERMS, [_media_row("a"), _media_row("d", title="fo\x00ot"), _media_row("f")])

    defects, imported, counts, samples, _ = await import_both_ways(db, database_url, folder)

    assert defects == [
        ("occ.txt", 3, "contains a NUL character in dwc:locality"),
        ("occ.txt", 4, "contains a NUL character in dwc:locality, dwc:country"),
        ("occ.txt", 5, "multimedia.txt row 3: contains a NUL character in dc:title"),
        ("occ.txt", 6, "contains a NUL character in dwc:occurrenceID"),
    ]
    assert imported == 2
    assert (counts["collection.collecting_event"], counts["agents.person"], counts["media.media"]) == (2, 1, 2)
    assert [(s[1], s[11], len(s[17])) for s in samples] == [("a", ["Bo Berg"], 1), ("f", None, 1)]


def checklist_archive(tmp_path: Path, taxa: str, occurrences: str) -> Path:
    """A taxon core (taxonID, scientificName) with an occurrence extension (taxonID, occurrenceID)."""
    folder = tmp_path / "checklist"
    folder.mkdir()
    (folder / "meta.xml").write_text(f"""<archive xmlns="http://rs.tdwg.org/dwc/text/">
  <core fieldsTerminatedBy="\\t" ignoreHeaderLines="1" rowType="{DWC}Taxon">
    <files><location>taxa.txt</location></files><id index="0"/><field index="1" term="{DWC}scientificName"/>
  </core>
  <extension fieldsTerminatedBy="\\t" ignoreHeaderLines="1" rowType="{DWC}Occurrence">
    <files><location>occurrences.txt</location></files><coreid index="0"/><field index="1" term="{DWC}occurrenceID"/>
  </extension></archive>""")
    (folder / "taxa.txt").write_text(taxa)
    (folder / "occurrences.txt").write_text(occurrences)
    return folder


async def test_a_checklist_taxon_name_too_long_refuses_the_occurrences_it_names(db: Database, tmp_path: Path) -> None:
    # A taxon core's occurrence extension rows take the taxon's name (row by row only: bulk reads occurrence cores).
    await truncate_all(db)
    folder = checklist_archive(tmp_path, f"taxonID\tscientificName\nt1\t{_long(501)}\nt2\tRana\n",
                               "taxonID\toccurrenceID\nt1\ta\nt2\tb\nt1\tc\n")

    report = await import_archive(db, folder, group="g", actor="test")

    assert [(d.file, d.row, d.reason) for d in report.defects] == [
        ("taxa.txt", 2, "a name longer than 500 characters: not imported"),
        ("occurrences.txt", 2, "scientificName is longer than 500 characters"),
        ("occurrences.txt", 4, "scientificName is longer than 500 characters")]
    assert report.imported == 1
    assert (await table_counts(db))["collection.determination"] == 1


async def test_a_checklist_taxon_row_with_a_nul_character_refuses_the_occurrences_it_names(
        db: Database, tmp_path: Path) -> None:
    # Skipping the taxon row alone would import its occurrences without their name, for good: a later import
    # leaves existing samples alone.
    await truncate_all(db)
    folder = checklist_archive(tmp_path, "taxonID\tscientificName\nt1\tRa\x00na\nt2\tBufo\n",
                               "taxonID\toccurrenceID\nt1\ta\nt2\tb\nt1\tc\nt2\td\x00\n")

    report = await import_archive(db, folder, group="g", actor="test")

    assert [(d.file, d.row, d.reason) for d in report.defects] == [
        ("taxa.txt", 2, "contains a NUL character in dwc:scientificName"),
        ("occurrences.txt", 2, "taxa.txt row 2: contains a NUL character in dwc:scientificName"),
        ("occurrences.txt", 4, "taxa.txt row 2: contains a NUL character in dwc:scientificName"),
        ("occurrences.txt", 5, "contains a NUL character in dwc:occurrenceID")]
    assert report.imported == 1
    assert (await table_counts(db))["collection.determination"] == 1


@pytest.mark.parametrize("mode", [["--bulk"], []], ids=["bulk", "row-by-row"])
async def test_cli_import_reports_progress_and_one_summary(db: Database, database_url: str, mode: list[str]) -> None:
    await truncate_all(db)
    done = subprocess.run(
        [sys.executable, "-m", "subgraphs.cli", "import", "dwca", str(DWCA / "gbif-occurrence-download-2013.zip"),
         "--group", "g", *mode],
        env={**os.environ, "DATABASE_URL": database_url}, capture_output=True, text=True, timeout=300, check=False)

    assert done.returncode == 0, done.stderr
    summary = "158 rows, 158 imported, 0 already present"
    assert summary in done.stdout and (done.stdout + done.stderr).count(summary) == 1, done.stdout + done.stderr
    assert "Warning" not in done.stderr, done.stderr
    progress = [line for line in done.stderr.splitlines() if "rows/s" in line]
    assert progress and "100%" in progress[-1] and "158/158 rows" in progress[-1], done.stderr
    assert (await table_counts(db))["collection.material_sample"] == 158
