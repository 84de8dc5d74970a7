"""`filter:` and `orderBy:` inputs of transactions."""

# No `from __future__ import annotations`: Strawberry reads these annotations as objects.
from typing import Any

import strawberry
from sqlalchemy import ColumnElement, and_, false, or_, true

from subgraphs.core.base.ids import require_uuid
from subgraphs.core.data.filters import (
    DateFilter,
    FilterField,
    IDFilter,
    StringFilter,
    array_contains,
    filter_input,
    operators,
)
from subgraphs.core.data.ordering import order_input

from .. import repository
from .types import TransactionStatus, TransactionType


@strawberry.input(description="Status conditions, OVERDUE included (computed from due date and items).")
class TransactionStatusFilter:
    eq: TransactionStatus | None = None
    in_: list[TransactionStatus] | None = strawberry.field(name="in", default=None)


@strawberry.input(description="Kind-of-transaction conditions.")
class TransactionTypeFilter:
    eq: TransactionType | None = None
    in_: list[TransactionType] | None = strawberry.field(name="in", default=None)


def _status(condition: TransactionStatusFilter) -> ColumnElement[bool]:
    parts = []
    if condition.eq is not None:
        parts.append(repository.status_is(condition.eq.value))
    if condition.in_ is not None:
        parts.append(or_(false(), *(repository.status_is(s.value) for s in condition.in_)))
    return and_(true(), *parts)


def _type(condition: TransactionTypeFilter) -> ColumnElement[bool]:
    column = repository.transaction.c.transaction_type
    return operators(column)(StringFilter(eq=condition.eq and condition.eq.value,
                                          in_=condition.in_ and [t.value for t in condition.in_]))


def _material_sample(condition: IDFilter) -> ColumnElement[bool]:
    ids: list[Any] = ([condition.eq] if condition.eq is not None else []) + list(condition.in_ or [])
    return repository.with_material_sample([require_uuid(i, "filter") for i in ids]) if ids else true()


t = repository.transaction.c
TransactionFilter = filter_input("TransactionFilter", {
    "id": FilterField(IDFilter, operators(t.id)),
    "transaction_number": FilterField(StringFilter, operators(t.transaction_number)),
    "transaction_type": FilterField(TransactionTypeFilter, _type),
    "status": FilterField(TransactionStatusFilter, _status, "OPEN, CLOSED or OVERDUE (computed)."),
    "opened_date": FilterField(DateFilter, operators(t.opened_date)),
    "due_date": FilterField(DateFilter, operators(t.due_date)),
    "closed_date": FilterField(DateFilter, operators(t.closed_date)),
    "collection": FilterField(IDFilter, operators(t.collection_id)),
    "counterparty": FilterField(IDFilter, operators(t.counterparty_organization_id), "The other institution."),
    "counterparty_name": FilterField(StringFilter, operators(t.counterparty_name)),
    "agent": FilterField(IDFilter, array_contains(t.agent_ids), "A person with any role in it."),
    "material_sample": FilterField(IDFilter, _material_sample, "Has an item of this sample (or one of these)."),
    "group": FilterField(StringFilter, operators(t.group)),
}, "Conditions on transactions.")
TransactionOrder = order_input("TransactionOrder", {
    "transaction_number": t.transaction_number, "opened_date": t.opened_date, "created_on": t.created_on,
})
