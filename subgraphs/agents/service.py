"""Rules for writes to the agents schema (the generic create/update/delete are in core.crud)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.core.base.errors import ClientError, ErrorCode
from subgraphs.core.data.references import missing_references
from subgraphs.core.data.storable import column_limits, too_long
from subgraphs.core.writes.crud import EntityRules, Values, create
from subgraphs.core.writes.mutations import InvalidInput
from subgraphs.core.writes.service import Dependant

from .identifiers import normalise_identifier
from .models import Organization, Person, organization, person


async def prepare_person(session: AsyncSession, values: Values, _: Any) -> Values:
    errors: list[ClientError] = []
    if "display_name" in values and not (values["display_name"] or "").strip():
        errors.append(ClientError(ErrorCode.BAD_USER_INPUT, "A person needs a display name.", "displayName"))
    identifiers = []
    for i, identifier in enumerate(values.get("identifiers") or []):
        field = f"identifiers.{i}.value"
        try:
            value = normalise_identifier(identifier.scheme.value, identifier.value, field)
            identifiers.append({"scheme": identifier.scheme.value, "value": value})
        except ClientError as error:
            errors.append(error)
    if values.get("identifiers") is not None:
        values["identifiers"] = identifiers
    errors += await missing_references(session, [("organizationIds", organization, values.get("organization_ids"))])
    if errors:
        raise InvalidInput(errors)
    return values


async def prepare_organization(_: AsyncSession, values: Values, __: Any) -> Values:
    if "names" in values:
        names = [{"languageCode": n.language_code, "name": n.name.strip()} for n in values["names"] or []]
        if not names or not all(n["name"] for n in names):
            raise ClientError(ErrorCode.BAD_USER_INPUT, "An organization needs at least one non-empty name.", "names")
        if len(names[0]["name"]) > (limit := column_limits(Organization)["display_name"]):
            raise too_long("names.0.name", limit)  # the first name is the display name
        values["names"] = names
        values["display_name"] = names[0]["name"]
    return values


PERSON = EntityRules(Person, prepare=prepare_person)
ORGANIZATION = EntityRules(
    Organization,
    prepare=prepare_organization,
    dependants=lambda id: [Dependant("people", select(person.c.id).where(person.c.organization_ids.contains([id])))],
)


async def create_person(session: AsyncSession, *, actor: str, **values: Any) -> Person:
    """Used by imports and demo data: the same rules as the createPerson mutation."""
    return await create(session, PERSON, values, actor)  # type: ignore[return-value]
