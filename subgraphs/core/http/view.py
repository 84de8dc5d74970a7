"""Strawberry's ASGI view, made to speak the GraphQL-over-HTTP spec's media type."""

from __future__ import annotations

from typing import Any

import orjson
from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.federation import Schema
from strawberry.http import GraphQLHTTPResponse, process_result
from strawberry.types import ExecutionResult

from subgraphs.core.data.db import Database
from subgraphs.core.execution.context import RequestContext
from subgraphs.core.execution.metrics import Metrics
from subgraphs.core.http.explorer import explorer_available, explorer_page
from subgraphs.core.runtime.settings import Settings
from subgraphs.core.security.auth import ANONYMOUS

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"
# A refusal of the request itself (before any GraphQL), by status: the codes Hive Gateway gives.
JSON_KINDS = {str: "a string", int: "a number", float: "a number", bool: "true or false"}
HTTP_ERROR_CODES = {400: "BAD_REQUEST", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}


def negotiate(accept: str) -> str:
    """The response media type: the spec's own type unless the client only takes plain JSON."""
    if not accept or GRAPHQL_RESPONSE_JSON in accept or "*/*" in accept:
        return GRAPHQL_RESPONSE_JSON if GRAPHQL_RESPONSE_JSON in accept else JSON
    return JSON


class GraphQLView(GraphQL):
    def __init__(self, schema: Schema, db: Database, settings: Settings, name: str = "",
                 metrics: Metrics | None = None) -> None:
        explorer = settings.graphiql_enabled and explorer_available()
        super().__init__(schema, graphql_ide="graphiql" if explorer else None)
        self.db = db
        self.settings = settings
        self.name, self.metrics = name, metrics

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        """The router's offline page (files at /explorer/*), not Strawberry's, which loads from a CDN."""
        return HTMLResponse(explorer_page("DINA Graph subgraph", request.url.path))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Strawberry's refusals of the HTTP request (bad JSON, no query, a wrong content type, …)
        as GraphQL-over-HTTP errors with a code, not plain text."""
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive)
        try:
            response = await self.run(request)
        except HTTPException as error:
            media_type = negotiate(request.headers.get("accept", ""))
            code = HTTP_ERROR_CODES.get(error.status_code, "BAD_REQUEST")
            response = Response(
                orjson.dumps({"errors": [{"message": error.reason, "extensions": {"code": code}}]}),
                status_code=error.status_code, headers={"content-type": f"{media_type}; charset=utf-8"},
            )
        await response(scope, receive, send)

    def decode_json(self, data: str | bytes) -> object:
        try:
            value = orjson.loads(data)
        except orjson.JSONDecodeError as error:  # lone surrogates too: "str is not valid UTF-8: surrogates …"
            raise HTTPException(400, f"The request is not valid JSON: {error}.") from error
        if not isinstance(value, dict | list):  # a list is a batch, which Strawberry refuses itself
            kind = "null" if value is None else JSON_KINDS[type(value)]
            raise HTTPException(400, f"A GraphQL request is a JSON object, not {kind}.")
        return value

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
            for error in response["errors"]:  # graphql-core's variable coercion gives no code
                error.setdefault("extensions", {}).setdefault("code", "BAD_USER_INPUT")
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
