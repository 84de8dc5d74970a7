"""Root-field factories, so every entity gets the same `x(id:)` and Relay list fields."""

# No `from __future__ import annotations`: Strawberry reads these resolvers' annotations as objects.
from collections.abc import Callable
from typing import Any, TypeVar

import strawberry
from sqlalchemy import Select, Table, select, true

from .audit import AuditEntry
from .context import Info
from .filters import filter_clause
from .ids import parse_uuid, require_uuid
from .loaders import RowByIdLoader, RowsByParentLoader, only_columns
from .ordering import sort_keys
from .pagination import Connection, PageArgs, paginate
from .permissions import Visibility
from .types import from_row, from_row_or_none

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


async def load_by_id(info: Info, loader: type[RowByIdLoader], node: type[T], id: object) -> T | None:
    """The entity with this id, through the request's batching loader; None for a bad or unknown id."""
    key = parse_uuid(id)
    if key is None:
        return None
    return from_row_or_none(node, await info.context.loaders[loader].load(key))


async def load_list(info: Info, loader: type[Any], node: type[T], key: object) -> list[T]:
    """The rows a one-to-many loader gives for ``key`` (an id or UUID), as ``node`` objects."""
    parsed = parse_uuid(key)
    rows = await info.context.loaders[loader].load(parsed) if parsed is not None else []
    return [from_row(node, row) for row in rows]


async def load_each_by_id(info: Info, loader: type[RowByIdLoader], node: type[T], ids: list[Any],
                          columns: frozenset[str] | None = None) -> list[T | None]:
    """The record for each id, in order, in one batch: None for a malformed, unknown or unreadable id.
    ``columns``: read only these (the fast path, which knows what the query selects)."""
    keys = [parse_uuid(id) for id in ids]
    rows = iter(await info.context.loaders.lean(loader, columns).load_all([key for key in keys if key is not None]))
    return [None if key is None else from_row_or_none(node, next(rows)) for key in keys]


async def load_by_ids(info: Info, loader: type[RowByIdLoader], node: type[T], ids: list[Any]) -> list[T]:
    """The records with these ids, in order; unknown or unreadable ones left out."""
    return [record for record in await load_each_by_id(info, loader, node, ids) if record is not None]


def needs(*attributes: str) -> Callable[[F], F]:
    """Declares what of its object a resolver reads, so the fast path may load just that (and what
    the query selects) instead of whole rows. A resolver without it gets whole rows."""

    def mark(resolver: F) -> F:
        resolver.needs = attributes  # type: ignore[attr-defined]
        return resolver

    return mark


def loaded(loader: type[Any], key: str = "id", reads: tuple[str, ...] = ()) -> Callable[[Callable[[Any, Any], T]], Callable[..., Any]]:
    """Turns ``shape(self, value)`` into the resolver ``(self, info)`` that passes it what ``loader``
    gives for the object's ``key`` (an id; None gives what the loader gives for no match). Strawberry
    calls it object by object, batched by the dataloader; the fast path calls its ``batch`` once for
    a whole list of objects (one ``load_all``, no coroutine and future per object), with the columns
    the query selects of the rows' type — plus ``reads``, the columns ``shape`` itself looks at."""

    def decorate(shape: Callable[[Any, Any], T]) -> Callable[..., Any]:
        async def resolve(self: Any, info: Info) -> T:
            parsed = parse_uuid(getattr(self, key))
            return shape(self, None if parsed is None else await info.context.loaders[loader].load(parsed))

        async def batch(info: Info, sources: list[Any], columns: frozenset[str] | None = None) -> list[T]:
            keys = [parse_uuid(getattr(source, key)) for source in sources]
            lean = info.context.loaders.lean(loader, None if columns is None else columns | set(reads))
            values = iter(await lean.load_all([k for k in keys if k is not None]))
            return [shape(source, None if k is None else next(values)) for source, k in zip(sources, keys, strict=True)]

        # Strawberry reads the resolver's name, module and annotations: the shape's, minus its value.
        resolve.__name__, resolve.__qualname__, resolve.__module__ = shape.__name__, shape.__qualname__, shape.__module__
        resolve.__doc__ = shape.__doc__
        resolve.__annotations__ = {"info": Info, "return": shape.__annotations__["return"]}
        resolve.batch = batch  # type: ignore[attr-defined]
        resolve.needs = (key,)  # type: ignore[attr-defined]
        return resolve

    return decorate


def extension_resolver() -> classmethod:
    """`resolve_reference` of an entity another subgraph owns and this one extends: no query needed."""

    def resolve_reference(cls: type, id: strawberry.ID) -> Any:
        return cls(id=id)

    return classmethod(resolve_reference)


def entity_resolver(loader: type[RowByIdLoader]) -> classmethod:
    """A federation ``resolve_reference`` that batches all representations into one query."""

    async def resolve_reference(cls: type, info: Info, id: strawberry.ID) -> Any:
        return await load_by_id(info, loader, cls, id)

    resolve_reference.loader = loader  # type: ignore[attr-defined]  # the fast path loads a type's references at once

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

    return strawberry.field(resolver=resolve, description="Every version of this record, oldest first.")


def _connection_resolver(node: type[T], table: Table, rows: Callable[[Visibility], Select[Any]],
                         filter_type: type | None, order_type: type | None) -> Callable[..., Any]:
    def to_node(row: Any) -> T:
        return from_row(node, row)

    async def page(info: Info, where: Any, order_by: Any, args: PageArgs) -> Connection[T]:
        ctx = info.context
        keys = sort_keys(order_by, table.c.id)
        statement = rows(ctx.visible).where(ctx.visible(table), where)
        columns = getattr(info, "columns", None)  # set by the fast path: what the query selects of the nodes
        if columns is not None:
            statement = only_columns(statement, columns | {"id"} | {key.column.key for key in keys})
        return await paginate(ctx.db.fetch, ctx.db.scalar, statement, keys, args, to_node, ctx.settings.max_page_size)

    if filter_type is None:
        async def resolve_plain(
            info: Info, first: int | None = None, after: str | None = None,
            last: int | None = None, before: str | None = None,
        ) -> Connection[node]:  # type: ignore[valid-type]
            return await page(info, true(), None, PageArgs(first, after, last, before))

        resolve_plain.pages = True  # type: ignore[attr-defined]
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

    resolve.pages = True  # type: ignore[attr-defined]  # the fast path passes its nodes' columns in info.columns
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
    return strawberry.field(resolver=resolver, description=description)
