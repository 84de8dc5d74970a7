"""Writes to the media schema."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.core.service import add_record

from .models import Media


async def create_media(session: AsyncSession, *, actor: str, **values: Any) -> Media:
    return await add_record(session, Media, actor=actor, **values)
