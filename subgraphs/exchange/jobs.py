"""Import jobs: a Darwin Core Archive uploaded as Media, imported in the background, its report kept.

The import itself is the same all-or-nothing transaction as `dina-graph import dwca`; the job row
records its progress (queued → running → succeeded/failed) in transactions of its own, so a
failed import leaves a readable reason and no half-written records.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import tempfile
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.core.base.errors import ClientError, ErrorCode
from subgraphs.core.data.db import Database, after_commit
from subgraphs.core.data.loaders import Visibility
from subgraphs.core.security.auth import Principal
from subgraphs.core.security.permissions import check_write
from subgraphs.core.storage.storage import ObjectStore
from subgraphs.core.writes.service import add_record, update_record
from subgraphs.media import repository as media_repository

from . import repository
from .dwca.importer import ArchiveError, DwcaReport, import_archive
from .models import ImportJob

log = logging.getLogger("dina.jobs")
ARCHIVE_TYPES = {"application/zip"}
HEARTBEAT = dt.timedelta(seconds=10)
# A queued or running job not heard from for this long was interrupted (its process stopped).
STALE_AFTER = 6 * HEARTBEAT
# Jobs running in this process; asyncio keeps only weak references to tasks.
_running: set[asyncio.Task[None]] = set()


async def start_dwca_import(
    session: AsyncSession, store: ObjectStore, db: Database, *, principal: Principal | None, visible: Visibility,
    actor: str, group: str, media_id: uuid.UUID,
) -> ImportJob:
    """Record a queued job for an uploaded archive; it starts once this transaction commits."""
    check_write(principal, None, {"group": group})
    source = await media_repository.stored_file(session, media_id, visible)
    if source is None:
        raise ClientError(ErrorCode.NOT_FOUND, f"No media {media_id}.", "mediaId")
    if source.object_key is None or source.dc_format not in ARCHIVE_TYPES:
        raise ClientError(ErrorCode.BAD_USER_INPUT, f"Media {media_id} is {source.dc_format}, not an uploaded "
                          "zip archive.", "mediaId")
    job = await add_record(session, ImportJob, actor=actor, group=group, kind="dwca", status="queued",
                           source_media_id=media_id)

    async def launch() -> None:
        task = asyncio.create_task(run_dwca_import(db, store, job.id, job.version, source.object_key, group=group,
                                                   actor=actor))
        _running.add(task)
        task.add_done_callback(_running.discard)

    after_commit(session, launch, "The import job was queued but could not be started; it stays queued.")
    return job


async def run_dwca_import(db: Database, store: ObjectStore, job_id: uuid.UUID, version: int, key: str, *,
                          group: str, actor: str) -> None:
    """Import the archive stored at ``key`` for the job at ``version`` (as queued), recording each step."""
    version = await _set(db, job_id, version, status="running", heartbeat_on=_now())
    beating = asyncio.create_task(_heartbeat(db, job_id))
    try:
        content = await store.read(key)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "archive.zip"
            path.write_bytes(content)
            report = await import_archive(db, path, group=group, actor=actor)
    except ArchiveError as error:
        outcome: dict[str, Any] = {"status": "failed", "error": f"Nothing imported: {error}."}
    except Exception:
        log.exception("import job %s failed", job_id)
        outcome = {"status": "failed", "error": f"Nothing imported: an unexpected error, logged with job id {job_id}."}
    else:
        outcome = {"status": "succeeded", "report": report_json(report)}
    finally:
        beating.cancel()
    await _set(db, job_id, version, finished_on=_now(), **outcome)
    log.info("import job %s %s", job_id, outcome["status"])


async def _heartbeat(db: Database, job_id: uuid.UUID) -> None:
    """Tell readers the job is alive (in a transaction of its own: the import's is still open)."""
    while True:
        await asyncio.sleep(HEARTBEAT.total_seconds())
        try:
            async with db.engine.begin() as conn:
                await repository.record_heartbeat(conn, job_id)
        except Exception as error:  # noqa: BLE001 - a missed beat is retried; the import goes on
            log.warning("import job %s: heartbeat not recorded (%s)", job_id, error)


def interrupted(status: str, heartbeat_on: dt.datetime | None, created_on: dt.datetime) -> bool:
    """Whether a job that says it is queued or running has not been heard from for too long."""
    return status in ("queued", "running") and _now() - (heartbeat_on or created_on) > STALE_AFTER


def report_json(report: DwcaReport) -> dict[str, Any]:
    return {"core": report.core, "rows": report.rows, "imported": report.imported, "unchanged": report.unchanged,
            "media": report.media, "events": report.events, "determinations": report.determinations,
            "measurements": report.measurements,
            "defects": [{"file": d.file, "row": d.row, "reason": d.reason} for d in report.defects],
            "flags": [{"file": f.file, "row": f.row, "term": f.term, "value": f.value, "issue": str(f.issue)}
                      for f in report.flags]}


async def _set(db: Database, job_id: uuid.UUID, version: int, **changes: Any) -> int:
    """Write a status change (audited) and return the job's new version. The runner is the only
    writer of its job's version, so it passes the one it knows: the row is locked and read once."""
    async with db.unit_of_work() as session:
        job = await update_record(session, ImportJob, job_id, version, actor="system:import-job", **changes)
        return job.version


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
