"""GraphQL types of the NGS workflow (SeqDB's names), and the other domains' entities they point at."""

# No `from __future__ import annotations`: Strawberry reads these annotations as objects.
import datetime as dt
import uuid
from enum import Enum
from typing import Annotated

import strawberry
from strawberry.federation.schema_directives import Key
from strawberry.scalars import JSON

from subgraphs.core.base.ids import parse_uuid
from subgraphs.core.execution.context import Info
from subgraphs.core.schema.fields import entity_resolver, history_field, load_by_id, load_by_ids, load_list

from .. import loaders as ld
from .. import models, samplesheet, sheets
from ..indexes import reverse_complement

History = history_field(ld.NgsAuditByRecordIdLoader)
# A cap on a short list, so a deep query (sample → libraries → pools → runs → media) costs what it asks for.
FIRST = Annotated[int | None, strawberry.argument(description="At most this many (default: all).")]
MaterialSample = Annotated["MaterialSample", strawberry.lazy("subgraphs.molecular.schema.types")]
Person = Annotated["Person", strawberry.lazy("subgraphs.molecular.schema.types")]


@strawberry.federation.type(keys=[Key(fields="id", resolvable=False)])
class Media:
    id: strawberry.ID


@strawberry.federation.type(keys=[Key(fields="id", resolvable=False)])
class StorageUnit:
    id: strawberry.ID


def _person(id: uuid.UUID) -> Person:
    from subgraphs.molecular.schema.types import Person as Found

    return Found(id=id)


def _sample(id: uuid.UUID | None) -> MaterialSample | None:
    from subgraphs.molecular.schema.types import MaterialSample as Found

    return None if id is None else Found(id=id)


def _media(ids: list[uuid.UUID]) -> list[Media]:
    return [Media(id=id) for id in ids]


@strawberry.enum(description="Which index read: i7 (index 1) or i5 (index 2).")
class IndexDirection(Enum):
    I7 = "I7"
    I5 = "I5"


@strawberry.enum(description="Illumina sample sheet formats.")
class SampleSheetFormat(Enum):
    V1 = 1
    V2 = 2


@strawberry.federation.type(keys=["id"], description="One index adapter of a kit; bases 5'→3' on the forward strand.")
class NgsIndex:
    id: strawberry.ID
    name: str
    direction: IndexDirection
    sequence: str
    lot_number: str | None
    group: str
    version: int
    index_set_id: strawberry.Private[uuid.UUID]

    resolve_reference = entity_resolver(ld.NgsIndexByIdLoader)
    history = History

    @strawberry.field(description="As an i5 appears in sheets for reverse-complement workflows "
                                  "(NextSeq, HiSeq 3000/4000, NovaSeq v1.5 reagents).")
    def reverse_complement(self) -> str:
        return reverse_complement(self.sequence)

    @strawberry.field
    async def index_set(self, info: Info) -> "IndexSet | None":
        return await load_by_id(info, ld.IndexSetByIdLoader, IndexSet, self.index_set_id)


@strawberry.federation.type(keys=["id"], description="A kit of index adapters (Nextera XT v2, TruSeq).")
class IndexSet:
    id: strawberry.ID
    name: str
    supplier: str | None
    forward_adapter: str | None
    reverse_adapter: str | None
    remarks: str | None
    group: str
    version: int

    resolve_reference = entity_resolver(ld.IndexSetByIdLoader)
    history = History

    @strawberry.field(description="i5 then i7 indexes, by name.")
    async def indexes(self, info: Info) -> list[NgsIndex]:
        return await load_list(info, ld.NgsIndexesByIndexSetIdLoader, NgsIndex, self.id)


@strawberry.federation.type(keys=["id"], description="Where runs are sequenced.")
class SequencingFacility:
    id: strawberry.ID
    name: str
    address: str | None
    remarks: str | None
    group: str
    version: int
    contact_person_id: strawberry.Private[uuid.UUID | None]

    resolve_reference = entity_resolver(ld.SequencingFacilityByIdLoader)
    history = History

    @strawberry.field
    def contact_person(self) -> Person | None:
        return None if self.contact_person_id is None else _person(self.contact_person_id)


@strawberry.type(description="A QC measurement of a library or pool (Qubit, Bioanalyzer, TapeStation).")
class QualityControl:
    id: strawberry.ID
    qc_type: str = strawberry.field(description="e.g. Qubit dsDNA HS, Bioanalyzer High Sensitivity DNA.")
    value: float | None
    unit: str | None
    passed: bool | None
    measured_on: dt.date | None
    remarks: str | None
    group: str
    version: int
    attachment_media_ids: strawberry.Private[list[uuid.UUID]]

    history = History

    @strawberry.field(description="Traces and reports, from the media subgraph.")
    def attachments(self) -> list[Media]:
        return _media(self.attachment_media_ids)


