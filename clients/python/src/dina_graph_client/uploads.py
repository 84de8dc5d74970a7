"""The media upload flow: createUpload (size and sha256 announced), PUT the bytes, completeUpload (checked)."""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import TransportError

if TYPE_CHECKING:
    from .client import Client

CHUNK = 1 << 20
CREATE = """mutation($input: CreateUploadInput!) { createUpload(input: $input) {
  upload { id uploadUrl method } errors { field code message } } }"""
COMPLETE = """mutation($input: CompleteUploadInput!) { completeUpload(input: $input) {
  media { id dcType dcFormat sha256 sizeBytes caption url thumbnailUrl } errors { field code message } } }"""
SAMPLE = "query($id: ID!) { materialSample(id: $id) { id version attachments { id } } }"
ATTACH = """mutation($input: UpdateMaterialSampleInput!) { updateMaterialSample(input: $input) {
  materialSample { id } errors { field code message } } }"""


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            yield chunk


def upload(client: Client, path: Path, group: str, subject: str | None, metadata: dict[str, Any]) -> dict[str, Any]:
    """The Media record made of ``path``'s bytes (streamed, never read whole into memory)."""
    media_type = metadata.pop("media_type", None) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    created = client.mutate(CREATE, group=group, filename=path.name, mediaType=media_type,
                            size=path.stat().st_size, sha256=sha256(path))["upload"]
    size = {"content-length": str(path.stat().st_size)}
    response = client.http.request(created["method"], created["uploadUrl"], content=_chunks(path),
                                   headers={"content-type": media_type, **size})
    if response.status_code >= 300:
        raise TransportError(f"the upload URL answered {response.status_code}: {response.text[:200]}",
                             f"HTTP_{response.status_code}")
    media: dict[str, Any] = client.mutate(COMPLETE, uploadId=created["id"], **metadata)["media"]
    if subject:
        sample = client.query(SAMPLE, {"id": subject})["materialSample"]
        attachments = [a["id"] for a in sample["attachments"]] + [media["id"]]
        client.mutate(ATTACH, id=subject, version=sample["version"], attachmentIds=attachments)
    return media
