"""Root-field factories, so every entity gets the same `x(id:)` and Relay list fields."""

# No `from __future__ import annotations`: Strawberry reads these resolvers' annotations as objects.
from collections.abc import Callable
from typing import Any, TypeVar

import strawberry
from sqlalchemy import Select, Table, select, true

from subgraphs.core.base.ids import parse_uuid, require_uuid
from subgraphs.core.data.filters import filter_clause
from subgraphs.core.data.lean import Batched, Paged, Reads, lean_columns
from subgraphs.core.data.loaders import RowByIdLoader, RowsByParentLoader, Visibility, only_columns
from subgraphs.core.data.ordering import sort_keys
from subgraphs.core.data.pagination import Connection, PageArgs, paginate
from subgraphs.core.data.types import from_row, from_row_or_none
from subgraphs.core.execution.context import Info
from subgraphs.core.writes.audit import AuditEntry

T = TypeVar("T")


async def load_by_id(info: Info, loader: type[RowByIdLoader], node: type[T], id: object) -> T | None:
    """The entity with this id, through the request's batching loader; None for a bad or unknown id.
    Lean when the executor recorded the columns this field's ``node`` objects need (core.lean)."""
    key = parse_uuid(id)
    if key is None:
        return None
    columns = lean_columns(info, node.__strawberry_definition__.name)  # type: ignore[attr-defined]
    return from_row_or_none(node, await info.context.loaders.lean(loader, columns).load(key), columns is not None)


async def load_list(info: Info, loader: type[Any], node: type[T], key: object) -> list[T]:
    """The rows a one-to-many loader gives for ``key`` (an id or UUID), as ``node`` objects."""
    parsed = parse_uuid(key)
    rows = await info.context.loaders[loader].load(parsed) if parsed is not None else []
    return [from_row(node, row) for row in rows]


async def load_by_ids(info: Info, loader: type[RowByIdLoader], node: type[T], ids: list[Any]) -> list[T]:
    """The records with these ids, in order; unknown, malformed or unreadable ones left out."""
    keys = [key for key in map(parse_uuid, ids) if key is not None]
    rows = await info.context.loaders[loader].load_many(keys)
    return [from_row(node, row) for row in rows if row is not None]


def batched_field(loader: type[Any], node: type[Any], returns: Any, pick: Callable[[Any], Any] | None = None,
                  key: str = "id", reads: tuple[str, ...] = (), description: str | None = None) -> Any:
    """A field of type ``returns``: what ``loader`` gives for the object's ``key`` attribute (an id),
    as ``node`` objects (a list for a list loader), passed through ``pick`` when given. It reads the
    object's ``key`` only and loads, for a whole list of objects at once, just the columns the
    selection needs — plus ``reads``, the attributes of ``node`` that ``pick`` looks at."""
    declaration = Batched(loader, key, reads)

    async def resolve(root: Any, info: Info) -> Any:
        parsed = parse_uuid(getattr(root, key))
        columns = lean_columns(info)
        value = None if parsed is None else await info.context.loaders.lean(loader, columns).load(parsed)
        lean = columns is not None
        objects = [from_row(node, row, lean) for row in value] if isinstance(value, list) \
            else from_row_or_none(node, value, lean)
        return objects if pick is None else pick(objects)

    return strawberry.field(resolver=resolve, graphql_type=returns, description=description,
                            extensions=[declaration])


def extension_resolver() -> classmethod:
    """`resolve_reference` of an entity another subgraph owns and this one extends: no query needed."""

    def resolve_reference(cls: type, id: strawberry.ID) -> Any:
        return cls(id=id)

    return classmethod(resolve_reference)


def entity_resolver(loader: type[RowByIdLoader]) -> classmethod:
    """A federation ``resolve_reference`` that batches all representations into one query."""

    async def resolve_reference(cls: type, info: Info, id: strawberry.ID) -> Any:
        return await load_by_id(info, loader, cls, id)

    return classmethod(resolve_reference)


def by_id_field(node: type[T], loader: type[RowByIdLoader], description: str) -> Any:
    async def resolve(info: Info, id: strawberry.ID) -> node | None:  # type: ignore[valid-type]
        return await load_by_id(info, loader, node, require_uuid(id))

    return strawberry.field(resolver=resolve, description=description)


def history_field(loader: type[RowsByParentLoader]) -> Any:
    """`history`: the record's versions from its schema's audit log, oldest first."""

    async def resolve(root: Any, info: Info) -> list[AuditEntry]:
        rows = await info.context.loaders[loader].load(parse_uuid(root.id))
        return [from_row(AuditEntry, row) for row in rows]

    return strawberry.field(resolver=resolve, description="Every version of this record, oldest first.",
                            extensions=[Reads("id")])


def _connection_resolver(node: type[T], table: Table, rows: Callable[[Visibility], Select[Any]],
                         filter_type: type | None, order_type: type | None) -> Callable[..., Any]:
    def to_node(row: Any) -> T:
        return from_row(node, row)

    def to_lean_node(row: Any) -> T:
        return from_row(node, row, lean=True)

    async def page(info: Info, where: Any, order_by: Any, args: PageArgs) -> Connection[T]:
        ctx = info.context
        keys = sort_keys(order_by, table.c.id)
        statement = rows(ctx.visible).where(ctx.visible(table), where)
        columns = lean_columns(info, node.__strawberry_definition__.name)  # type: ignore[attr-defined]
        if columns is not None:
            statement = only_columns(statement, columns | {"id"} | {key.column.key for key in keys})
        return await paginate(ctx.db.fetch, ctx.db.scalar, statement, keys, args,
                              to_node if columns is None else to_lean_node, ctx.settings.max_page_size)

    if filter_type is None:
        async def resolve_plain(
            info: Info, first: int | None = None, after: str | None = None,
            last: int | None = None, before: str | None = None,
        ) -> Connection[node]:  # type: ignore[valid-type]
            return await page(info, true(), None, PageArgs(first, after, last, before))

        return resolve_plain

    async def resolve(
        info: Info,
        filter: filter_type | None = None,  # type: ignore[valid-type]
        order_by: list[order_type] | None = None,  # type: ignore[valid-type]
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[node]:  # type: ignore[valid-type]
        return await page(info, filter_clause(filter), order_by, PageArgs(first, after, last, before))

    return resolve


def connection_field(
    node: type[T],
    table: Table,
    description: str,
    filter_type: type | None = None,
    order_type: type | None = None,
    rows: Callable[[Visibility], Select[Any]] | None = None,
) -> Any:
    """A Relay connection over ``rows`` (default: all of ``table``) the caller may read, in
    creation order, with `filter:` and `orderBy:` when their input types are given."""
    resolver = _connection_resolver(node, table, rows or (lambda _: select(table)), filter_type, order_type)
    return strawberry.field(resolver=resolver, description=description, extensions=[Paged()])