@strawberry.enum(description="What was done to the DNA before its library was made.")
class PreLibraryPrepType(Enum):
    SHEARING = "SHEARING"
    SIZE_SELECTION = "SIZE_SELECTION"


@strawberry.enum(description="The INSDC archive reads are submitted to.")
class ReadArchive(Enum):
    ENA = "ENA"
    SRA = "SRA"
    DRA = "DRA"


@strawberry.enum
class SubmissionStatus(Enum):
    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"
    ACCESSIONED = "ACCESSIONED"
    REJECTED = "REJECTED"


@strawberry.type(description="Shearing or size selection of a sample's DNA before its library was made.")
class PreLibraryPrep:
    id: strawberry.ID
    pre_library_prep_type: PreLibraryPrepType
    input_amount_ng: float | None
    concentration_ng_per_ul: float | None
    target_bp_size: int | None
    average_fragment_size: int | None
    quality: str | None
    product: str | None = strawberry.field(description="e.g. Covaris microTUBE, AMPure XP.")
    protocol: str | None
    remarks: str | None
    group: str
    version: int
    material_sample_id: strawberry.Private[uuid.UUID | None]

    history = History

    @strawberry.field
    def material_sample(self) -> MaterialSample | None:
        return _sample(self.material_sample_id)


@strawberry.federation.type(keys=["id"], description="Libraries made together on one plate.")
class LibraryPrepBatch:
    id: strawberry.ID
    name: str
    kit: str | None = strawberry.field(description="The library prep kit (product), e.g. Nextera XT.")
    protocol: str | None
    thermocycler_profile: str | None
    plate_rows: int
    plate_columns: int
    prep_date: dt.date | None
    remarks: str | None
    group: str
    version: int
    index_set_id: strawberry.Private[uuid.UUID | None]
    storage_unit_id: strawberry.Private[uuid.UUID | None]
    experimenter_ids: strawberry.Private[list[uuid.UUID]]

    resolve_reference = entity_resolver(ld.LibraryPrepBatchByIdLoader)
    history = History

    @strawberry.field
    async def index_set(self, info: Info) -> IndexSet | None:
        return await load_by_id(info, ld.IndexSetByIdLoader, IndexSet, self.index_set_id)

    @strawberry.field(description="Where the plate is kept, from the collection subgraph.")
    def storage_unit(self) -> StorageUnit | None:
        return None if self.storage_unit_id is None else StorageUnit(id=self.storage_unit_id)

    @strawberry.field
    def experimenters(self) -> list[Person]:
        return [_person(id) for id in self.experimenter_ids]

    @strawberry.field(description="Libraries by well.")
    async def library_preps(self, info: Info) -> list["LibraryPrep"]:
        return await load_list(info, ld.LibraryPrepsByBatchIdLoader, LibraryPrep, self.id)


@strawberry.federation.type(keys=["id"], description="One library: a sample's DNA with its index pair, in a well.")
class LibraryPrep:
    id: strawberry.ID
    name: str = strawberry.field(description="The sample sheet's Sample_ID.")
    sample_name: str | None = strawberry.field(description="Sample_Name, as written.")
    well: str | None = strawberry.field(description="A01 …, within the batch's plate layout; one library a well.")
    i7_index_name: str | None
    i7_sequence: str | None
    i5_index_name: str | None
    i5_sequence: str | None = strawberry.field(description="As the sheet gives it (the strand its workflow reads).")
    input_ng: float | None
    size_bp: int | None
    quality: str | None
    project: str | None = strawberry.field(description="Sample_Project.")
    description: str | None
    remarks: str | None
    group: str
    version: int
    library_prep_batch_id: strawberry.Private[uuid.UUID]
    material_sample_id: strawberry.Private[uuid.UUID | None]

    resolve_reference = entity_resolver(ld.LibraryPrepByIdLoader)
    history = History

    @strawberry.field(description="The sample (or extract), from the collection subgraph.")
    def material_sample(self) -> MaterialSample | None:
        return _sample(self.material_sample_id)

    @strawberry.field
    async def library_prep_batch(self, info: Info) -> LibraryPrepBatch | None:
        return await load_by_id(info, ld.LibraryPrepBatchByIdLoader, LibraryPrepBatch, self.library_prep_batch_id)

    @strawberry.field(description="The pools this library went into, oldest first.")
    async def pools(self, info: Info, first: FIRST = None) -> list["LibraryPool"]:
        contents = await load_list(info, ld.PoolContentsByLibraryPrepIdLoader, LibraryPoolContent, self.id)
        return [pool for content in contents[:first] if (pool := await content.library_pool(info)) is not None]

    @strawberry.field
    async def quality_controls(self, info: Info) -> list[QualityControl]:
        return await load_list(info, ld.QualityControlsByLibraryPrepIdLoader, QualityControl, self.id)

    @strawberry.field(description="Shearing and size selection of its DNA.")
    async def pre_library_preps(self, info: Info) -> list[PreLibraryPrep]:
        return await load_list(info, ld.PreLibraryPrepsByLibraryPrepIdLoader, PreLibraryPrep, self.id)

    @strawberry.field(description="The lanes of runs that read this library, with their read counts.")
    async def run_items(self, info: Info) -> list["SequencingRunItem"]:
        return await load_list(info, ld.RunItemsByLibraryPrepIdLoader, SequencingRunItem, self.id)


