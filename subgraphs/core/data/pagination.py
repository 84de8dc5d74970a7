"""Relay cursor connections over keyset pagination.

Cursors carry the sort key values of an edge, so a page is one indexed range scan however
deep the client pages; ``totalCount`` is a separate query that runs only when selected.
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

import orjson
import strawberry
from sqlalchemy import ColumnElement, Select, and_, func, or_, select

from subgraphs.core.base.errors import ClientError, ErrorCode
from subgraphs.core.data.storable import sendable_timestamp
from subgraphs.core.runtime.settings import DEFAULT_PAGE_SIZE

T = TypeVar("T")



@strawberry.federation.type(shareable=True, description="Relay page information.")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    node: T
    position: strawberry.Private[list[Any]]  # the node's sort key values

    # Encoded when asked for: most pages are read without their edges' cursors.
    @strawberry.field(description="This edge's position, for `after:` or `before:`.")
    def cursor(self) -> str:
        return encode_cursor(self.position)


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="Number of items matching the filter; costs one query.")
    async def total_count(self) -> int:
        return await self.count()


@dataclass(frozen=True)
class SortKey:
    column: ColumnElement[Any]
    descending: bool = False


@dataclass(frozen=True)
class PageArgs:
    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None

    def size(self, max_page_size: int) -> int:
        if self.first is not None and self.last is not None:
            raise ClientError(ErrorCode.PAGE_SIZE, "Pass either `first` or `last`, not both.", "first")
        size = self.last if self.last is not None else self.first
        if size is None:
            return min(DEFAULT_PAGE_SIZE, max_page_size)
        name = "last" if self.last is not None else "first"
        if size < 0 or size > max_page_size:
            raise ClientError(
                ErrorCode.PAGE_SIZE, f"`{name}` must be between 0 and {max_page_size}.", name
            )
        return size


def _json_default(value: Any) -> Any:
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    raise TypeError(type(value))


def encode_cursor(values: Sequence[Any]) -> str:
    raw = orjson.dumps(list(values), default=_json_default)
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, keys: Sequence[SortKey], field: str) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = orjson.loads(raw)
        if not isinstance(values, list) or len(values) != len(keys):
            raise ValueError("wrong arity")
        return [_from_json(value, key) for value, key in zip(values, keys, strict=True)]
    except (ValueError, TypeError) as error:
        raise ClientError(ErrorCode.INVALID_CURSOR, f"`{field}` is not a cursor of this list.", field) from error


def _from_json(value: Any, key: SortKey) -> Any:
    python_type = key.column.type.python_type
    # A cursor holds one scalar a key; an object, a list or a NUL (which PostgreSQL text cannot hold)
    # is a forged one, not something to convert or send to the database.
    if isinstance(value, dict | list) or (isinstance(value, str) and "\x00" in value):
        raise ValueError("not a sort key value")
    if value is None or isinstance(value, python_type):
        return value
    if python_type is uuid.UUID:
        return uuid.UUID(value)
    if python_type is dt.datetime:
        timestamp = dt.datetime.fromisoformat(value)
        if not sendable_timestamp(timestamp):
            raise ValueError("timestamp out of range")
        return timestamp
    if python_type is dt.date:
        return dt.date.fromisoformat(value)
    if python_type is Decimal:
        return Decimal(value)
    return python_type(value)


def _beyond(keys: Sequence[SortKey], values: Sequence[Any], forward: bool) -> ColumnElement[bool]:
    """Rows strictly after (forward) or before the cursor position in the given order."""
    alternatives = []
    for i, key in enumerate(keys):
        equal_prefix = [k.column == v for k, v in zip(keys[:i], values[:i], strict=True)]
        greater = forward != key.descending
        step = key.column > values[i] if greater else key.column < values[i]
        alternatives.append(and_(*equal_prefix, step))
    return or_(*alternatives)


async def paginate(
    fetch: Callable[[Select[Any]], Awaitable[Sequence[Any]]],
    count: Callable[[Select[Any]], Awaitable[int]],
    statement: Select[Any],
    keys: Sequence[SortKey],
    args: PageArgs,
    to_node: Callable[[Any], T],
    max_page_size: int,
) -> Connection[T]:
    """One page of ``statement`` ordered by ``keys`` (which must end in a unique column)."""
    size = args.size(max_page_size)
    backwards = args.last is not None
    page = statement
    if args.after is not None:
        page = page.where(_beyond(keys, decode_cursor(args.after, keys, "after"), True))
    if args.before is not None:
        page = page.where(_beyond(keys, decode_cursor(args.before, keys, "before"), False))
    ordering = [
        (k.column.desc() if k.descending != backwards else k.column.asc()) for k in keys
    ]
    rows = list(await fetch(page.order_by(*ordering).limit(size + 1)))
    has_more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    names = [k.column.key for k in keys]
    edges = [Edge(node=to_node(row), position=[row[n] for n in names]) for row in rows]
    page_info = PageInfo(
        has_next_page=has_more if not backwards else args.before is not None,
        has_previous_page=has_more if backwards else args.after is not None,
        start_cursor=edges[0].cursor() if edges else None,
        end_cursor=edges[-1].cursor() if edges else None,
    )
    counted = select(func.count()).select_from(statement.order_by(None).subquery())
    return Connection(edges=edges, page_info=page_info, count=lambda: count(counted))
