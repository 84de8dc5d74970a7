"""Typed exceptions: what went wrong, on which field, and the request id that finds it in the server's logs."""

from __future__ import annotations

from typing import Any


class DinaError(Exception):
    """Any error this client raises; ``code`` is the API's error code (``BAD_USER_INPUT``, ``FORBIDDEN``, …)."""

    def __init__(self, message: str, code: str | None = None, field: str | None = None,
                 request_id: str | None = None) -> None:
        self.message, self.code, self.field, self.request_id = message, code, field, request_id
        where = f" on {field}" if field else ""
        request = f" (request id {request_id})" if request_id else ""
        super().__init__(f"{code or 'ERROR'}{where}: {message}{request}")


class TransportError(DinaError):
    """The server could not be reached or answered with something that is not GraphQL."""


class AuthenticationError(DinaError):
    """No valid token: UNAUTHENTICATED, or the login itself failed."""


class PermissionDenied(DinaError):
    """The token is valid but its groups do not allow this (FORBIDDEN)."""


class QueryError(DinaError):
    """The document or its variables do not fit the schema (GRAPHQL_VALIDATION_FAILED, limits)."""


class FilterError(QueryError):
    """A keyword filter names no field or operator of the connection's filter input, or has a wrong value."""


class UserError(DinaError):
    """A mutation's payload refused the input (its `errors { field code message }`), or a resolver's error."""


_BY_CODE: dict[str, type[DinaError]] = {
    "UNAUTHENTICATED": AuthenticationError,
    "FORBIDDEN": PermissionDenied,
    "GRAPHQL_PARSE_FAILED": QueryError,
    "GRAPHQL_VALIDATION_FAILED": QueryError,
    "BAD_REQUEST": QueryError,
}


def from_user_error(error: dict[str, Any], request_id: str | None) -> DinaError:
    """The exception for the first entry of a payload's ``errors { field code message }``."""
    cls = _BY_CODE.get(error["code"], UserError)
    return cls(error["message"], error["code"], error.get("field"), request_id)


def from_graphql_error(error: dict[str, Any], request_id: str | None) -> DinaError:
    """The exception for one entry of a response's ``errors``."""
    extensions = error.get("extensions") or {}
    code = extensions.get("code")
    field = extensions.get("field") or ".".join(str(p) for p in error.get("path") or []) or None
    cls = _BY_CODE.get(code or "", QueryError if code and code.startswith(("QUERY_", "TOO_MANY")) else UserError)
    return cls(error.get("message", ""), code, field, extensions.get("requestId") or request_id)
