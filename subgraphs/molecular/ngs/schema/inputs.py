"""Mutation inputs of the NGS workflow."""

# No `from __future__ import annotations`: Strawberry reads these annotations as objects.
import datetime as dt

import strawberry
from strawberry import UNSET

from .types import IndexDirection, PreLibraryPrepType, ReadArchive, SubmissionStatus


@strawberry.input
class Identity:
    id: strawberry.ID
    version: int = strawberry.field(description="The version you read; a newer one is a STALE_VERSION error.")


@strawberry.input
class IndexSetFields:
    name: str | None = UNSET
    supplier: str | None = UNSET
    forward_adapter: str | None = UNSET
    reverse_adapter: str | None = UNSET
    remarks: str | None = UNSET


@strawberry.input
class CreateIndexSetInput(IndexSetFields):
    name: str
    group: str


@strawberry.input
class UpdateIndexSetInput(IndexSetFields, Identity):
    pass


@strawberry.input
class NgsIndexFields:
    name: str | None = UNSET
    direction: IndexDirection | None = UNSET
    sequence: str | None = strawberry.field(default=UNSET, description="IUPAC DNA, 5'→3', forward strand.")
    lot_number: str | None = UNSET


@strawberry.input
class CreateNgsIndexInput(NgsIndexFields):
    index_set_id: strawberry.ID
    name: str
    direction: IndexDirection
    sequence: str


@strawberry.input
class UpdateNgsIndexInput(NgsIndexFields, Identity):
    pass


@strawberry.input
class SequencingFacilityFields:
    name: str | None = UNSET
    contact_person_id: strawberry.ID | None = UNSET
    address: str | None = UNSET
    remarks: str | None = UNSET


@strawberry.input
class CreateSequencingFacilityInput(SequencingFacilityFields):
    name: str
    group: str


@strawberry.input
class UpdateSequencingFacilityInput(SequencingFacilityFields, Identity):
    pass


@strawberry.input
class LibraryPrepBatchFields:
    name: str | None = UNSET
    kit: str | None = UNSET
    protocol: str | None = UNSET
    thermocycler_profile: str | None = UNSET
    index_set_id: strawberry.ID | None = UNSET
    plate_rows: int | None = strawberry.field(default=UNSET, description="8 (the default) for 96 wells, 16 for 384.")
    plate_columns: int | None = strawberry.field(default=UNSET, description="12 (the default), 24 for 384 wells.")
    storage_unit_id: strawberry.ID | None = strawberry.field(default=UNSET, description="A StorageUnit (collection).")
    prep_date: dt.date | None = UNSET
    experimenter_ids: list[strawberry.ID] | None = UNSET
    remarks: str | None = UNSET


@strawberry.input
class CreateLibraryPrepBatchInput(LibraryPrepBatchFields):
    name: str
    group: str


@strawberry.input
class UpdateLibraryPrepBatchInput(LibraryPrepBatchFields, Identity):
    pass


@strawberry.input
class LibraryPrepFields:
    name: str | None = UNSET
    sample_name: str | None = UNSET
    material_sample_id: strawberry.ID | None = UNSET
    well: str | None = UNSET
    i7_index_name: str | None = UNSET
    i7_sequence: str | None = UNSET
    i5_index_name: str | None = UNSET
    i5_sequence: str | None = UNSET
    input_ng: float | None = UNSET
    size_bp: int | None = UNSET
    quality: str | None = UNSET
    project: str | None = UNSET
    description: str | None = UNSET
    remarks: str | None = UNSET


@strawberry.input
class CreateLibraryPrepInput(LibraryPrepFields):
    library_prep_batch_id: strawberry.ID
    name: str


@strawberry.input
class UpdateLibraryPrepInput(LibraryPrepFields, Identity):
    pass


@strawberry.input
class LibraryPoolFields:
    name: str | None = UNSET
    pool_date: dt.date | None = UNSET
    remarks: str | None = UNSET


@strawberry.input
class CreateLibraryPoolInput(LibraryPoolFields):
    name: str
    group: str


@strawberry.input
class UpdateLibraryPoolInput(LibraryPoolFields, Identity):
    pass


@strawberry.input(description="Put a library, or another pool, into a pool.")
class CreateLibraryPoolContentInput:
    library_pool_id: strawberry.ID
    library_prep_id: strawberry.ID | None = UNSET
    pooled_library_pool_id: strawberry.ID | None = UNSET


@strawberry.input
class UpdateLibraryPoolContentInput(Identity):
    pass


