"""Write helpers every domain service uses. Services flush, never commit: the unit of work does."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from .db import RecordMixin

R = TypeVar("R", bound=RecordMixin)


async def add_record(session: AsyncSession, model: type[R], *, actor: str, **values: Any) -> R:
    """Insert one record owned by ``values['group']`` and created by ``actor``."""
    record = model(**{k: v for k, v in values.items() if v is not None}, created_by=actor)
    session.add(record)
    await session.flush()
    return record
