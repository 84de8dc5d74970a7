"""The subgraphs' own explorer: the router's offline page and files (GraphiQL 3 and React from
``federation/node_modules``), so a subgraph's GraphiQL loads nothing from a CDN either."""

from __future__ import annotations

import html
import json
from functools import cache
from pathlib import Path

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from subgraphs.core.runtime.federation import FEDERATION_DIR

PAGE = FEDERATION_DIR / "explorer.html"
ASSETS: dict[str, list[str]] = json.loads((FEDERATION_DIR / "explorer-assets.json").read_text())


def _asset_path(module: str) -> Path:
    return FEDERATION_DIR / "node_modules" / module


def explorer_available() -> bool:
    """Whether the files are installed (`npm ci` in federation/; not in the subgraph image)."""
    return all(_asset_path(module).is_file() for module, _ in ASSETS.values())


def explorer_page(title: str, endpoint: str) -> str:
    config = json.dumps({"endpoint": endpoint}).replace("<", "\\u003c")
    return PAGE.read_text().replace("__TITLE__", html.escape(title), 1).replace("__CONFIG__", config, 1)


@cache
def _asset(name: str) -> tuple[bytes, str]:
    module, media_type = ASSETS[name]
    return _asset_path(module).read_bytes(), media_type


async def _serve_asset(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in ASSETS:
        return PlainTextResponse("Not found", status_code=404)
    body, media_type = _asset(name)
    return Response(body, headers={"content-type": f"{media_type}; charset=utf-8",
                                   "cache-control": "public, max-age=86400"})


def explorer_routes() -> list[Route]:
    return [Route("/explorer/{name}", _serve_asset, methods=["GET"])]