@strawberry.input
class SequencingRunFields:
    name: str | None = UNSET
    instrument_type: str | None = UNSET
    instrument: str | None = UNSET
    run_date: dt.date | None = UNSET
    sequencing_facility_id: strawberry.ID | None = UNSET
    run_folder: str | None = UNSET
    flowcell: str | None = UNSET
    read_cycles: list[int] | None = UNSET
    index_cycles: list[int] | None = UNSET
    barcode_mismatches: int | None = UNSET
    report_media_ids: list[strawberry.ID] | None = strawberry.field(default=UNSET, description="Media records.")
    external_uris: list[str] | None = UNSET
    remarks: str | None = UNSET


@strawberry.input
class CreateSequencingRunInput(SequencingRunFields):
    name: str
    group: str


@strawberry.input
class UpdateSequencingRunInput(SequencingRunFields, Identity):
    pass


@strawberry.input
class SequencingRunItemFields:
    lane: int | None = UNSET
    read_count: int | None = UNSET
    result_media_ids: list[strawberry.ID] | None = UNSET
    external_uris: list[str] | None = UNSET


@strawberry.input
class CreateSequencingRunItemInput(SequencingRunItemFields):
    sequencing_run_id: strawberry.ID
    library_prep_id: strawberry.ID | None = UNSET
    library_pool_id: strawberry.ID | None = UNSET


@strawberry.input
class UpdateSequencingRunItemInput(SequencingRunItemFields, Identity):
    pass


@strawberry.input
class QualityControlFields:
    qc_type: str | None = UNSET
    value: float | None = UNSET
    unit: str | None = UNSET
    passed: bool | None = UNSET
    measured_on: dt.date | None = UNSET
    attachment_media_ids: list[strawberry.ID] | None = UNSET
    remarks: str | None = UNSET


@strawberry.input
class CreateQualityControlInput(QualityControlFields):
    qc_type: str
    library_prep_id: strawberry.ID | None = UNSET
    library_pool_id: strawberry.ID | None = UNSET


@strawberry.input
class UpdateQualityControlInput(QualityControlFields, Identity):
    pass


@strawberry.input(description="BCL Convert's Reports/Demultiplex_Stats.csv of a run.")
class ImportDemultiplexStatsInput:
    sequencing_run_id: strawberry.ID
    content: str = strawberry.field(description="The file's text: Lane, SampleID, Index, # Reads, …")


@strawberry.input
class PreLibraryPrepFields:
    pre_library_prep_type: PreLibraryPrepType | None = UNSET
    material_sample_id: strawberry.ID | None = UNSET
    library_prep_id: strawberry.ID | None = UNSET
    input_amount_ng: float | None = UNSET
    concentration_ng_per_ul: float | None = UNSET
    target_bp_size: int | None = UNSET
    average_fragment_size: int | None = UNSET
    quality: str | None = UNSET
    product: str | None = UNSET
    protocol: str | None = UNSET
    remarks: str | None = UNSET


@strawberry.input
class CreatePreLibraryPrepInput(PreLibraryPrepFields):
    pre_library_prep_type: PreLibraryPrepType
    group: str


@strawberry.input
class UpdatePreLibraryPrepInput(PreLibraryPrepFields, Identity):
    pass


@strawberry.input
class MetagenomicsBatchFields:
    name: str | None = UNSET
    protocol: str | None = UNSET
    index_set_id: strawberry.ID | None = UNSET
    remarks: str | None = UNSET


@strawberry.input
class CreateMetagenomicsBatchInput(MetagenomicsBatchFields):
    name: str
    group: str


@strawberry.input
class UpdateMetagenomicsBatchInput(MetagenomicsBatchFields, Identity):
    pass


@strawberry.input
class CreateMetagenomicsBatchItemInput:
    metagenomics_batch_id: strawberry.ID
    library_prep_id: strawberry.ID
    remarks: str | None = UNSET


@strawberry.input
class UpdateMetagenomicsBatchItemInput(Identity):
    remarks: str | None = UNSET


@strawberry.input
class SeqSubmissionFields:
    archive: ReadArchive | None = UNSET
    status: SubmissionStatus | None = UNSET
    submitted_on: dt.date | None = UNSET
    study_accession: str | None = UNSET
    run_accessions: list[str] | None = UNSET
    submitter_ids: list[strawberry.ID] | None = UNSET
    remarks: str | None = UNSET


@strawberry.input
class CreateSeqSubmissionInput(SeqSubmissionFields):
    sequencing_run_id: strawberry.ID
    archive: ReadArchive


@strawberry.input
class UpdateSeqSubmissionInput(SeqSubmissionFields, Identity):
    pass
