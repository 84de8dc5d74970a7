"""GraphQL types of the transactions subgraph, and the other domains' entities it points at or extends."""

# No `from __future__ import annotations`: Strawberry reads these annotations as objects.
import datetime as dt
import uuid
from decimal import Decimal
from enum import Enum

import strawberry
from strawberry.federation.schema_directives import Key

from subgraphs.core.data.lean import Reads
from subgraphs.core.execution.context import Info
from subgraphs.core.schema.fields import (
    batched_field,
    entity_resolver,
    extension_resolver,
    history_field,
    load_by_id,
    load_list,
)

from .. import service
from ..loaders import (
    ItemsByTransactionIdLoader,
    LoanItemsByMaterialSampleIdLoader,
    OpenLoanItemsByMaterialSampleIdLoader,
    PermitsByTransactionIdLoader,
    ShipmentsByTransactionIdLoader,
    TransactionByIdLoader,
    TransactionItemByIdLoader,
    TransactionsAuditByRecordIdLoader,
    TransactionsByAgentIdLoader,
)

History = history_field(TransactionsAuditByRecordIdLoader)


@strawberry.enum(description="What kind of transaction: DINA's transactionType, Specify's interactions.")
class TransactionType(Enum):
    LOAN = "LOAN"
    BORROW = "BORROW"
    GIFT = "GIFT"
    EXCHANGE = "EXCHANGE"
    ACCESSION = "ACCESSION"
    DEACCESSION = "DEACCESSION"


@strawberry.enum(description="Which way the material moves: IN to this institution or OUT of it.")
class MaterialDirection(Enum):
    IN = "IN"
    OUT = "OUT"


@strawberry.enum(description="OVERDUE is computed: an open loan or borrow past its due date with parts not back.")
class TransactionStatus(Enum):
    OPEN = "OPEN"
    OVERDUE = "OVERDUE"
    CLOSED = "CLOSED"


@strawberry.enum(description="What a person did in a transaction.")
class AgentRoleType(Enum):
    REQUESTER = "REQUESTER"
    BORROWER = "BORROWER"
    AUTHORIZER = "AUTHORIZER"
    RECEIVER = "RECEIVER"
    SHIPPER = "SHIPPER"
    CONTACT = "CONTACT"


@strawberry.federation.type(keys=[Key(fields="id", resolvable=False)])
class Organization:
    id: strawberry.ID


@strawberry.federation.type(keys=[Key(fields="id", resolvable=False)])
class Media:
    id: strawberry.ID


@strawberry.federation.type(keys=[Key(fields="id", resolvable=False)])
class Collection:
    id: strawberry.ID


@strawberry.type(description="A person in a role on a transaction.")
class AgentRole:
    role: AgentRoleType
    agent: "Person"
    remarks: str | None


@strawberry.federation.type(keys=["id"], description="Material in a transaction, and what came back when.")
class TransactionItem:
    id: strawberry.ID
    description: str | None = strawberry.field(description="The lot, when it is no catalogued sample.")
    quantity: int = strawberry.field(description="Parts (specimens of a lot) sent or received.")
    quantity_returned: int
    returned_date: dt.date | None = strawberry.field(description="When parts last came back.")
    condition: str | None = strawberry.field(description="Condition when it went.")
    return_condition: str | None
    remarks: str | None
    group: str
    version: int
    transaction_id: strawberry.Private[uuid.UUID]
    material_sample_id: strawberry.Private[uuid.UUID | None]

    resolve_reference = entity_resolver(TransactionItemByIdLoader)
    history = History

    @strawberry.field(description="Parts still out.", extensions=[Reads("quantity", "quantity_returned")])
    def quantity_outstanding(self) -> int:
        return self.quantity - self.quantity_returned

    @strawberry.field(description="The sample, from the collection subgraph.",
                      extensions=[Reads("material_sample_id")])
    def material_sample(self) -> "MaterialSample | None":
        return MaterialSample(id=self.material_sample_id) if self.material_sample_id else None

    @strawberry.field
    async def transaction(self, info: Info) -> "Transaction | None":
        return await load_by_id(info, TransactionByIdLoader, Transaction, self.transaction_id)


