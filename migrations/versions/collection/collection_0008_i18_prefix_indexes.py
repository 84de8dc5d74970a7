"""collection: an index for `startsWith` on every column it is offered on

A case-insensitive LIKE 'x%' read every row (p50 1.7 s at 300k samples under load); the filter now
searches a range of lower(column) COLLATE "C", which these indexes hold.

Revision ID: collection_0008_i18
Revises: collection_0007_i18
Create Date: 2026-12-08
"""

from collections.abc import Sequence

from subgraphs.core.runtime.migration_ops import create_prefix_indexes, drop_prefix_indexes

revision: str = "collection_0008_i18"
down_revision: str | None = "collection_0007_i18"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column) pairs a StringFilter is offered on (tests/test_prefix_search.py checks the list)
PREFIXED = [
    ('collecting_event', 'country'),
    ('collecting_event', 'country_code'),
    ('collecting_event', 'group'),
    ('collecting_event', 'habitat'),
    ('collecting_event', 'state_province'),
    ('collecting_event', 'verbatim_locality'),
    ('collection', 'code'),
    ('collection', 'group'),
    ('collection', 'name'),
    ('determination', 'group'),
    ('determination', 'scientific_name'),
    ('determination', 'type_status'),
    ('determination', 'verbatim_scientific_name'),
    ('institution', 'code'),
    ('institution', 'group'),
    ('institution', 'name'),
    ('managed_attribute', 'group'),
    ('managed_attribute', 'key'),
    ('managed_attribute', 'name'),
    ('managed_attribute', 'value_type'),
    ('material_sample', 'barcode'),
    ('material_sample', 'group'),
    ('material_sample', 'material_sample_name'),
    ('material_sample', 'material_sample_type'),
    ('organism', 'group'),
    ('organism', 'life_stage'),
    ('organism', 'sex'),
    ('preparation_type', 'group'),
    ('preparation_type', 'name'),
    ('project', 'group'),
    ('project', 'name'),
    ('project', 'status'),
    ('storage_unit', 'barcode'),
    ('storage_unit', 'group'),
    ('storage_unit', 'name'),
    ('storage_unit', 'unit_type'),
]


def upgrade() -> None:
    create_prefix_indexes("collection", PREFIXED)


def downgrade() -> None:
    drop_prefix_indexes("collection", PREFIXED)
