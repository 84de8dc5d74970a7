"""ASGI assembly: one subgraph per app, or several mounted side by side in one process."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager

from prometheus_client import CONTENT_TYPE_LATEST
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from strawberry.federation import Schema

from subgraphs.core.data.db import Database
from subgraphs.core.execution.metrics import Metrics
from subgraphs.core.http.explorer import explorer_available, explorer_routes
from subgraphs.core.http.guard import Guard, token_verifier
from subgraphs.core.http.probes import probe_routes
from subgraphs.core.http.tracing import tracing
from subgraphs.core.http.view import GraphQLView
from subgraphs.core.runtime.federation import graphql_path
from subgraphs.core.runtime.gc_tuning import tune_garbage_collector
from subgraphs.core.runtime.settings import Settings
from subgraphs.core.security.auth import TokenVerifier
from subgraphs.core.storage.storage import object_store

log = logging.getLogger("dina.http")


def cors(settings: Settings) -> list[Middleware]:
    """Web pages of the allowed origins may call the subgraphs and PUT/GET the media file routes
    (the router applies the same setting); credentials only ever for listed origins."""
    origins = settings.allowed_origins
    if not origins:
        return []
    return [Middleware(
        CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST", "PUT"],
        allow_headers=["authorization", "content-type", "x-request-id"], expose_headers=["x-request-id"],
        allow_credentials=settings.cors_credentials and "*" not in origins, max_age=600,
    )]


def subgraphs_app(
    schemas: Mapping[str, Schema], db: Database, settings: Settings, verifier: TokenVerifier | None = None,
    extra_routes: Sequence[Callable[[Settings, Database], list[BaseRoute]]] = (),
) -> Starlette:
    """Each schema at ``/<name>/graphql``; they stay separate subgraphs to the router."""
    verifier = verifier or token_verifier(settings)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        tune_garbage_collector()
        yield
        await db.dispose()

    metrics = Metrics(db)
    views = {name: GraphQLView(schema, db, settings, name, metrics) for name, schema in schemas.items()}
    routes = probe_routes(sorted(schemas), db, object_store(settings), lambda: {"sql_statements": db.statements.count})

    async def scrape(_: Request) -> Response:
        return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

    routes.append(Route("/metrics", scrape))
    routes += [
        # Every method reaches the view, whose refusal of the others is a GraphQL error (405,
        # METHOD_NOT_ALLOWED), not Starlette's plain text.
        Route(graphql_path(name), Guard(view, verifier, settings.max_body_bytes))
        for name, view in views.items()
    ]
    if settings.graphiql_enabled:
        if explorer_available():
            routes += explorer_routes()
        else:
            log.warning("GraphiQL is off: its files are not installed (run `npm ci` in federation/)")
    for make_routes in extra_routes:
        routes += make_routes(settings, db)
    service = f"dina-{next(iter(schemas))}" if len(schemas) == 1 else "dina-subgraphs"
    app = Starlette(routes=routes, lifespan=lifespan, middleware=tracing(settings, service) + cors(settings))
    app.state.views = views
    return app
