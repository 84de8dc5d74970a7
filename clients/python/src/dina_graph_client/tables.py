"""Rows of pages into pandas and Arrow, typed by their columns (so every page has the same types)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from .columns import Column

if TYPE_CHECKING:
    import pyarrow as pa

PANDAS = {"string": "string", "float": "float64", "int": "Int64", "bool": "boolean"}


def to_frame(columns: list[Column], pages: Iterable[list[dict[str, Any]]]) -> pd.DataFrame:
    values: dict[str, list[Any]] = {c.name: [] for c in columns}
    for rows in pages:
        for column in columns:
            values[column.name].extend(_cell(row[column.name], column.kind) for row in rows)
    return pd.DataFrame({c.name: pd.Series(values[c.name], dtype=PANDAS[c.kind]) for c in columns})


def _cell(value: Any, kind: str) -> Any:
    """JSON fields (managed attributes, EXIF) as their JSON text and any value of a text column as text,
    so a column holds one type."""
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    return str(value) if kind == "string" and value is not None and not isinstance(value, str) else value


def arrow_schema(columns: list[Column]) -> pa.Schema:
    import pyarrow as pa

    types = {"string": pa.string(), "float": pa.float64(), "int": pa.int64(), "bool": pa.bool_()}
    return pa.schema([pa.field(c.name, types[c.kind]) for c in columns])


def to_record_batch(columns: list[Column], rows: list[dict[str, Any]], schema: pa.Schema) -> pa.RecordBatch:
    import pyarrow as pa

    arrays = [pa.array([_cell(row[c.name], c.kind) for row in rows], type=schema.field(c.name).type) for c in columns]
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def write_parquet(path: Path, columns: list[Column], pages: Iterable[list[dict[str, Any]]]) -> int:
    import pyarrow.parquet as pq

    schema = arrow_schema(columns)
    written = 0
    with pq.ParquetWriter(path, schema) as writer:
        for rows in pages:
            writer.write_batch(to_record_batch(columns, rows, schema))
            written += len(rows)
    return written
