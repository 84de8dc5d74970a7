"""create/update/delete mutations for an entity from its service rules and its GraphQL types.

Every entity's writes behave the same way: one input object, a payload with the record or typed
errors, optimistic locking on update and delete, audit, whole rollback on any error. Each also comes
as a bulk mutation of a list (`create{plural}` …, core/writes/batch.py) doing the same per item.
"""

# No `from __future__ import annotations`: Strawberry reads the generated payloads' annotations as objects.
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.utils.str_converters import to_camel_case

from subgraphs.core.base.errors import ClientError, ErrorCode
from subgraphs.core.base.ids import require_uuid
from subgraphs.core.data.db import RecordMixin
from subgraphs.core.data.storable import length_errors, nul_errors
from subgraphs.core.execution.context import Info
from subgraphs.core.security.auth import Principal, Role
from subgraphs.core.security.permissions import check_write, require_role
from subgraphs.core.writes.batch import bulk_payload_type, bulk_respond, list_input, run_bulk
from subgraphs.core.writes.mutations import InvalidInput, UserError, from_record, run_mutation
from subgraphs.core.writes.service import Dependant, add_record, delete_record, update_record

Values = dict[str, Any]
Prepare = Callable[[AsyncSession, Values, RecordMixin | None], Awaitable[Values]]
Delete = Callable[[AsyncSession, "EntityRules", uuid.UUID, int, str, Principal | None], Awaitable[RecordMixin]]


async def _unchanged(_: AsyncSession, values: Values, __: RecordMixin | None) -> Values:
    return values


@dataclass(frozen=True)
class EntityRules:
    """The service side of an entity: its table, how input becomes columns, what blocks deletes."""

    model: type[RecordMixin]
    # Validates and completes the values (raise ClientError / InvalidInput); gets the current
    # record on update, None on create.
    prepare: Prepare = _unchanged
    dependants: Callable[[uuid.UUID], Sequence[Dependant]] = lambda _: ()
    after_write: Callable[[AsyncSession, RecordMixin], Awaitable[None]] | None = None
    # Runs in the deleting transaction, e.g. to schedule removing stored files after the commit.
    on_delete: Callable[[AsyncSession, RecordMixin], None] | None = None


@dataclass(frozen=True)
class EntityApi:
    """The GraphQL side: the node type, the create/update input types and the domain's UserError type
    (``user_error_type``). Without a create input there is no `create{name}`: the entity comes about
    another way (media: through createUpload and completeUpload)."""

    node: type
    create_input: type | None
    update_input: type
    user_error: type


def input_values(data: object) -> Values:
    """What the client sent, with reference ids parsed (``*_id`` / ``*_ids``); UNSET left out."""
    values: Values = {}
    for key, value in vars(data).items():
        if value is strawberry.UNSET or key in ("id", "version"):
            continue
        if isinstance(value, Enum):
            value = value.value
        elif key.endswith("_ids") and value is not None:
            value = [require_uuid(v, to_camel_case(key)) for v in value]
        elif key.endswith("_id") and value is not None:
            value = require_uuid(value, to_camel_case(key))
        values[key] = value
    return values


async def prepared(session: AsyncSession, rules: EntityRules, values: Values, current: RecordMixin | None) -> Values:
    """``values`` checked and completed by the rules, and every one of them storable: a value with a NUL
    character is refused (the rules never see it: it could not even be a query parameter), and so is a
    value longer than its column as the rules leave it (e.g. a primer sequence without its spaces). All
    are reported together with the rules' own errors, which win over a length error of the same field
    (``'ESP' is not an ISO 3166-1 alpha-2 code`` says more than that countryCode is too long)."""
    refused = nul_errors(values)
    errors = [error for key_errors in refused.values() for error in key_errors]
    try:
        completed = await rules.prepare(session, {k: v for k, v in values.items() if k not in refused}
                                        if refused else values, current)
    except (ClientError, InvalidInput) as error:
        rule_errors = error.errors if isinstance(error, InvalidInput) else [error]
        flagged = {e.field for e in rule_errors}
        errors += length_errors(rules.model, {k: v for k, v in values.items()
                                              if k not in refused and to_camel_case(k) not in flagged})
        if not errors:
            raise
        raise InvalidInput(errors + rule_errors) from None
    if errors := errors + length_errors(rules.model, completed):
        raise InvalidInput(errors)
    return completed


