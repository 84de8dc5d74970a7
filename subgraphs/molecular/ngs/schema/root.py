"""Root fields of the NGS workflow: each entity by id and as a filtered connection, and its writes."""

# No `from __future__ import annotations`: Strawberry reads these annotations as objects.
from typing import Any

import strawberry
from sqlalchemy import Table

from subgraphs.core.base.ids import require_uuid
from subgraphs.core.data.filters import (
    FilterField,
    IDFilter,
    IntFilter,
    StringFilter,
    filter_input,
    operators,
)
from subgraphs.core.data.ordering import order_input
from subgraphs.core.execution.context import Info
from subgraphs.core.schema.fields import by_id_field, connection_field
from subgraphs.core.writes.crud import EntityApi, crud_mutations, payload_type, respond
from subgraphs.core.writes.mutations import run_mutation

from .. import demultiplex, service
from .. import loaders as ld
from .. import repository as r
from . import inputs as i
from . import types as t


def _filters(name: str, table: Table, extra: dict[str, FilterField]) -> tuple[type, type]:
    c = table.c
    return (filter_input(f"{name}Filter", {"id": FilterField(IDFilter, operators(c.id)),
                                           "name": FilterField(StringFilter, operators(c.name)),
                                           "group": FilterField(StringFilter, operators(c.group)), **extra},
                         f"Conditions on {name} records."),
            order_input(f"{name}Order", {"name": c.name, "created_on": c.created_on}))


IndexSetFilter, IndexSetOrder = _filters("IndexSet", r.index_set, {
    "supplier": FilterField(StringFilter, operators(r.index_set.c.supplier))})
FacilityFilter, FacilityOrder = _filters("SequencingFacility", r.facility, {})
BatchFilter, BatchOrder = _filters("LibraryPrepBatch", r.batch, {
    "kit": FilterField(StringFilter, operators(r.batch.c.kit)),
    "index_set": FilterField(IDFilter, operators(r.batch.c.index_set_id))})
LibraryFilter, LibraryOrder = _filters("LibraryPrep", r.library, {
    "material_sample": FilterField(IDFilter, operators(r.library.c.material_sample_id)),
    "library_prep_batch": FilterField(IDFilter, operators(r.library.c.library_prep_batch_id)),
    "i7_sequence": FilterField(StringFilter, operators(r.library.c.i7_sequence)),
    "i5_sequence": FilterField(StringFilter, operators(r.library.c.i5_sequence)),
    "project": FilterField(StringFilter, operators(r.library.c.project))})
PoolFilter, PoolOrder = _filters("LibraryPool", r.pool, {})
MetagenomicsFilter, MetagenomicsOrder = _filters("MetagenomicsBatch", r.metagenomics_batch, {})
RunFilter, RunOrder = _filters("SequencingRun", r.run, {
    "instrument_type": FilterField(StringFilter, operators(r.run.c.instrument_type)),
    "sequencing_facility": FilterField(IDFilter, operators(r.run.c.sequencing_facility_id)),
    "barcode_mismatches": FilterField(IntFilter, operators(r.run.c.barcode_mismatches))})


@strawberry.type
class NgsQuery:
    index_set = by_id_field(t.IndexSet, ld.IndexSetByIdLoader, "An index set by id.")
    index_sets = connection_field(t.IndexSet, r.index_set, "Index adapter kits.", IndexSetFilter, IndexSetOrder)
    ngs_index = by_id_field(t.NgsIndex, ld.NgsIndexByIdLoader, "An index by id.")
    sequencing_facility = by_id_field(t.SequencingFacility, ld.SequencingFacilityByIdLoader, "A facility by id.")
    sequencing_facilities = connection_field(t.SequencingFacility, r.facility, "Sequencing facilities.",
                                             FacilityFilter, FacilityOrder)
    library_prep_batch = by_id_field(t.LibraryPrepBatch, ld.LibraryPrepBatchByIdLoader, "A library prep batch by id.")
    library_prep_batches = connection_field(t.LibraryPrepBatch, r.batch, "Library prep batches (plates).",
                                            BatchFilter, BatchOrder)
    library_prep = by_id_field(t.LibraryPrep, ld.LibraryPrepByIdLoader, "A library by id.")
    library_preps = connection_field(t.LibraryPrep, r.library, "NGS libraries.", LibraryFilter, LibraryOrder)
    library_pool = by_id_field(t.LibraryPool, ld.LibraryPoolByIdLoader, "A library pool by id.")
    library_pools = connection_field(t.LibraryPool, r.pool, "Library pools.", PoolFilter, PoolOrder)
    metagenomics_batch = by_id_field(t.MetagenomicsBatch, ld.MetagenomicsBatchByIdLoader, "A metagenomics batch by id.")
    metagenomics_batches = connection_field(t.MetagenomicsBatch, r.metagenomics_batch, "Metagenomics batches.",
                                            MetagenomicsFilter, MetagenomicsOrder)
    sequencing_run = by_id_field(t.SequencingRun, ld.SequencingRunByIdLoader, "A sequencing run by id.")
    sequencing_runs = connection_field(t.SequencingRun, r.run, "Sequencing runs (SeqDB MolecularAnalysisRun).",
                                       RunFilter, RunOrder)


