from __future__ import annotations

import uuid
from collections.abc import Sequence as Seq
from typing import Any

from sqlalchemy import Select, select

from subgraphs.core.loaders import Loader, RowByIdLoader, RowsByParentLoader

from .models import sequence

# Residues can be megabases: list queries leave them out, `residues` loads them on demand.
SEQUENCE_COLUMNS = [c for c in sequence.c if c.key != "residues_zlib"]


def sequence_rows() -> Select[Any]:
    return select(*SEQUENCE_COLUMNS)


class SequenceByIdLoader(RowByIdLoader):
    table = sequence
    rows = staticmethod(sequence_rows)


class SequencesByMaterialSampleIdLoader(RowsByParentLoader):
    table = sequence
    rows = staticmethod(sequence_rows)
    parent_column = "material_sample_id"
    order_by = ("accession", "accession_version")


class ResiduesBySequenceIdLoader(Loader):
    async def batch_load_fn(self, keys: Seq[uuid.UUID]) -> list[bytes | None]:
        rows = await self.db.fetch(
            select(sequence.c.id, sequence.c.residues_zlib).where(sequence.c.id.in_(keys))
        )
        by_id = {row["id"]: row["residues_zlib"] for row in rows}
        return [by_id.get(key) for key in keys]
