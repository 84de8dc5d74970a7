"""The stand-in server: login and sessions, the tables API, and the test hooks (down, expiry, more objects)."""

from __future__ import annotations

import copy
import datetime as dt
import json
import secrets
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from subgraphs.core.runtime.processes import wait_until_ready

from .recordings import LIST_CACHE, URI, replayed, text, uri
from .store import DataModel, FilterError, Lookup, Store, field_error

GUID_TABLES = {"collectionobject", "agent", "determination", "preparation", "collectingevent", "locality",
               "attachment", "collection"}
LIST_CONTROLS = {"limit", "offset", "orderby", "domainfilter", "filterchronostrat"}


class SpecifyStandIn:
    """The stand-in server: its store, sessions and a log of every request it answered."""

    user_agent = uri("agent", 1)  # sp7admin's agent (createdbyagent/modifiedbyagent on writes)
    username, password = "sp7admin", "sp7admin-pass"

    def __init__(self, port: int) -> None:
        self.port = port
        self.model = DataModel()
        self.store = Store(self.model)
        self.collections = {"Invertebrate Paleontology": 1}
        self.sessions: dict[str, int] = {}  # sessionid -> collection id
        self.requests: list[str] = []  # "METHOD /path?query", in order
        self.down = False
        self.lock = threading.Lock()
        app = Starlette(routes=[
            Route("/context/login/", self.login, methods=["GET", "PUT", "POST"]),
            Route("/context/{name}.json", self.context, methods=["GET"]),
            Route("/api/specify/{table}/", self.collection, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
            Route("/api/specify/{table}/{id}/", self.resource, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
            Route("/{path:path}", self.unknown, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
        ])
        app.add_middleware(_Recorder, standin=self)
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                                    access_log=False))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> SpecifyStandIn:
        self.thread.start()
        wait_until_ready(f"{self.url}/context/system_info.json", timeout=30)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)

    def expire_sessions(self) -> None:
        """What a server restart or session timeout does: every session cookie stops working."""
        self.sessions.clear()

    def api_requests(self, since: int = 0) -> list[str]:
        return [r for r in self.requests[since:] if not r.startswith(("GET /context/login/", "PUT /context/login/"))]

    # -- login and context -------------------------------------------------------------------

    def _session(self, request: Request) -> int | None:
        return self.sessions.get(request.cookies.get("sessionid", ""))

    @staticmethod
    def _csrf_ok(request: Request) -> bool:
        token = request.cookies.get("csrftoken")
        return bool(token) and request.headers.get("x-csrftoken") == token

    @staticmethod
    def _set_csrf(response: Response) -> None:
        response.set_cookie("csrftoken", secrets.token_urlsafe(24)[:32], max_age=31449600, samesite="lax")

    async def login(self, request: Request) -> Response:
        if request.method == "POST":
            return text("", 405, {"Allow": "PUT, GET, HEAD"})
        if request.method == "GET":
            response = JSONResponse({"collections": self.collections, "username": None, "password": None,
                                     "collection": None})
            if "csrftoken" not in request.cookies:
                self._set_csrf(response)
            return response
        if not self._csrf_ok(request):
            return replayed("01_login_put_without_csrf")
        body = json.loads(await request.body())
        if body.get("username") is None:  # logout
            self.sessions.pop(request.cookies.get("sessionid", ""), None)
            response = text("", 204)
            response.delete_cookie("sessionid")
            return response
        if (body.get("username"), body.get("password")) != (self.username, self.password):
            return text("", 403)
        session = secrets.token_hex(16)
        self.sessions[session] = 0
        collection = body.get("collection")
        if collection not in self.collections.values():
            response = text(f"collection {collection} does not exist", 400)
        else:
            self.sessions[session] = collection
            response = text("", 204)
            response.set_cookie("collection", str(collection), max_age=31536000)
        self._set_csrf(response)
        response.set_cookie("sessionid", session, httponly=True, samesite="lax")
        return response

    async def context(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name == "system_info":
            return replayed("00_anon_system_info")
        if self._session(request) is None:
            return text("", 403)
        if name in ("user", "datamodel"):
            return replayed(f"02_context_{name}" if name == "datamodel" else "02_context_user_json")
        return text("404 not found\n", 404)

    async def unknown(self, _: Request) -> Response:
        return text("404 not found\n", 404)

    # -- the tables API ----------------------------------------------------------------------

    def _table(self, request: Request) -> str:
        table = request.path_params["table"]
        if table not in self.model.tables:
            raise FilterError(text(f"module 'specifyweb.specify.models' has no attribute '{table.capitalize()}'", 404))
        return table

    def _guard(self, request: Request) -> Response | None:
        if self._session(request) is None:
            return text("", 403)
        if request.method != "GET" and not self._csrf_ok(request):
            return replayed("05_put_without_csrf")
        return None

    async def collection(self, request: Request) -> Response:
        if refusal := self._guard(request):
            return refusal
        try:
            table = self._table(request)
            if request.method == "GET":
                return JSONResponse(self._list(table, request), headers=LIST_CACHE)
            if request.method == "POST":
                body = json.loads(await request.body())
                with self.lock:
                    record = self._create(table, body, self._session(request) or 0)
                return JSONResponse(self.store.serialize(table, record), status_code=201, headers=LIST_CACHE)
        except FilterError as error:
            return error.response
        return text("", 405, {"Allow": "GET, POST"})

    def _list(self, table: str, request: Request) -> dict[str, Any]:
        params = request.query_params
        errors: dict[str, list[str]] = {}
        for name in ("limit", "offset"):
            if name in params and not params[name].lstrip("-").isdigit():
                errors[name] = ["Enter a whole number."]
        if params.get("domainfilter", "false") not in ("true", "false"):
            errors["domainfilter"] = [f"Select a valid choice. {params['domainfilter']} is not one of the available choices."]
        if errors:
            raise FilterError(JSONResponse(errors, status_code=400, headers=LIST_CACHE))
        limit, offset = int(params.get("limit", 20)), int(params.get("offset", 0))
        lookups = [Lookup(self.store, table, key, value) for key, value in params.multi_items() if key not in LIST_CONTROLS]
        rows = [r for _, r in sorted(self.store.records.get(table, {}).items())]
        if params.get("domainfilter") == "true":
            collection = self._session(request)
            rows = [r for r in rows if r.get("collectionmemberid", collection) == collection]
        rows = [r for r in rows if all(lookup.matches(r) for lookup in lookups)]
        for key in reversed([k for k in params.get("orderby", "").split(",") if k]):
            name = key.lstrip("-")
            if name != "id" and self.model.field_type(table, name) is None and self.model.relationship(table, name) is None:
                raise FilterError(text(field_error(self.store, table, name), 400, LIST_CACHE))
            rows.sort(key=lambda r, n=name: (r.get(n) is not None, r.get(n) or 0), reverse=key.startswith("-"))
        page = rows[offset:] if limit == 0 else rows[offset:offset + limit]
        return {"objects": [self.store.serialize(table, r) for r in page],
                "meta": {"limit": limit, "offset": offset, "total_count": len(rows)}}

    def _create(self, table: str, body: dict[str, Any], collection: int) -> dict[str, Any]:
        now = dt.datetime.now().isoformat()
        record_id = self.store.next_id(table)
        keys = self.store.templates.get(table) or ["id", *(f["name"].lower() for f in self.model.tables[table]["fields"]),
                                                   *(r["name"].lower() for r in self.model.tables[table]["relationships"]),
                                                   "resource_uri"]
        dependents = {r["name"].lower(): r for r in self.model.dependents(table)}
        for key, value in body.items():
            if self.model.relationship(table, key) is not None and key not in dependents and isinstance(value, str) \
                    and URI.match(value) and self.store.by_uri(value) is None:
                missing = URI.match(value)
                name = self.model.classnames.get(missing.group(1), "") if missing else ""
                raise FilterError(text(f"No {name.capitalize()} matches the given query.", 404, LIST_CACHE))
        record: dict[str, Any] = {}
        for key in keys:
            relationship = self.model.relationship(table, key)
            if key in dependents:
                value: Any = []
            elif relationship is not None and relationship["type"] == "one-to-many":
                value = f"/api/specify/{relationship['relatedModelName'].lower()}/?{relationship['otherSideName'].lower()}={record_id}"
            else:
                value = body.get(key)
                if isinstance(value, dict) and "resource_uri" in value:  # an inlined to-one, sent back as it came
                    value = value["resource_uri"]
            record[key] = value
        record |= {"id": record_id, "version": 0, "resource_uri": uri(table, record_id),
                   "timestampcreated": now, "timestampmodified": now, "createdbyagent": self.user_agent}
        if "guid" in record:
            record["guid"] = str(uuid.uuid4()) if table in GUID_TABLES else body.get("guid")
        if "collectionmemberid" in record and record["collectionmemberid"] is None:
            record["collectionmemberid"] = collection
        if "modifiedbyagent" in record:
            record["modifiedbyagent"] = None
        self.store.put(table, record)
        self._create_dependents(table, record, body, dependents, collection)
        self._derive(table, record)
        return record

    def _derive(self, table: str, record: dict[str, Any]) -> None:
        """The values Specify's business rules and serializer add to what a write sent."""
        if table == "determination":
            record["preferredtaxon"] = record.get("taxon")
        elif table == "preparation":
            record |= {"actualCountAmt": record.get("countamt"), "isonloan": False, "isongift": False,
                       "isondisposal": False, "isonexchangeout": False, "isonexchangein": False}
        elif table == "collectionobject":
            model = self.model.relationship(table, "preparations"), self.model.relationship(table, "determinations")
            preparations = self.store.children(table, record["resource_uri"], model[0])
            total = sum(p.get("countamt") or 0 for p in preparations)
            current = [d for d in self.store.children(table, record["resource_uri"], model[1]) if d.get("iscurrent")]
            record |= {"actualTotalCountAmt": total, "totalCountAmt": total, "isMemberOfCOG": False,
                       "currentdetermination": current[0]["resource_uri"] if current else None}

    def _create_dependents(self, table: str, record: dict[str, Any], body: dict[str, Any],
                           dependents: dict[str, dict[str, Any]], collection: int) -> None:
        """A dependent list in the body replaces the stored one: items with a known id are updated in
        place, the others created, and children the list leaves out deleted."""
        for key, relationship in dependents.items():
            if not isinstance(body.get(key), list):
                continue
            child_table = relationship["relatedModelName"].lower()
            side = relationship["otherSideName"].lower()
            existing = {c["id"]: c for c in self.store.children(table, record["resource_uri"], relationship)}
            kept = {c.get("id") for c in body[key]} & set(existing)
            for child_id, child in existing.items():
                if child_id not in kept:
                    self.store.delete(child_table, child)
            for child in body[key]:
                if child.get("id") in kept:
                    self._update(child_table, existing[child["id"]], child, collection)
                else:
                    self._create(child_table, {**child, side: record["resource_uri"]}, collection)

    async def resource(self, request: Request) -> Response:
        if refusal := self._guard(request):
            return refusal
        try:
            table = self._table(request)
        except FilterError as error:
            return error.response
        record = self.store.get(table, int(request.path_params["id"]))
        if request.method in ("POST", "PATCH"):
            return text("", 405, {"Allow": "GET, PUT, DELETE"})
        name = self.model.classnames[table].capitalize()
        if record is None:
            return text(f"No {name} matches the given query.", 404, LIST_CACHE)
        if request.method == "GET":
            return JSONResponse(self.store.serialize(table, record), headers=LIST_CACHE)
        body = json.loads(await request.body() or b"null")
        given = (body or {}).get("version") if isinstance(body, dict) else None
        version = given if given is not None else request.query_params.get("version", request.headers.get("if-match"))
        with self.lock:
            if request.method == "DELETE":
                if version is not None and int(version) != record["version"]:
                    return text(f"{name} object {record['id']} is out of date", 409, LIST_CACHE)
                self.store.delete(table, record)
                return text("", 204, LIST_CACHE)
            if version is None:
                return text(f"{name} object cannot be updated without version info", 400, LIST_CACHE)
            if int(version) != record["version"]:
                return text(f"{name} object {record['id']} is out of date", 409, LIST_CACHE)
            try:
                self._update(table, record, body, self._session(request) or 0)
            except FilterError as error:
                return error.response
        return JSONResponse(self.store.serialize(table, record), headers=LIST_CACHE)

    def _update(self, table: str, record: dict[str, Any], body: dict[str, Any], collection: int) -> None:
        dependents = {r["name"].lower(): r for r in self.model.dependents(table)}
        for key, value in body.items():
            if key in record and key not in dependents and key not in ("id", "version", "resource_uri"):
                record[key] = value["resource_uri"] if isinstance(value, dict) and "resource_uri" in value else value
        record["version"] += 1
        for key in record:  # as recorded: an update fills a dated field's missing precision with 1 (full date)
            if key.endswith("precision") and record[key] is None and record.get(key[:-len("precision")]) is not None:
                record[key] = 1
        record["timestampmodified"] = dt.datetime.now().isoformat()
        if "modifiedbyagent" in record:
            record["modifiedbyagent"] = self.user_agent
        self._create_dependents(table, record, body, dependents, collection)
        self._derive(table, record)

    # -- test helpers ------------------------------------------------------------------------

    def add_collection_objects(self, count: int) -> list[dict[str, Any]]:
        """``count`` more collection objects, each a copy of CO 1 with its own catalogue number,
        guid and current determination (taxa cycling through the recorded species)."""
        made = []
        with self.lock:
            template = self.store.serialize("collectionobject", self.store.get("collectionobject", 1))
            start = max(self.store.records["collectionobject"]) + 1
            for number in range(start, start + count):
                body = copy.deepcopy(template)
                body["catalognumber"] = f"{number:09d}"
                body["determinations"] = [{"taxon": uri("taxon", (8, 11, 10)[number % 3]), "iscurrent": True,
                                           "determiner": uri("agent", 3), "collectionmemberid": 1}]
                body["preparations"] = [{"preptype": uri("preptype", 1), "countamt": number % 4 + 1,
                                         "collectionmemberid": 1}]
                body["collectionobjectattachments"] = []
                made.append(self._create("collectionobject", body, 1))
        return made


class _Recorder:
    """ASGI middleware: logs each request (method, path and query) and answers 503s while ``down``."""

    def __init__(self, app: Any, standin: SpecifyStandIn) -> None:
        self.app, self.standin = app, standin

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            query = scope.get("query_string", b"").decode()
            self.standin.requests.append(f"{scope['method']} {scope['path']}" + (f"?{query}" if query else ""))
            if self.standin.down:
                await Response("Service Unavailable", status_code=503)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def running(port: int) -> Iterator[SpecifyStandIn]:
    standin = SpecifyStandIn(port).start()
    try:
        yield standin
    finally:
        standin.stop()
