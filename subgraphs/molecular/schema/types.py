from __future__ import annotations

import datetime as dt
import textwrap
import uuid

import strawberry
from strawberry.federation.schema_directives import Key
from strawberry.scalars import JSON

from subgraphs.core.base.errors import ClientError, ErrorCode
from subgraphs.core.base.ids import parse_uuid
from subgraphs.core.execution.context import Info
from subgraphs.core.schema.fields import (
    batched_field,
    entity_resolver,
    extension_resolver,
    history_field,
    load_by_id,
    load_by_ids,
    load_list,
)

from ..loaders import (
    MolecularAuditByRecordIdLoader,
    PcrBatchByIdLoader,
    PcrPrimerByIdLoader,
    PcrReactionByIdLoader,
    PcrReactionsByBatchIdLoader,
    PcrReactionsByMaterialSampleIdLoader,
    RegionByIdLoader,
    ResiduesSliceLoader,
    SeqBatchByIdLoader,
    SeqReactionByIdLoader,
    SeqReactionsByBatchIdLoader,
    SequenceByIdLoader,
    SequencesByMaterialSampleIdLoader,
)
from ..ngs.loaders import LibraryPrepsByMaterialSampleIdLoader
from ..ngs.schema.types import NGS_TYPES, LibraryPrep

History = history_field(MolecularAuditByRecordIdLoader)


@strawberry.federation.type(keys=[Key(fields="id", resolvable=False)])
class Person:
    id: strawberry.ID


@strawberry.federation.type(keys=["id"], description="A marker or gene region (COI-5P, 16S rRNA, ITS).")
class Region:
    id: strawberry.ID
    name: str
    description: str | None
    group: str
    version: int

    resolve_reference = entity_resolver(RegionByIdLoader)
    history = History


@strawberry.federation.type(keys=["id"], description="A PCR primer (IUPAC nucleotide codes, 5'→3').")
class PcrPrimer:
    id: strawberry.ID
    name: str
    direction: str = strawberry.field(description="FORWARD or REVERSE.")
    sequence: str
    group: str
    version: int
    region_id: strawberry.Private[uuid.UUID | None]

    resolve_reference = entity_resolver(PcrPrimerByIdLoader)
    history = History

    @strawberry.field
    async def region(self, info: Info) -> Region | None:
        return await load_by_id(info, RegionByIdLoader, Region, self.region_id)


@strawberry.federation.type(keys=["id"], description="A PCR plate run: primers, region, thermocycler, protocol.")
class PcrBatch:
    id: strawberry.ID
    name: str
    thermocycler: str | None
    protocol: str | None
    reaction_date: dt.date | None
    group: str
    version: int
    region_id: strawberry.Private[uuid.UUID | None]
    primer_ids: strawberry.Private[list[uuid.UUID]]
    experimenter_ids: strawberry.Private[list[uuid.UUID]]

    resolve_reference = entity_resolver(PcrBatchByIdLoader)
    history = History

    @strawberry.field
    async def region(self, info: Info) -> Region | None:
        return await load_by_id(info, RegionByIdLoader, Region, self.region_id)

    @strawberry.field
    async def primers(self, info: Info) -> list[PcrPrimer]:
        return await load_by_ids(info, PcrPrimerByIdLoader, PcrPrimer, self.primer_ids)

    @strawberry.field
    def experimenters(self) -> list[Person]:
        return [Person(id=pid) for pid in self.experimenter_ids]

    @strawberry.field(description="Reactions by well.")
    async def reactions(self, info: Info) -> list[PcrReaction]:
        return await load_list(info, PcrReactionsByBatchIdLoader, PcrReaction, self.id)


@strawberry.federation.type(keys=["id"], description="One well of a PCR batch: the sample amplified and the result.")
class PcrReaction:
    id: strawberry.ID
    well: str = strawberry.field(description="A1 to H12, unique within its batch.")
    result: str | None
    group: str
    version: int
    pcr_batch_id: strawberry.Private[uuid.UUID]
    material_sample_id: strawberry.Private[uuid.UUID | None]

    resolve_reference = entity_resolver(PcrReactionByIdLoader)
    history = History

    @strawberry.field
    async def pcr_batch(self, info: Info) -> PcrBatch | None:
        return await load_by_id(info, PcrBatchByIdLoader, PcrBatch, self.pcr_batch_id)

    @strawberry.field
    def material_sample(self) -> MaterialSample | None:
        return None if self.material_sample_id is None else MaterialSample(id=self.material_sample_id)


@strawberry.federation.type(keys=["id"], description="A sequencing run (Sanger or NGS).")
class SeqBatch:
    id: strawberry.ID
    name: str
    sequencing_type: str | None
    run_date: dt.date | None
    group: str
    version: int

    resolve_reference = entity_resolver(SeqBatchByIdLoader)
    history = History

    @strawberry.field
    async def reactions(self, info: Info) -> list[SeqReaction]:
        return await load_list(info, SeqReactionsByBatchIdLoader, SeqReaction, self.id)


