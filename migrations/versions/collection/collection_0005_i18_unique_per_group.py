"""collection: codes, names and keys unique per group instead of across all groups

A code another group already used was refused (as an unexpected error that revealed it existed);
each group now has its own namespace.

Revision ID: collection_0005_i18
Revises: collection_0004
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

revision: str = 'collection_0005_i18'
down_revision: str | None = 'collection_0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column unique within a group)
PER_GROUP = [('institution', 'code'), ('preparation_type', 'name'), ('project', 'name'), ('managed_attribute', 'key')]


def upgrade() -> None:
    for table, column in PER_GROUP:
        op.drop_constraint(f'uq_{table}_{column}', table, schema='collection', type_='unique')
        op.create_unique_constraint(f'uq_{table}_group', table, ['group', column], schema='collection')


def downgrade() -> None:
    for table, column in PER_GROUP:
        op.drop_constraint(f'uq_{table}_group', table, schema='collection', type_='unique')
        op.create_unique_constraint(f'uq_{table}_{column}', table, [column], schema='collection')
