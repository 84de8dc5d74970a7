"""Group-based authorization, the same for every subgraph.

Reads: a record is visible when the caller has any role in its group, or the group is public
(`DINA_PUBLIC_GROUPS`); lists and batched lookups filter in SQL. Writes: creating or changing a
record needs the `user` role in its group (and in the new group when it moves); deleting needs
`super-user`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Table, true

from subgraphs.core.base.errors import ClientError, ErrorCode
from subgraphs.core.data.db import one_of
from subgraphs.core.data.loaders import Visibility
from subgraphs.core.security.auth import Principal, Role


def visibility(principal: Principal, public_groups: frozenset[str]) -> Visibility:
    """The SQL condition for rows of a table that this caller may read."""
    if "*" in public_groups:
        return lambda _: true()
    groups = sorted(public_groups | set(principal.roles))

    def visible(table: Table) -> ColumnElement[bool]:
        # One array parameter: the statement's shape (its compiled form, its prepared statement) is
        # the same whatever groups the caller has.
        return one_of(table.c.group, groups) if "group" in table.c else true()

    return visible


def require_role(principal: Principal | None, group: str, minimum: Role, action: str) -> None:
    """Raise unless the caller may ``action`` in ``group`` (None: a trusted system process)."""
    if principal is None:
        return
    if not principal.authenticated:
        raise ClientError(ErrorCode.UNAUTHENTICATED, f"Sign in to {action} records.")
    role = principal.role_in(group)
    if role is None or role < minimum:
        raise ClientError(
            ErrorCode.FORBIDDEN,
            f"You need the {minimum.name.lower().replace('_', '-')} role in group {group!r} to {action} this record.",
            "group",
        )


def check_write(principal: Principal | None, record_group: str | None, values: dict[str, Any]) -> None:
    for group in {record_group, values.get("group")} - {None}:
        require_role(principal, group, Role.USER, "write")
