"""The SQL of the media schema: the only module naming its tables (lookups, cleanup scans, and the
bulk path of remote media an archive import attaches)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, Row, Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.core.data.storable import column_limits
from subgraphs.core.writes.bulk import CopyTarget, audit_target

from .models import Media, audit_log, media, object_upload

# How many characters a media record's String columns hold (imports check values first).
MEDIA_LIMITS = column_limits(media)
# What a bulk load writes of a remote media record (the file stays at its URL).
MEDIA_COPY = CopyTarget(media, ["id", "group", "created_by", "access_uri", "dc_type", "dc_format", "caption",
                                "license", "rights_holder", "source_record"])
AUDIT_COPY = audit_target(audit_log)
BULK_TABLES = (media, audit_log)


def copy_target(columns: list[str]) -> CopyTarget:
    """Those columns of the media table as a COPY target (bulk loads)."""
    return CopyTarget(media, columns)


async def media_by_ids(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, Media]:
    """Media records by id (exports)."""
    if not ids:
        return {}
    return {m.id: m for m in await session.scalars(select(Media).where(Media.id.in_(ids)))}


async def stored_file(session: AsyncSession, media_id: uuid.UUID,
                      visible: Callable[[Table], ColumnElement[bool]]) -> Row[Any] | None:
    """The object key and media type of a media record the caller may read (``visible``), if any."""
    return (await session.execute(select(media.c.object_key, media.c.dc_format)
                                  .where(media.c.id == media_id, visible(media)))).first()


async def original_checksums(session: AsyncSession) -> list[tuple[str, str]]:
    """(object key, sha256) of every stored original."""
    rows = await session.execute(select(media.c.object_key, media.c.sha256).where(media.c.object_key.is_not(None)))
    return [tuple(row) for row in rows]


async def known_object_keys(session: AsyncSession) -> set[str]:
    """Every object key a Media record (original or derivative) or a pending upload points at."""
    known: set[str] = set()
    for key, derivatives in await session.execute(select(media.c.object_key, media.c.derivatives)):
        known.update(k for k in [key, *(d["key"] for d in derivatives or [])] if k)
    known.update(await session.scalars(select(object_upload.c.object_key)))
    return known
