"""The rules read off a module's SDL: federation, entities, connections, filters, ordering, mutations, names."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    get_named_type,
    is_leaf_type,
)

from subgraphs.core.schema.factory import FEDERATION_VERSION

from .findings import Finding, Places, Rule, judge
from .module import Module, reserved

RECORD_FIELDS = {"group": "String!", "version": "Int!", "history": "[AuditEntry!]!"}
OPERATORS = {"eq", "in", "isNull", "contains", "startsWith", "gt", "gte", "lt", "lte", "descendantOf"}  # descendantOf: trees (taxa)
PAGE_ARGUMENTS = {"first": "Int", "after": "String", "last": "Int", "before": "String"}
PAGE_INFO = {"hasNextPage": "Boolean!", "hasPreviousPage": "Boolean!", "startCursor": "String", "endCursor": "String"}
ERROR_FIELDS = {"message": "String!", "field": "String"}
SHARED_CODES = ("BAD_USER_INPUT", "INVALID_ID", "NOT_FOUND", "STALE_VERSION", "FORBIDDEN", "UNAUTHENTICATED")
COMBINATORS = ("and", "or", "not")
# Names a module might reach for where a Darwin Core / Audubon Core / MIxS term exists.
TERMS = {
    "latitude": "decimalLatitude", "lat": "decimalLatitude", "longitude": "decimalLongitude",
    "lon": "decimalLongitude", "lng": "decimalLongitude", "latLon": "decimalLatitude/decimalLongitude",
    "collectedBy": "recordedBy", "collectionDate": "eventDate",
    "dateCollected": "eventDate", "collectingDate": "eventDate", "catalogNo": "catalogNumber",
    "catalogueNumber": "catalogNumber", "sciName": "scientificName", "taxonName": "scientificName",
    "altitude": "minimumElevationInMeters", "elevation": "minimumElevationInMeters",
    "depth": "minimumDepthInMeters", "photographer": "creator",
}
DATE_NAME = re.compile(r"(^date|Date$|On$|At$|Timestamp$)")
DATE_TYPES = {"Date", "DateTime", "String", "DateFilter", "DateTimeFilter", "StringFilter"}
TYPE_NAME = re.compile(r"[A-Z][A-Za-z0-9]*")
FIELD_NAME = re.compile(r"[a-z][A-Za-z0-9]*")
ENUM_VALUE = re.compile(r"[A-Z][A-Z0-9_]*")


def missing(fields: Mapping[str, GraphQLField | GraphQLInputField], wanted: dict[str, str]) -> list[str]:
    """``wanted`` fields (name: printed type) that ``fields`` lacks or types otherwise."""
    return [f"{name}: {type_}" for name, type_ in wanted.items()
            if name not in fields or str(fields[name].type) != type_]


def _federation(module: Module) -> Places:
    version = module.federation_version()
    if version is None:
        yield "schema", "no @link to specs.apollo.dev/federation/v2.x (Federation 1, or not a subgraph)"
    else:
        newest = tuple(int(part) for part in FEDERATION_VERSION.split("."))
        yield "schema @link", None if (2, 0) <= version <= newest else (
            f"federation v{version[0]}.{version[1]}; the composition takes v2.0 to v{FEDERATION_VERSION}")


def _entity_keys(module: Module) -> Places:
    for entity in module.entities():
        id_field = entity.type.fields.get("id")
        if entity.keys != ("id",):
            yield entity.type.name, f"keyed by {', '.join(repr(k) for k in entity.keys)}, not \"id\""
        elif id_field is None or str(id_field.type) != "ID!":
            yield entity.type.name, "its key `id` is not ID!"
        else:
            yield entity.type.name, None


def _entity_records(module: Module) -> Places:
    for entity in module.entities():
        if entity.originated:
            gaps = missing(entity.type.fields, RECORD_FIELDS)
            yield entity.type.name, f"no {', '.join(gaps)}" if gaps else None


def _connections(module: Module) -> Iterator[tuple[str, GraphQLField, GraphQLObjectType]]:
    """Every field returning a connection (a type with ``edges`` and ``pageInfo``)."""
    for type_ in module.objects():
        for name, field_ in type_.fields.items():
            target = get_named_type(field_.type)
            if isinstance(target, GraphQLObjectType) and {"edges", "pageInfo"} <= set(target.fields):
                yield f"{type_.name}.{name}", field_, target


def _connection_shape(connection: GraphQLObjectType) -> list[str]:
    gaps = missing(connection.fields, {"pageInfo": "PageInfo!", "totalCount": "Int!"})
    edges = connection.fields["edges"].type
    edge = get_named_type(edges)
    if not (isinstance(edges, GraphQLNonNull) and isinstance(edges.of_type, GraphQLList)
            and isinstance(edges.of_type.of_type, GraphQLNonNull) and isinstance(edge, GraphQLObjectType)):
        return [*gaps, f"edges: {edges} is not [Edge!]!"]
    gaps += missing(edge.fields, {"cursor": "String!"})
    if "node" not in edge.fields or not isinstance(edge.fields["node"].type, GraphQLNonNull):
        gaps.append(f"{edge.name}.node is not non-null")
    page_info = connection.fields.get("pageInfo")
    if page_info and isinstance(info := get_named_type(page_info.type), GraphQLObjectType):
        gaps += [f"PageInfo.{gap}" for gap in missing(info.fields, PAGE_INFO)]
    return gaps


def _relay(module: Module) -> Places:
    for place, field_, connection in _connections(module):
        gaps = _connection_shape(connection)
        gaps += [f"argument {name}: {type_}" for name, type_ in PAGE_ARGUMENTS.items()
                 if name not in field_.args or str(field_.args[name].type) != type_]
        yield place, f"{connection.name} lacks {'; '.join(gaps)}" if gaps else None


def _paged_lists(module: Module) -> Places:
    for name, field_ in module.root_fields(module.schema.query_type):
        listed = _unwrap_non_null(field_.type)
        if isinstance(listed, GraphQLList) and isinstance(get_named_type(listed), GraphQLObjectType):
            yield f"Query.{name}", f"returns a plain list {field_.type}; return a connection"
        elif isinstance(get_named_type(field_.type), GraphQLObjectType):
            yield f"Query.{name}", None


def _unwrap_non_null(type_: GraphQLOutputType) -> GraphQLOutputType:
    return type_.of_type if isinstance(type_, GraphQLNonNull) else type_


def _arguments_named(module: Module, argument: str) -> Iterator[tuple[str, GraphQLNamedType, object]]:
    for type_ in module.objects():
        for name, field_ in type_.fields.items():
            if argument in field_.args:
                arg_type = field_.args[argument].type
                yield f"{type_.name}.{name}({argument}:)", get_named_type(arg_type), arg_type


def _operator_input(type_: GraphQLNamedType) -> bool:
    """A shared operator input: the operators (`eq`, `in`, `gt`, …) over leaf values."""
    return (isinstance(type_, GraphQLInputObjectType) and bool(type_.fields) and set(type_.fields) <= OPERATORS
            and all(is_leaf_type(get_named_type(f.type)) for f in type_.fields.values()))


def _filter_gaps(filter_type: GraphQLNamedType) -> list[str]:
    if not isinstance(filter_type, GraphQLInputObjectType):
        return [f"{filter_type.name} is not an input object"]
    fields = filter_type.fields
    gaps = [f"no {name}: {want}" for name, want in
            {"and": f"[{filter_type.name}!]", "or": f"[{filter_type.name}!]", "not": filter_type.name}.items()
            if name not in fields or str(fields[name].type) != want]
    for name, field_ in fields.items():
        target = get_named_type(field_.type)
        if name in COMBINATORS or is_leaf_type(target) or _operator_input(target):
            continue  # a leaf is one plain condition: a full-text `search`, a flag
        if not (isinstance(target, GraphQLInputObjectType) and set(COMBINATORS) <= set(target.fields)):
            gaps.append(f"{name}: {field_.type} is not an operator input (StringFilter, IDFilter, DateFilter, …)")
    return gaps


def _filters(module: Module) -> Places:
    for place, filter_type, _ in _arguments_named(module, "filter"):
        gaps = _filter_gaps(filter_type)
        yield place, "; ".join(gaps) if gaps else None


def _order_by(module: Module) -> Places:
    for place, order, arg_type in _arguments_named(module, "orderBy"):
        listed = arg_type.of_type if isinstance(arg_type, GraphQLNonNull) else arg_type
        gaps = [] if isinstance(listed, GraphQLList) else [f"{arg_type} is not a list of sort keys"]
        if not isinstance(order, GraphQLInputObjectType):
            gaps.append(f"{order.name} is not an input object")
        else:
            key = order.fields.get("field")
            if key is None or not isinstance(get_named_type(key.type), GraphQLEnumType):
                gaps.append(f"{order.name}.field is not an enum of sort fields")
            direction = order.fields.get("direction")
            values = set(getattr(get_named_type(direction.type), "values", {})) if direction else set()
            if not {"ASC", "DESC"} <= values:
                gaps.append(f"{order.name}.direction is not a SortDirection (ASC, DESC)")
        yield place, "; ".join(gaps) if gaps else None


def _mutations(module: Module) -> Iterator[tuple[str, GraphQLField]]:
    for name, field_ in module.root_fields(module.schema.mutation_type):
        yield f"Mutation.{name}", field_


def _mutation_inputs(module: Module) -> Places:
    for place, field_ in _mutations(module):
        arg = field_.args.get("input")
        if set(field_.args) != {"input"} or arg is None:
            yield place, f"takes ({', '.join(field_.args) or 'nothing'}), not one `input`"
        elif not (isinstance(arg.type, GraphQLNonNull) and isinstance(arg.type.of_type, GraphQLInputObjectType)):
            yield place, f"input: {arg.type} is not a non-null input object"
        else:
            yield place, None


def _error_type(field_: GraphQLField) -> GraphQLObjectType | str:
    """The payload's error type, or why there is none."""
    payload = field_.type
    if not (isinstance(payload, GraphQLNonNull) and isinstance(payload.of_type, GraphQLObjectType)):
        return f"returns {payload}, not a non-null payload object"
    errors = payload.of_type.fields.get("errors")
    error = get_named_type(errors.type) if errors else None
    if errors is None or not isinstance(error, GraphQLObjectType) or str(errors.type) != f"[{error.name}!]!":
        return f"{payload.of_type.name} has no `errors: [UserError!]!`"
    return error


