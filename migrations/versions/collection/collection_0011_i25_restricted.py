"""collection: restricted records — publiclyReleasable, its reason and an embargo on samples and events

Revision ID: collection_0009_i25_restricted
Revises: collection_0008_i25_basis
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'collection_0009_i25_restricted'
down_revision: str | None = 'collection_0008_i25_basis'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ('material_sample', 'collecting_event')


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column('publicly_releasable', sa.Boolean(), server_default='true', nullable=False),
                      schema='collection')
        op.add_column(table, sa.Column('not_publicly_releasable_reason', sa.Text()), schema='collection')
        op.add_column(table, sa.Column('embargo_end_date', sa.Date()), schema='collection')


def downgrade() -> None:
    for table in TABLES:
        for column in ('embargo_end_date', 'not_publicly_releasable_reason', 'publicly_releasable'):
            op.drop_column(table, column, schema='collection')
