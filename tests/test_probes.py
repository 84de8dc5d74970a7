"""`/health` (alive) and `/ready` (the database and the object store answer), with the object store
really stopped and started again, and with a database that is not there."""

from __future__ import annotations

from pathlib import Path

import boto3
import httpx
from moto.server import ThreadedMotoServer

from .conftest import ISSUER, SubgraphServer, free_port

READY = (200, {"status": "ready", "checks": {"database": "ok", "objectStore": "ok"}})


def probe(server: SubgraphServer, path: str) -> tuple[int, dict]:
    response = httpx.get(f"http://127.0.0.1:{server.port}{path}", timeout=30)
    return response.status_code, response.json()


def s3_on(port: int) -> ThreadedMotoServer:
    """moto's S3 server on ``port`` (its buckets live in this process, so a restart finds them again)."""
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    moto.start()
    return moto


def test_ready_follows_the_object_store(database_url: str, tmp_path: Path) -> None:
    s3_port, port = free_port(), free_port()
    endpoint = f"http://127.0.0.1:{s3_port}"
    moto = s3_on(s3_port)
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test",
                 aws_secret_access_key="test").create_bucket(Bucket="dina-ready")
    settings = ISSUER.settings(subgraph_port=port, data_dir=tmp_path, storage="s3", s3_bucket="dina-ready",
                               s3_endpoint_url=endpoint, s3_access_key_id="test", s3_secret_access_key="test")
    try:
        with SubgraphServer(database_url, port, settings) as server:
            up = probe(server, "/ready")
            moto.stop()
            down, alive = probe(server, "/ready"), probe(server, "/health")
            moto = s3_on(s3_port)
            back = probe(server, "/ready")
    finally:
        moto.stop()
    assert up == READY
    assert down[0] == 503 and down[1]["status"] == "not ready"
    assert down[1]["checks"]["database"] == "ok"
    assert down[1]["checks"]["objectStore"].startswith("unavailable"), down
    assert alive[0] == 200 and alive[1]["status"] == "ok"  # alive all along: not restarted, only out of rotation
    assert back == READY


def test_a_missing_bucket_or_database_is_not_ready(tmp_path: Path) -> None:
    s3_port, port = free_port(), free_port()
    moto = s3_on(s3_port)
    settings = ISSUER.settings(subgraph_port=port, data_dir=tmp_path, storage="s3", s3_bucket="never-created",
                               s3_endpoint_url=f"http://127.0.0.1:{s3_port}", s3_access_key_id="test",
                               s3_secret_access_key="test")
    try:
        with SubgraphServer("postgresql://postgres@127.0.0.1:5432/dina_no_such_database", port, settings) as server:
            status, body = probe(server, "/ready")
            alive = probe(server, "/healthz")
    finally:
        moto.stop()
    assert status == 503
    assert body["checks"]["database"].startswith("unavailable") and body["checks"]["objectStore"].startswith("unavailable")
    assert alive[0] == 200


def test_ready_with_the_filesystem_store(subgraphs: SubgraphServer) -> None:
    assert probe(subgraphs, "/ready") == READY