def _payloads(module: Module) -> Places:
    for place, field_ in _mutations(module):
        error = _error_type(field_)
        if isinstance(error, str):
            yield place, error
            continue
        gaps = missing(error.fields, ERROR_FIELDS)
        code = error.fields.get("code")
        if code is None or not (isinstance(code.type, GraphQLNonNull) and isinstance(code.type.of_type, GraphQLEnumType)):
            gaps.append("code: an enum of codes, non-null")
        yield place, f"{error.name} lacks {', '.join(gaps)}" if gaps else None


def _error_codes(module: Module) -> Places:
    enums = {}
    for _, field_ in _mutations(module):
        error = _error_type(field_)
        if not isinstance(error, str) and "code" in error.fields:
            code = get_named_type(error.fields["code"].type)
            if isinstance(code, GraphQLEnumType):
                enums[code.name] = code
    for name, enum in enums.items():
        lacking = [code for code in SHARED_CODES if code not in enum.values]
        yield name, f"lacks {', '.join(lacking)}" if lacking else None


def _named_fields(module: Module) -> Iterator[tuple[str, str, object]]:
    """(place, name, type) of every field, input field and argument the module defines."""
    for type_ in [*module.objects(), *module.inputs()]:
        for name, field_ in type_.fields.items():
            if reserved(name):
                continue
            yield f"{type_.name}.{name}", name, field_.type
            for arg_name, arg in getattr(field_, "args", {}).items():
                yield f"{type_.name}.{name}({arg_name}:)", arg_name, arg.type


