"""Liveness and readiness for load balancers and Kubernetes: alive is "the process answers", ready is
"its database and object store answer too" (a replica that is not ready is taken out of rotation)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from subgraphs.core.data.db import Database
from subgraphs.core.storage.storage import ObjectStore

PROBE_TIMEOUT_SECONDS = 3.0


async def _check(probe: Callable[[], Awaitable[None]]) -> str:
    """"ok", or why not (the error's class: readiness bodies are public, so no addresses or messages)."""
    try:
        await asyncio.wait_for(probe(), PROBE_TIMEOUT_SECONDS)
    except TimeoutError:
        return f"unavailable: no answer within {PROBE_TIMEOUT_SECONDS:g}s"
    except Exception as error:  # noqa: BLE001 - any failure means not ready
        return f"unavailable: {type(error).__name__}"
    return "ok"


def probe_routes(names: list[str], db: Database, store: ObjectStore,
                 details: Callable[[], Mapping[str, object]]) -> list[Route]:
    """``/health`` (and ``/healthz``, its old name) and ``/ready``; ``details`` adds to the liveness body."""

    async def health(_: Request) -> JSONResponse:
        return JSONResponse({"status": "ok", "subgraphs": names, **details()})

    async def ready(_: Request) -> JSONResponse:
        database, object_store = await asyncio.gather(_check(db.ping), _check(store.ping))
        checks = {"database": database, "objectStore": object_store}
        ok = all(value == "ok" for value in checks.values())
        return JSONResponse({"status": "ready" if ok else "not ready", "checks": checks},
                            status_code=200 if ok else 503)

    return [Route("/health", health), Route("/healthz", health), Route("/ready", ready)]
