"""Writes to the agents schema: validation rules, audit and optimistic locking."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.core.errors import ClientError, ErrorCode
from subgraphs.core.service import add_record, delete_record, update_record

from .models import Person


def _check_person(values: dict[str, Any]) -> None:
    if "display_name" in values and not (values["display_name"] or "").strip():
        raise ClientError(ErrorCode.BAD_USER_INPUT, "A person needs a display name.", "displayName")


async def create_person(session: AsyncSession, *, actor: str, **values: Any) -> Person:
    _check_person(values)
    return await add_record(session, Person, actor=actor, **values)


async def update_person(
    session: AsyncSession, id: uuid.UUID, version: int, *, actor: str, **changes: Any
) -> Person:
    _check_person(changes)
    return await update_record(session, Person, id, version, actor=actor, **changes)


async def delete_person(session: AsyncSession, id: uuid.UUID, version: int, *, actor: str) -> Person:
    return await delete_record(session, Person, id, version, actor=actor)
