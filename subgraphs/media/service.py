"""Media writes: verified uploads, metadata extraction, derivatives, and cleanup of stored objects."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import mimetypes
import re
import uuid
from collections.abc import Callable
from enum import StrEnum
from typing import Any

from PIL import Image
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.core.base.errors import ClientError, ErrorCode
from subgraphs.core.base.ids import uuid7
from subgraphs.core.data.db import after_commit
from subgraphs.core.data.storable import column_limits, length_errors, nul_errors
from subgraphs.core.runtime.settings import Settings
from subgraphs.core.security.auth import Principal
from subgraphs.core.security.permissions import check_write
from subgraphs.core.storage.storage import ObjectStore, object_store
from subgraphs.core.writes.crud import EntityRules
from subgraphs.core.writes.mutations import InvalidInput
from subgraphs.core.writes.service import add_record, check_storable

from . import imaging, repository
from .models import Media, ObjectUpload


class MediaErrorCode(StrEnum):
    FORBIDDEN_MEDIA_TYPE = "FORBIDDEN_MEDIA_TYPE"
    TOO_LARGE = "TOO_LARGE"
    NOT_UPLOADED = "NOT_UPLOADED"
    SIZE_MISMATCH = "SIZE_MISMATCH"
    CHECKSUM_MISMATCH = "CHECKSUM_MISMATCH"
    NOT_AN_IMAGE = "NOT_AN_IMAGE"
    CONTENT_TYPE_MISMATCH = "CONTENT_TYPE_MISMATCH"
    CORRUPT_FILE = "CORRUPT_FILE"
    IMAGE_TOO_LARGE = "IMAGE_TOO_LARGE"


Code = MediaErrorCode
# Refusals of the file's content (the stored bytes are removed); others leave them for another try.
FILE_REFUSALS = {Code.NOT_AN_IMAGE, Code.CONTENT_TYPE_MISMATCH, Code.CORRUPT_FILE, Code.IMAGE_TOO_LARGE}
DC_TYPES = {"image": "StillImage", "video": "MovingImage", "audio": "Sound", "text": "Text"}


def allowed_types(settings: Settings) -> set[str]:
    return {t.strip() for t in settings.allowed_media_types.split(",") if t.strip()}


def _object_key(group: str, kind: str, name: str) -> str:
    return f"{group}/{kind}/{name}"


async def create_upload(
    session: AsyncSession, store: ObjectStore, settings: Settings, *, actor: str, principal: Principal | None,
    group: str, filename: str, media_type: str, size: int, sha256: str,
) -> tuple[ObjectUpload, str]:
    """Record an announced upload and return it with the URL to PUT the bytes to."""
    check_write(principal, None, {"group": group})
    errors = [*nul_errors({"filename": filename}).get("filename", ()), *length_errors(ObjectUpload, {"filename": filename})]
    if media_type not in allowed_types(settings):
        errors.append(ClientError(Code.FORBIDDEN_MEDIA_TYPE, f"{media_type!r} is not an accepted media type "
                                  f"({', '.join(sorted(allowed_types(settings)))}).", "mediaType"))
    if not 0 < size <= settings.max_upload_bytes:
        errors.append(ClientError(Code.TOO_LARGE, f"Uploads must be 1 to {settings.max_upload_bytes:,} bytes; "
                                  f"this one is {size:,}.", "size"))
    if not re.fullmatch(r"[0-9a-f]{64}", sha256.lower()):
        errors.append(ClientError(ErrorCode.BAD_USER_INPUT, "`sha256` must be 64 hexadecimal digits.", "sha256"))
    if errors:
        raise InvalidInput(errors)
    upload_id = uuid7()
    extension = mimetypes.guess_extension(media_type) or ""
    upload = await add_record(
        session, ObjectUpload, actor=actor, id=upload_id, group=group, filename=filename, media_type=media_type,
        size_bytes=size, sha256=sha256.lower(), object_key=_object_key(group, "uploads", f"{upload_id}{extension}"),
        expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=settings.url_expiry_seconds),
    )
    return upload, store.upload_url(upload.object_key, media_type, settings.url_expiry_seconds)


async def _refuse(store: ObjectStore, key: str, error: ClientError) -> None:
    await store.delete(key)
    raise error


async def _verified_content(store: ObjectStore, upload: ObjectUpload) -> bytes:
    size = await store.size(upload.object_key)
    if size is None:
        raise ClientError(Code.NOT_UPLOADED, "Nothing was uploaded for this upload yet: PUT the file to its uploadUrl.",
                          "uploadId")
    if size != upload.size_bytes:
        await _refuse(store, upload.object_key, ClientError(
            Code.SIZE_MISMATCH, f"The stored file has {size:,} bytes, not the {upload.size_bytes:,} announced; "
            "it was removed.", "uploadId"))
    content = await store.read(upload.object_key)
    if hashlib.sha256(content).hexdigest() != upload.sha256:
        await _refuse(store, upload.object_key, ClientError(
            Code.CHECKSUM_MISMATCH, "The stored file's sha256 differs from the one announced; it was removed.",
            "uploadId"))
    return content


async def _inspected(store: ObjectStore, key: str, content: bytes, declared: str) -> imaging.Inspected:
    try:
        inspected = await asyncio.to_thread(imaging.inspect, content, declared)
    except imaging.TooManyPixels as error:
        await _refuse(store, key, ClientError(Code.IMAGE_TOO_LARGE, f"{error}; it was removed.", "uploadId"))
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        await _refuse(store, key, ClientError(Code.CORRUPT_FILE, f"The file cannot be read as {declared}: {error}.",
                                              "uploadId"))
    if declared.startswith("image/") and not inspected.media_type.startswith("image/"):
        await _refuse(store, key, ClientError(Code.NOT_AN_IMAGE, f"The file was announced as {declared} but is not "
                                              "an image; it was removed.", "uploadId"))
    if inspected.media_type != declared and inspected.media_type != "application/octet-stream":
        await _refuse(store, key, ClientError(Code.CONTENT_TYPE_MISMATCH, f"The file was announced as {declared} "
                                              f"but is {inspected.media_type}; it was removed.", "uploadId"))
    return inspected


def _fitted(key: str, text: str | None) -> str | None:
    """Text read from a file's metadata, cut to what the Media column ``key`` holds (the client did not
    send it, so it is not refused: the whole text stays in ``exif``)."""
    limit = column_limits(Media).get(key)
    return text[:limit] if text and limit else text


def _taken(exif: dict[str, Any]) -> dt.datetime | None:
    """When the photo was taken, if its metadata says so as a real date (imaging keeps other text as read)."""
    try:
        return dt.datetime.fromisoformat(exif["dateTimeOriginal"]) if exif.get("dateTimeOriginal") else None
    except (TypeError, ValueError):
        return None


async def record_media(
    session: AsyncSession, store: ObjectStore, *, actor: str, group: str, key: str, content: bytes,
    media_type: str, filename: str | None, **metadata: Any,
) -> Media:
    """The Media for stored, verified bytes: EXIF/XMP, derivatives, Audubon Core fields. The client's
    ``metadata`` is refused if it does not fit; what the file's own metadata adds is made to fit (see imaging)."""
    check_storable(Media, metadata)  # before any derivative is stored
    inspected = await _inspected(store, key, content, media_type)
    media_id = uuid7()
    derivatives: list[dict[str, Any]] = []
    exif = inspected.metadata or {}
    try:
        for variant, (data, width, height) in (inspected.derivatives or {}).items():
            derivative_key = _object_key(group, "derivatives", f"{media_id}/{variant}.jpg")
            derivatives.append({"variant": variant, "key": derivative_key, "width": width, "height": height,
                                "dcFormat": "image/jpeg"})
            await store.put(derivative_key, data, "image/jpeg")
        return await add_record(
            session, Media, actor=actor, id=media_id, group=group, object_key=key, dc_format=inspected.media_type,
            dc_type=metadata.pop("dc_type", None) or DC_TYPES.get(inspected.media_type.split("/")[0], "Dataset"),
            original_filename=filename, size_bytes=len(content), sha256=hashlib.sha256(content).hexdigest(),
            exif=exif, width=inspected.width, height=inspected.height, orientation=inspected.orientation,
            derivatives=derivatives, tags=metadata.pop("tags", None) or exif.get("keywords") or [],
            rights_holder=metadata.pop("rights_holder", None) or _fitted("rights_holder", exif.get("copyright")),
            digitization_date=metadata.pop("digitization_date", None) or _taken(exif),
            **metadata,
        )
    except BaseException:
        # Refused after all (or failed): no record will point at the derivatives, so they must not stay.
        for derivative in derivatives:
            await store.delete(derivative["key"])
        raise


