"""Tables of the transactions schema. Samples, people, organisations, collections and media are
other domains' records, held here by UUID only."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, Float, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from subgraphs.core.data.db import RecordMixin, UuidArray, schema_base
from subgraphs.core.writes.audit import audit_log_table

Base = schema_base("transactions")
audit_log = audit_log_table(Base.metadata)


class Transaction(RecordMixin, Base):
    """A loan, borrow, gift, exchange, accession or deaccession: material moving in or out."""

    __tablename__ = "transaction"
    __table_args__ = (
        UniqueConstraint("number_scope", "transaction_number"),
        Index(None, "agent_ids", postgresql_using="gin"),
    )

    transaction_type: Mapped[str] = mapped_column(String(20), index=True)
    material_direction: Mapped[str] = mapped_column(String(3))  # IN or OUT
    transaction_number: Mapped[str] = mapped_column(String(100))
    # Numbers are unique per collection (or per group, for a transaction of no collection).
    number_scope: Mapped[str] = mapped_column(String(200))
    collection_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    status: Mapped[str] = mapped_column(String(20), index=True)  # OPEN or CLOSED; OVERDUE is computed
    purpose: Mapped[str | None] = mapped_column(Text)
    remarks: Mapped[str | None] = mapped_column(Text)
    opened_date: Mapped[dt.date] = mapped_column(Date)
    due_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    closed_date: Mapped[dt.date | None] = mapped_column(Date)
    counterparty_organization_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    counterparty_name: Mapped[str | None] = mapped_column(String(500))
    # [{"role": "REQUESTER", "agentId": "…", "remarks": …}, …]; agent_ids repeats the ids for lookups.
    agent_roles: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list, server_default="[]")
    agent_ids: Mapped[list[uuid.UUID]] = mapped_column(UuidArray(), default=list, server_default="{}")
    # Parts lent and not yet back, summed over the items; kept by the service with every item write.
    items_outstanding: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class TransactionItem(RecordMixin, Base):
    """Material in a transaction: a sample (or a described lot), how many parts, what came back."""

    __tablename__ = "transaction_item"

    transaction_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("transaction.id"), index=True)
    material_sample_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    quantity: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    quantity_returned: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    returned_date: Mapped[dt.date | None] = mapped_column(Date)
    condition: Mapped[str | None] = mapped_column(Text)  # as it went
    return_condition: Mapped[str | None] = mapped_column(Text)
    remarks: Mapped[str | None] = mapped_column(Text)


class Shipment(RecordMixin, Base):
    __tablename__ = "shipment"

    transaction_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("transaction.id"), index=True)
    direction: Mapped[str] = mapped_column(String(3))  # IN or OUT, as the material moves
    shipping_method: Mapped[str | None] = mapped_column(String(200))
    tracking_number: Mapped[str | None] = mapped_column(String(200))
    shipped_date: Mapped[dt.date | None] = mapped_column(Date)
    received_date: Mapped[dt.date | None] = mapped_column(Date)
    number_of_packages: Mapped[int | None] = mapped_column(Integer)
    weight_kg: Mapped[float | None] = mapped_column(Float)
    insured_value: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    insured_value_currency: Mapped[str | None] = mapped_column(String(3))  # ISO 4217
    shipper_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    receiver_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    remarks: Mapped[str | None] = mapped_column(Text)


class Permit(RecordMixin, Base):
    """A permit or agreement (collecting, export, CITES, access and benefit sharing) of a transaction."""

    __tablename__ = "permit"

    transaction_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("transaction.id"), index=True)
    permit_number: Mapped[str] = mapped_column(String(200))
    permit_type: Mapped[str | None] = mapped_column(String(200))
    issuer: Mapped[str | None] = mapped_column(String(500))
    issued_date: Mapped[dt.date | None] = mapped_column(Date)
    expiry_date: Mapped[dt.date | None] = mapped_column(Date)
    scan_media_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    remarks: Mapped[str | None] = mapped_column(Text)


class NumberSequence(Base):
    """The last sequence number given per number scope and pattern prefix: generated numbers are never reused."""

    __tablename__ = "number_sequence"

    number_scope: Mapped[str] = mapped_column(String(200), primary_key=True)
    prefix: Mapped[str] = mapped_column(String(200), primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer)
