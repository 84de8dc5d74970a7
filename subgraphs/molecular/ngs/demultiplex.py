"""Read counts per library from BCL Convert's demultiplexing report (`Reports/Demultiplex_Stats.csv`:
Lane, SampleID, Index, # Reads, …), recorded on the run's items of those libraries."""

from __future__ import annotations

import csv
import io
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.core.base.errors import ClientError, ErrorCode
from subgraphs.core.security.auth import Role
from subgraphs.core.security.permissions import require_role
from subgraphs.core.writes.mutations import InvalidInput
from subgraphs.core.writes.service import update_record

from . import models as m
from . import repository as r

COLUMNS = ("Lane", "SampleID", "# Reads")
MOST_READS = 2**31 - 1  # a GraphQL Int


def read_counts(text: str) -> tuple[dict[tuple[int | None, str], tuple[int, int]], list[ClientError]]:
    """{(lane, Sample_ID): (line, reads)} and a defect per bad line (Undetermined reads are no library's)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        return {}, [ClientError(ErrorCode.BAD_USER_INPUT, f"line 1: missing column {', '.join(missing)} (not a "
                                "BCL Convert Demultiplex_Stats.csv)", "content")]
    counts, errors = {}, []
    for line, row in enumerate(reader, start=2):
        lane, sample, reads = (row[c].strip() for c in COLUMNS)
        if sample == "Undetermined":
            continue
        if not (reads.isdigit() and int(reads) <= MOST_READS and (lane == "" or lane.isdigit() and len(lane) < 3)):
            errors.append(ClientError(ErrorCode.BAD_USER_INPUT, f"line {line}: lane {lane!r} or # Reads {reads!r} "
                                      f"is not a number (reads up to {MOST_READS:,})", "content"))
            continue
        counts[(int(lane) if lane else None, sample)] = (line, int(reads))
    return counts, errors


async def record_read_counts(session: AsyncSession, run_id: uuid.UUID, text: str, actor: str) -> m.SequencingRun:
    """Every count on its library's item (versioned and audited), or nothing when a line is bad or names a
    library the run did not read on that lane."""
    run = await session.get(m.SequencingRun, run_id)
    if run is None:
        raise ClientError(ErrorCode.NOT_FOUND, f"No SequencingRun with id {run_id}.", "sequencingRunId")
    context = session.info.get("context")
    require_role(context and context.principal, run.group, Role.USER, "write")
    counts, errors = read_counts(text)
    items = await r.items_by_library(session, run_id)
    errors += [ClientError(ErrorCode.NOT_FOUND, f"line {line}: run {run.name} read no library {sample} on lane "
                           f"{lane}", "content") for (lane, sample), (line, _) in counts.items() if (lane, sample) not in items]
    if errors:
        raise InvalidInput(errors)
    for key, (_, reads) in counts.items():
        await update_record(session, m.SequencingRunItem, items[key].id, items[key].version, actor=actor, read_count=reads)
    return run
