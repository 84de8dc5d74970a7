"""molecular: names unique per group instead of across all groups

A name another group already used was refused (as an unexpected error that revealed it existed);
each group now has its own namespace.

Revision ID: molecular_0005_i18
Revises: molecular_0004_i17b
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from subgraphs.core.runtime.migration_ops import unique_across_groups, unique_per_group

revision: str = 'molecular_0005_i18'
down_revision: str | None = 'molecular_0004_i17b'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column unique within a group)
PER_GROUP = [('region', 'name'), ('pcr_primer', 'name'), ('pcr_batch', 'name'), ('seq_batch', 'name')]


def upgrade() -> None:
    unique_per_group('molecular', PER_GROUP)


def downgrade() -> None:
    unique_across_groups('molecular', PER_GROUP)
