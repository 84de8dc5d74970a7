"""The stand-in's data: the recorded datamodel, records kept flat and serialized as Specify does,
and Django's lookups over them (`field__span__lookup=value`)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from starlette.responses import Response

from .recordings import LIST_CACHE, SEEDED_BEFORE, URI, recorded_index, recording, replayed, text

INTEGER_TYPES = {"java.lang.Integer", "java.lang.Short", "java.lang.Byte", "java.lang.Long"}


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
