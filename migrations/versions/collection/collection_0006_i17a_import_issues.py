"""collection: issue flags and measurements of imported samples and events (Darwin Core Archive import)

A value an import could not read is kept verbatim in the source record and named by an issue flag
(GBIF's occurrence issues: RECORDED_DATE_INVALID, COORDINATE_INVALID, ...); MeasurementOrFact rows are
kept as the record's measurements, ResourceRelationship rows as a sample's associations, Reference rows
as its citations.

Revision ID: collection_0006_i17a
Revises: collection_0005_i17b
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = 'collection_0006_i17a'
down_revision: str | None = 'collection_0005_i17b'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ('material_sample', 'collecting_event')
SAMPLE_ONLY = ('associations', 'citations')


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column('issues', postgresql.ARRAY(sa.Text()), server_default='{}', nullable=False),
                      schema='collection')
        op.add_column(table, sa.Column('measurements', postgresql.JSONB(astext_type=sa.Text()), server_default='[]',
                                       nullable=False), schema='collection')
        op.create_index(op.f(f'ix_collection_{table}_issues'), table, ['issues'], unique=False, schema='collection',
                        postgresql_using='gin')
    for column in SAMPLE_ONLY:
        op.add_column('material_sample', sa.Column(column, postgresql.JSONB(astext_type=sa.Text()), server_default='[]',
                                                   nullable=False), schema='collection')


def downgrade() -> None:
    for column in SAMPLE_ONLY:
        op.drop_column('material_sample', column, schema='collection')
    for table in TABLES:
        op.drop_index(op.f(f'ix_collection_{table}_issues'), table_name=table, schema='collection')
        op.drop_column(table, 'measurements', schema='collection')
        op.drop_column(table, 'issues', schema='collection')
