"""Writes to the agents schema."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.core.service import add_record

from .models import Person


async def create_person(session: AsyncSession, *, actor: str, **values: Any) -> Person:
    return await add_record(session, Person, actor=actor, **values)
