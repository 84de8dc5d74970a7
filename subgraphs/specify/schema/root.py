"""The broker's root fields: a Relay list of Specify collection objects, one by GUID, and the writes
Specify allows (a determination's update, a new preparation) plus the agent → Person mapping."""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from enum import Enum
from typing import Any

import orjson
import strawberry

from subgraphs.core.base.errors import ClientError, ErrorCode
from subgraphs.core.data.filters import DateFilter, StringFilter
from subgraphs.core.data.pagination import Connection, Edge, PageArgs, PageInfo, encode_cursor
from subgraphs.core.execution.context import Info
from subgraphs.core.writes.mutations import run_mutation, user_error_type, user_errors

from ..loaders import broker
from ..repository import link_agent
from ..service import (
    Keyset,
    Order,
    SpecifyErrorCode,
    answered,
    changes,
    filter_params,
    first_match,
    may_read,
    may_write,
    page_params,
)
from .types import SpecifyAgent, SpecifyCollectionObject, SpecifyDetermination, SpecifyPreparation

SpecifyUserError = user_error_type("Specify", SpecifyErrorCode)


@strawberry.input(description="Conditions on Specify collection objects, sent as Specify's own query parameters.")
class SpecifyCollectionObjectFilter:
    catalog_number: StringFilter | None = None
    field_number: StringFilter | None = None
    cataloged_date: DateFilter | None = None
    taxon_name: StringFilter | None = strawberry.field(default=None, description="Any determination's taxon name.")
    taxon_full_name: StringFilter | None = strawberry.field(default=None, description="Any determination's full name.")
    locality_name: StringFilter | None = None
    collecting_date: DateFilter | None = strawberry.field(default=None, description="The collecting event's start date.")
    guid: StringFilter | None = None


@strawberry.enum
class SpecifyCollectionObjectOrderField(Enum):
    ID = Order.ID
    CATALOG_NUMBER = Order.CATALOG_NUMBER


@strawberry.enum
class OrderDirection(Enum):
    ASC = "ASC"
    DESC = "DESC"


@strawberry.input
class SpecifyCollectionObjectOrder:
    field: SpecifyCollectionObjectOrderField = SpecifyCollectionObjectOrderField.ID
    direction: OrderDirection = OrderDirection.ASC


def _position(cursor: str, keyset: Keyset) -> Any:
    try:
        order, key = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if order != keyset.orderby:
            raise ValueError(order)
        return key
    except (ValueError, TypeError) as error:
        raise ClientError(ErrorCode.INVALID_CURSOR, "`after` is not a cursor of this list and order.", "after") from error


async def collection_objects(
    info: Info, first: int | None = None, after: str | None = None,
    filter: SpecifyCollectionObjectFilter | None = None, order_by: SpecifyCollectionObjectOrder | None = None,
) -> Connection[SpecifyCollectionObject] | None:
    """One Specify list request per page: `limit`, `orderby`, `domainfilter=true`, the filters and,
    after a cursor, `key__gt=<cursor's key>`."""
    may_read(info.context)
    size = PageArgs(first=first).size(info.context.settings.max_page_size)
    order = order_by or SpecifyCollectionObjectOrder()
    keyset = Keyset(Order(order.field.value), order.direction == OrderDirection.DESC)
    filters = filter_params(vars(filter) if filter else {})
    position = None if after is None else _position(after, keyset)
    client = broker(info.context).client
    # Specify reads `limit=0` as "all rows": an empty page asks for one and shows none.
    page = await answered(client.page("collectionobject", page_params(keyset, max(size, 1), position, filters)))
    edges = [Edge(node=SpecifyCollectionObject.of(r), position=[keyset.orderby, keyset.key(r)])
             for r in page.objects[:size]]

    async def count() -> int:
        if after is None:
            return page.total_count
        whole = await answered(client.page("collectionobject", page_params(keyset, 1, None, filters)))
        return whole.total_count

    cursors = [encode_cursor(e.position) for e in edges[:1] + edges[-1:]]
    return Connection(edges=edges, count=count, page_info=PageInfo(
        has_next_page=page.total_count > len(edges), has_previous_page=after is not None,
        start_cursor=cursors[0] if cursors else None, end_cursor=cursors[-1] if cursors else None))


async def collection_object(info: Info, id: strawberry.ID) -> SpecifyCollectionObject | None:
    return await SpecifyCollectionObject.resolve_reference(info, id)


@strawberry.type
class Query:
    specify_collection_objects: Connection[SpecifyCollectionObject] | None = strawberry.field(
        resolver=collection_objects, description="Collection objects of the broker's Specify collection.")
    specify_collection_object: SpecifyCollectionObject | None = strawberry.field(
        resolver=collection_object, description="A Specify collection object by its GUID.")


# -- writes ------------------------------------------------------------------------------------

DETERMINATION_FIELDS = {"is_current": "iscurrent", "confidence": "confidence", "remarks": "remarks",
                        "determined_date": "determineddate", "type_status": "typestatusname"}


@strawberry.input(description="Changes to a Specify determination; fields left out stay as they are.")
class UpdateSpecifyDeterminationInput:
    id: strawberry.ID = strawberry.field(description="The determination's Specify GUID.")
    version: int = strawberry.field(description="The version read; a newer one in Specify gives STALE_VERSION.")
    is_current: bool | None = None
    confidence: str | None = None
    remarks: str | None = None
    determined_date: dt.date | None = None
    type_status: str | None = None
    taxon_full_name: str | None = strawberry.field(default=None, description="A taxon of Specify's tree, by full name.")


