"""Any router engine must answer these documents exactly as Apollo's gateway does over the same
subgraphs: overlapping selections merged, fragments, aliases, several operations, variables with
defaults, @skip/@include at depth, joins across subgraphs, and subgraph error codes kept."""

from __future__ import annotations

import httpx
import pytest

from subgraphs.core.data.db import Database

from ..conftest import SubgraphServer, graphql
from ..seed import seed_samples

OVERLAPPING = """{ materialSamples(first: 2) {
  edges { node { materialSampleName collectors { displayName } } }
  edges { node { id collectors { id } } } } }"""

DOCUMENTS = {
    "overlapping list selections": (OVERLAPPING, None, None),
    "overlapping across subgraphs": ("""{ materialSamples(first: 3) {
      edges { node { attachments { caption } sequences { accession } } }
      edges { node { attachments { creator { displayName } } sequences { accession id } } } } }""", None, None),
    "named and inline fragments": ("""
      query { materialSamples(first: 3) { edges { node { ...Sample ... on MaterialSample { id } } } } }
      fragment Sample on MaterialSample { materialSampleName collectors { ...Who } attachments { ...Photo } }
      fragment Who on Person { displayName }
      fragment Photo on Media { caption creator { ...Who id } }""", None, None),
    "aliases of one field with different arguments": ("""{
      few: materialSamples(first: 1) { edges { node { name: materialSampleName } } }
      more: materialSamples(first: 3) { edges { node { name: materialSampleName who: collectors { n: displayName } } } } }""",
      None, None),
    "several operations and operationName": ("""
      query Names { materialSamples(first: 2) { edges { node { materialSampleName } } } }
      query People { people(first: 2) { edges { node { displayName } } } }""", None, "People"),
    "variables with defaults": ("""query($first: Int = 2, $withCollectors: Boolean = true) {
      materialSamples(first: $first) { edges { node { materialSampleName
        collectors @include(if: $withCollectors) { displayName } } } } }""", {"withCollectors": False}, None),
    "@skip and @include at depth": ("""query($yes: Boolean!, $no: Boolean!) {
      materialSamples(first: 2) { edges { node {
        attachments { caption @skip(if: $yes) creator @include(if: $yes) { displayName @skip(if: $no) id @include(if: $no) } }
        sequences @skip(if: $no) { accession } } } } }""", {"yes": True, "no": False}, None),
    "join back through an entity": ("""{ materialSamples(first: 2) { edges { node {
      collectors { displayName collectingEvents { verbatimLocality } } } } } }""", None, None),
    "__typename everywhere": ("""{ __typename materialSamples(first: 2) { __typename edges { __typename node {
      __typename attachments { __typename creator { __typename } } } } } }""", None, None),
    "a subgraph's error code": ('{ person(id: "not-a-uuid") { displayName } }', None, None),
}


def post(url: str, query: str, variables: dict | None, operation: str | None) -> dict:
    payload = {"query": query, "variables": variables or {}, **({"operationName": operation} if operation else {})}
    response = httpx.post(url, json=payload, headers={"accept": "application/json"}, timeout=30)
    return response.json()


def comparable(body: dict) -> dict:
    """The answer without what engines may word differently: error messages' paths stay, as do codes."""
    errors = [{"path": e.get("path"), "code": (e.get("extensions") or {}).get("code")} for e in body.get("errors", [])]
    return {"data": body.get("data"), "errors": errors}


@pytest.mark.parametrize(("query", "variables", "operation"), list(DOCUMENTS.values()), ids=list(DOCUMENTS))
async def test_router_answers_as_the_reference_gateway(
    clean_db: Database, router: str, reference: str, query: str, variables: dict | None, operation: str | None
) -> None:
    await seed_samples(clean_db, 4)

    ours, theirs = post(router, query, variables, operation), post(reference, query, variables, operation)

    assert comparable(ours) == comparable(theirs)
    assert ours["data"] is not None


async def test_overlapping_edges_are_merged_not_concatenated(clean_db: Database, router: str) -> None:
    seeded = await seed_samples(clean_db, 3)

    edges = graphql(router, OVERLAPPING)["data"]["materialSamples"]["edges"]

    assert [e["node"]["id"] for e in edges] == [s.id for s in seeded[:2]]
    assert [[c["displayName"] for c in e["node"]["collectors"]] for e in edges] == [s.collectors for s in seeded[:2]]


def test_subgraph_error_code_reaches_the_client(router: str, subgraphs: SubgraphServer) -> None:
    query = '{ person(id: "not-a-uuid") { displayName } }'

    (error,) = graphql(router, query)["errors"]
    (original,) = graphql(subgraphs.url("agents"), query)["errors"]

    assert error["path"] == original["path"] == ["person"]
    assert error["extensions"]["code"] == original["extensions"]["code"] == "INVALID_ID"
    assert error["message"] == original["message"]
