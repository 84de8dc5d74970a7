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
    objects). Fields the row lacks keep their class-level defaults, get their default factory's
    value, or — from a lean row that left them out because nobody asked — stay unset."""
    present = [(name, column) for name, column in _columns(cls) if column in keys]
    names = tuple(name for name, _ in present)
    factories = [(f.name, f.default_factory) for f in dataclasses.fields(cls)
                 if f.init and f.default_factory is not dataclasses.MISSING and f.name not in names]
    columns = [column for _, column in present]
    read = itemgetter(*columns) if len(columns) > 1 else (lambda row: tuple(row[c] for c in columns))

    def build(row: Mapping[str, Any]) -> T:
        instance = object.__new__(cls)
        values = instance.__dict__
        values.update(zip(names, read(row), strict=True))
        for name, factory in factories:
            values[name] = factory()
        return instance

    return build


def from_row(cls: type[T], row: Mapping[str, Any]) -> T:
    """An instance of the Strawberry type ``cls`` from the row's columns of the same names."""
    return _builder(cls, tuple(row.keys()))(row)


def from_row_or_none(cls: type[T], row: Mapping[str, Any] | None) -> T | None:
    return None if row is None else from_row(cls, row)
