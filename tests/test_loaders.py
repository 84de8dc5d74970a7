"""Dataloaders: one statement per batch; a lean loader reads its columns only, with a cache of its own."""

from __future__ import annotations

import uuid

from sqlalchemy import true

from subgraphs.agents.loaders import PersonByIdLoader
from subgraphs.core.data.db import Database
from subgraphs.core.data.loaders import Loaders

from .seed import seed_samples


async def test_load_many_keeps_order_and_misses_in_one_statement(clean_db: Database) -> None:
    seeded = await seed_samples(clean_db, 3)
    ids = [uuid.UUID(s.id) for s in seeded]  # sample ids are no people: each must come back None
    people = [row["id"] for row in await clean_db.fetch(PersonByIdLoader(clean_db).visible_rows())]
    keys = [people[2], ids[0], people[0], people[2], people[1]]

    before = clean_db.statements.count
    loaded = await PersonByIdLoader(clean_db).load_many(keys)

    assert clean_db.statements.count - before == 1
    assert [row and row["id"] for row in loaded] == [people[2], None, people[0], people[2], people[1]]


async def test_a_lean_loader_reads_its_columns_and_never_shares_rows_with_whole_ones(clean_db: Database) -> None:
    await seed_samples(clean_db, 1)
    person = (await clean_db.fetch(PersonByIdLoader(clean_db).visible_rows()))[0]["id"]
    loaders = Loaders(clean_db, lambda _: true())

    lean = await loaders.lean(PersonByIdLoader, frozenset({"display_name"})).load(person)
    whole = await loaders.lean(PersonByIdLoader, None).load(person)

    assert set(lean.keys()) == {"id", "display_name"}
    assert {"id", "display_name", "group", "version"} <= set(whole.keys())
    assert loaders.lean(PersonByIdLoader, None) is loaders[PersonByIdLoader]
