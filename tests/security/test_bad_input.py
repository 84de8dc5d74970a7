"""A corpus of bad requests: each gets the right status and a clear error, and changes nothing."""

from __future__ import annotations

import asyncio
import base64
import logging
import os
import subprocess
import sys
from pathlib import Path

import httpx
import orjson
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


def cursor(*values: object) -> str:
    """A cursor as the subgraphs write them (base64 of a JSON list), holding anything."""
    return base64.urlsafe_b64encode(orjson.dumps(list(values))).decode().rstrip("=")


ORDERED_PAGE = "query($c: String, $o: MaterialSampleOrderField!) { materialSamples(first: 1, after: $c, " \
               "orderBy: [{field: $o}]) { totalCount } }"
SOME_ID = "00000000-0000-0000-0000-000000000000"
TIMESTAMP_RANGE = "is outside the timestamps that can be compared (years 1 to 9999 in UTC)."

# The collection subgraph's GraphQL endpoint: (name, body, status, code, message).
CASES = [
    ("malformed", {"query": "{ materialSamples(first: 1 { edges } }"}, 400, "GRAPHQL_PARSE_FAILED", "Syntax Error"),
    ("unknown field", {"query": "{ materialSamples { edges { node { dropTable } } } }"}, 400,
     "GRAPHQL_VALIDATION_FAILED", "Cannot query field"),
    ("wrong type", {"query": "query($n: Int) { materialSamples(first: $n) { totalCount } }",
                    "variables": {"n": "ten"}}, 400, "BAD_USER_INPUT", "Int cannot represent non-integer value"),
    ("deep nesting", {"query": nested(20)}, 400, "QUERY_TOO_DEEP", "exceeds maximum operation depth"),
    ("alias bomb", {"query": "{ " + " ".join(f"a{i}: __typename" for i in range(100)) + " }"}, 400,
     "TOO_MANY_ALIASES", "100 aliases found. Allowed: 30"),
    ("token flood", {"query": "{ " + "__typename " * 6000 + "}"}, 400, "QUERY_TOO_LARGE",
     "Document contains more than 5000 tokens"),
    ("costly", {"query": "{ materialSamples(first: 1000) { edges { node { children { children { children { "
                         "children { id materialSampleName barcode } } } } } } } }"}, 400, "QUERY_TOO_COSTLY",
     "the limit is 200,000"),
    ("invalid id", {"query": '{ materialSample(id: "1 OR 1=1") { id } }'}, 200, "INVALID_ID", "`id` is not a UUID."),
    ("invalid cursor", {"query": '{ materialSamples(after: "\'; DROP TABLE x; --") { totalCount } }'}, 200,
     "INVALID_CURSOR", "`after` is not a cursor of this list."),
    # Before: an object, a NUL or an out-of-range timestamp inside a well-formed cursor reached the
    # conversion or the database as "Unexpected error".
    ("object in cursor", {"query": ORDERED_PAGE, "variables": {"c": cursor({"a": 1}, SOME_ID), "o": "CREATED_ON"}},
     200, "INVALID_CURSOR", "`after` is not a cursor of this list."),
    ("object as the only cursor value", {"query": "query($c: String) { materialSamples(after: $c) { totalCount } }",
                                         "variables": {"c": cursor({"a": 1})}},
     200, "INVALID_CURSOR", "`after` is not a cursor of this list."),
    ("NUL in cursor", {"query": ORDERED_PAGE, "variables": {"c": cursor("a\x00b", SOME_ID), "o": "MATERIAL_SAMPLE_NAME"}},
     200, "INVALID_CURSOR", "`after` is not a cursor of this list."),
    ("timestamp out of range in cursor", {"query": ORDERED_PAGE, "variables": {
        "c": cursor("0001-01-01T00:00:00+14:00", SOME_ID), "o": "CREATED_ON"}},
     200, "INVALID_CURSOR", "`after` is not a cursor of this list."),
    # Before: an aware timestamp whose UTC time is before year 1 or after 9999 overflowed in the driver.
    ("DateTimeFilter before year 1 in UTC", {"query": '{ materialSamples(filter: {createdOn: {gt: '
                                                      '"0001-01-01T00:00:00+14:00"}}) { totalCount } }'},
     200, "BAD_USER_INPUT", f"0001-01-01T00:00:00+14:00 {TIMESTAMP_RANGE}"),
    ("DateTimeFilter after year 9999 in UTC", {"query": '{ materialSamples(filter: {createdOn: {lte: '
                                                        '"9999-12-31T23:59:59-14:00"}}) { totalCount } }'},
     200, "BAD_USER_INPUT", f"9999-12-31T23:59:59-14:00 {TIMESTAMP_RANGE}"),
    ("DateTimeFilter year 10000", {"query": '{ materialSamples(filter: {createdOn: {lt: "10000-01-01T00:00:00Z"}}) '
                                            "{ totalCount } }"},
     400, "GRAPHQL_VALIDATION_FAILED", "Value cannot represent a DateTime"),
    ("DateFilter year 0", {"query": '{ materialSamples(filter: {eventDate: {lt: "0000-01-01"}}) { totalCount } }'},
     400, "GRAPHQL_VALIDATION_FAILED", "year 0 is out of range"),
    ("page too large", {"query": "{ materialSamples(first: 5000) { totalCount } }"}, 200, "PAGE_SIZE",
     "`first` must be between 0 and 1000."),
    ("sql in filter", {"query": '{ materialSamples(filter: {barcode: {eq: "x\' OR \'1\'=\'1"}}) { totalCount } }'},
     200, None, None),
    ("mutation by GET", None, 400, "BAD_REQUEST", "mutations are not allowed when using GET"),
]


