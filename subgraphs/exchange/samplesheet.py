"""Importing an Illumina sample sheet: the run, libraries and pools (molecular), each library linked to the
group's material sample whose catalogue number is the row's Sample_Name (or Sample_ID; collection).
A sheet with any defect writes nothing."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.collection import repository as collection_repository
from subgraphs.collection.vouchers import sample_key
from subgraphs.core.data.db import Database
from subgraphs.molecular.ngs import samplesheet, sheets


async def samples_by_number(session: AsyncSession, numbers: list[str], *, group: str) -> dict[str, uuid.UUID]:
    """The group's samples by each of their catalogue numbers among ``numbers``; a number two samples share
    names neither (it is noted as unmatched)."""
    found: dict[str, set[uuid.UUID]] = {}
    wanted = set(numbers)
    for key in map(sample_key, await collection_repository.sample_keys(session, group, numbers)):
        for number in wanted.intersection(key.numbers):
            found.setdefault(number, set()).add(key.sample_id)
    return {number: next(iter(ids)) for number, ids in found.items() if len(ids) == 1}


async def import_sample_sheet(session: AsyncSession, text: str, *, group: str, actor: str,
                              default_name: str) -> sheets.SheetImport:
    sheet = samplesheet.parse(text)
    samples = await samples_by_number(session, sorted({sheets.sample_key(row) for row in sheet.rows}), group=group)
    return await sheets.import_sheet(session, sheet, samples, default_name=default_name, group=group, actor=actor)


async def import_file(db: Database, text: str, **options: Any) -> sheets.SheetImport:
    """One transaction (a sheet with defects writes nothing: ``sheets.import_sheet`` checks all first)."""
    async with db.unit_of_work() as session:
        return await import_sample_sheet(session, text, **options)
