"""collection: living collections — a sample's state (with its date and agent), establishmentMeans and
degreeOfEstablishment

Revision ID: collection_0010_i25_living
Revises: collection_0009_i25_restricted
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from subgraphs.core.runtime.migration_ops import create_prefix_indexes, drop_prefix_indexes

revision: str = 'collection_0010_i25_living'
down_revision: str | None = 'collection_0009_i25_restricted'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (('state', sa.String(20)), ('state_changed_on', sa.Date()), ('state_changed_by_id', postgresql.UUID()),
           ('establishment_means', sa.String(50)), ('degree_of_establishment', sa.String(50)))
INDEXED = ('state', 'state_changed_by_id')


# (table, column) pairs a StringFilter is offered on: their `startsWith` index (tests/test_prefix_search.py)
PREFIXED = [
    ('material_sample', 'degree_of_establishment'),
    ('material_sample', 'establishment_means'),
    ('material_sample', 'state'),
]


def upgrade() -> None:
    for name, type_ in COLUMNS:
        op.add_column('material_sample', sa.Column(name, type_), schema='collection')
    for name in INDEXED:
        op.create_index(op.f(f'ix_collection_material_sample_{name}'), 'material_sample', [name], schema='collection')
    create_prefix_indexes('collection', PREFIXED)


def downgrade() -> None:
    drop_prefix_indexes('collection', PREFIXED)
    for name in INDEXED:
        op.drop_index(op.f(f'ix_collection_material_sample_{name}'), 'material_sample', schema='collection')
    for name, _ in reversed(COLUMNS):
        op.drop_column('material_sample', name, schema='collection')