@strawberry.federation.type(keys=["id"], description="One sequencing reaction: a PCR product read with a primer.")
class SeqReaction:
    id: strawberry.ID
    well: str
    group: str
    version: int
    seq_batch_id: strawberry.Private[uuid.UUID]
    pcr_reaction_id: strawberry.Private[uuid.UUID | None]
    primer_id: strawberry.Private[uuid.UUID | None]

    resolve_reference = entity_resolver(SeqReactionByIdLoader)
    history = History

    @strawberry.field
    async def pcr_reaction(self, info: Info) -> PcrReaction | None:
        return await load_by_id(info, PcrReactionByIdLoader, PcrReaction, self.pcr_reaction_id)

    @strawberry.field
    async def primer(self, info: Info) -> PcrPrimer | None:
        return await load_by_id(info, PcrPrimerByIdLoader, PcrPrimer, self.primer_id)


@strawberry.federation.type(keys=["id"], description="A DNA or RNA sequence (GenBank/ENA/DDBJ/BOLD record).")
class Sequence:
    id: strawberry.ID
    accession: str
    accession_version: int
    source_location: str = strawberry.field(description=(
        "The span of the accession this sequence is, as an NCBI gene FASTA header gives it (87-1109, "
        "c5888-4815 on the complement strand); empty for the whole record."))
    source_database: str
    definition: str | None
    organism: str | None
    molecule_type: str | None
    length: int
    checksum_sha256: str = strawberry.field(description="sha256 of the upper-case residues.")
    specimen_voucher: str | None = strawberry.field(description="The voucher text exactly as the record gives it.")
    db_xrefs: list[str] = strawberry.field(description="Cross references, e.g. BOLD:ABCAP149-05, taxon:323757.")
    submitters: list[str]
    publications: JSON
    source_qualifiers: JSON = strawberry.field(description="The source feature's qualifiers as found.")
    structured_comments: JSON = strawberry.field(description="MIENS/MIxS and other structured comments.")
    group: str
    version: int
    region_id: strawberry.Private[uuid.UUID | None]
    material_sample_id: strawberry.Private[uuid.UUID | None]

    resolve_reference = entity_resolver(SequenceByIdLoader)
    history = History

    @strawberry.field(description="The marker region (COI-5P, 16S rRNA, …).")
    async def region(self, info: Info) -> Region | None:
        return await load_by_id(info, RegionByIdLoader, Region, self.region_id)

    @strawberry.field(description="The specimen or sample this sequence was made from.")
    def material_sample(self) -> MaterialSample | None:
        return None if self.material_sample_id is None else MaterialSample(id=self.material_sample_id)

    @strawberry.field(description="Residues `start` to `end` (1-based, inclusive), cut in the database.")
    async def residues(self, info: Info, start: int = 1, end: int | None = None) -> str:
        if start < 1 or (end is not None and end < start):
            raise ClientError(ErrorCode.BAD_USER_INPUT, "Need 1 <= start <= end.", "start")
        length = None if end is None else end - start + 1
        return await info.context.loaders[ResiduesSliceLoader].load((parse_uuid(self.id), start, length)) or ""

    @strawberry.field(description="The sequence as FASTA, 70 residues a line.")
    async def fasta(self, info: Info) -> str:
        residues = await self.residues(info)
        span = f":{self.source_location}" if self.source_location else ""
        return fasta_text(f"{self.accession}.{self.accession_version}{span}", self.definition, residues)


def fasta_text(name: str, description: str | None, residues: str) -> str:
    header = f">{name} {description}" if description else f">{name}"
    return "\n".join([header, *textwrap.wrap(residues, 70)]) + "\n"


@strawberry.federation.type(keys=["id"], description="Molecular work on a material sample.")
class MaterialSample:
    id: strawberry.ID

    resolve_reference = extension_resolver()

    sequences = batched_field(SequencesByMaterialSampleIdLoader, Sequence, list[Sequence],
                              pick=lambda sequences: sequences or [],
                              description="Sequences made from this sample, by accession.")

    @strawberry.field(description="PCR reactions that amplified this sample.")
    async def pcr_reactions(self, info: Info) -> list[PcrReaction]:
        return await load_list(info, PcrReactionsByMaterialSampleIdLoader, PcrReaction, self.id)

    library_preps = batched_field(LibraryPrepsByMaterialSampleIdLoader, LibraryPrep, list[LibraryPrep],
                                  pick=lambda libraries: libraries or [],
                                  description="NGS libraries made from this sample, oldest first.")


ENTITY_TYPES = [Region, PcrPrimer, PcrBatch, PcrReaction, SeqBatch, SeqReaction, Sequence, MaterialSample, Person,
                *NGS_TYPES]
