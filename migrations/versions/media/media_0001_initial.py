"""media initial: the media subgraph's own schema and tables.

Revision ID: media_0001
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "media_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ("media",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("CREATE SCHEMA IF NOT EXISTS media")
    op.create_table('media',
    sa.Column('dc_type', sa.String(length=50), nullable=False),
    sa.Column('dc_format', sa.String(length=150), nullable=False),
    sa.Column('caption', sa.Text(), nullable=True),
    sa.Column('tags', postgresql.ARRAY(sa.Text()), server_default='{}', nullable=False),
    sa.Column('license', sa.String(length=500), nullable=True),
    sa.Column('rights_holder', sa.String(length=500), nullable=True),
    sa.Column('original_filename', sa.String(length=500), nullable=True),
    sa.Column('size_bytes', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('digitization_date', sa.DateTime(timezone=True), nullable=True),
    sa.Column('exif', postgresql.JSONB(astext_type=sa.Text()), server_default='{}', nullable=False),
    sa.Column('creator_id', sa.UUID(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('group', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_on', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_media')),
    schema='media'
    )
    op.create_index(op.f('ix_media_media_creator_id'), 'media', ['creator_id'], unique=False, schema='media')
    op.create_index(op.f('ix_media_media_group'), 'media', ['group'], unique=False, schema='media')
    # ### end Alembic commands ###


def downgrade() -> None:
    op.drop_index(op.f('ix_media_media_group'), table_name='media', schema='media')
    op.drop_index(op.f('ix_media_media_creator_id'), table_name='media', schema='media')
    op.drop_table('media', schema='media')
    op.execute("DROP SCHEMA IF EXISTS media CASCADE")
