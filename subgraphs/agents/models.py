from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from subgraphs.core.audit import audit_log_table
from subgraphs.core.db import RecordMixin, schema_base

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


person = Person.__table__
