"""Bulk writes with PostgreSQL COPY: the machinery each domain's repository declares its bulk paths with.

A repository names a table's COPY columns once (`CopyTarget`); a bulk load hands it values by column
name (the same values its service takes) and gets COPY records, JSON columns encoded. Loading into a
table it is about to fill beyond its size, a load can drop the secondary indexes and foreign keys of the
tables it fills (`defer_index_upkeep`) and rebuild them in bulk at the end, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from operator import itemgetter
from typing import Any

import asyncpg
from orjson import dumps
from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import JSON, JSONB


class CopyTarget:
    """The columns of ``table`` one bulk path COPYs, in COPY order."""

    def __init__(self, table: Table, columns: Sequence[str]) -> None:
        self.table, self.columns = table, tuple(columns)
        self._json = [i for i, name in enumerate(self.columns) if isinstance(table.c[name].type, JSON | JSONB)]
        self._values = itemgetter(*self.columns)
        # ``values`` (by column name; every COPY column given, others ignored) as one COPY record: the
        # getter itself where no column is JSON (a record a value, so no Python frame of its own).
        self.record: Callable[[Mapping[str, Any]], tuple] = self._encoded if self._json else self._values

    def _encoded(self, values: Mapping[str, Any]) -> tuple:
        record = list(self._values(values))
        for i in self._json:
            record[i] = dumps(record[i]).decode()
        return tuple(record)

    async def copy(self, conn: asyncpg.Connection, records: list[tuple]) -> None:
        if records:
            await conn.copy_records_to_table(self.table.name, schema_name=self.table.schema,
                                             columns=list(self.columns), records=records)


async def defer_index_upkeep(conn: asyncpg.Connection, tables: Iterable[Table]) -> list[str]:
    """Drop the tables' secondary indexes and foreign keys (in the open transaction); returns the
    statements that rebuild them. Unique constraints stay, so duplicates still fail the load."""
    names = sorted({f"{table.schema}.{table.name}" for table in tables})
    rows = await conn.fetch("""
        SELECT pg_get_indexdef(i.indexrelid) AS rebuild, format('DROP INDEX %s', i.indexrelid::regclass) AS drop
        FROM pg_index i
        WHERE i.indrelid = ANY($1::regclass[]) AND NOT i.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u'))
        UNION ALL
        SELECT format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname,
                      pg_get_constraintdef(c.oid)),
               format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname)
        FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid = ANY($1::regclass[])""", names)
    for row in rows:
        await conn.execute(row["drop"])
    # Indexes first: re-validating a foreign key is one join, helped by them.
    return sorted((row["rebuild"] for row in rows), key=lambda ddl: ddl.startswith("ALTER"))


AUDIT_COLUMNS = ("record_type", "record_id", "version", "operation", "actor", "snapshot")


def audit_target(table: Table) -> CopyTarget:
    """A schema's audit_log as a COPY target (core.writes.audit makes the table)."""
    return CopyTarget(table, AUDIT_COLUMNS)
