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


class _Unread:
    """A field a lean row left out: reading it is a bug (an undeclared read), never its default."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, instance: object, owner: type) -> Any:
        if instance is None:
            return self
        values = instance.__dict__
        if self.name in values:
            return values[self.name]
        raise AttributeError(f"{owner.__name__}.{self.name} was not read: the resolver reading it must "
                             "declare it (core.lean.Reads)")

    def __set__(self, instance: object, value: Any) -> None:
        instance.__dict__[self.name] = value


@cache
def _lean_class(cls: type[T], missing: tuple[str, ...]) -> type[T]:
    """``cls`` whose ``missing`` fields raise instead of falling back to their class defaults."""
    return type(cls.__name__, (cls,), {"__slots__": (), **{name: _Unread(name) for name in missing}}) \
        if missing else cls


@cache
def _builder(cls: type[T], keys: tuple[str, ...], lean: bool) -> Callable[[Mapping[str, Any]], T]:
    """How to make a ``cls`` from rows with these columns: the field values are read in one
    ``itemgetter`` call and set without the dataclass ``__init__`` (a page builds thousands of
    objects). Fields a whole row lacks keep their class-level defaults or get their default
    factory's value; fields a lean row lacks raise when read."""
    present = [(name, column) for name, column in _columns(cls) if column in keys]
    names = tuple(name for name, _ in present)
    if lean:
        cls = _lean_class(cls, tuple(name for name, _ in _columns(cls) if name not in names))
    factories = [] if lean else [(f.name, f.default_factory) for f in dataclasses.fields(cls)
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


def from_row(cls: type[T], row: Mapping[str, Any], lean: bool = False) -> T:
    """An instance of the Strawberry type ``cls`` from the row's columns of the same names; ``lean``:
    the row holds only the columns a query declared it reads (core.lean)."""
    return _builder(cls, tuple(row.keys()), lean)(row)


def from_row_or_none(cls: type[T], row: Mapping[str, Any] | None, lean: bool = False) -> T | None:
    return None if row is None else from_row(cls, row, lean)
