"""Dataloader plumbing: one SQL statement per mapping per request, whatever the number of keys."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from typing import Any, ClassVar, TypeVar

from aiodataloader import DataLoader
from sqlalchemy import ColumnElement, Select, Table, func, select, true

from subgraphs.core.data.db import Database, one_of
from subgraphs.core.data.lean import LeanColumns

# The SQL condition for rows of a table a caller may read (security.permissions builds it per caller).
Visibility = Callable[[Table], ColumnElement[bool]]


L = TypeVar("L", bound="Loader")


class Loader(DataLoader):
    """A dataloader bound to the database and the caller's visibility; subclasses implement ``batch_load_fn``."""

    def __init__(self, db: Database, visible: Visibility = lambda _: true(),
                 columns: frozenset[str] | None = None) -> None:
        super().__init__()
        self.db = db
        self.visible = visible
        self.columns = columns  # None: every column of its rows; see Loaders.lean


class TableLoader(Loader):
    table: ClassVar[Table]

    @classmethod
    def rows(cls, visible: Visibility) -> Select[Any]:
        """What one row holds; override to join in or leave out columns (a joined table's columns
        are the caller's only where ``visible`` says so)."""
        return select(cls.table)

    def visible_rows(self) -> Select[Any]:
        """``rows()`` limited to the groups the caller may read (and to ``columns``, when set, plus
        those the loader matches and groups rows by)."""
        statement = self.rows(self.visible).where(self.visible(self.table))
        if self.columns is None:
            return statement
        return only_columns(statement, self.columns | {
            "id", getattr(self, "parent_column", "id"), getattr(self, "array_column", "id")})


def only_columns(statement: Select[Any], keep: set[str] | frozenset[str]) -> Select[Any]:
    """``statement`` selecting just those of its columns named in ``keep`` (its FROM and WHERE unchanged)."""
    return statement.with_only_columns(*(c for c in statement.selected_columns if c.key in keep))


class RowByIdLoader(TableLoader):
    """Rows of ``table`` by primary key, in key order, None where missing."""

    async def batch_load_fn(self, keys: Sequence[uuid.UUID]) -> list[Any]:
        rows = await self.db.fetch(self.visible_rows().where(one_of(self.table.c.id, keys)))
        by_id = {row["id"]: row for row in rows}
        return [by_id.get(key) for key in keys]


class RowsByParentLoader(TableLoader):
    """Child rows per parent key, in ``order_by`` order; ``per_parent`` caps each list.

    A cap uses one windowed query, ``row_number() OVER (PARTITION BY parent)``, so a page
    of parents still costs one statement.
    """

    parent_column: ClassVar[str]
    order_by: ClassVar[Sequence[str]] = ("id",)
    per_parent: ClassVar[int | None] = None

    def statement(self, keys: Sequence[Hashable]) -> Select[Any]:
        parent = self.table.c[self.parent_column]
        ordering: list[ColumnElement[Any]] = [self.table.c[name] for name in self.order_by]
        statement = self.visible_rows().where(one_of(parent, keys))
        if self.per_parent is None:
            return statement.order_by(*ordering)
        rank = func.row_number().over(partition_by=parent, order_by=ordering).label("_rank")
        ranked = statement.add_columns(rank).subquery()
        return select(ranked).where(ranked.c._rank <= self.per_parent).order_by(ranked.c._rank)

    async def batch_load_fn(self, keys: Sequence[Hashable]) -> list[list[Any]]:
        grouped: dict[Hashable, list[Any]] = defaultdict(list)
        for row in await self.db.fetch(self.statement(keys)):
            grouped[row[self.parent_column]].append(row)
        return [grouped.get(key, []) for key in keys]


class Loaders:
    """Per-request registry: each loader class is built once per request, on first use; and the
    columns the executor found lean-reading fields need (``core.lean``)."""

    def __init__(self, db: Database, visible: Visibility) -> None:
        self._db = db
        self._visible = visible
        self.columns: LeanColumns = {}
        self._loaders: dict[type[Loader] | tuple[type[Loader], frozenset[str]], Loader] = {}

    def __getitem__(self, loader_class: type[L]) -> L:
        loader = self._loaders.get(loader_class)
        if loader is None:
            loader = self._loaders[loader_class] = loader_class(self._db, self._visible)
        return loader  # type: ignore[return-value]

    def lean(self, loader_class: type[L], columns: frozenset[str] | None) -> L:
        """The loader reading only ``columns`` of its rows (with a cache of its own, so no partial row
        meets a caller wanting whole ones) — when the loader builds its statement from its rows the
        standard way; otherwise, or for None, the whole-row loader."""
        if columns is None or not issubclass(loader_class, TableLoader) \
                or loader_class.batch_load_fn not in _STANDARD_BATCHES:
            return self[loader_class]
        loader = self._loaders.get((loader_class, columns))
        if loader is None:
            loader = self._loaders[(loader_class, columns)] = loader_class(self._db, self._visible, columns)
        return loader  # type: ignore[return-value]


class AuditByRecordIdLoader(RowsByParentLoader):
    """A schema's audit rows per record id, oldest version first (subclass with ``table``)."""

    parent_column = "record_id"
    order_by = ("version", "id")


class RowsByArrayMemberLoader(TableLoader):
    """Rows whose array column ``array_column`` holds each key (e.g. events by collector id).

    One statement for all keys: ``array && keys`` (GIN-indexable), then rows are grouped per key.
    """

    array_column: ClassVar[str]
    order_by: ClassVar[Sequence[str]] = ("id",)

    async def batch_load_fn(self, keys: Sequence[Hashable]) -> list[list[Any]]:
        column = self.table.c[self.array_column]
        statement = self.visible_rows().where(column.overlap(list(keys))).order_by(
            *(self.table.c[name] for name in self.order_by)
        )
        wanted = set(keys)
        grouped: dict[Hashable, list[Any]] = defaultdict(list)
        for row in await self.db.fetch(statement):
            for key in set(row[self.array_column]) & wanted:
                grouped[key].append(row)
        return [grouped.get(key, []) for key in keys]


_STANDARD_BATCHES = (RowByIdLoader.batch_load_fn, RowsByParentLoader.batch_load_fn,
                     RowsByArrayMemberLoader.batch_load_fn)
