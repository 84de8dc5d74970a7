"""Typed errors clients can act on; anything else is masked before it leaves a subgraph."""

from __future__ import annotations

import logging
from enum import Enum, StrEnum
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import MaskErrors, SchemaExtension
from strawberry.types import ExecutionContext

log = logging.getLogger("dina.errors")


class ErrorCode(StrEnum):
    """Core codes, shared by every subgraph; domains add their own enums beside these."""

    BAD_USER_INPUT = "BAD_USER_INPUT"
    INVALID_ID = "INVALID_ID"
    INVALID_CURSOR = "INVALID_CURSOR"
    PAGE_SIZE = "PAGE_SIZE"
    NOT_FOUND = "NOT_FOUND"
    STALE_VERSION = "STALE_VERSION"
    HAS_DEPENDANTS = "HAS_DEPENDANTS"
    FORBIDDEN = "FORBIDDEN"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    DUPLICATE = "DUPLICATE"
    STORAGE_UNAVAILABLE = "STORAGE_UNAVAILABLE"
    TOO_MANY_ITEMS = "TOO_MANY_ITEMS"  # a bulk mutation's list is longer than max_bulk_items
    # The document itself: core/limits.py.
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    QUERY_TOO_DEEP = "QUERY_TOO_DEEP"
    QUERY_TOO_LARGE = "QUERY_TOO_LARGE"
    QUERY_TOO_COSTLY = "QUERY_TOO_COSTLY"
    TOO_MANY_ALIASES = "TOO_MANY_ALIASES"
    TOO_MANY_FRAGMENT_SPREADS = "TOO_MANY_FRAGMENT_SPREADS"
    FILTER_TOO_LARGE = "FILTER_TOO_LARGE"


class ClientError(GraphQLError):
    """An expected error: its message and code reach the client as they are."""

    def __init__(self, code: ErrorCode | str, message: str, field: str | None = None) -> None:
        code_value = code.value if isinstance(code, Enum) else code
        extensions: dict[str, object] = {"code": code_value}
        if field:
            extensions["field"] = field
        super().__init__(message, extensions=extensions)
        self.code = code_value
        self.field = field


def _is_unexpected(error: GraphQLError) -> bool:
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)  # ClientErrors and GraphQL's own


def _request_id(execution_context: ExecutionContext | None) -> str:
    return getattr(getattr(execution_context, "context", None), "request_id", "-")


def log_errors(errors: list[GraphQLError], execution_context: ExecutionContext | None) -> None:
    """The client's mistakes at INFO, one line each without a stack; anything unexpected at ERROR
    with its one stack, under the request id the client is shown (Strawberry logged every error,
    a client's too, as an ERROR with a stack)."""
    request_id = _request_id(execution_context)
    for error in errors:
        if _is_unexpected(error):
            log.error("unexpected error (request id %s) at %s: %s", request_id, error.path, error.original_error,
                      exc_info=error.original_error)
        else:
            code = (error.extensions or {}).get("code", "GRAPHQL_ERROR")
            log.info("client error %s (request id %s) at %s: %s", code, request_id, error.path, error.message)


class MaskUnexpectedErrors(MaskErrors):
    """Hide the message of unexpected errors; the request id in their place finds the logged stack."""

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        request_id = _request_id(self.execution_context)
        return GraphQLError(
            f"Unexpected error (request id {request_id}).", nodes=error.nodes, path=error.path,
            extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
        )


def masked_errors() -> MaskErrors:
    return MaskUnexpectedErrors(should_mask_error=_is_unexpected)


class ReportWarnings(SchemaExtension):
    """`extensions.warnings` of a response whose writes committed but left something to do (e.g. a
    deleted media's files the store would not delete yet), so the client sees the committed result."""

    def get_results(self) -> dict[str, Any]:
        warnings = getattr(self.execution_context.context, "warnings", None)
        return {"warnings": list(warnings)} if warnings else {}
