"""The SQL of the collection schema: the only module naming its tables — the lookups imports match
vouchers and codes with, the export's pages, and the bulk path (COPY targets, asyncpg lookups)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import asyncpg
from sqlalchemy import Select, Table, exists, select
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.core.data.storable import column_limits
from subgraphs.core.writes.bulk import CopyTarget, audit_target

from . import models as m
from .vocabularies import SAMPLE_VOCABULARIES

# How many characters the String columns of each table hold, by table name (imports check values first).
LIMITS = {table.name: column_limits(table) for table in (
    m.material_sample, m.collecting_event, m.institution, m.collection, m.organism, m.determination)}

RECORD = ("id", "group", "created_by")
EVENT_VALUES = ("start_event_date", "end_event_date", "earliest_date", "latest_date", "verbatim_event_date",
                "verbatim_locality", "country", "country_code", "state_province", "decimal_latitude",
                "decimal_longitude", "coordinate_uncertainty_in_meters", "geodetic_datum", "habitat",
                "minimum_elevation_in_meters", "maximum_elevation_in_meters", "minimum_depth_in_meters",
                "maximum_depth_in_meters")
# What a bulk load writes of each record, in the order its batch is copied (a row after those it names).
INSTITUTION_COPY = CopyTarget(m.institution, [*RECORD, "name", "code"])
COLLECTION_COPY = CopyTarget(m.collection, [*RECORD, "name", "code", "institution_id"])
EVENT_COPY = CopyTarget(m.collecting_event, [*RECORD, *EVENT_VALUES, "collector_ids"])
SAMPLE_COPY = CopyTarget(m.material_sample, [
    *RECORD, "material_sample_name", "occurrence_id", "collection_id", "collecting_event_id",
    "other_catalog_numbers", "attachment_ids", "source_record", "issues", "measurements", "associations", "citations",
    *SAMPLE_VOCABULARIES])
ORGANISM_COPY = CopyTarget(m.organism, [*RECORD, "material_sample_id", "sex", "life_stage"])
DETERMINATION_COPY = CopyTarget(m.determination, [
    *RECORD, "organism_id", "scientific_name", "verbatim_scientific_name", "is_primary", "type_status",
    "determiner_ids", "determined_on"])
AUDIT_COPY = audit_target(m.audit_log)
BULK_TABLES = (m.institution, m.collection, m.collecting_event, m.material_sample, m.organism, m.determination,
               m.audit_log)


def copy_target(record: str, columns: list[str]) -> CopyTarget:
    """Those columns of a record's table (``record``: one of BULK_TABLES' names) as a COPY target."""
    return CopyTarget(next(table for table in BULK_TABLES if table.name == record), columns)


def sample_keys_query(group: str, numbers: list[str] | None = None, *, without_occurrence_id: bool = False) -> Select[Any]:
    """The group's samples (with that catalogue number, if ``numbers``; only those without an
    occurrenceID, if ``without_occurrence_id``): id, name, other catalogue numbers and the codes of
    its institution and collection (what collection.vouchers matches a voucher against)."""
    s, c, i = m.material_sample.c, m.collection.c, m.institution.c
    statement = (select(s.id, s.material_sample_name, s.other_catalog_numbers, i.code, c.code)
                 .select_from(m.material_sample.outerjoin(m.collection, s.collection_id == c.id)
                              .outerjoin(m.institution, c.institution_id == i.id))
                 .where(s.group == group))
    if numbers is not None:
        statement = statement.where(s.material_sample_name.in_(numbers) | s.other_catalog_numbers.overlap(numbers))
    if without_occurrence_id:
        statement = statement.where(s.occurrence_id.is_(None))
    return statement


async def sample_keys(session: AsyncSession, group: str, numbers: list[str], *,
                      without_occurrence_id: bool = False) -> Sequence[Any]:
    return (await session.execute(sample_keys_query(group, numbers, without_occurrence_id=without_occurrence_id))).all()


async def material_sample(session: AsyncSession, id: uuid.UUID) -> m.MaterialSample | None:
    return await session.get(m.MaterialSample, id)


async def sample_of_occurrence(session: AsyncSession, occurrence_id: str, *, group: str) -> uuid.UUID | None:
    """The group's sample of this occurrenceID, if any."""
    return await session.scalar(select(m.MaterialSample.id).where(
        m.MaterialSample.group == group, m.MaterialSample.occurrence_id == occurrence_id).limit(1))


async def group_has_samples(session: AsyncSession, group: str) -> bool:
    return bool(await session.scalar(select(exists().where(m.MaterialSample.group == group))))


async def institution_by_code(session: AsyncSession, code: str, *, group: str) -> m.Institution | None:
    return await session.scalar(select(m.Institution).where(m.Institution.group == group, m.Institution.code == code))


