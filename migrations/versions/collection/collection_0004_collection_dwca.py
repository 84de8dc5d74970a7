"""collection: occurrenceID and the source row of imported samples (Darwin Core Archive import)

Revision ID: collection_0004
Revises: collection_0003
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = 'collection_0004'
down_revision: str | None = 'collection_0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('material_sample', sa.Column('occurrence_id', sa.String(length=500), nullable=True), schema='collection')
    op.add_column('material_sample', sa.Column('source_record', postgresql.JSONB(astext_type=sa.Text()), server_default='{}', nullable=False), schema='collection')
    op.create_index(op.f('ix_collection_material_sample_occurrence_id'), 'material_sample', ['occurrence_id'], unique=False, schema='collection')


def downgrade() -> None:
    op.drop_index(op.f('ix_collection_material_sample_occurrence_id'), table_name='material_sample', schema='collection')
    op.drop_column('material_sample', 'source_record', schema='collection')
    op.drop_column('material_sample', 'occurrence_id', schema='collection')
    # ### end Alembic commands ###
