"""Keyword filters → the API's `filter:` input, checked against the schema before anything is sent.

``scientific_name__contains="Triturus"`` is ``{scientificName: {contains: "Triturus"}}``; without an
operator a value is ``eq`` (a list: ``in``); a year or month on a date is the range of its days; a field that is no operator object (``search``) takes the
value itself. Darwin Core names the API spells differently (``country`` on samples) are translated.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from collections.abc import Mapping
from typing import Any

import graphql
from graphql import GraphQLInputObjectType, GraphQLInputType, GraphQLSchema, get_named_type

from . import schema as schemas
from .columns import FILTER_ALIASES
from .errors import FilterError

PARTIAL_DATE = re.compile(r"\d{4}(-(0[1-9]|1[0-2]))?")
OPERATORS = {"eq", "in", "contains", "starts_with", "gt", "gte", "lt", "lte", "is_null"}


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def keyword_filter(connection: str, keywords: Mapping[str, Any], schema: GraphQLSchema | None) -> dict[str, Any]:
    """The filter input for ``keywords``; a `FilterError` names the keyword that does not fit."""
    input_type = schemas.filter_type(schema, connection) if schema else None
    if schema and input_type is None and keywords:
        raise FilterError(f"{connection} takes no filter", "BAD_USER_INPUT", next(iter(keywords)))
    aliases = FILTER_ALIASES.get(connection, {})
    result: dict[str, Any] = {}
    for keyword, value in keywords.items():
        name, _, operator = keyword.partition("__")
        if operator and operator not in OPERATORS:
            raise FilterError(f"unknown operator {operator!r}; use one of {', '.join(sorted(OPERATORS))}",
                              "BAD_USER_INPUT", keyword)
        field = aliases.get(camel(name), camel(name))
        if input_type is not None and field not in input_type.fields:
            raise FilterError(f"{input_type} has no field {field!r}; it has {', '.join(input_type.fields)}",
                              "BAD_USER_INPUT", keyword)
        takes_operators = input_type is None or isinstance(get_named_type(input_type.fields[field].type),
                                                           GraphQLInputObjectType)
        if takes_operators:
            op = camel(operator) if operator else ("in" if isinstance(value, list | tuple | set) else "eq")
            conditions = result.setdefault(field, {})
            if (bounds := partial_date(value)) and _is_date(input_type, field):
                conditions.update({"gte": bounds[0], "lte": bounds[1]} if op == "eq" else
                                  {op: bounds[0] if op in ("gte", "lt") else bounds[1]})
            else:
                conditions[op] = plain(value)
        elif operator:
            raise FilterError(f"{field} takes a value, not operators", "BAD_USER_INPUT", keyword)
        else:
            result[field] = plain(value)
    return result


def partial_date(value: Any) -> tuple[str, str] | None:
    """The first and last day of an ISO 8601 year ("2010") or month ("2010-06"), else None."""
    if not isinstance(value, str) or not PARTIAL_DATE.fullmatch(value):
        return None
    year, _, month = value.partition("-")
    first, last = (int(month), int(month)) if month else (1, 12)
    end = calendar.monthrange(int(year), last)[1]
    return f"{year}-{first:02d}-01", f"{year}-{last:02d}-{end:02d}"


def _is_date(input_type: GraphQLInputObjectType | None, field: str) -> bool:
    if input_type is None:
        return field.lower().endswith("date")
    operators = get_named_type(input_type.fields[field].type)
    return isinstance(operators, GraphQLInputObjectType) and "gte" in operators.fields and \
        get_named_type(operators.fields["gte"].type).name == "Date"


def bbox_filter(bbox: tuple[float, float, float, float]) -> dict[str, Any]:
    """A bounding box (west, south, east, north) in decimal degrees, on decimalLatitude/decimalLongitude."""
    west, south, east, north = (float(v) for v in bbox)
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise FilterError("a bounding box is (west, south, east, north) with west ≤ east and south ≤ north",
                          "BAD_USER_INPUT", "bbox")
    return {"decimalLatitude": {"gte": south, "lte": north}, "decimalLongitude": {"gte": west, "lte": east}}


def combine(*filters: Mapping[str, Any] | None) -> dict[str, Any] | None:
    present = [dict(f) for f in filters if f]
    return None if not present else present[0] if len(present) == 1 else {"and": present}


def plain(value: Any) -> Any:
    """Dates as ISO 8601 text, sets and tuples as lists: values JSON and GraphQL literals can hold."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return [plain(v) for v in value]
    return value


def literal(value: Any, input_type: GraphQLInputType | None, field: str) -> str:
    """``value`` as a GraphQL literal; with the schema's type it is checked (a `FilterError` otherwise)."""
    if input_type is None:
        return _untyped(value)
    errors: list[tuple[str, str]] = []  # (where, message)

    def collect(error: graphql.GraphQLError, path: Any) -> None:
        errors.append((".".join([field, *(str(p) for p in path or ())]), error.message))

    coerce: Any = graphql.coerce_input_value
    if validate := getattr(graphql, "validate_input_value", None):  # graphql-core 3.3
        validate(value, input_type, collect)
        coerced = coerce(value, input_type)
    else:  # 3.2 reports while it coerces
        coerced = coerce(value, input_type, lambda path, _, error: collect(error, path))
    if errors:
        raise FilterError("; ".join(message for _, message in errors), "BAD_USER_INPUT", errors[0][0])
    node = graphql.ast_from_value(coerced, input_type)
    return graphql.print_ast(node) if node else "null"


def _untyped(value: Any) -> str:
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {_untyped(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_untyped(v) for v in value) + "]"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    return json.dumps(str(value))
