"""The reference the router is compared with: Apollo's own gateway over the same subgraphs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from subgraphs.core.runtime.processes import spawn, stop, wait_until_ready
from subgraphs.registry import SCHEMAS

from ..conftest import PEER_DIR, SubgraphServer, free_port


@pytest.fixture(scope="session")
def reference(subgraphs: SubgraphServer) -> Iterator[str]:
    """@apollo/gateway from ../shared/peer, composing the test subgraphs itself."""
    if not (PEER_DIR / "node_modules").exists():
        pytest.skip(f"the reference gateway is not installed in {PEER_DIR}")
    port, health = free_port(), free_port()
    process = spawn(
        ["node", "federation-gateway.mjs", "--port", str(port), "--health-port", str(health),
         *(f"{name}={subgraphs.url(name)}" for name in SCHEMAS)],
        cwd=PEER_DIR,
    )
    try:
        wait_until_ready(f"http://127.0.0.1:{health}/", process, timeout=120)
        yield f"http://127.0.0.1:{port}/graphql"
    finally:
        stop(process)
