from __future__ import annotations

import uuid
import zlib

import strawberry

from subgraphs.core.context import Info
from subgraphs.core.errors import ClientError, ErrorCode
from subgraphs.core.fields import by_id_field, connection_field, entity_resolver
from subgraphs.core.ids import parse_uuid
from subgraphs.core.types import from_row

from . import models
from .loaders import (
    ResiduesBySequenceIdLoader,
    SequenceByIdLoader,
    SequencesByMaterialSampleIdLoader,
    sequence_rows,
)


@strawberry.federation.type(keys=["id"], description="A DNA or RNA sequence (GenBank/ENA/DDBJ/BOLD record).")
class Sequence:
    id: strawberry.ID
    accession: str
    accession_version: int
    source_database: str
    definition: str | None
    organism: str | None
    molecule_type: str | None
    region: str | None
    length: int
    checksum_sha256: str
    specimen_voucher: str | None = strawberry.field(
        description="The voucher text exactly as the source record gives it."
    )
    group: str
    version: int
    material_sample_id: strawberry.Private[uuid.UUID | None]

    resolve_reference = entity_resolver(SequenceByIdLoader)

    @strawberry.field(description="The specimen or sample this sequence was made from.")
    def material_sample(self) -> MaterialSample | None:
        return None if self.material_sample_id is None else MaterialSample(id=self.material_sample_id)

    @strawberry.field(description="Residues from `start` (1-based, inclusive) to `end` (inclusive).")
    async def residues(self, info: Info, start: int = 1, end: int | None = None) -> str:
        if start < 1 or (end is not None and end < start):
            raise ClientError(ErrorCode.BAD_USER_INPUT, "Need 1 <= start <= end.", "start")
        packed = await info.context.loaders[ResiduesBySequenceIdLoader].load(self.id)
        return zlib.decompress(packed).decode()[start - 1 : end]


@strawberry.federation.type(keys=["id"], description="Molecular fields of a material sample.")
class MaterialSample:
    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> MaterialSample:
        return cls(id=id)

    @strawberry.field(description="Sequences made from this sample, by accession.")
    async def sequences(self, info: Info) -> list[Sequence]:
        key = parse_uuid(self.id)
        if key is None:
            return []
        rows = await info.context.loaders[SequencesByMaterialSampleIdLoader].load(key)
        return [from_row(Sequence, row) for row in rows]


@strawberry.type
class Query:
    sequence = by_id_field(Sequence, SequenceByIdLoader, "A sequence by id.")
    sequences = connection_field(Sequence, models.sequence, "Sequences, oldest first.", rows=sequence_rows)
