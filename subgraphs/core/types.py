"""Building Strawberry objects straight from database rows."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from functools import cache
from operator import itemgetter
from typing import Any, TypeVar

T = TypeVar("T")


@cache
def _columns(cls: type) -> tuple[tuple[str, str], ...]:
    """(field, column) pairs; a type renames columns with ``__columns__ = {"field": "column"}``."""
    renamed = getattr(cls, "__columns__", {})
    return tuple((f.name, renamed.get(f.name, f.name)) for f in dataclasses.fields(cls) if f.init)


@cache
def _builder(cls: type[T], keys: tuple[str, ...]) -> Callable[[Mapping[str, Any]], T]:
    """How to make a ``cls`` from rows with these columns: the field values are read in one
    ``itemgetter`` call and set without the dataclass ``__init__`` (a page builds thousands of
    objects; fields the row lacks keep their class-level defaults, as ``__init__`` would give them).
    """
    present = [(name, column) for name, column in _columns(cls) if column in keys]
    required = [f.name for f in dataclasses.fields(cls) if f.init and f.default is dataclasses.MISSING
                and f.default_factory is dataclasses.MISSING and f.name not in dict(present)]
    if required or any(f.default_factory is not dataclasses.MISSING for f in dataclasses.fields(cls)):
        return lambda row: cls(**{name: row[column] for name, column in present})  # __init__ reports/fills
    names = tuple(name for name, _ in present)
    read = itemgetter(*(column for _, column in present)) if len(present) > 1 else (lambda row: (row[present[0][1]],))

    def build(row: Mapping[str, Any]) -> T:
        instance = object.__new__(cls)
        instance.__dict__.update(zip(names, read(row), strict=True))
        return instance

    return build


def from_row(cls: type[T], row: Mapping[str, Any]) -> T:
    """An instance of the Strawberry type ``cls`` from the row's columns of the same names."""
    return _builder(cls, tuple(row.keys()))(row)


def from_row_or_none(cls: type[T], row: Mapping[str, Any] | None) -> T | None:
    return None if row is None else from_row(cls, row)
