"""Write helpers every domain service uses: audit, optimistic locking, dependant checks, refusing values
the database cannot store (data.storable).

Services flush and never commit: the request's unit of work commits once, or rolls back whole.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Select, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.core.base.errors import ClientError, ErrorCode
from subgraphs.core.data.db import RecordMixin
from subgraphs.core.data.storable import length_errors, nul_errors
from subgraphs.core.writes.audit import write_audit
from subgraphs.core.writes.mutations import InvalidInput

R = TypeVar("R", bound=RecordMixin)


@dataclass(frozen=True)
class Dependant:
    """Records that point at the one being deleted: ``query`` selects them, ``label`` names them."""

    label: str
    query: Select[Any]


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


# session.info key: (model, id) of records this transaction already loaded FOR UPDATE, all at once (a bulk
# update by filter), so locking one again would only read it again.
HELD = "held_records"


def hold(session: AsyncSession, records: Sequence[RecordMixin]) -> None:
    """Note that ``records``, in the session, are locked FOR UPDATE by this transaction."""
    session.info.setdefault(HELD, set()).update((type(r), r.id) for r in records)


async def get_for_update(session: AsyncSession, model: type[R], id: uuid.UUID, version: int) -> R:
    """The record, locked, if ``version`` is still current; a typed error otherwise."""
    held = (model, id) in session.info.get(HELD, ())
    record = await session.get(model, id, with_for_update=not held)
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
