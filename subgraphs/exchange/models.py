"""Tables of cross-domain workflows (schema "exchange"): long-running import jobs."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import DateTime, String, Text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from subgraphs.core.data.db import RecordMixin, schema_base
from subgraphs.core.writes.audit import audit_log_table

Base = schema_base("exchange")
audit_log = audit_log_table(Base.metadata)


class ImportJob(RecordMixin, Base):
    __tablename__ = "import_job"

    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="queued")  # queued, running, succeeded, failed
    source_media_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    report: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict, server_default="{}")
    error: Mapped[str | None] = mapped_column(Text)
    finished_on: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # Refreshed while the job runs; a running job whose heartbeat stopped was interrupted.
    heartbeat_on: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


import_job = ImportJob.__table__
