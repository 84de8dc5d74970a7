"""A lean executor for the documents clients send again and again.

graphql-core spends most of a page-sized request on per-field machinery (resolve info, path
objects, completion checks) — tens of thousands of calls for 100 samples. Documents that already
ran once through Strawberry without an error (so they are valid and within the depth, alias and
token limits) are executed here instead: fields are read with getattr or their resolver, one
level at a time for all objects of a list (so dataloaders still batch, and `loaded` fields load for
the whole list at once), and leaves are serialized by their GraphQL scalar. Rows are read lean:
only the columns the selection needs, where every resolver selected declares what it reads.
Anything this executor does not cover — directives, abstract types other than `_entities`, any
error or limit — makes it step aside, and Strawberry runs the request as usual. Reads only: a
query that steps aside is simply run again.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections import OrderedDict
from collections.abc import Awaitable
from dataclasses import dataclass
from functools import cache
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    ListTypeNode,
    NamedTypeNode,
    NonNullTypeNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableDefinitionNode,
    parse,
)
from graphql.execution.values import (
    VariableValueSource,
    get_argument_values,
    get_variable_signature,
    get_variable_values,
)
from strawberry.types.arguments import convert_arguments

from .fields import load_each_by_id
from .limits import Cost

log = logging.getLogger("dina.fastpath")


class StepAside(Exception):
    """This request is not for the fast path; run it through Strawberry."""


@dataclass(frozen=True)
class _Info:
    """What resolvers here may use of `info`: the request context, and for a connection field the
    columns its nodes need for the query (None: whole rows)."""

    context: Any
    columns: frozenset[str] | None = None


@cache
def _parameters(func: Any) -> tuple[str, ...]:
    return tuple(inspect.signature(func).parameters)


class FastPath:
    def __init__(self, schema: Any, max_cost: int, max_page: int, default_page: int, capacity: int = 256) -> None:
        self.strawberry = schema
        self.schema: GraphQLSchema = schema._schema
        self.max_cost, self.max_page, self.default_page = max_cost, max_page, default_page
        self.known: OrderedDict[str, DocumentNode] = OrderedDict()
        self.capacity = capacity
        self.served = 0  # requests answered here (for tests and metrics)

    def remember(self, query: str) -> None:
        """A query document that ran through Strawberry without errors: valid and within the static limits."""
        if query in self.known:
            return
        document = parse(query)
        if any(isinstance(d, OperationDefinitionNode) and d.operation != OperationType.QUERY
               for d in document.definitions):
            return
        self.known[query] = document
        while len(self.known) > self.capacity:
            self.known.popitem(last=False)

    async def execute(self, query: str, variables: dict[str, Any] | None, operation_name: str | None,
                      context: Any) -> dict[str, Any] | None:
        """The response data, or None when the request must go through Strawberry."""
        document = self.known.get(query)
        if document is None:
            return None
        try:
            operation = self._operation(document, operation_name)
            run = _Run(self, document, variables or {}, context)
            cost = Cost(self.schema, document, run.variables.coerced, self.max_page, self.default_page).of(
                operation.selection_set, self.schema.query_type)
            if cost > self.max_cost:
                return None
            data = (await run.objects([None], self.schema.query_type, operation.selection_set))[0]
            self.served += 1
            return data
        except StepAside:
            return None
        except Exception as error:  # noqa: BLE001 - any surprise: Strawberry runs it and reports properly
            log.debug("fast path declined %s: %r", operation_name or "a query", error, exc_info=True)
            return None

    @staticmethod
    def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode:
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        chosen = [o for o in operations if name is None or (o.name and o.name.value == name)]
        if len(chosen) != 1 or chosen[0].operation != OperationType.QUERY:
            raise StepAside
        return chosen[0]


class _Run:
    def __init__(self, fast: FastPath, document: DocumentNode, variables: dict[str, Any], context: Any) -> None:
        self.fast, self.context, self.info = fast, context, _Info(context)
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
        representations, others = [], []
        for definition in operation.variable_definitions or ():
            (representations if _is_representations(definition) else others).append(definition)
        coerced = get_variable_values(fast.schema, others, variables)
        if isinstance(coerced, list):  # bad variables: graphql-core reports them
            raise StepAside
        # `_Any` takes any value as it is: coercing a router's hundreds of representations item by
        # item (and walking them for nesting depth) cost a fifth of an `_entities` request.
        for definition in representations:
            name, value = definition.variable.name.value, variables.get(definition.variable.name.value)
            if not (isinstance(value, list) and all(isinstance(v, dict) and isinstance(v.get("__typename"), str)
                                                    for v in value)):
                raise StepAside
            coerced.sources[name] = VariableValueSource(get_variable_signature(fast.schema, definition), value)
            coerced.coerced[name] = value
        self.variables = coerced

    def fields(self, selection_set: SelectionSetNode, type_name: str) -> list[FieldNode]:
        found: list[FieldNode] = []
        for selection in selection_set.selections:
            if selection.directives:
                raise StepAside
            if isinstance(selection, FieldNode):
                found.append(selection)
            elif isinstance(selection, InlineFragmentNode):
                if selection.type_condition is None or selection.type_condition.name.value == type_name:
                    found += self.fields(selection.selection_set, type_name)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments[selection.name.value]
                if fragment.type_condition.name.value == type_name:
                    found += self.fields(fragment.selection_set, type_name)
        return found

    def columns(self, type_: GraphQLObjectType, selection_set: SelectionSetNode | None) -> frozenset[str] | None:
        """The columns objects of ``type_`` need for this selection: its plain fields' and what its
        resolvers declare they read (`needs`); None — whole rows — when a resolver declares nothing."""
        origin = type_.extensions["strawberry-definition"].origin
        renamed = getattr(origin, "__columns__", {})
        attributes = {"id"}
        for node in self.fields(selection_set, type_.name) if selection_set else ():
            if node.name.value == "__typename":
                continue
            definition = type_.fields[node.name.value].extensions.get("strawberry-definition")
            if definition is None:
                return None
            resolver = definition.base_resolver
            if resolver is None:
                attributes.add(definition.python_name)
            elif (needed := getattr(resolver.wrapped_func, "needs", None)) is not None:
                attributes.update(needed)
            else:
                return None
        return frozenset(renamed.get(name, name) for name in attributes)

    def page_columns(self, connection: GraphQLObjectType | None, selection_set: SelectionSetNode | None) -> frozenset[str] | None:
        """The columns a connection's nodes need: those of every `edges { node { … } }` selected."""
        if connection is None or selection_set is None:
            return None
        columns: set[str] = {"id"}
        edge = _object_type(connection.fields["edges"].type)
        for edges in self.fields(selection_set, connection.name):
            if edges.name.value != "edges" or edges.selection_set is None or edge is None:
                continue
            for node in self.fields(edges.selection_set, edge.name):
                if node.name.value == "node":
                    node_type = _object_type(edge.fields["node"].type)
                    needed = None if node_type is None else self.columns(node_type, node.selection_set)
                    if needed is None:
                        return None
                    columns |= needed
        return frozenset(columns)

    async def objects(self, sources: list[Any], type_: GraphQLObjectType, selection_set: SelectionSetNode) -> list[dict]:
        """The selection over every source object of one type, field by field for all at once."""
        results: list[dict[str, Any]] = [{} for _ in sources]
        for node in self.fields(selection_set, type_.name):
            key = node.alias.value if node.alias else node.name.value
            if node.name.value == "__typename":
                for result in results:
                    result[key] = type_.name
                continue
            field = type_.fields[node.name.value]
            values = await self.resolve(sources, field, node)
            completed = await self.complete(values, field.type, node)
            for result, value in zip(results, completed, strict=True):
                result[key] = value
        return results

    async def resolve(self, sources: list[Any], field: Any, node: FieldNode) -> list[Any]:
        definition = field.extensions.get("strawberry-definition")
        if definition is None:
            raise StepAside
        if node.name.value == "_entities":
            return [await self.entities(node)]  # one value (the list) for the one root source
        resolver = definition.base_resolver
        if resolver is None:
            name = definition.python_name
            return [getattr(source, name) for source in sources]
        func = resolver.wrapped_func
        batch = getattr(func, "batch", None)
        if batch is not None:  # a `loaded` field: one load for all the objects, of what is selected
            rows_type = _object_type(field.type)
            columns = None if rows_type is None else self.columns(rows_type, node.selection_set)
            return await batch(self.info, sources, columns)
        kwargs = {}
        if definition.arguments:
            raw = get_argument_values(field, node, self.variables)
            kwargs = convert_arguments(raw, definition.arguments, scalar_registry=self.fast.strawberry.schema_converter
                                       .scalar_registry, config=self.fast.strawberry.config)
        parameters = _parameters(func)
        if "info" in parameters:
            kwargs["info"] = self.info if not hasattr(func, "pages") else \
                _Info(self.context, self.page_columns(_object_type(field.type), node.selection_set))
        takes_source = bool(parameters) and parameters[0] in ("self", "root", "parent")
        values = [func(source, **kwargs) if takes_source else func(**kwargs) for source in sources]
        pending = [i for i, v in enumerate(values) if isinstance(v, Awaitable)]
        if pending:
            for index, value in zip(pending, await await_all([values[i] for i in pending]), strict=True):
                values[index] = value
        return values

    async def entities(self, node: FieldNode) -> list[Any]:
        """The objects for `_entities(representations:)`, in order: per type, one lean `load_all` on
        its loader when it is a plain by-id entity, else its `resolve_reference` for each."""
        representations = get_argument_values(self.fast.schema.query_type.fields["_entities"], node,
                                              self.variables)["representations"]
        by_type: dict[str, list[int]] = {}
        for index, representation in enumerate(representations):
            by_type.setdefault(representation["__typename"], []).append(index)
        values: list[Any] = [None] * len(representations)
        # Each awaitable gives the objects for its list of positions.
        pending: list[tuple[list[int], Awaitable[list[Any]]]] = []
        for name, indexes in by_type.items():
            type_ = self.fast.schema.get_type(name)
            origin = type_.extensions["strawberry-definition"].origin
            loader = getattr(getattr(origin.resolve_reference, "__func__", None), "loader", None)
            if loader is not None and all(representations[i].keys() == {"__typename", "id"} for i in indexes):
                ids = [representations[i]["id"] for i in indexes]
                columns = self.columns(type_, node.selection_set)
                pending.append((indexes, load_each_by_id(self.info, loader, origin, ids, columns)))  # type: ignore[arg-type]
                continue
            takes_info = "info" in _parameters(origin.resolve_reference)
            for index in indexes:
                kwargs = {k: v for k, v in representations[index].items() if k != "__typename"}
                value = origin.resolve_reference(**kwargs, **({"info": self.info} if takes_info else {}))
                if isinstance(value, Awaitable):
                    pending.append(([index], _one(value)))
                else:
                    values[index] = value
        for (indexes, _), objects in zip(pending, await await_all([a for _, a in pending]), strict=True):
            for index, value in zip(indexes, objects, strict=True):
                values[index] = value
        return values

    async def complete(self, values: list[Any], type_: Any, node: FieldNode) -> list[Any]:
        nullable = not isinstance(type_, GraphQLNonNull)
        inner = type_ if nullable else type_.of_type
        if not nullable and any(v is None for v in values):
            raise StepAside  # a null in a non-null position: graphql-core reports it properly
        if isinstance(inner, GraphQLList):
            lengths = [None if v is None else len(v) for v in values]
            flat = [item for v in values if v is not None for item in v]
            done = iter(await self.complete(flat, inner.of_type, node))
            return [None if n is None else [next(done) for _ in range(n)] for n in lengths]
        if isinstance(inner, GraphQLScalarType | GraphQLEnumType):
            return [None if v is None else inner.serialize(v) for v in values]
        if isinstance(inner, GraphQLObjectType):
            present = [v for v in values if v is not None]
            done = iter(await self.objects(present, inner, node.selection_set))
            return [None if v is None else next(done) for v in values]
        if isinstance(inner, GraphQLUnionType):  # `_entities`: objects complete per concrete type, together
            out: list[Any] = [None] * len(values)
            by_type: dict[str, list[int]] = {}
            for index, value in enumerate(values):
                if value is not None:
                    by_type.setdefault(value.__strawberry_definition__.name, []).append(index)
            for name, indexes in by_type.items():
                completed = await self.objects([values[i] for i in indexes], self.fast.schema.get_type(name),
                                               node.selection_set)
                for index, value in zip(indexes, completed, strict=True):
                    out[index] = value
            return out
        raise StepAside


