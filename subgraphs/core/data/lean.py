"""Lean reads: what each resolver reads of its object, declared once, and the columns a selection needs.

A resolver declares what it reads with a field extension — `Reads("collector_ids")`, `Batched(Loader)`,
`Paged()` — that takes no part in resolving (Strawberry leaves extensions without a resolve hook out of
the resolver chain). The executor (core/executor.py) reads the declarations of the fields a document
selects and, where every one of them declares, records the columns each list of objects needs under the
field's position (`Loaders.columns`, per request); the resolver reads them back with `lean_columns(info)` and loads only
those. Where any selected resolver declares nothing, nothing is recorded and whole rows are read.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graphql import GraphQLObjectType
from strawberry.extensions import FieldExtension
from strawberry.types import Info

from subgraphs.core.base.ids import parse_uuid

# (path without list indices, parent type) -> {object type name, or None for the field's one type: columns}
Position = tuple[tuple[str, ...], str]
LeanColumns = dict[Position, dict[str | None, frozenset[str]]]


class Reads(FieldExtension):
    """The attributes of its object a resolver reads (fields or `Private` ones), so a lean row has them."""

    def __init__(self, *attributes: str) -> None:
        self.attributes = frozenset(attributes)


class Batched(FieldExtension):
    """A field resolved by ``loader`` for the object's ``key`` attribute (an id): the executor loads it
    for a whole list of objects at once, reading the columns the selection needs plus ``reads`` (the
    attributes of the loaded objects the resolver itself looks at)."""

    def __init__(self, loader: type[Any], key: str = "id", reads: Iterable[str] = ()) -> None:
        self.loader, self.key, self.reads = loader, key, frozenset(reads)

    async def prime(self, loaders: Any, sources: list[Any], columns: frozenset[str] | None) -> None:
        """Load the values of all ``sources`` in one batch, so each resolver finds its own in the
        loader's cache (and completes without waiting)."""
        keys = [key for source in sources if (key := parse_uuid(getattr(source, self.key, None))) is not None]
        await loaders.lean(self.loader, columns).load_many(list(dict.fromkeys(keys)))


class Paged(FieldExtension):
    """A Relay connection field whose resolver reads only the columns its `edges { node }` need."""


def declared(field: Any) -> FieldExtension | None:
    """The lean-read declaration of a Strawberry field, if it has one."""
    return next((e for e in field.extensions if isinstance(e, Reads | Batched | Paged)), None)


def position(path: Any) -> Position:
    """The key a field's columns are recorded under: its response path without list indices, and
    the type it is a field of."""
    parent_type, keys = path.typename, []
    while path is not None:
        if isinstance(path.key, str):
            keys.append(path.key)
        path = path.prev
    return tuple(reversed(keys)), parent_type


def lean_columns(info: Info, type_name: str | None = None) -> frozenset[str] | None:
    """The columns the executor found this field's objects (of ``type_name``) need; None: whole rows."""
    lean: LeanColumns = info.context.loaders.columns
    recorded = lean.get(position(info.path)) if lean else None
    return None if recorded is None else recorded.get(type_name)


def columns_of(type_: GraphQLObjectType, attributes: Iterable[str]) -> frozenset[str]:
    """The table columns behind ``attributes`` of a Strawberry type (renamed by its ``__columns__``)."""
    renamed = getattr(type_.extensions["strawberry-definition"].origin, "__columns__", {})
    return frozenset(renamed.get(name, name) for name in {"id", *attributes})
