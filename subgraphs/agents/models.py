from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import String, Text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from subgraphs.core.data.db import RecordMixin, UuidArray, schema_base
from subgraphs.core.writes.audit import audit_log_table

Base = schema_base("agents")
audit_log = audit_log_table(Base.metadata)


class Person(RecordMixin, Base):
    __tablename__ = "person"

    display_name: Mapped[str] = mapped_column(String(500), index=True)
    given_names: Mapped[str | None] = mapped_column(String(500))
    family_names: Mapped[str | None] = mapped_column(String(500))
    aliases: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list, server_default="{}")
    email: Mapped[str | None] = mapped_column(String(320))
    webpage: Mapped[str | None] = mapped_column(String(2000))
    remarks: Mapped[str | None] = mapped_column(Text)
    # [{"scheme": "ORCID", "value": "0000-0002-1825-0097"}, …], validated per scheme on write.
    identifiers: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list, server_default="[]")
    organization_ids: Mapped[list[uuid.UUID]] = mapped_column(
        UuidArray(), default=list, server_default="{}"
    )


class Organization(RecordMixin, Base):
    __tablename__ = "organization"

    # [{"languageCode": "en", "name": "Natural History Museum"}, …]; the first is the display name.
    names: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    display_name: Mapped[str] = mapped_column(String(500), index=True)
    aliases: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list, server_default="{}")
    remarks: Mapped[str | None] = mapped_column(Text)


person = Person.__table__
organization = Organization.__table__
