"""Third-party conformance checks (../shared/peer): GraphQL-over-HTTP audit and Apollo composition."""

from __future__ import annotations

import json
import subprocess

import pytest

from subgraphs.registry import SCHEMAS

from .conftest import PEER_DIR, SubgraphServer

pytestmark = pytest.mark.skipif(
    not (PEER_DIR / "node_modules").exists(), reason=f"peer checks not installed in {PEER_DIR}"
)


def audit(url: str) -> dict:
    result = subprocess.run(
        ["node", "graphql-http-audit.mjs", url, "--json", "--strict"],
        cwd=PEER_DIR, capture_output=True, text=True, timeout=120,
    )
    report = json.loads(result.stdout[: result.stdout.rindex("}") + 1])
    failures = [r for r in report["results"] if r["status"] == "error"]
    assert result.returncode == 0 and not failures, failures
    return report["counts"]


def test_router_passes_graphql_over_http_audit(router: str) -> None:
    counts = audit(router)
    # Every audit, SHOULDs included (Grafbase 0.103 fails one MUST: docs/router.md).
    assert counts == {"ok": 61, "notice": 0, "warn": 0, "error": 0}


@pytest.mark.parametrize("name", list(SCHEMAS))
def test_subgraph_passes_graphql_over_http_audit(subgraphs: SubgraphServer, name: str) -> None:
    counts = audit(subgraphs.url(name))
    # Not only no MUST failure: our subgraphs meet every SHOULD of the spec too.
    assert counts == {"ok": 61, "notice": 0, "warn": 0, "error": 0}


def test_apollo_composition_check_passes(subgraphs: SubgraphServer) -> None:
    result = subprocess.run(
        ["node", "federation-compose-check.mjs", *(f"{n}={subgraphs.url(n)}" for n in SCHEMAS)],
        cwd=PEER_DIR, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
