"""The SQL of the exchange schema (import jobs): the only module of exchange naming its table."""

from __future__ import annotations

import uuid

from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import AsyncConnection

from .models import import_job


async def record_heartbeat(conn: AsyncConnection, job_id: uuid.UUID) -> None:
    """The job was heard from now."""
    await conn.execute(update(import_job).where(import_job.c.id == job_id).values(heartbeat_on=func.now()))
