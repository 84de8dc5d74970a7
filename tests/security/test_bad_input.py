"""A corpus of bad requests: each gets the right status and a clear error, and changes nothing."""

from __future__ import annotations

import logging

import httpx
import pytest

from subgraphs.core.db import Database

from ..conftest import (
    ISSUER,
    SubgraphServer,
    create_database,
    drop_database,
    free_port,
    graphql,
    table_counts,
)

GRAPHQL_RESPONSE = "application/graphql-response+json"


def nested(depth: int) -> str:
    inner = "id"
    for _ in range(depth):
        inner = f"children {{ {inner} }}"
    return f"{{ materialSamples(first: 1) {{ edges {{ node {{ {inner} }} }} }} }}"


def post(url: str, body: object, **headers: str) -> httpx.Response:
    token = ISSUER.token("herpetology/admin")
    return httpx.post(url, json=body, headers={"accept": GRAPHQL_RESPONSE, "authorization": f"Bearer {token}",
                                               **headers}, timeout=30)


CASES = [
    ("malformed", {"query": "{ materialSamples(first: 1 { edges } }"}, 400, "Syntax Error"),
    ("unknown field", {"query": "{ materialSamples { edges { node { dropTable } } } }"}, 400, "Cannot query field"),
    ("wrong type", {"query": "query($n: Int) { materialSamples(first: $n) { totalCount } }",
                    "variables": {"n": "ten"}}, 400, "Int cannot represent non-integer value"),
    ("deep nesting", {"query": nested(20)}, 400, "exceeds maximum operation depth"),
    ("alias bomb", {"query": "{ " + " ".join(f"a{i}: __typename" for i in range(100)) + " }"}, 400,
     "100 aliases found. Allowed: 30"),
    ("token flood", {"query": "{ " + "__typename " * 6000 + "}"}, 400, "Document contains more than 5000 tokens"),
    ("costly", {"query": "{ materialSamples(first: 1000) { edges { node { children { children { children { "
                         "children { id materialSampleName barcode } } } } } } } }"}, 400, "the limit is 200,000"),
    ("invalid id", {"query": '{ materialSample(id: "1 OR 1=1") { id } }'}, 200, "`id` is not a UUID."),
    ("invalid cursor", {"query": '{ materialSamples(after: "\'; DROP TABLE x; --") { totalCount } }'}, 200,
     "`after` is not a cursor of this list."),
    ("page too large", {"query": "{ materialSamples(first: 5000) { totalCount } }"}, 200,
     "`first` must be between 0 and 1000."),
    ("sql in filter", {"query": '{ materialSamples(filter: {barcode: {eq: "x\' OR \'1\'=\'1"}}) { totalCount } }'},
     200, None),
    ("mutation by GET", None, 400, "mutations are not allowed when using GET"),
]


@pytest.mark.parametrize(("name", "body", "status", "message"), CASES, ids=[c[0] for c in CASES])
async def test_bad_request(db: Database, subgraphs: SubgraphServer, name: str, body: object, status: int,
                           message: str | None) -> None:
    before = await table_counts(db)
    url = subgraphs.url("collection")
    if body is None:
        response = httpx.get(url, params={"query": 'mutation { deleteMaterialSample(input: {id: "x", version: 1}) { errors { code } } }'},
                             headers={"accept": GRAPHQL_RESPONSE})
    else:
        response = post(url, body)
    assert response.status_code == status, response.text
    if message is not None:
        errors = response.json()["errors"] if response.headers["content-type"].startswith("application/") else [
            {"message": response.text}]
        assert message in errors[0]["message"], response.text
    if name == "sql in filter":
        assert response.json() == {"data": {"materialSamples": {"totalCount": 0}}}
    assert "Traceback" not in response.text
    assert await table_counts(db) == before


async def test_oversized_body_is_413(db: Database, subgraphs: SubgraphServer) -> None:
    before = await table_counts(db)
    response = post(subgraphs.url("agents"), {"query": "{ __typename }", "padding": "x" * 1_100_000})
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "REQUEST_TOO_LARGE"
    assert await table_counts(db) == before


async def test_unexpected_errors_are_masked_with_a_request_id(caplog: pytest.LogCaptureFixture) -> None:
    """A broken database (dropped under the server) is the caller's "Unexpected error", the log's stack."""
    name = "dina_gone_" + free_port().__str__()
    url = await create_database(name)
    port = free_port()
    with SubgraphServer(url, port, ISSUER.settings(subgraph_port=port)) as server:
        await drop_database(name)
        with caplog.at_level(logging.ERROR, logger="dina.errors"):
            response = httpx.post(server.url("agents"), json={"query": "{ people { totalCount } }"},
                                  headers={"x-request-id": "req-42"})
    (error,) = response.json()["errors"]
    assert error["message"] == "Unexpected error (request id req-42)."
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-42"}
    assert "does not exist" not in response.text and "Traceback" not in response.text
    assert any("req-42" in r.getMessage() and r.exc_info for r in caplog.records)


def test_router_forwards_tokens_and_enforces_too(router: str) -> None:
    create = """mutation { createPreparationType(input: {group: "herpetology", name: "via router"}) {
      preparationType { name } errors { code } } }"""
    anonymous = graphql(router, create, token=None)
    forged = httpx.post(router, json={"query": create}, headers={"authorization": "Bearer forged.token.here"})
    allowed = graphql(router, create, token=ISSUER.token("herpetology/user"))
    deep = graphql(router, nested(20), token=None)
    assert anonymous["data"]["createPreparationType"]["errors"] == [{"code": "UNAUTHENTICATED"}]
    assert forged.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert allowed["data"]["createPreparationType"] == {"preparationType": {"name": "via router"}, "errors": []}
    assert "depth" in deep["errors"][0]["message"].lower()
