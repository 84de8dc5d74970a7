"""A corpus of bad requests: each gets the right status and a clear error, and changes nothing."""

from __future__ import annotations

import logging

import httpx
import pytest

from subgraphs.core.data.db import Database

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


def _payload(subgraphs: SubgraphServer, subgraph: str, mutation: str, input: dict) -> dict:
    """A mutation's payload (its object field and errors); fails on a GraphQL (unexpected) error."""
    entity = mutation.removeprefix("create").removeprefix("update")
    field = "upload" if entity == "Upload" else entity[0].lower() + entity[1:]
    query = f"mutation($input: {mutation[0].upper() + mutation[1:]}Input!) {{ {mutation}(input: $input) {{ " \
            f"{field} {{ id }} errors {{ code message field }} }} }}"
    body = graphql(subgraphs.url(subgraph), query, {"input": input})
    assert "errors" not in body, body
    return body["data"][mutation]


UPLOAD = {"group": "herpetology", "mediaType": "image/jpeg", "size": 10, "sha256": "0" * 64}
# A value longer than its column (the models' String(n)) or holding a NUL character (PostgreSQL text cannot)
# in an input of each subgraph, and the errors (field, message) it gets; all BAD_USER_INPUT.
UNSTORABLE = [
    ("collection", "createMaterialSample", {"materialSampleName": "x" * 251},
     [("materialSampleName", "materialSampleName is longer than 250 characters.")]),
    ("collection", "createCollectingEvent", {"verbatimEventDate": "x" * 251, "country": "x" * 200},
     [("verbatimEventDate", "verbatimEventDate is longer than 250 characters.")]),
    ("collection", "createCollectingEvent", {"verbatimLocality": "Sierra\x00Nevada", "habitat": "\x00"},
     [("verbatimLocality", "verbatimLocality contains a NUL character (\\u0000), which cannot be stored."),
      ("habitat", "habitat contains a NUL character (\\u0000), which cannot be stored.")]),
    ("collection", "createMaterialSample", {"materialSampleName": "M-1", "otherCatalogNumbers": ["A", "B\x00"],
                                            "managedAttributes": {"preservation_state": "go\x00od"}},
     [("otherCatalogNumbers.1", "otherCatalogNumbers.1 contains a NUL character (\\u0000), which cannot be stored."),
      ("managedAttributes.preservation_state", "managedAttributes.preservation_state contains a NUL character "
                                               "(\\u0000), which cannot be stored.")]),
    ("agents", "createPerson", {"displayName": "x" * 501, "email": "x" * 321, "webpage": "x" * 2000},
     [("displayName", "displayName is longer than 500 characters."),
      ("email", "email is longer than 320 characters.")]),
    ("agents", "createPerson", {"displayName": "Bo\x00Berg", "aliases": ["B. Berg", "\x00"],
                                "identifiers": [{"scheme": "OTHER", "value": "x\x00"}]},
     [("displayName", "displayName contains a NUL character (\\u0000), which cannot be stored."),
      ("aliases.1", "aliases.1 contains a NUL character (\\u0000), which cannot be stored."),
      ("identifiers.0.value", "identifiers.0.value contains a NUL character (\\u0000), which cannot be stored.")]),
    ("agents", "createOrganization", {"names": [{"languageCode": "en", "name": "x" * 501}]},
     [("names.0.name", "names.0.name is longer than 500 characters.")]),
    ("molecular", "createRegion", {"name": "x" * 101, "description": "x" * 5000},
     [("name", "name is longer than 100 characters.")]),
    ("molecular", "createPcrPrimer", {"name": "P\x00", "direction": "FORWARD", "sequence": "A" * 201},
     [("name", "name contains a NUL character (\\u0000), which cannot be stored."),
      ("sequence", "sequence is longer than 200 characters.")]),
    ("media", "createUpload", {**UPLOAD, "filename": "x" * 501}, [("filename", "filename is longer than 500 characters.")]),
    ("media", "createUpload", {**UPLOAD, "filename": "a\x00.jpg"},
     [("filename", "filename contains a NUL character (\\u0000), which cannot be stored.")]),
]


@pytest.mark.parametrize(("subgraph", "mutation", "input", "errors"), UNSTORABLE,
                         ids=[f"{c[1]}-{'-'.join(f for f, _ in c[3])}" for c in UNSTORABLE])
async def test_a_value_the_database_cannot_store_is_a_typed_error(
        db: Database, subgraphs: SubgraphServer, subgraph: str, mutation: str, input: dict,
        errors: list[tuple[str, str]]) -> None:
    # Before: the value reached PostgreSQL (value too long for type character varying(n); invalid byte
    # sequence 0x00; unsupported Unicode escape sequence in jsonb) and came back as "Unexpected error".
    before = await table_counts(db)
    group = {} if mutation == "createUpload" else {"group": "herpetology"}
    result = _payload(subgraphs, subgraph, mutation, {**group, **input})
    assert [v for k, v in result.items() if k != "errors"] == [None]
    assert [(e["code"], e["field"], e["message"]) for e in result["errors"]] == [
        ("BAD_USER_INPUT", field, message) for field, message in errors]
    assert await table_counts(db) == before


@pytest.mark.parametrize("filter", ['{barcode: {eq: "a\\u0000"}}', '{or: [{materialSampleName: {contains: "x\\u0000"}}]}'])
def test_a_nul_in_a_read_filter_is_a_typed_error(subgraphs: SubgraphServer, filter: str) -> None:
    query = f"{{ materialSamples(first: 5, filter: {filter}) {{ edges {{ node {{ id }} }} }} }}"

    body = graphql(subgraphs.url("collection"), query)

    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"].startswith("filter.") and "NUL character" in error["message"]


async def test_managed_attributes_that_are_not_an_object_are_a_typed_error(db: Database, subgraphs: SubgraphServer) -> None:
    # Before: `managedAttributes: [1, 2]` reached `.items()` and came back as "Unexpected error".
    before = await table_counts(db)
    result = _payload(subgraphs, "collection", "createMaterialSample",
                      {"group": "herpetology", "materialSampleName": "MA-1", "managedAttributes": [1, 2]})
    assert result["materialSample"] is None
    assert [(e["code"], e["field"]) for e in result["errors"]] == [("BAD_USER_INPUT", "managedAttributes")]
    assert await table_counts(db) == before
