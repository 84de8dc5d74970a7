from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Date, Float, ForeignKey, String, Text
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import Mapped, mapped_column

from subgraphs.core.audit import audit_log_table
from subgraphs.core.db import RecordMixin, schema_base

Base = schema_base("collection")
audit_log = audit_log_table(Base.metadata)


class CollectingEvent(RecordMixin, Base):
    __tablename__ = "collecting_event"

    verbatim_event_date: Mapped[str | None] = mapped_column(String(250))
    start_event_date: Mapped[dt.date | None] = mapped_column(Date)
    end_event_date: Mapped[dt.date | None] = mapped_column(Date)
    verbatim_locality: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(200))
    country_code: Mapped[str | None] = mapped_column(String(2))
    state_province: Mapped[str | None] = mapped_column(String(200))
    decimal_latitude: Mapped[float | None] = mapped_column(Float)
    decimal_longitude: Mapped[float | None] = mapped_column(Float)
    # Agents live in another subgraph: ordered Person ids, resolved by federation.
    collector_ids: Mapped[list[uuid.UUID]] = mapped_column(
        ARRAY(UUID(as_uuid=True)), default=list, server_default="{}"
    )


class MaterialSample(RecordMixin, Base):
    __tablename__ = "material_sample"

    material_sample_name: Mapped[str] = mapped_column(String(250), index=True)
    collecting_event_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey(CollectingEvent.id), index=True
    )
    barcode: Mapped[str | None] = mapped_column(String(100))
    preparation_type: Mapped[str | None] = mapped_column(String(100))
    other_catalog_numbers: Mapped[list[str]] = mapped_column(
        ARRAY(Text), default=list, server_default="{}"
    )
    # Media live in another subgraph: ordered Media ids, resolved by federation.
    attachment_ids: Mapped[list[uuid.UUID]] = mapped_column(
        ARRAY(UUID(as_uuid=True)), default=list, server_default="{}"
    )


collecting_event = CollectingEvent.__table__
material_sample = MaterialSample.__table__
