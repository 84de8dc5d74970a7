from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from subgraphs.core.data.db import RecordMixin, UuidArray, schema_base
from subgraphs.core.writes.audit import audit_log_table

Base = schema_base("molecular")
audit_log = audit_log_table(Base.metadata)

UUIDS = UuidArray()


class Region(RecordMixin, Base):
    """A marker or gene region (COI-5P, 16S rRNA, ITS)."""

    __tablename__ = "region"
    __table_args__ = (UniqueConstraint("group", "name"),)  # names are unique per group, not across groups

    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)


class PcrPrimer(RecordMixin, Base):
    __tablename__ = "pcr_primer"
    __table_args__ = (UniqueConstraint("group", "name"),)  # names are unique per group, not across groups

    name: Mapped[str] = mapped_column(String(100))
    direction: Mapped[str] = mapped_column(String(10))
    sequence: Mapped[str] = mapped_column(String(200))
    region_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(Region.id), index=True)


class PcrBatch(RecordMixin, Base):
    __tablename__ = "pcr_batch"
    __table_args__ = (UniqueConstraint("group", "name"),)  # names are unique per group, not across groups

    name: Mapped[str] = mapped_column(String(200))
    region_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(Region.id), index=True)
    primer_ids: Mapped[list[uuid.UUID]] = mapped_column(UUIDS, default=list, server_default="{}")
    thermocycler: Mapped[str | None] = mapped_column(String(200))
    protocol: Mapped[str | None] = mapped_column(Text)
    reaction_date: Mapped[dt.date | None] = mapped_column(Date)
    # People live in the agents subgraph.
    experimenter_ids: Mapped[list[uuid.UUID]] = mapped_column(UUIDS, default=list, server_default="{}")


class PcrReaction(RecordMixin, Base):
    __tablename__ = "pcr_reaction"
    __table_args__ = (UniqueConstraint("pcr_batch_id", "well"),)

    pcr_batch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(PcrBatch.id), index=True)
    well: Mapped[str] = mapped_column(String(3))
    material_sample_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), index=True)
    result: Mapped[str | None] = mapped_column(String(100))


class SeqBatch(RecordMixin, Base):
    __tablename__ = "seq_batch"
    __table_args__ = (UniqueConstraint("group", "name"),)  # names are unique per group, not across groups

    name: Mapped[str] = mapped_column(String(200))
    sequencing_type: Mapped[str | None] = mapped_column(String(50))
    run_date: Mapped[dt.date | None] = mapped_column(Date)


class SeqReaction(RecordMixin, Base):
    __tablename__ = "seq_reaction"
    __table_args__ = (UniqueConstraint("seq_batch_id", "well"),)

    seq_batch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(SeqBatch.id), index=True)
    pcr_reaction_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(PcrReaction.id), index=True)
    primer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(PcrPrimer.id))
    well: Mapped[str] = mapped_column(String(3))


class Sequence(RecordMixin, Base):
    __tablename__ = "sequence"
    # Unique within a group (another group keeps its own copy), per span of the accession.
    __table_args__ = (UniqueConstraint("group", "accession", "accession_version", "source_location"),)
    __audit_exclude__ = ("residues",)  # megabases per version; checksum_sha256 identifies them

    accession: Mapped[str] = mapped_column(String(50), index=True)
    accession_version: Mapped[int] = mapped_column(Integer, default=1)
    # The span of the accession this sequence is, as an NCBI gene FASTA header gives it ("87-1109",
    # "c5888-4815" on the complement strand); '' for the whole record.
    source_location: Mapped[str] = mapped_column(String(100), default="", server_default="")
    source_database: Mapped[str] = mapped_column(String(20), default="GenBank")
    definition: Mapped[str | None] = mapped_column(Text)
    organism: Mapped[str | None] = mapped_column(String(500))
    molecule_type: Mapped[str | None] = mapped_column(String(50))
    region: Mapped[str | None] = mapped_column(String(100))
    region_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(Region.id), index=True)
    length: Mapped[int] = mapped_column(Integer)
    # Plain text: PostgreSQL compresses it (TOAST), and substr() slices it without shipping it all.
    residues: Mapped[str] = mapped_column(Text)
    checksum_sha256: Mapped[str] = mapped_column(String(64))
    specimen_voucher: Mapped[str | None] = mapped_column(String(500))
    db_xrefs: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list, server_default="{}")
    submitters: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list, server_default="{}")
    # [{"authors": …, "title": …, "journal": …, "pubmed": …}], as the record gives them.
    publications: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list, server_default="[]")
    # The source feature's qualifiers (country, lat_lon, collection_date, collected_by, …) as found.
    source_qualifiers: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict, server_default="{}")
    # MIENS/MIxS and other structured comments: {"MIENS-Data": {"collection_date": …}}.
    structured_comments: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict, server_default="{}")
    # The specimen lives in the collection subgraph: a federation reference by UUID.
    material_sample_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), index=True)


region = Region.__table__
pcr_primer = PcrPrimer.__table__
pcr_batch = PcrBatch.__table__
pcr_reaction = PcrReaction.__table__
seq_batch = SeqBatch.__table__
seq_reaction = SeqReaction.__table__
sequence = Sequence.__table__
