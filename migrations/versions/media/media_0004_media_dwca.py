"""media: remote media from archives (no stored bytes: size and sha256 optional) and their source rows

Revision ID: media_0004
Revises: media_0003
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = 'media_0004'
down_revision: str | None = 'media_0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('media', sa.Column('source_record', postgresql.JSONB(astext_type=sa.Text()), server_default='{}', nullable=False), schema='media')
    op.alter_column('media', 'size_bytes',
               existing_type=sa.BIGINT(),
               nullable=True,
               schema='media')
    op.alter_column('media', 'sha256',
               existing_type=sa.VARCHAR(length=64),
               nullable=True,
               schema='media')
    # ### end Alembic commands ###


def downgrade() -> None:
    op.alter_column('media', 'sha256',
               existing_type=sa.VARCHAR(length=64),
               nullable=False,
               schema='media')
    op.alter_column('media', 'size_bytes',
               existing_type=sa.BIGINT(),
               nullable=False,
               schema='media')
    op.drop_column('media', 'source_record', schema='media')
