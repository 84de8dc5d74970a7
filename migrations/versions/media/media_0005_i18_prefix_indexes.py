"""media: an index for `startsWith` on every column it is offered on

A case-insensitive LIKE 'x%' read every row (p50 1.7 s at 300k samples under load); the filter now
searches a range of lower(column) COLLATE "C", which these indexes hold.

Revision ID: media_0005_i18
Revises: media_0004
Create Date: 2026-12-08
"""

from collections.abc import Sequence

from subgraphs.core.runtime.migration_ops import create_prefix_indexes, drop_prefix_indexes

revision: str = "media_0005_i18"
down_revision: str | None = "media_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column) pairs a StringFilter is offered on (tests/test_prefix_search.py checks the list)
PREFIXED = [
    ('media', 'caption'),
    ('media', 'dc_format'),
    ('media', 'dc_type'),
    ('media', 'group'),
    ('media', 'license'),
    ('media', 'original_filename'),
]


def upgrade() -> None:
    create_prefix_indexes("media", PREFIXED)


def downgrade() -> None:
    drop_prefix_indexes("media", PREFIXED)
