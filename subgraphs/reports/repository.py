"""The only module naming the reports schema's tables."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.core.base.ids import parse_uuid
from subgraphs.core.data.db import Database
from subgraphs.core.data.loaders import Visibility

from .models import ReportJob, ReportTemplate, audit_log

report_template = ReportTemplate.__table__
report_job = ReportJob.__table__
template_audit_log = audit_log


async def find_template(session: AsyncSession, key: str, visible: Visibility) -> ReportTemplate | None:
    """A template the caller may read, by id or by name (the newest of that name when several groups
    have one: a user's copy made after the built-in wins)."""
    template_id: uuid.UUID | None = parse_uuid(key)
    condition = or_(ReportTemplate.id == template_id, ReportTemplate.name == key) if template_id else \
        ReportTemplate.name == key
    return await session.scalar(select(ReportTemplate).where(condition, visible(report_template))
                                .order_by(ReportTemplate.created_on.desc(), ReportTemplate.id.desc()).limit(1))


async def name_taken(session: AsyncSession, group: str, name: str, except_id: uuid.UUID | None) -> bool:
    """Whether ``group`` already has another template called ``name`` (names are unique per group)."""
    found = await session.scalar(select(ReportTemplate.id).where(
        ReportTemplate.group == group, ReportTemplate.name == name, ReportTemplate.id != except_id
        if except_id else ReportTemplate.name == name))
    return found is not None


async def set_job(db: Database, job_id: uuid.UUID, **values: Any) -> None:
    """Record a job's progress or outcome, in a transaction of its own (the runner is the row's only writer)."""
    async with db.engine.begin() as conn:
        await conn.execute(update(report_job).where(report_job.c.id == job_id).values(**values))
