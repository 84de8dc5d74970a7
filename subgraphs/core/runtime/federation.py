"""Composition and the router: both are Node tools pinned in ``federation/``, driven from here."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Mapping

from strawberry.federation import Schema

from subgraphs.core.runtime.processes import spawn
from subgraphs.core.runtime.settings import PROJECT_ROOT

FEDERATION_DIR = PROJECT_ROOT / "federation"
SUPERGRAPH = FEDERATION_DIR / "supergraph.graphql"
ROUTER_DEFAULTS = FEDERATION_DIR / "router-defaults.json"
GATEWAY_BIN = FEDERATION_DIR / "node_modules" / ".bin" / "hive-gateway"


def graphql_path(name: str) -> str:
    """Where a subgraph serves GraphQL, in one process or its own."""
    return f"/{name}/graphql"


def subgraph_url(name: str, host: str, port: int) -> str:
    return f"http://{host}:{port}{graphql_path(name)}"


def compose(schemas: Mapping[str, Schema], host: str = "127.0.0.1", port: int = 4001) -> str:
    """The supergraph SDL of ``schemas``, with routing URLs of the embedded deployment."""
    return compose_sdl({name: (subgraph_url(name, host, port), schema.as_str()) for name, schema in schemas.items()})


def compose_sdl(subgraphs: Mapping[str, tuple[str, str]]) -> str:
    """The supergraph SDL of subgraphs given as ``name: (routing URL, SDL)``; RuntimeError with the
    composition errors when they do not compose."""
    manifest = [{"name": name, "url": url, "sdl": sdl} for name, (url, sdl) in subgraphs.items()]
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("Node.js >= 20 is needed to compose the supergraph")
    result = subprocess.run(
        [node, str(FEDERATION_DIR / "compose.mjs")], input=json.dumps(manifest),
        capture_output=True, text=True, cwd=FEDERATION_DIR, check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"composition failed:\n{result.stderr.strip()}")
    return result.stdout


def router_defaults() -> str:
    """federation/router-defaults.json: Settings' own defaults for the router's limits, so the router
    started without ``dina-graph`` (its container) enforces what the subgraphs enforce."""
    from subgraphs.core.runtime.settings import Settings

    return json.dumps(Settings.model_construct().router_limits(), indent=2, sort_keys=True) + "\n"


def url_overrides(names: list[str], host: str, port: int) -> dict[str, str]:
    """Router environment that points each subgraph at ``host:port`` instead of the composed URL."""
    return {f"DINA_SUBGRAPH_URL_{name.upper()}": subgraph_url(name, host, port) for name in names}


def start_router(host: str, port: int, env: Mapping[str, str] | None = None) -> subprocess.Popen[bytes]:
    """Hive Gateway with its JavaScript planner; ANSI colours only when it logs to a terminal."""
    env = {**({} if sys.stdout.isatty() else {"NO_COLOR": "1"}), **(env or {})}
    if not GATEWAY_BIN.exists():
        raise RuntimeError("the router is not installed: run `npm ci --ignore-scripts` in federation/")
    return spawn(
        [str(GATEWAY_BIN), "supergraph", str(SUPERGRAPH), "--host", host, "--port", str(port)],
        cwd=FEDERATION_DIR, env=env,
    )
