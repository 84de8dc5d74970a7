"""collection: a taxonomy backbone — classifications of taxa (materialized paths), determinations linked to them

Revision ID: collection_0008_i24_taxonomy
Revises: collection_0008_i18
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from subgraphs.core.runtime.migration_ops import create_prefix_indexes, drop_prefix_indexes

revision: str = 'collection_0008_i24_taxonomy'
down_revision: str | None = 'collection_0008_i18'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = 'collection'


def _record_columns() -> list[sa.Column]:
    return [
        sa.Column('id', sa.UUID(), nullable=False),
        sa.Column('group', sa.String(length=100), nullable=False),
        sa.Column('created_by', sa.String(length=200), nullable=False),
        sa.Column('created_on', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    ]


# (table, column) pairs a StringFilter is offered on: their `startsWith` index (tests/test_prefix_search.py)
PREFIXED = [
    ('classification', 'group'),
    ('classification', 'name'),
    ('classification', 'source'),
    ('taxon', 'authorship'),
    ('taxon', 'group'),
    ('taxon', 'rank'),
    ('taxon', 'scientific_name'),
    ('taxon', 'source_id'),
    ('taxon', 'taxonomic_status'),
]


def upgrade() -> None:
    op.create_table(
        'classification', *_record_columns(),
        sa.Column('name', sa.String(length=500), nullable=False),
        sa.Column('source', sa.String(length=500), nullable=True),
        sa.Column('intermediate_ranks', postgresql.ARRAY(sa.Text()), server_default='{}', nullable=False),
        sa.Column('remarks', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_classification')),
        schema=S,
    )
    op.create_index(op.f('ix_collection_classification_group'), 'classification', ['group'], schema=S)
    op.create_table(
        'taxon', *_record_columns(),
        sa.Column('classification_id', sa.UUID(), nullable=False),
        sa.Column('scientific_name', sa.String(length=500), nullable=False),
        sa.Column('authorship', sa.String(length=500), nullable=True),
        sa.Column('rank', sa.String(length=20), nullable=False),
        sa.Column('intermediate_rank', sa.String(length=100), nullable=True),
        sa.Column('parent_id', sa.UUID(), nullable=True),
        sa.Column('accepted_taxon_id', sa.UUID(), nullable=True),
        sa.Column('taxonomic_status', sa.String(length=30), server_default='accepted', nullable=False),
        sa.Column('vernacular_names', postgresql.JSONB(astext_type=sa.Text()), server_default='[]', nullable=False),
        sa.Column('source_id', sa.String(length=500), nullable=True),
        sa.Column('remarks', sa.Text(), nullable=True),
        sa.Column('path', postgresql.ARRAY(sa.UUID()), server_default='{}', nullable=False),
        sa.ForeignKeyConstraint(['classification_id'], [f'{S}.classification.id'],
                                name=op.f('fk_taxon_classification_id_classification')),
        sa.ForeignKeyConstraint(['parent_id'], [f'{S}.taxon.id'], name=op.f('fk_taxon_parent_id_taxon')),
        sa.ForeignKeyConstraint(['accepted_taxon_id'], [f'{S}.taxon.id'], name=op.f('fk_taxon_accepted_taxon_id_taxon')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_taxon')),
        schema=S,
    )
    for column in ('group', 'classification_id', 'parent_id', 'accepted_taxon_id'):
        op.create_index(op.f(f'ix_collection_taxon_{column}'), 'taxon', [column], schema=S)
    op.create_index(op.f('ix_collection_taxon_path'), 'taxon', ['path'], schema=S, postgresql_using='gin')
    op.create_index('ix_taxon_classification_name', 'taxon', ['classification_id', 'scientific_name'], schema=S)
    op.create_index('ix_taxon_classification_source_id', 'taxon', ['classification_id', 'source_id'], schema=S)

    op.add_column('determination', sa.Column('taxon_id', sa.UUID(), nullable=True), schema=S)
    op.add_column('determination', sa.Column('qualifier', sa.String(length=50), nullable=True), schema=S)
    op.add_column('determination', sa.Column('is_filed_as', sa.Boolean(), server_default='false', nullable=False),
                  schema=S)
    op.add_column('determination', sa.Column('type_status_evidence', sa.Text(), nullable=True), schema=S)
    op.create_foreign_key(op.f('fk_determination_taxon_id_taxon'), 'determination', 'taxon', ['taxon_id'], ['id'],
                          source_schema=S, referent_schema=S)
    op.create_index(op.f('ix_collection_determination_taxon_id'), 'determination', ['taxon_id'], schema=S)
    create_prefix_indexes('collection', PREFIXED)


def downgrade() -> None:
    drop_prefix_indexes('collection', PREFIXED)
    op.drop_index(op.f('ix_collection_determination_taxon_id'), table_name='determination', schema=S)
    op.drop_constraint(op.f('fk_determination_taxon_id_taxon'), 'determination', schema=S, type_='foreignkey')
    for column in ('type_status_evidence', 'is_filed_as', 'qualifier', 'taxon_id'):
        op.drop_column('determination', column, schema=S)
    op.drop_table('taxon', schema=S)
    op.drop_table('classification', schema=S)
