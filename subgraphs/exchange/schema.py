"""GraphQL entry points of cross-domain workflows, mounted on a domain's subgraph by the registry."""

from __future__ import annotations

import datetime
import io
from enum import Enum
from typing import Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.collection.service import CollectionErrorCode
from subgraphs.core.base.errors import ClientError, ErrorCode
from subgraphs.core.base.ids import require_uuid
from subgraphs.core.data.storable import nul_errors, too_long
from subgraphs.core.execution.context import Info
from subgraphs.core.schema.fields import load_by_id
from subgraphs.core.security.permissions import check_write
from subgraphs.core.storage.storage import object_store
from subgraphs.core.writes.mutations import from_record, run_mutation, user_error_type, user_errors
from subgraphs.molecular.ngs import sheets
from subgraphs.molecular.ngs.models import SequencingRun as SequencingRunRecord
from subgraphs.molecular.ngs.schema.types import SequencingRun
from subgraphs.molecular.ngs.service import NgsErrorCode
from subgraphs.molecular.service import MolecularErrorCode

from . import jobs
from . import samplesheet as samplesheet_import
from .loaders import ImportJobByIdLoader
from .sequences import READERS, ImportReport, SequenceImport

ExchangeUserError = user_error_type("Exchange", CollectionErrorCode, MolecularErrorCode, NgsErrorCode)

MAX_CONTENT = 1_000_000  # characters: larger files go through `dina-graph import`
MAX_FILENAME = 500  # characters: the name is repeated in every rejection of the report


@strawberry.enum
class SequenceFormat(Enum):
    GENBANK = "genbank"
    FASTA = "fasta"


@strawberry.input
class ImportSequencesInput:
    group: str
    format: SequenceFormat
    content: str = strawberry.field(description="The file's text (up to 1,000,000 characters).")
    filename: str = strawberry.field(default="upload", description=(
        "The name the report's rejections show (up to 500 characters); never used as a path, and the "
        "format comes from `format`, not from its extension."))
    create_missing_samples: bool = strawberry.field(
        default=True, description="Create the sample a voucher names when none matches (else reject the record).")


@strawberry.type
class ImportRejection:
    file: str
    record: str
    reason: str


@strawberry.type
class ImportSequencesPayload:
    imported: list[str]
    unchanged: list[str]
    samples_created: list[str]
    samples_linked: list[str]
    rejected: list[ImportRejection]
    errors: list[ExchangeUserError]


async def import_sequences(info: Info, input: ImportSequencesInput) -> ImportSequencesPayload:
    ctx = info.context
    empty = ImportSequencesPayload(imported=[], unchanged=[], samples_created=[], samples_linked=[], rejected=[],
                                   errors=[])
    try:
        check_write(ctx.principal, None, {"group": input.group})
        if len(input.content) > MAX_CONTENT:
            raise ClientError(ErrorCode.BAD_USER_INPUT, f"Files over {MAX_CONTENT:,} characters go through "
                              "`dina-graph import`.", "content")
        if refused := nul_errors({"filename": input.filename}):
            raise refused["filename"][0]
        if not input.filename.strip():
            raise ClientError(ErrorCode.BAD_USER_INPUT, "filename is empty: name the file (it is shown in the "
                              "import's report).", "filename")
        if len(input.filename) > MAX_FILENAME:
            raise too_long("filename", MAX_FILENAME)
    except ClientError as error:
        empty.errors = user_errors([error])
        return empty

    async def work(session: object) -> ImportReport:
        job = SequenceImport(session, group=input.group, actor=ctx.actor,
                             create_missing_samples=input.create_missing_samples)
        # The text is read from memory: the client's filename is only the name shown in the report, never a
        # path (an empty one, "..", "a/b" or one over 255 bytes could not be written as a file).
        return await job.run(READERS[input.format.value](io.StringIO(input.content, newline=None), input.filename))

    report, errors = await run_mutation(info, work)
    if report is None:
        empty.errors = errors
        return empty
    return ImportSequencesPayload(
        imported=report.imported, unchanged=report.unchanged, samples_created=report.samples_created,
        samples_linked=report.samples_linked, errors=[],
        rejected=[ImportRejection(file=e.file, record=e.record, reason=e.reason) for e in report.errors],
    )


SEQUENCE_IMPORT = {"import_sequences": strawberry.mutation(
    resolver=import_sequences, description="Import a small GenBank or FASTA file; vouchers link sequences to samples.")}


