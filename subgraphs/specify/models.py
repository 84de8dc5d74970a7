"""The broker's one table: which Specify agent is which Person of this graph (a recorded mapping)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import DateTime, String, func
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from subgraphs.core.data.db import schema_base

Base = schema_base("specify")


class AgentLink(Base):
    """A Specify agent (by its GUID, stable across Specify's ids) recorded as a Person of the agents subgraph."""

    __tablename__ = "agent_link"

    specify_agent_guid: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[uuid.UUID] = mapped_column(UUID)
    linked_by: Mapped[str] = mapped_column(String(200))
    linked_on: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
