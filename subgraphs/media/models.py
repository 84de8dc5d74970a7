from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import BigInteger, DateTime, Integer, String, Text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from subgraphs.core.data.db import RecordMixin, schema_base
from subgraphs.core.writes.audit import audit_log_table

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
    # Unknown (None) for remote media, whose bytes are not in the store.
    size_bytes: Mapped[int | None] = mapped_column(BigInteger)
    sha256: Mapped[str | None] = mapped_column(String(64))
    digitization_date: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    exif: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict, server_default="{}")
    # The creator lives in the agents subgraph: a federation reference by UUID.
    creator_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), index=True)
    # Where the bytes are: the original's key, or a remote URL (records imported from archives).
    object_key: Mapped[str | None] = mapped_column(String(500))
    access_uri: Mapped[str | None] = mapped_column(String(2000))
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    orientation: Mapped[int | None] = mapped_column(Integer)
    # [{"variant": "thumbnail", "key": …, "width": …, "height": …, "dcFormat": "image/jpeg"}, …]
    derivatives: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list, server_default="[]")
    # The multimedia extension row a record was imported from, every term kept.
    source_record: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict, server_default="{}")


class ObjectUpload(RecordMixin, Base):
    """An upload announced by createUpload; completeUpload verifies it and makes the Media."""

    __tablename__ = "object_upload"

    filename: Mapped[str] = mapped_column(String(500))
    media_type: Mapped[str] = mapped_column(String(150))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    object_key: Mapped[str] = mapped_column(String(500), unique=True)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


media = Media.__table__
object_upload = ObjectUpload.__table__
