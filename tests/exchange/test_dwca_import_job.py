"""DwC-A import jobs through the router: upload the archive as Media, start the job, poll its report."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, insert, select

from subgraphs.core.base.ids import uuid7
from subgraphs.core.data.db import Database
from subgraphs.core.storage.storage import FilesystemStore, UrlSigner
from subgraphs.core.writes.service import add_record
from subgraphs.exchange.jobs import run_dwca_import
from subgraphs.exchange.models import ImportJob, audit_log, import_job

from ..conftest import ISSUER, graphql, mutate, table_counts, truncate_all
from ..media.conftest import photo, upload
from .test_dwca import DWCA

pytestmark = pytest.mark.skipif(not DWCA.is_dir(), reason="needs ../shared/data/dwca")

START = """mutation($input: StartDwcaImportInput!) { startDwcaImport(input: $input) {
  job { id status kind group sourceMediaId } errors { code message field } } }"""
JOB = """query($id: ID!) { importJob(id: $id) {
  id status rows imported unchanged mediaCreated defects { file row reason }
  flags { file row term value issue } error createdBy finishedOn heartbeatOn } }"""


def uploaded(router: str, content: bytes, filename: str, media_type: str) -> str:
    completed = upload(router, content, filename=filename, media_type=media_type)
    assert completed["errors"] == [], completed
    return completed["media"]["id"]


def finished_job(router: str, job_id: str, token: str) -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job = graphql(router, JOB, {"id": job_id}, token=token)["data"]["importJob"]
        if job["status"] in ("SUCCEEDED", "FAILED"):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} still {job['status']} after 60 s")


async def test_uploaded_archive_is_imported_by_a_job(db: Database, router: str) -> None:
    await truncate_all(db)
    curator = ISSUER.token("herpetology/user", subject="curator")
    media_id = uploaded(router, (DWCA / "gbif-occurrence-download-2013.zip").read_bytes(), "gbif.zip",
                      "application/zip")

    started = graphql(router, START, {"input": {"group": "herpetology", "mediaId": media_id}}, token=curator)
    job = started["data"]["startDwcaImport"]
    assert job["errors"] == []
    assert job["job"]["status"] in ("QUEUED", "RUNNING", "SUCCEEDED")
    assert (job["job"]["kind"], job["job"]["sourceMediaId"]) == ("dwca", media_id)

    done = finished_job(router, job["job"]["id"], curator)
    assert (done["status"], done["rows"], done["imported"], done["unchanged"], done["defects"], done["error"]) == (
        "SUCCEEDED", 158, 158, 0, [], None)
    assert done["createdBy"] == "curator" and done["finishedOn"] and done["heartbeatOn"]
    assert len(done["flags"]) == 9 and {"file": "occurrence.txt", "row": 155, "term": "dwc:year/month/day",
                                        "value": "year=1888 day=0", "issue": "RECORDED_DATE_INVALID"} in done["flags"]
    assert (await table_counts(db))["collection.material_sample"] == 158


async def test_unreadable_archive_fails_the_job_and_writes_nothing(db: Database, router: str) -> None:
    archive = (DWCA / "gbif-occurrence-download-2013.zip").read_bytes()
    media_id = uploaded(router, archive[: len(archive) // 2], "truncated.zip", "application/zip")
    before = await table_counts(db)

    started = mutate(router, START, group="herpetology", mediaId=media_id)
    done = finished_job(router, started["id"], ISSUER.token("herpetology/user"))

    assert done["status"] == "FAILED" and done["imported"] == 0
    assert done["error"].startswith("Nothing imported: archive.zip is not a readable zip archive")
    after = await table_counts(db)
    job_tables = ("exchange.import_job", "exchange.audit_log")  # the job's own record
    assert {k: v for k, v in after.items() if k not in job_tables} == {
        k: v for k, v in before.items() if k not in job_tables}


def test_a_job_needs_a_zip_media_and_a_role_in_the_group(router: str) -> None:
    photo_id = uploaded(router, photo("gecko-foot-malaysia.jpg"), "gecko.jpg", "image/jpeg")
    not_zip = graphql(router, START, {"input": {"group": "herpetology", "mediaId": photo_id}})
    unknown = graphql(router, START, {"input": {"group": "herpetology", "mediaId": "0" * 8 + "-0000-7000-8000-" + "0" * 12}})
    bad_id = graphql(router, START, {"input": {"group": "herpetology", "mediaId": "nope"}})
    reader = graphql(router, START, {"input": {"group": "herpetology", "mediaId": photo_id}},
                     token=ISSUER.token("herpetology/read-only"))

    def error(body: dict) -> tuple[str, str | None]:
        payload = body["data"]["startDwcaImport"]
        assert payload["job"] is None
        (only,) = payload["errors"]
        return only["code"], only["field"]

    assert error(not_zip) == ("BAD_USER_INPUT", "mediaId")
    assert error(unknown) == ("NOT_FOUND", "mediaId")
    assert error(bad_id) == ("INVALID_ID", "mediaId")
    assert error(reader) == ("FORBIDDEN", "group")


async def test_a_job_whose_process_stopped_reads_as_failed(db: Database, router: str) -> None:
    job_id = uuid7()
    async with db.engine.begin() as conn:  # a job some process was running when it died
        await conn.execute(insert(import_job).values(
            id=job_id, group="herpetology", created_by="curator", kind="dwca", status="running",
            created_on=func.now() - dt.timedelta(minutes=10), heartbeat_on=func.now() - dt.timedelta(minutes=5)))

    job = graphql(router, JOB, {"id": str(job_id)})["data"]["importJob"]

    assert job["status"] == "FAILED"
    assert job["error"].startswith("Interrupted: the process running the job stopped before it finished")


async def test_each_status_write_locks_the_job_row_once_and_is_audited(db: Database, tmp_path: Path) -> None:
    store = FilesystemStore(tmp_path, "http://files.test", UrlSigner(b"test"))
    await store.put("g/archive.zip", (DWCA / "gbif-simple-csv-download-lactoria.zip").read_bytes(), "application/zip")
    async with db.unit_of_work() as session:
        job = await add_record(session, ImportJob, actor="curator", group="g", kind="dwca", status="queued")
    locks: list[str] = []

    def lock_of_the_job(*args: Any) -> None:
        statement = args[2]
        if "FOR UPDATE" in statement and "import_job" in statement:
            locks.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", lock_of_the_job)
    try:
        await run_dwca_import(db, store, job.id, job.version, "g/archive.zip", group="g", actor="curator")
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", lock_of_the_job)

    assert len(locks) == 2  # running, then succeeded
    async with db.engine.connect() as conn:
        history = (await conn.execute(
            select(audit_log.c.version, audit_log.c.operation, audit_log.c.actor, audit_log.c.snapshot["status"].astext)
            .where(audit_log.c.record_id == job.id).order_by(audit_log.c.version))).all()
    assert [tuple(row) for row in history] == [
        (1, "create", "curator", "queued"), (2, "update", "system:import-job", "running"),
        (3, "update", "system:import-job", "succeeded")]
