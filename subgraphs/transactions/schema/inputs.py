"""Mutation inputs of the transactions subgraph."""

# No `from __future__ import annotations`: Strawberry reads these annotations as objects.
import datetime as dt
from decimal import Decimal
from enum import Enum

import strawberry

from .types import AgentRoleType, MaterialDirection, TransactionType


@strawberry.input
class AgentRoleInput:
    role: AgentRoleType
    agent_id: strawberry.ID = strawberry.field(description="A Person of the agents subgraph.")
    remarks: str | None = None


@strawberry.enum(description="The statuses a transaction can be set to (OVERDUE is computed, never set).")
class SettableStatus(Enum):
    OPEN = "OPEN"
    CLOSED = "CLOSED"


@strawberry.input
class TransactionFields:
    transaction_number: str | None = strawberry.field(
        default=strawberry.UNSET, description="Leave out to generate one from the number pattern.")
    material_direction: MaterialDirection | None = strawberry.field(
        default=strawberry.UNSET, description="Needed for gifts and exchanges; fixed for the other kinds.")
    status: SettableStatus | None = strawberry.field(
        default=strawberry.UNSET, description="OPEN or CLOSED; setting OPEN reopens a closed transaction.")
    purpose: str | None = strawberry.UNSET
    remarks: str | None = strawberry.UNSET
    opened_date: dt.date | None = strawberry.UNSET
    due_date: dt.date | None = strawberry.UNSET
    closed_date: dt.date | None = strawberry.UNSET
    collection_id: strawberry.ID | None = strawberry.UNSET
    counterparty_organization_id: strawberry.ID | None = strawberry.UNSET
    counterparty_name: str | None = strawberry.UNSET
    agent_roles: list[AgentRoleInput] | None = strawberry.UNSET


@strawberry.input
class CreateTransactionInput(TransactionFields):
    transaction_type: TransactionType
    group: str
    number_pattern: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="How to generate the number, e.g. L-{year}-{seq:04} (the default for loans).")


@strawberry.input
class UpdateTransactionInput(TransactionFields):
    id: strawberry.ID
    version: int = strawberry.field(description="The version you read; a newer one is a STALE_VERSION error.")


@strawberry.input
class TransactionItemFields:
    material_sample_id: strawberry.ID | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    quantity: int | None = strawberry.field(default=strawberry.UNSET, description="Parts of the lot; default 1.")
    condition: str | None = strawberry.UNSET
    remarks: str | None = strawberry.UNSET


@strawberry.input
class CreateTransactionItemInput(TransactionItemFields):
    transaction_id: strawberry.ID


@strawberry.input
class UpdateTransactionItemInput(TransactionItemFields):
    id: strawberry.ID
    version: int


@strawberry.input
class ShipmentFields:
    direction: MaterialDirection | None = strawberry.field(
        default=strawberry.UNSET, description="Default: the transaction's direction (a loan's return is IN).")
    shipping_method: str | None = strawberry.UNSET
    tracking_number: str | None = strawberry.UNSET
    shipped_date: dt.date | None = strawberry.UNSET
    received_date: dt.date | None = strawberry.UNSET
    number_of_packages: int | None = strawberry.UNSET
    weight_kg: float | None = strawberry.UNSET
    insured_value: Decimal | None = strawberry.UNSET
    insured_value_currency: str | None = strawberry.UNSET
    shipper_id: strawberry.ID | None = strawberry.UNSET
    receiver_id: strawberry.ID | None = strawberry.UNSET
    remarks: str | None = strawberry.UNSET


@strawberry.input
class CreateShipmentInput(ShipmentFields):
    transaction_id: strawberry.ID


@strawberry.input
class UpdateShipmentInput(ShipmentFields):
    id: strawberry.ID
    version: int


@strawberry.input
class PermitFields:
    permit_number: str | None = strawberry.UNSET
    permit_type: str | None = strawberry.field(default=strawberry.UNSET, description="e.g. CITES export, ABS agreement.")
    issuer: str | None = strawberry.UNSET
    issued_date: dt.date | None = strawberry.UNSET
    expiry_date: dt.date | None = strawberry.UNSET
    scan_media_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="A Media record of the media subgraph: the scanned permit.")
    remarks: str | None = strawberry.UNSET


@strawberry.input
class CreatePermitInput(PermitFields):
    transaction_id: strawberry.ID
    permit_number: str


@strawberry.input
class UpdatePermitInput(PermitFields):
    id: strawberry.ID
    version: int


@strawberry.input(description="Parts of one item coming back.")
class ItemReturnInput:
    item_id: strawberry.ID
    version: int = strawberry.field(description="The item's version you read.")
    quantity: int | None = strawberry.field(default=None, description="Default: everything still out.")
    condition: str | None = None


@strawberry.input
class ReturnItemsInput:
    transaction_id: strawberry.ID
    returns: list[ItemReturnInput]
    returned_date: dt.date | None = strawberry.field(default=None, description="Default: today (UTC).")


@strawberry.input
class ReturnAllItemsInput:
    transaction_id: strawberry.ID
    returned_date: dt.date | None = None
    condition: str | None = None
