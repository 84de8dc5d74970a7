"""Writes to the collection schema."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.core.service import add_record

from .models import CollectingEvent, MaterialSample


async def create_collecting_event(session: AsyncSession, *, actor: str, **values: Any) -> CollectingEvent:
    return await add_record(session, CollectingEvent, actor=actor, **values)


async def create_material_sample(session: AsyncSession, *, actor: str, **values: Any) -> MaterialSample:
    return await add_record(session, MaterialSample, actor=actor, **values)