@pytest.mark.parametrize(("name", "body", "status", "code", "message"), CASES, ids=[c[0] for c in CASES])
async def test_bad_request(db: Database, subgraphs: SubgraphServer, name: str, body: object, status: int,
                           code: str | None, message: str | None) -> None:
    before = await table_counts(db)
    url = subgraphs.url("collection")
    if body is None:
        response = httpx.get(url, params={"query": 'mutation { deleteMaterialSample(input: {id: "x", version: 1}) { errors { code } } }'},
                             headers={"accept": GRAPHQL_RESPONSE})
    else:
        response = post(url, body)
    assert response.status_code == status, response.text
    if message is not None:
        (error,) = response.json()["errors"]
        assert message in error["message"], response.text
        assert error["extensions"]["code"] == code, response.text
    if name == "sql in filter":
        assert response.json() == {"data": {"materialSamples": {"totalCount": 0}}}
    assert "Traceback" not in response.text
    assert await table_counts(db) == before


# A subgraph's HTTP layer, before any GraphQL: (name, body, content type, message); each a 400
# BAD_REQUEST in GraphQL-over-HTTP's JSON. Before: Strawberry's plain-text 400s, and a 500 for a body
# that is JSON but not an object.
HTTP_CASES = [
    ("array body", b"[1]", "application/json", "Batching is not enabled"),
    ("string body", b'"{ __typename }"', "application/json", "A GraphQL request is a JSON object, not a string."),
    ("number body", b"3", "application/json", "A GraphQL request is a JSON object, not a number."),
    ("boolean body", b"true", "application/json", "A GraphQL request is a JSON object, not true or false."),
    ("null body", b"null", "application/json", "A GraphQL request is a JSON object, not null."),
    ("bad JSON", b'{"query": ', "application/json", "The request is not valid JSON: unexpected end of data"),
    ("lone surrogate", b'{"query": "{ __typename }", "variables": {"n": "\\ud800"}}', "application/json",
     "The request is not valid JSON"),
    ("no query", b"{}", "application/json", "No GraphQL query found in the request"),
    ("query not a string", b'{"query": 3}', "application/json", "`query` must be a string"),
    ("variables not an object", b'{"query": "{ __typename }", "variables": [1]}', "application/json",
     "`variables` must be an object"),
    ("unsupported content type", b"{ __typename }", "text/plain", "Unsupported content type"),
]


@pytest.mark.parametrize(("name", "content", "content_type", "message"), HTTP_CASES, ids=[c[0] for c in HTTP_CASES])
async def test_bad_http_request_is_a_graphql_error(db: Database, subgraphs: SubgraphServer, name: str, content: bytes,
                                                   content_type: str, message: str) -> None:
    before = await table_counts(db)
    response = httpx.post(subgraphs.url("agents"), content=content,
                          headers={"content-type": content_type, "accept": GRAPHQL_RESPONSE})
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    (error,) = response.json()["errors"]
    assert message in error["message"] and error["extensions"] == {"code": "BAD_REQUEST"}, error
    assert await table_counts(db) == before


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_another_method_is_a_graphql_error(subgraphs: SubgraphServer, method: str) -> None:
    response = httpx.request(method, subgraphs.url("agents"), json={"query": "{ __typename }"},
                             headers={"accept": GRAPHQL_RESPONSE})
    assert response.status_code == 405, response.text
    assert response.json()["errors"][0]["extensions"] == {"code": "METHOD_NOT_ALLOWED"}


