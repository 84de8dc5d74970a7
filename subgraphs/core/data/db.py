"""Engine, sessions and table conventions shared by every subgraph.

Each subgraph owns one PostgreSQL schema. Reads go through short pooled connections
(dataloader batches run concurrently, and one session cannot run two statements at once);
writes go through one session per request that commits once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import threading
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import orjson
from sqlalchemy import (
    ColumnElement,
    DateTime,
    Integer,
    MetaData,
    String,
    TypeDecorator,
    any_,
    event,
    func,
    literal,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql import Executable

from subgraphs.core.base.ids import uuid7
from subgraphs.core.data.reads import ReadStatements

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def schema_base(schema: str) -> type[DeclarativeBase]:
    """A declarative base whose tables all live in ``schema``."""

    class Base(DeclarativeBase):
        metadata = MetaData(schema=schema, naming_convention=NAMING_CONVENTION)

    return Base


class RecordMixin:
    """Columns every DINA record carries: identity, owning group, provenance, version."""

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid7)
    group: Mapped[str] = mapped_column(String(100), index=True)
    created_by: Mapped[str] = mapped_column(String(200))
    created_on: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


def async_url(url: str) -> str:
    """Normalise any postgres URL to the asyncpg driver (libpq's ``?host=/dir`` sockets included)."""
    parsed = make_url(url)
    return parsed.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)


class UuidArray(TypeDecorator[list[uuid.UUID]]):
    """``uuid[]``, read as asyncpg returns it (a list of ``uuid.UUID`` already): SQLAlchemy's
    item-by-item conversion cost more than the query itself for a page of samples."""

    impl = ARRAY(UUID(as_uuid=True))
    cache_ok = True

    def result_processor(self, dialect: Any, coltype: Any) -> None:
        return None


def one_of(column: ColumnElement[Any], keys: Sequence[Hashable]) -> ColumnElement[bool]:
    """``column = ANY($1)``: one array parameter, where ``IN`` would render a parameter per key into a
    fresh statement for every list length (and keep the statement off the compiled asyncpg path)."""
    return column == any_(literal(list(keys), ARRAY(column.type)))


AFTER_COMMIT = "dina_after_commit"
log = logging.getLogger("dina.db")


def after_commit(session: AsyncSession, action: Callable[[], Awaitable[None]], warning: str) -> None:
    """Run ``action`` once the session's transaction committed. Should it fail, the commit stands: the
    failure is logged and ``warning`` (what it leaves to do) reaches the client beside the result."""
    session.info.setdefault(AFTER_COMMIT, []).append((action, warning))


class StatementCounter:
    """Counts SQL statements sent by an engine; tests use it to prove batching."""

    def __init__(self) -> None:
        self._count = 0
        self._lock = threading.Lock()

    def __call__(self, *_: Any) -> None:
        with self._lock:
            self._count += 1

    @property
    def count(self) -> int:
        return self._count


class Database:
    """One engine for a process; every subgraph mounted in it shares the pool.

    Writes go through SQLAlchemy sessions. Reads (dataloader batches, pages) skip its execution
    layer where they can: a statement is compiled once per shape and run straight on an asyncpg
    pool in autocommit, its rows returned as asyncpg records — on a page-sized request SQLAlchemy's
    per-statement work (execution context, greenlet hop, result wrapping) cost more than the SQL.
    """

    def __init__(self, url: str, *, pool_size: int = 10, echo: bool = False) -> None:
        self.engine: AsyncEngine = create_async_engine(
            # orjson decodes JSONB several times faster than the standard library (exif, source records).
            async_url(url), pool_size=pool_size, max_overflow=pool_size,  # so at most 2 * pool_size (pool_usage) echo=echo, json_deserializer=orjson.loads,
        )
        # Reads that stay on SQLAlchemy run in autocommit too: no BEGIN/ROLLBACK round trips.
        self.reader = self.engine.execution_options(isolation_level="AUTOCOMMIT")
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)
        self.statements = StatementCounter()
        event.listen(self.engine.sync_engine, "before_cursor_execute", self.statements)
        self.reads = ReadStatements(self.engine.dialect)
        self._pool_size = pool_size
        self._read_pool: asyncpg.Pool | None = None
        self._read_pool_opening = asyncio.Lock()

    async def fetch(self, statement: Executable) -> Sequence[Mapping[str, Any]]:
        """Rows of one read statement, on a connection of its own."""
        compiled = self.reads.compile(statement)
        if compiled is None:  # a shape asyncpg cannot take as it is (expanding IN lists, typed results)
            async with self.reader.connect() as conn:
                result = await conn.execute(statement)
                keys = list(result.keys())
                return [dict(zip(keys, row, strict=True)) for row in result]
        sql, args = compiled
        pool = self._read_pool or await self._open_read_pool()
        self.statements()
        return await pool.fetch(sql, *args)

    async def scalar(self, statement: Executable) -> Any:
        rows = await self.fetch(statement)
        return next(iter(rows[0].values())) if rows else None

    def pool_usage(self) -> dict[str, dict[str, int]]:
        """Connections of each pool, ``in_use``, ``idle`` and ``max`` (metrics: a pool at its max queues requests)."""
        reads, writes = self._read_pool, self.engine.pool
        open_reads, idle_reads = (reads.get_size(), reads.get_idle_size()) if reads is not None else (0, 0)
        return {
            "read": {"in_use": open_reads - idle_reads, "idle": idle_reads, "max": self._pool_size},
            "write": {"in_use": writes.checkedout(), "idle": writes.checkedin(), "max": 2 * self._pool_size},
        }

    async def ping(self) -> None:
        """One round trip on the read pool (readiness): raises when the database does not answer."""
        pool = self._read_pool or await self._open_read_pool()
        await pool.fetchval("SELECT 1")

    async def _open_read_pool(self) -> asyncpg.Pool:
        async with self._read_pool_opening:
            if self._read_pool is None:
                _, options = self.engine.dialect.create_connect_args(self.engine.url)
                self._read_pool = await asyncpg.create_pool(
                    **options, min_size=1, max_size=self._pool_size, init=_decode_json_with_orjson,
                    reset=_nothing_to_reset,
                )
        return self._read_pool

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[AsyncSession]:
        """A write session that commits once on success and rolls back whole on any error.

        Actions registered with ``after_commit`` (e.g. deleting stored files) run only once the
        commit succeeded, so a rollback never leaves rows pointing at missing objects.
        """
        async with self.sessionmaker() as session:
            async with session.begin():
                yield session
            for action, warning in session.info.pop(AFTER_COMMIT, []):
                try:
                    await action()
                except Exception:  # noqa: BLE001 - committed already: a warning, not an error
                    log.warning("after the commit: %s", warning, exc_info=True)
                    context = session.info.get("context")
                    if context is not None:
                        context.warnings.append({"code": "AFTER_COMMIT_FAILED", "message": warning})

    async def dispose(self) -> None:
        if self._read_pool is not None:
            await self._read_pool.close()
            self._read_pool = None
        await self.engine.dispose()


async def _decode_json_with_orjson(conn: asyncpg.Connection) -> None:
    for name in ("json", "jsonb"):
        await conn.set_type_codec(name, schema="pg_catalog", encoder=lambda v: orjson.dumps(v).decode(),
                                  decoder=orjson.loads, format="text")


async def _nothing_to_reset(_: asyncpg.Connection) -> None:
    """Read connections only ever run single SELECTs in autocommit: no session state to clear, so
    no RESET ALL round trip each time one goes back to the pool."""
