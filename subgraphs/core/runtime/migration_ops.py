"""Schema operations several subgraphs' migrations share. Frozen: change by adding new functions."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql


def create_audit_log(schema: str) -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("record_type", sa.String(length=100), nullable=False),
        sa.Column("record_id", sa.UUID(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("operation", sa.String(length=10), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("snapshot", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
        schema=schema,
    )
    op.create_index(
        op.f(f"ix_{schema}_audit_log_record_id"), "audit_log", ["record_id", "version"], schema=schema
    )


def drop_audit_log(schema: str) -> None:
    op.drop_table("audit_log", schema=schema)


def unique_per_group(schema: str, columns: list[tuple[str, str]]) -> None:
    """Each (table, column) unique within its group instead of across all groups."""
    for table, column in columns:
        op.drop_constraint(f"uq_{table}_{column}", table, schema=schema, type_="unique")
        op.create_unique_constraint(f"uq_{table}_group", table, ["group", column], schema=schema)


def unique_across_groups(schema: str, columns: list[tuple[str, str]]) -> None:
    """The reverse of ``unique_per_group``."""
    for table, column in columns:
        op.drop_constraint(f"uq_{table}_group", table, schema=schema, type_="unique")
        op.create_unique_constraint(f"uq_{table}_{column}", table, [column], schema=schema)


def create_prefix_indexes(schema: str, columns: list[tuple[str, str]]) -> None:
    """An index of ``lower(column) COLLATE "C"`` for each (table, column): the range that `startsWith`
    filters search (core.data.filters.starts_with); a case-insensitive LIKE scanned every row."""
    for table, column in columns:
        op.create_index(f"ix_{table}_{column}_prefix", table, [sa.text(f'lower("{column}") COLLATE "C"')],
                        schema=schema)


def drop_prefix_indexes(schema: str, columns: list[tuple[str, str]]) -> None:
    for table, column in columns:
        op.drop_index(f"ix_{table}_{column}_prefix", table, schema=schema)