async def create(session: AsyncSession, rules: EntityRules, values: Values, actor: str,
                 principal: Principal | None = None) -> RecordMixin:
    """Insert after the rules' checks; ``principal`` None means a trusted process (import, demo)."""
    check_write(principal, None, values)
    record = await add_record(session, rules.model, actor=actor, **await prepared(session, rules, values, None))
    if rules.after_write:
        await rules.after_write(session, record)
    return record


async def update(
    session: AsyncSession, rules: EntityRules, id: uuid.UUID, version: int, values: Values, actor: str,
    principal: Principal | None = None,
) -> RecordMixin:
    current = await session.get(rules.model, id)
    if current is None:
        raise ClientError(ErrorCode.NOT_FOUND, f"No {rules.model.__name__} with id {id}.", "id")
    check_write(principal, current.group, values)
    changes = await prepared(session, rules, values, current)
    record = await update_record(session, rules.model, id, version, actor=actor, **changes)
    if rules.after_write:
        await rules.after_write(session, record)
    return record


async def delete(session: AsyncSession, rules: EntityRules, id: uuid.UUID, version: int, actor: str,
                 principal: Principal | None = None) -> RecordMixin:
    current = await session.get(rules.model, id)
    if current is None:
        raise ClientError(ErrorCode.NOT_FOUND, f"No {rules.model.__name__} with id {id}.", "id")
    require_role(principal, current.group, Role.SUPER_USER, "delete")
    record = await delete_record(session, rules.model, id, version, actor=actor, dependants=rules.dependants(id))
    if rules.on_delete:
        rules.on_delete(session, record)
    return record


@strawberry.input(description="Which record to delete, and the version you read.")
class DeleteInput:
    id: strawberry.ID
    version: int


_payloads: dict[str, type] = {}


def payload_type(name: str, api: EntityApi) -> type:
    """`{name}Payload { <name>: {name}, errors: [{Domain}UserError!]! }`, one per entity."""
    if name not in _payloads:
        _payloads[name] = strawberry.type(type(f"{name}Payload", (), {
            "__annotations__": {name[0].lower() + name[1:]: api.node | None, "errors": list[api.user_error]},
        }), description=f"The {name} written, or why nothing was.")
    return _payloads[name]


def respond(name: str, api: EntityApi, record: RecordMixin | None, errors: list[UserError]) -> Any:
    """The payload of a mutation that wrote ``record`` (None, with ``errors``, when nothing was written)."""
    return payload_type(name, api)(**{name[0].lower() + name[1:]: record and from_record(api.node, record),
                                      "errors": errors})