async def collection_by_code(session: AsyncSession, code: str, institution_id: uuid.UUID | None, *,
                             group: str) -> m.Collection | None:
    """The group's collection of this code in that institution (None: in no institution)."""
    return await session.scalar(select(m.Collection).where(
        m.Collection.group == group, m.Collection.code == code,
        m.Collection.institution_id == institution_id if institution_id else m.Collection.institution_id.is_(None)))


def samples_page(collection_code: str | None, after: uuid.UUID | None, limit: int) -> Select[Any]:
    """A page of samples by id (with their event, collection and institution) for the export."""
    statement = (select(m.MaterialSample, m.CollectingEvent, m.Collection, m.Institution)
                 .outerjoin(m.CollectingEvent).outerjoin(m.Collection)
                 .outerjoin(m.Institution, m.Collection.institution_id == m.Institution.id)
                 .order_by(m.MaterialSample.id).limit(limit))
    if collection_code:
        statement = statement.where(m.Collection.code == collection_code)
    if after is not None:
        statement = statement.where(m.MaterialSample.id > after)
    return statement


async def primary_determinations(session: AsyncSession, sample_ids: list[uuid.UUID]) -> dict[uuid.UUID, tuple[Any, Any]]:
    """Each sample's (organism, primary determination)."""
    rows = await session.execute(
        select(m.Organism.material_sample_id, m.Organism, m.Determination).join(m.Determination)
        .where(m.Organism.material_sample_id.in_(sample_ids), m.Determination.is_primary))
    return {sample_id: (organism, determination) for sample_id, organism, determination in rows}


async def any_taxon_link(session: AsyncSession) -> bool:
    """Whether any determination points at a taxon (an export then has the taxon terms)."""
    found = await session.scalar(select(m.determination.c.id).where(m.determination.c.taxon_id.is_not(None)).limit(1))
    return found is not None


async def source_terms(session: AsyncSession) -> set[str]:
    """Every term any sample's source record holds."""
    return {t for (record,) in await session.execute(select(m.MaterialSample.source_record)) for t in record}


async def managed_attribute_definitions(session: AsyncSession, keys: list[str], *, group: str | None) -> dict[str, Any]:
    """The group's managed attribute definitions of these keys, by key (keys are unique per group)."""
    rows = await session.execute(select(m.managed_attribute).where(
        m.managed_attribute.c.key.in_(keys), m.managed_attribute.c.group == group))
    return {row.key: row for row in rows}


async def parent_of(session: AsyncSession, table: Table, parent_column: str, id: uuid.UUID) -> uuid.UUID | None:
    """The parent of a record of a hierarchy (``table``: samples or storage units)."""
    return await session.scalar(select(table.c[parent_column]).where(table.c.id == id))


async def lock_primary_determinations(session: AsyncSession, organism_id: uuid.UUID,
                                      except_id: uuid.UUID | None) -> list[m.Determination]:
    """The organism's primary determinations but ``except_id``, row-locked (one is about to replace them)."""
    return list(await session.scalars(select(m.Determination).where(
        m.Determination.organism_id == organism_id, m.Determination.is_primary,
        m.Determination.id != except_id).with_for_update()))


# The bulk path, on the load's own asyncpg connection.

async def occurrence_ids(conn: asyncpg.Connection, group: str) -> set[str]:
    return {r[0] for r in await conn.fetch(
        'SELECT occurrence_id FROM collection.material_sample WHERE "group" = $1 AND occurrence_id IS NOT NULL', group)}


async def bulk_sample_keys(conn: asyncpg.Connection, group: str) -> list[asyncpg.Record]:
    """sample_keys_query's rows of the group's samples without an occurrenceID."""
    keys = sample_keys_query(group, without_occurrence_id=True).compile(dialect=asyncpg_dialect())
    return await conn.fetch(str(keys), *(keys.params[name] for name in keys.positiontup or ()))


async def sample_count(conn: asyncpg.Connection) -> int:
    return await conn.fetchval("SELECT count(*) FROM collection.material_sample")


async def institution_id_by_code(conn: asyncpg.Connection, code: str, *, group: str) -> uuid.UUID | None:
    return await conn.fetchval('SELECT id FROM collection.institution WHERE "group" = $1 AND code = $2', group, code)


async def collection_id_by_code(conn: asyncpg.Connection, code: str, institution_id: uuid.UUID | None, *,
                                group: str) -> uuid.UUID | None:
    return await conn.fetchval('SELECT id FROM collection.collection WHERE "group" = $1 AND code = $2 '
                               "AND institution_id IS NOT DISTINCT FROM $3", group, code, institution_id)