def _naming(module: Module) -> Places:
    for type_ in module.schema.type_map.values():
        if reserved(type_.name) or type_.name in ("String", "Int", "Float", "Boolean", "ID"):
            continue
        yield type_.name, None if TYPE_NAME.fullmatch(type_.name) else "a type name is PascalCase"
        if isinstance(type_, GraphQLEnumType):
            for value in type_.values:
                yield f"{type_.name}.{value}", None if ENUM_VALUE.fullmatch(value) else "an enum value is UPPER_SNAKE"
    for place, name, _ in _named_fields(module):
        yield place, None if FIELD_NAME.fullmatch(name) else "a field or argument name is camelCase"


def _terms(module: Module) -> Places:
    for place, name, _ in _named_fields(module):
        yield place, f"name it {TERMS[name]} (the standard term)" if name in TERMS else None


def _dates(module: Module) -> Places:
    for place, name, type_ in _named_fields(module):
        target = get_named_type(type_)
        if DATE_NAME.search(name) and (is_leaf_type(target) or isinstance(target, GraphQLInputObjectType)):
            yield place, None if target.name in DATE_TYPES else f"{target.name}: use Date, DateTime or an ISO 8601 String"


SCHEMA_RULES: list[tuple[Rule, Callable[[Module], Places]]] = [
    (Rule("FED-VERSION", f"The SDL links Apollo Federation v2.0 to v{FEDERATION_VERSION} (what the composition takes)"),
     _federation),
    (Rule("ENTITY-KEY", "Every entity is keyed by `id: ID!` alone (@key(fields: \"id\"), a UUID)"), _entity_keys),
    (Rule("ENTITY-RECORD", "Every entity a module originates has `group`, `version` and `history` (its audit log)"),
     _entity_records),
    (Rule("RELAY-CONNECTION", "Connections have edges { node cursor }, pageInfo, totalCount and take first/after/last/before"),
     _relay),
    (Rule("LIST-PAGED", "Lists of objects on Query are connections, never plain lists"), _paged_lists),
    (Rule("FILTER-OPERATORS", "`filter:` inputs combine shared operator inputs with and/or/not"), _filters),
    (Rule("ORDER-BY", "`orderBy:` is a list of { field: <enum>, direction: SortDirection }"), _order_by),
    (Rule("MUTATION-INPUT", "A mutation takes one argument, `input`, a non-null input object"), _mutation_inputs),
    (Rule("MUTATION-PAYLOAD", "A mutation returns a payload with `errors: [UserError!]!` { field code message }"),
     _payloads),
    (Rule("ERROR-CODES", f"Error-code enums include the shared codes ({', '.join(SHARED_CODES)})"), _error_codes),
    (Rule("NAMING", "Types PascalCase, fields and arguments camelCase, enum values UPPER_SNAKE"), _naming),
    (Rule("STANDARD-TERMS", "Darwin Core / Audubon Core / MIxS term names where a term exists"), _terms),
    (Rule("DATES-ISO8601", "Dates and times are ISO 8601: Date, DateTime, or a String for partial dates"), _dates),
]


def check_schema(module: Module) -> list[Finding]:
    return [judge(rule, places(module)) for rule, places in SCHEMA_RULES]
