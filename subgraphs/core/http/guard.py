"""What every GraphQL route checks before Strawberry sees a request: body size, identity, request id."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from subgraphs.core.base.errors import ClientError
from subgraphs.core.runtime.logs import request_id as current_request_id
from subgraphs.core.runtime.settings import ConfigurationError, Settings
from subgraphs.core.security.auth import KeySet, TokenVerifier
from subgraphs.core.security.devkeys import DEV_ISSUER, DEV_KID, dev_private_key

log = logging.getLogger("dina.auth")
access_log = logging.getLogger("dina.access")  # one line a request (DINA_ACCESS_LOG)


def token_verifier(settings: Settings) -> TokenVerifier:
    """The issuer's keys; in dev mode without an issuer, the local dev key (loudly)."""
    if settings.oidc_issuer:
        jwks_url = settings.oidc_jwks_url
        if jwks_url is None:
            discovery = f"{settings.oidc_issuer.rstrip('/')}/.well-known/openid-configuration"
            try:
                jwks_url = httpx.get(discovery, timeout=10).raise_for_status().json()["jwks_uri"]
            except (httpx.HTTPError, ValueError, KeyError) as error:
                raise ConfigurationError(f"DINA_OIDC_ISSUER {settings.oidc_issuer} gave no jwks_uri at {discovery} "
                                         f"({error or type(error).__name__}); set DINA_OIDC_JWKS_URL or "
                                         "check the issuer") from error
        return TokenVerifier(KeySet(url=jwks_url), settings.oidc_issuer, settings.oidc_audience, settings.groups_claim)
    if not settings.dev:
        settings.check_serving()  # raises: production mode without an issuer
    log.warning("DEV MODE: trusting tokens signed by the local dev key in %s (mint one with "
                "`dina-graph token`). Never run like this in production.", settings.data_dir)
    key = dev_private_key(settings.data_dir).public_key()
    return TokenVerifier(KeySet(keys={DEV_KID: key}), DEV_ISSUER, settings.oidc_audience, settings.groups_claim)


def _error_response(status: int, code: str, message: str, headers: list[tuple[bytes, bytes]]) -> list[Message]:
    body = orjson.dumps({"errors": [{"message": message, "extensions": {"code": code}}]})
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *headers]
    return [{"type": "http.response.start", "status": status, "headers": headers},
            {"type": "http.response.body", "body": body}]


class Guard:
    """ASGI wrapper: refuse oversized bodies (413) and bad tokens (401); pass the principal and
    a request id on in ``scope["state"]``, and return the request id as ``x-request-id``."""

    def __init__(self, app: ASGIApp, verifier: TokenVerifier, max_body_bytes: int) -> None:
        self.app, self.verifier, self.max_body_bytes = app, verifier, max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        request_id = headers.get(b"x-request-id", b"").decode("latin-1")[:64] or uuid.uuid4().hex
        token = current_request_id.set(request_id)  # on every log line of this request
        started, status = time.perf_counter(), 500

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self._guarded(scope, receive, send_noting_status, headers, request_id)
        finally:
            access_log.info("%s %s %d %.1f ms", scope["method"], scope["path"], status,
                            (time.perf_counter() - started) * 1000)
            current_request_id.reset(token)

    async def _guarded(self, scope: Scope, receive: Receive, send: Send, headers: dict[bytes, bytes],
                       request_id: str) -> None:
        id_header = [(b"x-request-id", request_id.encode("latin-1"))]
        body = await self._read_body(receive)
        if body is None:
            await self._send_all(send, _error_response(
                413, "REQUEST_TOO_LARGE", f"Request bodies are limited to {self.max_body_bytes:,} bytes.", id_header))
            return
        try:
            principal = await self.verifier.principal(headers.get(b"authorization", b"").decode("latin-1"))
        except ClientError as error:
            await self._send_all(send, _error_response(
                401, "UNAUTHENTICATED", error.message, [*id_header, (b"www-authenticate", b"Bearer")]))
            return
        scope["state"] = {**scope.get("state", {}), "principal": principal, "request_id": request_id}

        async def replay() -> Message:
            nonlocal body
            chunk, body = body, b""
            return {"type": "http.request", "body": chunk, "more_body": False}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *id_header]
            await send(message)

        await self.app(scope, replay, send_with_id)

    async def _read_body(self, receive: Receive) -> bytes | None:
        chunks, size = [], 0
        while True:
            message = await receive()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                return None
            chunks.append(chunk)
            if not message.get("more_body"):
                return b"".join(chunks)

    @staticmethod
    async def _send_all(send: Callable[[Message], Awaitable[Any]], messages: list[Message]) -> None:
        for message in messages:
            await send(message)
