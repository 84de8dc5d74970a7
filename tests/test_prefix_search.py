"""`startsWith` filters search an index: every column they are offered on has its prefix index
(``lower(column) COLLATE "C"``), a prepared statement's generic plan uses it, and the answers are the
case-insensitive prefix matches they were."""

from __future__ import annotations

import re

import asyncpg
from sqlalchemy import select
from sqlalchemy.dialects import postgresql

from subgraphs.collection.models import material_sample as ms
from subgraphs.collection.schema.filters import MaterialSampleFilter
from subgraphs.core.data.db import Database
from subgraphs.core.data.filters import Operators, StringFilter, filter_clause
from subgraphs.registry import SCHEMAS

from .conftest import SubgraphServer, graphql

INDEXED = re.compile(r'lower\(\(?"?(\w+)"?\)?(?:::text)?\) COLLATE "C"')


def prefixed_columns() -> set[tuple[str, str, str]]:
    """(schema, table, column) of every StringFilter field that filters a column of its own entity."""
    columns = set()
    for schema in SCHEMAS.values():
        for graphql_type in schema.schema_converter.type_map.values():
            origin = getattr(graphql_type.definition, "origin", None)
            for spec in getattr(origin, "__filter_fields__", {}).values():
                if spec.input_type is StringFilter and isinstance(spec.clause, Operators):
                    column = spec.clause.column
                    columns.add((column.table.schema, column.table.name, column.name))
    return columns


async def test_every_column_startswith_is_offered_on_has_a_prefix_index(database_url: str) -> None:
    conn = await asyncpg.connect(database_url)
    try:
        rows = await conn.fetch("SELECT schemaname, tablename, indexdef FROM pg_indexes WHERE indexdef LIKE '%COLLATE \"C\"%'")
    finally:
        await conn.close()
    indexed = {(r["schemaname"], r["tablename"], m.group(1)) for r in rows if (m := INDEXED.search(r["indexdef"]))}

    assert len(prefixed_columns()) > 50
    assert prefixed_columns() - indexed == set()


async def test_a_startswith_filter_uses_the_prefix_index_in_a_generic_plan(clean_db: Database, database_url: str) -> None:
    condition = MaterialSampleFilter(material_sample_name=StringFilter(starts_with="CAT-0001"))
    compiled = select(ms.c.id).where(filter_clause(condition)).compile(dialect=postgresql.asyncpg.dialect())
    conn = await asyncpg.connect(database_url)
    try:
        await conn.execute("""INSERT INTO collection.material_sample (id, "group", created_by, material_sample_name)
            SELECT gen_random_uuid(), 'test', 'test', 'CAT-' || lpad(i::text, 5, '0') FROM generate_series(1, 20000) i;
            ANALYZE collection.material_sample""")
        # As a prepared statement runs after its first executions: one plan for any parameter values.
        await conn.execute("SET plan_cache_mode = force_generic_plan")
        plan = "\n".join(r[0] for r in await conn.fetch(f"EXPLAIN {compiled}", *compiled.params.values()))
    finally:
        await conn.close()

    assert "ix_material_sample_material_sample_name_prefix" in plan, plan
    assert "Seq Scan" not in plan, plan


async def test_startswith_matches_prefixes_ignoring_case(clean_db: Database, database_url: str,
                                                          subgraphs: SubgraphServer) -> None:
    names = ["CAT-0001", "cat-00019", "Cat-0001x", "CAT-0002", "CAT-000", "CAT-000ÿ", "ÉCOLE-1", "école-2"]
    conn = await asyncpg.connect(database_url)
    try:
        await conn.executemany("""INSERT INTO collection.material_sample (id, "group", created_by, material_sample_name)
            VALUES (gen_random_uuid(), 'test', 'test', $1)""", [(n,) for n in names])
    finally:
        await conn.close()
    query = """query($p: String!) { materialSamples(first: 20, filter: {materialSampleName: {startsWith: $p}}) {
      edges { node { materialSampleName } } } }"""

    def matching(prefix: str) -> set[str]:
        body = graphql(subgraphs.url("collection"), query, {"p": prefix})
        return {e["node"]["materialSampleName"] for e in body["data"]["materialSamples"]["edges"]}

    assert matching("cat-0001") == {"CAT-0001", "cat-00019", "Cat-0001x"}
    assert matching("CAT-000") == set(names[:6])
    assert matching("cat-000ÿ") == {"CAT-000ÿ"}
    assert matching("éCOLE") == {"ÉCOLE-1", "école-2"}
    assert matching("") == set(names)
    assert matching("dog") == set()
