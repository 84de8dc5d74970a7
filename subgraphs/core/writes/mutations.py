"""Mutation payloads: the object, or typed errors; the transaction commits only without errors."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

import strawberry
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.utils.str_converters import to_camel_case

from subgraphs.core.base.errors import ClientError, ErrorCode
from subgraphs.core.data.types import from_row
from subgraphs.core.execution.context import Info

T = TypeVar("T")


@dataclass(frozen=True)
class UserError:
    """Why a mutation did not apply; each domain's schema shows it as its `{Domain}UserError` type."""

    code: str
    message: str
    field: str | None


def user_error_type(domain: str, *codes: type[StrEnum]) -> type:
    """`{domain}UserError`, whose `code` is the enum `{domain}ErrorCode`: the shared codes and the domain's
    own, so clients can switch on it. Built once per domain; the wire values are the codes' strings."""
    members = {member.name: member.value for enum in (ErrorCode, *codes) for member in enum}
    code = strawberry.enum(StrEnum(f"{domain}ErrorCode", members),  # type: ignore[misc]
                           description=f"Why a {domain.lower()} mutation did not apply.")
    return strawberry.federation.type(shareable=True, description="Why a mutation did not apply.")(
        type(f"{domain}UserError", (), {
            "__annotations__": {"code": code, "message": str, "field": str | None},
            "code": strawberry.field(description="Machine-readable, e.g. STALE_VERSION."),
            "field": strawberry.field(description="The input field at fault, as a dotted path."),
        }))


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
    except IntegrityError as error:
        if (duplicate := duplicate_error(error)) is None:
            raise
        return None, user_errors([duplicate])


_UNIQUE_KEY = re.compile(r"Key \((?P<columns>[^)]*)\)=")


def duplicate_error(error: IntegrityError) -> ClientError | None:
    """A unique constraint's violation as a DUPLICATE error on the field it is about (its other
    column being the group: codes and names are unique within a group), or None for any other error."""
    cause = getattr(error.orig, "__cause__", None)
    if getattr(cause, "sqlstate", None) != "23505":
        return None
    match = _UNIQUE_KEY.search(getattr(cause, "detail", "") or "")
    columns = [c.strip().strip('"') for c in match["columns"].split(",")] if match else []
    named = [c for c in columns if c != "group"] or columns
    field = to_camel_case(named[0]) if named else None
    return ClientError(ErrorCode.DUPLICATE, f"This {field or 'value'} is already used in this group.", field)


def from_record(cls: type[T], record: Any, **extra: Any) -> T:
    """A Strawberry object from an ORM record the service just wrote (loaders cannot see it yet)."""
    return from_row(cls, {attr.key: attr.value for attr in inspect(record).attrs} | extra)
