"""Batched reads of the NGS workflow, one class per mapping."""

from __future__ import annotations

from subgraphs.core.data.loaders import AuditByRecordIdLoader, RowByIdLoader, RowsByParentLoader

from ..models import audit_log
from . import repository as r


class IndexSetByIdLoader(RowByIdLoader):
    table = r.index_set


class NgsIndexByIdLoader(RowByIdLoader):
    table = r.ngs_index


class SequencingFacilityByIdLoader(RowByIdLoader):
    table = r.facility


class LibraryPrepBatchByIdLoader(RowByIdLoader):
    table = r.batch


class LibraryPrepByIdLoader(RowByIdLoader):
    table = r.library


class LibraryPoolByIdLoader(RowByIdLoader):
    table = r.pool


class SequencingRunByIdLoader(RowByIdLoader):
    table = r.run


class NgsIndexesByIndexSetIdLoader(RowsByParentLoader):
    table = r.ngs_index
    parent_column = "index_set_id"
    order_by = ("direction", "name")


class LibraryPrepsByBatchIdLoader(RowsByParentLoader):
    table = r.library
    parent_column = "library_prep_batch_id"
    order_by = ("well", "name")


class LibraryPrepsByMaterialSampleIdLoader(RowsByParentLoader):
    table = r.library
    parent_column = "material_sample_id"
    order_by = ("created_on", "id")


class PoolContentsByPoolIdLoader(RowsByParentLoader):
    table = r.content
    parent_column = "library_pool_id"


class PoolContentsByLibraryPrepIdLoader(RowsByParentLoader):
    """Where a library was pooled."""

    table = r.content
    parent_column = "library_prep_id"


class PoolContentsByPooledPoolIdLoader(RowsByParentLoader):
    """The pools a pool went into."""

    table = r.content
    parent_column = "pooled_library_pool_id"


class RunItemsByRunIdLoader(RowsByParentLoader):
    table = r.run_item
    parent_column = "sequencing_run_id"
    order_by = ("lane", "id")


class RunItemsByPoolIdLoader(RowsByParentLoader):
    table = r.run_item
    parent_column = "library_pool_id"


class RunItemsByLibraryPrepIdLoader(RowsByParentLoader):
    table = r.run_item
    parent_column = "library_prep_id"


class QualityControlsByLibraryPrepIdLoader(RowsByParentLoader):
    table = r.quality_control
    parent_column = "library_prep_id"


class QualityControlsByPoolIdLoader(RowsByParentLoader):
    table = r.quality_control
    parent_column = "library_pool_id"


class NgsAuditByRecordIdLoader(AuditByRecordIdLoader):
    table = audit_log


class PreLibraryPrepsByLibraryPrepIdLoader(RowsByParentLoader):
    table = r.pre_library_prep
    parent_column = "library_prep_id"


class MetagenomicsBatchByIdLoader(RowByIdLoader):
    table = r.metagenomics_batch


class MetagenomicsItemsByBatchIdLoader(RowsByParentLoader):
    table = r.metagenomics_item
    parent_column = "metagenomics_batch_id"


class SubmissionsByRunIdLoader(RowsByParentLoader):
    table = r.submission
    parent_column = "sequencing_run_id"
