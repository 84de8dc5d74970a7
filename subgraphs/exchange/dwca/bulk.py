"""Bulk Darwin Core Archive import: PostgreSQL COPY in batches, for archives of millions of rows.

The same mapping as the row-by-row importer (importer.py) for the core occurrence terms, with the
checks done in Python before anything is sent: a row with a bad date or coordinate is reported and
left out, the rest go in with COPY, one batch per transaction step, all in one transaction (a broken
archive still writes nothing). Samples get one `create` audit row each. Media extensions and taxon
cores are left to the row-by-row importer.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import asyncpg
import orjson

from subgraphs.collection.service import partial_date_range
from subgraphs.core.db import async_url
from subgraphs.core.errors import ClientError
from subgraphs.core.ids import uuid7

from .archive import DWC, ArchiveError, Defect, open_archive
from .importer import DwcaReport, _names, event_dates

BATCH = 20_000
ACTOR_COLUMNS = ["id", "group", "created_by"]
TABLES = {
    "person": ("agents", [*ACTOR_COLUMNS, "display_name"]),
    "institution": ("collection", [*ACTOR_COLUMNS, "name", "code"]),
    "collection": ("collection", [*ACTOR_COLUMNS, "name", "code", "institution_id"]),
    "collecting_event": ("collection", [
        *ACTOR_COLUMNS, "start_event_date", "end_event_date", "earliest_date", "latest_date", "verbatim_event_date",
        "verbatim_locality", "country", "country_code", "state_province", "decimal_latitude", "decimal_longitude",
        "geodetic_datum", "habitat", "collector_ids"]),
    "material_sample": ("collection", [
        *ACTOR_COLUMNS, "material_sample_name", "occurrence_id", "collection_id", "collecting_event_id",
        "other_catalog_numbers", "source_record"]),
    "organism": ("collection", [*ACTOR_COLUMNS, "material_sample_id"]),
    "determination": ("collection", [
        *ACTOR_COLUMNS, "organism_id", "scientific_name", "verbatim_scientific_name", "is_primary", "type_status",
        "determiner_ids"]),
    "audit_log": ("collection", ["record_type", "record_id", "version", "operation", "actor", "snapshot"]),
}


def term(name: str) -> str:
    return DWC + name


class BulkImport:
    def __init__(self, conn: asyncpg.Connection, *, group: str, actor: str) -> None:
        self.conn, self.group, self.actor = conn, group, actor
        self.people: dict[str, uuid.UUID] = {}
        self.collections: dict[tuple[str, str], uuid.UUID | None] = {}
        self.batch: dict[str, list[tuple]] = {name: [] for name in TABLES}

    def row(self, table: str, *values: Any) -> None:
        self.batch[table].append(values)

    async def person(self, name: str) -> uuid.UUID:
        if name not in self.people:
            found = await self.conn.fetchval("SELECT id FROM agents.person WHERE display_name = $1 ORDER BY id LIMIT 1", name)
            self.people[name] = found or uuid7()
            if found is None:
                self.row("person", self.people[name], self.group, self.actor, name)
        return self.people[name]

    async def collection(self, institution: str | None, code: str | None) -> uuid.UUID | None:
        key = (institution or "", code or "")
        if key not in self.collections:
            if not any(key):
                self.collections[key] = None
                return None
            institution_id = None
            if institution:
                institution_id = await self.conn.fetchval("SELECT id FROM collection.institution WHERE code = $1",
                                                          institution)
                if institution_id is None:
                    institution_id = uuid7()
                    await self.conn.execute(
                        'INSERT INTO collection.institution (id, "group", created_by, name, code) VALUES ($1,$2,$3,$4,$4)',
                        institution_id, self.group, self.actor, institution)
            code = code or institution
            found = await self.conn.fetchval(
                "SELECT id FROM collection.collection WHERE code = $1 AND institution_id IS NOT DISTINCT FROM $2",
                code, institution_id)
            if found is None:
                found = uuid7()
                await self.conn.execute(
                    'INSERT INTO collection.collection (id, "group", created_by, name, code, institution_id) '
                    "VALUES ($1,$2,$3,$4,$4,$5)", found, self.group, self.actor, code, institution_id)
            self.collections[key] = found
        return self.collections[key]

    async def flush(self) -> None:
        for table, rows in self.batch.items():
            if rows:
                schema, columns = TABLES[table]
                await self.conn.copy_records_to_table(table, schema_name=schema, columns=columns, records=rows)
                rows.clear()

    async def occurrence(self, record: dict[str, str]) -> None:
        start, end = event_dates(record.get(term("eventDate")))
        earliest = partial_date_range(start, "eventDate")[0] if start else None
        latest = partial_date_range(end or start, "eventDate")[1] if start else None
        latitude, longitude = (float(record[term(k)]) if record.get(term(k)) else None
                               for k in ("decimalLatitude", "decimalLongitude"))
        if latitude is not None and not -90 <= latitude <= 90 or longitude is not None and not -180 <= longitude <= 180:
            raise ClientError("INVALID_COORDINATES", f"coordinates {latitude}, {longitude} are out of range")
        collectors = [await self.person(n) for n in _names(record.get(term("recordedBy")))]
        collection_id = await self.collection(record.get(term("institutionCode")), record.get(term("collectionCode")))
        event_id, sample_id = uuid7(), uuid7()
        self.row("collecting_event", event_id, self.group, self.actor, start, end, earliest, latest,
                 record.get(term("verbatimEventDate")) or record.get(term("eventDate")), record.get(term("locality")),
                 record.get(term("country")), record.get(term("countryCode")), record.get(term("stateProvince")),
                 latitude, longitude, record.get(term("geodeticDatum")), record.get(term("habitat")), collectors)
        name = record.get(term("catalogNumber")) or record.get(term("occurrenceID")) or "unnamed occurrence"
        self.row("material_sample", sample_id, self.group, self.actor, name, record.get(term("occurrenceID")),
                 collection_id, event_id, _names(record.get(term("otherCatalogNumbers"))), orjson.dumps(record).decode())
        self.row("audit_log", "MaterialSample", sample_id, 1, "create", self.actor,
                 orjson.dumps({"material_sample_name": name, "occurrence_id": record.get(term("occurrenceID")),
                             "import": "dwca bulk"}).decode())
        if scientific_name := record.get(term("scientificName")):
            organism_id = uuid7()
            determiners = [await self.person(n) for n in _names(record.get(term("identifiedBy")))]
            self.row("organism", organism_id, self.group, self.actor, sample_id)
            self.row("determination", uuid7(), self.group, self.actor, organism_id, scientific_name, scientific_name,
                     True, record.get(term("typeStatus")), determiners)


async def bulk_import_archive(database_url: str, path: Path, *, group: str, actor: str,
                              progress: Callable[[int], None] | None = None) -> DwcaReport:
    """COPY an occurrence archive in; rows already present (by occurrenceID) are skipped."""
    archive = open_archive(path)
    if archive.core_kind != "Occurrence":
        raise ArchiveError(f"bulk import reads occurrence cores; {archive.name} has a {archive.core_kind} core")
    report = DwcaReport(archive.name, archive.core_kind, defects=archive.defects)
    conn = await asyncpg.connect(async_url(database_url).replace("postgresql+asyncpg", "postgresql", 1))
    try:
        async with conn.transaction():
            existing = {r[0] for r in await conn.fetch(
                "SELECT occurrence_id FROM collection.material_sample WHERE occurrence_id IS NOT NULL")}
            job = BulkImport(conn, group=group, actor=actor)
            seen: set[str] = set()
            for number, row_id, record in archive.rows(archive.core):
                report.rows += 1
                occurrence_id = record.get(term("occurrenceID")) or row_id
                if occurrence_id in existing:
                    report.unchanged += 1
                    continue
                if occurrence_id and occurrence_id in seen:
                    report.defects.append(Defect(archive.core.location, number, f"duplicate id {occurrence_id}"))
                    continue
                seen.add(occurrence_id or "")
                try:
                    await job.occurrence(record)
                except (ClientError, ValueError) as error:
                    report.defects.append(Defect(archive.core.location, number, getattr(error, "message", str(error))))
                    continue
                report.imported += 1
                if report.imported % BATCH == 0:
                    await job.flush()
                    if progress:
                        progress(report.rows)
            await job.flush()
    finally:
        await conn.close()
    return report
