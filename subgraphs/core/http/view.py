"""Strawberry's ASGI view, made to speak the GraphQL-over-HTTP spec's media type."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.federation import Schema
from strawberry.http import GraphQLHTTPResponse, process_result
from strawberry.types import ExecutionResult

from subgraphs.core.data.db import Database
from subgraphs.core.execution.context import RequestContext
from subgraphs.core.execution.metrics import Metrics
from subgraphs.core.runtime.settings import Settings
from subgraphs.core.security.auth import ANONYMOUS

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"


def negotiate(accept: str) -> str:
    """The response media type: the spec's own type unless the client only takes plain JSON."""
    if not accept or GRAPHQL_RESPONSE_JSON in accept or "*/*" in accept:
        return GRAPHQL_RESPONSE_JSON if GRAPHQL_RESPONSE_JSON in accept else JSON
    return JSON


class GraphQLView(GraphQL):
    def __init__(self, schema: Schema, db: Database, settings: Settings, name: str = "",
                 metrics: Metrics | None = None) -> None:
        super().__init__(
            schema, graphql_ide="graphiql" if settings.graphiql_enabled else None
        )
        self.db = db
        self.settings = settings
        self.name, self.metrics = name, metrics

    def decode_json(self, data: str | bytes) -> object:
        return orjson.loads(data)  # raises a json.JSONDecodeError subclass, as Strawberry expects

    async def get_context(self, request: Request | WebSocket, response: Any) -> RequestContext:
        state = request.scope.get("state", {})  # set by core.guard.Guard
        return RequestContext(
            request=request, response=response, db=self.db, settings=self.settings,
            principal=state.get("principal", ANONYMOUS), request_id=state.get("request_id", "-"),
            subgraph=self.name, metrics=self.metrics,
        )

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        response = await super().get_sub_response(request)
        response.media_type = negotiate(request.headers.get("accept", ""))
        return response

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        response = process_result(result)
        # A request that never executed (syntax, validation, variable coercion: errors without a
        # path) has no "data" entry, as the GraphQL spec says.
        if result.data is None and result.errors and all(e.path is None for e in result.errors):
            response.pop("data", None)
        return response

    def create_response(self, response_data: Any, sub_response: Response) -> Response:
        response = super().create_response(response_data, sub_response)
        media_type = sub_response.media_type or JSON
        response.headers["content-type"] = f"{media_type}; charset=utf-8"
        # The spec's media type reports a request that never executed (no "data") as a 4xx.
        if (
            media_type == GRAPHQL_RESPONSE_JSON
            and isinstance(response_data, dict)
            and "data" not in response_data
            and not sub_response.status_code
        ):
            response.status_code = 400
        return response

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)
