"""Tables of the NGS workflow, in the molecular schema. Samples, people, storage and media are other
domains' records, held here by UUID only."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import CheckConstraint, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from subgraphs.core.data.db import RecordMixin

from ..models import UUIDS, Base


class IndexSet(RecordMixin, Base):
    """A kit of index adapters (Nextera XT v2, TruSeq), as its supplier publishes it."""

    __tablename__ = "index_set"
    __table_args__ = (UniqueConstraint("group", "name"),)

    name: Mapped[str] = mapped_column(String(200))
    supplier: Mapped[str | None] = mapped_column(String(200))
    forward_adapter: Mapped[str | None] = mapped_column(String(200))
    reverse_adapter: Mapped[str | None] = mapped_column(String(200))
    remarks: Mapped[str | None] = mapped_column(Text)


class NgsIndex(RecordMixin, Base):
    """One index of a set: i7 (index 1) or i5 (index 2), its bases on the forward strand."""

    __tablename__ = "ngs_index"
    __table_args__ = (UniqueConstraint("index_set_id", "name"),)

    index_set_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(IndexSet.id), index=True)
    name: Mapped[str] = mapped_column(String(100))
    direction: Mapped[str] = mapped_column(String(2))  # I7 or I5
    sequence: Mapped[str] = mapped_column(String(50))
    lot_number: Mapped[str | None] = mapped_column(String(100))


class SequencingFacility(RecordMixin, Base):
    __tablename__ = "sequencing_facility"
    __table_args__ = (UniqueConstraint("group", "name"),)

    name: Mapped[str] = mapped_column(String(200))
    contact_person_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    address: Mapped[str | None] = mapped_column(Text)
    remarks: Mapped[str | None] = mapped_column(Text)


class LibraryPrepBatch(RecordMixin, Base):
    """Libraries made together on one plate: kit, protocol, thermocycler profile, index set, layout."""

    __tablename__ = "library_prep_batch"
    __table_args__ = (UniqueConstraint("group", "name"),
                      CheckConstraint("plate_rows BETWEEN 1 AND 16 AND plate_columns BETWEEN 1 AND 24", "layout"))

    name: Mapped[str] = mapped_column(String(200))
    kit: Mapped[str | None] = mapped_column(String(200))
    protocol: Mapped[str | None] = mapped_column(Text)
    thermocycler_profile: Mapped[str | None] = mapped_column(String(200))
    index_set_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(IndexSet.id), index=True)
    plate_rows: Mapped[int] = mapped_column(Integer, default=8, server_default="8")
    plate_columns: Mapped[int] = mapped_column(Integer, default=12, server_default="12")
    storage_unit_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))  # collection's StorageUnit
    prep_date: Mapped[dt.date | None] = mapped_column(Date)
    experimenter_ids: Mapped[list[uuid.UUID]] = mapped_column(UUIDS, default=list, server_default="{}")
    remarks: Mapped[str | None] = mapped_column(Text)


class LibraryPrep(RecordMixin, Base):
    """One library: the sample it was made from, its well, its i7/i5 indexes, input, size, quality."""

    __tablename__ = "library_prep"
    __table_args__ = (UniqueConstraint("library_prep_batch_id", "well"),)

    library_prep_batch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(LibraryPrepBatch.id), index=True)
    name: Mapped[str] = mapped_column(String(200))  # the sample sheet's Sample_ID
    sample_name: Mapped[str | None] = mapped_column(String(200))  # Sample_Name, as written
    material_sample_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), index=True)
    well: Mapped[str | None] = mapped_column(String(3))
    i7_index_name: Mapped[str | None] = mapped_column(String(100))
    i7_sequence: Mapped[str | None] = mapped_column(String(50))
    i5_index_name: Mapped[str | None] = mapped_column(String(100))
    i5_sequence: Mapped[str | None] = mapped_column(String(50))
    input_ng: Mapped[float | None] = mapped_column(Float)
    size_bp: Mapped[int | None] = mapped_column(Integer)
    quality: Mapped[str | None] = mapped_column(String(100))
    project: Mapped[str | None] = mapped_column(String(200))  # Sample_Project
    description: Mapped[str | None] = mapped_column(Text)
    remarks: Mapped[str | None] = mapped_column(Text)


class LibraryPool(RecordMixin, Base):
    __tablename__ = "library_pool"
    __table_args__ = (UniqueConstraint("group", "name"),)

    name: Mapped[str] = mapped_column(String(200))
    pool_date: Mapped[dt.date | None] = mapped_column(Date)
    remarks: Mapped[str | None] = mapped_column(Text)


class LibraryPoolContent(RecordMixin, Base):
    """A library, or another pool, in a pool."""

    __tablename__ = "library_pool_content"
    __table_args__ = (
        CheckConstraint("(library_prep_id IS NULL) <> (pooled_library_pool_id IS NULL)", "one_kind"),
        UniqueConstraint("library_pool_id", "library_prep_id", name="uq_library_pool_content_library"),
        UniqueConstraint("library_pool_id", "pooled_library_pool_id", name="uq_library_pool_content_pool"),
    )

    library_pool_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(LibraryPool.id), index=True)
    library_prep_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(LibraryPrep.id), index=True)
    pooled_library_pool_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(LibraryPool.id), index=True)


class SequencingRun(RecordMixin, Base):
    """SeqDB's MolecularAnalysisRun: one run of an instrument, its sheet's header and settings, its results."""

    __tablename__ = "sequencing_run"
    __table_args__ = (UniqueConstraint("group", "name"),)

    name: Mapped[str] = mapped_column(String(200))
    instrument_type: Mapped[str | None] = mapped_column(String(200))
    instrument: Mapped[str | None] = mapped_column(String(200))
    run_date: Mapped[dt.date | None] = mapped_column(Date)
    sequencing_facility_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(SequencingFacility.id), index=True)
    run_folder: Mapped[str | None] = mapped_column(Text)
    flowcell: Mapped[str | None] = mapped_column(String(100))
    read_cycles: Mapped[list[int]] = mapped_column(ARRAY(Integer), default=list, server_default="{}")
    index_cycles: Mapped[list[int]] = mapped_column(ARRAY(Integer), default=list, server_default="{}")
    # Mismatches the demultiplexer allows per index read: indexes closer than twice this collide.
    barcode_mismatches: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The sheet's [Header] and settings as found ({"Workflow": "GenerateFASTQ", …}), for a faithful export.
    header: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict, server_default="{}")
    settings: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict, server_default="{}")
    report_media_ids: Mapped[list[uuid.UUID]] = mapped_column(UUIDS, default=list, server_default="{}")
    # Where the reads are, when not here: an SRA/ENA run accession, a URL.
    external_uris: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list, server_default="{}")
    remarks: Mapped[str | None] = mapped_column(Text)


class SequencingRunItem(RecordMixin, Base):
    """What a run read on a lane: a pool, or a library (with the pool it came in, if any) and the reads it got."""

    __tablename__ = "sequencing_run_item"
    __table_args__ = (CheckConstraint("library_prep_id IS NOT NULL OR library_pool_id IS NOT NULL", "subject"),)

    sequencing_run_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(SequencingRun.id), index=True)
    lane: Mapped[int | None] = mapped_column(Integer)
    library_prep_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(LibraryPrep.id), index=True)
    library_pool_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(LibraryPool.id), index=True)
    read_count: Mapped[int | None] = mapped_column(Integer)
    result_media_ids: Mapped[list[uuid.UUID]] = mapped_column(UUIDS, default=list, server_default="{}")
    external_uris: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list, server_default="{}")


class QualityControl(RecordMixin, Base):
    """A QC measurement of a library or a pool (Qubit, Bioanalyzer, TapeStation), with its traces."""

    __tablename__ = "quality_control"
    __table_args__ = (CheckConstraint("(library_prep_id IS NULL) <> (library_pool_id IS NULL)", "one_kind"),)

    library_prep_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(LibraryPrep.id), index=True)
    library_pool_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(LibraryPool.id), index=True)
    qc_type: Mapped[str] = mapped_column(String(100))
    value: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(50))
    passed: Mapped[bool | None] = mapped_column()
    measured_on: Mapped[dt.date | None] = mapped_column(Date)
    attachment_media_ids: Mapped[list[uuid.UUID]] = mapped_column(UUIDS, default=list, server_default="{}")
    remarks: Mapped[str | None] = mapped_column(Text)


class PreLibraryPrep(RecordMixin, Base):
    """Shearing or size selection of a sample's DNA before its library is made."""

    __tablename__ = "pre_library_prep"

    pre_library_prep_type: Mapped[str] = mapped_column(String(20))  # SHEARING or SIZE_SELECTION
    material_sample_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), index=True)
    library_prep_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(LibraryPrep.id), index=True)
    input_amount_ng: Mapped[float | None] = mapped_column(Float)
    concentration_ng_per_ul: Mapped[float | None] = mapped_column(Float)
    target_bp_size: Mapped[int | None] = mapped_column(Integer)
    average_fragment_size: Mapped[int | None] = mapped_column(Integer)
    quality: Mapped[str | None] = mapped_column(String(100))
    product: Mapped[str | None] = mapped_column(String(200))  # e.g. Covaris microTUBE, AMPure XP
    protocol: Mapped[str | None] = mapped_column(Text)
    remarks: Mapped[str | None] = mapped_column(Text)


