from __future__ import annotations

import datetime as dt
import uuid
from enum import Enum

import strawberry
from sqlalchemy import ColumnElement, and_, exists, func, select, true
from strawberry.federation.schema_directives import Key
from strawberry.scalars import JSON

from subgraphs.core.base.ids import require_uuid
from subgraphs.core.data.filters import (
    FilterField,
    IDFilter,
    StringFilter,
    filter_input,
    operators,
)
from subgraphs.core.data.lean import Reads
from subgraphs.core.data.ordering import order_input
from subgraphs.core.execution.context import Info
from subgraphs.core.schema.fields import by_id_field, connection_field, entity_resolver, history_field
from subgraphs.core.storage.storage import object_store
from subgraphs.core.writes.crud import (
    EntityApi,
    crud_mutations,
    input_values,
    mutation_type,
    payload_type,
    respond,
)
from subgraphs.core.writes.mutations import run_mutation, user_error_type

from . import models, service
from .loaders import MediaAuditByRecordIdLoader, MediaByIdLoader

MediaUserError = user_error_type("Media", service.MediaErrorCode)


@strawberry.federation.type(keys=[Key(fields="id", resolvable=False)])
class Person:
    id: strawberry.ID


@strawberry.enum(description="dcmitype terms for what a media record is.")
class DcType(Enum):
    STILL_IMAGE = "StillImage"
    MOVING_IMAGE = "MovingImage"
    SOUND = "Sound"
    TEXT = "Text"
    DATASET = "Dataset"


def _download_url(info: Info, key: str) -> str:
    """A signed, expiring download URL of a stored object."""
    settings = info.context.settings
    return object_store(settings).download_url(key, settings.url_expiry_seconds)


@strawberry.type(description="A smaller rendering of an image (thumbnail, large).")
class Derivative:
    variant: str
    width: int
    height: int
    dc_format: str
    url: str = strawberry.field(description="Download URL; expires (DINA_URL_EXPIRY_SECONDS).")


@strawberry.federation.type(keys=["id"], description="A stored photo, sound, video or document, in Audubon Core terms.")
class Media:
    id: strawberry.ID
    dc_type: str = strawberry.field(description="dcmitype: StillImage, MovingImage, Sound, Text, Dataset.")
    dc_format: str = strawberry.field(description="Media type of the original as sniffed, e.g. image/jpeg.")
    caption: str | None
    tags: list[str]
    license: str | None = strawberry.field(description="dcterms:license, an SPDX or Creative Commons URI.")
    rights_holder: str | None
    original_filename: str | None
    size_bytes: float | None = strawberry.field(description="Size of the original in bytes (None: remote).")
    sha256: str | None
    digitization_date: dt.datetime | None
    width: int | None
    height: int | None
    orientation: int | None = strawberry.field(description="EXIF orientation of the original (1-8).")
    exif: JSON = strawberry.field(description="Camera, dateTimeOriginal, gps, artist, copyright, keywords.")
    group: str
    version: int
    creator_id: strawberry.Private[uuid.UUID | None]
    object_key: strawberry.Private[str | None]
    access_uri: strawberry.Private[str | None]
    derivative_list: strawberry.Private[list[dict]]
    __columns__ = {"derivative_list": "derivatives"}

    resolve_reference = entity_resolver(MediaByIdLoader)
    history = history_field(MediaAuditByRecordIdLoader)

    @strawberry.field(description="Who made the photo or document (ac:creator).", extensions=[Reads("creator_id")])
    def creator(self) -> Person | None:
        return None if self.creator_id is None else Person(id=self.creator_id)

    @strawberry.field(description="ac:accessURI of the original: a signed, expiring download URL, or the remote URL.",
                      extensions=[Reads("object_key", "access_uri")])
    def url(self, info: Info) -> str | None:
        return self.access_uri if self.object_key is None else _download_url(info, self.object_key)

    @strawberry.field(extensions=[Reads("derivative_list")])
    def derivatives(self, info: Info) -> list[Derivative]:
        return [Derivative(variant=d["variant"], width=d["width"], height=d["height"], dc_format=d["dcFormat"],
                           url=_download_url(info, d["key"]))
                for d in self.derivative_list]

    @strawberry.field(description="The thumbnail's download URL (images only).",
                      extensions=[Reads("derivative_list")])
    def thumbnail_url(self, info: Info) -> str | None:
        key = next((d["key"] for d in self.derivative_list if d["variant"] == "thumbnail"), None)
        return None if key is None else _download_url(info, key)


@strawberry.type(description="Where to PUT the file; then call completeUpload.")
class Upload:
    id: strawberry.ID
    upload_url: str = strawberry.field(description="PUT the file's bytes here (with its Content-Type).")
    method: str
    expires_at: dt.datetime


