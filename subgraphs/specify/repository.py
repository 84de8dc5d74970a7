"""The only module naming the broker's table (agent links); Specify itself is spoken to by client.py."""

from __future__ import annotations

import uuid
from collections.abc import Hashable, Sequence

from aiodataloader import DataLoader
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.core.data.db import Database, one_of

from .models import AgentLink

links = AgentLink.__table__


class PersonIdByAgentGuidLoader(DataLoader):
    """The linked Person id per Specify agent GUID: one statement for all agents of a request level."""

    def __init__(self, db: Database) -> None:
        super().__init__()
        self.db = db

    async def batch_load_fn(self, keys: Sequence[Hashable]) -> list[str | None]:
        rows = await self.db.fetch(select(links.c.specify_agent_guid, links.c.person_id)
                                   .where(one_of(links.c.specify_agent_guid, list(keys))))
        found = {row["specify_agent_guid"]: str(row["person_id"]) for row in rows}
        return [found.get(key) for key in keys]  # type: ignore[call-overload]


async def link_agent(session: AsyncSession, agent_guid: str, person_id: uuid.UUID, actor: str) -> None:
    """Record (or replace) the Person a Specify agent is."""
    statement = insert(links).values(specify_agent_guid=agent_guid, person_id=person_id, linked_by=actor)
    await session.execute(statement.on_conflict_do_update(
        index_elements=[links.c.specify_agent_guid], set_={"person_id": person_id, "linked_by": actor}))
