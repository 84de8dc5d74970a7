from __future__ import annotations

import uuid
from collections.abc import Sequence as Seq
from typing import Any

from sqlalchemy import Integer, Select, column, func, select, values
from sqlalchemy.dialects.postgresql import UUID

from subgraphs.core.data.loaders import (
    AuditByRecordIdLoader,
    Loader,
    RowByIdLoader,
    RowsByParentLoader,
    Visibility,
)

from . import models as m

# Residues can be megabases: rows leave them out; `residues`/`fasta` slice them in SQL on demand.
SEQUENCE_COLUMNS = [c for c in m.sequence.c if c.key != "residues"]


def sequence_rows(_: Visibility) -> Select[Any]:
    return select(*SEQUENCE_COLUMNS)


class SequenceByIdLoader(RowByIdLoader):
    table = m.sequence
    rows = staticmethod(sequence_rows)


class SequencesByMaterialSampleIdLoader(RowsByParentLoader):
    table = m.sequence
    rows = staticmethod(sequence_rows)
    parent_column = "material_sample_id"
    order_by = ("accession", "accession_version")


class PcrReactionsByMaterialSampleIdLoader(RowsByParentLoader):
    table = m.pcr_reaction
    parent_column = "material_sample_id"
    order_by = ("pcr_batch_id", "well")


class PcrReactionsByBatchIdLoader(RowsByParentLoader):
    table = m.pcr_reaction
    parent_column = "pcr_batch_id"
    order_by = ("well", "id")


class SeqReactionsByBatchIdLoader(RowsByParentLoader):
    table = m.seq_reaction
    parent_column = "seq_batch_id"
    order_by = ("well", "id")


class RegionByIdLoader(RowByIdLoader):
    table = m.region


class PcrPrimerByIdLoader(RowByIdLoader):
    table = m.pcr_primer


class PcrBatchByIdLoader(RowByIdLoader):
    table = m.pcr_batch


class PcrReactionByIdLoader(RowByIdLoader):
    table = m.pcr_reaction


class SeqBatchByIdLoader(RowByIdLoader):
    table = m.seq_batch


class SeqReactionByIdLoader(RowByIdLoader):
    table = m.seq_reaction


class ResiduesSliceLoader(Loader):
    """Slices keyed by (sequence id, start, length), all cut by PostgreSQL in one statement."""

    async def batch_load_fn(self, keys: Seq[tuple[uuid.UUID, int, int | None]]) -> list[str | None]:
        wanted = values(column("id", UUID(as_uuid=True)), column("start", Integer), column("length", Integer),
                        name="wanted").data([(i, s, n if n is not None else 2**31 - 1) for i, s, n in keys])
        rows = await self.db.fetch(
            select(wanted.c.id, wanted.c.start, wanted.c.length,
                   func.substr(m.sequence.c.residues, wanted.c.start, wanted.c.length).label("slice"))
            .join(m.sequence, m.sequence.c.id == wanted.c.id).where(self.visible(m.sequence))
        )
        found = {(r["id"], r["start"], r["length"]): r["slice"] for r in rows}
        return [found.get((i, s, n if n is not None else 2**31 - 1)) for i, s, n in keys]


class MolecularAuditByRecordIdLoader(AuditByRecordIdLoader):
    table = m.audit_log
