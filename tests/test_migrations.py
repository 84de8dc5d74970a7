"""Every subgraph's migrations run up, down and up again on an empty database."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

import asyncpg
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from subgraphs.core.data.db import async_url
from subgraphs.core.runtime import migrate
from subgraphs.registry import METADATA

from .conftest import create_database, drop_database


async def tables(url: str) -> set[str]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(
            "SELECT table_schema || '.' || table_name AS name FROM information_schema.tables "
            "WHERE table_schema = ANY($1::text[])", list(METADATA)
        )
        return {row["name"] for row in rows}
    finally:
        await conn.close()


async def test_upgrade_downgrade_upgrade() -> None:
    name = f"dina_migrate_{uuid.uuid4().hex[:8]}"
    url = await create_database(name)
    try:
        expected = {f"{t.schema}.{t.name}" for m in METADATA.values() for t in m.sorted_tables}
        await asyncio.to_thread(migrate.upgrade, url)
        assert await tables(url) == expected
        await asyncio.to_thread(migrate.downgrade, url)
        assert await tables(url) == set()
        await asyncio.to_thread(migrate.upgrade, url)
        assert await tables(url) == expected
    finally:
        await drop_database(name)


def _compared(name: str | None, type_: str, schema: str) -> bool:
    """What autogenerate compares: this schema, without the prefix indexes, which follow the filters
    (`startsWith` columns, checked by tests/test_prefix_search.py), not the models."""
    if type_ == "schema":
        return name == schema
    return not (type_ == "index" and name is not None and name.endswith("_prefix"))


async def test_models_match_migrations(database_url: str) -> None:
    """Autogenerate finds nothing to add or drop: the migrations build exactly the models' schema."""
    engine = create_async_engine(async_url(database_url))

    def differences(connection: Connection) -> dict[str, list]:
        found = {}
        for schema, metadata in METADATA.items():
            context = MigrationContext.configure(connection, opts={
                "include_schemas": True,
                "include_name": lambda name, type_, _p, s=schema: _compared(name, type_, s),
            })
            found[schema] = compare_metadata(context, metadata)
        return found

    try:
        async with engine.connect() as connection:
            assert await connection.run_sync(differences) == {name: [] for name in METADATA}
    finally:
        await engine.dispose()


async def test_skeleton_data_survives_the_collection_model_upgrade_and_back() -> None:
    name = f"dina_migrate_{uuid.uuid4().hex[:8]}"
    url = await create_database(name)
    skeleton = ["agents_0002", "collection_0002", "molecular_0002", "media_0002"]
    try:
        for revision in skeleton:
            await asyncio.to_thread(migrate.upgrade, url, revision)
        conn = await asyncpg.connect(url)
        try:
            await conn.execute(
                "INSERT INTO collection.collecting_event (id, \"group\", created_by, start_event_date, end_event_date) "
                "VALUES ('01900000-0000-7000-8000-0000000000e1', 'g', 't', '2004-07-18', '2004-07-20')")
            await asyncio.to_thread(migrate.upgrade, url)
            row = await conn.fetchrow("SELECT start_event_date, end_event_date, earliest_date, latest_date "
                                      "FROM collection.collecting_event")
            assert dict(row) == {"start_event_date": "2004-07-18", "end_event_date": "2004-07-20",
                                 "earliest_date": dt.date(2004, 7, 18), "latest_date": dt.date(2004, 7, 20)}
            await asyncio.to_thread(migrate.downgrade, url, "collection_0002")
            assert await conn.fetchval("SELECT start_event_date FROM collection.collecting_event") == dt.date(2004, 7, 18)
        finally:
            await conn.close()
    finally:
        await drop_database(name)
