"""molecular: an accession.version is unique within its group, per span of it (sourceLocation: the
`87-1109` of an NCBI gene FASTA header; '' for the whole record)

Revision ID: molecular_0004_i17b
Revises: molecular_0003
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'molecular_0004_i17b'
down_revision: str | None = 'molecular_0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('sequence', sa.Column('source_location', sa.String(length=100), server_default='', nullable=False),
                  schema='molecular')
    op.drop_constraint('uq_sequence_accession', 'sequence', schema='molecular', type_='unique')
    op.create_unique_constraint(op.f('uq_sequence_group'), 'sequence',
                                ['group', 'accession', 'accession_version', 'source_location'], schema='molecular')


def downgrade() -> None:
    op.drop_constraint(op.f('uq_sequence_group'), 'sequence', schema='molecular', type_='unique')
    op.create_unique_constraint(op.f('uq_sequence_accession'), 'sequence', ['accession', 'accession_version'],
                                schema='molecular')
    op.drop_column('sequence', 'source_location', schema='molecular')
