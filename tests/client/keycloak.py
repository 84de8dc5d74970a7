"""An OIDC provider's token endpoints as Keycloak lays them out, over real HTTP, signing with the test issuer's key.

It speaks the protocol a Keycloak realm does (discovery, password, refresh-token and device-code grants) so
the client's logins run against HTTP, not against stubs in the process."""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from subgraphs.core.runtime.processes import wait_until_ready

from ..conftest import ISSUER, free_port

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
REALM = "/realms/dina"
OIDC = f"{REALM}/protocol/openid-connect"


@dataclass
class Keycloak:
    users: dict[str, tuple[str, tuple[str, ...]]]  # username: (password, groups)
    client_id: str = "dina-notebook"
    lifetime: int = 300  # seconds an access token lives
    port: int = field(default_factory=free_port)
    grants: Counter[str] = field(default_factory=Counter)
    refresh_tokens: dict[str, str] = field(default_factory=dict)  # token: username
    devices: dict[str, dict[str, str | None]] = field(default_factory=dict)  # device code: user code, approved user

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def issuer(self) -> str:
        return self.base + REALM

    def approve(self, user_code: str, username: str) -> None:
        """What the user does in the browser at the verification URI."""
        for device in self.devices.values():
            if device["user_code"] == user_code:
                device["user"] = username

    def _tokens(self, username: str) -> JSONResponse:
        refresh = secrets.token_urlsafe(16)
        self.refresh_tokens[refresh] = username
        access = ISSUER.token(*self.users[username][1], subject=username, lifetime=dt.timedelta(seconds=self.lifetime))
        return JSONResponse({"access_token": access, "refresh_token": refresh, "token_type": "Bearer",
                             "expires_in": self.lifetime})

    async def discovery(self, _: Request) -> JSONResponse:
        return JSONResponse({"issuer": self.issuer, "token_endpoint": self.base + OIDC + "/token",
                             "device_authorization_endpoint": self.base + OIDC + "/auth/device"})

    async def token(self, request: Request) -> JSONResponse:
        form = dict(parse_qsl((await request.body()).decode()))  # application/x-www-form-urlencoded
        grant = str(form.get("grant_type"))
        self.grants[grant] += 1
        if form.get("client_id") != self.client_id:
            return JSONResponse({"error": "invalid_client"}, 401)
        if grant == "password":
            user = self.users.get(str(form.get("username")))
            if user is None or user[0] != form.get("password"):
                return JSONResponse({"error": "invalid_grant"}, 401)
            return self._tokens(str(form["username"]))
        if grant == "refresh_token":
            username = self.refresh_tokens.pop(str(form.get("refresh_token")), None)
            return self._tokens(username) if username else JSONResponse({"error": "invalid_grant"}, 400)
        if grant == DEVICE_GRANT:
            device = self.devices.get(str(form.get("device_code")))
            if device is None:
                return JSONResponse({"error": "expired_token"}, 400)
            if device["user"] is None:
                return JSONResponse({"error": "authorization_pending"}, 400)
            return self._tokens(str(device["user"]))
        return JSONResponse({"error": "unsupported_grant_type"}, 400)

    async def device(self, request: Request) -> JSONResponse:
        device_code, user_code = secrets.token_urlsafe(16), secrets.token_hex(4).upper()
        self.devices[device_code] = {"user_code": user_code, "user": None}
        return JSONResponse({"device_code": device_code, "user_code": user_code,
                             "verification_uri": self.base + "/device", "expires_in": 60, "interval": 1})

    def __enter__(self) -> Keycloak:
        app = Starlette(routes=[Route(f"{REALM}/.well-known/openid-configuration", self.discovery),
                                Route(f"{OIDC}/token", self.token, methods=["POST"]),
                                Route(f"{OIDC}/auth/device", self.device, methods=["POST"])])
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        threading.Thread(target=self.server.run, daemon=True).start()
        wait_until_ready(self.issuer + "/.well-known/openid-configuration", timeout=30)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
