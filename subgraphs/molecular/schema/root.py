"""Root fields: `x(id:)` and filtered Relay lists per entity, and the create/update/delete mutations."""

from __future__ import annotations

import strawberry

from subgraphs.core.data.filters import (
    FilterField,
    IDFilter,
    IntFilter,
    StringFilter,
    filter_input,
    operators,
)
from subgraphs.core.data.ordering import order_input
from subgraphs.core.schema.fields import by_id_field, connection_field
from subgraphs.core.writes.crud import EntityApi, crud_mutations
from subgraphs.core.writes.mutations import user_error_type

from .. import loaders as ld
from .. import models as m
from .. import service
from ..ngs.schema import NgsQuery, ngs_mutations
from ..ngs.service import NgsErrorCode
from . import inputs as i
from . import types as t

MolecularUserError = user_error_type("Molecular", service.MolecularErrorCode, NgsErrorCode)

s = m.sequence.c
SequenceFilter = filter_input("SequenceFilter", {
    "id": FilterField(IDFilter, operators(s.id)),
    "group": FilterField(StringFilter, operators(s.group)),
    "accession": FilterField(StringFilter, operators(s.accession)),
    "source_database": FilterField(StringFilter, operators(s.source_database)),
    "organism": FilterField(StringFilter, operators(s.organism)),
    "specimen_voucher": FilterField(StringFilter, operators(s.specimen_voucher)),
    "region": FilterField(IDFilter, operators(s.region_id)),
    "material_sample": FilterField(IDFilter, operators(s.material_sample_id)),
    "length": FilterField(IntFilter, operators(s.length)),
}, "Conditions on sequences.")
SequenceOrder = order_input("SequenceOrder", {"accession": s.accession, "length": s.length, "created_on": s.created_on})


def named(name: str, table: object) -> tuple[type, type]:
    return (filter_input(f"{name}Filter", {"id": FilterField(IDFilter, operators(table.c.id)),
                                           "name": FilterField(StringFilter, operators(table.c.name)),
                                           "group": FilterField(StringFilter, operators(table.c.group))},
                         f"Conditions on {name} records."),
            order_input(f"{name}Order", {"name": table.c.name, "created_on": table.c.created_on}))


RegionFilter, RegionOrder = named("Region", m.region)
PcrPrimerFilter, PcrPrimerOrder = named("PcrPrimer", m.pcr_primer)
PcrBatchFilter, PcrBatchOrder = named("PcrBatch", m.pcr_batch)
SeqBatchFilter, SeqBatchOrder = named("SeqBatch", m.seq_batch)


@strawberry.type
class Query(NgsQuery):
    sequence = by_id_field(t.Sequence, ld.SequenceByIdLoader, "A sequence by id.")
    sequences = connection_field(t.Sequence, m.sequence, "Sequences.", SequenceFilter, SequenceOrder,
                                 rows=ld.sequence_rows)
    region = by_id_field(t.Region, ld.RegionByIdLoader, "A region by id.")
    regions = connection_field(t.Region, m.region, "Regions.", RegionFilter, RegionOrder)
    pcr_primer = by_id_field(t.PcrPrimer, ld.PcrPrimerByIdLoader, "A PCR primer by id.")
    pcr_primers = connection_field(t.PcrPrimer, m.pcr_primer, "PCR primers.", PcrPrimerFilter, PcrPrimerOrder)
    pcr_batch = by_id_field(t.PcrBatch, ld.PcrBatchByIdLoader, "A PCR batch by id.")
    pcr_batches = connection_field(t.PcrBatch, m.pcr_batch, "PCR batches.", PcrBatchFilter, PcrBatchOrder)
    seq_batch = by_id_field(t.SeqBatch, ld.SeqBatchByIdLoader, "A sequencing batch by id.")
    seq_batches = connection_field(t.SeqBatch, m.seq_batch, "Sequencing batches.", SeqBatchFilter, SeqBatchOrder)


MUTATIONS = [
    crud_mutations("Region", service.REGION, EntityApi(t.Region, i.CreateRegionInput, i.UpdateRegionInput, MolecularUserError)),
    crud_mutations("PcrPrimer", service.PCR_PRIMER,
                   EntityApi(t.PcrPrimer, i.CreatePcrPrimerInput, i.UpdatePcrPrimerInput, MolecularUserError)),
    crud_mutations("PcrBatch", service.PCR_BATCH, EntityApi(t.PcrBatch, i.CreatePcrBatchInput, i.UpdatePcrBatchInput, MolecularUserError)),
    crud_mutations("PcrReaction", service.PCR_REACTION,
                   EntityApi(t.PcrReaction, i.CreatePcrReactionInput, i.UpdatePcrReactionInput, MolecularUserError)),
    crud_mutations("SeqBatch", service.SEQ_BATCH, EntityApi(t.SeqBatch, i.CreateSeqBatchInput, i.UpdateSeqBatchInput, MolecularUserError)),
    crud_mutations("SeqReaction", service.SEQ_REACTION,
                   EntityApi(t.SeqReaction, i.CreateSeqReactionInput, i.UpdateSeqReactionInput, MolecularUserError)),
    crud_mutations("Sequence", service.SEQUENCE, EntityApi(t.Sequence, i.CreateSequenceInput, i.UpdateSequenceInput, MolecularUserError)),
    ngs_mutations(MolecularUserError),
]
