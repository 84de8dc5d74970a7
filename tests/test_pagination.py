"""Relay cursor paging and its error cases, against the collection subgraph directly."""

from __future__ import annotations

from subgraphs.core.data.db import Database

from .conftest import SubgraphServer, graphql
from .seed import seed_samples

PAGE = """
query($first: Int, $after: String, $last: Int, $before: String) {
  materialSamples(first: $first, after: $after, last: $last, before: $before) {
    totalCount
    edges { cursor node { materialSampleName } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""


def page(subgraphs: SubgraphServer, **variables: object) -> dict:
    body = graphql(subgraphs.url("collection"), PAGE, variables)
    assert "errors" not in body, body
    return body["data"]["materialSamples"]


def names(connection: dict) -> list[str]:
    return [edge["node"]["materialSampleName"] for edge in connection["edges"]]


async def test_pages_forwards_then_backwards(clean_db: Database, subgraphs: SubgraphServer) -> None:
    seeded = [s.name for s in await seed_samples(clean_db, 7)]

    first = page(subgraphs, first=3)
    second = page(subgraphs, first=3, after=first["pageInfo"]["endCursor"])
    third = page(subgraphs, first=3, after=second["pageInfo"]["endCursor"])
    back = page(subgraphs, last=3, before=third["pageInfo"]["startCursor"])

    assert names(first) + names(second) + names(third) == seeded
    assert first["totalCount"] == 7
    assert first["pageInfo"]["hasNextPage"] and not first["pageInfo"]["hasPreviousPage"]
    assert not third["pageInfo"]["hasNextPage"] and third["pageInfo"]["hasPreviousPage"]
    assert names(back) == names(second)
    assert back["pageInfo"]["hasPreviousPage"] and back["pageInfo"]["hasNextPage"]


async def test_last_without_cursor_is_the_tail(clean_db: Database, subgraphs: SubgraphServer) -> None:
    seeded = [s.name for s in await seed_samples(clean_db, 5)]
    assert names(page(subgraphs, last=2)) == seeded[-2:]


def error_of(subgraphs: SubgraphServer, **variables: object) -> dict:
    body = graphql(subgraphs.url("collection"), PAGE, variables)
    assert body["data"] is None
    (error,) = body["errors"]
    return error


def test_garbage_cursor_is_a_typed_error(subgraphs: SubgraphServer) -> None:
    error = error_of(subgraphs, first=2, after="not-a-cursor")
    assert error["extensions"] == {"code": "INVALID_CURSOR", "field": "after"}


def test_page_size_is_capped(subgraphs: SubgraphServer) -> None:
    error = error_of(subgraphs, first=100_000)
    assert error["extensions"]["code"] == "PAGE_SIZE"
    assert "between 0 and 1000" in error["message"]


def test_bad_id_is_a_typed_error(subgraphs: SubgraphServer) -> None:
    body = graphql(subgraphs.url("agents"), '{ person(id: "42") { displayName } }')
    assert body["errors"][0]["extensions"] == {"code": "INVALID_ID", "field": "id"}
