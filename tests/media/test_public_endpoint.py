"""Presigned URLs name the store as clients reach it (DINA_S3_PUBLIC_ENDPOINT_URL), while the subgraph
talks to it on another name: in docker/compose.yaml, MinIO is `minio:9000` inside and the public host outside."""

from __future__ import annotations

import httpx

from subgraphs.core.runtime.settings import Settings
from subgraphs.core.storage.storage import S3Store


async def test_presigned_urls_use_the_public_endpoint(s3_endpoint: str) -> None:
    port = s3_endpoint.rsplit(":", 1)[1]
    public = f"http://localhost:{port}"  # another name for the same server, as a client would see it
    store = S3Store(Settings(storage="s3", s3_endpoint_url=s3_endpoint, s3_public_endpoint_url=public,
                             s3_access_key_id="test", s3_secret_access_key="test"))
    url = store.upload_url("herpetology/public-endpoint.txt", "text/plain", 300)
    assert url.startswith(f"{public}/dina-media/herpetology/public-endpoint.txt?")
    assert httpx.put(url, content=b"through the public name", headers={"content-type": "text/plain"}).status_code == 200
    assert await store.read("herpetology/public-endpoint.txt") == b"through the public name"  # the internal name
    download = store.download_url("herpetology/public-endpoint.txt", 300)
    assert download.startswith(public) and httpx.get(download).content == b"through the public name"
