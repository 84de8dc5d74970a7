"""The one executor: graphql-core's semantics, run level by level for whole lists of objects.

graphql-core completes a page object by object: each sample's `collectors`, then its `attachments`,
with a coroutine, a path and a resolve info per field per object. This executor, passed to Strawberry
as ``execution_context_class``, keeps graphql-core's field collection (`collect_fields` and
`collect_subfields`: merging, fragments, `@skip`/`@include`, the chosen operation) and its value
completion rules, but runs each collected field once for all the objects of a list: every resolver is
called as Strawberry wraps it (arguments, permission classes, field extensions), their awaitables are
awaited together (so dataloaders batch), and the results are completed as one list. A field without
resolver and without extensions is read as Strawberry's own resolver reads it: the attribute, no info.
Before a field that declares what it reads runs (`core.lean`), the columns its objects need are
recorded, so its resolver may read lean rows.

Errors follow the spec as graphql-core does: a field error nulls the field and is reported at its path;
a null in a non-null position travels up to the nearest nullable one. `tests/test_executor.py` and the
differential fixture in `tests/conftest.py` hold every document the test suite sends to the answer of
plain graphql-core.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

from graphql import (
    ExecutionResult,
    GraphQLAbstractType,
    GraphQLError,
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    OperationType,
    get_named_type,
    is_abstract_type,
    is_leaf_type,
    is_object_type,
    located_error,
)
from graphql.execution import get_argument_values
from graphql.execution.collect_fields import (
    FieldDetailsList,
    GroupedFieldSet,
    collect_fields,
    collect_subfields,
)
from graphql.pyutils import Path, Undefined, inspect, is_iterable
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from subgraphs.core.data.lean import Batched, Paged, Reads, columns_of, declared, position


class _Bubble:
    """A null in a non-null position, on its way up to the nearest nullable one."""

    __slots__ = ("error",)

    def __init__(self, error: GraphQLError) -> None:
        self.error = error


class _Site:
    """One collected field of one parent type: what completing its values needs to know."""

    __slots__ = ("definition", "details", "field", "name", "nodes", "parent")

    def __init__(self, parent: GraphQLObjectType, field: GraphQLField, details: FieldDetailsList) -> None:
        self.parent, self.field, self.details = parent, field, details
        self.nodes = [detail.node for detail in details]
        self.name = self.nodes[0].name.value
        self.definition = field.extensions.get("strawberry-definition")


class _Paths:
    """The response paths of a list of values, each made when first asked for: most never are (a
    field without resolver that does not fail needs none)."""

    __slots__ = ("_made", "_make")

    def __init__(self, count: int, make: Callable[[int], Path]) -> None:
        self._made: list[Path | None] = [None] * count
        self._make = make

    def __len__(self) -> int:
        return len(self._made)

    def __getitem__(self, index: int) -> Path:
        path = self._made[index]
        if path is None:
            path = self._made[index] = self._make(index)
        return path

    def __iter__(self) -> Iterator[Path]:
        return (self[index] for index in range(len(self._made)))


Paths = _Paths | list[Path | None]


class BatchedExecutionContext(StrawberryGraphQLCoreExecutionContext):
    def execute_operation(self, serially: bool | None = None) -> Any:
        operation = self.operation
        root_type = self.schema.get_root_type(operation.operation)
        if root_type is None or operation.operation == OperationType.SUBSCRIPTION or self.abort_signal is not None:
            return super().execute_operation(serially)  # graphql-core reports it, or runs what this does not
        try:
            fields = collect_fields(self.schema, self.fragments, self.variable_values, root_type, operation,
                                    self.hide_suggestions).grouped_field_set
        except RecursionError:
            return super().execute_operation(serially)
        if serially is None:
            serially = operation.operation == OperationType.MUTATION
        return self._execute(root_type, fields, serially)

    async def _execute(self, root_type: GraphQLObjectType, fields: GroupedFieldSet, serially: bool) -> ExecutionResult:
        (data,) = await self._objects(root_type, [self.root_value], [None], fields, serially)
        if isinstance(data, _Bubble):
            self.collected_errors.add(data.error, None)
            data = None
        return ExecutionResult(data, self.collected_errors.errors or None)

    async def _objects(self, type_: GraphQLObjectType, sources: list[Any], paths: Paths,
                       fields: GroupedFieldSet, serially: bool = False) -> list[Any]:
        """Every field of ``fields`` on every source object: a dict per object, or a `_Bubble`."""
        sites = {key: _Site(type_, field, details) for key, details in fields.items()
                 if (field := self.schema.get_field(type_, details[0].node.name.value)) is not None}
        if serially:
            columns = [await self._field(site, key, sources, paths) for key, site in sites.items()]
        else:
            columns = await asyncio.gather(*(self._field(site, key, sources, paths) for key, site in sites.items()))
        results: list[Any] = [{} for _ in sources]
        for key, values in zip(sites, columns, strict=True):
            for index, value in enumerate(values):
                result = results[index]
                if isinstance(value, _Bubble):
                    if not isinstance(result, _Bubble):
                        results[index] = value
                elif not isinstance(result, _Bubble):
                    result[key] = value
        return results

    async def _field(self, site: _Site, key: str, sources: list[Any], paths: Paths) -> list[Any]:
        typename = site.parent.name
        field_paths = _Paths(len(sources), lambda index: Path(paths[index], key, typename))
        if site.name == "__typename":
            return [site.parent.name] * len(sources)
        values = await self._resolve(site, sources, field_paths)
        return await self._complete(site, site.field.type, field_paths, values)

    async def _resolve(self, site: _Site, sources: list[Any], paths: Paths) -> list[Any]:
        """The field's value for each source (an exception where it failed)."""
        field, definition = site.field, site.definition
        resolve = field.resolve or self.field_resolver
        if self.middleware_manager:
            resolve = self.middleware_manager.get_field_resolver(resolve)
        elif definition is not None and definition.is_basic_field and not field.args:
            # Strawberry's resolver of a field with no resolver and no extensions reads the attribute and
            # never looks at the info: the same call, without building one per object.
            return [_call(resolve, source, None, {}) for source in sources]
        first = site.details[0]
        try:
            arguments = self._arguments(field, first)
        except Exception as error:  # noqa: BLE001 - an argument error is each object's field error
            return [error] * len(sources)
        recorded = self._record_lean(site, paths[0])
        declaration = declared(definition) if definition is not None else None
        primed = isinstance(declaration, Batched) and len(sources) > 1
        if primed:  # one batch for all; then each resolver finds its value cached
            try:
                await declaration.prime(self.context_value.loaders, sources, recorded.get(None) if recorded else None)
            except Exception:  # noqa: BLE001, S110 - the resolvers load (and report) what priming could not
                pass
        if _never_reads_info(definition, field) and not self.middleware_manager:
            # Strawberry hands the info only to extensions (this field has none that resolve) and to a
            # resolver that asks for it (this one does not): one for all the objects is the same.
            shared = self.build_resolve_info(field, site.nodes, site.parent, paths[0])
            values = [_call(resolve, source, shared, arguments) for source in sources]
        else:
            values = [_call(resolve, source, self.build_resolve_info(field, site.nodes, site.parent, path), arguments)
                      for source, path in zip(sources, paths, strict=True)]
        if primed:  # awaited one by one: each completes at once, without a task of its own
            return [await _awaited(value) if self.is_awaitable(value) else value for value in values]
        return await self._settle(values)

    def _arguments(self, field: GraphQLField, first: Any) -> dict[str, Any]:
        if not (field.args or first.node.arguments):
            return {}
        return get_argument_values(field, first.node, self.variable_values, first.fragment_variable_values,
                                   self.hide_suggestions)

    async def _settle(self, values: list[Any]) -> list[Any]:
        """``values`` with their awaitables awaited together (a failure becomes its exception)."""
        pending = [index for index, value in enumerate(values) if self.is_awaitable(value)]
        if pending:
            settled = await asyncio.gather(*(values[index] for index in pending), return_exceptions=True)
            for index, value in zip(pending, settled, strict=True):
                if isinstance(value, BaseException) and not isinstance(value, Exception):
                    raise value  # cancellation and the like are not field errors
                values[index] = value
        return values

    def _bubble(self, error: Exception, site: _Site, path: Path) -> _Bubble:
        return _Bubble(located_error(error, site.nodes, path.as_list()))

    async def _complete(self, site: _Site, type_: GraphQLOutputType, paths: Paths, values: list[Any]) -> list[Any]:
        """Values completed as `type_`: a nullable position takes in the errors below it."""
        if isinstance(type_, GraphQLNonNull):
            completed = await self._complete_value(site, type_.of_type, paths, values)
            for index, value in enumerate(completed):
                if value is None:
                    completed[index] = self._bubble(TypeError(
                        f"Cannot return null for non-nullable field {site.parent.name}.{site.name}."), site, paths[index])
            return completed
        completed = await self._complete_value(site, type_, paths, values)
        for index, value in enumerate(completed):
            if isinstance(value, _Bubble):
                self.collected_errors.add(value.error, paths[index])
                completed[index] = None
        return completed

    async def _complete_value(self, site: _Site, type_: Any, paths: Paths, values: list[Any]) -> list[Any]:
        completed: list[Any] = [None] * len(values)
        present: list[int] = []
        for index, value in enumerate(values):
            if isinstance(value, Exception):
                completed[index] = self._bubble(value, site, paths[index])
            elif value is not None and value is not Undefined:
                present.append(index)
        if not present:
            return completed
        if isinstance(type_, GraphQLList):
            await self._complete_lists(site, type_.of_type, paths, values, present, completed)
        elif is_leaf_type(type_):
            for index in present:
                try:
                    completed[index] = _leaf(type_, values[index])
                except Exception as error:  # noqa: BLE001 - a value the scalar refuses is a field error
                    completed[index] = self._bubble(error, site, paths[index])
        elif is_abstract_type(type_):
            await self._complete_abstract(site, type_, paths, values, present, completed)
        elif is_object_type(type_):
            await self._complete_objects(site, type_, paths, values, present, completed)
        else:  # pragma: no cover - graphql-core's output types are all above
            raise TypeError(f"Cannot complete value of unexpected output type: '{inspect(type_)}'.")
        return completed

    async def _complete_lists(self, site: _Site, item_type: Any, paths: Paths, values: list[Any],
                              present: list[int], completed: list[Any]) -> None:
        items: list[Any] = []
        owners: list[int] = []  # the index of the list each item is in
        positions: list[int] = []
        spans: list[tuple[int, int, int]] = []
        for index in present:
            value = values[index]
            if not is_iterable(value):
                completed[index] = self._bubble(GraphQLError(
                    f"Expected Iterable, but did not find one for field '{site.parent.name}.{site.name}'."),
                    site, paths[index])
                continue
            start = len(items)
            items += value
            owners += [index] * (len(items) - start)
            positions += range(len(items) - start)
            spans.append((index, start, len(items)))
        item_paths = _Paths(len(items), lambda item: paths[owners[item]].add_key(positions[item], None))
        done = await self._complete(site, item_type, item_paths, await self._settle(items))
        for index, start, end in spans:
            chunk = done[start:end]
            completed[index] = next((item for item in chunk if isinstance(item, _Bubble)), chunk)

    async def _complete_abstract(self, site: _Site, type_: GraphQLAbstractType, paths: Paths,
                                 values: list[Any], present: list[int], completed: list[Any]) -> None:
        resolve_type = type_.resolve_type or self.type_resolver
        info = self.build_resolve_info(site.field, site.nodes, site.parent, paths[present[0]])
        by_type: dict[str, tuple[GraphQLObjectType, list[int]]] = {}
        for index in present:
            try:
                name = resolve_type(values[index], info, type_)
                if self.is_awaitable(name):
                    name = await name
                runtime = self._runtime_type(name, type_, site, values[index])
            except Exception as error:  # noqa: BLE001 - an unresolvable type is a field error
                completed[index] = self._bubble(error, site, paths[index])
                continue
            by_type.setdefault(runtime.name, (runtime, []))[1].append(index)
        for runtime, indexes in by_type.values():
            await self._complete_objects(site, runtime, paths, values, indexes, completed)

    def _runtime_type(self, name: Any, type_: GraphQLAbstractType, site: _Site, value: Any) -> GraphQLObjectType:
        """The object type ``resolve_type`` named, checked as graphql-core checks it."""
        where = f"for field '{site.parent.name}.{site.name}'"
        if not isinstance(name, str):
            received = "" if name is None else f" with value {inspect(value)}, received '{inspect(name)}'"
            raise GraphQLError(f"Abstract type '{type_.name}' must resolve to an Object type at runtime {where}"
                               f"{received}.", site.nodes)
        runtime = self.schema.get_type(name)
        if runtime is None:
            raise GraphQLError(f"Abstract type '{type_.name}' was resolved to a type '{name}' that does not exist"
                               " inside the schema.", site.nodes)
        if not is_object_type(runtime):
            raise GraphQLError(f"Abstract type '{type_.name}' was resolved to a non-object type '{name}'.", site.nodes)
        if not self.schema.is_sub_type(type_, runtime):
            raise GraphQLError(f"Runtime Object type '{name}' is not a possible type for '{type_.name}'.", site.nodes)
        return runtime

    async def _complete_objects(self, site: _Site, type_: GraphQLObjectType, paths: Paths, values: list[Any],
                                present: list[int], completed: list[Any]) -> None:
        if type_.is_type_of:
            info = self.build_resolve_info(site.field, site.nodes, site.parent, paths[present[0]])
            kept = []
            for index in present:
                matches = type_.is_type_of(values[index], info)
                if self.is_awaitable(matches):
                    matches = await matches
                if matches:
                    kept.append(index)
                else:
                    completed[index] = self._bubble(GraphQLError(
                        f"Expected value of type '{type_.name}' but got: {inspect(values[index])}.", site.nodes),
                        site, paths[index])
            present = kept
            if not present:
                return
        fields = self._subfields(type_, site.details)
        objects = await self._objects(type_, [values[i] for i in present],
                                      _Paths(len(present), lambda index: paths[present[index]]), fields)
        for index, value in zip(present, objects, strict=True):
            completed[index] = value

    def _subfields(self, type_: GraphQLObjectType, details: FieldDetailsList) -> GroupedFieldSet:
        return collect_subfields(self.schema, self.fragments, self.variable_values, self.operation, type_, details,
                                 self.hide_suggestions).grouped_field_set

    # Lean reads: the columns a declaring field's objects need, recorded where its resolver finds them.

    def _record_lean(self, site: _Site, path: Path) -> dict[str | None, frozenset[str]] | None:
        definition = site.definition
        declaration = declared(definition) if definition is not None else None
        named = get_named_type(site.field.type)
        if declaration is None and not (site.name == "_entities" and site.parent is self.schema.query_type):
            return None
        recorded: dict[str | None, frozenset[str]] = {}
        if isinstance(declaration, Batched) and is_object_type(named):
            columns = self._columns(named, site.details)
            if columns is not None:
                recorded[None] = columns | columns_of(named, declaration.reads)
        elif isinstance(declaration, Paged) and is_object_type(named):
            node_type, columns = self._node_columns(named, site.details)
            if node_type is not None and columns is not None:
                recorded[node_type.name] = columns
        elif declaration is None:  # `_entities`: per type of the union
            for type_ in self.schema.get_possible_types(named):  # type: ignore[arg-type]
                if (columns := self._columns(type_, site.details)) is not None:
                    recorded[type_.name] = columns
        if recorded:
            self.context_value.loaders.columns[position(path)] = recorded
        return recorded

    def _columns(self, type_: GraphQLObjectType, details: FieldDetailsList) -> frozenset[str] | None:
        """The columns objects of ``type_`` need for the selection in ``details``; None: whole rows."""
        attributes: set[str] = set()
        for sub_details in self._subfields(type_, details).values():
            name = sub_details[0].node.name.value
            if name == "__typename":
                continue
            field = type_.fields.get(name)
            definition = field.extensions.get("strawberry-definition") if field else None
            if definition is None:
                return None
            declaration = declared(definition)
            if any(extension is not declaration for extension in definition.extensions):
                return None  # a permission class or another extension may read anything
            if definition.base_resolver is None:
                attributes.add(definition.python_name)
            elif isinstance(declaration, Reads):
                attributes |= declaration.attributes
            elif isinstance(declaration, Batched):
                attributes.add(declaration.key)
            else:
                return None
        return columns_of(type_, attributes)

    def _node_columns(self, connection: GraphQLObjectType, details: FieldDetailsList
                      ) -> tuple[GraphQLObjectType | None, frozenset[str] | None]:
        """A connection's node type and the columns of every `edges { node { … } }` selected."""
        edge = get_named_type(connection.fields["edges"].type)
        node_type = get_named_type(edge.fields["node"].type)  # type: ignore[union-attr]
        if not is_object_type(edge) or not is_object_type(node_type):
            return None, None
        columns: frozenset[str] = frozenset({"id"})
        for edges in self._subfields(connection, details).values():
            if edges[0].node.name.value != "edges":
                continue
            for nodes in self._subfields(edge, edges).values():
                if nodes[0].node.name.value == "node":
                    needed = self._columns(node_type, nodes)
                    if needed is None:
                        return node_type, None
                    columns |= needed
        return node_type, columns


def _never_reads_info(definition: Any, field: GraphQLField) -> bool:
    """A Strawberry resolver without arguments that takes no info, with no extension but lean declarations."""
    resolver = definition.base_resolver if definition is not None else None
    return resolver is not None and not field.args and resolver.info_parameter is None \
        and all(declared(definition) is extension for extension in definition.extensions)


def _leaf(type_: Any, value: Any) -> Any:
    """A scalar or enum value as its type serializes it; a value it cannot serialize is an error."""
    coerced = type_.coerce_output_value(value)
    if coerced is Undefined or coerced is None:
        raise TypeError(f"Expected `{inspect(type_)}.coerce_output_value({inspect(value)})` to return non-nullable"
                        f" value, returned: {inspect(coerced)}")
    return coerced


async def _awaited(value: Any) -> Any:
    try:
        return await value
    except Exception as error:  # noqa: BLE001 - a resolver's error is its field's error
        return error


def _call(resolve: Any, source: Any, info: Any, arguments: dict[str, Any]) -> Any:
    try:
        return resolve(source, info, **arguments)
    except Exception as error:  # noqa: BLE001 - a resolver's error is its field's error
        return error


