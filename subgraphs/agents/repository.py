"""The SQL of the agents schema: the only module naming its tables (lookups, and the bulk path)."""

from __future__ import annotations

import uuid

import asyncpg
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.core.data.storable import column_limits
from subgraphs.core.writes.bulk import CopyTarget

from .models import Person, person

# How many characters a person's String columns hold (imports check names against them first).
PERSON_LIMITS = column_limits(person)
BULK_TABLES = (person,)


def copy_target(columns: list[str]) -> CopyTarget:
    """Those columns of the person table as a COPY target (bulk loads)."""
    return CopyTarget(person, columns)


# What an import's bulk load writes of a person: its names (exchange.people); the rest keeps its defaults.
PERSON_COPY = copy_target(["id", "group", "created_by", "display_name", "given_names", "family_names"])


async def people_by_display_name(session: AsyncSession, names: list[str], *, group: str) -> dict[str, Person]:
    """The group's people by exact display name (the oldest wins when several share one); imports match
    collectors only within the importing group."""
    found = await session.scalars(select(Person).where(
        Person.group == group, Person.display_name.in_(names)).order_by(Person.id))
    people: dict[str, Person] = {}
    for found_person in found:
        people.setdefault(found_person.display_name, found_person)
    return people


async def person_id_named(conn: asyncpg.Connection, name: str, *, group: str) -> uuid.UUID | None:
    """The id people_by_display_name would find, on a bulk load's own connection."""
    return await conn.fetchval(
        'SELECT id FROM agents.person WHERE "group" = $1 AND display_name = $2 ORDER BY id LIMIT 1', group, name)


async def display_names(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Display names of people by id (exports)."""
    if not ids:
        return {}
    rows = await session.execute(select(Person.id, Person.display_name).where(Person.id.in_(ids)))
    return dict(rows.tuples().all())
