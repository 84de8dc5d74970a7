"""A client's view: one request through the real router joins all four subgraphs."""

from __future__ import annotations

import httpx

from subgraphs.core.data.db import Database
from subgraphs.core.runtime.settings import Settings

from .conftest import SubgraphServer, graphql, running_router
from .seed import seed_samples

SAMPLES_QUERY = """
query Samples($first: Int) {
  materialSamples(first: $first) {
    edges { node {
      id materialSampleName
      collectors { displayName }
      sequences { accession }
      attachments { caption creator { displayName } }
    } }
  }
}
"""


async def test_samples_join_all_four_subgraphs(clean_db: Database, router: str) -> None:
    seeded = await seed_samples(clean_db, 12)

    body = graphql(router, SAMPLES_QUERY, {"first": 10})

    assert "errors" not in body, body
    nodes = [edge["node"] for edge in body["data"]["materialSamples"]["edges"]]
    assert len(nodes) == 10
    for node, expected in zip(nodes, seeded[:10], strict=True):
        assert node["id"] == expected.id
        assert node["materialSampleName"] == expected.name
        assert [c["displayName"] for c in node["collectors"]] == expected.collectors
        assert [s["accession"] for s in node["sequences"]] == expected.accessions
        assert [a["caption"] for a in node["attachments"]] == expected.captions
        assert [a["creator"]["displayName"] for a in node["attachments"]] == expected.creators


async def test_sql_statements_do_not_grow_with_page_size(
    clean_db: Database, router: str, subgraphs: SubgraphServer
) -> None:
    await seed_samples(clean_db, 100)

    def statements_for(first: int) -> int:
        before = subgraphs.statements
        body = graphql(router, SAMPLES_QUERY, {"first": first})
        assert len(body["data"]["materialSamples"]["edges"]) == first
        return subgraphs.statements - before

    small, large = statements_for(10), statements_for(100)

    # samples page, sequences, media, collectors, photo creators (a later plan step):
    # one statement each, whatever the page size
    assert small == large == 5


async def test_entities_lookup_is_one_query_per_type(clean_db: Database, subgraphs: SubgraphServer) -> None:
    seeded = await seed_samples(clean_db, 30)
    representations = [{"__typename": "MaterialSample", "id": s.id} for s in seeded]
    query = "query($r: [_Any!]!) { _entities(representations: $r) { ... on MaterialSample { materialSampleName } } }"

    before = subgraphs.statements
    body = graphql(subgraphs.url("collection"), query, {"r": representations})

    assert subgraphs.statements - before == 1
    assert [e["materialSampleName"] for e in body["data"]["_entities"]] == [s.name for s in seeded]


async def test_unknown_entity_is_null_not_an_error(subgraphs: SubgraphServer) -> None:
    query = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { displayName } } }"
    representations = [
        {"__typename": "Person", "id": "00000000-0000-7000-8000-000000000000"},
        {"__typename": "Person", "id": "not-a-uuid"},
    ]
    body = graphql(subgraphs.url("agents"), query, {"r": representations})
    assert body == {"data": {"_entities": [None, None]}}


def test_production_router_refuses_introspection_and_graphiql(subgraphs: SubgraphServer) -> None:
    with running_router(subgraphs, Settings(dev=False)) as url:
        body = graphql(url, "{ __schema { queryType { name } } }")
        page = httpx.get(url, headers={"accept": "text/html"})
        typename = graphql(url, "{ __typename }")
    assert "introspection has been disabled" in body["errors"][0]["message"]
    assert "<title>DINA Graph</title>" not in page.text
    assert typename == {"data": {"__typename": "Query"}}


def test_dev_router_serves_graphiql(router: str) -> None:
    page = httpx.get(router, headers={"accept": "text/html"})
    assert page.status_code == 200 and "<title>DINA Graph</title>" in page.text
