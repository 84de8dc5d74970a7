"""Which sample a Darwin Core row is: occurrenceID within the import's group, else its
institutionCode/collectionCode/catalogNumber as a voucher (collection.vouchers), else a digest of its
values; the bulk and the row-by-row importer give the same answers."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from pathlib import Path

from sqlalchemy import text

from subgraphs.core.data.db import Database
from subgraphs.exchange.dwca.bulk import bulk_import_archive
from subgraphs.exchange.dwca.importer import DwcaReport, import_archive

from ..conftest import truncate_all
from .test_dwca import occurrence_archive

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
Load = Callable[[Path, str], Awaitable[DwcaReport]]


def loaders(db: Database, database_url: str) -> dict[str, Load]:
    return {"bulk": lambda path, group: bulk_import_archive(database_url, path, group=group, actor="test"),
            "row by row": lambda path, group: import_archive(db, path, group=group, actor="test")}


async def samples(db: Database) -> list[tuple]:
    async with db.unit_of_work() as session:
        rows = await session.execute(text("""
            SELECT s."group", i.code, c.code, s.material_sample_name, s.occurrence_id
            FROM collection.material_sample s LEFT JOIN collection.collection c ON c.id = s.collection_id
            LEFT JOIN collection.institution i ON i.id = c.institution_id
            ORDER BY 1, 2 NULLS FIRST, 3 NULLS FIRST, 4, 5"""))
        return [tuple(row) for row in rows]


def outcome(report: DwcaReport) -> tuple:
    """Counts and defects (sample ids in a reason as <id>: the two importers make different ones)."""
    return report.imported, report.unchanged, [(d.row, UUID.sub("<id>", d.reason)) for d in report.defects]


async def imported_twice(db: Database, database_url: str, folder: Path) -> tuple:
    """The outcomes of importing ``folder`` twice into an empty database, and the samples stored: the
    same for both importers (asserted), and returned once."""
    results = []
    for load in loaders(db, database_url).values():
        await truncate_all(db)
        first, again = await load(folder, "herpetology"), await load(folder, "herpetology")
        results.append((outcome(first), outcome(again), await samples(db)))
    assert results[0] == results[1]
    return results[0]


async def test_catalogue_numbers_of_other_collections_and_institutions_are_other_samples(
        db: Database, database_url: str, tmp_path: Path) -> None:
    folder = occurrence_archive(tmp_path, ["recordNumber", "institutionCode", "collectionCode", "catalogNumber"], [
        ["1", "INST", "Herp", "1234"], ["2", "INST", "Mamm", "1234"], ["3", "INST", "Herp", "1"],
        ["4", "INST", "Mamm", "1"], ["5", "OTHER", "", "1"], ["6", "", "", "1"]])
    first, again, stored = await imported_twice(db, database_url, folder)
    assert (first, again) == ((6, 0, []), (0, 6, []))
    assert stored == [("herpetology", None, None, "1", None), ("herpetology", "INST", "Herp", "1", None),
                      ("herpetology", "INST", "Herp", "1234", None), ("herpetology", "INST", "Mamm", "1", None),
                      ("herpetology", "INST", "Mamm", "1234", None), ("herpetology", "OTHER", "OTHER", "1", None)]


async def test_an_institution_only_row_matching_two_collections_is_refused_as_ambiguous(
        db: Database, database_url: str, tmp_path: Path) -> None:
    held = occurrence_archive(tmp_path, ["recordNumber", "institutionCode", "collectionCode", "catalogNumber"], [
        ["1", "INST", "Herp", "1234"], ["2", "INST", "Mamm", "1234"]])
    (tmp_path / "b").mkdir()
    vague = occurrence_archive(tmp_path / "b", ["recordNumber", "institutionCode", "catalogNumber"], [
        ["1", "INST", "1234"], ["2", "INST", "99"]])
    results = []
    for load in loaders(db, database_url).values():
        await truncate_all(db)
        await load(held, "herpetology")
        results.append(outcome(await load(vague, "herpetology")))
    assert results[0] == results[1]
    imported, unchanged, ((row, reason),) = results[0]
    assert (imported, unchanged, row) == (1, 0, 2)
    assert reason == "voucher INST:1234 matches 2 samples of group herpetology: 1234 (<id>), 1234 (<id>); none was chosen"


async def test_rows_without_identifiers_are_distinct_and_found_again(
        db: Database, database_url: str, tmp_path: Path) -> None:
    folder = occurrence_archive(tmp_path, ["recordNumber", "scientificName", "locality"], [
        ["1", "Bufo bufo", "Lund"], ["2", "Bufo bufo", "Malmö"], ["3", "Rana arvalis", "Lund"]])
    first, again, stored = await imported_twice(db, database_url, folder)
    assert (first, again) == ((3, 0, []), (0, 3, []))
    names = [row[3] for row in stored]
    assert len(set(names)) == 3 and all(name.startswith("occurrence-") for name in names)


async def test_each_group_imports_its_own_copy_and_links_nothing_of_another(
        db: Database, database_url: str, tmp_path: Path) -> None:
    folder = occurrence_archive(tmp_path, ["occurrenceID", "institutionCode", "collectionCode", "catalogNumber",
                                           "recordedBy"], [
        ["urn:a", "INST", "Herp", "1234", "Bo Berg"], ["urn:b", "INST", "Herp", "1235", "Bo Berg"],
        ["urn:c", "INST", "Herp", "1236", "Bo Berg"]])
    results = []
    for load in loaders(db, database_url).values():
        await truncate_all(db)
        herpetology, mammalogy = await load(folder, "herpetology"), await load(folder, "mammalogy")
        again = await load(folder, "mammalogy")
        async with db.unit_of_work() as session:
            owners = (await session.execute(text("""SELECT
                (SELECT array_agg(DISTINCT "group" ORDER BY "group") FROM agents.person),
                (SELECT array_agg(DISTINCT "group" ORDER BY "group") FROM collection.institution),
                (SELECT count(*) FROM collection.material_sample s JOIN collection.collection c ON c.id = s.collection_id
                 WHERE s."group" <> c."group")"""))).one()
        results.append((outcome(herpetology), outcome(mammalogy), outcome(again), tuple(owners)))
    assert results[0] == results[1]
    assert results[0] == ((3, 0, []), (3, 0, []), (0, 3, []), (["herpetology", "mammalogy"],
                                                                ["herpetology", "mammalogy"], 0))
