"""Alembic environment: one branch per subgraph, each owning its PostgreSQL schema."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from subgraphs.core.data.db import async_url
from subgraphs.core.runtime.settings import get_settings
from subgraphs.registry import METADATA

config = context.config
# `-x schema=agents` limits autogenerate to one subgraph's schema.
only_schema = context.get_x_argument(as_dictionary=True).get("schema")


def include_name(name: str | None, type_: str, _parent: dict) -> bool:
    if type_ == "schema":
        return name in METADATA and (only_schema is None or name == only_schema)
    return True


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=list(METADATA.values()),
        include_schemas=True,
        include_name=include_name,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_online() -> None:
    url = config.get_main_option("sqlalchemy.url") or get_settings().database_url
    if not url:
        raise SystemExit("No database: set DATABASE_URL (or use `dina-graph migrate`).")
    engine = create_async_engine(async_url(url))
    async with engine.connect() as connection:
        await connection.run_sync(run_migrations)
        await connection.commit()
    await engine.dispose()


asyncio.run(run_online())
