"""The one module that speaks Specify 7's HTTP API (it plays the repository's role).

Specify has no API tokens: the client logs in like its web app does — `GET /context/login/` for the
CSRF cookie, then `PUT /context/login/` with the service account and the collection — and keeps the
session cookie. A bare 403 later means the session is gone (expired, server restarted): the client
logs in again once and repeats the request. Reads use Specify's own filters and paging; related
records come in batches by `__in` filters, never whole tables.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from subgraphs.core.runtime.settings import Settings

UNSAFE = {"POST", "PUT", "DELETE"}


class SpecifyUnavailable(Exception):
    """Specify cannot be reached, or will not let the service account in."""


class SpecifyError(Exception):
    """Specify answered with an error: its status and its text (or, for a 500, its exception class)."""

    def __init__(self, status: int, message: str, exception: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.exception = status, message, exception


@dataclass(frozen=True)
class Account:
    url: str
    user: str
    password: str
    collection: str | None  # name or id; None: the first the server lists


@dataclass(frozen=True)
class Page:
    objects: list[dict[str, Any]]
    total_count: int


class SpecifyClient:
    """A logged-in session with one Specify server, shared by all requests of a process."""

    def __init__(self, account: Account, timeout: float) -> None:
        self.account = account
        self.http = httpx.AsyncClient(base_url=account.url.rstrip("/"), timeout=timeout,
                                      headers={"Accept": "application/json"})
        self._login_lock = asyncio.Lock()
        self._session: str | None = None
        self._collection: int | None = None

    async def collection_id(self) -> int:
        """The collection the service account is logged in to (the scope of every list)."""
        await self._logged_in()
        return self._collection or 0

    async def page(self, table: str, params: Mapping[str, str]) -> Page:
        """One page of a table's list: Specify's `{objects, meta: {total_count}}`."""
        body = await self.request("GET", f"/api/specify/{table}/", params=params)
        return Page(body["objects"], body["meta"]["total_count"])

    async def matching(self, table: str, field: str, values: Sequence[Any],
                       params: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
        """Every record whose ``field`` is one of ``values``: one request, `field__in=a,b,c&limit=0`.
        Values holding a comma cannot be sent this way (Specify splits on commas) and match nothing."""
        sendable = sorted({str(v) for v in values if v is not None and "," not in str(v)})
        if not sendable:
            return []
        page = await self.page(table, {f"{field}__in": ",".join(sendable), "limit": "0", **(params or {})})
        return page.objects

    async def record(self, table: str, record_id: int) -> dict[str, Any]:
        return await self.request("GET", f"/api/specify/{table}/{record_id}/")

    async def create(self, table: str, body: Mapping[str, Any]) -> dict[str, Any]:
        return await self.request("POST", f"/api/specify/{table}/", json=body)

    async def update(self, table: str, record_id: int, body: Mapping[str, Any]) -> dict[str, Any]:
        """A partial update; ``body`` carries the `version` the caller read (Specify answers 409 when stale)."""
        return await self.request("PUT", f"/api/specify/{table}/{record_id}/", json=body)

    async def request(self, method: str, path: str, params: Mapping[str, str] | None = None,
                      json: Any = None) -> Any:
        for attempt in (1, 2):
            session = await self._logged_in()
            response = await self._send(method, path, params=params, json=json)
            if response.status_code == 403 and attempt == 1:
                await self._forget(session)  # an expired session (or a rotated CSRF token): log in again
                continue
            return self._answer(response)
        raise AssertionError("unreachable")

    async def _send(self, method: str, path: str, **options: Any) -> httpx.Response:
        headers = {}
        if method in UNSAFE:
            headers = {"X-CSRFToken": self.http.cookies.get("csrftoken") or "", "Referer": str(self.http.base_url)}
        try:
            return await self.http.request(method, path, headers=headers, **options)
        except httpx.HTTPError as error:
            raise SpecifyUnavailable(f"Specify at {self.account.url} cannot be reached ({type(error).__name__}).") \
                from error

    async def _logged_in(self) -> str:
        if self._session is not None:
            return self._session
        async with self._login_lock:
            if self._session is None:
                self._session = await self._login()
            return self._session

    async def _forget(self, session: str) -> None:
        async with self._login_lock:
            if self._session == session:
                self._session = None

    async def _login(self) -> str:
        offered = self._answer(await self._send("GET", "/context/login/"))["collections"]
        wanted = self.account.collection
        collection = next((i for name, i in offered.items() if wanted in (None, name, str(i))), None)
        if collection is None:
            raise SpecifyUnavailable(f"Specify has no collection {wanted!r} (it offers {sorted(offered)}).")
        response = await self._send("PUT", "/context/login/", json={
            "username": self.account.user, "password": self.account.password, "collection": collection})
        if response.status_code != 204:
            raise SpecifyUnavailable(f"Specify refused the service account's login ({response.status_code}"
                                     f"{': ' + response.text if response.text else ''}).")
        self._collection = collection
        return self.http.cookies.get("sessionid") or ""

    @staticmethod
    def _answer(response: httpx.Response) -> Any:
        status = response.status_code
        if status < 300:
            return response.json() if response.content else None
        if status >= 500:
            try:  # Specify's own 500s are JSON (labelled text/html): {exception, message, data, traceback}
                body = response.json()
            except ValueError:
                raise SpecifyUnavailable(f"Specify answered {status} {response.reason_phrase}.") from None
            raise SpecifyError(status, str(body.get("message")), str(body.get("exception")))
        raise SpecifyError(status, response.text)


_clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[Account, SpecifyClient]] = \
    weakref.WeakKeyDictionary()


def client_for(settings: Settings) -> SpecifyClient:
    """The process's client for the configured account (one per event loop: httpx's pool belongs to one)."""
    if not settings.specify_url:
        raise SpecifyUnavailable("No Specify server is configured (DINA_SPECIFY_URL).")
    account = Account(settings.specify_url, settings.specify_user or "", settings.specify_password or "",
                      settings.specify_collection)
    clients = _clients.setdefault(asyncio.get_running_loop(), {})
    if account not in clients:
        clients[account] = SpecifyClient(account, settings.specify_timeout_seconds)
    return clients[account]
