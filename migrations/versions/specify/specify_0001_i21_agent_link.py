"""specify: the broker's schema, with its one table mapping Specify agents to Person ids.

Revision ID: specify_0001_i21
Revises:
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "specify_0001_i21"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ("specify",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("CREATE SCHEMA IF NOT EXISTS specify")
    op.create_table(
        "agent_link",
        sa.Column("specify_agent_guid", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.UUID(), nullable=False),
        sa.Column("linked_by", sa.String(length=200), nullable=False),
        sa.Column("linked_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("specify_agent_guid", name=op.f("pk_agent_link")),
        schema="specify",
    )


def downgrade() -> None:
    op.drop_table("agent_link", schema="specify")
    op.execute("DROP SCHEMA IF EXISTS specify")