@strawberry.type(description="A library, or another pool, in a pool.")
class LibraryPoolContent:
    id: strawberry.ID
    group: str
    version: int
    library_pool_id: strawberry.Private[uuid.UUID]
    library_prep_id: strawberry.Private[uuid.UUID | None]
    pooled_library_pool_id: strawberry.Private[uuid.UUID | None]

    @strawberry.field(description="The pool this is in.")
    async def library_pool(self, info: Info) -> "LibraryPool | None":
        return await load_by_id(info, ld.LibraryPoolByIdLoader, LibraryPool, self.library_pool_id)

    @strawberry.field
    async def library_prep(self, info: Info) -> LibraryPrep | None:
        return await load_by_id(info, ld.LibraryPrepByIdLoader, LibraryPrep, self.library_prep_id)

    @strawberry.field(description="A pool pooled into this one.")
    async def pooled_library_pool(self, info: Info) -> "LibraryPool | None":
        return await load_by_id(info, ld.LibraryPoolByIdLoader, LibraryPool, self.pooled_library_pool_id)


@strawberry.federation.type(keys=["id"], description="Libraries (and pools) mixed to be sequenced together.")
class LibraryPool:
    id: strawberry.ID
    name: str
    pool_date: dt.date | None
    remarks: str | None
    group: str
    version: int

    resolve_reference = entity_resolver(ld.LibraryPoolByIdLoader)
    history = History

    @strawberry.field
    async def contents(self, info: Info) -> list[LibraryPoolContent]:
        return await load_list(info, ld.PoolContentsByPoolIdLoader, LibraryPoolContent, self.id)

    @strawberry.field(description="The runs that read this pool, oldest first.")
    async def runs(self, info: Info, first: FIRST = None) -> list["SequencingRun"]:
        items = await load_list(info, ld.RunItemsByPoolIdLoader, SequencingRunItem, self.id)
        run_ids = list(dict.fromkeys(item.sequencing_run_id for item in items))[:first]
        return await load_by_ids(info, ld.SequencingRunByIdLoader, SequencingRun, run_ids)

    @strawberry.field
    async def quality_controls(self, info: Info) -> list[QualityControl]:
        return await load_list(info, ld.QualityControlsByPoolIdLoader, QualityControl, self.id)


@strawberry.type(description="What a run read on a lane: a pool, or a library (and the pool it came in) with its reads.")
class SequencingRunItem:
    id: strawberry.ID
    lane: int | None
    read_count: int | None
    external_uris: list[str] = strawberry.field(description="e.g. an SRA/ENA run accession of these reads.")
    group: str
    version: int
    sequencing_run_id: strawberry.Private[uuid.UUID]
    library_prep_id: strawberry.Private[uuid.UUID | None]
    library_pool_id: strawberry.Private[uuid.UUID | None]
    result_media_ids: strawberry.Private[list[uuid.UUID]]

    history = History

    @strawberry.field
    async def sequencing_run(self, info: Info) -> "SequencingRun | None":
        return await load_by_id(info, ld.SequencingRunByIdLoader, SequencingRun, self.sequencing_run_id)

    @strawberry.field
    async def library_prep(self, info: Info) -> LibraryPrep | None:
        return await load_by_id(info, ld.LibraryPrepByIdLoader, LibraryPrep, self.library_prep_id)

    @strawberry.field
    async def library_pool(self, info: Info) -> LibraryPool | None:
        return await load_by_id(info, ld.LibraryPoolByIdLoader, LibraryPool, self.library_pool_id)

    @strawberry.field(description="Reads (FASTQ) and demultiplexing reports, from the media subgraph.")
    def results(self) -> list[Media]:
        return _media(self.result_media_ids)


