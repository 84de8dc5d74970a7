"""Building Strawberry objects straight from database rows."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


@cache
def _columns(cls: type) -> tuple[tuple[str, str], ...]:
    """(field, column) pairs; a type renames columns with ``__columns__ = {"field": "column"}``."""
    renamed = getattr(cls, "__columns__", {})
    return tuple((f.name, renamed.get(f.name, f.name)) for f in dataclasses.fields(cls) if f.init)


def from_row(cls: type[T], row: Mapping[str, Any]) -> T:
    """An instance of the Strawberry type ``cls`` from the row's columns of the same names."""
    return cls(**{name: row[column] for name, column in _columns(cls) if column in row})


def from_row_or_none(cls: type[T], row: Mapping[str, Any] | None) -> T | None:
    return None if row is None else from_row(cls, row)
