from __future__ import annotations

import uuid

from sqlalchemy import Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from subgraphs.core.audit import audit_log_table
from subgraphs.core.db import RecordMixin, schema_base

Base = schema_base("molecular")
audit_log = audit_log_table(Base.metadata)


class Sequence(RecordMixin, Base):
    __tablename__ = "sequence"
    __table_args__ = (UniqueConstraint("accession", "accession_version"),)

    accession: Mapped[str] = mapped_column(String(50), index=True)
    accession_version: Mapped[int] = mapped_column(Integer, default=1)
    source_database: Mapped[str] = mapped_column(String(20), default="GenBank")
    definition: Mapped[str | None] = mapped_column(Text)
    organism: Mapped[str | None] = mapped_column(String(500))
    molecule_type: Mapped[str | None] = mapped_column(String(50))
    region: Mapped[str | None] = mapped_column(String(100))
    length: Mapped[int] = mapped_column(Integer)
    # zlib-compressed IUPAC residues; sha256 of the uncompressed, upper-case text.
    residues_zlib: Mapped[bytes] = mapped_column(LargeBinary)
    checksum_sha256: Mapped[str] = mapped_column(String(64))
    specimen_voucher: Mapped[str | None] = mapped_column(String(500))
    # The specimen lives in the collection subgraph: a federation reference by UUID.
    material_sample_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), index=True)


sequence = Sequence.__table__
