"""`orderBy:` arguments: per-entity sort fields, always ending in the id so cursors are unique."""

# No `from __future__ import annotations`: Strawberry reads the generated inputs' annotations as objects.
from collections.abc import Sequence
from enum import Enum
from typing import Any

import strawberry
from sqlalchemy import ColumnElement

from subgraphs.core.data.pagination import SortKey


@strawberry.enum(description="Sort direction.")
class SortDirection(Enum):
    ASC = "ASC"
    DESC = "DESC"


def order_input(name: str, columns: dict[str, ColumnElement[Any]]) -> type:
    """An input ``{name}`` of ``field`` (an enum of ``columns``' keys) and ``direction``.

    Sort columns must be NOT NULL: keyset cursors compare values, and NULL compares to nothing.
    """
    fields = strawberry.enum(Enum(f"{name}Field", {key.upper(): key for key in columns}))
    cls = type(name, (), {"__annotations__": {"field": fields, "direction": SortDirection}})
    cls.direction = SortDirection.ASC
    cls.__sort_columns__ = columns
    return strawberry.input(cls, description="One sort key; later keys break ties of earlier ones.")


def sort_keys(order_by: Sequence[Any] | None, id_column: ColumnElement[Any]) -> list[SortKey]:
    """Keyset sort keys for ``order_by`` (default: creation order), with the id as final tiebreaker."""
    keys = [
        SortKey(o.__sort_columns__[o.field.value], o.direction == SortDirection.DESC)
        for o in order_by or ()
    ]
    if not any(k.column is id_column for k in keys):
        keys.append(SortKey(id_column, keys[-1].descending if keys else False))
    return keys
