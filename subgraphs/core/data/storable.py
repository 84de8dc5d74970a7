"""Values the database can store: the column lengths read once from the models, and NUL characters
(PostgreSQL text holds none), found before a write or an import row reaches the database, whose error
would end the whole request as an unexpected one."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from sqlalchemy import ARRAY, String, inspect
from strawberry.utils.str_converters import to_camel_case

from subgraphs.core.base.errors import ClientError, ErrorCode

NUL, ESCAPED_NUL = "\x00", "\\u0000"


@cache
def _limits(model: Any) -> tuple[dict[str, int], dict[str, int]]:
    """The most characters each ``String(n)`` column of a model or table holds, and each item of an
    ``ARRAY(String(n))`` column, by attribute key: read from the column types once per model."""
    columns = inspect(model).columns
    scalars = {key: c.type.length for key, c in columns.items() if isinstance(c.type, String) and c.type.length}
    items = {key: c.type.item_type.length for key, c in columns.items()
             if isinstance(c.type, ARRAY) and isinstance(c.type.item_type, String) and c.type.item_type.length}
    return scalars, items


def column_limits(model: Any) -> dict[str, int]:
    """How many characters each ``String(n)`` column of ``model`` (a mapped class or a Table) holds, by key."""
    return _limits(model)[0]


def sendable_timestamp(value: dt.datetime) -> bool:
    """Whether the driver can send ``value``: it converts an aware timestamp to UTC first, which
    overflows outside years 1–9999 (``0001-01-01T00:00:00+14:00``) as an unexpected error."""
    try:
        if value.tzinfo:
            value.astimezone(dt.UTC)
    except OverflowError:
        return False
    return True


def too_long(field: str, limit: int) -> ClientError:
    return ClientError(ErrorCode.BAD_USER_INPUT, f"{field} is longer than {limit} characters.", field)


def _too_long(value: object, limit: int) -> bool:
    # As varchar(n) does: excess characters that are all spaces are cut off, not an error.
    return isinstance(value, str) and len(value) > limit and bool(value[limit:].strip(" "))


def _nul_paths(value: object, path: str) -> Iterator[str]:
    """The dotted paths, under ``path``, of the strings in ``value`` (JSON, lists, input objects) with a NUL."""
    if isinstance(value, str):
        if NUL in value:
            yield path
    elif isinstance(value, Mapping):
        for key, item in value.items():
            name = str(key)
            inner = f"{path}.{name.replace(NUL, ESCAPED_NUL)}"
            if NUL in name:
                yield inner
            yield from _nul_paths(item, inner)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _nul_paths(item, f"{path}.{index}")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):  # Strawberry input objects
        for item in dataclasses.fields(value):
            yield from _nul_paths(getattr(value, item.name), f"{path}.{to_camel_case(item.name)}")


def nul_errors(values: Mapping[str, Any]) -> dict[str, list[ClientError]]:
    """Values (by attribute key) with a NUL character anywhere in them, which PostgreSQL text and jsonb
    cannot hold: the errors of each, naming the field in camelCase as GraphQL inputs spell it, with the
    dotted path of the item (``aliases.1``, ``managedAttributes.key``, ``identifiers.0.value``)."""
    found: dict[str, list[ClientError]] = {}
    for key, value in values.items():
        if errors := [ClientError(ErrorCode.BAD_USER_INPUT,
                                  f"{path} contains a NUL character ({ESCAPED_NUL}), which cannot be stored.", path)
                      for path in _nul_paths(value, to_camel_case(key))]:
            found[key] = errors
    return found


def length_errors(model: Any, values: Mapping[str, Any]) -> list[ClientError]:
    """A string of ``values`` (by attribute key) longer than its ``String(n)`` column of ``model`` (or an item
    than its ``ARRAY(String(n))`` column's): the field in camelCase, as GraphQL inputs spell it."""
    scalars, items = _limits(model)
    errors = []
    for key, value in values.items():
        if key in scalars and _too_long(value, scalars[key]):
            errors.append(too_long(to_camel_case(key), scalars[key]))
        elif key in items and isinstance(value, list | tuple):
            errors += [too_long(f"{to_camel_case(key)}.{i}", items[key])
                       for i, item in enumerate(value) if _too_long(item, items[key])]
    return errors
