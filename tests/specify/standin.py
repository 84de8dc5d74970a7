"""A stand-in for Specify 7's HTTP API, built from the recordings of a real v7.11.3 server.

It knows the tables from the recorded `/context/datamodel.json` and starts with the records the
recordings show (every record, inlined or not, has one form there). It replays the recorded
behaviours: login by `PUT /context/login/` with a CSRF token and a session cookie, the collection
cookie, bare 403s when logged out, `{objects, meta: {limit, offset, total_count}}` lists with
Django-style filters, dependents inlined, `version` locking (409), and Specify's 404/400/405/500
bodies. `tests/specify/test_contract.py` replays the recordings against it and compares.
It runs as a real HTTP server (uvicorn in a thread), so the broker speaks HTTP to it as to Specify.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import secrets
import threading
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from subgraphs.core.processes import wait_until_ready

RECORDINGS = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "specify7" / "recordings"
SEEDED_BEFORE = "05_"  # recordings before the mutations show the seeded data set
GUID_TABLES = {"collectionobject", "agent", "determination", "preparation", "collectingevent", "locality",
               "attachment", "collection"}
URI = re.compile(r"^/api/specify/(\w+)/(\d+)/$")
INTEGER_TYPES = {"java.lang.Integer", "java.lang.Short", "java.lang.Byte", "java.lang.Long"}
LIST_CONTROLS = {"limit", "offset", "orderby", "domainfilter", "filterchronostrat"}
JSON_TYPE = "application/json"
HTML = "text/html; charset=utf-8"
LIST_CACHE = {"Cache-Control": "private, max-age=2"}


def recording(name: str) -> dict[str, Any]:
    return json.loads((RECORDINGS / f"{name}.json").read_text())


def recorded_index() -> list[dict[str, Any]]:
    return json.loads((RECORDINGS / "_index.json").read_text())


def uri(table: str, record_id: int) -> str:
    return f"/api/specify/{table}/{record_id}/"


def text(body: str, status: int, headers: dict[str, str] | None = None) -> Response:
    return Response(body, status_code=status, media_type=None, headers={"Content-Type": HTML, **(headers or {})})


class FilterError(Exception):
    """A 400 or 500 answer Specify gives to a bad list request."""

    def __init__(self, response: Response) -> None:
        self.response = response


class DataModel:
    """The recorded datamodel: tables by lower-case name, with their fields and relationships."""

    def __init__(self) -> None:
        tables = recording("02_context_datamodel")["response"]["body"]
        self.tables = {t["table"]: t for t in tables}
        self.classnames = {t["table"]: t["classname"].rsplit(".", 1)[-1] for t in tables}

    def field_type(self, table: str, name: str) -> str | None:
        if name == "id":
            return "java.lang.Integer"
        return next((f["type"] for f in self.tables[table]["fields"] if f["name"].lower() == name), None)

    def relationship(self, table: str, name: str) -> dict[str, Any] | None:
        return next((r for r in self.tables[table]["relationships"] if r["name"].lower() == name.lower()), None)

    def dependents(self, table: str) -> list[dict[str, Any]]:
        return [r for r in self.tables[table]["relationships"] if r.get("dependent") and r["type"] == "one-to-many"]


class Store:
    """Records by table and id, kept flat (related records as URIs); dependents inlined on the way out."""

    def __init__(self, model: DataModel) -> None:
        self.model = model
        self.records: dict[str, dict[int, dict[str, Any]]] = {}
        self.inlined: dict[str, set[str]] = {}  # table -> to-one fields shown as nested objects
        self.templates: dict[str, list[str]] = {}  # table -> key order of its records
        self.last_ids: dict[str, int] = {}
        for entry in recorded_index():
            if entry["file"] < SEEDED_BEFORE and entry["method"] == "GET" and entry["path"].startswith("/api/specify/"):
                self._seed(recording(entry["file"][:-5])["response"]["body"])

    def _seed(self, body: Any) -> None:
        if isinstance(body, list):
            for item in body:
                self._seed(item)
        if not isinstance(body, dict):
            return
        for value in body.values():
            self._seed(value)
        if "resource_uri" in body and (match := URI.match(body["resource_uri"])):
            self.put(match.group(1), self.flatten(match.group(1), body))

    def flatten(self, table: str, record: dict[str, Any]) -> dict[str, Any]:
        flat: dict[str, Any] = {}
        for key, value in record.items():
            if isinstance(value, dict) and "resource_uri" in value:
                self.inlined.setdefault(table, set()).add(key)
                value = value["resource_uri"]
            flat[key] = value
        self.templates.setdefault(table, list(record))
        return flat

    def put(self, table: str, record: dict[str, Any]) -> None:
        self.records.setdefault(table, {})[record["id"]] = record
        self.last_ids[table] = max(self.last_ids.get(table, 0), record["id"])

    def next_id(self, table: str) -> int:
        """Like MariaDB's auto-increment: ids of deleted rows are never given again."""
        return self.last_ids.get(table, 0) + 1

    def get(self, table: str, record_id: int) -> dict[str, Any] | None:
        return self.records.get(table, {}).get(record_id)

    def by_uri(self, value: str | None) -> tuple[str, dict[str, Any]] | None:
        match = URI.match(value or "")
        if match is None:
            return None
        record = self.get(match.group(1), int(match.group(2)))
        return None if record is None else (match.group(1), record)

    def children(self, table: str, parent_uri: str, relationship: dict[str, Any]) -> list[dict[str, Any]]:
        child_table = relationship["relatedModelName"].lower()
        side = (relationship.get("otherSideName") or "").lower()
        return [r for _, r in sorted(self.records.get(child_table, {}).items()) if r.get(side) == parent_uri]

    def serialize(self, table: str, record: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        dependents = {r["name"].lower(): r for r in self.model.dependents(table)}
        for key, value in record.items():
            if key in dependents:
                child = dependents[key]["relatedModelName"].lower()
                value = [self.serialize(child, r) for r in self.children(table, record["resource_uri"], dependents[key])]
            elif key in self.inlined.get(table, ()) and (found := self.by_uri(value)):
                value = self.serialize(*found)
            out[key] = value
        return out

    def delete(self, table: str, record: dict[str, Any]) -> None:
        for relationship in self.model.dependents(table):
            child_table = relationship["relatedModelName"].lower()
            for child in self.children(table, record["resource_uri"], relationship):
                self.delete(child_table, child)
        del self.records[table][record["id"]]


class Lookup:
    """One `field__span__lookup=value` query parameter, Django's way, over flat records."""

    OPERATORS = ("in", "range", "isnull", "startswith", "istartswith", "icontains", "contains", "iexact",
                 "exact", "gte", "gt", "lte", "lt")

    def __init__(self, store: Store, table: str, key: str, raw: str) -> None:
        self.store, self.table = store, table
        parts = key.split("__")
        self.operator = parts.pop() if len(parts) > 1 and parts[-1] in self.OPERATORS else "exact"
        self.path = parts
        self.final_table, self.final_type = self._resolve(table, parts)
        self.values = self._values(raw)

    def _resolve(self, table: str, parts: list[str]) -> tuple[str, str]:
        for index, name in enumerate(parts):
            relationship = self.store.model.relationship(table, name)
            if relationship is not None:
                table = relationship["relatedModelName"].lower()
                if index == len(parts) - 1:
                    return table, "relation"
                continue
            field_type = self.store.model.field_type(table, name)
            if field_type is None or index != len(parts) - 1:
                raise FilterError(text(field_error(self.store, table, name), 400, LIST_CACHE))
            return table, field_type
        raise FilterError(text(field_error(self.store, table, ""), 400, LIST_CACHE))

    def _values(self, raw: str) -> list[Any]:
        items = raw.split(",") if self.operator in ("in", "range") else [raw]
        if self.operator == "isnull":
            return [raw.lower() in ("true", "1")]
        return [self._convert(item) for item in items]

    def _convert(self, item: str) -> Any:
        kind = self.final_type
        if kind in INTEGER_TYPES or kind == "relation":
            try:
                return int(item)
            except ValueError:
                name = self.path[-1] if kind != "relation" else "id"
                raise FilterError(text(f"Field '{name}' expected a number but got '{item}'.", 400, LIST_CACHE)) from None
        if kind == "java.lang.Boolean":
            if item not in ("True", "False", "1", "0"):
                raise FilterError(replayed("06_error_boolean_filter_lowercase_true"))
            return item in ("True", "1")
        if kind in ("java.math.BigDecimal", "java.lang.Double", "java.lang.Float"):
            try:
                return Decimal(item)
            except InvalidOperation:
                raise FilterError(text(f"“{item}” value must be a decimal number.", 400, LIST_CACHE)) from None
        return item

    def _targets(self, record: dict[str, Any]) -> list[Any]:
        """The values the path reaches from ``record`` (several through to-many relationships)."""
        current: list[tuple[str, dict[str, Any]]] = [(self.table, record)]
        for index, name in enumerate(self.path):
            last = index == len(self.path) - 1
            relationship = None if name == "id" else self.store.model.relationship(current[0][0], name) if current else None
            if relationship is None:
                return [r.get(name) for _, r in current]
            reached: list[tuple[str, dict[str, Any]]] = []
            for table, item in current:
                if relationship["type"] in ("one-to-many", "many-to-many"):
                    children = self.store.children(table, item["resource_uri"], relationship)
                    reached += [(relationship["relatedModelName"].lower(), c) for c in children]
                elif found := self.store.by_uri(item.get(name.lower())):
                    reached.append(found)
                elif last:
                    return [None]
            if last:
                return [r["id"] for _, r in reached]
            current = reached
        return []

    def matches(self, record: dict[str, Any]) -> bool:
        return any(self._test(self._comparable(v)) for v in self._targets(record) or [None])

    def _comparable(self, value: Any) -> Any:
        if value is None:
            return None
        if self.final_type in ("java.math.BigDecimal", "java.lang.Double", "java.lang.Float"):
            return Decimal(str(value))
        return value

    def _test(self, value: Any) -> bool:
        op, values = self.operator, self.values
        if op == "isnull":
            return (value is None) == values[0]
        if value is None:
            return False
        if op == "in":
            return value in values
        if op == "range":
            return values[0] <= value <= values[1]
        if op in ("startswith", "istartswith", "icontains", "contains", "iexact"):
            have, want = str(value), str(values[0])
            if op.startswith("i"):
                have, want = have.lower(), want.lower()
            return have.startswith(want) if "startswith" in op else want in have if "contains" in op else have == want
        compare: dict[str, Callable[[Any, Any], bool]] = {
            "exact": lambda a, b: a == b, "gte": lambda a, b: a >= b, "gt": lambda a, b: a > b,
            "lte": lambda a, b: a <= b, "lt": lambda a, b: a < b}
        return compare[op](value, values[0])


def field_error(store: Store, table: str, name: str) -> str:
    """Django's FieldError text; its choices are the table's fields, relations and FK ``_id`` names."""
    model = store.model.tables[table]
    choices = {f["name"].lower() for f in model["fields"]} | {"id"}
    for relationship in model["relationships"]:
        choices.add(relationship["name"].lower())
        if relationship["type"] in ("many-to-one", "one-to-one") and not relationship.get("dependent"):
            choices.add(relationship["name"].lower() + "_id")
    return f"Cannot resolve keyword '{name}' into field. Choices are: {', '.join(sorted(choices))}"


def replayed(name: str) -> Response:
    """A recorded answer as it was sent (for bodies that do not depend on the request)."""
    response = recording(name)["response"]
    body = response["body"]
    content = json.dumps(body) if not isinstance(body, str) else body
    return Response(content, status_code=response["status"], headers={"Content-Type": response["headers"]["Content-Type"]})


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
