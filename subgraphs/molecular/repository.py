"""The SQL of the molecular schema: the only module naming its tables (lookups and export selects)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, Table, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.core.writes.bulk import CopyTarget

from . import models as m


def copy_target(columns: list[str]) -> CopyTarget:
    """Those columns of the sequence table as a COPY target (bulk loads)."""
    return CopyTarget(m.sequence, columns)


async def well_taken(session: AsyncSession, table: Table, batch_column: str, batch: Any, well: str,
                     except_id: uuid.UUID | None) -> bool:
    """Whether another reaction of the batch (``table``: its reactions) uses the well."""
    return await session.scalar(select(table.c.id).where(
        table.c[batch_column] == batch, table.c.well == well, table.c.id != except_id)) is not None


async def newest_sequence_version(session: AsyncSession, accession: str, source_location: str, *, group: str) -> int | None:
    s = m.sequence.c
    return await session.scalar(select(func.max(s.accession_version)).where(
        s.group == group, s.accession == accession, s.source_location == source_location))


async def region_named(session: AsyncSession, name: str, *, group: str) -> m.Region | None:
    return await session.scalar(select(m.Region).where(m.Region.name == name, m.Region.group == group))


async def sequence_accessions(session: AsyncSession, sample_ids: list[uuid.UUID]) -> list[Any]:
    """(sample id, database, accession, version, span) of the samples' sequences, in accession order."""
    s = m.sequence.c
    rows = await session.execute(
        select(s.material_sample_id, s.source_database, s.accession, s.accession_version, s.source_location)
        .where(s.material_sample_id.in_(sample_ids)).order_by(s.accession, s.accession_version, s.source_location))
    return list(rows)


def sequences_for_export(accessions: list[str] | None, group: str | None = None) -> Select[Any]:
    """Whole sequence rows in accession order (those accessions only, of that group only, if given):
    what FASTA and source-table exports read."""
    s = m.sequence.c
    statement = select(m.sequence).order_by(s.accession, s.accession_version)
    if accessions:
        statement = statement.where(s.accession.in_(accessions))
    return statement.where(s.group == group) if group else statement