def _object_type(type_: Any) -> GraphQLObjectType | None:
    """The object type of a field's values, through lists and non-nulls."""
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        type_ = type_.of_type
    return type_ if isinstance(type_, GraphQLObjectType) else None


def _is_representations(definition: VariableDefinitionNode) -> bool:
    """A variable of type ``[_Any!]!``: how routers send `_entities` representations."""
    type_ = definition.type
    return (isinstance(type_, NonNullTypeNode) and isinstance(type_.type, ListTypeNode)
            and isinstance(type_.type.type, NonNullTypeNode) and isinstance(type_.type.type.type, NamedTypeNode)
            and type_.type.type.type.name.value == "_Any")


async def _one(value: Awaitable[Any]) -> list[Any]:
    return [await value]


async def await_all(awaitables: list[Awaitable[Any]]) -> list[Any]:
    """Like ``asyncio.gather``, without a Task per resolver: each coroutine is stepped until it waits
    on a future (a dataloader's, typically), all those futures are awaited at once, and the steps
    repeat. With a hundred objects per field, Task creation was the largest cost of a page."""
    if not all(inspect.iscoroutine(a) for a in awaitables):
        return list(await asyncio.gather(*awaitables))
    results: list[Any] = [None] * len(awaitables)
    running = list(enumerate(awaitables))
    try:
        while running:
            waiting, futures = [], set()
            for index, coroutine in running:
                try:
                    yielded = coroutine.send(None)  # type: ignore[attr-defined]
                except StopIteration as done:
                    results[index] = done.value
                    continue
                if yielded is not None:  # a future, as Future.__await__ yields it; None: a bare yield
                    yielded._asyncio_future_blocking = False
                    futures.add(yielded)
                waiting.append((index, coroutine))
            if futures:
                await asyncio.wait(futures)
            elif waiting:
                await asyncio.sleep(0)
            running = waiting
    except BaseException:
        for _, coroutine in running:
            coroutine.close()  # type: ignore[attr-defined]
        raise
    return results