class MetagenomicsBatch(RecordMixin, Base):
    """Libraries (amplicon or shotgun) processed together for metagenomics."""

    __tablename__ = "metagenomics_batch"
    __table_args__ = (UniqueConstraint("group", "name"),)

    name: Mapped[str] = mapped_column(String(200))
    protocol: Mapped[str | None] = mapped_column(Text)
    index_set_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(IndexSet.id), index=True)
    remarks: Mapped[str | None] = mapped_column(Text)


class MetagenomicsBatchItem(RecordMixin, Base):
    __tablename__ = "metagenomics_batch_item"
    __table_args__ = (UniqueConstraint("metagenomics_batch_id", "library_prep_id", name="uq_metagenomics_batch_item_library"),)

    metagenomics_batch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(MetagenomicsBatch.id), index=True)
    library_prep_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(LibraryPrep.id), index=True)
    remarks: Mapped[str | None] = mapped_column(Text)


class SeqSubmission(RecordMixin, Base):
    """A submission of a run's reads to an archive (ENA, SRA, DDBJ DRA), with what it accessioned."""

    __tablename__ = "seq_submission"

    sequencing_run_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(SequencingRun.id), index=True)
    archive: Mapped[str] = mapped_column(String(10))  # ENA, SRA or DRA
    status: Mapped[str] = mapped_column(String(20), default="DRAFT", server_default="DRAFT")
    submitted_on: Mapped[dt.date | None] = mapped_column(Date)
    study_accession: Mapped[str | None] = mapped_column(String(50))  # PRJEB…, PRJNA…
    run_accessions: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list, server_default="{}")  # ERR…, SRR…
    submitter_ids: Mapped[list[uuid.UUID]] = mapped_column(UUIDS, default=list, server_default="{}")
    remarks: Mapped[str | None] = mapped_column(Text)
