from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import BigInteger, DateTime, String, Text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from subgraphs.core.audit import audit_log_table
from subgraphs.core.db import RecordMixin, schema_base

Base = schema_base("media")
audit_log = audit_log_table(Base.metadata)


class Media(RecordMixin, Base):
    """One stored object and its Audubon Core description."""

    __tablename__ = "media"

    dc_type: Mapped[str] = mapped_column(String(50), default="StillImage")
    dc_format: Mapped[str] = mapped_column(String(150))
    caption: Mapped[str | None] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list, server_default="{}")
    license: Mapped[str | None] = mapped_column(String(500))
    rights_holder: Mapped[str | None] = mapped_column(String(500))
    original_filename: Mapped[str | None] = mapped_column(String(500))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    digitization_date: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    exif: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict, server_default="{}")
    # The creator lives in the agents subgraph: a federation reference by UUID.
    creator_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), index=True)


media = Media.__table__