# Through the router: (name, body, status, code). Before: a lone surrogate in a variable was re-sent
# to the subgraph as JSON it could not read, and came back as "Unexpected error.".
ROUTER_CASES = [
    ("lone surrogate in a variable", b'{"query": "query($n: String) { people(filter: {displayName: {eq: $n}}) '
                                     b'{ totalCount } }", "variables": {"n": "a\\ud83d"}}', 400, "BAD_USER_INPUT"),
    ("lone surrogate nested in a variable", b'{"query": "query($f: PersonFilter) { people(filter: $f) { totalCount } }",'
                                            b' "variables": {"f": {"or": [{"displayName": {"eq": "\\udfff"}}]}}}',
     400, "BAD_USER_INPUT"),
    ("lone surrogate in the query", b'{"query": "{ people(filter: {displayName: {eq: \\"\\ud800\\"}}) '
                                    b'{ totalCount } }"}', 400, "GRAPHQL_PARSE_FAILED"),
    ("string body", b'"x"', 400, "BAD_REQUEST"),
    ("null body", b"null", 400, "BAD_REQUEST"),
]


@pytest.mark.parametrize(("name", "content", "status", "code"), ROUTER_CASES, ids=[c[0] for c in ROUTER_CASES])
def test_bad_request_through_the_router(router: str, name: str, content: bytes, status: int, code: str) -> None:
    response = httpx.post(router, content=content, headers={"content-type": "application/json",
                                                            "accept": GRAPHQL_RESPONSE})
    assert response.status_code == status, response.text
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == code, response.text


OCCURRENCE = "http://rs.tdwg.org/dwc/terms/Occurrence"
# `dina-graph import dwca` given a meta.xml with bad attributes: (name, core attributes, field index,
# message); each exit code 2 with that message and no traceback. Before: TypeError, IndexError,
# OverflowError tracebacks (exit code 1), or a negative ignoreHeaderLines importing the header as a row.
META_CASES = [
    ("two-character delimiter", 'fieldsTerminatedBy="ab"', "0", "fieldsTerminatedBy of occ.txt 'ab' is not one character"),
    ("unknown escape", 'fieldsTerminatedBy="\\x"', "0", "fieldsTerminatedBy of occ.txt '\\\\x' is not one character"),
    ("quote is the delimiter", 'fieldsTerminatedBy="," fieldsEnclosedBy=","', "0", "occ.txt encloses fields in ','"),
    ("negative index", 'fieldsTerminatedBy="\\t"', "-5", "occ.txt '-5' is negative"),
    ("huge index", 'fieldsTerminatedBy="\\t"', "99999999999999999999", "'99999999999999999999' is over 10,000"),
    ("negative header lines", 'fieldsTerminatedBy="\\t" ignoreHeaderLines="-3"', "0",
     "ignoreHeaderLines of occ.txt '-3' is negative"),
]


@pytest.mark.parametrize(("name", "attributes", "index", "message"), META_CASES, ids=[c[0] for c in META_CASES])
async def test_cli_import_of_a_bad_meta_xml_is_a_clear_message(db: Database, database_url: str, tmp_path: Path,
                                                                name: str, attributes: str, index: str,
                                                                message: str) -> None:
    (tmp_path / "meta.xml").write_text(
        f'<archive xmlns="http://rs.tdwg.org/dwc/text/"><core rowType="{OCCURRENCE}" {attributes}>'
        f'<files><location>occ.txt</location></files><id index="0"/>'
        f'<field index="{index}" term="http://rs.tdwg.org/dwc/terms/occurrenceID"/></core></archive>')
    (tmp_path / "occ.txt").write_text("occurrenceID\tscientificName\na1\tRana\n")
    before = await table_counts(db)

    done = await asyncio.to_thread(
        subprocess.run, [sys.executable, "-m", "subgraphs.cli", "import", "dwca", str(tmp_path), "--group", "g"],
        env={**os.environ, "DATABASE_URL": database_url}, capture_output=True, text=True, timeout=120)

    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and message in done.stderr, done.stderr
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
