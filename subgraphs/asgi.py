"""The subgraphs as an importable ASGI app factory, for uvicorn workers (`dina-graph subgraphs --workers N`).

Each worker process builds its own engine and pool from the environment (DATABASE_URL, DINA_*).
"""

from __future__ import annotations

import os

from starlette.applications import Starlette

from subgraphs.core.data.db import Database
from subgraphs.core.http.app import subgraphs_app
from subgraphs.core.runtime.logs import configure_logging
from subgraphs.core.runtime.settings import get_settings

from .registry import SCHEMAS, routes_for

SUBGRAPHS_ENV = "DINA_SERVE_SUBGRAPHS"


def create_app() -> Starlette:
    settings = get_settings()
    configure_logging(settings)  # a worker process starts without the parent's configuration
    if not settings.database_url:
        raise RuntimeError("DATABASE_URL is not set")
    names = [n for n in os.environ.get(SUBGRAPHS_ENV, ",".join(SCHEMAS)).split(",") if n]
    db = Database(settings.database_url, pool_size=settings.db_pool_size)
    return subgraphs_app({n: SCHEMAS[n] for n in names}, db, settings, extra_routes=routes_for(names))
