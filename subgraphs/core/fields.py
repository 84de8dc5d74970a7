"""Root-field factories, so every entity gets the same `x(id:)` and Relay list fields."""

# No `from __future__ import annotations`: Strawberry reads these resolvers' annotations as objects.
from collections.abc import Callable
from typing import Any, TypeVar

import strawberry
from sqlalchemy import Select, Table, select

from .audit import AuditEntry
from .context import Info
from .filters import filter_clause
from .ids import parse_uuid, require_uuid
from .loaders import RowByIdLoader, RowsByParentLoader
from .ordering import sort_keys
from .pagination import Connection, PageArgs, SortKey, paginate
from .types import from_row, from_row_or_none

T = TypeVar("T")


async def load_by_id(info: Info, loader: type[RowByIdLoader], node: type[T], id: object) -> T | None:
    """The entity with this id, through the request's batching loader; None for a bad or unknown id."""
    key = parse_uuid(id)
    if key is None:
        return None
    return from_row_or_none(node, await info.context.loaders[loader].load(key))


def entity_resolver(loader: type[RowByIdLoader]) -> classmethod:
    """A federation ``resolve_reference`` that batches all representations into one query."""

    async def resolve_reference(cls: type, info: Info, id: strawberry.ID) -> Any:
        return await load_by_id(info, loader, cls, id)

    return classmethod(resolve_reference)


def by_id_field(node: type[T], loader: type[RowByIdLoader], description: str) -> Any:
    async def resolve(info: Info, id: strawberry.ID) -> node | None:  # type: ignore[valid-type]
        return await load_by_id(info, loader, node, require_uuid(id))

    return strawberry.field(resolver=resolve, description=description)


def connection_field(
    node: type[T],
    statement: Callable[[], Select[Any]],
    keys: list[SortKey],
    description: str,
) -> Any:
    """A Relay connection over ``statement`` in keyset order ``keys``."""

    def to_node(row: Any) -> T:
        return from_row(node, row)

    async def resolve(
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[node]:  # type: ignore[valid-type]
        ctx = info.context
        return await paginate(
            ctx.db.fetch, ctx.db.scalar, statement(), keys,
            PageArgs(first, after, last, before), to_node, ctx.settings.max_page_size,
        )

    return strawberry.field(resolver=resolve, description=description)


def history_field(loader: type[RowsByParentLoader]) -> Any:
    """`history`: the record's versions from its schema's audit log, oldest first."""

    async def resolve(root: Any, info: Info) -> list[AuditEntry]:
        rows = await info.context.loaders[loader].load(parse_uuid(root.id))
        return [from_row(AuditEntry, row) for row in rows]

    return strawberry.field(resolver=resolve, description="Every version of this record, oldest first.")


def filtered_connection_field(
    node: type[T],
    table: Table,
    description: str,
    filter_type: type,
    order_type: type,
    rows: Callable[[], Select[Any]] | None = None,
) -> Any:
    """A Relay connection with `filter:` and `orderBy:` over ``rows`` (default: all of ``table``)."""
    statement = rows or (lambda: select(table))

    def to_node(row: Any) -> T:
        return from_row(node, row)

    async def resolve(
        info: Info,
        filter: filter_type | None = None,  # type: ignore[valid-type]
        order_by: list[order_type] | None = None,  # type: ignore[valid-type]
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[node]:  # type: ignore[valid-type]
        ctx = info.context
        return await paginate(
            ctx.db.fetch, ctx.db.scalar, statement().where(filter_clause(filter)),
            sort_keys(order_by, table.c.id), PageArgs(first, after, last, before), to_node,
            ctx.settings.max_page_size,
        )

    return strawberry.field(resolver=resolve, description=description)
