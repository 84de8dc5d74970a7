"""Every subgraph's migrations run up, down and up again on an empty database."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from subgraphs.core import migrate
from subgraphs.core.db import async_url
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
        await asyncio.to_thread(migrate.upgrade, url, list(METADATA))
        assert await tables(url) == expected
        await asyncio.to_thread(migrate.downgrade, url, list(METADATA))
        assert await tables(url) == set()
        await asyncio.to_thread(migrate.upgrade, url, list(METADATA))
        assert await tables(url) == expected
    finally:
        await drop_database(name)


async def test_models_match_migrations(database_url: str) -> None:
    """Autogenerate finds nothing to add or drop: the migrations build exactly the models' schema."""
    engine = create_async_engine(async_url(database_url))

    def differences(connection: Connection) -> dict[str, list]:
        found = {}
        for schema, metadata in METADATA.items():
            context = MigrationContext.configure(connection, opts={
                "include_schemas": True,
                "include_name": lambda name, type_, _p, s=schema: type_ != "schema" or name == s,
            })
            found[schema] = compare_metadata(context, metadata)
        return found

    try:
        async with engine.connect() as connection:
            assert await connection.run_sync(differences) == {name: [] for name in METADATA}
    finally:
        await engine.dispose()
