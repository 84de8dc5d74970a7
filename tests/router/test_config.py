"""One configuration source: the router's limits come from Settings, through the environment
`dina-graph` passes or, for a router started on its own (its container), the committed defaults."""

from __future__ import annotations

import httpx

from subgraphs.core.runtime.federation import ROUTER_DEFAULTS, router_defaults, start_router, url_overrides
from subgraphs.core.runtime.processes import stop, wait_until_ready
from subgraphs.core.runtime.settings import Settings
from subgraphs.registry import SCHEMAS

from ..conftest import SubgraphServer, free_port


def test_committed_router_defaults_are_settings_defaults() -> None:
    assert ROUTER_DEFAULTS.read_text() == router_defaults(), "stale: run `./run compose`"


def test_router_started_without_settings_enforces_their_defaults(subgraphs: SubgraphServer) -> None:
    port = free_port()
    unset = {name: "" for name in Settings.model_construct().router_limits()}  # as in the container
    process = start_router("127.0.0.1", port, url_overrides(list(SCHEMAS), "127.0.0.1", subgraphs.port) | unset)
    try:
        wait_until_ready(f"http://127.0.0.1:{port}/readiness", process, timeout=120)
        url = f"http://127.0.0.1:{port}/graphql"
        at_limit = httpx.post(url, json={"query": "{ " + " ".join(f"a{i}: __typename" for i in range(30)) + " }"})
        over = httpx.post(url, json={"query": "{ " + " ".join(f"a{i}: __typename" for i in range(31)) + " }"})
    finally:
        stop(process)

    assert "errors" not in at_limit.json()
    assert over.json()["errors"][0]["extensions"]["code"] == "TOO_MANY_ALIASES"
