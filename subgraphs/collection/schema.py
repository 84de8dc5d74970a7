from __future__ import annotations

import datetime as dt
import uuid

import strawberry
from strawberry.federation.schema_directives import Key

from subgraphs.core.context import Info
from subgraphs.core.fields import by_id_field, connection_field, entity_resolver, load_by_id
from subgraphs.core.pagination import SortKey

from . import models
from .loaders import CollectingEventByIdLoader, MaterialSampleByIdLoader, material_sample_rows


@strawberry.federation.type(keys=[Key(fields="id", resolvable=False)])
class Person:
    id: strawberry.ID


@strawberry.federation.type(keys=[Key(fields="id", resolvable=False)])
class Media:
    id: strawberry.ID


@strawberry.federation.type(keys=["id"], description="Where, when and by whom material was collected.")
class CollectingEvent:
    id: strawberry.ID
    verbatim_event_date: str | None
    start_event_date: dt.date | None
    end_event_date: dt.date | None
    verbatim_locality: str | None
    country: str | None
    country_code: str | None
    state_province: str | None
    decimal_latitude: float | None
    decimal_longitude: float | None
    group: str
    version: int
    collector_ids: strawberry.Private[list[uuid.UUID]]

    resolve_reference = entity_resolver(CollectingEventByIdLoader)

    @strawberry.field(description="Collectors, in the order recorded.")
    def collectors(self) -> list[Person]:
        return [Person(id=pid) for pid in self.collector_ids]


@strawberry.federation.type(keys=["id"], description="A specimen, or a part or derivative of one.")
class MaterialSample:
    id: strawberry.ID
    material_sample_name: str
    barcode: str | None
    preparation_type: str | None
    other_catalog_numbers: list[str]
    group: str
    created_on: dt.datetime
    version: int
    collecting_event_id: strawberry.Private[uuid.UUID | None]
    collector_ids: strawberry.Private[list[uuid.UUID] | None]
    attachment_ids: strawberry.Private[list[uuid.UUID]]

    resolve_reference = entity_resolver(MaterialSampleByIdLoader)

    @strawberry.field
    async def collecting_event(self, info: Info) -> CollectingEvent | None:
        if self.collecting_event_id is None:
            return None
        return await load_by_id(info, CollectingEventByIdLoader, CollectingEvent, self.collecting_event_id)

    @strawberry.field(description="The collecting event's collectors, in order.")
    def collectors(self) -> list[Person]:
        return [Person(id=pid) for pid in self.collector_ids or ()]

    @strawberry.field(description="Photos and documents of this sample, from the media subgraph.")
    def attachments(self) -> list[Media]:
        return [Media(id=mid) for mid in self.attachment_ids]


@strawberry.type
class Query:
    material_sample = by_id_field(MaterialSample, MaterialSampleByIdLoader, "A material sample by id.")
    material_samples = connection_field(
        MaterialSample, material_sample_rows, [SortKey(models.material_sample.c.id)],
        "Material samples, oldest first.",
    )
    collecting_event = by_id_field(CollectingEvent, CollectingEventByIdLoader, "A collecting event by id.")
    collecting_events = connection_field(
        CollectingEvent, lambda: models.collecting_event.select(),
        [SortKey(models.collecting_event.c.id)], "Collecting events, oldest first.",
    )
