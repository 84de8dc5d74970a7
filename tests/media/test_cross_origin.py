"""A web app on another origin can PUT an upload to its signed URL and show the files it gets back."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from ..conftest import ISSUER, SubgraphServer, free_port, graphql
from .conftest import CREATE_UPLOAD, photo, upload

APP = "http://app.test:5173"


@pytest.fixture(scope="module")
def media(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SubgraphServer]:
    port = free_port()
    settings = ISSUER.settings(subgraph_port=port, data_dir=tmp_path_factory.mktemp("cors"), cors_origins=APP)
    with SubgraphServer(database_url, port, settings) as server:
        yield server


def test_preflight_of_a_signed_upload_is_allowed(media: SubgraphServer) -> None:
    created = graphql(media.url("media"), CREATE_UPLOAD, {"input": {
        "group": "herpetology", "filename": "a.jpg", "mediaType": "image/jpeg", "size": 3, "sha256": "0" * 64}})
    url = created["data"]["createUpload"]["upload"]["uploadUrl"]

    allowed = httpx.options(url, headers={"origin": APP, "access-control-request-method": "PUT",
                                          "access-control-request-headers": "content-type"})
    other = httpx.options(url, headers={"origin": "http://elsewhere.test", "access-control-request-method": "PUT"})

    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == APP
    assert "PUT" in allowed.headers["access-control-allow-methods"]
    assert "access-control-allow-credentials" not in allowed.headers
    assert other.status_code == 400 and "access-control-allow-origin" not in other.headers


def test_thumbnail_get_carries_the_allowed_origin(media: SubgraphServer) -> None:
    media_record = upload(media.url("media"), photo("gecko-foot-malaysia.jpg"))["media"]

    thumbnail = httpx.get(media_record["thumbnailUrl"], headers={"origin": APP})

    assert thumbnail.status_code == 200 and thumbnail.headers["content-type"] == "image/jpeg"
    assert thumbnail.headers["access-control-allow-origin"] == APP
