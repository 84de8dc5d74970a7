"""molecular: names unique per group instead of across all groups

A name another group already used was refused (as an unexpected error that revealed it existed);
each group now has its own namespace.

Revision ID: molecular_0004_i18
Revises: molecular_0003
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

revision: str = 'molecular_0004_i18'
down_revision: str | None = 'molecular_0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column unique within a group)
PER_GROUP = [('region', 'name'), ('pcr_primer', 'name'), ('pcr_batch', 'name'), ('seq_batch', 'name')]


def upgrade() -> None:
    for table, column in PER_GROUP:
        op.drop_constraint(f'uq_{table}_{column}', table, schema='molecular', type_='unique')
        op.create_unique_constraint(f'uq_{table}_group', table, ['group', column], schema='molecular')


def downgrade() -> None:
    for table, column in PER_GROUP:
        op.drop_constraint(f'uq_{table}_group', table, schema='molecular', type_='unique')
        op.create_unique_constraint(f'uq_{table}_{column}', table, [column], schema='molecular')
