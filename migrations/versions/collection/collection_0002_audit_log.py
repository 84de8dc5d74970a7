"""collection: audit log (who, when, operation and a snapshot of every write).

Revision ID: collection_0002
Revises: collection_0001
Create Date: 2026-11-25
"""

from collections.abc import Sequence

from subgraphs.core.runtime.migration_ops import create_audit_log, drop_audit_log

revision: str = "collection_0002"
down_revision: str | None = "collection_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_audit_log("collection")


def downgrade() -> None:
    drop_audit_log("collection")
