"""The media tests run twice: against the filesystem store and against a real S3 server over HTTP."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import boto3
import httpx
import pytest
from moto.server import ThreadedMotoServer

from ..conftest import ISSUER, REPO, SubgraphServer, free_port, graphql

PHOTOS = REPO.parent / "shared" / "data" / "media"
if not PHOTOS.is_dir():  # a checkout without ../shared: the same photos ship with the demo data
    PHOTOS = REPO / "subgraphs" / "exchange" / "demo_data"

CREATE_UPLOAD = """mutation($input: CreateUploadInput!) { createUpload(input: $input) {
  upload { id uploadUrl method } errors { code message field } } }"""
COMPLETE_UPLOAD = """mutation($input: CompleteUploadInput!) { completeUpload(input: $input) {
  media { id dcType dcFormat sha256 sizeBytes width height exif tags rightsHolder digitizationDate
          derivatives { variant width height dcFormat url } thumbnailUrl url }
  errors { code message field } } }"""


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """moto's S3 server, over real HTTP on loopback."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test",
                 aws_secret_access_key="test").create_bucket(Bucket="dina-media")
    yield endpoint
    server.stop()


@dataclass
class MediaServer:
    subgraphs: SubgraphServer
    backend: str

    @property
    def url(self) -> str:
        return self.subgraphs.url("media")

    def upload(self, content: bytes, **options: object) -> dict:
        return upload(self.url, content, **options)  # type: ignore[arg-type]


def upload(url: str, content: bytes, *, filename: str = "photo.jpg", media_type: str = "image/jpeg",
           size: int | None = None, sha256: str | None = None, body: bytes | None = None, **metadata: object) -> dict:
    """createUpload, PUT the bytes to the returned URL, completeUpload: what a client does (``url``: a
    media subgraph or the router). Returns the completeUpload payload, or createUpload's when it failed."""
    created = graphql(url, CREATE_UPLOAD, {"input": {
        "group": "herpetology", "filename": filename, "mediaType": media_type,
        "size": len(content) if size is None else size,
        "sha256": sha256 or hashlib.sha256(content).hexdigest()}})["data"]["createUpload"]
    if created["errors"]:
        return created
    put = httpx.put(created["upload"]["uploadUrl"], content=content if body is None else body,
                    headers={"content-type": media_type}, timeout=30)
    assert put.status_code in (200, 201), put.text
    completed = graphql(url, COMPLETE_UPLOAD, {"input": {"uploadId": created["upload"]["id"], **metadata}})
    return completed["data"]["completeUpload"]


@pytest.fixture(scope="module", params=["filesystem", "s3"])
def media_server(request: pytest.FixtureRequest, database_url: str, tmp_path_factory: pytest.TempPathFactory,
                 s3_endpoint: str) -> Iterator[MediaServer]:
    port = free_port()
    backend = request.param
    settings = ISSUER.settings(
        subgraph_port=port, data_dir=tmp_path_factory.mktemp(f"media-{backend}"), storage=backend,
        s3_endpoint_url=s3_endpoint, s3_access_key_id="test", s3_secret_access_key="test",
        max_upload_bytes=200_000,
    )
    with SubgraphServer(database_url, port, settings) as server:
        yield MediaServer(server, backend)


def photo(name: str) -> bytes:
    return Path(PHOTOS / name).read_bytes()
