"""molecular: the SeqDB model (regions, primers, PCR and sequencing batches and reactions); sequences keep
residues as text (TOAST-compressed, sliceable with substr), cross references, submitters, publications,
source qualifiers and structured comments

Revision ID: molecular_0003
Revises: molecular_0002
Create Date: 2026-11-25
"""

import zlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = 'molecular_0003'
down_revision: str | None = 'molecular_0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('region',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('group', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_on', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_region')),
    sa.UniqueConstraint('name', name=op.f('uq_region_name')),
    schema='molecular'
    )
    op.create_index(op.f('ix_molecular_region_group'), 'region', ['group'], unique=False, schema='molecular')
    op.create_table('seq_batch',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('sequencing_type', sa.String(length=50), nullable=True),
    sa.Column('run_date', sa.Date(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('group', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_on', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seq_batch')),
    sa.UniqueConstraint('name', name=op.f('uq_seq_batch_name')),
    schema='molecular'
    )
    op.create_index(op.f('ix_molecular_seq_batch_group'), 'seq_batch', ['group'], unique=False, schema='molecular')
    op.create_table('pcr_batch',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('region_id', sa.UUID(), nullable=True),
    sa.Column('primer_ids', postgresql.ARRAY(sa.UUID()), server_default='{}', nullable=False),
    sa.Column('thermocycler', sa.String(length=200), nullable=True),
    sa.Column('protocol', sa.Text(), nullable=True),
    sa.Column('reaction_date', sa.Date(), nullable=True),
    sa.Column('experimenter_ids', postgresql.ARRAY(sa.UUID()), server_default='{}', nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('group', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_on', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['molecular.region.id'], name=op.f('fk_pcr_batch_region_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pcr_batch')),
    sa.UniqueConstraint('name', name=op.f('uq_pcr_batch_name')),
    schema='molecular'
    )
    op.create_index(op.f('ix_molecular_pcr_batch_group'), 'pcr_batch', ['group'], unique=False, schema='molecular')
    op.create_index(op.f('ix_molecular_pcr_batch_region_id'), 'pcr_batch', ['region_id'], unique=False, schema='molecular')
    op.create_table('pcr_primer',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('direction', sa.String(length=10), nullable=False),
    sa.Column('sequence', sa.String(length=200), nullable=False),
    sa.Column('region_id', sa.UUID(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('group', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_on', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['molecular.region.id'], name=op.f('fk_pcr_primer_region_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pcr_primer')),
    sa.UniqueConstraint('name', name=op.f('uq_pcr_primer_name')),
    schema='molecular'
    )
    op.create_index(op.f('ix_molecular_pcr_primer_group'), 'pcr_primer', ['group'], unique=False, schema='molecular')
    op.create_index(op.f('ix_molecular_pcr_primer_region_id'), 'pcr_primer', ['region_id'], unique=False, schema='molecular')
    op.create_table('pcr_reaction',
    sa.Column('pcr_batch_id', sa.UUID(), nullable=False),
    sa.Column('well', sa.String(length=3), nullable=False),
    sa.Column('material_sample_id', sa.UUID(), nullable=True),
    sa.Column('result', sa.String(length=100), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('group', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_on', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['pcr_batch_id'], ['molecular.pcr_batch.id'], name=op.f('fk_pcr_reaction_pcr_batch_id_pcr_batch')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pcr_reaction')),
    sa.UniqueConstraint('pcr_batch_id', 'well', name=op.f('uq_pcr_reaction_pcr_batch_id')),
    schema='molecular'
    )
    op.create_index(op.f('ix_molecular_pcr_reaction_group'), 'pcr_reaction', ['group'], unique=False, schema='molecular')
    op.create_index(op.f('ix_molecular_pcr_reaction_material_sample_id'), 'pcr_reaction', ['material_sample_id'], unique=False, schema='molecular')
    op.create_index(op.f('ix_molecular_pcr_reaction_pcr_batch_id'), 'pcr_reaction', ['pcr_batch_id'], unique=False, schema='molecular')
    op.create_table('seq_reaction',
    sa.Column('seq_batch_id', sa.UUID(), nullable=False),
    sa.Column('pcr_reaction_id', sa.UUID(), nullable=True),
    sa.Column('primer_id', sa.UUID(), nullable=True),
    sa.Column('well', sa.String(length=3), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('group', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_on', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['pcr_reaction_id'], ['molecular.pcr_reaction.id'], name=op.f('fk_seq_reaction_pcr_reaction_id_pcr_reaction')),
    sa.ForeignKeyConstraint(['primer_id'], ['molecular.pcr_primer.id'], name=op.f('fk_seq_reaction_primer_id_pcr_primer')),
    sa.ForeignKeyConstraint(['seq_batch_id'], ['molecular.seq_batch.id'], name=op.f('fk_seq_reaction_seq_batch_id_seq_batch')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seq_reaction')),
    sa.UniqueConstraint('seq_batch_id', 'well', name=op.f('uq_seq_reaction_seq_batch_id')),
    schema='molecular'
    )
    op.create_index(op.f('ix_molecular_seq_reaction_group'), 'seq_reaction', ['group'], unique=False, schema='molecular')
    op.create_index(op.f('ix_molecular_seq_reaction_pcr_reaction_id'), 'seq_reaction', ['pcr_reaction_id'], unique=False, schema='molecular')
    op.create_index(op.f('ix_molecular_seq_reaction_seq_batch_id'), 'seq_reaction', ['seq_batch_id'], unique=False, schema='molecular')
    op.add_column('sequence', sa.Column('region_id', sa.UUID(), nullable=True), schema='molecular')
    op.add_column('sequence', sa.Column('residues', sa.Text(), nullable=True), schema='molecular')
    bind = op.get_bind()
    for id_, packed in bind.execute(sa.text("SELECT id, residues_zlib FROM molecular.sequence")).all():
        bind.execute(sa.text("UPDATE molecular.sequence SET residues = :r WHERE id = :id"),
                     {"r": zlib.decompress(packed).decode(), "id": id_})
    op.alter_column('sequence', 'residues', nullable=False, schema='molecular')
    op.add_column('sequence', sa.Column('db_xrefs', postgresql.ARRAY(sa.Text()), server_default='{}', nullable=False), schema='molecular')
    op.add_column('sequence', sa.Column('submitters', postgresql.ARRAY(sa.Text()), server_default='{}', nullable=False), schema='molecular')
    op.add_column('sequence', sa.Column('publications', postgresql.JSONB(astext_type=sa.Text()), server_default='[]', nullable=False), schema='molecular')
    op.add_column('sequence', sa.Column('source_qualifiers', postgresql.JSONB(astext_type=sa.Text()), server_default='{}', nullable=False), schema='molecular')
    op.add_column('sequence', sa.Column('structured_comments', postgresql.JSONB(astext_type=sa.Text()), server_default='{}', nullable=False), schema='molecular')
    op.create_index(op.f('ix_molecular_sequence_region_id'), 'sequence', ['region_id'], unique=False, schema='molecular')
    op.create_foreign_key(op.f('fk_sequence_region_id_region'), 'sequence', 'region', ['region_id'], ['id'], source_schema='molecular', referent_schema='molecular')
    op.drop_column('sequence', 'residues_zlib', schema='molecular')


def downgrade() -> None:
    op.add_column('sequence', sa.Column('residues_zlib', postgresql.BYTEA(), autoincrement=False, nullable=True), schema='molecular')
    bind = op.get_bind()
    for id_, residues in bind.execute(sa.text("SELECT id, residues FROM molecular.sequence")).all():
        bind.execute(sa.text("UPDATE molecular.sequence SET residues_zlib = :z WHERE id = :id"),
                     {"z": zlib.compress(residues.encode()), "id": id_})
    op.alter_column('sequence', 'residues_zlib', nullable=False, schema='molecular')
    op.drop_constraint(op.f('fk_sequence_region_id_region'), 'sequence', schema='molecular', type_='foreignkey')
    op.drop_index(op.f('ix_molecular_sequence_region_id'), table_name='sequence', schema='molecular')
    op.drop_column('sequence', 'structured_comments', schema='molecular')
    op.drop_column('sequence', 'source_qualifiers', schema='molecular')
    op.drop_column('sequence', 'publications', schema='molecular')
    op.drop_column('sequence', 'submitters', schema='molecular')
    op.drop_column('sequence', 'db_xrefs', schema='molecular')
    op.drop_column('sequence', 'residues', schema='molecular')
    op.drop_column('sequence', 'region_id', schema='molecular')
    op.drop_index(op.f('ix_molecular_seq_reaction_seq_batch_id'), table_name='seq_reaction', schema='molecular')
    op.drop_index(op.f('ix_molecular_seq_reaction_pcr_reaction_id'), table_name='seq_reaction', schema='molecular')
    op.drop_index(op.f('ix_molecular_seq_reaction_group'), table_name='seq_reaction', schema='molecular')
    op.drop_table('seq_reaction', schema='molecular')
    op.drop_index(op.f('ix_molecular_pcr_reaction_pcr_batch_id'), table_name='pcr_reaction', schema='molecular')
    op.drop_index(op.f('ix_molecular_pcr_reaction_material_sample_id'), table_name='pcr_reaction', schema='molecular')
    op.drop_index(op.f('ix_molecular_pcr_reaction_group'), table_name='pcr_reaction', schema='molecular')
    op.drop_table('pcr_reaction', schema='molecular')
    op.drop_index(op.f('ix_molecular_pcr_primer_region_id'), table_name='pcr_primer', schema='molecular')
    op.drop_index(op.f('ix_molecular_pcr_primer_group'), table_name='pcr_primer', schema='molecular')
    op.drop_table('pcr_primer', schema='molecular')
    op.drop_index(op.f('ix_molecular_pcr_batch_region_id'), table_name='pcr_batch', schema='molecular')
    op.drop_index(op.f('ix_molecular_pcr_batch_group'), table_name='pcr_batch', schema='molecular')
    op.drop_table('pcr_batch', schema='molecular')
    op.drop_index(op.f('ix_molecular_seq_batch_group'), table_name='seq_batch', schema='molecular')
    op.drop_table('seq_batch', schema='molecular')
    op.drop_index(op.f('ix_molecular_region_group'), table_name='region', schema='molecular')
    op.drop_table('region', schema='molecular')