def ngs_mutations(user_error: type) -> dict[str, Any]:
    """Every NGS create/update/delete, reporting errors as the molecular subgraph's ``user_error`` type."""
    entities = [
        ("IndexSet", service.INDEX_SET, t.IndexSet, i.CreateIndexSetInput, i.UpdateIndexSetInput),
        ("NgsIndex", service.NGS_INDEX, t.NgsIndex, i.CreateNgsIndexInput, i.UpdateNgsIndexInput),
        ("SequencingFacility", service.FACILITY, t.SequencingFacility, i.CreateSequencingFacilityInput,
         i.UpdateSequencingFacilityInput),
        ("LibraryPrepBatch", service.LIBRARY_PREP_BATCH, t.LibraryPrepBatch, i.CreateLibraryPrepBatchInput,
         i.UpdateLibraryPrepBatchInput),
        ("LibraryPrep", service.LIBRARY_PREP, t.LibraryPrep, i.CreateLibraryPrepInput, i.UpdateLibraryPrepInput),
        ("LibraryPool", service.LIBRARY_POOL, t.LibraryPool, i.CreateLibraryPoolInput, i.UpdateLibraryPoolInput),
        ("LibraryPoolContent", service.LIBRARY_POOL_CONTENT, t.LibraryPoolContent, i.CreateLibraryPoolContentInput,
         i.UpdateLibraryPoolContentInput),
        ("SequencingRun", service.SEQUENCING_RUN, t.SequencingRun, i.CreateSequencingRunInput,
         i.UpdateSequencingRunInput),
        ("SequencingRunItem", service.SEQUENCING_RUN_ITEM, t.SequencingRunItem, i.CreateSequencingRunItemInput,
         i.UpdateSequencingRunItemInput),
        ("QualityControl", service.QUALITY_CONTROL, t.QualityControl, i.CreateQualityControlInput,
         i.UpdateQualityControlInput),
        ("PreLibraryPrep", service.PRE_LIBRARY_PREP, t.PreLibraryPrep, i.CreatePreLibraryPrepInput,
         i.UpdatePreLibraryPrepInput),
        ("MetagenomicsBatch", service.METAGENOMICS_BATCH, t.MetagenomicsBatch, i.CreateMetagenomicsBatchInput,
         i.UpdateMetagenomicsBatchInput),
        ("MetagenomicsBatchItem", service.METAGENOMICS_BATCH_ITEM, t.MetagenomicsBatchItem,
         i.CreateMetagenomicsBatchItemInput, i.UpdateMetagenomicsBatchItemInput),
        ("SeqSubmission", service.SEQ_SUBMISSION, t.SeqSubmission, i.CreateSeqSubmissionInput,
         i.UpdateSeqSubmissionInput),
    ]
    fields: dict[str, Any] = {}
    for name, rules, node, create_input, update_input in entities:
        fields |= crud_mutations(name, rules, EntityApi(node, create_input, update_input, user_error))
    run_api = EntityApi(t.SequencingRun, i.CreateSequencingRunInput, i.UpdateSequencingRunInput, user_error)

    async def import_demultiplex_stats(info: Info, input: i.ImportDemultiplexStatsInput) -> Any:
        return respond("SequencingRun", run_api, *await run_mutation(info, lambda s: demultiplex.record_read_counts(
            s, require_uuid(input.sequencing_run_id, "sequencingRunId"), input.content, info.context.actor)))

    import_demultiplex_stats.__annotations__["return"] = payload_type("SequencingRun", run_api)
    fields["import_demultiplex_stats"] = strawberry.mutation(
        resolver=import_demultiplex_stats, description="Read counts per library from BCL Convert's "
        "Demultiplex_Stats.csv onto the run's items; nothing is recorded when a line is bad.")
    return fields
