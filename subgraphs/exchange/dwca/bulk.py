"""Bulk Darwin Core Archive import: PostgreSQL COPY in batches, for archives of millions of rows.

The same mapping as the row-by-row importer (importer.py), with the same checks and flags
(mapping.checked_occurrence) applied in Python before anything is sent and the same identity rules (a
row the group holds by occurrenceID, else by voucher, is left alone): a row they refuse is reported with
the same reason and left out, the rest go in with COPY, all in one transaction (a broken archive still
writes nothing).
Samples and media get one `create` audit row each; multimedia / Audubon extension rows become Media
with their remote URLs, attached to their sample. Taxon cores are left to the row-by-row importer.

Where the time goes, and what is done about it:
- index and foreign-key upkeep row by row costs more than the COPY itself: when the archive is at
  least as large as the sample table, secondary indexes and foreign keys of the loaded tables are
  dropped inside the transaction and rebuilt (and re-validated) in bulk at the end — the tables are
  locked for the load's duration, and a failure rolls the whole thing back, indexes included;
- Python and PostgreSQL work at once: a batch is copied by a background task while the next one is
  mapped (a lookup of an existing person or collection, needed only once per name, waits for it);
- repeated values (dates, name lists) are parsed once, and ids come from a block of UUIDv7s.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Iterator
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Any

import asyncpg
import orjson
from asyncpg.pgproto.pgproto import UUID as PgUUID
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect

from subgraphs.collection.vocabularies import SAMPLE_VOCABULARIES
from subgraphs.collection.vouchers import SampleKey, VoucherIndex, sample_key, sample_keys_query
from subgraphs.core.base.errors import ClientError
from subgraphs.core.base.ids import uuid7_block
from subgraphs.core.data.db import async_url
from subgraphs.core.runtime.gc_tuning import tune_garbage_collector
from subgraphs.core.writes.mutations import InvalidInput

from .archive import DWC, ArchiveError, Defect, open_archive
from .extensions import ExtensionIndex, ExtensionRows
from .importer import DwcaReport, extension_index
from .mapping import (
    MappedOccurrence,
    _names,
    checked_occurrence,
    defect_reason,
    occurrence_voucher,
    sample_name,
)

BATCH = 20_000
YIELD_EVERY = 500  # rows mapped between chances for the background COPY to send data
ACTOR_COLUMNS = ["id", "group", "created_by"]
EVENT_COLUMNS = ["start_event_date", "end_event_date", "earliest_date", "latest_date", "verbatim_event_date",
                 "verbatim_locality", "country", "country_code", "state_province", "decimal_latitude",
                 "decimal_longitude", "coordinate_uncertainty_in_meters", "geodetic_datum", "habitat",
                 "minimum_elevation_in_meters", "maximum_elevation_in_meters", "minimum_depth_in_meters",
                 "maximum_depth_in_meters"]
event_row = itemgetter(*EVENT_COLUMNS)  # checked event values in COPY column order
# In dependency order: a batch is copied table by table in this order.
AUDIT_COLUMNS = ["record_type", "record_id", "version", "operation", "actor", "snapshot"]
TABLES = {
    "person": ("agents", "person", [*ACTOR_COLUMNS, "display_name"]),
    "institution": ("collection", "institution", [*ACTOR_COLUMNS, "name", "code"]),
    "collection": ("collection", "collection", [*ACTOR_COLUMNS, "name", "code", "institution_id"]),
    "media": ("media", "media", [
        *ACTOR_COLUMNS, "access_uri", "dc_type", "dc_format", "caption", "license", "rights_holder", "source_record"]),
    "media_audit": ("media", "audit_log", AUDIT_COLUMNS),
    "collecting_event": ("collection", "collecting_event", [*ACTOR_COLUMNS, *EVENT_COLUMNS, "collector_ids"]),
    "material_sample": ("collection", "material_sample", [
        *ACTOR_COLUMNS, "material_sample_name", "occurrence_id", "collection_id", "collecting_event_id",
        "other_catalog_numbers", "attachment_ids", "source_record", "issues", "measurements", "associations",
        "citations", *SAMPLE_VOCABULARIES]),
    "organism": ("collection", "organism", [*ACTOR_COLUMNS, "material_sample_id", "sex", "life_stage"]),
    "determination": ("collection", "determination", [
        *ACTOR_COLUMNS, "organism_id", "scientific_name", "verbatim_scientific_name", "is_primary", "type_status",
        "determiner_ids", "determined_on"]),
    "sample_audit": ("collection", "audit_log", AUDIT_COLUMNS),
}
OCCURRENCE_ID, RECORDED_BY, INSTITUTION_CODE, COLLECTION_CODE, SEX, LIFE_STAGE = (
    DWC + name for name in ("occurrenceID", "recordedBy", "institutionCode", "collectionCode", "sex", "lifeStage"))


@lru_cache(maxsize=100_000)
def _name_list(value: str | None) -> list[str]:
    return _names(value)


class BulkImport:
    def __init__(self, conn: asyncpg.Connection, *, group: str, actor: str) -> None:
        self.conn, self.group, self.actor = conn, group, actor
        self.people: dict[str, uuid.UUID] = {}
        self.collections: dict[tuple[str, str], uuid.UUID | None] = {}
        self.institutions: dict[str, uuid.UUID] = {}
        self.batch: dict[str, list[tuple]] = {name: [] for name in TABLES}
        self._ids: Iterator[int] = iter(())
        self._copying: asyncio.Task[None] | None = None

    def new_id(self) -> uuid.UUID:
        """The next id of the block, as asyncpg's own UUID (a ``uuid.UUID`` it makes and encodes
        several times faster: four ids a row)."""
        value = next(self._ids, None)
        if value is None:
            self._ids = iter(uuid7_block(100_000))
            value = next(self._ids)
        return PgUUID(value.to_bytes(16, "big"))

    def row(self, table: str, *values: Any) -> None:
        self.batch[table].append(values)

    async def lookup(self, query: str, *args: Any) -> Any:
        """One value from the database, once the background COPY has released the connection."""
        await self.copied()
        return await self.conn.fetchval(query, *args)

    async def person(self, name: str) -> uuid.UUID:
        if name not in self.people:
            found = await self.lookup(
                'SELECT id FROM agents.person WHERE "group" = $1 AND display_name = $2 ORDER BY id LIMIT 1',
                self.group, name)
            self.people[name] = found or self.new_id()
            if found is None:
                self.row("person", self.people[name], self.group, self.actor, name)
        return self.people[name]

    async def institution(self, code: str) -> uuid.UUID:
        if code not in self.institutions:
            found = await self.lookup(
                'SELECT id FROM collection.institution WHERE "group" = $1 AND code = $2', self.group, code)
            self.institutions[code] = found or self.new_id()
            if found is None:
                self.row("institution", self.institutions[code], self.group, self.actor, code, code)
        return self.institutions[code]

    async def collection(self, institution: str | None, code: str | None) -> uuid.UUID | None:
        key = (institution or "", code or "")
        if key not in self.collections:
            if not any(key):
                self.collections[key] = None
                return None
            institution_id = await self.institution(institution) if institution else None
            code = code or institution
            found = await self.lookup(
                'SELECT id FROM collection.collection WHERE "group" = $1 AND code = $2 '
                "AND institution_id IS NOT DISTINCT FROM $3", self.group, code, institution_id)
            if found is None:
                found = self.new_id()
                self.row("collection", found, self.group, self.actor, code, code, institution_id)
            self.collections[key] = found
        return self.collections[key]

    async def flush(self) -> None:
        """Start copying the rows mapped so far (in the background) and begin a new batch."""
        await self.copied()
        batch, self.batch = self.batch, {name: [] for name in TABLES}
        self._copying = asyncio.create_task(self._copy(batch))

    async def copied(self) -> None:
        """Wait for the background COPY, re-raising its error."""
        if self._copying is not None:
            copying, self._copying = self._copying, None
            await copying

    async def _copy(self, batch: dict[str, list[tuple]]) -> None:
        for key, rows in batch.items():
            if rows:
                schema, table, columns = TABLES[key]
                await self.conn.copy_records_to_table(table, schema_name=schema, columns=columns, records=rows)

    def media(self, values: dict[str, Any]) -> uuid.UUID:
        """A Media record for a multimedia/Audubon extension row's values; the file stays at its URL."""
        media_id = self.new_id()
        self.row("media", media_id, self.group, self.actor, values["access_uri"], values["dc_type"],
                 values["dc_format"], values["caption"], values["license"], values["rights_holder"],
                 orjson.dumps(values["source_record"]).decode())
        self.row("media_audit", "Media", media_id, 1, "create", self.actor,
                 orjson.dumps({"access_uri": values["access_uri"], "import": "dwca bulk"}).decode())
        return media_id

    async def occurrence(self, record: dict[str, str], extras: ExtensionRows, file: str, number: int,
                         vouchers: VoucherIndex) -> MappedOccurrence:
        """Queue one occurrence's rows (a refused row queues nothing, not even its collectors); its sample
        is added to ``vouchers`` if it has no occurrenceID: only such samples are matched by voucher, and
        rows with one cost no memory."""
        get = record.get
        mapped = checked_occurrence(record, extras, file, number)
        collectors = [await self.person(n) for n in _name_list(get(RECORDED_BY))]
        collection_id = await self.collection(get(INSTITUTION_CODE), get(COLLECTION_CODE))
        event_id, sample_id = self.new_id(), self.new_id()
        self.row("collecting_event", event_id, self.group, self.actor, *event_row(mapped.event), collectors)
        name = sample_name(record)
        if not get(OCCURRENCE_ID):
            institution, code = get(INSTITUTION_CODE), get(COLLECTION_CODE)
            vouchers.add(SampleKey(sample_id, name, (name, *mapped.other_catalog_numbers), institution,
                                   (code or institution) if collection_id else None))
        media_ids = [self.media(values) for values in mapped.media]
        self.row("material_sample", sample_id, self.group, self.actor, name, get(OCCURRENCE_ID), collection_id,
                 event_id, mapped.other_catalog_numbers, media_ids, orjson.dumps(record).decode(), mapped.issues,
                 *(orjson.dumps(values).decode() for values in (
                     mapped.measurements, mapped.associations, mapped.citations)),
                 *(mapped.vocabulary_values[column] for column in SAMPLE_VOCABULARIES))
        self.row("sample_audit", "MaterialSample", sample_id, 1, "create", self.actor,
                 orjson.dumps({"material_sample_name": name, "occurrence_id": get(OCCURRENCE_ID),
                               "import": "dwca bulk"}).decode())
        if mapped.determinations:
            organism_id = self.new_id()
            self.row("organism", organism_id, self.group, self.actor, sample_id, get(SEX), get(LIFE_STAGE))
            for values in mapped.determinations:
                determiners = [await self.person(n) for n in values["determiners"]]
                self.row("determination", self.new_id(), self.group, self.actor, organism_id,
                         values["scientific_name"], values["verbatim_scientific_name"], values["is_primary"],
                         values["type_status"], determiners, values["determined_on"])
        return mapped


