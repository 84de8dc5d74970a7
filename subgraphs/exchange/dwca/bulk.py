"""Bulk Darwin Core Archive import: PostgreSQL COPY in batches, for archives of millions of rows.

The same mapping as the row-by-row importer (importer.py: mapping.checked_occurrence, sample_values,
organism_values, media_values; exchange.people for the people it names), with the same checks and flags
applied in Python before anything is sent and the same identity rules (a row the group holds by
occurrenceID, else by voucher, is left alone): a row they refuse is reported with the same reason and
left out, the rest go in with COPY, all in one transaction (a broken archive still writes nothing).
This module names no table: each domain's repository declares its COPY targets, lookups and tables
(agents, collection, media), and core.writes.bulk copies and defers index upkeep; this orchestrates.
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
from collections.abc import Awaitable, Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any, ParamSpec

import asyncpg
from asyncpg.pgproto.pgproto import UUID as PgUUID

from subgraphs.agents import repository as agents
from subgraphs.collection import repository as collection
from subgraphs.collection.vouchers import SampleKey, VoucherIndex, sample_key
from subgraphs.core.base.errors import ClientError
from subgraphs.core.base.ids import uuid7_block
from subgraphs.core.data.db import async_url
from subgraphs.core.runtime.gc_tuning import tune_garbage_collector
from subgraphs.core.writes.bulk import CopyTarget, defer_index_upkeep
from subgraphs.core.writes.mutations import InvalidInput
from subgraphs.media import repository as media

from ..people import person_values
from .archive import DWC, ArchiveError, Defect, open_archive
from .extensions import ExtensionIndex, ExtensionRows
from .importer import DwcaReport, RowProgress, extension_index
from .mapping import (
    MappedOccurrence,
    _names,
    checked_occurrence,
    defect_reason,
    occurrence_voucher,
    organism_values,
    sample_values,
)

BATCH = 20_000
YIELD_EVERY = 500  # rows mapped between chances for the background COPY to send data
# In dependency order: a batch is copied target by target in this order.
TARGETS: dict[str, CopyTarget] = {
    "person": agents.PERSON_COPY, "institution": collection.INSTITUTION_COPY,
    "collection": collection.COLLECTION_COPY, "media": media.MEDIA_COPY, "media_audit": media.AUDIT_COPY,
    "collecting_event": collection.EVENT_COPY, "material_sample": collection.SAMPLE_COPY,
    "organism": collection.ORGANISM_COPY, "determination": collection.DETERMINATION_COPY,
    "sample_audit": collection.AUDIT_COPY,
}
LOADED_TABLES = (*agents.BULK_TABLES, *collection.BULK_TABLES, *media.BULK_TABLES)
OCCURRENCE_ID, RECORDED_BY, INSTITUTION_CODE, COLLECTION_CODE = (
    DWC + name for name in ("occurrenceID", "recordedBy", "institutionCode", "collectionCode"))
P = ParamSpec("P")


@lru_cache(maxsize=100_000)
def _name_list(value: str | None) -> list[str]:
    return _names(value)


class BulkImport:
    def __init__(self, conn: asyncpg.Connection, *, group: str, actor: str) -> None:
        self.conn, self.group, self.actor = conn, group, actor
        self.people: dict[str, uuid.UUID] = {}
        self.collections: dict[tuple[str, str], uuid.UUID | None] = {}
        self.institutions: dict[str, uuid.UUID] = {}
        self.batch: dict[str, list[tuple]] = {name: [] for name in TARGETS}
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

    def row(self, target: str, id: uuid.UUID, values: dict[str, Any]) -> None:
        """Queue a new record of ``target`` (``values``, a dict of the caller's own that gets the record's
        id, group and creator: its values by column, as its service takes them)."""
        values["id"], values["group"], values["created_by"] = id, self.group, self.actor
        self.batch[target].append(TARGETS[target].record(values))

    def audit(self, target: str, record_type: str, id: uuid.UUID, snapshot: dict[str, Any]) -> None:
        """Queue the `create` entry of a new record (``snapshot``: what it is known by, and the import)."""
        self.batch[target].append(TARGETS[target].record({
            "record_type": record_type, "record_id": id, "version": 1, "operation": "create", "actor": self.actor,
            "snapshot": snapshot}))

    async def lookup(self, find: Callable[P, Awaitable[Any]], *args: P.args, **kwargs: P.kwargs) -> Any:
        """A repository lookup, once the background COPY has released the connection."""
        await self.copied()
        return await find(*args, **kwargs)

    async def person(self, name: str) -> uuid.UUID:
        if name not in self.people:
            found = await self.lookup(agents.person_id_named, self.conn, name, group=self.group)
            self.people[name] = found or self.new_id()
            if found is None:
                self.row("person", self.people[name], person_values(name))
        return self.people[name]

    async def institution(self, code: str) -> uuid.UUID:
        if code not in self.institutions:
            found = await self.lookup(collection.institution_id_by_code, self.conn, code, group=self.group)
            self.institutions[code] = found or self.new_id()
            if found is None:
                self.row("institution", self.institutions[code], {"name": code, "code": code})
        return self.institutions[code]

    async def collection(self, institution: str | None, code: str | None) -> uuid.UUID | None:
        """The collection the codes name (as collection.vouchers.collection_for_codes finds or makes it)."""
        key = (institution or "", code or "")
        if key not in self.collections:
            if not any(key):
                self.collections[key] = None
                return None
            institution_id = await self.institution(institution) if institution else None
            code = code or institution
            found = await self.lookup(collection.collection_id_by_code, self.conn, code, institution_id,
                                      group=self.group)
            if found is None:
                found = self.new_id()
                self.row("collection", found, {"name": code, "code": code, "institution_id": institution_id})
            self.collections[key] = found
        return self.collections[key]

    async def flush(self) -> None:
        """Start copying the rows mapped so far (in the background) and begin a new batch."""
        await self.copied()
        batch, self.batch = self.batch, {name: [] for name in TARGETS}
        self._copying = asyncio.create_task(self._copy(batch))

    async def copied(self) -> None:
        """Wait for the background COPY, re-raising its error."""
        if self._copying is not None:
            copying, self._copying = self._copying, None
            await copying

    async def _copy(self, batch: dict[str, list[tuple]]) -> None:
        for name, records in batch.items():
            await TARGETS[name].copy(self.conn, records)

    def media(self, values: dict[str, Any]) -> uuid.UUID:
        """A Media record for a multimedia/Audubon extension row's values; the file stays at its URL."""
        media_id = self.new_id()
        self.row("media", media_id, dict(values))
        self.audit("media_audit", "Media", media_id, {"access_uri": values["access_uri"], "import": "dwca bulk"})
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
        event = mapped.event  # the row's own values: completed and queued as they are, not copied
        event["collector_ids"] = collectors
        self.row("collecting_event", event_id, event)
        sample = sample_values(record, mapped)
        name = sample["material_sample_name"]
        if not get(OCCURRENCE_ID):
            institution, code = get(INSTITUTION_CODE), get(COLLECTION_CODE)
            vouchers.add(SampleKey(sample_id, name, (name, *mapped.other_catalog_numbers), institution,
                                   (code or institution) if collection_id else None))
        media_ids = [self.media(values) for values in mapped.media]
        sample["collection_id"], sample["collecting_event_id"], sample["attachment_ids"] = (
            collection_id, event_id, media_ids)
        self.row("material_sample", sample_id, sample)
        self.audit("sample_audit", "MaterialSample", sample_id, {
            "material_sample_name": name, "occurrence_id": get(OCCURRENCE_ID), "import": "dwca bulk"})
        if mapped.determinations:
            organism_id = self.new_id()
            organism = organism_values(record)
            organism["material_sample_id"] = sample_id
            self.row("organism", organism_id, organism)
            for values in mapped.determinations:
                determiners = [await self.person(n) for n in values["determiners"]]
                values["organism_id"], values["determiner_ids"] = organism_id, determiners
                self.row("determination", self.new_id(), values)
        return mapped


async def bulk_import_archive(database_url: str, path: Path, *, group: str, actor: str,
                              progress: RowProgress | None = None) -> DwcaReport:
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
            existing = await collection.occurrence_ids(conn, group)
            vouchers = VoucherIndex(map(sample_key, await collection.bulk_sample_keys(conn, group)))
            incoming = archive.core_lines()
            samples = await collection.sample_count(conn)
            rebuild = await defer_index_upkeep(conn, LOADED_TABLES) if incoming >= samples else []
            job = BulkImport(conn, group=group, actor=actor)
            index = extension_index(archive, report)
            await _map_rows(archive, job, report, existing, vouchers, index,
                            progress and (lambda rows: progress(rows, archive.core_lines())))
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
