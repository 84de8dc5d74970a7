"""Many records in one request: the single writes of a list, in one transaction, all or nothing.

Every item is tried, so the client hears about all of them at once; each error names the item's index and
its field. Any error rolls the whole list back. A duplicate key aborts the transaction in the database, so
the items after it are not tried.
"""

# No `from __future__ import annotations`: Strawberry reads the generated types' annotations as objects.
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import strawberry
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.core.base.errors import ClientError, ErrorCode
from subgraphs.core.data.db import RecordMixin
from subgraphs.core.execution.context import Info
from subgraphs.core.writes.audit import AUDIT_BATCH, write_audit_batch
from subgraphs.core.writes.mutations import InvalidInput, duplicate_error

T = TypeVar("T")


@dataclass(frozen=True)
class BulkError:
    """Why a bulk mutation did not apply: the item (None: the list as a whole) and its field."""

    index: int | None
    code: str
    message: str
    field: str | None


class _RollBack(Exception):
    """Leave the unit of work so that it rolls back (an item failed, or the run was a dry run)."""


def _indexed(index: int, error: ClientError | InvalidInput) -> list[BulkError]:
    errors = error.errors if isinstance(error, InvalidInput) else [error]
    return [BulkError(index=index, code=e.code, message=e.message, field=e.field) for e in errors]


Items = Sequence[T] | Callable[[AsyncSession], Awaitable[Sequence[T]]]


async def run_bulk(
    info: Info, items: Items[T], write: Callable[[AsyncSession, T], Awaitable[RecordMixin]],
    present: Callable[[RecordMixin], Any], *, dry_run: bool = False,
) -> tuple[list[Any], list[BulkError]]:
    """``write`` each item (``items``, or what it selects in the session) in one unit of work: the records
    as ``present`` shows them, or every item's errors and nothing written. A dry run does all the work
    and rolls it back. The audit rows of all the items go in at the end, one INSERT a table."""
    errors: list[BulkError] = []
    shown: list[Any] = []
    try:
        async with info.context.db.unit_of_work() as session:
            session.info["context"] = info.context
            session.info[AUDIT_BATCH] = {}
            try:
                listed = items if isinstance(items, Sequence) else await items(session)
            except ClientError as error:  # e.g. a filter too large
                errors.append(BulkError(None, error.code, error.message, error.field))
                raise _RollBack from None
            if len(listed) > (limit := info.context.settings.max_bulk_items):
                errors.append(BulkError(None, ErrorCode.TOO_MANY_ITEMS,
                                        f"More than {limit} items: at most {limit} at once.", "items"))
                raise _RollBack
            for index, item in enumerate(listed):
                try:
                    shown.append(present(await write(session, item)))
                except (ClientError, InvalidInput) as error:
                    errors += _indexed(index, error)
                except IntegrityError as error:
                    if (duplicate := duplicate_error(error)) is None:
                        raise
                    errors += _indexed(index, duplicate)
                    break
            if errors or dry_run:
                raise _RollBack
            await write_audit_batch(session)
    except _RollBack:
        return ([] if errors else shown), errors
    return shown, []


_error_types: dict[str, type] = {}


def bulk_error_type(user_error: type) -> type:
    """`{Domain}BulkError`: the domain's `{Domain}UserError` with the item's `index`."""
    name = user_error.__name__.removesuffix("UserError") + "BulkError"
    if name not in _error_types:
        _error_types[name] = strawberry.federation.type(shareable=True, description="Why a bulk mutation did not apply.")(
            type(name, (), {
                "__annotations__": {"index": int | None, "code": user_error.__annotations__["code"],
                                    "message": str, "field": str | None},
                "index": strawberry.field(description="The item at fault, counted from 0; null: the list itself."),
                "code": strawberry.field(description="Machine-readable, e.g. STALE_VERSION."),
                "field": strawberry.field(description="The item's input field at fault, as a dotted path."),
            }))
    return _error_types[name]


def list_input(name: str, item: type, description: str) -> type:
    """`{name} { items: [item!]! }`: the one `input` of a bulk mutation."""
    return strawberry.input(type(name, (), {"__annotations__": {"items": list[item]}}), description=description)


_payloads: dict[str, type] = {}


def bulk_payload_type(plural: str, node: type, user_error: type) -> type:
    """`{plural}Payload { <plural>: [Node!]!, errors: [{Domain}BulkError!]! }`."""
    if plural not in _payloads:
        _payloads[plural] = strawberry.type(type(f"{plural}Payload", (), {
            "__annotations__": {plural[0].lower() + plural[1:]: list[node],
                                "errors": list[bulk_error_type(user_error)]},
        }), description=f"The {plural} written (all, or none with the errors).")
    return _payloads[plural]


def bulk_respond(plural: str, node: type, user_error: type, nodes: list[Any], errors: list[BulkError]) -> Any:
    return bulk_payload_type(plural, node, user_error)(**{plural[0].lower() + plural[1:]: nodes, "errors": errors})