@strawberry.federation.type(keys=["id"], description="SeqDB's MolecularAnalysisRun: one sequencing run of an instrument.")
class SequencingRun:
    id: strawberry.ID
    name: str
    instrument_type: str | None
    instrument: str | None
    run_date: dt.date | None
    run_folder: str | None
    flowcell: str | None
    read_cycles: list[int]
    index_cycles: list[int]
    barcode_mismatches: int = strawberry.field(
        description="Mismatches the demultiplexer allows per index: pairs closer than twice this collide.")
    header: JSON = strawberry.field(description="The sample sheet's [Header], as imported.")
    settings: JSON = strawberry.field(description="The sheet's settings sections, as imported.")
    external_uris: list[str] = strawberry.field(description="Where the reads are: SRA/ENA accessions, URLs.")
    remarks: str | None
    group: str
    version: int
    sequencing_facility_id: strawberry.Private[uuid.UUID | None]
    report_media_ids: strawberry.Private[list[uuid.UUID]]

    resolve_reference = entity_resolver(ld.SequencingRunByIdLoader)
    history = History

    @strawberry.field
    async def sequencing_facility(self, info: Info) -> SequencingFacility | None:
        return await load_by_id(info, ld.SequencingFacilityByIdLoader, SequencingFacility, self.sequencing_facility_id)

    @strawberry.field(description="Lanes and what they read.")
    async def items(self, info: Info) -> list[SequencingRunItem]:
        return await load_list(info, ld.RunItemsByRunIdLoader, SequencingRunItem, self.id)

    @strawberry.field(description="Its reads' submissions to ENA, SRA or DRA.")
    async def submissions(self, info: Info) -> list["SeqSubmission"]:
        return await load_list(info, ld.SubmissionsByRunIdLoader, SeqSubmission, self.id)

    @strawberry.field(description="Run reports (InterOp summaries, demultiplexing stats), from the media subgraph.")
    def report_media(self) -> list[Media]:
        return _media(self.report_media_ids)

    @strawberry.field(description="The run as an Illumina sample sheet, readable back by importSampleSheet.")
    async def sample_sheet(self, info: Info, format: SampleSheetFormat = SampleSheetFormat.V2) -> str:
        async with info.context.db.unit_of_work() as session:
            run = await session.get(models.SequencingRun, parse_uuid(self.id))
            return samplesheet.write(await sheets.run_sheet(session, run), format.value)


@strawberry.type(description="A submission of a run's reads to an INSDC archive, and what it accessioned.")
class SeqSubmission:
    id: strawberry.ID
    archive: ReadArchive
    status: SubmissionStatus
    submitted_on: dt.date | None
    study_accession: str | None = strawberry.field(description="e.g. PRJEB12345, PRJNA…")
    run_accessions: list[str] = strawberry.field(description="e.g. ERR1234567, SRR…")
    remarks: str | None
    group: str
    version: int
    submitter_ids: strawberry.Private[list[uuid.UUID]]

    history = History

    @strawberry.field
    def submitters(self) -> list[Person]:
        return [_person(id) for id in self.submitter_ids]


@strawberry.type(description="A library in a metagenomics batch.")
class MetagenomicsBatchItem:
    id: strawberry.ID
    remarks: str | None
    group: str
    version: int
    library_prep_id: strawberry.Private[uuid.UUID]

    @strawberry.field
    async def library_prep(self, info: Info) -> LibraryPrep | None:
        return await load_by_id(info, ld.LibraryPrepByIdLoader, LibraryPrep, self.library_prep_id)


@strawberry.federation.type(keys=["id"], description="Libraries (amplicon or shotgun) processed together for metagenomics.")
class MetagenomicsBatch:
    id: strawberry.ID
    name: str
    protocol: str | None
    remarks: str | None
    group: str
    version: int
    index_set_id: strawberry.Private[uuid.UUID | None]

    resolve_reference = entity_resolver(ld.MetagenomicsBatchByIdLoader)
    history = History

    @strawberry.field
    async def index_set(self, info: Info) -> IndexSet | None:
        return await load_by_id(info, ld.IndexSetByIdLoader, IndexSet, self.index_set_id)

    @strawberry.field
    async def items(self, info: Info) -> list[MetagenomicsBatchItem]:
        return await load_list(info, ld.MetagenomicsItemsByBatchIdLoader, MetagenomicsBatchItem, self.id)


NGS_TYPES = [MetagenomicsBatch, IndexSet, NgsIndex, SequencingFacility, LibraryPrepBatch, LibraryPrep, LibraryPool, SequencingRun,
             Media, StorageUnit]
