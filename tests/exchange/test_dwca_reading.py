"""Reading Darwin Core Archives as GBIF does: event cores, every extension stored or reported, orphans,
structure defects reported once, short rows padded, legacy terms normalised, zip bombs refused."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from subgraphs.core.data.db import Database
from subgraphs.core.runtime.settings import Settings
from subgraphs.exchange.dwca import archive as archive_module
from subgraphs.exchange.dwca.archive import DWC, ArchiveBomb, open_archive
from subgraphs.exchange.dwca.importer import import_archive

from ..conftest import REPO, SubgraphServer, graphql, table_counts, truncate_all
from .test_dwca import import_both_ways

DWCA = REPO.parent / "shared" / "data" / "dwca"
GBIF = "http://rs.gbif.org/terms/1.0/"
pytestmark = pytest.mark.skipif(not DWCA.is_dir(), reason="needs ../shared/data/dwca")


def archive_folder(tmp: Path, core: str, core_rows: list[list[str]], extensions: list[tuple[str, str, str, list[list[str]]]] = (),
                   core_type: str = "Occurrence") -> Path:
    """A tab-separated archive: ``core`` is meta.xml's field list of the core (its id at index 0);
    ``extensions`` (row type, file, field list, rows), each with its coreid at index 0."""
    folder = tmp / "archive"
    folder.mkdir()
    parts = [f"""<core fieldsTerminatedBy="\\t" ignoreHeaderLines="1" rowType="{DWC}{core_type}">
      <files><location>core.txt</location></files><id index="0"/>{core}</core>"""]
    (folder / "core.txt").write_text("\n".join("\t".join(r) for r in [["id"], *core_rows]) + "\n")
    for row_type, file, fields, rows in extensions:
        parts.append(f"""<extension fieldsTerminatedBy="\\t" ignoreHeaderLines="1" rowType="{row_type}">
          <files><location>{file}</location></files><coreid index="0"/>{fields}</extension>""")
        (folder / file).write_text("\n".join("\t".join(r) for r in [["coreid"], *rows]) + "\n")
    (folder / "meta.xml").write_text(f'<archive xmlns="http://rs.tdwg.org/dwc/text/">{"".join(parts)}</archive>')
    return folder


def fields(*terms: str, start: int = 1) -> str:
    return "".join(f'<field index="{i}" term="{t if "://" in t else DWC + t}"/>' for i, t in enumerate(terms, start))


async def test_each_shared_archive_is_read_whole(db: Database) -> None:
    """The import report of every archive in ../shared/data/dwca: what is stored, flagged and reported."""
    reports = {}
    for name in ["gbif-ntnu-lepidurus-event-occurrence-mof.zip",
                 "gbif-validator-megachile-occurrence-identification-identifier.zip",
                 "obis-sevastopol-occurrence-mof.zip", "dwcaio-mobot-no-meta-tab-in-csv.zip",
                 "dwcaio-borza-latin1-no-meta.zip", "plazi-treatment-draposa-taxon-core.zip"]:
        await truncate_all(db)
        reports[name] = report = await import_archive(db, DWCA / name, group="g", actor="test")
        print(report.summary(), *(f"  defect: {d}" for d in report.defects), *(f"  flag: {f}" for f in report.flags),
              sep="\n")
    lepidurus, megachile, sevastopol, mobot, borza, plazi = reports.values()
    # An Event core: 30 sampling events, the one Occurrence extension row the specimen, its MoF row kept.
    assert (lepidurus.core, lepidurus.rows, lepidurus.events, lepidurus.imported) == ("Event", 30, 30, 1)
    assert (lepidurus.measurements, lepidurus.defects, lepidurus.flags) == (1, [], [])
    # Identification history: 19 current determinations and 18 earlier ones; the 2 orphans reported.
    assert (megachile.imported, megachile.determinations, megachile.other_catalog_numbers) == (19, 37, 16 + 4)
    assert [str(d) for d in megachile.defects] == [
        "meta.xml: names metadata file 'eml.xml', which is missing",
        "identification.txt row 20: its coreid '19' matches no core row: not stored",
        "identification.txt row 39: its coreid '19' matches no core row: not stored",
    ]
    assert (sevastopol.imported, sevastopol.measurements, sevastopol.flags, sevastopol.defects) == (331, 662, [], [])
    assert (mobot.imported, [str(d) for d in mobot.defects]) == (
        3, ["meta.xml: missing: read as a simple archive (header row names terms)"])
    # Latin-1 without meta.xml: every row read, the 420 short ones padded as GBIF's reader pads them.
    assert (borza.rows, borza.imported, [d.reason for d in borza.defects][1:]) == (435, 435, [
        "is not UTF-8: read as ISO-8859-1 (Latin-1), the encoding of archives without meta.xml that are not UTF-8"])
    assert (plazi.rows, plazi.imported) == (10, 47)
    assert [d.reason for d in plazi.defects if "not stored" in d.reason] == [
        f"Description extension ({GBIF}Description): 17 rows not stored (DINA has no place for them with a Taxon core)",
        f"Distribution extension ({GBIF}Distribution): 0 rows not stored (DINA has no place for them with a Taxon core)",
        "Document extension (http://eol.org/schema/media/Document): 9 rows not stored (DINA has no place for them "
        "with a Taxon core)",
        "Reference extension (http://eol.org/schema/reference/Reference): 9 rows not stored (DINA has no place for "
        "them with a Taxon core)",
    ]
    assert [(f.row, f.term, f.value, f.issue) for f in plazi.flags] == [
        (12, "dwc:minimumElevationInMeters", "6400 - 8000 ft", "ELEVATION_NON_NUMERIC"),
        (18, "dwc:minimumElevationInMeters", "2450 m", "ELEVATION_NON_NUMERIC")]


@pytest.mark.parametrize("name", ["gbif-validator-megachile-occurrence-identification-identifier.zip",
                                  "obis-sevastopol-occurrence-mof.zip", "dwcaio-borza-latin1-no-meta.zip",
                                  "gbif-occurrence-download-2013.zip"])
async def test_both_importers_store_the_same_from_each_shared_occurrence_archive(
        db: Database, database_url: str, name: str) -> None:
    defects, imported, counts, samples, flags = await import_both_ways(db, database_url, DWCA / name)
    assert imported == counts["collection.material_sample"] > 0
    if name.startswith("gbif-occurrence"):
        assert (155, "dwc:year/month/day", "year=1888 day=0", "RECORDED_DATE_INVALID") in flags
        assert len(flags) == 9


async def test_event_core_history_measurements_and_issues_read_through_graphql(
        db: Database, subgraphs: SubgraphServer) -> None:
    await truncate_all(db)
    await import_archive(db, DWCA / "gbif-ntnu-lepidurus-event-occurrence-mof.zip", group="g", actor="test")
    await import_archive(db, DWCA / "gbif-validator-megachile-occurrence-identification-identifier.zip",
                         group="g", actor="test")
    await import_archive(db, DWCA / "gbif-occurrence-download-2013.zip", group="g", actor="test")
    url = subgraphs.url("collection")
    body = graphql(url, """query ($name: String) { materialSamples(filter: {catalogNumber: {eq: $name}}) {
      edges { node { collectingEvent { startEventDate endEventDate measurements collectors { id } } } } } }""",
                   {"name": "http://purl.org/nhmuio/id/a6af54b0-c6ba-4114-bce3-0fa24bd68aed"})
    (node,) = [e["node"] for e in body["data"]["materialSamples"]["edges"]]
    event = node["collectingEvent"]
    assert (event["startEventDate"], event["endEventDate"]) == ("2013-07-25", None)  # from year/month/day
    assert event["measurements"] == [{"dwc:measurementType": "perimeter", "dwc:measurementValue": "1100",
                                      "dwc:measurementUnit": "meter",
                                      "dwc:measurementMethod": "waking perimeter with GPS track-log"}]
    assert len(event["collectors"]) == 3  # the occurrence's "a | b | c": the event row names none
    body = graphql(url, """{ materialSamples(filter: {catalogNumber: {eq: "RSKM_ENT_E-0100327"}}) { edges { node {
      otherCatalogNumbers organisms { determinations { scientificName isPrimary determinedOn } } } } } }""")
    (node,) = [e["node"] for e in body["data"]["materialSamples"]["edges"]]
    determinations = sorted((d["isPrimary"], d["scientificName"], d["determinedOn"])
                            for d in node["organisms"][0]["determinations"])
    assert [d[0] for d in determinations] == [False, True]
    assert "amica" in determinations[0][1] and determinations[0][2] == "2005-01-01"
    assert "chomskyi" in determinations[1][1] and determinations[1][2] == "2012-01-01"
    assert "CCDB-03768 A03" in node["otherCatalogNumbers"]
    body = graphql(url, """{ materialSamples(filter: {issue: "RECORDED_DATE_INVALID"}) { totalCount edges { node {
      issues sourceRecord } } } }""")
    samples = body["data"]["materialSamples"]
    assert samples["totalCount"] == 1
    assert "RECORDED_DATE_INVALID" in samples["edges"][0]["node"]["issues"]
    assert samples["edges"][0]["node"]["sourceRecord"][DWC + "year"] == "1888"  # the verbatim value kept


async def test_structure_defects_are_reported_once(db: Database, database_url: str, tmp_path: Path) -> None:
    # The coreid of the MoF file is past its rows' two fields; eventDate is mapped twice; DwC 1.4 terms.
    folder = archive_folder(
        tmp_path, fields("occurrenceID", "http://rs.tdwg.org/dwc/dwcore/ScientificName", "eventDate", "year",
                         "month", "day", "eventDate", "CatalogNumber"),
        [["o1", "o1", "Rana", "", "2001", "5", "3", "2001-05-03/2001-05-01"],
         ["o2", "o2", "Bufo", "2011-04-04/05-10"],  # a short row: trailing empty fields left out
         ["o3", "o3", "Hyla", "2007-11-13/15", "", "", "", "", "C-3"]],
        [(f"{DWC}MeasurementOrFact", "mof.txt", fields("measurementType"), [["x", "length"]]),
         (f"{DWC}ResourceRelationship", "rr.txt", fields("relationshipOfResource"), [["o1", "sibling of"]]),
         (f"{GBIF}Reference", "ref.txt", fields("http://purl.org/dc/terms/bibliographicCitation"),
          [["o2", "Smith 1900"]]),
         (f"{GBIF}Distribution", "dist.txt", fields("locality"), [["o1", "Alps"], ["o2", "Andes"]]),
         (f"{GBIF}Multimedia", "media.txt", fields("http://purl.org/dc/terms/identifier"),
          [["o9", "https://img.example.org/9.jpg"]])])
    meta = (folder / "meta.xml").read_text().replace('<coreid index="0"/>' + fields("measurementType"),
                                                     '<coreid index="5"/>' + fields("measurementType"))
    (folder / "meta.xml").write_text(meta)

    defects, imported, counts, samples, flags = await import_both_ways(db, database_url, folder)

    assert defects == [
        ("core.txt", None, "dwc:eventDate is mapped twice in meta.xml; the first mapping is read"),
        ("core.txt", None, "terms normalised to Darwin Core: http://rs.tdwg.org/dwc/dwcore/ScientificName → "
                           "dwc:scientificName, http://rs.tdwg.org/dwc/terms/CatalogNumber → dwc:catalogNumber"),
        ("mof.txt", None, "meta.xml puts the coreid at index 5, past the 2 fields of the file's rows: its rows "
                          "belong to no core row and are not read"),
        ("dist.txt", None, f"Distribution extension ({GBIF}Distribution): 2 rows not stored (DINA has "
                           "no place for them with an Occurrence core)"),
        ("media.txt", 2, "its coreid 'o9' matches no core row: not stored"),
    ]
    assert imported == 3
    by_id = {s[1]: s for s in samples}
    assert by_id["o1"][4:6] == ("2001-05-03", None)  # year/month/day; the second eventDate mapping not read
    assert by_id["o2"][4:6] == ("2011-04-04", "2011-05-10")
    assert by_id["o3"][4:6] == ("2007-11-13", "2007-11-15") and by_id["o3"][0] == "C-3"
    assert by_id["o1"][14] == "Rana" and flags == []
    assert by_id["o1"][22] == [{"dwc:relationshipOfResource": "sibling of"}]
    assert by_id["o2"][23] == [{"dc:bibliographicCitation": "Smith 1900"}]


async def test_a_single_root_folder_is_read(db: Database, tmp_path: Path) -> None:
    zipped = tmp_path / "nested.zip"
    source = DWCA / "nhm-occurrence-multimedia"
    with zipfile.ZipFile(zipped, "w") as out:
        for file in source.iterdir():
            out.write(file, f"export-2020/{file.name}")
    await truncate_all(db)
    report = await import_archive(db, zipped, group="g", actor="test")
    assert (report.imported, report.media) == (1, 4)
    assert [str(d) for d in report.defects] == [
        "export-2020/: the archive's files are inside this one folder: read from there"]


def test_a_zip_bomb_is_refused_before_it_fills_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("meta.xml", "<archive/>")
        with out.open("occurrence.txt", "w") as entry:
            for _ in range(64):
                entry.write(b"\0" * (1 << 20))  # 64 MB of zeros: about 64 KB compressed
    with pytest.raises(ArchiveBomb, match="occurrence.txt expands more than 200 times") as refused:
        open_archive(bomb)
    assert refused.value.code == "ARCHIVE_TOO_LARGE"
    monkeypatch.setattr(archive_module, "get_settings", lambda: Settings(max_archive_bytes=10_000))
    with pytest.raises(ArchiveBomb, match="more than 10,000 bytes uncompressed"):
        open_archive(DWCA / "gbif-occurrence-download-2013.zip")


async def test_a_zip_bomb_writes_nothing(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive_module, "get_settings", lambda: Settings(max_archive_bytes=100_000))
    before = await table_counts(db)
    with pytest.raises(ArchiveBomb):
        await import_archive(db, DWCA / "obis-sevastopol-occurrence-mof.zip", group="g", actor="test")
    assert await table_counts(db) == before
