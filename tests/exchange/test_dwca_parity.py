"""Both Darwin Core Archive importers store the same thing: every column of every table, compared
after importing the shared test archives with the bulk (COPY) importer and with the row-by-row one.

What is not compared, and why:
- `id`: each import makes new UUIDv7s. A column or array holding ids (collection_id, collector_ids,
  attachment_ids, determiner_ids …) is compared through what it points to: the referenced row's own
  compared columns, recursively, so a collector must be the same person, a sample in the same collection.
- `created_on`: the time of the import.
- the `audit_log` tables: the bulk importer writes, by design (bulk.py), one `create` entry per sample
  and media with a short snapshot, where the row-by-row one audits every record it creates in full.
Everything else is compared, `created_by` and `version` included.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import select

from subgraphs.core.data.db import Database
from subgraphs.exchange.dwca.bulk import bulk_import_archive
from subgraphs.exchange.dwca.importer import import_archive
from subgraphs.registry import METADATA

from ..conftest import truncate_all
from .test_dwca import DWCA

pytestmark = pytest.mark.skipif(not DWCA.is_dir(), reason="needs ../shared/data/dwca")
IGNORED_COLUMNS = {"id", "created_on"}
TABLES = [t for metadata in METADATA.values() for t in metadata.sorted_tables if t.name != "audit_log"]


async def stored(db: Database) -> dict[str, list[str]]:
    """Each table's rows, as sorted texts of their compared columns with ids replaced by their rows."""
    rows: dict[str, list[dict[str, Any]]] = {}
    async with db.engine.connect() as conn:
        for table in TABLES:
            rows[f"{table.schema}.{table.name}"] = [dict(r) for r in (await conn.execute(select(table))).mappings()]
    by_id = {row["id"]: row for found in rows.values() for row in found if "id" in row}

    def canonical(value: Any) -> Any:
        if isinstance(value, uuid.UUID):
            return content(by_id[value]) if value in by_id else "unknown id"
        if isinstance(value, list):
            return [canonical(v) for v in value]
        return value

    def content(row: dict[str, Any]) -> tuple:
        return tuple((name, canonical(value)) for name, value in sorted(row.items()) if name not in IGNORED_COLUMNS)

    return {name: sorted(repr(content(row)) for row in found) for name, found in rows.items()}


@pytest.mark.parametrize(("name", "filled"), [
    ("gbif-occurrence-download-2013.zip", {"agents.person", "collection.collecting_event", "collection.determination"}),
    ("nhm-occurrence-multimedia", {"collection.material_sample", "media.media"})])
async def test_both_importers_store_the_same_columns_in_every_table(db: Database, database_url: str, name: str,
                                                                    filled: set[str]) -> None:
    await truncate_all(db)
    bulk = await bulk_import_archive(database_url, DWCA / name, group="g", actor="test")
    after_bulk = await stored(db)
    await truncate_all(db)
    row_by_row = await import_archive(db, DWCA / name, group="g", actor="test")
    after_rows = await stored(db)
    assert bulk.imported == row_by_row.imported > 0
    assert {table for table in filled if after_rows[table]} == filled  # what each archive is there to compare
    differing = {table for table in after_rows if after_rows[table] != after_bulk[table]}
    assert {table: (after_bulk[table][:3], after_rows[table][:3]) for table in sorted(differing)} == {}
