from __future__ import annotations

from typing import Any

from sqlalchemy import Select

from subgraphs.core.data.loaders import (
    AuditByRecordIdLoader,
    RowByIdLoader,
    RowsByArrayMemberLoader,
    RowsByParentLoader,
    Visibility,
)

from . import repository
from .repository import item, permit, shipment, transaction


class TransactionByIdLoader(RowByIdLoader):
    table = transaction


class TransactionItemByIdLoader(RowByIdLoader):
    table = item


class ItemsByTransactionIdLoader(RowsByParentLoader):
    table = item
    parent_column = "transaction_id"


class ShipmentsByTransactionIdLoader(RowsByParentLoader):
    table = shipment
    parent_column = "transaction_id"


class PermitsByTransactionIdLoader(RowsByParentLoader):
    table = permit
    parent_column = "transaction_id"


class TransactionsByAgentIdLoader(RowsByArrayMemberLoader):
    table = transaction
    array_column = "agent_ids"


class LoanItemsByMaterialSampleIdLoader(RowsByParentLoader):
    """A sample's items on loans, oldest first: its loan history."""

    table = item
    parent_column = "material_sample_id"

    @classmethod
    def rows(cls, _: Visibility) -> Select[Any]:
        return repository.loan_items()


class OpenLoanItemsByMaterialSampleIdLoader(LoanItemsByMaterialSampleIdLoader):
    """A sample's items out on an open loan and not yet back (at most one: the service sees to it)."""

    @classmethod
    def rows(cls, _: Visibility) -> Select[Any]:
        return repository.open_loan_items()


class TransactionsAuditByRecordIdLoader(AuditByRecordIdLoader):
    table = repository.audit
