"""collection: codes, names and keys unique per group instead of across all groups

A code another group already used was refused (as an unexpected error that revealed it existed);
each group now has its own namespace.

Revision ID: collection_0007_i18
Revises: collection_0006_i17a
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from subgraphs.core.runtime.migration_ops import unique_across_groups, unique_per_group

revision: str = 'collection_0007_i18'
down_revision: str | None = 'collection_0006_i17a'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column unique within a group)
PER_GROUP = [('preparation_type', 'name'), ('project', 'name'), ('managed_attribute', 'key')]


def upgrade() -> None:
    unique_per_group('collection', PER_GROUP)


def downgrade() -> None:
    unique_across_groups('collection', PER_GROUP)
