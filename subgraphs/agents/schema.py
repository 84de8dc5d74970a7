from __future__ import annotations

import datetime as dt

import strawberry
from sqlalchemy import select

from subgraphs.core.context import Info
from subgraphs.core.fields import by_id_field, connection_field, entity_resolver, history_field
from subgraphs.core.ids import require_uuid
from subgraphs.core.mutations import UserError, from_record, run_mutation
from subgraphs.core.pagination import SortKey

from . import models, service
from .loaders import AgentsAuditByRecordIdLoader, PersonByIdLoader


@strawberry.federation.type(keys=["id"], description="A person: collector, determiner, preparator, photographer.")
class Person:
    id: strawberry.ID
    display_name: str
    given_names: str | None
    family_names: str | None
    aliases: list[str]
    email: str | None
    webpage: str | None
    remarks: str | None
    group: str
    created_on: dt.datetime
    version: int

    resolve_reference = entity_resolver(PersonByIdLoader)
    history = history_field(AgentsAuditByRecordIdLoader)


@strawberry.input
class PersonFields:
    display_name: str | None = strawberry.UNSET
    given_names: str | None = strawberry.UNSET
    family_names: str | None = strawberry.UNSET
    aliases: list[str] | None = strawberry.UNSET
    email: str | None = strawberry.UNSET
    webpage: str | None = strawberry.UNSET
    remarks: str | None = strawberry.UNSET


@strawberry.input
class CreatePersonInput(PersonFields):
    display_name: str
    group: str


@strawberry.input
class UpdatePersonInput(PersonFields):
    id: strawberry.ID
    version: int = strawberry.field(description="The version you read; a newer one is a STALE_VERSION error.")


@strawberry.input
class DeletePersonInput:
    id: strawberry.ID
    version: int


@strawberry.type
class PersonPayload:
    person: Person | None
    errors: list[UserError]


def _set_fields(data: object) -> dict[str, object]:
    """The input fields the client actually sent (UNSET ones are left alone)."""
    return {k: v for k, v in vars(data).items() if v is not strawberry.UNSET and k not in ("id", "version")}


@strawberry.type
class Query:
    person = by_id_field(Person, PersonByIdLoader, "A person by id.")
    people = connection_field(
        Person, lambda: select(models.person), [SortKey(models.person.c.id)], "People, oldest first."
    )


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def create_person(self, info: Info, input: CreatePersonInput) -> PersonPayload:
        person, errors = await run_mutation(info, lambda s: service.create_person(
            s, actor=info.context.actor, **_set_fields(input)))
        return PersonPayload(person=person and from_record(Person, person), errors=errors)

    @strawberry.mutation
    async def update_person(self, info: Info, input: UpdatePersonInput) -> PersonPayload:
        person, errors = await run_mutation(info, lambda s: service.update_person(
            s, require_uuid(input.id), input.version, actor=info.context.actor, **_set_fields(input)))
        return PersonPayload(person=person and from_record(Person, person), errors=errors)

    @strawberry.mutation
    async def delete_person(self, info: Info, input: DeletePersonInput) -> PersonPayload:
        person, errors = await run_mutation(info, lambda s: service.delete_person(
            s, require_uuid(input.id), input.version, actor=info.context.actor))
        return PersonPayload(person=person and from_record(Person, person), errors=errors)
