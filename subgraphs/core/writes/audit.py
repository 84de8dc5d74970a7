"""Every write leaves an audit row in its subgraph's schema: who, when, what, and a JSON snapshot."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import strawberry
from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    func,
    insert,
    inspect,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.scalars import JSON

from subgraphs.core.data.db import RecordMixin


def audit_log_table(metadata: MetaData) -> Table:
    """The audit table of one subgraph schema (call once from its models.py)."""
    return Table(
        "audit_log", metadata,
        Column("id", BigInteger, primary_key=True, autoincrement=True),
        Column("record_type", String(100), nullable=False),
        Column("record_id", UUID(as_uuid=True), nullable=False),
        Column("version", Integer, nullable=False),
        Column("operation", String(10), nullable=False),
        Column("actor", String(200), nullable=False),
        Column("at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("snapshot", JSONB, nullable=False),
        Index(None, "record_id", "version"),
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return None  # binary payloads (e.g. compressed residues) are not snapshotted
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def snapshot_of(values: dict[str, Any]) -> dict[str, Any]:
    """The snapshot of a record inserted from ``values`` without an ORM object (bulk imports)."""
    return {key: _jsonable(value) for key, value in values.items()}


def snapshot(record: RecordMixin) -> dict[str, Any]:
    """The record's columns, less derived search vectors and bulky columns a model leaves out
    (``__audit_exclude__``; their checksums stay in the snapshot)."""
    skipped = {"search_vector", *getattr(record, "__audit_exclude__", ())}
    return {attr.key: _jsonable(attr.value) for attr in inspect(record).attrs if attr.key not in skipped}


# session.info key: while set (a bulk write), audit rows wait there, by table, for one INSERT each.
AUDIT_BATCH = "audit_batch"


async def write_audit(
    session: AsyncSession, record: RecordMixin, operation: str, actor: str
) -> None:
    table = record.__table__.metadata.tables[f"{record.__table__.schema}.audit_log"]
    row = {"record_type": type(record).__name__, "record_id": record.id, "version": record.version,
           "operation": operation, "actor": actor, "snapshot": snapshot(record)}
    if (batch := session.info.get(AUDIT_BATCH)) is not None:
        batch.setdefault(table, []).append(row)
    else:
        await session.execute(insert(table).values(row))


async def write_audit_batch(session: AsyncSession) -> None:
    """The audit rows collected since ``session.info[AUDIT_BATCH]`` was set, in one INSERT a table."""
    for table, rows in session.info.pop(AUDIT_BATCH, {}).items():
        await session.execute(insert(table), rows)


@strawberry.federation.type(shareable=True, description="One version of a record, from the audit log.")
class AuditEntry:
    version: int
    operation: str = strawberry.field(description="create, update or delete.")
    actor: str
    at: dt.datetime
    snapshot: JSON = strawberry.field(description="The record's fields after this operation.")
