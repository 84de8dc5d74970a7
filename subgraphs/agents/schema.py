from __future__ import annotations

import datetime as dt
import uuid
from enum import Enum

import strawberry

from subgraphs.core.data.filters import (
    FilterField,
    IDFilter,
    StringFilter,
    array_contains,
    filter_input,
    operators,
)
from subgraphs.core.data.ordering import order_input
from subgraphs.core.execution.context import Info
from subgraphs.core.schema.fields import (
    by_id_field,
    connection_field,
    entity_resolver,
    history_field,
    load_by_ids,
)
from subgraphs.core.writes.crud import EntityApi, crud_mutations, mutation_type
from subgraphs.core.writes.mutations import user_error_type

from . import models, service
from .identifiers import AgentsErrorCode
from .loaders import AgentsAuditByRecordIdLoader, OrganizationByIdLoader, PersonByIdLoader

AgentsUserError = user_error_type("Agents", AgentsErrorCode)


@strawberry.enum(description="Identifier schemes; ORCID and ISNI are checked with their MOD 11-2 checksum.")
class IdentifierScheme(Enum):
    ORCID = "ORCID"
    WIKIDATA = "WIKIDATA"
    ISNI = "ISNI"
    OTHER = "OTHER"


@strawberry.type(description="A persistent identifier of a person, in its canonical URI form.")
class Identifier:
    scheme: str
    value: str


@strawberry.type
class OrganizationName:
    language_code: str = strawberry.field(description="ISO 639-1 code, e.g. en, fr.")
    name: str


@strawberry.federation.type(keys=["id"], description="A museum, herbarium, university or other organisation.")
class Organization:
    id: strawberry.ID
    display_name: str = strawberry.field(description="The first of `names`.")
    aliases: list[str]
    remarks: str | None
    group: str
    version: int
    names_json: strawberry.Private[list[dict]]
    __columns__ = {"names_json": "names"}

    resolve_reference = entity_resolver(OrganizationByIdLoader)
    history = history_field(AgentsAuditByRecordIdLoader)

    @strawberry.field(description="The organisation's name in each language.")
    def names(self) -> list[OrganizationName]:
        return [OrganizationName(language_code=n["languageCode"], name=n["name"]) for n in self.names_json]


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
    identifiers_json: strawberry.Private[list[dict]]
    organization_ids: strawberry.Private[list[uuid.UUID]]
    __columns__ = {"identifiers_json": "identifiers"}

    resolve_reference = entity_resolver(PersonByIdLoader)
    history = history_field(AgentsAuditByRecordIdLoader)

    @strawberry.field(description="ORCID, Wikidata, ISNI and other identifiers.")
    def identifiers(self) -> list[Identifier]:
        return [Identifier(scheme=i["scheme"], value=i["value"]) for i in self.identifiers_json]

    @strawberry.field(description="Organisations this person belongs to.")
    async def organizations(self, info: Info) -> list[Organization]:
        return await load_by_ids(info, OrganizationByIdLoader, Organization, self.organization_ids)


@strawberry.input
class IdentifierInput:
    scheme: IdentifierScheme
    value: str


@strawberry.input
class OrganizationNameInput:
    language_code: str
    name: str


@strawberry.input
class PersonFields:
    display_name: str | None = strawberry.UNSET
    given_names: str | None = strawberry.UNSET
    family_names: str | None = strawberry.UNSET
    aliases: list[str] | None = strawberry.UNSET
    email: str | None = strawberry.UNSET
    webpage: str | None = strawberry.UNSET
    remarks: str | None = strawberry.UNSET
    identifiers: list[IdentifierInput] | None = strawberry.UNSET
    organization_ids: list[strawberry.ID] | None = strawberry.UNSET


@strawberry.input
class CreatePersonInput(PersonFields):
    display_name: str
    group: str


@strawberry.input
class UpdatePersonInput(PersonFields):
    id: strawberry.ID
    version: int = strawberry.field(description="The version you read; a newer one is a STALE_VERSION error.")


@strawberry.input
class OrganizationFields:
    names: list[OrganizationNameInput] | None = strawberry.UNSET
    aliases: list[str] | None = strawberry.UNSET
    remarks: str | None = strawberry.UNSET


@strawberry.input
class CreateOrganizationInput(OrganizationFields):
    names: list[OrganizationNameInput]
    group: str


@strawberry.input
class UpdateOrganizationInput(OrganizationFields):
    id: strawberry.ID
    version: int


p, o = models.person.c, models.organization.c
PersonFilter = filter_input("PersonFilter", {
    "id": FilterField(IDFilter, operators(p.id)),
    "display_name": FilterField(StringFilter, operators(p.display_name)),
    "family_names": FilterField(StringFilter, operators(p.family_names)),
    "email": FilterField(StringFilter, operators(p.email)),
    "group": FilterField(StringFilter, operators(p.group)),
    "organization": FilterField(IDFilter, array_contains(p.organization_ids), "Member of this organisation."),
}, "Conditions on people.")
PersonOrder = order_input("PersonOrder", {"display_name": p.display_name, "created_on": p.created_on})
OrganizationFilter = filter_input("OrganizationFilter", {
    "id": FilterField(IDFilter, operators(o.id)),
    "display_name": FilterField(StringFilter, operators(o.display_name)),
    "group": FilterField(StringFilter, operators(o.group)),
}, "Conditions on organisations.")
OrganizationOrder = order_input("OrganizationOrder", {"display_name": o.display_name, "created_on": o.created_on})


@strawberry.type
class Query:
    person = by_id_field(Person, PersonByIdLoader, "A person by id.")
    people = connection_field(Person, models.person, "People.", PersonFilter, PersonOrder)
    organization = by_id_field(Organization, OrganizationByIdLoader, "An organisation by id.")
    organizations = connection_field(
        Organization, models.organization, "Organisations.", OrganizationFilter, OrganizationOrder
    )


Mutation = mutation_type(
    crud_mutations("Person", service.PERSON, EntityApi(Person, CreatePersonInput, UpdatePersonInput, AgentsUserError),
                   plural="People"),
    crud_mutations(
        "Organization", service.ORGANIZATION,
        EntityApi(Organization, CreateOrganizationInput, UpdateOrganizationInput, AgentsUserError),
    ),
)
