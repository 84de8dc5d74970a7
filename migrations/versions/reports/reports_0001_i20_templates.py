"""reports: the schema of report templates and render jobs, its audit log, and the built-in templates.

The built-ins are data (a user copies one and edits it through GraphQL); their sources are the files
in builtin/ beside this migration, read as they are when it runs.

Revision ID: reports_0001_i20
Revises:
Create Date: 2026-12-02
"""

import uuid
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from subgraphs.core.runtime.migration_ops import create_audit_log

revision: str = "reports_0001_i20"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ("reports",)
depends_on: str | Sequence[str] | None = None

BUILTIN = Path(__file__).with_name("builtin")
A4_3x8 = {"page_width_mm": 210, "page_height_mm": 297, "label_width_mm": 70, "label_height_mm": 37,
          "columns": 3, "rows": 8, "margin_top_mm": 0.5, "margin_left_mm": 0, "column_gap_mm": 0, "row_gap_mm": 0}
TEMPLATES = [
    ("0193a000-0000-7000-8000-000000000001", "specimen-qr", "MATERIAL_SAMPLE_LABEL", A4_3x8,
     "Specimen label: catalogue number, scientific name, locality, date, collectors and a QR code of the "
     "sample's stable identifier; A4 sheets of 3 × 8 labels of 70 × 37 mm."),
    ("0193a000-0000-7000-8000-000000000002", "storage-unit-label", "STORAGE_UNIT_LABEL",
     {"page_width_mm": 62, "page_height_mm": 29, "label_width_mm": 62, "label_height_mm": 29, "columns": 1,
      "rows": 1, "margin_top_mm": 0, "margin_left_mm": 0, "column_gap_mm": 0, "row_gap_mm": 0},
     "Storage-unit label for a label printer (one 62 × 29 mm label per page): path, name and a Code 128 barcode."),
    ("0193a000-0000-7000-8000-000000000003", "determination-slip", "DETERMINATION_SLIP",
     {"page_width_mm": 210, "page_height_mm": 297, "label_width_mm": 90, "label_height_mm": 45, "columns": 2,
      "rows": 6, "margin_top_mm": 13.5, "margin_left_mm": 12, "column_gap_mm": 6, "row_gap_mm": 0},
     "Determination slip: the primary determination, determiners and date, with a DataMatrix of the sample's "
     "stable identifier; A4 sheets of 2 × 6 slips of 90 × 45 mm."),
    ("0193a000-0000-7000-8000-000000000004", "collection-summary", "REPORT", {},
     "Collection summary: samples counted by taxon and by country, with a bar chart (A4)."),
]


def _source(name: str, extension: str) -> str:
    return (BUILTIN / f"{name}.{extension}").read_text(encoding="utf-8")


def upgrade() -> None:
    op.execute("CREATE SCHEMA IF NOT EXISTS reports")
    table = op.create_table(
        "report_template",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("stylesheet", sa.Text(), server_default="", nullable=False),
        sa.Column("layout", postgresql.JSONB(astext_type=sa.Text()), server_default="{}", nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("group", sa.String(length=100), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_template")),
        sa.UniqueConstraint("group", "name", name=op.f("uq_report_template_group")),
        schema="reports",
    )
    op.create_index(op.f("ix_reports_report_template_group"), "report_template", ["group"], schema="reports")
    op.create_index(op.f("ix_reports_report_template_name"), "report_template", ["name"], schema="reports")
    op.create_table(
        "report_job",
        sa.Column("template_id", sa.UUID(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), server_default="0", nullable=False),
        sa.Column("result", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("finished_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("group", sa.String(length=100), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_on", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_job")),
        schema="reports",
    )
    op.create_index(op.f("ix_reports_report_job_group"), "report_job", ["group"], schema="reports")
    create_audit_log("reports")
    op.bulk_insert(table, [
        {"id": uuid.UUID(id), "name": name, "kind": kind, "layout": layout, "description": description,
         "query": _source(name, "graphql"), "body": _source(name, "html"), "stylesheet": _source(name, "css"),
         "group": "builtin", "created_by": "migration reports_0001_i20", "version": 1}
        for id, name, kind, layout, description in TEMPLATES
    ])


def downgrade() -> None:
    op.execute("DROP SCHEMA IF EXISTS reports CASCADE")
