"""What a client meets at the router's edge: coded refusals, 401 for a bad token, persisted queries,
trusted documents, CORS as a setting, compressed answers."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import httpx
import pytest

from subgraphs.core.runtime.settings import Settings

from ..conftest import Issuer, SubgraphServer, running_router, started_router

ACCEPT = {"accept": "application/graphql-response+json"}


def post(url: str, body: object, **headers: str) -> httpx.Response:
    return httpx.post(url, json=body, headers={**ACCEPT, **headers}, timeout=10)


def code(response: httpx.Response) -> str:
    return response.json()["errors"][0]["extensions"]["code"]


def nested(depth: int) -> str:
    inner = "id"
    for _ in range(depth):
        inner = f"children {{ {inner} }}"
    return f"{{ materialSamples(first: 1) {{ edges {{ node {{ {inner} }} }} }} }}"


def fragment_bomb(levels: int = 3, spreads: int = 400) -> str:
    """Each fragment spreads the next ``spreads`` times: small to send, ``spreads**levels`` expanded."""
    fragments = [f"fragment F{i} on Query {{ {f' ...F{i + 1}' * spreads} }}" for i in range(levels)]
    return "query { ...F0 } " + " ".join(fragments) + f" fragment F{levels} on Query {{ __typename }}"


REFUSALS = {
    "too deep": (nested(20), "QUERY_TOO_DEEP"),
    "too many aliases": ("{ " + " ".join(f"a{i}: __typename" for i in range(31)) + " }", "TOO_MANY_ALIASES"),
    "too costly": ("{ materialSamples(first: 1000) { edges { node { children { children { children { "
                   "id materialSampleName barcode } } } } } } }", "QUERY_TOO_COSTLY"),
    "aliases hidden in fragments": ("query { ...A ...A } fragment A on Query { " +
                                    " ".join(f"a{i}: __typename" for i in range(16)) + " }", "TOO_MANY_ALIASES"),
}


@pytest.mark.parametrize(("query", "expected"), list(REFUSALS.values()), ids=list(REFUSALS))
def test_limits_are_refused_with_a_code(router: str, query: str, expected: str) -> None:
    response = post(router, {"query": query})

    assert response.status_code == 400
    assert code(response) == expected
    assert "data" not in response.json()


def test_a_page_size_in_a_variable_is_measured_on_every_request(router: str) -> None:
    # Before: the cost was measured at validation only, whose result the router caches by the document's
    # text, so the same document passed once with `n: 1` then ran with `n: 1000` over the cost limit.
    query = ("query Deep($n: Int) { materialSamples(first: $n) { edges { node { children { children { "
             "children { id materialSampleName barcode } } } } } } }")
    small = post(router, {"query": query, "variables": {"n": 1}})
    large = post(router, {"query": query, "variables": {"n": 1000}})
    small_again = post(router, {"query": query, "variables": {"n": 1}})

    assert small.status_code == 200 and "errors" not in small.json(), small.text
    assert large.status_code == 400 and code(large) == "QUERY_TOO_COSTLY", large.text
    assert "http" not in large.json()["errors"][0]["extensions"]
    assert small_again.status_code == 200 and "errors" not in small_again.json()


def rss_kib(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the router's memory from /proc")
def test_fragment_bomb_is_refused_without_expanding(subgraphs: SubgraphServer) -> None:
    with started_router(subgraphs, Settings(dev=True)) as (url, process):
        post(url, {"query": "{ __typename }"})
        before = rss_kib(process.pid)
        response = post(url, {"query": fragment_bomb()})  # 64 million fields once expanded
        grown = rss_kib(process.pid) - before
        still_up = post(url, {"query": "{ __typename }"}).json()

    assert response.status_code == 400 and code(response) == "QUERY_TOO_COSTLY"
    assert "64,000,000" in response.json()["errors"][0]["message"]
    assert grown < 100_000, f"the router grew by {grown} KiB"
    assert still_up == {"data": {"__typename": "Query"}}


def test_oversized_body_is_413(router: str) -> None:
    response = post(router, {"query": "{ __typename }", "padding": "x" * 1_100_000})

    assert response.status_code == 413, response.text
    assert code(response) == "REQUEST_TOO_LARGE"


@pytest.mark.parametrize("token", ["forged.token.here", "not even a jwt"])
def test_bad_token_is_401_with_a_challenge(router: str, token: str) -> None:
    response = post(router, {"query": "{ people(first: 1) { totalCount } }"}, authorization=f"Bearer {token}")

    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert code(response) == "UNAUTHENTICATED"
    assert "http" not in response.json()["errors"][0]["extensions"]  # the status travels as HTTP only


def test_expired_token_is_401(router: str, issuer: Issuer) -> None:
    token = issuer.token("test/user", lifetime=dt.timedelta(seconds=-60))
    response = post(router, {"query": "{ people(first: 1) { totalCount } }"}, authorization=f"Bearer {token}")

    assert response.status_code == 401 and response.headers["www-authenticate"].startswith("Bearer")


QUERY = "{ people(first: 1) { totalCount } }"
HASH = hashlib.sha256(QUERY.encode()).hexdigest()


def persisted(hash_: str, query: str | None = None) -> dict:
    return {**({"query": query} if query else {}),
            "extensions": {"persistedQuery": {"version": 1, "sha256Hash": hash_}}}


def test_automatic_persisted_queries_follow_apollos_protocol(router: str) -> None:
    unknown = post(router, persisted(HASH)).json()
    registered = post(router, persisted(HASH, QUERY)).json()
    by_hash = post(router, persisted(HASH)).json()
    mismatch = post(router, persisted("0" * 64, QUERY)).json()

    assert unknown["errors"][0]["message"] == "PersistedQueryNotFound"
    assert unknown["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert registered == by_hash and "errors" not in by_hash
    assert mismatch["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_HASH_MISMATCH"


def test_trusted_documents_run_only_registered_operations(subgraphs: SubgraphServer, tmp_path: Path) -> None:
    manifest = tmp_path / "trusted.json"
    manifest.write_text(json.dumps({HASH: QUERY}))
    with running_router(subgraphs, Settings(dev=False, trusted_documents=manifest)) as url:
        trusted = post(url, persisted(HASH)).json()
        arbitrary = post(url, {"query": "{ __typename }"}).json()
        unknown = post(url, persisted("0" * 64)).json()

    assert "errors" not in trusted and "totalCount" in trusted["data"]["people"]
    assert arbitrary["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_ONLY", arbitrary
    assert unknown["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND", unknown


def preflight(url: str, origin: str) -> httpx.Response:
    return httpx.options(url, headers={"origin": origin, "access-control-request-method": "POST",
                                       "access-control-request-headers": "content-type,authorization"})


def test_cors_allows_only_the_configured_origins_without_credentials(subgraphs: SubgraphServer) -> None:
    settings = Settings(dev=False, cors_origins="https://app.example.org")
    with running_router(subgraphs, settings) as url:
        allowed = preflight(url, "https://app.example.org")
        other = preflight(url, "https://evil.example.com")
    with running_router(subgraphs, Settings(dev=False)) as url:
        default = preflight(url, "https://app.example.org")

    assert allowed.headers["access-control-allow-origin"] == "https://app.example.org"
    assert "access-control-allow-credentials" not in allowed.headers
    assert other.headers.get("access-control-allow-origin") != "https://evil.example.com"
    assert "access-control-allow-origin" not in default.headers


def test_dev_router_allows_any_origin_but_no_credentials(router: str) -> None:
    response = preflight(router, "http://localhost:5173")

    assert response.headers["access-control-allow-origin"] in ("*", "http://localhost:5173")
    assert response.headers.get("access-control-allow-credentials") != "true"


def test_answers_are_compressed_when_asked(router: str) -> None:
    query = "{ materialSamples(first: 50) { edges { node { id materialSampleName } } } }"
    response = httpx.post(router, json={"query": query}, headers={**ACCEPT, "accept-encoding": "gzip"})

    assert response.headers["content-encoding"] == "gzip"
    assert "data" in response.json()
