from __future__ import annotations

import datetime as dt
import uuid

import strawberry
from strawberry.federation.schema_directives import Key
from strawberry.scalars import JSON

from subgraphs.core.fields import by_id_field, connection_field, entity_resolver

from . import models
from .loaders import MediaByIdLoader


@strawberry.federation.type(keys=[Key(fields="id", resolvable=False)])
class Person:
    id: strawberry.ID


@strawberry.federation.type(keys=["id"], description="A stored photo, sound, video or document, in Audubon Core terms.")
class Media:
    id: strawberry.ID
    dc_type: str = strawberry.field(description="dcmitype: StillImage, MovingImage, Sound, Text, Dataset.")
    dc_format: str = strawberry.field(description="Media type of the original, e.g. image/jpeg.")
    caption: str | None
    tags: list[str]
    license: str | None
    rights_holder: str | None
    original_filename: str | None
    size_bytes: float = strawberry.field(description="Size of the original in bytes.")
    sha256: str
    digitization_date: dt.datetime | None
    exif: JSON
    group: str
    version: int
    creator_id: strawberry.Private[uuid.UUID | None]

    resolve_reference = entity_resolver(MediaByIdLoader)

    @strawberry.field(description="Who made the photo or document (ac:creator).")
    def creator(self) -> Person | None:
        return None if self.creator_id is None else Person(id=self.creator_id)


@strawberry.type
class Query:
    media = by_id_field(Media, MediaByIdLoader, "A media record by id.")
    media_list = connection_field(Media, models.media, "Media, oldest first.")
