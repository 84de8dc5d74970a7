"""Checking that the records an input points at exist, so a bad id is a typed error, not a crash."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from .errors import ClientError, ErrorCode


async def missing_references(
    session: AsyncSession, references: Iterable[tuple[str, Table, uuid.UUID | list[uuid.UUID] | None]]
) -> list[ClientError]:
    """A NOT_FOUND error for each (field, table, id or ids) whose ids are not in ``table``."""
    errors = []
    for field, table, value in references:
        ids = list(value) if isinstance(value, list | tuple) else [value] if value else []
        if not ids:
            continue
        found = set(await session.scalars(select(table.c.id).where(table.c.id.in_(ids))))
        name = "".join(part.title() for part in table.name.split("_"))
        errors += [ClientError(ErrorCode.NOT_FOUND, f"No {name} with id {i}.", field) for i in ids if i not in found]
    return errors