@strawberry.type
class UpdateSpecifyDeterminationPayload:
    determination: SpecifyDetermination | None
    errors: list[SpecifyUserError]


@strawberry.input(description="A new preparation of a Specify collection object.")
class AddSpecifyPreparationInput:
    collection_object_id: strawberry.ID = strawberry.field(description="The collection object's Specify GUID.")
    version: int = strawberry.field(description="The collection object's version read (Specify checks it).")
    preparation_type: str = strawberry.field(description="A preptype name of the collection, e.g. Shell.")
    count: int | None = None
    remarks: str | None = None
    storage_location: str | None = None


@strawberry.type
class AddSpecifyPreparationPayload:
    preparation: SpecifyPreparation | None
    collection_object: SpecifyCollectionObject | None
    errors: list[SpecifyUserError]


@strawberry.input(description="Record that a Specify agent is a Person of this graph.")
class LinkSpecifyAgentInput:
    agent_id: strawberry.ID = strawberry.field(description="The agent's Specify GUID.")
    person_id: strawberry.ID


@strawberry.type
class LinkSpecifyAgentPayload:
    agent: SpecifyAgent | None
    errors: list[SpecifyUserError]


async def update_determination(info: Info, input: UpdateSpecifyDeterminationInput) -> UpdateSpecifyDeterminationPayload:
    try:
        may_write(info.context)
        client = broker(info.context).client
        found = await first_match(lambda: client.matching("determination", "guid", [input.id]), "such determination", "id")
        body = {"version": input.version, **changes(
            {k: getattr(input, k) for k in DETERMINATION_FIELDS}, DETERMINATION_FIELDS)}
        if input.taxon_full_name is not None:
            taxon = await first_match(lambda: client.matching("taxon", "fullname", [input.taxon_full_name]),
                                      f"taxon {input.taxon_full_name!r}", "taxonFullName")
            body["taxon"] = taxon["resource_uri"]
        updated = await answered(client.update("determination", found["id"], body))
    except ClientError as error:
        return UpdateSpecifyDeterminationPayload(determination=None, errors=user_errors([error]))
    return UpdateSpecifyDeterminationPayload(determination=SpecifyDetermination.of(updated), errors=[])


async def add_preparation(info: Info, input: AddSpecifyPreparationInput) -> AddSpecifyPreparationPayload:
    """A PUT of the object with its preparations plus the new one: Specify creates dependents with
    their parent, and checks the parent's version — so a stale read gives STALE_VERSION."""
    try:
        may_write(info.context)
        client = broker(info.context).client
        found = await first_match(lambda: client.matching("collectionobject", "guid", [input.collection_object_id],
                                                          {"domainfilter": "true"}),
                                  "such collection object", "collectionObjectId")
        preptype = await first_match(lambda: client.matching("preptype", "name", [input.preparation_type]),
                                     f"preparation type {input.preparation_type!r}", "preparationType")
        new = {"preptype": preptype["resource_uri"], "collectionmemberid": found["collectionmemberid"],
               **changes({"count": input.count, "remarks": input.remarks, "storage_location": input.storage_location},
                         {"count": "countamt", "remarks": "remarks", "storage_location": "storagelocation"})}
        updated = await answered(client.update("collectionobject", found["id"], {
            "version": input.version, "preparations": [*found["preparations"], new]}))
    except ClientError as error:
        return AddSpecifyPreparationPayload(preparation=None, collection_object=None, errors=user_errors([error]))
    before = {p["id"] for p in found["preparations"]}
    added = next((p for p in updated["preparations"] if p["id"] not in before), None)
    return AddSpecifyPreparationPayload(preparation=None if added is None else SpecifyPreparation.of(added),
                                        collection_object=SpecifyCollectionObject.of(updated), errors=[])


async def link_specify_agent(info: Info, input: LinkSpecifyAgentInput) -> LinkSpecifyAgentPayload:
    try:
        may_write(info.context)
        person_id = uuid.UUID(str(input.person_id))
    except ValueError:
        return LinkSpecifyAgentPayload(agent=None, errors=user_errors(
            [ClientError(ErrorCode.INVALID_ID, "`personId` is not a Person id.", "personId")]))
    except ClientError as error:
        return LinkSpecifyAgentPayload(agent=None, errors=user_errors([error]))
    agent = await broker(info.context).by("agent", "guid").load(str(input.agent_id))
    if agent is None:
        return LinkSpecifyAgentPayload(agent=None, errors=user_errors(
            [ClientError(ErrorCode.NOT_FOUND, "No such agent in Specify.", "agentId")]))
    _, errors = await run_mutation(info, lambda session: link_agent(session, str(input.agent_id), person_id,
                                                                    info.context.actor))
    return LinkSpecifyAgentPayload(agent=None if errors else SpecifyAgent.of(agent), errors=errors)


@strawberry.type
class Mutation:
    update_specify_determination: UpdateSpecifyDeterminationPayload = strawberry.field(resolver=update_determination)
    add_specify_preparation: AddSpecifyPreparationPayload = strawberry.field(resolver=add_preparation)
    link_specify_agent: LinkSpecifyAgentPayload = strawberry.field(resolver=link_specify_agent)
