"""collection initial: the collection subgraph's own schema and tables.

Revision ID: collection_0001
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "collection_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ("collection",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("CREATE SCHEMA IF NOT EXISTS collection")
    op.create_table('collecting_event',
    sa.Column('verbatim_event_date', sa.String(length=250), nullable=True),
    sa.Column('start_event_date', sa.Date(), nullable=True),
    sa.Column('end_event_date', sa.Date(), nullable=True),
    sa.Column('verbatim_locality', sa.Text(), nullable=True),
    sa.Column('country', sa.String(length=200), nullable=True),
    sa.Column('country_code', sa.String(length=2), nullable=True),
    sa.Column('state_province', sa.String(length=200), nullable=True),
    sa.Column('decimal_latitude', sa.Float(), nullable=True),
    sa.Column('decimal_longitude', sa.Float(), nullable=True),
    sa.Column('collector_ids', postgresql.ARRAY(sa.UUID()), server_default='{}', nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('group', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_on', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collecting_event')),
    schema='collection'
    )
    op.create_index(op.f('ix_collection_collecting_event_group'), 'collecting_event', ['group'], unique=False, schema='collection')
    op.create_table('material_sample',
    sa.Column('material_sample_name', sa.String(length=250), nullable=False),
    sa.Column('collecting_event_id', sa.UUID(), nullable=True),
    sa.Column('barcode', sa.String(length=100), nullable=True),
    sa.Column('preparation_type', sa.String(length=100), nullable=True),
    sa.Column('other_catalog_numbers', postgresql.ARRAY(sa.Text()), server_default='{}', nullable=False),
    sa.Column('attachment_ids', postgresql.ARRAY(sa.UUID()), server_default='{}', nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('group', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_on', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['collecting_event_id'], ['collection.collecting_event.id'], name=op.f('fk_material_sample_collecting_event_id_collecting_event')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_material_sample')),
    schema='collection'
    )
    op.create_index(op.f('ix_collection_material_sample_collecting_event_id'), 'material_sample', ['collecting_event_id'], unique=False, schema='collection')
    op.create_index(op.f('ix_collection_material_sample_group'), 'material_sample', ['group'], unique=False, schema='collection')
    op.create_index(op.f('ix_collection_material_sample_material_sample_name'), 'material_sample', ['material_sample_name'], unique=False, schema='collection')


def downgrade() -> None:
    op.drop_index(op.f('ix_collection_material_sample_material_sample_name'), table_name='material_sample', schema='collection')
    op.drop_index(op.f('ix_collection_material_sample_group'), table_name='material_sample', schema='collection')
    op.drop_index(op.f('ix_collection_material_sample_collecting_event_id'), table_name='material_sample', schema='collection')
    op.drop_table('material_sample', schema='collection')
    op.drop_index(op.f('ix_collection_collecting_event_group'), table_name='collecting_event', schema='collection')
    op.drop_table('collecting_event', schema='collection')
    op.execute("DROP SCHEMA IF EXISTS collection CASCADE")
