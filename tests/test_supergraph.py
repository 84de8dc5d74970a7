"""The committed supergraph is what composing today's subgraphs gives."""

from __future__ import annotations

from subgraphs.core.runtime.federation import SUPERGRAPH, compose
from subgraphs.registry import SCHEMAS


def test_committed_supergraph_is_not_stale() -> None:
    assert SUPERGRAPH.read_text() == compose(SCHEMAS), "stale: run `./run compose`"


def test_supergraph_joins_every_subgraph() -> None:
    supergraph = SUPERGRAPH.read_text()
    for name in SCHEMAS:
        assert f'url: "http://127.0.0.1:4001/{name}/graphql"' in supergraph