async def defer_index_upkeep(conn: asyncpg.Connection) -> list[str]:
    """Drop the loaded tables' secondary indexes and foreign keys (in the open transaction); returns
    the statements that rebuild them. Unique constraints stay, so duplicates still fail the load."""
    tables = sorted({f"{schema}.{table}" for schema, table, _ in TABLES.values()})
    rows = await conn.fetch("""
        SELECT pg_get_indexdef(i.indexrelid) AS rebuild, format('DROP INDEX %s', i.indexrelid::regclass) AS drop
        FROM pg_index i
        WHERE i.indrelid = ANY($1::regclass[]) AND NOT i.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u'))
        UNION ALL
        SELECT format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname,
                      pg_get_constraintdef(c.oid)),
               format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname)
        FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid = ANY($1::regclass[])""", tables)
    for row in rows:
        await conn.execute(row["drop"])
    # Indexes first: re-validating a foreign key is one join, helped by them.
    return sorted((row["rebuild"] for row in rows), key=lambda ddl: ddl.startswith("ALTER"))


async def bulk_import_archive(database_url: str, path: Path, *, group: str, actor: str,
                              progress: Callable[[int, int], None] | None = None) -> DwcaReport:
    """COPY an occurrence archive in; rows the group holds already (_map_rows) are skipped.
    ``progress(rows read, rows in the core file)`` is called after each batch."""
    tune_garbage_collector()
    archive = open_archive(path)
    if archive.core_kind != "Occurrence":
        raise ArchiveError(f"bulk import reads occurrence cores; {archive.name} has a {archive.core_kind} core "
                           "(import it without --bulk)")
    report = DwcaReport(archive.name, archive.core_kind, defects=archive.defects)
    dsn = async_url(database_url).replace("postgresql+asyncpg", "postgresql", 1)
    conn = await asyncpg.connect(dsn)
    try:
        async with conn.transaction():
            await conn.execute("SET LOCAL maintenance_work_mem = '256MB'")
            existing = {r[0] for r in await conn.fetch(
                'SELECT occurrence_id FROM collection.material_sample WHERE "group" = $1 AND occurrence_id IS NOT NULL',
                group)}
            keys = sample_keys_query(group, without_occurrence_id=True).compile(dialect=asyncpg_dialect())
            vouchers = VoucherIndex(map(sample_key, await conn.fetch(
                str(keys), *(keys.params[name] for name in keys.positiontup or ()))))
            incoming = archive.files[archive.core.location].count(b"\n")
            samples = await conn.fetchval("SELECT count(*) FROM collection.material_sample")
            rebuild = await defer_index_upkeep(conn) if incoming >= samples else []
            job = BulkImport(conn, group=group, actor=actor)
            index = extension_index(archive, report)
            await _map_rows(archive, job, report, existing, vouchers, index,
                            progress and (lambda rows: progress(rows, incoming - archive.core.header_lines)))
            report.defects += index.unstored()
            if progress:
                progress(report.rows, report.rows)
            await job.flush()
            await job.copied()
            for statement in rebuild:
                await conn.execute(statement)
    finally:
        await conn.close()
    return report


