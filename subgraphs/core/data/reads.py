"""Read statements compiled once per shape, for running straight on asyncpg.

SQLAlchemy builds the SQL (and keys it by the statement's structure, as its own compiled cache
does); this module keeps the compiled form and, per execution, only lines up the parameter
values in asyncpg's positional order. A shape whose execution needs SQLAlchemy's help — lists
expanded at execution time, result columns it converts (enums, numerics) — is reported as such
and runs through SQLAlchemy as before.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ARRAY, Float
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import Executable
from sqlalchemy.sql.cache_key import CacheKey
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.types import TypeEngine


@dataclass(frozen=True, slots=True)
class _Shape:
    compiled: SQLCompiler
    names: tuple[str, ...]  # bind parameter names in positional ($1, $2, …) order
    processors: tuple[Callable[[Any], Any] | None, ...]  # the dialect's conversion of each, if any


_UNSUITABLE = object()  # cached verdict: this shape runs through SQLAlchemy


class ReadStatements:
    def __init__(self, dialect: Dialect, capacity: int = 500) -> None:
        self.dialect = dialect
        self.capacity = capacity
        self._shapes: OrderedDict[Any, _Shape | object] = OrderedDict()

    def compile(self, statement: Executable) -> tuple[str, list[Any]] | None:
        """The SQL and positional arguments for asyncpg, or None when SQLAlchemy must run it."""
        key = statement._generate_cache_key()  # noqa: SLF001 - the key SQLAlchemy's own cache uses
        if key is None:
            return None
        shape = self._shapes.get(key.key)
        if shape is None:
            shape = self._shapes[key.key] = self._shape(statement, key)
            while len(self._shapes) > self.capacity:
                self._shapes.popitem(last=False)
        if shape is _UNSUITABLE:
            return None
        assert isinstance(shape, _Shape)
        values = shape.compiled.construct_params(extracted_parameters=key.bindparams, escape_names=False)
        return shape.compiled.string, [
            value if process is None else process(value)
            for value, process in zip((values[name] for name in shape.names), shape.processors, strict=True)
        ]

    def _shape(self, statement: Executable, key: CacheKey) -> _Shape | object:
        # With its cache key, the compiled form takes the parameter values of any statement of its shape.
        compiled = self.dialect.statement_compiler(self.dialect, statement, cache_key=key)
        if compiled.positiontup is None:
            return _UNSUITABLE
        if compiled.literal_execute_params or compiled.post_compile_params:
            return _UNSUITABLE
        if not all(self._read_as_asyncpg_gives_it(type_) for *_, type_ in compiled._result_columns):  # noqa: SLF001
            return _UNSUITABLE
        names = tuple(compiled.positiontup)
        processors = compiled._bind_processors  # noqa: SLF001
        return _Shape(compiled, names, tuple(processors.get(name) for name in names))

    def _read_as_asyncpg_gives_it(self, type_: TypeEngine[Any]) -> bool:
        """No conversion of the column's values on the way out (arrays: asyncpg's lists are the
        lists SQLAlchemy would make, unless their items need converting; floats: asyncpg reads
        double precision as float already)."""
        if isinstance(type_, ARRAY):
            type_ = type_.item_type
        if isinstance(type_, Float) and not type_.asdecimal:
            return True
        try:
            return type_._cached_result_processor(self.dialect, None) is None  # noqa: SLF001
        except (TypeError, ValueError):  # a processor that depends on the column's wire type (numerics)
            return False