@strawberry.enum
class ImportJobStatus(Enum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


@strawberry.type(description="A defect found in an archive: the row was skipped, or the value kept as found.")
class ImportDefect:
    file: str
    row: int | None
    reason: str


@strawberry.type(description="A value an import could not read: kept verbatim in the record's source record, "
                             "left out of its column, and the record flagged with the issue (the row is imported).")
class ImportFlag:
    file: str
    row: int | None
    term: str = strawberry.field(description="The Darwin Core term, e.g. dwc:eventDate.")
    value: str
    issue: str = strawberry.field(description="GBIF's occurrence issue name, e.g. RECORDED_DATE_INVALID.")


@strawberry.type(description="A background import of an uploaded archive; poll it by id.")
class ImportJob:
    id: strawberry.ID
    group: str
    kind: str
    source_media_id: strawberry.ID | None
    created_by: str
    created_on: datetime.datetime
    finished_on: datetime.datetime | None
    heartbeat_on: datetime.datetime | None = strawberry.field(
        description="When the running job last said it was alive (every 10 s).")
    report: strawberry.Private[dict[str, Any]]
    status_value: strawberry.Private[str]
    error_value: strawberry.Private[str | None]
    __columns__ = {"status_value": "status", "error_value": "error"}

    @property
    def interrupted(self) -> bool:
        return jobs.interrupted(self.status_value, self.heartbeat_on, self.created_on)

    @strawberry.field(description="FAILED also when the job's process stopped before it finished.")
    def status(self) -> ImportJobStatus:
        return ImportJobStatus.FAILED if self.interrupted else ImportJobStatus(self.status_value)

    @strawberry.field(description="Why nothing was imported, when the job failed.")
    def error(self) -> str | None:
        if self.interrupted:
            return ("Interrupted: the process running the job stopped before it finished; nothing was imported. "
                    "Start the import again.")
        return self.error_value

    @strawberry.field(description="Rows read from the core file.")
    def rows(self) -> int:
        return self.report.get("rows", 0)

    @strawberry.field(description="Occurrences imported as new material samples.")
    def imported(self) -> int:
        return self.report.get("imported", 0)

    @strawberry.field(description="Occurrences already present (matched by occurrenceID or catalogue number).")
    def unchanged(self) -> int:
        return self.report.get("unchanged", 0)

    @strawberry.field(description="Media records made from the multimedia extension.")
    def media_created(self) -> int:
        return self.report.get("media", 0)

    @strawberry.field
    def defects(self) -> list[ImportDefect]:
        return [ImportDefect(**defect) for defect in self.report.get("defects", [])]

    @strawberry.field(description="Values flagged and left out of their columns; their rows were imported.")
    def flags(self) -> list[ImportFlag]:
        return [ImportFlag(**flag) for flag in self.report.get("flags", [])]



@strawberry.input
class StartDwcaImportInput:
    group: str = strawberry.field(description="The group that will own the imported records.")
    media_id: strawberry.ID = strawberry.field(description="The archive (application/zip), uploaded as Media.")


@strawberry.type
class StartDwcaImportPayload:
    job: ImportJob | None
    errors: list[ExchangeUserError]


async def start_dwca_import(info: Info, input: StartDwcaImportInput) -> StartDwcaImportPayload:
    ctx = info.context

    async def work(session: AsyncSession) -> ImportJob:
        record = await jobs.start_dwca_import(
            session, object_store(ctx.settings), ctx.db, principal=ctx.principal, visible=ctx.visible,
            actor=ctx.actor, group=input.group, media_id=require_uuid(input.media_id, "mediaId"))
        return from_record(ImportJob, record)

    job, errors = await run_mutation(info, work)
    return StartDwcaImportPayload(job=job, errors=errors)


async def import_job(info: Info, id: strawberry.ID) -> ImportJob | None:
    return await load_by_id(info, ImportJobByIdLoader, ImportJob, require_uuid(id))


DWCA_IMPORT_MUTATIONS = {"start_dwca_import": strawberry.mutation(
    resolver=start_dwca_import,
    description="Import a Darwin Core Archive uploaded as Media, in the background; poll `importJob` for its report.")}
DWCA_IMPORT_QUERIES = {"import_job": strawberry.field(resolver=import_job, description="An import job by id.")}


@strawberry.input(description="An Illumina sample sheet (v1 or v2) to import as a run, its libraries and pools.")
class ImportSampleSheetInput:
    group: str
    content: str = strawberry.field(description="The sheet's text (up to 1,000,000 characters).")
    run_name: str = strawberry.field(default="sample sheet", description=(
        "The run's name when the header has no RunName (v2) or Experiment Name (v1)."))


@strawberry.type(description="A line of a sample sheet and what was found on it (no line: the sheet as a whole).")
class SampleSheetLine:
    line: int | None
    message: str


@strawberry.type
class ImportSampleSheetPayload:
    sequencing_run: SequencingRun | None
    libraries_created: int
    pools_created: int
    samples_linked: int
    defects: list[SampleSheetLine] = strawberry.field(description="Why nothing was written, line by line.")
    notes: list[SampleSheetLine] = strawberry.field(
        description="Accepted as the instrument software would: trimmed cells, names matching no sample.")
    errors: list[ExchangeUserError]


def _lines(found: list[Any]) -> list[SampleSheetLine]:
    return [SampleSheetLine(line=item.line, message=item.message) for item in found]


async def import_sample_sheet(info: Info, input: ImportSampleSheetInput) -> ImportSampleSheetPayload:
    ctx = info.context

    async def work(session: AsyncSession) -> tuple[Any, Any]:
        check_write(ctx.principal, None, {"group": input.group})
        if len(input.content) > MAX_CONTENT:
            raise ClientError(ErrorCode.BAD_USER_INPUT, f"Sheets over {MAX_CONTENT:,} characters go through "
                              "`dina-graph import samplesheet`.", "content")
        report = await samplesheet_import.import_sample_sheet(
            session, input.content, group=input.group, actor=ctx.actor, default_name=input.run_name)
        run = report.run_id and await session.get(SequencingRunRecord, report.run_id)
        return report, run and from_record(SequencingRun, run)

    done, errors = await run_mutation(info, work)
    report, run = done or (sheets.SheetImport(), None)
    if report.defects:
        errors = [*errors, *user_errors([ClientError(NgsErrorCode.INVALID_SAMPLE_SHEET, f"{len(report.defects)} "
                                                     "defect(s) in the sample sheet: nothing was written.", "content")])]
    return ImportSampleSheetPayload(
        sequencing_run=run, libraries_created=report.libraries, pools_created=report.pools,
        samples_linked=report.samples_linked, defects=_lines(report.defects), notes=_lines(report.notes), errors=errors)


SAMPLESHEET_IMPORT = {"import_sample_sheet": strawberry.mutation(
    resolver=import_sample_sheet, description="Import an Illumina sample sheet (v1 or v2) as a sequencing run with "
                                              "its libraries and pools; a sheet with any defect writes nothing.")}
