"""Media under attack and faults: spent upload URLs, pixel floods, a store failing after the commit,
altered originals, S3 down."""

from __future__ import annotations

import hashlib
import io
import os
import struct
import subprocess
import sys
import uuid
import zlib

import boto3
import httpx
import pytest
from moto.server import ThreadedMotoServer
from PIL import Image
from sqlalchemy import select

from subgraphs.core.data.db import Database
from subgraphs.core.storage.storage import object_store
from subgraphs.media.models import media
from subgraphs.media.service import altered, orphans

from ..conftest import ISSUER, SubgraphServer, free_port, graphql
from .conftest import COMPLETE_UPLOAD, CREATE_UPLOAD, MediaServer, photo, upload

DELETE_MEDIA = """mutation($i: DeleteInput!) { deleteMedia(input: $i) { media { id } errors { code } } }"""


def _created(url: str, content: bytes, media_type: str = "image/jpeg") -> dict:
    return graphql(url, CREATE_UPLOAD, {"input": {
        "group": "herpetology", "filename": "x", "mediaType": media_type, "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest()}})["data"]["createUpload"]["upload"]


def test_an_upload_url_is_spent_once_the_upload_is_complete(media_server: MediaServer) -> None:
    # Before: the URL still worked after completeUpload, so its holder could replace the verified
    # original (HTML served as image/png, the stored sha256 no longer matching).
    content = photo("gecko-foot-malaysia.jpg")
    created = _created(media_server.url, content)
    assert httpx.put(created["uploadUrl"], content=content, headers={"content-type": "image/jpeg"}).status_code in (200, 201)
    completed = graphql(media_server.url, COMPLETE_UPLOAD, {"input": {"uploadId": created["id"]}})
    record = completed["data"]["completeUpload"]["media"]

    again = httpx.put(created["uploadUrl"], content=b"<html>evil</html>", headers={"content-type": "image/jpeg"})

    if media_server.backend == "filesystem":  # our own route knows the upload is complete
        assert again.status_code == 410 and again.json()["errors"][0]["extensions"]["code"] == "UPLOAD_URL_SPENT"
    # Either way the verified original is another object, which the URL never wrote to.
    served = httpx.get(record["url"], timeout=30)
    assert hashlib.sha256(served.content).hexdigest() == record["sha256"] == hashlib.sha256(content).hexdigest()


def _png_header_claiming(width: int, height: int) -> bytes:
    """A small real PNG whose header announces ``width``×``height`` (its data would not fill it)."""
    out = io.BytesIO()
    Image.new("1", (8, 8)).save(out, "PNG")
    data = bytearray(out.getvalue())
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(data)


def test_a_pixel_flood_is_refused_from_its_header(media_server: MediaServer) -> None:
    # Before: a 225-megapixel PNG of a few hundred KB was decoded (+2 GB per completeUpload); Pillow
    # refused only at twice its MAX_IMAGE_PIXELS (400 MP).
    result = media_server.upload(_png_header_claiming(15_000, 15_000), filename="flood.png", media_type="image/png")
    assert result["media"] is None
    assert [e["code"] for e in result["errors"]] == ["IMAGE_TOO_LARGE"]
    assert "225,000,000 pixels; the limit is 200,000,000" in result["errors"][0]["message"]


async def test_a_store_failing_after_the_delete_committed_is_a_warning(
        db: Database, media_server: MediaServer, monkeypatch: pytest.MonkeyPatch) -> None:
    # Before: the committed delete was reported as an error, and its files stayed behind for good.
    record = media_server.upload(photo("gecko-foot-malaysia.jpg"))["media"]
    store = object_store(media_server.subgraphs.settings)

    async def down(_: str) -> None:
        raise ConnectionError("store down")

    with monkeypatch.context() as patch:
        patch.setattr(store, "delete", down)
        response = httpx.post(media_server.url, json={"query": DELETE_MEDIA, "variables": {
            "i": {"id": record["id"], "version": 1}}}, headers={"authorization": f"Bearer {ISSUER.token('herpetology/admin')}"})
    body = response.json()
    assert body["data"]["deleteMedia"] == {"media": {"id": record["id"]}, "errors": []}
    assert [w["code"] for w in body["extensions"]["warnings"]] == ["AFTER_COMMIT_FAILED"]
    async with db.unit_of_work() as session:
        left = await orphans(session, store)
    assert sum(record["id"] in key for key in left) == 2  # its derivatives: the next media-cleanup removes them


async def test_media_cleanup_verify_finds_an_altered_original(db: Database, media_server: MediaServer) -> None:
    record = media_server.upload(photo("gecko-foot-malaysia.jpg"))["media"]
    store = object_store(media_server.subgraphs.settings)
    async with db.unit_of_work() as session:  # (other modules' records live in other stores: "missing" here)
        key = await session.scalar(select(media.c.object_key).where(media.c.id == uuid.UUID(record["id"])))

        async def problems() -> list[str]:
            return [problem for problem in await altered(session, store) if problem.startswith(key)]

        assert await problems() == []
        await store.put(key, b"<html>other bytes</html>", "image/jpeg")
        assert await problems() == [f"{key}: sha256 differs from the one recorded"]
        await store.delete(key)
        assert await problems() == [f"{key}: missing"]


def test_s3_down_is_storage_unavailable(database_url: str, tmp_path) -> None:  # noqa: ANN001
    # Before: completeUpload gave an untyped error and media-cleanup a traceback.
    s3_port, port = free_port(), free_port()
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=s3_port, verbose=False)
    moto.start()
    endpoint = f"http://127.0.0.1:{s3_port}"
    s3 = {"storage": "s3", "s3_endpoint_url": endpoint, "s3_access_key_id": "test", "s3_secret_access_key": "test"}
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test",
                 aws_secret_access_key="test").create_bucket(Bucket="dina-media")
    content = photo("gecko-foot-malaysia.jpg")
    with SubgraphServer(database_url, port, ISSUER.settings(subgraph_port=port, data_dir=tmp_path, **s3)) as server:
        working = upload(server.url("media"), content)
        created = _created(server.url("media"), content)
        httpx.put(created["uploadUrl"], content=content, headers={"content-type": "image/jpeg"})
        moto.stop()
        completed = graphql(server.url("media"), COMPLETE_UPLOAD, {"input": {"uploadId": created["id"]}})
        deleted = graphql(server.url("media"), DELETE_MEDIA, {"i": {"id": working["media"]["id"], "version": 1}})
    assert [e["code"] for e in completed["data"]["completeUpload"]["errors"]] == ["STORAGE_UNAVAILABLE"]
    assert deleted["data"]["deleteMedia"]["errors"] == []  # committed; the files wait for media-cleanup
    cleanup = subprocess.run(
        [sys.executable, "-m", "subgraphs.cli", "media-cleanup"], capture_output=True, text=True, timeout=120,
        env={**os.environ, "DATABASE_URL": database_url, "DINA_STORAGE": "s3", "DINA_S3_ENDPOINT_URL": endpoint,
             "DINA_S3_ACCESS_KEY_ID": "test", "DINA_S3_SECRET_ACCESS_KEY": "test", "DINA_DATA_DIR": str(tmp_path)})
    assert cleanup.returncode == 2, cleanup.stderr
    assert "media store is unavailable" in cleanup.stderr and "Traceback" not in cleanup.stderr
