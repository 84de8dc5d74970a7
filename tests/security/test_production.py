"""Production exposure: the schema's SDL only for the router, no field suggestions."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ..conftest import ISSUER, SubgraphServer, free_port, graphql

SECRET = "router-shared-secret"
SDL = "{ _service { sdl } }"
TYPO = "{ materialSampels(first: 1) { totalCount } }"


@pytest.fixture(scope="module")
def production(database_url: str) -> Iterator[SubgraphServer]:
    port = free_port()
    with SubgraphServer(database_url, port, ISSUER.settings(dev=False, subgraph_port=port, router_secret=SECRET)) as server:
        yield server


@pytest.mark.parametrize("subgraph", ["agents", "collection", "molecular", "media"])
def test_service_sdl_is_for_the_router_only(production: SubgraphServer, subgraph: str) -> None:
    # Before: `{ _service { sdl } }` answered anonymously on every subgraph port.
    url = production.url(subgraph)
    anonymous = graphql(url, SDL, token=None)
    with_a_token = graphql(url, SDL)
    wrong = graphql(url, SDL, token=None, **{"x-dina-router-secret": "guess"})
    router = graphql(url, SDL, token=None, **{"x-dina-router-secret": SECRET})
    for refused in (anonymous, with_a_token, wrong):
        assert refused["data"] is None and refused["errors"][0]["extensions"]["code"] == "FORBIDDEN", refused
    assert "type Query" in router["data"]["_service"]["sdl"]


def test_addresses_can_be_allowed_instead(database_url: str) -> None:
    port = free_port()
    settings = ISSUER.settings(dev=False, subgraph_port=port, service_addresses="127.0.0.1")
    with SubgraphServer(database_url, port, settings) as server:
        assert "type Query" in graphql(server.url("agents"), SDL, token=None)["data"]["_service"]["sdl"]


def test_no_field_suggestions_in_production(production: SubgraphServer, database_url: str) -> None:
    # Before: "Did you mean 'materialSamples'?" spelled the schema out to anyone probing it.
    (error,) = graphql(production.url("collection"), TYPO)["errors"]
    assert error["message"] == "Cannot query field 'materialSampels' on type 'Query'."
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    port = free_port()
    with SubgraphServer(database_url, port, ISSUER.settings(dev=True, subgraph_port=port)) as dev:
        assert "Did you mean 'materialSamples'" in graphql(dev.url("collection"), TYPO)["errors"][0]["message"]
