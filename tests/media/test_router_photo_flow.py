"""A client's whole photo workflow through the real router."""

from __future__ import annotations

import hashlib
import io

import httpx
from PIL import Image

from ..conftest import graphql, mutate
from .conftest import COMPLETE_UPLOAD, CREATE_UPLOAD, photo


def test_upload_attach_query_download(router: str) -> None:
    content = photo("gecko-foot-malaysia.jpg")
    person = mutate(router, """mutation($input: CreatePersonInput!) { createPerson(input: $input) {
      person { id } errors { code message field } } }""", group="herpetology", displayName="Tony Iwane")
    upload = mutate(router, CREATE_UPLOAD, group="herpetology", filename="gecko-foot-malaysia.jpg",
                    mediaType="image/jpeg", size=len(content), sha256=hashlib.sha256(content).hexdigest())
    assert httpx.put(upload["uploadUrl"], content=content, headers={"content-type": "image/jpeg"}).status_code == 201
    media = mutate(router, COMPLETE_UPLOAD, uploadId=upload["id"], caption="Gecko foot", creatorId=person["id"],
                   license="https://creativecommons.org/licenses/by/4.0/")
    sample = mutate(router, """mutation($input: CreateMaterialSampleInput!) { createMaterialSample(input: $input) {
      materialSample { id } errors { code message field } } }""", group="herpetology",
                    materialSampleName="GEKKO-1", attachmentIds=[media["id"]])

    body = graphql(router, """query($id: ID!) { materialSample(id: $id) {
      materialSampleName attachments { caption thumbnailUrl creator { displayName } subjects { materialSampleName } }
    } }""", {"id": sample["id"]})

    (attachment,) = body["data"]["materialSample"]["attachments"]
    assert attachment["caption"] == "Gecko foot"
    assert attachment["creator"] == {"displayName": "Tony Iwane"}
    assert attachment["subjects"] == [{"materialSampleName": "GEKKO-1"}]
    thumbnail = httpx.get(attachment["thumbnailUrl"])
    assert thumbnail.status_code == 200 and thumbnail.headers["content-type"] == "image/jpeg"
    assert Image.open(io.BytesIO(thumbnail.content)).size == (100, 55)  # already smaller than 256
