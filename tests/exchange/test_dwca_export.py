"""Exports write the record as it is now, with only values that exist: the current determination and
event, the true basisOfRecord, the publisher's occurrenceID, Audubon Core media, associatedSequences;
and an import of the export gives back the same records."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from dwca.read import DwCAReader
from sqlalchemy import select, text

from subgraphs.collection import models as cm
from subgraphs.collection.service import COLLECTING_EVENT, create_record
from subgraphs.core.data.db import Database
from subgraphs.core.writes.crud import update
from subgraphs.exchange.dwca.archive import DWC
from subgraphs.exchange.dwca.exporter import AUDUBON_MULTIMEDIA, export_archive
from subgraphs.exchange.dwca.importer import import_archive
from subgraphs.exchange.dwca.mapping import AC, DCE
from subgraphs.exchange.sequences import import_files

from ..conftest import truncate_all
from ..molecular.test_genbank_import import BARCODE, SEQUENCES
from .test_dwca import CHECKER, DWCA, _zip, read_back, sample_contents

NHM = DWCA / "nhm-occurrence-multimedia"
pytestmark = pytest.mark.skipif(not DWCA.is_dir(), reason="needs ../shared/data/dwca")


def exported_rows(path: Path) -> list[tuple[dict[str, str], list[dict[str, str]]]]:
    with DwCAReader(str(path)) as archive:
        return [({k: v for k, v in row.data.items() if v},
                 [{k: v for k, v in e.data.items() if v} for e in row.extensions]) for row in archive]


async def test_an_edited_record_is_exported_as_it_is_now(db: Database, tmp_path: Path) -> None:
    await truncate_all(db)
    await import_archive(db, NHM, group="g", actor="test")
    async with db.unit_of_work() as session:
        organism = await session.scalar(select(cm.Organism))
        await create_record(session, "determination", actor="curator", group="g", organism_id=organism.id,
                            scientific_name="Pteranodon", verbatim_scientific_name="Pteranodon", is_primary=True)
        event = await session.scalar(select(cm.CollectingEvent))
        await update(session, COLLECTING_EVENT, event.id, event.version, {"country": "Wales"}, "curator")
    out = tmp_path / "export.zip"
    await export_archive(db, out)
    ((core, media),) = exported_rows(out)
    (source,) = read_back(_zip(NHM, tmp_path / "source.zip")).values()
    assert (core[DWC + "scientificName"], core[DWC + "country"]) == ("Pteranodon", "Wales")
    assert source[DWC + "scientificName"] == "Ornithocheirus"
    assert core[DWC + "occurrenceID"] == source[DWC + "occurrenceID"]  # the publisher's, not a urn:uuid
    assert core[DWC + "basisOfRecord"] == source[DWC + "basisOfRecord"]
    unchanged = set(source) - {DWC + "scientificName", DWC + "country"}
    assert {t: core.get(t) for t in unchanged if t.startswith(DWC)} == {
        t: v for t, v in source.items() if t in unchanged and t.startswith(DWC)}

    with zipfile.ZipFile(out) as archive:
        assert f'rowType="{AUDUBON_MULTIMEDIA}"' in archive.read("meta.xml").decode()
    assert len(media) == 4 and all(AC + "accessURI" in row and row[DCE + "type"] == "StillImage" for row in media)
    assert not any(DCE + "format" in row for row in media)  # the source gave none: none is invented


async def test_samples_from_genbank_export_with_their_codes_basis_and_sequences(db: Database, tmp_path: Path) -> None:
    await truncate_all(db)
    await import_files(db, "genbank", [SEQUENCES / "nrm-triturus-cristatus-4rec-bio_material-identified_by.gb"],
                       group="g", actor="test")
    out = tmp_path / "export.zip"
    await export_archive(db, out)
    rows = {core[DWC + "catalogNumber"]: core for core, _ in exported_rows(out)}
    specimen, tissue = rows["6188"], rows["17"]
    assert (specimen[DWC + "institutionCode"], specimen[DWC + "collectionCode"]) == ("NRM", "NRM")
    assert specimen[DWC + "basisOfRecord"] == "PreservedSpecimen" and tissue[DWC + "basisOfRecord"] == "MaterialSample"
    assert specimen[DWC + "scientificName"] == "Triturus cristatus"
    assert specimen[DWC + "recordedBy"] == "Bolander, S" and specimen[DWC + "identifiedBy"] == "Ahlander, E"
    assert tissue[DWC + "associatedSequences"] == "GenBank: KJ128672.1"
    assert DWC + "associatedSequences" not in specimen


ROUND_TRIP = ["gbif-occurrence-download-2013.zip", "nhm-occurrence-multimedia",
              "plazi-treatment-draposa-taxon-core.zip"]


async def stored(db: Database) -> tuple[list[tuple], list[tuple], dict[str, dict[str, str]]]:
    """Every sample's contents (its source row aside), every media record's fields, and each sample's
    source terms by name."""
    async with db.unit_of_work() as session:
        media = [tuple(r) for r in await session.execute(text(
            "SELECT access_uri, dc_type, dc_format, caption, license, rights_holder FROM media.media ORDER BY 1, 4"))]
        sources = {name: record for name, record in await session.execute(text(
            "SELECT material_sample_name, source_record FROM collection.material_sample"))}
    return [row[:3] + row[4:] for row in await sample_contents(db)], media, sources


@pytest.mark.parametrize("name", ROUND_TRIP)
async def test_import_export_import_loses_no_term_and_changes_no_value(db: Database, tmp_path: Path,
                                                                       name: str) -> None:
    await truncate_all(db)
    await import_archive(db, DWCA / name, group="g", actor="test")
    first = await stored(db)
    out = tmp_path / "export.zip"
    await export_archive(db, out)
    await truncate_all(db)
    report = await import_archive(db, out, group="g", actor="test")
    assert report.defects == [] and report.imported == len(first[0])
    second = await stored(db)
    assert second[:2] == first[:2]
    for sample, terms in first[2].items():  # each exportable source term comes back with its value
        assert {t: second[2][sample].get(t) for t in terms if t.startswith(DWC) and t != DWC + "id"} == {
            t: v for t, v in terms.items() if t.startswith(DWC) and t != DWC + "id"}


@pytest.mark.skipif(not CHECKER.is_file(), reason="needs ../shared/peer/dwca-check.py")
async def test_a_genbank_and_dwca_export_passes_the_third_party_validator(db: Database, tmp_path: Path) -> None:
    import subprocess
    import sys

    await truncate_all(db)
    await import_archive(db, NHM, group="g", actor="test")
    await import_files(db, "genbank", [BARCODE], group="g", actor="test")
    out = tmp_path / "export.zip"
    await export_archive(db, out)
    result = subprocess.run([sys.executable, str(CHECKER), str(out)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