@strawberry.federation.type(keys=["id"], description="A loan, borrow, gift, exchange, accession or deaccession.")
class Transaction:
    id: strawberry.ID
    transaction_number: str = strawberry.field(description="Unique per collection, e.g. L-2026-0001.")
    transaction_type: TransactionType
    material_direction: MaterialDirection
    purpose: str | None
    remarks: str | None
    opened_date: dt.date
    due_date: dt.date | None
    closed_date: dt.date | None
    counterparty_name: str | None = strawberry.field(description="The other institution, as written.")
    items_outstanding: int = strawberry.field(description="Parts sent and not back yet, over all items.")
    group: str
    created_on: dt.datetime
    version: int
    stored_status: strawberry.Private[str]
    collection_id: strawberry.Private[uuid.UUID | None]
    counterparty_organization_id: strawberry.Private[uuid.UUID | None]
    agent_roles_json: strawberry.Private[list[dict]]
    __columns__ = {"stored_status": "status", "agent_roles_json": "agent_roles"}

    resolve_reference = entity_resolver(TransactionByIdLoader)
    history = History

    @strawberry.field(description="OPEN, CLOSED, or OVERDUE (computed, and filterable as such).",
                      extensions=[Reads("stored_status", "transaction_type", "due_date", "items_outstanding")])
    def status(self) -> TransactionStatus:
        return TransactionStatus(service.effective_status(
            self.stored_status, self.transaction_type, self.due_date,
            self.items_outstanding))

    @strawberry.field(description="True for loans and borrows: their material has to come back.",
                      extensions=[Reads("transaction_type")])
    def material_to_be_returned(self) -> bool:
        return service.returnable(self.transaction_type)

    @strawberry.field(description="The collection whose material this is.",
                      extensions=[Reads("collection_id")])
    def collection(self) -> Collection | None:
        return Collection(id=self.collection_id) if self.collection_id else None

    @strawberry.field(description="The other institution, from the agents subgraph.",
                      extensions=[Reads("counterparty_organization_id")])
    def counterparty(self) -> Organization | None:
        oid = self.counterparty_organization_id
        return Organization(id=oid) if oid else None

    @strawberry.field(description="People in their roles: requester, borrower, authorizer, receiver, shipper.",
                      extensions=[Reads("agent_roles_json")])
    def agent_roles(self, role: AgentRoleType | None = None) -> list[AgentRole]:
        return [AgentRole(role=AgentRoleType(r["role"]), agent=Person(id=r["agentId"]), remarks=r.get("remarks"))
                for r in self.agent_roles_json if role is None or r["role"] == role.value]

    items = batched_field(ItemsByTransactionIdLoader, TransactionItem, list[TransactionItem],
                          description="The material: samples or described lots, oldest first.")

    @strawberry.field
    async def shipments(self, info: Info) -> list["Shipment"]:
        return await load_list(info, ShipmentsByTransactionIdLoader, Shipment, self.id)

    @strawberry.field(description="Permits and agreements (collecting, export, CITES, access and benefit sharing).")
    async def permits(self, info: Info) -> list["Permit"]:
        return await load_list(info, PermitsByTransactionIdLoader, Permit, self.id)


@strawberry.type(description="A parcel going out or coming in.")
class Shipment:
    id: strawberry.ID
    direction: MaterialDirection
    shipping_method: str | None = strawberry.field(description="e.g. courier, registered post, hand carried.")
    tracking_number: str | None
    shipped_date: dt.date | None
    received_date: dt.date | None
    number_of_packages: int | None
    weight_kg: float | None
    insured_value: Decimal | None
    insured_value_currency: str | None = strawberry.field(description="ISO 4217, e.g. EUR.")
    remarks: str | None
    group: str
    version: int
    shipper_id: strawberry.Private[uuid.UUID | None]
    receiver_id: strawberry.Private[uuid.UUID | None]

    history = History

    @strawberry.field(extensions=[Reads("shipper_id")])
    def shipper(self) -> "Person | None":
        return Person(id=self.shipper_id) if self.shipper_id else None

    @strawberry.field(extensions=[Reads("receiver_id")])
    def receiver(self) -> "Person | None":
        return Person(id=self.receiver_id) if self.receiver_id else None


@strawberry.type(description="A permit or agreement: collecting, export, CITES, access and benefit sharing.")
class Permit:
    id: strawberry.ID
    permit_number: str
    permit_type: str | None
    issuer: str | None
    issued_date: dt.date | None
    expiry_date: dt.date | None
    remarks: str | None
    group: str
    version: int
    scan_media_id: strawberry.Private[uuid.UUID | None]

    history = History

    @strawberry.field(description="The scanned permit, from the media subgraph.",
                      extensions=[Reads("scan_media_id")])
    def scan(self) -> Media | None:
        return Media(id=self.scan_media_id) if self.scan_media_id else None


@strawberry.federation.type(keys=["id"], description="Transactions' view of a material sample: its loans.")
class MaterialSample:
    id: strawberry.ID

    resolve_reference = extension_resolver()

    loan_history = batched_field(LoanItemsByMaterialSampleIdLoader, TransactionItem, list[TransactionItem],
                                 description="Every loan this sample went out on, oldest first.")
    on_loan = batched_field(OpenLoanItemsByMaterialSampleIdLoader, TransactionItem, bool, pick=bool,
                            description="Out on an open loan and not back yet (dwc:disposition 'on loan').")


@strawberry.federation.type(keys=["id"], description="Transactions' view of a person: the transactions they took part in.")
class Person:
    id: strawberry.ID

    resolve_reference = extension_resolver()

    @strawberry.field(description="Transactions this person has a role in, oldest first.")
    async def transactions(self, info: Info) -> list[Transaction]:
        return await load_list(info, TransactionsByAgentIdLoader, Transaction, self.id)


ENTITY_TYPES = [Transaction, TransactionItem, MaterialSample, Person, Organization, Media, Collection]