@strawberry.type
class CreateUploadPayload:
    upload: Upload | None
    errors: list[MediaUserError]


@strawberry.input
class CreateUploadInput:
    group: str
    filename: str
    media_type: str = strawberry.field(description="e.g. image/jpeg; checked against the file's real content.")
    size: int = strawberry.field(description="Bytes; checked on completeUpload.")
    sha256: str = strawberry.field(description="Hex sha256 of the file; checked on completeUpload.")


@strawberry.input
class MediaFields:
    caption: str | None = strawberry.UNSET
    tags: list[str] | None = strawberry.UNSET
    license: str | None = strawberry.UNSET
    rights_holder: str | None = strawberry.UNSET
    creator_id: strawberry.ID | None = strawberry.UNSET
    dc_type: DcType | None = strawberry.UNSET
    digitization_date: dt.datetime | None = strawberry.UNSET


@strawberry.input
class CompleteUploadInput(MediaFields):
    upload_id: strawberry.ID


@strawberry.input
class UpdateMediaInput(MediaFields):
    id: strawberry.ID
    version: int


m = models.media.c


def _has_tag(condition: StringFilter) -> ColumnElement[bool]:
    """Media with a tag meeting ``condition`` (`isNull`: media without tags)."""
    parts = []
    if condition.eq is not None:
        parts.append(m.tags.contains([condition.eq]))
    if condition.in_ is not None:
        parts.append(m.tags.overlap(condition.in_))
    if condition.is_null is not None:
        parts.append(m.tags == [] if condition.is_null else m.tags != [])
    if condition.contains is not None or condition.starts_with is not None:
        tag = func.unnest(m.tags).column_valued("tag")
        text_condition = StringFilter(contains=condition.contains, starts_with=condition.starts_with)
        parts.append(exists(select(tag).where(operators(tag)(text_condition))))
    return and_(true(), *parts)

MediaFilter = filter_input("MediaFilter", {
    "id": FilterField(IDFilter, operators(m.id)),
    "group": FilterField(StringFilter, operators(m.group)),
    "dc_type": FilterField(StringFilter, operators(m.dc_type)),
    "dc_format": FilterField(StringFilter, operators(m.dc_format)),
    "caption": FilterField(StringFilter, operators(m.caption)),
    "license": FilterField(StringFilter, operators(m.license)),
    "original_filename": FilterField(StringFilter, operators(m.original_filename)),
    "creator": FilterField(IDFilter, operators(m.creator_id)),
    "tag": FilterField(StringFilter, lambda f: _has_tag(f)),
}, "Conditions on media.")
MediaOrder = order_input("MediaOrder", {"created_on": m.created_on, "dc_format": m.dc_format})

_API = EntityApi(Media, None, UpdateMediaInput, MediaUserError)  # media come about by createUpload + completeUpload
_crud = crud_mutations("Media", service.MEDIA, _API, plural="MediaList")


@strawberry.type
class Query:
    media = by_id_field(Media, MediaByIdLoader, "A media record by id.")
    media_list = connection_field(Media, models.media, "Media.", MediaFilter, MediaOrder)


MediaPayload = payload_type("Media", _API)


async def create_upload(info: Info, input: CreateUploadInput) -> CreateUploadPayload:
    ctx = info.context
    created, errors = await run_mutation(info, lambda s: service.create_upload(
        s, object_store(ctx.settings), ctx.settings, actor=ctx.actor, principal=ctx.principal,
        group=input.group, filename=input.filename, media_type=input.media_type, size=input.size,
        sha256=input.sha256))
    if created is None:
        return CreateUploadPayload(upload=None, errors=errors)
    upload, url = created
    return CreateUploadPayload(upload=Upload(id=upload.id, upload_url=url, method="PUT",
                                             expires_at=upload.expires_at), errors=[])


async def complete_upload(info: Info, input: CompleteUploadInput) -> MediaPayload:
    ctx = info.context
    metadata = {k: v for k, v in input_values(input).items() if k != "upload_id"}
    record, errors = await run_mutation(info, lambda s: service.complete_upload(
        s, object_store(ctx.settings), actor=ctx.actor, principal=ctx.principal,
        upload_id=require_uuid(input.upload_id, "uploadId"), **metadata))
    return respond("Media", _API, record, errors)


Mutation = mutation_type(_crud, {
    "create_upload": strawberry.mutation(
        resolver=create_upload, description="Announce an upload; returns the URL to PUT the file to."),
    "complete_upload": strawberry.mutation(
        resolver=complete_upload, description="Verify the uploaded file (size, sha256, real type), read its "
        "metadata, make derivatives, and only then create its Media."),
})
