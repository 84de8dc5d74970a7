"""Mutation payloads: the object, or typed errors; the transaction commits only without errors."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import strawberry
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncSession

from .context import Info
from .errors import ClientError
from .types import from_row

T = TypeVar("T")


@strawberry.federation.type(shareable=True, description="Why a mutation did not apply.")
class UserError:
    code: str = strawberry.field(description="Machine-readable, e.g. STALE_VERSION, INVALID_COORDINATES.")
    message: str
    field: str | None = strawberry.field(description="The input field at fault, as a dotted path.")


class InvalidInput(Exception):
    """Several input problems found at once, reported together."""

    def __init__(self, errors: list[ClientError]) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


def user_errors(errors: list[ClientError]) -> list[UserError]:
    return [UserError(code=e.code, message=e.message, field=e.field) for e in errors]


async def run_mutation(
    info: Info, work: Callable[[AsyncSession], Awaitable[T]]
) -> tuple[T | None, list[UserError]]:
    """Run ``work`` in one unit of work; expected errors roll it back and become ``UserError``s."""
    try:
        async with info.context.db.unit_of_work() as session:
            session.info["context"] = info.context  # for rules that need the request's settings or caller
            return await work(session), []
    except ClientError as error:
        return None, user_errors([error])
    except InvalidInput as invalid:
        return None, user_errors(invalid.errors)


def from_record(cls: type[T], record: Any, **extra: Any) -> T:
    """A Strawberry object from an ORM record the service just wrote (loaders cannot see it yet)."""
    return from_row(cls, {attr.key: attr.value for attr in inspect(record).attrs} | extra)