async def _map_rows(archive: Any, job: BulkImport, report: DwcaReport, existing: set[str], vouchers: VoucherIndex,
                    index: ExtensionIndex, progress: Callable[[int], None] | None) -> None:
    """Queue each core row not yet held by the group: by occurrenceID (``existing``), else by voucher
    (``vouchers``: the group's samples without an occurrenceID, and each such one queued)."""
    seen: set[str] = set()
    location = archive.core.location
    for number, row_id, record in archive.rows(archive.core):
        report.rows += 1
        if report.rows % YIELD_EVERY == 0:
            await asyncio.sleep(0)
        extras = index.rows_of(row_id)  # taken even when the row is not stored: its rows are no orphans
        if row_id and row_id in seen:
            report.defects.append(Defect(location, number, f"duplicate id {row_id}"))
            continue
        seen.add(row_id or "")
        try:
            occurrence_id = record.get(OCCURRENCE_ID)
            if occurrence_id in existing if occurrence_id else vouchers.match(occurrence_voucher(record), job.group):
                report.unchanged += 1
                continue
            report.stored(await job.occurrence(record, extras, location, number, vouchers))
            if occurrence_id:
                existing.add(occurrence_id)
        except (ClientError, InvalidInput) as error:
            report.defects.append(Defect(location, number, defect_reason(error)))
            continue
        report.imported += 1
        if report.imported % BATCH == 0:
            await job.flush()
            if progress:
                progress(report.rows)
