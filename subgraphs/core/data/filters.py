"""`filter:` arguments: typed operator inputs, per-entity filter inputs with and/or/not, and SQL.

Every operator becomes a bound parameter in SQL (LIKE wildcards in user text are escaped), so a
filter value is data, never SQL.
"""

# No `from __future__ import annotations`: Strawberry reads the generated inputs' annotations as objects.
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import strawberry
from sqlalchemy import ColumnElement, and_, false, func, not_, or_, true

from subgraphs.core.base.errors import ClientError, ErrorCode
from subgraphs.core.base.ids import require_uuid
from subgraphs.core.data.db import one_of
from subgraphs.core.data.storable import nul_errors, sendable_timestamp
from subgraphs.core.runtime.settings import get_settings


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@strawberry.input(description="Text conditions; `contains` and `startsWith` ignore case.")
class StringFilter:
    eq: str | None = None
    in_: list[str] | None = strawberry.field(name="in", default=None)
    contains: str | None = None
    starts_with: str | None = None
    is_null: bool | None = None


@strawberry.input(description="Whole-number conditions.")
class IntFilter:
    eq: int | None = None
    in_: list[int] | None = strawberry.field(name="in", default=None)
    gt: int | None = None
    gte: int | None = None
    lt: int | None = None
    lte: int | None = None
    is_null: bool | None = None


@strawberry.input(description="Decimal-number conditions.")
class FloatFilter:
    eq: float | None = None
    gt: float | None = None
    gte: float | None = None
    lt: float | None = None
    lte: float | None = None
    is_null: bool | None = None


@strawberry.input(description="Date conditions (ISO 8601 dates).")
class DateFilter:
    eq: dt.date | None = None
    gt: dt.date | None = None
    gte: dt.date | None = None
    lt: dt.date | None = None
    lte: dt.date | None = None
    is_null: bool | None = None


@strawberry.input(description="Timestamp conditions.")
class DateTimeFilter:
    gt: dt.datetime | None = None
    gte: dt.datetime | None = None
    lt: dt.datetime | None = None
    lte: dt.datetime | None = None


@strawberry.input(description="Reference conditions: the id equals, or is one of, these.")
class IDFilter:
    eq: strawberry.ID | None = None
    in_: list[strawberry.ID] | None = strawberry.field(name="in", default=None)
    is_null: bool | None = None


@strawberry.input(description="Yes/no condition.")
class BooleanFilter:
    eq: bool | None = None


def prefix_key(column: ColumnElement[Any]) -> ColumnElement[Any]:
    """What the prefix indexes hold: the text lower-cased, in code point order (the migrations index
    ``lower(column) COLLATE "C"`` on every column `startsWith` is offered on)."""
    return func.lower(column).collate("C")


def _next_prefix(prefix: str) -> str | None:
    """The first string after every string that starts with ``prefix``, in code point order."""
    while prefix:
        last = ord(prefix[-1]) + 1
        if last == 0xD800:  # surrogates are not characters
            last = 0xE000
        if last <= 0x10FFFF:
            return prefix[:-1] + chr(last)
        prefix = prefix[:-1]
    return None


def starts_with(column: ColumnElement[Any], prefix: str) -> ColumnElement[bool]:
    """Case-insensitive prefix match as a range of the prefix index, which a prepared statement's
    generic plan can use too (a LIKE pattern in a parameter cannot): `CAT-1` is ≥ 'cat-1' and < 'cat-2'."""
    low, key = prefix.lower(), prefix_key(column)
    after = _next_prefix(low)
    return and_(key >= low, key < after) if after is not None else key >= low


_COMPARISONS = {
    "eq": lambda c, v: c == v,
    "gt": lambda c, v: c > v,
    "gte": lambda c, v: c >= v,
    "lt": lambda c, v: c < v,
    "lte": lambda c, v: c <= v,
    "in_": lambda c, v: one_of(c, v),  # one array parameter: the statement keeps its shape
    "contains": lambda c, v: c.ilike(f"%{_like_escape(v)}%", escape="\\"),
    "starts_with": lambda c, v: starts_with(c, v),
    "is_null": lambda c, v: c.is_(None) if v else c.is_not(None),
}


@dataclass(frozen=True, eq=False)  # a column compares as SQL, not as a bool
class Operators:
    """SQL for any operator input (StringFilter, IntFilter, …) applied to ``column``, which it keeps
    so tests can find every column `startsWith` is offered on (each needs its prefix index)."""

    column: ColumnElement[Any]

    def __call__(self, condition: Any) -> ColumnElement[bool]:
        parts = []
        for name, value in vars(condition).items():
            if value is None:
                continue
            if isinstance(condition, IDFilter) and name in ("eq", "in_"):
                value = require_uuid(value, "filter") if name == "eq" else [require_uuid(v, "filter") for v in value]
            if isinstance(value, dt.datetime) and not sendable_timestamp(value):
                raise ClientError(ErrorCode.BAD_USER_INPUT, f"{value.isoformat()} is outside the timestamps that "
                                  "can be compared (years 1 to 9999 in UTC).", "filter")
            parts.append(_COMPARISONS[name](self.column, value))
        return and_(true(), *parts)


def operators(column: ColumnElement[Any]) -> Operators:
    return Operators(column)


