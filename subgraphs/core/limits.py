"""Query limits every subgraph enforces: depth, aliases, tokens and cost.

Cost is static, per document, so it is cached with validation: every field costs 1, times the
page size of each enclosing list argument (`first`/`last`; a variable counts as the largest
page allowed, since the document's cost must hold for any variables).
"""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)

from .pagination import DEFAULT_PAGE_SIZE
from .settings import Settings

PAGE_ARGUMENTS = ("first", "last")


def _multiplier(field: FieldNode, max_page: int, default_page: int) -> int:
    pages = [a.value for a in field.arguments or () if a.name.value in PAGE_ARGUMENTS]
    if not pages:
        return default_page if field.name.value.endswith(("s", "List")) and _is_connection(field) else 1
    value = pages[0]
    return int(value.value) if isinstance(value, IntValueNode) else max_page


def _is_connection(field: FieldNode) -> bool:
    return any(isinstance(s, FieldNode) and s.name.value == "edges"
               for s in (field.selection_set.selections if field.selection_set else ()))


def cost_rule(max_cost: int, max_page: int, default_page: int) -> type[ValidationRule]:
    class CostLimit(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self.fragments = {f.name.value: f for f in context.document.definitions
                              if f.kind == "fragment_definition"}

        def cost(self, selection_set: SelectionSetNode | None, seen: frozenset[str]) -> int:
            total = 0
            for selection in selection_set.selections if selection_set else ():
                if isinstance(selection, FieldNode):
                    inner = self.cost(selection.selection_set, seen)
                    total += _multiplier(selection, max_page, default_page) * (1 + inner)
                elif isinstance(selection, InlineFragmentNode):
                    total += self.cost(selection.selection_set, seen)
                elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
                    fragment = self.fragments.get(selection.name.value)
                    if fragment is not None:
                        total += self.cost(fragment.selection_set, seen | {selection.name.value})
            return total

        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            cost = self.cost(node.selection_set, frozenset())
            if cost > max_cost:
                self.report_error(GraphQLError(
                    f"This query could return up to {cost:,} fields; the limit is {max_cost:,}. "
                    "Ask for smaller pages or fewer nested lists.", node,
                    extensions={"code": "QUERY_TOO_COSTLY"},
                ))

    return CostLimit


def limit_extensions(settings: Settings) -> list[SchemaExtension]:
    return [
        QueryDepthLimiter(max_depth=settings.max_depth),
        MaxAliasesLimiter(max_alias_count=settings.max_aliases),
        MaxTokensLimiter(max_token_count=settings.max_tokens),
        AddValidationRules([cost_rule(settings.max_cost, settings.max_page_size, DEFAULT_PAGE_SIZE)]),
    ]
