"""exchange: the schema of cross-domain workflows, with import jobs and their audit log.

Revision ID: exchange_0001
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from subgraphs.core.runtime.migration_ops import create_audit_log

revision: str = "exchange_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ("exchange",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("CREATE SCHEMA IF NOT EXISTS exchange")
    op.create_table(
        "import_job",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("source_media_id", sa.UUID(), nullable=True),
        sa.Column("report", postgresql.JSONB(astext_type=sa.Text()), server_default="{}", nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("finished_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("group", sa.String(length=100), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_job")),
        schema="exchange",
    )
    op.create_index(op.f("ix_exchange_import_job_group"), "import_job", ["group"], unique=False, schema="exchange")
    create_audit_log("exchange")


def downgrade() -> None:
    op.execute("DROP SCHEMA IF EXISTS exchange CASCADE")
