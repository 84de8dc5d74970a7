"""molecular initial: the molecular subgraph's own schema and tables.

Revision ID: molecular_0001
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "molecular_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ("molecular",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("CREATE SCHEMA IF NOT EXISTS molecular")
    op.create_table('sequence',
    sa.Column('accession', sa.String(length=50), nullable=False),
    sa.Column('accession_version', sa.Integer(), nullable=False),
    sa.Column('source_database', sa.String(length=20), nullable=False),
    sa.Column('definition', sa.Text(), nullable=True),
    sa.Column('organism', sa.String(length=500), nullable=True),
    sa.Column('molecule_type', sa.String(length=50), nullable=True),
    sa.Column('region', sa.String(length=100), nullable=True),
    sa.Column('length', sa.Integer(), nullable=False),
    sa.Column('residues_zlib', sa.LargeBinary(), nullable=False),
    sa.Column('checksum_sha256', sa.String(length=64), nullable=False),
    sa.Column('specimen_voucher', sa.String(length=500), nullable=True),
    sa.Column('material_sample_id', sa.UUID(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('group', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_on', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sequence')),
    sa.UniqueConstraint('accession', 'accession_version', name=op.f('uq_sequence_accession')),
    schema='molecular'
    )
    op.create_index(op.f('ix_molecular_sequence_accession'), 'sequence', ['accession'], unique=False, schema='molecular')
    op.create_index(op.f('ix_molecular_sequence_group'), 'sequence', ['group'], unique=False, schema='molecular')
    op.create_index(op.f('ix_molecular_sequence_material_sample_id'), 'sequence', ['material_sample_id'], unique=False, schema='molecular')


def downgrade() -> None:
    op.drop_index(op.f('ix_molecular_sequence_material_sample_id'), table_name='sequence', schema='molecular')
    op.drop_index(op.f('ix_molecular_sequence_group'), table_name='sequence', schema='molecular')
    op.drop_index(op.f('ix_molecular_sequence_accession'), table_name='sequence', schema='molecular')
    op.drop_table('sequence', schema='molecular')
    op.execute("DROP SCHEMA IF EXISTS molecular CASCADE")
