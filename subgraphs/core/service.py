"""Write helpers every domain service uses: audit, optimistic locking, dependant checks, values the
database can store.

Services flush and never commit: the request's unit of work commits once, or rolls back whole.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import ARRAY, Select, String, exists, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.utils.str_converters import to_camel_case

from .audit import write_audit
from .db import RecordMixin
from .errors import ClientError, ErrorCode
from .mutations import InvalidInput

R = TypeVar("R", bound=RecordMixin)
NUL, ESCAPED_NUL = "\x00", "\\u0000"


@dataclass(frozen=True)
class Dependant:
    """Records that point at the one being deleted: ``query`` selects them, ``label`` names them."""

    label: str
    query: Select[Any]


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


def check_storable(model: Any, values: Mapping[str, Any]) -> None:
    """Raise InvalidInput with every value ``model``'s table cannot store (a NUL character, too long for its
    column): checked here rather than left to the database, whose error would end the whole request (or
    import) as an unexpected one."""
    errors = [error for key_errors in nul_errors(values).values() for error in key_errors]
    if errors := errors + length_errors(model, values):
        raise InvalidInput(errors)


async def save(session: AsyncSession, record: RecordMixin) -> None:
    """Flush, then reload what the database computed (defaults, generated columns) for the snapshot."""
    await session.flush()
    await session.refresh(record)


async def add_record(session: AsyncSession, model: type[R], *, actor: str, **values: Any) -> R:
    """Insert one record owned by ``values['group']`` and created by ``actor`` (values it cannot store
    are refused first)."""
    check_storable(model, values)
    record = model(**{k: v for k, v in values.items() if v is not None}, created_by=actor)
    session.add(record)
    await save(session, record)
    await write_audit(session, record, "create", actor)
    return record


async def get_for_update(session: AsyncSession, model: type[R], id: uuid.UUID, version: int) -> R:
    """The record, locked, if ``version`` is still current; a typed error otherwise."""
    record = await session.get(model, id, with_for_update=True)
    if record is None:
        raise ClientError(ErrorCode.NOT_FOUND, f"No {model.__name__} with id {id}.", "id")
    if record.version != version:
        raise ClientError(
            ErrorCode.STALE_VERSION,
            f"{model.__name__} {id} is at version {record.version}, not {version}: "
            "reload it and apply your change again.",
            "version",
        )
    return record


async def update_record(
    session: AsyncSession, model: type[R], id: uuid.UUID, version: int, *, actor: str, **changes: Any
) -> R:
    """Apply ``changes`` if nobody changed the record since ``version`` was read."""
    record = await get_for_update(session, model, id, version)
    check_storable(model, changes)
    for key, value in changes.items():
        setattr(record, key, value)
    record.version = version + 1
    await save(session, record)
    await write_audit(session, record, "update", actor)
    return record


async def delete_record(
    session: AsyncSession, model: type[R], id: uuid.UUID, version: int, *,
    actor: str, dependants: Sequence[Dependant] = (),
) -> R:
    """Delete the record unless other records still depend on it."""
    record = await get_for_update(session, model, id, version)
    blocking = [d.label for d in dependants if await session.scalar(select(exists(d.query)))]
    if blocking:
        raise ClientError(
            ErrorCode.HAS_DEPENDANTS,
            f"{model.__name__} {id} is still referenced by {', '.join(blocking)}; "
            "remove or re-link those first.",
            "id",
        )
    await write_audit(session, record, "delete", actor)
    await session.delete(record)
    await session.flush()
    return record