async def complete_upload(
    session: AsyncSession, store: ObjectStore, *, actor: str, principal: Principal | None, upload_id: uuid.UUID,
    **metadata: Any,
) -> Media:
    """Verify an upload's size and sha256, sniff its type, and only then create its Media.

    The verified bytes are stored under a key of their own: the upload URL writes only to the
    upload's key, so a client still holding it cannot replace a verified original (bytes PUT there
    afterwards are an orphan for `media-cleanup`, and the filesystem store's route refuses them)."""
    upload = await session.get(ObjectUpload, upload_id, with_for_update=True)
    if upload is None:
        raise ClientError(ErrorCode.NOT_FOUND, f"No upload {upload_id}.", "uploadId")
    check_write(principal, upload.group, {})
    content = await _verified_content(store, upload)
    key = _object_key(upload.group, "originals", upload.object_key.rsplit("/", 1)[-1])
    await store.put(key, content, upload.media_type)
    try:
        record = await record_media(session, store, actor=actor, group=upload.group, key=key, content=content,
                                    media_type=upload.media_type, filename=upload.filename, **metadata)
    except BaseException as error:
        await store.delete(key)
        if isinstance(error, ClientError) and error.code in FILE_REFUSALS:  # the bytes themselves: they go too
            await store.delete(upload.object_key)
        raise
    await session.delete(upload)
    after_commit(session, lambda: store.delete(upload.object_key),
                 "The media was recorded; its upload's copy will be removed by the next media-cleanup.")
    return record


