"""GraphQL entry points of cross-domain workflows, mounted on a domain's subgraph by the registry."""

from __future__ import annotations

import tempfile
from enum import Enum
from pathlib import Path

import strawberry

from subgraphs.core.context import Info
from subgraphs.core.errors import ClientError, ErrorCode
from subgraphs.core.mutations import UserError, run_mutation, user_errors
from subgraphs.core.permissions import check_write

from .sequences import READERS, ImportReport, SequenceImport

MAX_CONTENT = 1_000_000  # characters: larger files go through `dina-graph import`


@strawberry.enum
class SequenceFormat(Enum):
    GENBANK = "genbank"
    FASTA = "fasta"


@strawberry.input
class ImportSequencesInput:
    group: str
    format: SequenceFormat
    content: str = strawberry.field(description="The file's text (up to 1,000,000 characters).")
    filename: str = "upload"
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
    errors: list[UserError]


async def import_sequences(info: Info, input: ImportSequencesInput) -> ImportSequencesPayload:
    ctx = info.context
    empty = ImportSequencesPayload(imported=[], unchanged=[], samples_created=[], samples_linked=[], rejected=[],
                                   errors=[])
    try:
        check_write(ctx.principal, None, {"group": input.group})
        if len(input.content) > MAX_CONTENT:
            raise ClientError(ErrorCode.BAD_USER_INPUT, f"Files over {MAX_CONTENT:,} characters go through "
                              "`dina-graph import`.", "content")
    except ClientError as error:
        empty.errors = user_errors([error])
        return empty
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(input.filename).name
        path.write_text(input.content)

        async def work(session: object) -> ImportReport:
            job = SequenceImport(session, group=input.group, actor=ctx.actor,
                                 create_missing_samples=input.create_missing_samples)
            return await job.run(READERS[input.format.value](path))

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
