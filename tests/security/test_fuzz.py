"""Generated queries against each subgraph: whatever a schema-valid document asks, never a 500 and
never an internal error. A fixed, small budget (examples per subgraph), so the suite stays fast."""

from __future__ import annotations

import json

import httpx
import pytest
from graphql import print_schema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import nodes, queries

from subgraphs.registry import SCHEMAS

from ..conftest import ISSUER, SubgraphServer

EXAMPLES = 40  # per subgraph
TEXT = st.text(max_size=40).map(nodes.String)
# Scalars hypothesis-graphql cannot draw by itself: well-formed and ill-formed values alike.
CUSTOM_SCALARS = {
    "Date": st.sampled_from(["2020-01-31", "2020-02-30", "99999-01-01", "x"]).map(nodes.String) | TEXT,
    "DateTime": st.sampled_from(["2020-01-31T10:00:00Z", "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00",
                                 "nope"]).map(nodes.String) | TEXT,
    "JSON": TEXT | st.integers().map(nodes.Int),
    "_Any": TEXT,
    "UUID": TEXT,
}


def _sdl(name: str) -> str:
    return print_schema(SCHEMAS[name]._schema)  # with its directives' definitions, so it builds on its own


@pytest.mark.parametrize("subgraph", sorted(SCHEMAS))
def test_generated_queries_never_give_a_500(subgraphs: SubgraphServer, subgraph: str) -> None:
    url = subgraphs.url(subgraph)
    token = ISSUER.token("herpetology/read-only")
    client = httpx.Client(timeout=60, headers={"authorization": f"Bearer {token}"})

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(document=queries(_sdl(subgraph), custom_scalars={k: v for k, v in CUSTOM_SCALARS.items()
                                                                 if f"scalar {k}" in _sdl(subgraph)}), garbage=st.sampled_from([None, "\x00", "\ud800", "9" * 400]))
    def check(document: str, garbage: str | None) -> None:
        variables = {"x": garbage} if garbage is not None else {}
        response = client.post(url, content=_body(document, variables), headers={"content-type": "application/json"})
        assert response.status_code < 500, (document, response.text)
        if not response.headers.get("content-type", "").startswith("application/"):
            # Strawberry's HTTP layer answers a body orjson cannot read (a lone surrogate) in plain text.
            assert response.status_code == 400, response.text
            return
        errors = response.json().get("errors") or []
        assert not [e for e in errors if (e.get("extensions") or {}).get("code") == "INTERNAL_SERVER_ERROR"], (
            document, errors)

    try:
        check()
    finally:
        client.close()


def _body(document: str, variables: dict) -> bytes:
    """Escaped JSON: a lone surrogate goes out as ``\\ud800``, as a hostile client can send it."""
    return json.dumps({"query": document, "variables": variables}, ensure_ascii=True).encode()
