"""A small Strawberry subgraph that breaks the guidelines on purpose, one way per rule (docs/guidelines.md).

What a partner might write first: a Federation 1 schema, keyed by catalogue number, plain lists,
loose arguments, epoch dates, errors passed through with their stack trace, no auth, no limits."""

from __future__ import annotations

import enum
import traceback

import strawberry
from graphql import GraphQLError
from strawberry.asgi import GraphQL
from strawberry.federation import Schema


@strawberry.federation.type(keys=["catalogNumber"])  # ENTITY-KEY; no group/version/history: ENTITY-RECORD
class Specimen:
    catalog_number: str
    latitude: float | None = None  # STANDARD-TERMS: decimalLatitude
    collected_on: int | None = None  # DATES-ISO8601: epoch seconds
    Remarks: str | None = strawberry.field(default=None, name="Remarks")  # NAMING


@strawberry.input
class SpecimenFilter:  # FILTER-OPERATORS: a plain value per field, no and/or/not
    name: str | None = None
    country: list[str] | None = None


@strawberry.type
class SpecimenEdge:
    node: Specimen
    cursor: str


@strawberry.type
class PageInfo:
    has_next_page: bool


@strawberry.type
class SpecimenConnection:  # RELAY-CONNECTION: no totalCount, PageInfo without cursors, no after/last/before
    edges: list[SpecimenEdge]
    page_info: PageInfo


@strawberry.enum
class ProblemCode(enum.Enum):  # ERROR-CODES: none of the shared codes
    GONE = "GONE"


@strawberry.type
class Problem:
    code: ProblemCode
    message: str
    field: str | None = None


@strawberry.type
class DeletePayload:
    errors: list[Problem]


@strawberry.input
class DeleteInput:
    id: strawberry.ID
    version: int


def _specimen(id: strawberry.ID) -> Specimen | None:  # ERRORS-CODED, ERRORS-MASKED: the backend's error as it is
    try:
        return Specimen(catalog_number=str(int(id)))
    except ValueError as error:
        raise GraphQLError(str(error), extensions={"stacktrace": traceback.format_exc().splitlines()}) from error


@strawberry.type
class Query:
    specimen = strawberry.field(resolver=_specimen)

    @strawberry.field
    def specimens(self, filter: SpecimenFilter | None = None, order_by: str | None = None) -> list[Specimen]:
        return []  # LIST-PAGED, and ORDER-BY: a free-text sort

    @strawberry.field
    def specimen_page(self, first: int = 10) -> SpecimenConnection:
        return SpecimenConnection(edges=[], page_info=PageInfo(has_next_page=False))

    @strawberry.field
    def material_sample(self, id: strawberry.ID) -> Specimen | None:  # NO-SHADOW, COMPOSES: collection's field
        return None


@strawberry.type
class Mutation:
    @strawberry.mutation
    def add_specimen(self, catalog_number: str, latitude: float | None = None) -> Specimen:  # MUTATION-INPUT/-PAYLOAD
        return Specimen(catalog_number=catalog_number, latitude=latitude)

    @strawberry.mutation
    def delete_specimen(self, input: DeleteInput) -> DeletePayload:  # AUTH-WRITES: anyone may delete
        return DeletePayload(errors=[])


# FED-VERSION: Strawberry's default federation v2.11, newer than the composition takes. No depth or alias limits (LIMIT-*), no token check (AUTH-BEARER),
# Strawberry's plain view (GRAPHQL-OVER-HTTP: no application/graphql-response+json).
schema = Schema(query=Query, mutation=Mutation)
app = GraphQL(schema)