def crud_mutations(name: str, rules: EntityRules, api: EntityApi, *, plural: str | None = None,
                   remove: Delete = delete) -> dict[str, Any]:
    """`create{name}`, `update{name}`, `delete{name}` fields returning `{name}Payload`, and their bulk
    forms `create{plural}` … (plural default: English rules) returning `{plural}Payload`; ``remove``
    deletes one record (default ``delete``)."""
    payload = payload_type(name, api)
    plural = plural or plural_of(name)
    bulk_payload = bulk_payload_type(plural, api.node, api.user_error)

    def reply(record: RecordMixin | None, errors: list[UserError]) -> Any:
        return respond(name, api, record, errors)

    def bulk_reply(nodes: list[Any], errors: list[Any]) -> Any:
        return bulk_respond(plural, api.node, api.user_error, nodes, errors)

    def present(record: RecordMixin) -> Any:
        return from_record(api.node, record)

    def created(info: Info) -> Callable[[AsyncSession, Any], Awaitable[RecordMixin]]:
        return lambda s, item: create(s, rules, input_values(item), info.context.actor, info.context.principal)

    def updated(info: Info) -> Callable[[AsyncSession, Any], Awaitable[RecordMixin]]:
        return lambda s, item: update(s, rules, require_uuid(item.id), item.version, input_values(item),
                                      info.context.actor, info.context.principal)

    def removed(info: Info) -> Callable[[AsyncSession, Any], Awaitable[RecordMixin]]:
        return lambda s, item: remove(s, rules, require_uuid(item.id), item.version, info.context.actor,
                                      info.context.principal)

    async def create_resolver(info: Info, input: api.create_input) -> payload:  # type: ignore[valid-type]
        return reply(*await run_mutation(info, lambda s: created(info)(s, input)))

    async def update_resolver(info: Info, input: api.update_input) -> payload:  # type: ignore[valid-type]
        return reply(*await run_mutation(info, lambda s: updated(info)(s, input)))

    async def delete_resolver(info: Info, input: DeleteInput) -> payload:  # type: ignore[valid-type]
        return reply(*await run_mutation(info, lambda s: removed(info)(s, input)))

    create_many = api.create_input and list_input(f"Create{plural}Input", api.create_input, f"{plural} to create.")
    update_many = list_input(f"Update{plural}Input", api.update_input, f"Changes to {plural}, each with its version.")
    delete_many = list_input(f"Delete{plural}Input", DeleteInput, f"{plural} to delete, each with its version.")

    async def create_many_resolver(info: Info, input: create_many) -> bulk_payload:  # type: ignore[valid-type]
        return bulk_reply(*await run_bulk(info, input.items, created(info), present))

    async def update_many_resolver(info: Info, input: update_many) -> bulk_payload:  # type: ignore[valid-type]
        return bulk_reply(*await run_bulk(info, input.items, updated(info), present))

    async def delete_many_resolver(info: Info, input: delete_many) -> bulk_payload:  # type: ignore[valid-type]
        return bulk_reply(*await run_bulk(info, input.items, removed(info), present))

    all_or_nothing = "in one transaction: all, or none with every item's errors"
    creates = {} if api.create_input is None else {
        f"create_{snake_case(name)}": strawberry.mutation(resolver=create_resolver, description=f"Create a {name}."),
        f"create_{snake_case(plural)}": strawberry.mutation(
            resolver=create_many_resolver, description=f"Create {plural} {all_or_nothing}."),
    }
    return creates | {
        f"update_{snake_case(name)}": strawberry.mutation(
            resolver=update_resolver, description=f"Change a {name}; needs the version you read."),
        f"delete_{snake_case(name)}": strawberry.mutation(
            resolver=delete_resolver, description=f"Delete a {name} nothing depends on; needs the version you read."),
        f"update_{snake_case(plural)}": strawberry.mutation(
            resolver=update_many_resolver, description=f"Change {plural} {all_or_nothing}."),
        f"delete_{snake_case(plural)}": strawberry.mutation(
            resolver=delete_many_resolver, description=f"Delete {plural} {all_or_nothing}."),
    }


def plural_of(name: str) -> str:
    """The English plural of an entity name (irregular ones are given: ``plural=`` of ``crud_mutations``)."""
    if name.endswith(("s", "x", "ch", "sh")):
        return f"{name}es"
    if name.endswith("y") and name[-2] not in "aeiou":
        return f"{name[:-1]}ies"
    return f"{name}s"


def snake_case(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


def mutation_type(*groups: dict[str, Any]) -> type:
    """The Mutation root type of a subgraph from ``crud_mutations`` groups and other fields."""
    fields: dict[str, Any] = {}
    for group in groups:
        fields |= group
    return strawberry.type(type("Mutation", (), fields))
