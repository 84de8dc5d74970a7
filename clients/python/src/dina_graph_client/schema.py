"""The API's schema as the client knows it: from introspection, from an SDL file, or not at all.

A production server may turn introspection off; then documents and filters go unchecked to the
server, whose own validation errors still arrive as `QueryError`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import graphql
from graphql import (
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLObjectType,
    GraphQLSchema,
    get_named_type,
    get_nullable_type,
)

from .columns import Column, Kind
from .errors import QueryError

KINDS: dict[str, Kind] = {"Float": "float", "Int": "int", "Boolean": "bool"}
WRAPPERS = 4  # ofType levels read: [X!]! needs 3; the standard query's 9 exceed servers' depth limits


def introspection_query() -> str:
    """The standard introspection query with a type reference only as deep as the API's types go."""
    query = graphql.get_introspection_query(descriptions=False)
    fragment = query.index("fragment TypeRef")
    type_ref = "kind name " + "ofType { kind name " * WRAPPERS + "}" * WRAPPERS
    return query[:fragment] + "fragment TypeRef on __Type { " + type_ref + " }"


def from_introspection(result: dict[str, Any]) -> GraphQLSchema:
    return _iso_scalars(graphql.build_client_schema(result))  # type: ignore[arg-type]


def from_sdl(sdl: str) -> GraphQLSchema:
    return _iso_scalars(graphql.build_schema(sdl, assume_valid_sdl=True))


def _iso_text(name: str, parse: Any) -> Any:
    def coerce(value: Any) -> str:
        try:
            parse(value)
        except (TypeError, ValueError):
            raise graphql.GraphQLError(f"a {name} is ISO 8601 text, not {value!r}") from None
        return str(value)

    return coerce


ISO_SCALARS = {"Date": dt.date.fromisoformat, "DateTime": dt.datetime.fromisoformat}


def _iso_scalars(schema: GraphQLSchema) -> GraphQLSchema:
    """Dates checked as the server checks them: a schema read from the server knows only their names."""
    for name, parse in ISO_SCALARS.items():
        scalar = schema.type_map.get(name)
        if isinstance(scalar, graphql.GraphQLScalarType):  # graphql-core 3.3 coerces, 3.2 parses
            setattr(scalar, "coerce_input_value" if hasattr(scalar, "coerce_input_value") else "parse_value",
                    _iso_text(name, parse))
    return schema


def validate(schema: GraphQLSchema, document: str) -> None:
    """Raise `QueryError` for a document the server would refuse, before it is sent."""
    try:
        ast = graphql.parse(document)
    except graphql.GraphQLError as error:
        raise QueryError(error.message, "GRAPHQL_PARSE_FAILED") from None
    if errors := graphql.validate(schema, ast):
        raise QueryError("; ".join(e.message for e in errors), "GRAPHQL_VALIDATION_FAILED")


def connection_field(schema: GraphQLSchema, name: str) -> GraphQLField:
    query = schema.query_type
    field = query.fields.get(name) if query else None
    node = field and _node_type(field)
    if field is None or node is None:
        connections = sorted(n for n, f in (query.fields.items() if query else ()) if _node_type(f))
        raise QueryError(f"no connection {name!r}; the API has {', '.join(connections)}", "GRAPHQL_VALIDATION_FAILED",
                         name)
    result: GraphQLField = field
    return result


def _node_type(field: GraphQLField) -> GraphQLObjectType | None:
    connection = get_named_type(field.type)
    edges = connection.fields.get("edges") if isinstance(connection, GraphQLObjectType) else None
    edge = get_named_type(edges.type) if edges else None
    node = edge.fields.get("node") if isinstance(edge, GraphQLObjectType) else None
    named = get_named_type(node.type) if node else None
    return named if isinstance(named, GraphQLObjectType) else None


def node_type(schema: GraphQLSchema, connection: str) -> GraphQLObjectType:
    node = _node_type(connection_field(schema, connection))
    assert node is not None
    return node


def filter_type(schema: GraphQLSchema, connection: str) -> GraphQLInputObjectType | None:
    argument = connection_field(schema, connection).args.get("filter")
    named = get_named_type(argument.type) if argument else None
    return named if isinstance(named, GraphQLInputObjectType) else None


def path_kind(schema: GraphQLSchema, connection: str, path: str) -> Kind:
    """The column type of a dotted path from the node, or a `QueryError` naming the part that does not exist."""
    current: Any = node_type(schema, connection)
    listed = False  # values across a list are joined into text
    for key in path.split("."):
        field = current.fields.get(key) if isinstance(current, GraphQLObjectType) else None
        if field is None:
            raise QueryError(f"{current} has no field {key!r}", "GRAPHQL_VALIDATION_FAILED", path)
        listed = listed or isinstance(get_nullable_type(field.type), GraphQLList)
        current = get_named_type(field.type)
    if isinstance(current, GraphQLObjectType):
        raise QueryError(f"{path} is an object ({current}): name one of its fields", "GRAPHQL_VALIDATION_FAILED", path)
    return "string" if listed else KINDS.get(current.name, "string")


def default_columns(schema: GraphQLSchema, connection: str) -> list[Column]:
    """Every leaf field of the node that needs no argument, for connections without a Darwin Core mapping."""
    node = node_type(schema, connection)
    columns = []
    for name, field in node.fields.items():
        leaf = not isinstance(get_named_type(field.type), GraphQLObjectType)
        if leaf and not any(graphql.is_required_argument(a) for a in field.args.values()):
            columns.append(Column(name, (name,), path_kind(schema, connection, name)))
    return columns
