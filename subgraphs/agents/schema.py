from __future__ import annotations

import datetime as dt

import strawberry
from sqlalchemy import select

from subgraphs.core.fields import by_id_field, connection_field, entity_resolver
from subgraphs.core.pagination import SortKey

from . import models
from .loaders import PersonByIdLoader


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


@strawberry.type
class Query:
    person = by_id_field(Person, PersonByIdLoader, "A person by id.")
    people = connection_field(
        Person, lambda: select(models.person), [SortKey(models.person.c.id)], "People, oldest first."
    )
