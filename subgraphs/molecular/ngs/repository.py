"""The SQL of the NGS workflow: the only module naming its tables."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.core.base.ids import uuid7
from subgraphs.core.writes.audit import snapshot_of

from ..models import audit_log
from . import models as m
from .indexes import Indexed

index_set = m.IndexSet.__table__
ngs_index = m.NgsIndex.__table__
facility = m.SequencingFacility.__table__
batch = m.LibraryPrepBatch.__table__
library = m.LibraryPrep.__table__
pool = m.LibraryPool.__table__
content = m.LibraryPoolContent.__table__
run = m.SequencingRun.__table__
run_item = m.SequencingRunItem.__table__
quality_control = m.QualityControl.__table__
pre_library_prep = m.PreLibraryPrep.__table__
metagenomics_batch = m.MetagenomicsBatch.__table__
metagenomics_item = m.MetagenomicsBatchItem.__table__
submission = m.SeqSubmission.__table__


def indexed(row: Any, lane: int | None = None) -> Indexed:
    return Indexed(row.name, row.i7_sequence, row.i5_sequence, lane, row.id)


async def well_taken(session: AsyncSession, batch_id: uuid.UUID, well: str, except_id: uuid.UUID | None) -> str | None:
    """The name of the library already in ``well`` of the batch, if any."""
    c = library.c
    return await session.scalar(select(c.name).where(c.library_prep_batch_id == batch_id, c.well == well,
                                                     c.id != except_id if except_id else c.id.is_not(None)))


async def index_sequence(session: AsyncSession, index_set_id: uuid.UUID, name: str, direction: str) -> str | None:
    c = ngs_index.c
    return await session.scalar(select(c.sequence).where(c.index_set_id == index_set_id, c.name == name,
                                                         c.direction == direction))


async def expand_pools(session: AsyncSession, pool_ids: Sequence[uuid.UUID]) -> tuple[set[uuid.UUID], list[Any]]:
    """Every pool reached from ``pool_ids`` through pools in pools (them included), and their libraries;
    one statement per level of nesting."""
    reached: set[uuid.UUID] = set()
    libraries: dict[uuid.UUID, Any] = {}
    level = set(pool_ids)
    while level - reached:
        level -= reached
        reached |= level
        rows = await session.execute(
            select(content.c.pooled_library_pool_id, library.c.id, library.c.name, library.c.i7_sequence,
                   library.c.i5_sequence)
            .select_from(content.outerjoin(library, content.c.library_prep_id == library.c.id))
            .where(content.c.library_pool_id.in_(level)))
        level = set()
        for row in rows:
            if row.pooled_library_pool_id is not None:
                level.add(row.pooled_library_pool_id)
            else:
                libraries[row.id] = row
    return reached, list(libraries.values())


async def libraries_of(session: AsyncSession, library_ids: Sequence[uuid.UUID]) -> list[Any]:
    rows = await session.execute(select(library.c.id, library.c.name, library.c.i7_sequence, library.c.i5_sequence)
                                 .where(library.c.id.in_(library_ids)))
    return list(rows)


async def pool_indexed(session: AsyncSession, pool_id: uuid.UUID) -> list[Indexed]:
    return [indexed(row) for row in (await expand_pools(session, [pool_id]))[1]]


async def run_lane_indexed(session: AsyncSession, run_id: uuid.UUID, lane: int | None,
                           except_item: uuid.UUID | None) -> list[Indexed]:
    """The libraries a run reads on ``lane`` (all lanes when None, and items of no lane on any lane)."""
    c = run_item.c
    query = select(c.library_prep_id, c.library_pool_id, c.lane).where(c.sequencing_run_id == run_id)
    if lane is not None:
        query = query.where(or_(c.lane == lane, c.lane.is_(None)))
    if except_item is not None:
        query = query.where(c.id != except_item)
    items = list(await session.execute(query))
    found = [indexed(row, lane) for row in await libraries_of(
        session, [i.library_prep_id for i in items if i.library_prep_id])]
    for item in items:
        if item.library_prep_id is None:  # a whole pool (an item of a library names the pool it came in, if any)
            found += [indexed(row, lane) for row in (await expand_pools(session, [item.library_pool_id]))[1]]
    return list({library.id: library for library in found}.values())


async def places_of_library(session: AsyncSession, library_id: uuid.UUID) -> list[tuple[str, int, list[Indexed]]]:
    """Each pool the library is directly in, and each run lane reading it (directly or through such a pool), as
    (what, mismatches allowed there, the other libraries there): what its new indexes must be told apart from."""
    pools = list(await session.execute(select(pool.c.id, pool.c.name).join(content, content.c.library_pool_id == pool.c.id)
                                       .where(content.c.library_prep_id == library_id)))
    places = [(f"pool {p.name}", 0, await pool_indexed(session, p.id)) for p in pools]
    items = await session.execute(
        select(run.c.id, run.c.name, run.c.barcode_mismatches, run_item.c.lane)
        .join(run_item, run_item.c.sequencing_run_id == run.c.id)
        .where(or_(run_item.c.library_prep_id == library_id, run_item.c.library_pool_id.in_([p.id for p in pools]))))
    for item in items:
        lane = f" lane {item.lane}" if item.lane is not None else ""
        places.append((f"run {item.name}{lane}", item.barcode_mismatches,
                       await run_lane_indexed(session, item.id, item.lane, None)))
    return [(what, mismatches, [i for i in others if i.id != library_id]) for what, mismatches, others in places]


async def name_taken(session: AsyncSession, table: Table, group: str, names: Sequence[str]) -> set[str]:
    return set(await session.scalars(select(table.c.name).where(table.c.group == group, table.c.name.in_(names))))


async def insert_audited(session: AsyncSession, model: type, rows: list[dict[str, Any]], actor: str) -> None:
    """Insert many new records in one statement, and their audit entries in another (imports): the rows get
    ids, their creator and version 1 here, as ``add_record`` would give them one by one."""
    if not rows:
        return
    now = dt.datetime.now(dt.UTC)
    for row in rows:
        row.setdefault("id", uuid7())
        row.update(created_by=actor, created_on=now, version=1)
    table = model.__table__  # type: ignore[attr-defined]
    await session.execute(insert(table), rows)
    await session.execute(insert(audit_log), [
        {"record_type": model.__name__, "record_id": row["id"], "version": 1, "operation": "create", "actor": actor,
         "snapshot": snapshot_of(row)} for row in rows])


async def run_sheet_rows(session: AsyncSession, run_id: uuid.UUID) -> list[tuple[int | None, Any]]:
    """(lane, library with its batch name) for every library the run reads, by lane then batch and well."""
    items = list(await session.execute(select(run_item.c.lane, run_item.c.library_prep_id, run_item.c.library_pool_id)
                                       .where(run_item.c.sequencing_run_id == run_id).order_by(run_item.c.lane)))
    wanted: list[tuple[int | None, uuid.UUID]] = []
    for item in items:
        if item.library_prep_id:
            wanted.append((item.lane, item.library_prep_id))
        else:
            wanted += [(item.lane, row.id) for row in (await expand_pools(session, [item.library_pool_id]))[1]]
    wanted = list(dict.fromkeys(wanted))
    rows = {row.id: row for row in await session.execute(
        select(library, batch.c.name.label("batch_name")).join(batch, library.c.library_prep_batch_id == batch.c.id)
        .where(library.c.id.in_([id for _, id in wanted])))}
    ordered = sorted(wanted, key=lambda w: (w[0] or 0, rows[w[1]].batch_name, rows[w[1]].well or "",
                                            rows[w[1]].created_on, w[1]))
    return [(lane, rows[id]) for lane, id in ordered]


async def items_by_library(session: AsyncSession, run_id: uuid.UUID) -> dict[tuple[int | None, str], Any]:
    """The run's items of single libraries by (lane, the library's name: its Sample_ID)."""
    rows = await session.execute(select(run_item.c.id, run_item.c.version, run_item.c.lane, library.c.name)
                                 .join(library, run_item.c.library_prep_id == library.c.id)
                                 .where(run_item.c.sequencing_run_id == run_id))
    return {(row.lane, row.name): row for row in rows}


def pool_contents_of(pool_id: uuid.UUID) -> Any:
    return select(content.c.id).where(or_(content.c.library_pool_id == pool_id,
                                          content.c.pooled_library_pool_id == pool_id))


def referencing(column: Any, id: uuid.UUID) -> Any:
    return select(column).where(column == id)