def array_contains(column: ColumnElement[Any]) -> Callable[[Any], ColumnElement[bool]]:
    """An IDFilter on an array of ids: the array holds ``eq`` / any of ``in``."""

    def clause(condition: IDFilter) -> ColumnElement[bool]:
        parts = []
        if condition.eq is not None:
            parts.append(column.contains([require_uuid(condition.eq, "filter")]))
        if condition.in_ is not None:
            parts.append(column.overlap([require_uuid(v, "filter") for v in condition.in_]))
        if condition.is_null is not None:
            parts.append(column == [] if condition.is_null else column != [])
        return and_(true(), *parts)

    return clause


@dataclass(frozen=True)
class FilterField:
    """One field of an entity filter: its input type and how it becomes SQL."""

    input_type: type
    clause: Callable[[Any], ColumnElement[bool]]
    description: str | None = None


def filter_input(name: str, fields: dict[str, FilterField], description: str) -> type:
    """A Strawberry input ``name`` with ``fields`` plus ``and``/``or``/``not`` of itself."""
    cls = type(name, (), {"__annotations__": {k: f.input_type | None for k, f in fields.items()}})
    for key, spec in fields.items():
        setattr(cls, key, strawberry.field(default=None, description=spec.description))
    cls.__annotations__ |= {"and_": list[cls] | None, "or_": list[cls] | None, "not_": cls | None}
    cls.and_ = strawberry.field(name="and", default=None, description="Every one of these holds.")
    cls.or_ = strawberry.field(name="or", default=None, description="At least one of these holds.")
    cls.not_ = strawberry.field(name="not", default=None, description="This does not hold.")
    cls.__filter_fields__ = fields
    return strawberry.input(cls, description=description)


def filter_clause(condition: Any) -> ColumnElement[bool]:
    """SQL for a filter input built by ``filter_input`` (None: no condition). Text with a NUL
    character is refused: PostgreSQL cannot take it as a parameter (and no stored text holds one)."""
    if condition is None:
        return true()
    if refused := filter_refusal(condition):
        raise refused
    if refused := nul_errors({"filter": condition}):
        raise refused["filter"][0]
    return _clause(condition)


def filter_refusal(condition: Any) -> ClientError | None:
    """A filter with more terms or and/or/not levels than the settings allow, as a typed error:
    building and planning its SQL (and converting it to inputs) would hold the subgraph for seconds.
    ``condition`` is a filter input or its JSON (core/limits.py checks the request's before execution)."""
    settings = get_settings()
    terms, levels = filter_size(condition)
    if terms > settings.max_filter_terms:
        return ClientError(ErrorCode.FILTER_TOO_LARGE, f"This filter has {terms:,} conditions; the limit is "
                           f"{settings.max_filter_terms:,}.", "filter")
    if levels > settings.max_filter_depth:
        return ClientError(ErrorCode.FILTER_TOO_LARGE, f"This filter nests and/or/not {levels} levels deep; the "
                           f"limit is {settings.max_filter_depth}.", "filter")
    return None


def _entries(value: Any) -> dict[str, Any]:
    """An input's fields, whether a JSON object or a converted input (whose keys may end in `_`)."""
    if isinstance(value, dict):
        return value
    return {k.rstrip("_"): v for k, v in vars(value).items()} if hasattr(value, "__dict__") else {}


def filter_size(condition: Any) -> tuple[int, int]:
    """(operator conditions, and/or/not levels) of a filter; an `in` list counts each value.
    Iterative, so a filter nested past Python's recursion limit is measured, not crashed on."""
    terms = levels = 0
    pending = [(condition, 0)]
    while pending:
        current, level = pending.pop()
        levels = max(levels, level)
        for key, value in _entries(current).items():
            if value is None:
                continue
            if key in ("and", "or", "not"):
                pending.extend((child, level + 1) for child in (value if isinstance(value, list) else [value]))
            else:  # an operator input (StringFilter, …), or a plain value such as `search`
                operands = _entries(value).values() if _entries(value) else [value]
                terms += sum(len(v) if isinstance(v, list) else 1 for v in operands if v is not None)
    return terms, levels


def _clause(condition: Any) -> ColumnElement[bool]:
    if condition is None:
        return true()
    parts = [
        spec.clause(value)
        for key, spec in condition.__filter_fields__.items()
        if (value := getattr(condition, key)) is not None
    ]
    if condition.and_:
        parts.extend(_clause(c) for c in condition.and_)
    if condition.or_ is not None:
        parts.append(or_(false(), *(_clause(c) for c in condition.or_)))
    if condition.not_ is not None:
        parts.append(not_(_clause(condition.not_)))
    return and_(true(), *parts)


def full_text(columns: Sequence[ColumnElement[Any]]) -> Callable[[str], ColumnElement[bool]]:
    """Prefix full-text search (core PostgreSQL, no extensions) over the ``tsvector`` columns given."""

    def clause(text: str) -> ColumnElement[bool]:
        words = [w for w in "".join(c if c.isalnum() else " " for c in text).split() if w]
        if not words:
            raise ClientError(ErrorCode.BAD_USER_INPUT, "`search` needs at least one letter or digit.", "search")
        if len(words) > (limit := get_settings().max_search_words):
            raise ClientError(ErrorCode.FILTER_TOO_LARGE, f"`search` has {len(words):,} words; the limit is "
                              f"{limit}.", "search")
        query = func.to_tsquery("simple", " & ".join(f"{w.lower()}:*" for w in words))
        return or_(*(column.bool_op("@@")(query) for column in columns))

    return clause
