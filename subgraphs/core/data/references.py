"""Checking that the records an input points at exist, so a bad id is a typed error, not a crash.

Only records the caller may read count: linking to another group's record is NOT_FOUND, exactly
as for an id that does not exist, so the answer reveals nothing about other groups."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import Table, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.core.base.errors import ClientError, ErrorCode


async def missing_references(
    session: AsyncSession, references: Iterable[tuple[str, Table, uuid.UUID | list[uuid.UUID] | None]]
) -> list[ClientError]:
    """A NOT_FOUND error for each (field, table, id or ids) whose ids are not among the rows of ``table``
    the session's caller may read (all rows for a trusted process: a session without a request context)."""
    context = session.info.get("context")
    visible = context.visible if context is not None else lambda _: true()
    errors = []
    for field, table, value in references:
        ids = list(value) if isinstance(value, list | tuple) else [value] if value else []
        if not ids:
            continue
        found = set(await session.scalars(select(table.c.id).where(table.c.id.in_(ids), visible(table))))
        name = "".join(part.title() for part in table.name.split("_"))
        errors += [ClientError(ErrorCode.NOT_FOUND, f"No {name} with id {i}.", field) for i in ids if i not in found]
    return errors
