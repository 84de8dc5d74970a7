"""agents initial: the agents subgraph's own schema and tables.

Revision ID: agents_0001
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "agents_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ("agents",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("CREATE SCHEMA IF NOT EXISTS agents")
    op.create_table('person',
    sa.Column('display_name', sa.String(length=500), nullable=False),
    sa.Column('given_names', sa.String(length=500), nullable=True),
    sa.Column('family_names', sa.String(length=500), nullable=True),
    sa.Column('aliases', postgresql.ARRAY(sa.Text()), server_default='{}', nullable=False),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('webpage', sa.String(length=2000), nullable=True),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('group', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_on', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person')),
    schema='agents'
    )
    op.create_index(op.f('ix_agents_person_display_name'), 'person', ['display_name'], unique=False, schema='agents')
    op.create_index(op.f('ix_agents_person_group'), 'person', ['group'], unique=False, schema='agents')


def downgrade() -> None:
    op.drop_index(op.f('ix_agents_person_group'), table_name='person', schema='agents')
    op.drop_index(op.f('ix_agents_person_display_name'), table_name='person', schema='agents')
    op.drop_table('person', schema='agents')
    # ### end Alembic commands ###
    op.execute("DROP SCHEMA IF EXISTS agents CASCADE")
