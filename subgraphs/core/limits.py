"""Query limits every subgraph enforces: depth, aliases, tokens and cost.

Cost is counted before execution, with the request's variables: every field costs 1, times the
size of each enclosing list — its `first`/`last`, the default page for a connection without them,
the number of representations for `_entities`, or an estimate for a plain list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_operation_ast,
)
from strawberry.extensions import (
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)

from .pagination import DEFAULT_PAGE_SIZE
from .settings import Settings

PAGE_ARGUMENTS = ("first", "last")
LIST_ESTIMATE = 20  # items assumed in a list without a page argument (a sample's sequences, children, …)


class Cost:
    """The most fields a document can return with these variables."""

    def __init__(self, schema: GraphQLSchema, document: DocumentNode, variables: dict[str, Any],
                 max_page: int, default_page: int) -> None:
        self.schema, self.variables = schema, variables
        self.max_page, self.default_page = max_page, default_page
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}

    def _value(self, node: Any) -> Any:
        if isinstance(node, VariableNode):
            return self.variables.get(node.name.value)
        return int(node.value) if isinstance(node, IntValueNode) else None

    def _multiplier(self, field: FieldNode, returns_list: bool) -> int:
        arguments = {a.name.value: a.value for a in field.arguments or ()}
        if field.name.value == "_entities":  # the router's batched lookups: one per representation
            representations = self._value(arguments.get("representations"))
            return len(representations) if isinstance(representations, list) else LIST_ESTIMATE
        pages = [self._value(arguments[name]) for name in PAGE_ARGUMENTS if name in arguments]
        if pages:  # a page above the cap is refused by the field itself, with a clearer error
            return min(pages[0], self.max_page) if isinstance(pages[0], int) else self.default_page
        if _is_connection(field):
            return self.default_page
        return LIST_ESTIMATE if returns_list else 1

    def of(self, selection_set: SelectionSetNode | None, parent: Any, seen: frozenset[str] = frozenset(),
           connection: bool = False) -> int:
        """Fields under ``selection_set`` of type ``parent``; in a connection, `edges` is the page itself."""
        total = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                definition = getattr(parent, "fields", {}).get(selection.name.value)
                field_type = definition.type if definition else None
                inner = self.of(selection.selection_set, get_named_type(field_type), seen, _is_connection(selection))
                paged = connection and selection.name.value == "edges"
                total += (1 if paged else self._multiplier(selection, _is_list(field_type))) * (1 + inner)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                total += self.of(selection.selection_set,
                                 self.schema.get_type(condition.name.value) if condition else parent, seen)
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
                fragment = self.fragments.get(selection.name.value)
                if fragment is not None:
                    total += self.of(fragment.selection_set, self.schema.get_type(fragment.type_condition.name.value),
                                     seen | {selection.name.value})
        return total


def _is_connection(field: FieldNode) -> bool:
    return any(isinstance(s, FieldNode) and s.name.value == "edges"
               for s in (field.selection_set.selections if field.selection_set else ()))


def _is_list(field_type: Any) -> bool:
    while isinstance(field_type, GraphQLNonNull):
        field_type = field_type.of_type
    return isinstance(field_type, GraphQLList)


def cost_limiter(max_cost: int, max_page: int, default_page: int) -> type[SchemaExtension]:
    class CostLimiter(SchemaExtension):
        """Refuses, before execution, an operation whose worst case exceeds the cost limit."""

        def on_execute(self) -> Iterator[None]:
            context = self.execution_context
            operation = get_operation_ast(context.graphql_document, context.operation_name)
            if operation is not None:
                schema = context.schema._schema
                cost = Cost(schema, context.graphql_document, context.variables or {}, max_page, default_page).of(
                    operation.selection_set, schema.get_root_type(operation.operation))
                if cost > max_cost:
                    context.result = ExecutionResult(data=None, errors=[GraphQLError(
                        f"This query could return up to {cost:,} fields; the limit is {max_cost:,}. "
                        "Ask for smaller pages or fewer nested lists.", extensions={"code": "QUERY_TOO_COSTLY"},
                    )])
            yield

    return CostLimiter


def limit_extensions(settings: Settings) -> list[Callable[[], SchemaExtension]]:
    """Factories, as Strawberry wants them: a fresh extension per request."""
    return [
        lambda: QueryDepthLimiter(max_depth=settings.max_depth),
        lambda: MaxAliasesLimiter(max_alias_count=settings.max_aliases),
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        cost_limiter(settings.max_cost, settings.max_page_size, DEFAULT_PAGE_SIZE),
    ]
