"""Bulk writes (core/writes/batch.py) through the router: all or nothing, each item's errors by index,
per-item version locking, one audit entry per record, and no more SQL per item than a single write
(less: the audit rows go in together)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from subgraphs.core.data.db import Database

from ..conftest import REPO, SubgraphServer, graphql, table_counts
from ..doc_examples import replay
from .dataset import GROUP

EVENT = "id version habitat"
ERRORS = "errors { index field code message }"


def bulk(url: str, operation: str, entity: str, items: list[dict], selection: str = EVENT) -> dict:
    """Run `{operation}{entity}s(input: {items})`; returns its payload."""
    plural = entity[0].lower() + entity[1:] + "s"
    query = f"mutation($input: {operation}{entity}sInput!) {{ {operation.lower()}{entity}s(input: $input) {{ " \
            f"{plural} {{ {selection} }} {ERRORS} }} }}"
    body = graphql(url, query, {"input": {"items": items}})
    assert "errors" not in body, body
    return body["data"][f"{operation.lower()}{entity}s"]


def created_events(url: str, *habitats: str) -> list[dict]:
    result = bulk(url, "Create", "CollectingEvent", [{"group": GROUP, "habitat": h} for h in habitats])
    assert result["errors"] == []
    return result["collectingEvents"]


async def audit_operations(db: Database) -> list[tuple[str, int]]:
    async with db.engine.connect() as conn:
        rows = await conn.execute(text(
            "SELECT operation, count(*) FROM collection.audit_log WHERE record_type = 'CollectingEvent' "
            "GROUP BY operation ORDER BY operation"))
        return [tuple(row) for row in rows]


async def test_create_update_delete_many_with_one_audit_entry_each(router: str, clean_db: Database) -> None:
    events = created_events(router, "forest", "meadow", "dune")
    assert [(e["version"], e["habitat"]) for e in events] == [(1, "forest"), (1, "meadow"), (1, "dune")]

    updated = bulk(router, "Update", "CollectingEvent",
                   [{"id": e["id"], "version": e["version"], "habitat": f"wet {e['habitat']}"} for e in events])
    assert updated["errors"] == []
    assert [(e["id"], e["version"], e["habitat"]) for e in updated["collectingEvents"]] == [
        (e["id"], 2, f"wet {e['habitat']}") for e in events]
    query = "query($id: ID!) { collectingEvent(id: $id) { history { version operation } } }"
    for event in events:
        history = graphql(router, query, {"id": event["id"]})["data"]["collectingEvent"]["history"]
        assert history == [{"version": 1, "operation": "create"}, {"version": 2, "operation": "update"}]

    deleted = bulk(router, "Delete", "CollectingEvent", [{"id": e["id"], "version": 2} for e in events], "id")
    assert deleted == {"collectingEvents": [{"id": e["id"]} for e in events], "errors": []}
    remaining = graphql(router, "{ collectingEvents { totalCount } }")["data"]["collectingEvents"]["totalCount"]
    assert remaining == 0
    assert await audit_operations(clean_db) == [("create", 3), ("delete", 3), ("update", 3)]


async def test_one_bad_item_writes_nothing_and_every_bad_item_is_reported(router: str, clean_db: Database) -> None:
    before = await table_counts(clean_db)
    result = bulk(router, "Create", "CollectingEvent", [
        {"group": GROUP, "habitat": "forest"},
        {"group": GROUP, "countryCode": "ESP"},
        {"group": GROUP, "habitat": "dune"},
        {"group": GROUP, "decimalLatitude": 95.0, "decimalLongitude": 10.0},
    ])
    assert result["collectingEvents"] == []
    assert [(e["index"], e["field"], e["code"]) for e in result["errors"]] == [
        (1, "countryCode", "INVALID_COUNTRY_CODE"), (3, "decimalLatitude", "INVALID_COORDINATES")]
    assert await table_counts(clean_db) == before


async def test_a_duplicate_rolls_back_the_items_before_it(router: str, clean_db: Database) -> None:
    before = await table_counts(clean_db)
    result = bulk(router, "Create", "Institution", [
        {"group": GROUP, "name": "Natural History Museum of Denmark", "code": "NHMD"},
        {"group": GROUP, "name": "Statens Naturhistoriske Museum", "code": "NHMD"},
    ], "id")
    assert result["institutions"] == []
    assert [(e["index"], e["field"], e["code"]) for e in result["errors"]] == [(1, "code", "DUPLICATE")]
    assert await table_counts(clean_db) == before


async def test_more_items_than_the_maximum_are_refused(
    router: str, subgraphs: SubgraphServer, clean_db: Database
) -> None:
    before = await table_counts(clean_db)
    limit = subgraphs.settings.max_bulk_items
    result = bulk(router, "Create", "CollectingEvent", [{"group": GROUP}] * (limit + 1))
    assert result["collectingEvents"] == []
    assert [(e["index"], e["field"], e["code"]) for e in result["errors"]] == [(None, "items", "TOO_MANY_ITEMS")]
    assert await table_counts(clean_db) == before


def test_a_stale_version_is_reported_on_its_item_and_nothing_changes(router: str, clean_db: Database) -> None:
    events = created_events(router, "forest", "meadow", "dune")
    moved = bulk(router, "Update", "CollectingEvent", [{"id": events[1]["id"], "version": 1, "habitat": "bog"}])
    assert moved["collectingEvents"][0]["version"] == 2

    result = bulk(router, "Update", "CollectingEvent",
                  [{"id": e["id"], "version": 1, "habitat": "burnt"} for e in events])
    assert result["collectingEvents"] == []
    assert [(e["index"], e["field"], e["code"]) for e in result["errors"]] == [(1, "version", "STALE_VERSION")]
    edges = graphql(router, "{ collectingEvents { edges { node { habitat version } } } }")["data"][
        "collectingEvents"]["edges"]
    assert sorted((e["node"]["habitat"], e["node"]["version"]) for e in edges) == [
        ("bog", 2), ("dune", 1), ("forest", 1)]


def statements(subgraphs: SubgraphServer, query: str, input: dict) -> int:
    """SQL statements the collection subgraph ran for one request."""
    before = subgraphs.statements
    body = graphql(subgraphs.url("collection"), query, {"input": input})
    assert "errors" not in body and next(iter(body["data"].values()))["errors"] == [], body
    return subgraphs.statements - before


@pytest.mark.parametrize("operation", ["Create", "Update", "Delete"])
def test_sql_per_item_is_a_single_writes_less_its_audit_insert(
    subgraphs: SubgraphServer, clean_db: Database, operation: str
) -> None:
    one, *rest = created_events(subgraphs.url("collection"), *["forest"] * 7)
    item = {"Create": lambda e: {"group": GROUP, "habitat": "dune"},
            "Update": lambda e: {"id": e["id"], "version": 1, "habitat": "dune"},
            "Delete": lambda e: {"id": e["id"], "version": 1}}[operation]
    single_input = "DeleteInput" if operation == "Delete" else f"{operation}CollectingEventInput"
    single = f"mutation($input: {single_input}!) {{ {operation.lower()}CollectingEvent(input: $input) " \
             "{ collectingEvent { id } errors { code } } }"
    many = f"mutation($input: {operation}CollectingEventsInput!) {{ {operation.lower()}CollectingEvents(input: $input) " \
           "{ collectingEvents { id } errors { code } } }"

    alone = statements(subgraphs, single, item(one))
    first = statements(subgraphs, many, {"items": [item(rest[0])]})
    more = statements(subgraphs, many, {"items": [item(e) for e in rest[1:]]})
    # Each item costs its single write's statements less the audit INSERT: all items' audit rows go in one.
    assert (first, more) == (alone, (alone - 1) * (len(rest) - 1) + 1)


def test_the_docs_examples_answer_as_shown(router: str, clean_db: Database) -> None:
    assert replay(router, REPO / "docs" / "bulk.md") == 4
