"""Dataloaders: `load_all` gives what `load_many` gives, in one statement, sharing the request's cache."""

from __future__ import annotations

import asyncio
import uuid

from subgraphs.agents.loaders import PersonByIdLoader
from subgraphs.core.db import Database

from .seed import seed_samples


async def test_load_all_matches_load_many_in_one_statement(clean_db: Database) -> None:
    seeded = await seed_samples(clean_db, 3)
    ids = [uuid.UUID(s.id) for s in seeded]  # sample ids are no people: each must come back None
    people = [row["id"] for row in await clean_db.fetch(PersonByIdLoader(clean_db).visible_rows())]
    keys = [people[2], ids[0], people[0], people[2], people[1]]

    before = clean_db.statements.count
    loaded = await PersonByIdLoader(clean_db).load_all(keys)
    assert clean_db.statements.count - before == 1

    expected = await PersonByIdLoader(clean_db).load_many(keys)
    assert [row and dict(row) for row in loaded] == [row and dict(row) for row in expected]
    assert [row and row["id"] for row in loaded] == [people[2], None, people[0], people[2], people[1]]


async def test_load_all_shares_keys_other_resolvers_are_loading(clean_db: Database) -> None:
    await seed_samples(clean_db, 2)
    people = [row["id"] for row in await clean_db.fetch(PersonByIdLoader(clean_db).visible_rows())]
    loader = PersonByIdLoader(clean_db)

    before = clean_db.statements.count
    queued = loader.load(people[0])  # not dispatched yet: load_all awaits the same future
    together, alone = await asyncio.gather(loader.load_all(people[:3]), queued)
    again = await loader.load_all(people[:3])  # all cached now: no statement

    assert [row["id"] for row in together] == people[:3] and alone["id"] == people[0]
    assert [row["id"] for row in again] == people[:3]
    assert clean_db.statements.count - before == 2  # the queued key's batch, then the other two
