from __future__ import annotations

import datetime as dt
from enum import Enum

import strawberry
from strawberry import UNSET


@strawberry.enum
class PrimerDirection(Enum):
    FORWARD = "FORWARD"
    REVERSE = "REVERSE"


@strawberry.input
class Identity:
    id: strawberry.ID
    version: int = strawberry.field(description="The version you read; a newer one is a STALE_VERSION error.")


@strawberry.input
class RegionFields:
    name: str | None = UNSET
    description: str | None = UNSET


@strawberry.input
class CreateRegionInput(RegionFields):
    name: str
    group: str


@strawberry.input
class UpdateRegionInput(RegionFields, Identity):
    pass


@strawberry.input
class PcrPrimerFields:
    name: str | None = UNSET
    direction: PrimerDirection | None = UNSET
    sequence: str | None = strawberry.field(default=UNSET, description="IUPAC nucleotide codes, 5'→3'.")
    region_id: strawberry.ID | None = UNSET


@strawberry.input
class CreatePcrPrimerInput(PcrPrimerFields):
    name: str
    direction: PrimerDirection
    sequence: str
    group: str


@strawberry.input
class UpdatePcrPrimerInput(PcrPrimerFields, Identity):
    pass


@strawberry.input
class PcrBatchFields:
    name: str | None = UNSET
    region_id: strawberry.ID | None = UNSET
    primer_ids: list[strawberry.ID] | None = UNSET
    thermocycler: str | None = UNSET
    protocol: str | None = UNSET
    reaction_date: dt.date | None = UNSET
    experimenter_ids: list[strawberry.ID] | None = UNSET


@strawberry.input
class CreatePcrBatchInput(PcrBatchFields):
    name: str
    group: str


@strawberry.input
class UpdatePcrBatchInput(PcrBatchFields, Identity):
    pass


@strawberry.input
class PcrReactionFields:
    well: str | None = UNSET
    material_sample_id: strawberry.ID | None = UNSET
    result: str | None = UNSET


@strawberry.input
class CreatePcrReactionInput(PcrReactionFields):
    pcr_batch_id: strawberry.ID
    well: str
    group: str


@strawberry.input
class UpdatePcrReactionInput(PcrReactionFields, Identity):
    pass


@strawberry.input
class SeqBatchFields:
    name: str | None = UNSET
    sequencing_type: str | None = UNSET
    run_date: dt.date | None = UNSET


@strawberry.input
class CreateSeqBatchInput(SeqBatchFields):
    name: str
    group: str


@strawberry.input
class UpdateSeqBatchInput(SeqBatchFields, Identity):
    pass


@strawberry.input
class SeqReactionFields:
    well: str | None = UNSET
    pcr_reaction_id: strawberry.ID | None = UNSET
    primer_id: strawberry.ID | None = UNSET


@strawberry.input
class CreateSeqReactionInput(SeqReactionFields):
    seq_batch_id: strawberry.ID
    well: str
    group: str


@strawberry.input
class UpdateSeqReactionInput(SeqReactionFields, Identity):
    pass


@strawberry.input
class SequenceFields:
    definition: str | None = UNSET
    organism: str | None = UNSET
    molecule_type: str | None = UNSET
    region_id: strawberry.ID | None = UNSET
    residues: str | None = strawberry.field(default=UNSET, description="IUPAC codes; length and checksum follow.")
    specimen_voucher: str | None = UNSET
    db_xrefs: list[str] | None = UNSET
    material_sample_id: strawberry.ID | None = UNSET


@strawberry.input
class CreateSequenceInput(SequenceFields):
    accession: str
    accession_version: int = 1
    source_database: str = "GenBank"
    residues: str
    group: str


@strawberry.input
class UpdateSequenceInput(SequenceFields, Identity):
    pass
