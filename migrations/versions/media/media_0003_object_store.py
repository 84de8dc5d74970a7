"""media: verified uploads (object_upload), stored object keys, remote URLs, dimensions and derivatives

Revision ID: media_0003
Revises: media_0002
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = 'media_0003'
down_revision: str | None = 'media_0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('object_upload',
    sa.Column('filename', sa.String(length=500), nullable=False),
    sa.Column('media_type', sa.String(length=150), nullable=False),
    sa.Column('size_bytes', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('object_key', sa.String(length=500), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('group', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_on', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_object_upload')),
    sa.UniqueConstraint('object_key', name=op.f('uq_object_upload_object_key')),
    schema='media'
    )
    op.create_index(op.f('ix_media_object_upload_group'), 'object_upload', ['group'], unique=False, schema='media')
    op.add_column('media', sa.Column('object_key', sa.String(length=500), nullable=True), schema='media')
    op.add_column('media', sa.Column('access_uri', sa.String(length=2000), nullable=True), schema='media')
    op.add_column('media', sa.Column('width', sa.Integer(), nullable=True), schema='media')
    op.add_column('media', sa.Column('height', sa.Integer(), nullable=True), schema='media')
    op.add_column('media', sa.Column('orientation', sa.Integer(), nullable=True), schema='media')
    op.add_column('media', sa.Column('derivatives', postgresql.JSONB(astext_type=sa.Text()), server_default='[]', nullable=False), schema='media')


def downgrade() -> None:
    op.drop_column('media', 'derivatives', schema='media')
    op.drop_column('media', 'orientation', schema='media')
    op.drop_column('media', 'height', schema='media')
    op.drop_column('media', 'width', schema='media')
    op.drop_column('media', 'access_uri', schema='media')
    op.drop_column('media', 'object_key', schema='media')
    op.drop_index(op.f('ix_media_object_upload_group'), table_name='object_upload', schema='media')
    op.drop_table('object_upload', schema='media')
