"""Tables of the reports schema: report templates (their versions go to its audit log) and render jobs."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from subgraphs.core.data.db import RecordMixin, schema_base
from subgraphs.core.writes.audit import audit_log_table

Base = schema_base("reports")
audit_log = audit_log_table(Base.metadata)


class ReportTemplate(RecordMixin, Base):
    __tablename__ = "report_template"
    __table_args__ = (UniqueConstraint("group", "name"),)

    name: Mapped[str] = mapped_column(String(200), index=True)
    # MATERIAL_SAMPLE_LABEL, STORAGE_UNIT_LABEL, DETERMINATION_SLIP (one label per record) or REPORT (one document).
    kind: Mapped[str] = mapped_column(String(40))
    description: Mapped[str | None] = mapped_column(Text)
    # The GraphQL document run through the router with the requester's own token; its first root field
    # gives the records (a connection's nodes or a list).
    query: Mapped[str] = mapped_column(Text)
    # Sandboxed Jinja2 HTML: of one label (variables item, index) or of the whole report (variable data).
    body: Mapped[str] = mapped_column(Text)
    stylesheet: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Sheet geometry in mm (layout.Layout): page, label size, columns × rows, margins, gaps.
    layout: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict, server_default="{}")


class ReportJob(RecordMixin, Base):
    """A render too large to answer at once, run in the background: queued → running → succeeded/failed."""

    __tablename__ = "report_job"

    template_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    status: Mapped[str] = mapped_column(String(20), default="queued")
    total: Mapped[int] = mapped_column(Integer)
    done: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # labels typeset so far
    # What a render answers at once (service.Rendered), once it succeeded.
    result: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    error: Mapped[str | None] = mapped_column(Text)
    finished_on: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
