"""agents: organizations, person identifiers and memberships

Revision ID: agents_0003
Revises: agents_0002
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "agents_0003"
down_revision: str | None = "agents_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('organization',
    sa.Column('names', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('display_name', sa.String(length=500), nullable=False),
    sa.Column('aliases', postgresql.ARRAY(sa.Text()), server_default='{}', nullable=False),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('group', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_on', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organization')),
    schema='agents'
    )
    op.create_index(op.f('ix_agents_organization_display_name'), 'organization', ['display_name'], unique=False, schema='agents')
    op.create_index(op.f('ix_agents_organization_group'), 'organization', ['group'], unique=False, schema='agents')
    op.add_column('person', sa.Column('identifiers', postgresql.JSONB(astext_type=sa.Text()), server_default='[]', nullable=False), schema='agents')
    op.add_column('person', sa.Column('organization_ids', postgresql.ARRAY(sa.UUID()), server_default='{}', nullable=False), schema='agents')


def downgrade() -> None:
    op.drop_column('person', 'organization_ids', schema='agents')
    op.drop_column('person', 'identifiers', schema='agents')
    op.drop_index(op.f('ix_agents_organization_group'), table_name='organization', schema='agents')
    op.drop_index(op.f('ix_agents_organization_display_name'), table_name='organization', schema='agents')
    op.drop_table('organization', schema='agents')
    # ### end Alembic commands ###
