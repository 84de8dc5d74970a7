"""Root fields: transactions by id and as a filtered connection, and every write."""

# No `from __future__ import annotations`: Strawberry reads these annotations as objects.
from typing import Any

import strawberry

from subgraphs.core.base.ids import require_uuid
from subgraphs.core.execution.context import Info
from subgraphs.core.schema.fields import by_id_field, connection_field
from subgraphs.core.writes.crud import (
    EntityApi,
    EntityRules,
    crud_mutations,
    mutation_type,
    payload_type,
    respond,
)
from subgraphs.core.writes.mutations import run_mutation, user_error_type

from .. import repository, service
from ..loaders import TransactionByIdLoader, TransactionItemByIdLoader
from .filters import TransactionFilter, TransactionOrder
from .inputs import (
    CreatePermitInput,
    CreateShipmentInput,
    CreateTransactionInput,
    CreateTransactionItemInput,
    ReturnAllItemsInput,
    ReturnItemsInput,
    UpdatePermitInput,
    UpdateShipmentInput,
    UpdateTransactionInput,
    UpdateTransactionItemInput,
)
from .types import Permit, Shipment, Transaction, TransactionItem

TransactionsUserError = user_error_type("Transactions", service.TransactionsErrorCode)


@strawberry.type
class Query:
    transaction = by_id_field(Transaction, TransactionByIdLoader, "A transaction by id.")
    transactions = connection_field(
        Transaction, repository.transaction, "Loans, borrows, gifts, exchanges, accessions and deaccessions.",
        TransactionFilter, TransactionOrder,
    )
    transaction_item = by_id_field(TransactionItem, TransactionItemByIdLoader, "A transaction item by id.")


def unless_closed_mutations(name: str, rules: EntityRules, api: EntityApi) -> dict[str, Any]:
    """``crud_mutations`` whose deletes, one or bulk, first check the transaction (the record's own, or its
    parent) is open."""
    fields = crud_mutations(name, rules, api, remove=service.delete_unless_closed)
    single = min((key for key in fields if key.startswith("delete_")), key=len)
    fields[single].description = (
        f"Delete a {name} nothing depends on, unless its transaction is closed; needs the version you read.")
    return fields


async def return_items(info: Info, input: ReturnItemsInput) -> Any:
    return respond("Transaction", _TRANSACTION_API, *await run_mutation(info, lambda s: service.return_items(
        s, require_uuid(input.transaction_id, "transactionId"),
        [_parsed_return(r, i) for i, r in enumerate(input.returns)], input.returned_date, info.context.actor)))


def _parsed_return(back: Any, index: int) -> Any:
    back.item_id = require_uuid(back.item_id, f"returns.{index}.itemId")
    return back


async def return_all_items(info: Info, input: ReturnAllItemsInput) -> Any:
    return respond("Transaction", _TRANSACTION_API, *await run_mutation(info, lambda s: service.return_all(
        s, require_uuid(input.transaction_id, "transactionId"), input.returned_date, input.condition,
        info.context.actor)))


_TRANSACTION_API = EntityApi(Transaction, CreateTransactionInput, UpdateTransactionInput, TransactionsUserError)
_TRANSACTION_MUTATIONS = unless_closed_mutations("Transaction", service.TRANSACTION, _TRANSACTION_API)
_payload = payload_type("Transaction", _TRANSACTION_API)
return_items.__annotations__["return"] = _payload
return_all_items.__annotations__["return"] = _payload

Mutation = mutation_type(
    _TRANSACTION_MUTATIONS,
    unless_closed_mutations("TransactionItem", service.ITEM, EntityApi(
        TransactionItem, CreateTransactionItemInput, UpdateTransactionItemInput, TransactionsUserError)),
    unless_closed_mutations("Shipment", service.SHIPMENT, EntityApi(
        Shipment, CreateShipmentInput, UpdateShipmentInput, TransactionsUserError)),
    unless_closed_mutations("Permit", service.PERMIT, EntityApi(
        Permit, CreatePermitInput, UpdatePermitInput, TransactionsUserError)),
    {
        "return_items": strawberry.mutation(
            resolver=return_items, description="Parts of items coming back; refused whole if any exceeds what is out."),
        "return_all_items": strawberry.mutation(
            resolver=return_all_items, description="Everything still out on a loan or borrow comes back."),
    },
)
