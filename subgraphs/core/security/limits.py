"""Query limits every subgraph enforces before validating a document, on its normalized operation.

Validation and execution cost what the operation costs with every fragment inlined where it is
spread, so the limits are computed on that form, never by expanding fragments per path:

1. Parsing refuses text nested deeper than ``MAX_NESTING`` (the parser recurses per level) and
   more than ``max_tokens`` tokens.
2. The expansion is *counted*, not built: field selections, aliases and fragment spreads of each
   fragment are summed once and memoized, so a fragment spread 400 times inside one spread 400
   times costs two additions, not 160,000 copies. Over ``max_selections`` the document is refused
   before anything is expanded (and before graphql-core's overlap check, quadratic in repeated
   fields, ever sees it).
3. Only then is the operation normalized: fragments inlined and fields with the same response key
   merged (bounded by step 2). Depth (a fragment spread is not a level), field count after merging
   and cost are read off that tree.

Cost: every field costs 1, times the size of each enclosing list — its `first`/`last`, the default
page for a connection without them, the number of representations for `_entities`, or an
estimate for a plain list. Each refusal is a typed error: QUERY_TOO_DEEP, QUERY_TOO_LARGE,
TOO_MANY_ALIASES, TOO_MANY_FRAGMENT_SPREADS or QUERY_TOO_COSTLY.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_operation_ast,
    parse,
    value_from_ast_untyped,
)
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from subgraphs.core.base.errors import ClientError, ErrorCode
from subgraphs.core.data.filters import filter_refusal
from subgraphs.core.runtime.settings import DEFAULT_PAGE_SIZE, Settings

PAGE_ARGUMENTS = ("first", "last")
LIST_ESTIMATE = 20  # items assumed in a list without a page argument (a sample's sequences, children, …)
MAX_NESTING = 64  # brackets deep: far beyond any valid operation, well within the parser's recursion
CACHE_SIZE = 512  # distinct documents whose parse and validation are remembered
SUGGESTION = re.compile(r" Did you mean .*\?$", re.DOTALL)


@dataclass(frozen=True)
class Limits:
    max_depth: int
    max_aliases: int
    max_tokens: int
    max_selections: int  # field selections with every fragment inlined, before merging
    max_fields: int  # fields after merging
    max_fragment_spreads: int  # spreads with every fragment inlined
    max_cost: int
    max_page: int
    default_page: int = DEFAULT_PAGE_SIZE

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        return cls(settings.max_depth, settings.max_aliases, settings.max_tokens, settings.max_selections,
                   settings.max_fields, settings.max_fragment_spreads, settings.max_cost, settings.max_page_size)


@dataclass
class Node:
    """One field of the normalized operation: every selection with its response key merged."""

    name: str
    arguments: dict[str, Any]
    type: Any  # the field's GraphQL output type (None for a field the schema lacks: validation reports it)
    children: dict[str, Node] = field(default_factory=dict)

    @property
    def is_connection(self) -> bool:
        return "edges" in self.children


@dataclass(frozen=True)
class Expansion:
    """What a selection set amounts to with every fragment inlined where it is spread."""

    selections: int = 0
    aliases: int = 0
    spreads: int = 0

    def __add__(self, other: Expansion) -> Expansion:
        return Expansion(self.selections + other.selections, self.aliases + other.aliases,
                         self.spreads + other.spreads)


class Operation:
    """A document's operation, measured without ever expanding fragments per path."""

    def __init__(self, schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode) -> None:
        self.schema, self.operation = schema, operation
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        self._expansions: dict[str, Expansion] = {}
        self._visiting: set[str] = set()

    def expansion(self, selection_set: SelectionSetNode | None = None) -> Expansion:
        """Counted with each fragment's own expansion computed once (memoized); a cycle is refused."""
        total = Expansion()
        for selection in (selection_set or self.operation.selection_set).selections:
            if isinstance(selection, FieldNode):
                total += Expansion(1, int(selection.alias is not None))
                if selection.selection_set:
                    total += self.expansion(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                total += self.expansion(selection.selection_set)
            else:
                total += Expansion(spreads=1) + self._fragment_expansion(selection.name.value)
        return total

    def _fragment_expansion(self, name: str) -> Expansion:
        if name in self._expansions:
            return self._expansions[name]
        fragment = self.fragments.get(name)
        if fragment is None:
            return Expansion()  # an unknown fragment: validation reports it
        if name in self._visiting:
            raise ClientError(ErrorCode.GRAPHQL_VALIDATION_FAILED, f'Cannot spread fragment "{name}" within itself.')
        self._visiting.add(name)
        self._expansions[name] = result = self.expansion(fragment.selection_set)
        self._visiting.discard(name)
        return result

    def normalized(self) -> dict[str, Node]:
        """The operation's fields with fragments inlined and same-key fields merged (call after
        ``expansion`` allowed it: the work is bounded by the selections counted there)."""
        root: dict[str, Node] = {}
        self._merge(self.operation.selection_set, self.schema.get_root_type(self.operation.operation), root)
        return root

    def _merge(self, selection_set: SelectionSetNode, parent: Any, into: dict[str, Node]) -> None:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                key = (selection.alias or selection.name).value
                node = into.get(key)
                if node is None:
                    definition = getattr(parent, "fields", {}).get(selection.name.value)
                    node = into[key] = Node(selection.name.value, {a.name.value: a.value for a in selection.arguments or ()},
                                            definition.type if definition else None)
                if selection.selection_set:
                    self._merge(selection.selection_set, get_named_type(node.type), node.children)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                self._merge(selection.selection_set,
                            self.schema.get_type(condition.name.value) if condition else parent, into)
            elif isinstance(selection, FragmentSpreadNode) and (fragment := self.fragments.get(selection.name.value)):
                self._merge(fragment.selection_set, self.schema.get_type(fragment.type_condition.name.value), into)


def field_count(nodes: dict[str, Node]) -> int:
    return sum(1 + field_count(n.children) for n in nodes.values())


def depth(nodes: dict[str, Node]) -> int:
    """Levels of fields below the top ones (`{ a { b } }` is 1); introspection fields do not count."""
    return max((depth(n.children) + 1 for n in nodes.values() if n.children and not n.name.startswith("__")),
               default=0)


class Cost:
    """The most fields a document can return with these variables."""

    def __init__(self, schema: GraphQLSchema, document: DocumentNode, variables: dict[str, Any],
                 max_page: int, default_page: int) -> None:
        self.schema, self.document, self.variables = schema, document, variables
        self.max_page, self.default_page = max_page, default_page

    def of(self, selection_set: SelectionSetNode, _root: Any = None) -> int:
        """The cost of the operation whose selection set this is (its root type is the operation's)."""
        operation = next(d for d in self.document.definitions
                         if isinstance(d, OperationDefinitionNode) and d.selection_set is selection_set)
        return self.of_nodes(Operation(self.schema, self.document, operation).normalized())

    def of_nodes(self, nodes: dict[str, Node], connection: bool = False) -> int:
        """Fields under ``nodes``; in a connection, `edges` is the page itself."""
        total = 0
        for node in nodes.values():
            if node.name.startswith("__"):
                continue
            paged = connection and node.name == "edges"
            inner = self.of_nodes(node.children, node.is_connection)
            total += (1 if paged else self._multiplier(node)) * (1 + inner)
        return total

    def _value(self, node: Any) -> Any:
        if isinstance(node, VariableNode):
            return self.variables.get(node.name.value)
        return int(node.value) if isinstance(node, IntValueNode) else None

    def _multiplier(self, node: Node) -> int:
        if node.name == "_entities":  # the router's batched lookups: one per representation
            representations = self._value(node.arguments.get("representations"))
            return len(representations) if isinstance(representations, list) else LIST_ESTIMATE
        pages = [self._value(node.arguments[name]) for name in PAGE_ARGUMENTS if name in node.arguments]
        if pages:  # a page above the cap is refused by the field itself, with a clearer error
            return max(0, min(pages[0], self.max_page)) if isinstance(pages[0], int) else self.default_page
        if node.is_connection:
            return self.default_page
        return LIST_ESTIMATE if _is_list(node.type) else 1


def _is_list(field_type: Any) -> bool:
    while isinstance(field_type, GraphQLNonNull):
        field_type = field_type.of_type
    return isinstance(field_type, GraphQLList)


def refusal(schema: GraphQLSchema, document: DocumentNode, operation_name: str | None, variables: dict[str, Any],
            limits: Limits) -> ClientError | None:
    """The first limit this operation exceeds, as a typed error; None when it is within all of them."""
    if (levels := value_nesting(variables)) > MAX_NESTING:
        return ClientError(ErrorCode.QUERY_TOO_DEEP, f"The variables nest {levels} deep; the limit is {MAX_NESTING}.",
                           "variables")
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return None  # no such operation (or an ambiguous one): validation and execution report it
    measured = Operation(schema, document, operation)
    expansion = measured.expansion()
    if expansion.selections > limits.max_selections:
        return ClientError(ErrorCode.QUERY_TOO_LARGE, f"This query selects {expansion.selections:,} fields with its fragments "
                           f"inlined; the limit is {limits.max_selections:,}.")
    if expansion.spreads > limits.max_fragment_spreads:
        return ClientError(ErrorCode.TOO_MANY_FRAGMENT_SPREADS, f"This query spreads fragments {expansion.spreads:,} times "
                           f"with its fragments inlined; the limit is {limits.max_fragment_spreads:,}.")
    if expansion.aliases > limits.max_aliases:
        return ClientError(ErrorCode.TOO_MANY_ALIASES, f"{expansion.aliases:,} aliases found. Allowed: {limits.max_aliases}.")
    nodes = measured.normalized()
    if (levels := depth(nodes)) > limits.max_depth:
        return ClientError(ErrorCode.QUERY_TOO_DEEP, f"This query is {levels} levels deep, which exceeds maximum operation "
                           f"depth of {limits.max_depth}.")
    if (fields := field_count(nodes)) > limits.max_fields:
        return ClientError(ErrorCode.QUERY_TOO_LARGE, f"This query has {fields:,} distinct fields; the limit is "
                           f"{limits.max_fields:,}.")
    if filtered := filter_refusals(nodes, variables):
        return filtered
    cost = Cost(schema, document, variables, limits.max_page, limits.default_page).of_nodes(nodes)
    if cost > limits.max_cost:
        return ClientError(ErrorCode.QUERY_TOO_COSTLY, f"This query could return up to {cost:,} fields; the limit is "
                           f"{limits.max_cost:,}. Ask for smaller pages or fewer nested lists.")
    return None


def value_nesting(value: Any) -> int:
    """How deep lists and objects nest in a JSON value (iteratively: it may be deeper than Python recurses)."""
    deepest, pending = 0, [(value, 0)]
    while pending:
        current, level = pending.pop()
        deepest = max(deepest, level)
        if isinstance(current, dict):
            pending.extend((v, level + 1) for v in current.values())
        elif isinstance(current, list):
            pending.extend((v, level + 1) for v in current)
    return deepest


def filter_refusals(nodes: dict[str, Node], variables: dict[str, Any]) -> ClientError | None:
    """The first `filter:` argument too large to run, checked on its JSON: converting a 20,000-term
    filter into input objects alone takes seconds."""
    pending = list(nodes.values())
    while pending:
        node = pending.pop()
        pending.extend(node.children.values())
        if "filter" in node.arguments and (refused := filter_refusal(
                value_from_ast_untyped(node.arguments["filter"], variables))):
            return refused
    return None


def nesting(text: str) -> int:
    """The deepest bracket nesting of a GraphQL document, outside strings and comments."""
    deepest = level = 0
    index, size = 0, len(text)
    while index < size:
        char = text[index]
        if char == '"':
            if text.startswith('"""', index):
                end = text.find('"""', index + 3)
                while end != -1 and text[end - 1] == "\\":
                    end = text.find('"""', end + 3)
            else:
                end = index + 1
                while end < size and text[end] not in '"\n':
                    end += 2 if text[end] == "\\" else 1
            index = size if end == -1 else end + (3 if text.startswith('"""', index) else 1)
            continue
        if char == "#":
            end = text.find("\n", index)
            index = size if end == -1 else end
            continue
        if char in "{[(":
            level += 1
            deepest = max(deepest, level)
        elif char in "}])":
            level -= 1
        index += 1
    return deepest


@lru_cache(maxsize=CACHE_SIZE)
def parse_document(query: str, max_tokens: int) -> DocumentNode:
    """The parsed document (remembered: clients send the same few again and again), or a typed error."""
    if (levels := nesting(query)) > MAX_NESTING:
        raise ClientError(ErrorCode.QUERY_TOO_DEEP, f"This document nests brackets {levels} deep; the limit is {MAX_NESTING}.")
    try:
        return parse(query, max_tokens=max_tokens)
    except GraphQLError as error:
        code = ErrorCode.QUERY_TOO_LARGE if "tokens" in error.message else ErrorCode.GRAPHQL_PARSE_FAILED
        raise ClientError(code, error.message) from None


@lru_cache(maxsize=CACHE_SIZE)
def _validate(schema: GraphQLSchema, document: DocumentNode, rules: tuple[Any, ...], suggestions: bool
              ) -> list[GraphQLError]:
    return [_typed(e, suggestions) for e in validate_document(schema, document, rules)]


def _typed(error: GraphQLError, suggestions: bool) -> GraphQLError:
    """A validation error with its code (and, in production, without "Did you mean …?" suggestions,
    which would spell out the schema to anyone probing it)."""
    message = error.message if suggestions else SUGGESTION.sub("", error.message)
    return GraphQLError(message, nodes=error.nodes, extensions={"code": ErrorCode.GRAPHQL_VALIDATION_FAILED.value,
                                                                **(error.extensions or {})})


def limits_extension(limits: Limits, dev: bool) -> type[SchemaExtension]:
    class CheckedDocument(SchemaExtension):
        """Parse (bounded, cached), refuse what exceeds the limits, then validate (cached)."""

        def on_parse(self) -> Iterator[None]:
            context = self.execution_context
            context.graphql_document = parse_document(context.query, limits.max_tokens)
            yield

        def on_validate(self) -> Iterator[None]:
            context = self.execution_context
            refused = refusal(context.schema._schema, context.graphql_document, context.operation_name,
                              context.variables or {}, limits)
            # Suggestions only in dev mode: the request's own settings say which (the schema's are the default).
            suggestions = getattr(getattr(context.context, "settings", None), "dev", dev)
            context.pre_execution_errors = [refused] if refused else _validate(
                context.schema._schema, context.graphql_document, tuple(context.validation_rules), suggestions)
            yield

    return CheckedDocument


def limit_extensions(settings: Settings) -> list[Callable[[], SchemaExtension]]:
    """Factories, as Strawberry wants them: a fresh extension per request."""
    return [limits_extension(Limits.of(settings), dev=settings.dev)]

