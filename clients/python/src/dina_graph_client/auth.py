"""Logins: a token string, an OIDC password or device-code grant (Keycloak's endpoints), or a dev token.

An OIDC login keeps its refresh token and renews the access token shortly before it expires, so a
long notebook session or a paging loop of an hour does not fail half way.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import httpx

from .errors import AuthenticationError

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


class TokenSource(Protocol):
    """What the client asks for a bearer token before each request."""

    def token(self) -> str | None: ...

    def renew(self) -> bool:
        """Get a new token after the server refused the current one; False when it cannot."""
        ...


class StaticToken:
    """A token string (from your OIDC provider, or `dina-graph token`); never renewed."""

    def __init__(self, value: str | None) -> None:
        self.value = value

    def token(self) -> str | None:
        return self.value

    def renew(self) -> bool:
        return False


def keycloak_issuer(server_url: str, realm: str) -> str:
    """Keycloak's issuer URL for a realm, e.g. ``https://auth.example.org/realms/dina``."""
    return f"{server_url.rstrip('/')}/realms/{realm}"


class OIDCLogin:
    """Tokens from an OIDC provider's token endpoint, renewed with the refresh token before they expire."""

    def __init__(self, issuer: str, client_id: str, *, client_secret: str | None = None, scope: str = "openid",
                 refresh_margin: float = 30.0, http: httpx.Client | None = None) -> None:
        self.client_id, self.client_secret, self.scope = client_id, client_secret, scope
        self.refresh_margin = refresh_margin
        self.http = http or httpx.Client(timeout=30)
        discovery = self._json(self.http.get(f"{issuer.rstrip('/')}/.well-known/openid-configuration"))
        self.token_endpoint: str = discovery["token_endpoint"]
        self.device_endpoint: str | None = discovery.get("device_authorization_endpoint")
        self._grant: dict[str, str] | None = None  # what logs in again when the refresh token is spent
        self._access: str | None = None
        self._refresh: str | None = None
        self._expires_at = 0.0

    @classmethod
    def password(cls, issuer: str, client_id: str, username: str, password: str, **options: Any) -> OIDCLogin:
        """Resource-owner password grant (a Keycloak client with direct access grants, as dina-py uses)."""
        login = cls(issuer, client_id, **options)
        login._grant = {"grant_type": "password", "username": username, "password": password}
        login._request(login._grant)
        return login

    @classmethod
    def device_code(cls, issuer: str, client_id: str, prompt: Callable[[str], None] = print,
                    **options: Any) -> OIDCLogin:
        """Device authorization grant: ``prompt`` shows where to approve the login, then this waits for it."""
        login = cls(issuer, client_id, **options)
        if not login.device_endpoint:
            raise AuthenticationError("the provider offers no device authorization endpoint", "LOGIN_FAILED")
        device = login._json(login.http.post(login.device_endpoint, data=login._client({"scope": login.scope})))
        prompt(f"To log in, open {device.get('verification_uri_complete') or device['verification_uri']} "
               f"and enter the code {device['user_code']}")
        login._poll(device)
        return login

    def token(self) -> str | None:
        if time.time() > self._expires_at - self.refresh_margin:
            self.renew()
        return self._access

    def renew(self) -> bool:
        if self._refresh:
            try:
                self._request({"grant_type": "refresh_token", "refresh_token": self._refresh})
                return True
            except AuthenticationError:
                if not self._grant:
                    raise
        if not self._grant:
            raise AuthenticationError("the session expired: log in again", "UNAUTHENTICATED")
        self._request(self._grant)
        return True

    def _poll(self, device: dict[str, Any]) -> None:
        interval = float(device.get("interval", 5))
        deadline = time.monotonic() + float(device.get("expires_in", 600))
        while time.monotonic() < deadline:
            response = self.http.post(self.token_endpoint,
                                      data=self._client({"grant_type": DEVICE_GRANT, "device_code": device["device_code"]}))
            if response.status_code == 200:
                self._store(response.json())
                return
            error = _oauth_error(response)
            if error == "slow_down":
                interval += 5
            elif error != "authorization_pending":
                raise AuthenticationError(f"device login refused: {error}", "LOGIN_FAILED")
            time.sleep(interval)
        raise AuthenticationError("the device code expired before the login was approved", "LOGIN_FAILED")

    def _request(self, grant: dict[str, str]) -> None:
        response = self.http.post(self.token_endpoint, data=self._client({**grant, "scope": self.scope}))
        if response.status_code != 200:
            raise AuthenticationError(f"login refused: {_oauth_error(response)}", "LOGIN_FAILED")
        self._store(response.json())

    def _store(self, tokens: dict[str, Any]) -> None:
        self._access = tokens["access_token"]
        self._refresh = tokens.get("refresh_token", self._refresh)
        self._expires_at = time.time() + float(tokens.get("expires_in", 300))

    def _client(self, form: dict[str, str]) -> dict[str, str]:
        secret = {"client_secret": self.client_secret} if self.client_secret else {}
        return {**form, "client_id": self.client_id, **secret}

    @staticmethod
    def _json(response: httpx.Response) -> dict[str, Any]:
        if response.status_code != 200:
            raise AuthenticationError(f"{response.request.url} answered {response.status_code}", "LOGIN_FAILED")
        body: dict[str, Any] = response.json()
        return body


def _oauth_error(response: httpx.Response) -> str:
    try:
        return str(response.json().get("error", response.status_code))
    except ValueError:
        return f"HTTP {response.status_code}"


def dev_token(group: str | Sequence[str] = "demo", role: str = "user", *,
              command: Sequence[str] = ("dina-graph",), env: dict[str, str] | None = None) -> str:
    """A token from the server's ``dina-graph token``, which only a development-mode server trusts.

    Run it where the server runs (``command`` may be ``["./run"]`` in its checkout)."""
    groups = [group] if isinstance(group, str) else list(group)
    result = subprocess.run([*command, "token", "--group", *groups, "--role", role], capture_output=True,
                            text=True, env={**os.environ, "DINA_DEV": "true", **(env or {})}, check=False)
    if result.returncode != 0 or not result.stdout.strip():
        raise AuthenticationError(result.stderr.strip() or "no token printed", "LOGIN_FAILED")
    return result.stdout.strip().splitlines()[-1]