async def ingest(session: AsyncSession, store: ObjectStore, content: bytes, *, actor: str, group: str,
                 filename: str, media_type: str, **metadata: Any) -> Media:
    """Store and record a file in one step (demo data, imports): the same checks as completeUpload."""
    key = _object_key(group, "originals", f"{uuid7()}{mimetypes.guess_extension(media_type) or ''}")
    await store.put(key, content, media_type)
    try:
        return await record_media(session, store, actor=actor, group=group, key=key, content=content,
                                  media_type=media_type, filename=filename, **metadata)
    except BaseException:
        await store.delete(key)  # unlike an upload's, no pending upload points at this original
        raise


def stored_keys(record: Media) -> list[str]:
    return [k for k in [record.object_key, *(d["key"] for d in record.derivatives or [])] if k]


def delete_objects_after_commit(session: AsyncSession, record: Any) -> None:
    """Once the delete is committed, remove the original and its derivatives from the store."""
    store = object_store(session.info["context"].settings)
    keys = stored_keys(record)

    async def remove() -> None:
        for key in keys:
            await store.delete(key)

    after_commit(session, remove, "The media was deleted; its stored files could not be removed yet and will be "
                                  "by the next media-cleanup.")


MEDIA = EntityRules(Media, on_delete=delete_objects_after_commit)


async def altered(session: AsyncSession, store: ObjectStore,
                  progress: Callable[[int, int], None] | None = None) -> list[str]:
    """Originals whose stored bytes no longer match the sha256 verified when they were recorded
    (missing ones too): what `media-cleanup --verify` reports. ``progress(read, originals)`` after each."""
    found = []
    originals = await repository.original_checksums(session)
    for done, (key, sha256) in enumerate(originals, 1):
        if progress:
            progress(done, len(originals))
        try:
            content = await store.read(key)
        except FileNotFoundError:
            found.append(f"{key}: missing")
            continue
        if hashlib.sha256(content).hexdigest() != sha256:
            found.append(f"{key}: sha256 differs from the one recorded")
    return found


async def orphans(session: AsyncSession, store: ObjectStore) -> list[str]:
    """Stored objects no Media or pending upload points at (left by crashes between store and commit)."""
    known = await repository.known_object_keys(session)
    return [key for key in await store.keys() if key not in known and not key.endswith(".part")]


async def record_remote_media(session: AsyncSession, *, actor: str, group: str, access_uri: str | None,
                              dc_format: str | None, **metadata: Any) -> Media:
    """A Media record for a file that stays where it is (ac:accessURI), e.g. from an archive's multimedia rows."""
    return await add_record(session, Media, actor=actor, group=group, access_uri=access_uri,
                            dc_format=remote_format(access_uri, dc_format), **metadata)


def remote_format(access_uri: str | None, declared: str | None) -> str:
    """A remote file's media type: as declared, else guessed from its URL."""
    return declared or mimetypes.guess_type(access_uri or "")[0] or "application/octet-stream"
