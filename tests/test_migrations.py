"""Every subgraph's migrations run up, down and up again on an empty database."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg

from subgraphs.core import migrate
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
