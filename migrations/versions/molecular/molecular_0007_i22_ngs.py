"""molecular: SeqDB's NGS workflow (index sets and indexes, library prep batches and libraries, pools and their
contents, sequencing runs and their items, quality control, sequencing facilities, pre-library preps,
metagenomics batches and their items, submissions to ENA/SRA/DRA), with the index sets of
two common Illumina kits installed as data in group `builtin`

Revision ID: molecular_0006_i22
Revises: molecular_0006_i18
Create Date: 2026-12-08 03:34:53.956094
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from subgraphs.core.base.ids import uuid7
from subgraphs.core.runtime.migration_ops import create_prefix_indexes, drop_prefix_indexes

revision: str = 'molecular_0006_i22'
down_revision: str | None = 'molecular_0006_i18'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The group the installed kits belong to, as the built-in report templates: readable by all when it is in
# DINA_PUBLIC_GROUPS (dev mode reads every group); nobody has a role in it, so nobody edits them.
KIT_GROUP = "builtin"
# Published index sequences (5'→3', i5 on the forward strand as MiSeq/NovaSeq v1.0 reagents read it), from
# Illumina's "Illumina Adapter Sequences" (document 1000000002694), sections "Nextera XT Index Kit v2" and
# "TruSeq Single Indexes"; the Nextera XT v2 i7s and the i5 reverse complements checked against
# zhiyhu/demultiplexing-BCL-NexteraXT-384indexes SampleSheet.csv (a HiSeq 4000 sheet of all 384 pairs).
KITS = [
    ("Nextera XT Index Kit v2", "CTGTCTCTTATACACATCT", "CTGTCTCTTATACACATCT", [
        ("N701", "I7", "TAAGGCGA"), ("N702", "I7", "CGTACTAG"), ("N703", "I7", "AGGCAGAA"),
        ("N704", "I7", "TCCTGAGC"), ("N705", "I7", "GGACTCCT"), ("N706", "I7", "TAGGCATG"),
        ("N707", "I7", "CTCTCTAC"), ("N710", "I7", "CGAGGCTG"), ("N711", "I7", "AAGAGGCA"),
        ("N712", "I7", "GTAGAGGA"), ("N714", "I7", "GCTCATGA"), ("N715", "I7", "ATCTCAGG"),
        ("N716", "I7", "ACTCGCTA"), ("N718", "I7", "GGAGCTAC"), ("N719", "I7", "GCGTAGTA"),
        ("N720", "I7", "CGGAGCCT"), ("N721", "I7", "TACGCTGC"), ("N722", "I7", "ATGCGCAG"),
        ("N723", "I7", "TAGCGCTC"), ("N724", "I7", "ACTGAGCG"), ("N726", "I7", "CCTAAGAC"),
        ("N727", "I7", "CGATCAGT"), ("N728", "I7", "TGCAGCTA"), ("N729", "I7", "TCGACGTC"),
        ("S502", "I5", "CTCTCTAT"), ("S503", "I5", "TATCCTCT"), ("S505", "I5", "GTAAGGAG"),
        ("S506", "I5", "ACTGCATA"), ("S507", "I5", "AAGGAGTA"), ("S508", "I5", "CTAAGCCT"),
        ("S510", "I5", "CGTCTAAT"), ("S511", "I5", "TCTCTCCG"), ("S513", "I5", "TCGACTAG"),
        ("S515", "I5", "TTCTAGCT"), ("S516", "I5", "CCTAGAGT"), ("S517", "I5", "GCGTAAGA"),
        ("S518", "I5", "CTATTAAG"), ("S520", "I5", "AAGGCTAT"), ("S521", "I5", "GAGCCTTA"),
        ("S522", "I5", "TTATGCGA"),
    ]),
    ("TruSeq Single Indexes", "AGATCGGAAGAGCACACGTCTGAACTCCAGTCA", "AGATCGGAAGAGCGTCGTGTAGGGAAAGAGTGT", [
        ("AD001", "I7", "ATCACG"), ("AD002", "I7", "CGATGT"), ("AD003", "I7", "TTAGGC"), ("AD004", "I7", "TGACCA"),
        ("AD005", "I7", "ACAGTG"), ("AD006", "I7", "GCCAAT"), ("AD007", "I7", "CAGATC"), ("AD008", "I7", "ACTTGA"),
        ("AD009", "I7", "GATCAG"), ("AD010", "I7", "TAGCTT"), ("AD011", "I7", "GGCTAC"), ("AD012", "I7", "CTTGTA"),
    ]),
]


def install_kits() -> None:
    sets = sa.table("index_set", sa.column("id", sa.UUID()), sa.column("group"), sa.column("created_by"),
                    sa.column("name"), sa.column("supplier"), sa.column("forward_adapter"),
                    sa.column("reverse_adapter"), schema="molecular")
    indexes = sa.table("ngs_index", sa.column("id", sa.UUID()), sa.column("group"), sa.column("created_by"),
                       sa.column("index_set_id", sa.UUID()), sa.column("name"), sa.column("direction"),
                       sa.column("sequence"), schema="molecular")
    who = {"group": KIT_GROUP, "created_by": "migration molecular_0006_i22"}
    for name, forward, reverse, kit in KITS:
        set_id = uuid7()
        op.bulk_insert(sets, [{"id": set_id, "name": name, "supplier": "Illumina", "forward_adapter": forward,
                               "reverse_adapter": reverse, **who}])
        op.bulk_insert(indexes, [{"id": uuid7(), "index_set_id": set_id, "name": index, "direction": direction,
                                  "sequence": sequence, **who} for index, direction, sequence in kit])


# (table, column) pairs a StringFilter is offered on: their `startsWith` index (tests/test_prefix_search.py)
PREFIXED = [
    ('index_set', 'group'),
    ('index_set', 'name'),
    ('index_set', 'supplier'),
    ('library_pool', 'group'),
    ('library_pool', 'name'),
    ('library_prep', 'group'),
    ('library_prep', 'i5_sequence'),
    ('library_prep', 'i7_sequence'),
    ('library_prep', 'name'),
    ('library_prep', 'project'),
    ('library_prep_batch', 'group'),
    ('library_prep_batch', 'kit'),
    ('library_prep_batch', 'name'),
    ('metagenomics_batch', 'group'),
    ('metagenomics_batch', 'name'),
    ('sequencing_facility', 'group'),
    ('sequencing_facility', 'name'),
    ('sequencing_run', 'group'),
    ('sequencing_run', 'instrument_type'),
    ('sequencing_run', 'name'),
]


def upgrade() -> None:
    op.create_table('index_set',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('supplier', sa.String(length=200), nullable=True),
    sa.Column('forward_adapter', sa.String(length=200), nullable=True),
    sa.Column('reverse_adapter', sa.String(length=200), nullable=True),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('group', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_on', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_index_set')),
    sa.UniqueConstraint('group', 'name', name=op.f('uq_index_set_group')),
    schema='molecular'
    )
    op.create_index(op.f('ix_molecular_index_set_group'), 'index_set', ['group'], unique=False, schema='molecular')
    op.create_table('library_pool',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('pool_date', sa.Date(), nullable=True),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('group', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_on', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_library_pool')),
    sa.UniqueConstraint('group', 'name', name=op.f('uq_library_pool_group')),
    schema='molecular'
    )
    op.create_index(op.f('ix_molecular_library_pool_group'), 'library_pool', ['group'], unique=False, schema='molecular')
    op.create_table('sequencing_facility',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('contact_person_id', sa.UUID(), nullable=True),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('group', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_on', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sequencing_facility')),
    sa.UniqueConstraint('group', 'name', name=op.f('uq_sequencing_facility_group')),
    schema='molecular'
    )
    op.create_index(op.f('ix_molecular_sequencing_facility_group'), 'sequencing_facility', ['group'], unique=False, schema='molecular')
    op.create_table('library_prep_batch',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kit', sa.String(length=200), nullable=True),
    sa.Column('protocol', sa.Text(), nullable=True),
    sa.Column('thermocycler_profile', sa.String(length=200), nullable=True),
    sa.Column('index_set_id', sa.UUID(), nullable=True),
    sa.Column('plate_rows', sa.Integer(), server_default='8', nullable=False),
    sa.Column('plate_columns', sa.Integer(), server_default='12', nullable=False),
    sa.Column('storage_unit_id', sa.UUID(), nullable=True),
    sa.Column('prep_date', sa.Date(), nullable=True),
    sa.Column('experimenter_ids', postgresql.ARRAY(sa.UUID()), server_default='{}', nullable=False),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('group', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_on', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint('plate_rows BETWEEN 1 AND 16 AND plate_columns BETWEEN 1 AND 24', name=op.f('ck_library_prep_batch_layout')),
    sa.ForeignKeyConstraint(['index_set_id'], ['molecular.index_set.id'], name=op.f('fk_library_prep_batch_index_set_id_index_set')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_library_prep_batch')),
    sa.UniqueConstraint('group', 'name', name=op.f('uq_library_prep_batch_group')),
    schema='molecular'
    )
    op.create_index(op.f('ix_molecular_library_prep_batch_group'), 'library_prep_batch', ['group'], unique=False, schema='molecular')
    op.create_index(op.f('ix_molecular_library_prep_batch_index_set_id'), 'library_prep_batch', ['index_set_id'], unique=False, schema='molecular')
    op.create_table('ngs_index',
    sa.Column('index_set_id', sa.UUID(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('direction', sa.String(length=2), nullable=False),
    sa.Column('sequence', sa.String(length=50), nullable=False),
    sa.Column('lot_number', sa.String(length=100), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('group', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_on', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['index_set_id'], ['molecular.index_set.id'], name=op.f('fk_ngs_index_index_set_id_index_set')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ngs_index')),
    sa.UniqueConstraint('index_set_id', 'name', name=op.f('uq_ngs_index_index_set_id')),
    schema='molecular'
    )
    op.create_index(op.f('ix_molecular_ngs_index_group'), 'ngs_index', ['group'], unique=False, schema='molecular')
    op.create_index(op.f('ix_molecular_ngs_index_index_set_id'), 'ngs_index', ['index_set_id'], unique=False, schema='molecular')
    op.create_table('sequencing_run',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('instrument_type', sa.String(length=200), nullable=True),
    sa.Column('instrument', sa.String(length=200), nullable=True),
    sa.Column('run_date', sa.Date(), nullable=True),
    sa.Column('sequencing_facility_id', sa.UUID(), nullable=True),
    sa.Column('run_folder', sa.Text(), nullable=True),
    sa.Column('flowcell', sa.String(length=100), nullable=True),
    sa.Column('read_cycles', postgresql.ARRAY(sa.Integer()), server_default='{}', nullable=False),
    sa.Column('index_cycles', postgresql.ARRAY(sa.Integer()), server_default='{}', nullable=False),
    sa.Column('barcode_mismatches', sa.Integer(), server_default='0', nullable=False),
    sa.Column('header', postgresql.JSONB(astext_type=sa.Text()), server_default='{}', nullable=False),
    sa.Column('settings', postgresql.JSONB(astext_type=sa.Text()), server_default='{}', nullable=False),
    sa.Column('report_media_ids', postgresql.ARRAY(sa.UUID()), server_default='{}', nullable=False),
    sa.Column('external_uris', postgresql.ARRAY(sa.Text()), server_default='{}', nullable=False),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('group', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_on', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['sequencing_facility_id'], ['molecular.sequencing_facility.id'], name=op.f('fk_sequencing_run_sequencing_facility_id_sequencing_facility')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sequencing_run')),
    sa.UniqueConstraint('group', 'name', name=op.f('uq_sequencing_run_group')),
    schema='molecular'
    )
    op.create_index(op.f('ix_molecular_sequencing_run_group'), 'sequencing_run', ['group'], unique=False, schema='molecular')
    op.create_index(op.f('ix_molecular_sequencing_run_sequencing_facility_id'), 'sequencing_run', ['sequencing_facility_id'], unique=False, schema='molecular')
    op.create_table('library_prep',
    sa.Column('library_prep_batch_id', sa.UUID(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('sample_name', sa.String(length=200), nullable=True),
    sa.Column('material_sample_id', sa.UUID(), nullable=True),
    sa.Column('well', sa.String(length=3), nullable=True),
    sa.Column('i7_index_name', sa.String(length=100), nullable=True),
    sa.Column('i7_sequence', sa.String(length=50), nullable=True),
    sa.Column('i5_index_name', sa.String(length=100), nullable=True),
    sa.Column('i5_sequence', sa.String(length=50), nullable=True),
    sa.Column('input_ng', sa.Float(), nullable=True),
    sa.Column('size_bp', sa.Integer(), nullable=True),
    sa.Column('quality', sa.String(length=100), nullable=True),
    sa.Column('project', sa.String(length=200), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('group', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_on', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['library_prep_batch_id'], ['molecular.library_prep_batch.id'], name=op.f('fk_library_prep_library_prep_batch_id_library_prep_batch')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_library_prep')),
    sa.UniqueConstraint('library_prep_batch_id', 'well', name=op.f('uq_library_prep_library_prep_batch_id')),
    schema='molecular'
    )
    op.create_index(op.f('ix_molecular_library_prep_group'), 'library_prep', ['group'], unique=False, schema='molecular')
    op.create_index(op.f('ix_molecular_library_prep_library_prep_batch_id'), 'library_prep', ['library_prep_batch_id'], unique=False, schema='molecular')
    op.create_index(op.f('ix_molecular_library_prep_material_sample_id'), 'library_prep', ['material_sample_id'], unique=False, schema='molecular')
    op.create_table('library_pool_content',
    sa.Column('library_pool_id', sa.UUID(), nullable=False),
    sa.Column('library_prep_id', sa.UUID(), nullable=True),
    sa.Column('pooled_library_pool_id', sa.UUID(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('group', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_on', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint('(library_prep_id IS NULL) <> (pooled_library_pool_id IS NULL)', name=op.f('ck_library_pool_content_one_kind')),
    sa.ForeignKeyConstraint(['library_pool_id'], ['molecular.library_pool.id'], name=op.f('fk_library_pool_content_library_pool_id_library_pool')),
    sa.ForeignKeyConstraint(['library_prep_id'], ['molecular.library_prep.id'], name=op.f('fk_library_pool_content_library_prep_id_library_prep')),
    sa.ForeignKeyConstraint(['pooled_library_pool_id'], ['molecular.library_pool.id'], name=op.f('fk_library_pool_content_pooled_library_pool_id_library_pool')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_library_pool_content')),
    sa.UniqueConstraint('library_pool_id', 'library_prep_id', name='uq_library_pool_content_library'),
    sa.UniqueConstraint('library_pool_id', 'pooled_library_pool_id', name='uq_library_pool_content_pool'),
    schema='molecular'
    )
    op.create_index(op.f('ix_molecular_library_pool_content_group'), 'library_pool_content', ['group'], unique=False, schema='molecular')
    op.create_index(op.f('ix_molecular_library_pool_content_library_pool_id'), 'library_pool_content', ['library_pool_id'], unique=False, schema='molecular')
    op.create_index(op.f('ix_molecular_library_pool_content_library_prep_id'), 'library_pool_content', ['library_prep_id'], unique=False, schema='molecular')
    op.create_index(op.f('ix_molecular_library_pool_content_pooled_library_pool_id'), 'library_pool_content', ['pooled_library_pool_id'], unique=False, schema='molecular')
    op.create_table('quality_control',
    sa.Column('library_prep_id', sa.UUID(), nullable=True),
    sa.Column('library_pool_id', sa.UUID(), nullable=True),
    sa.Column('qc_type', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('unit', sa.String(length=50), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.Column('measured_on', sa.Date(), nullable=True),
    sa.Column('attachment_media_ids', postgresql.ARRAY(sa.UUID()), server_default='{}', nullable=False),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('group', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_on', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint('(library_prep_id IS NULL) <> (library_pool_id IS NULL)', name=op.f('ck_quality_control_one_kind')),
    sa.ForeignKeyConstraint(['library_pool_id'], ['molecular.library_pool.id'], name=op.f('fk_quality_control_library_pool_id_library_pool')),
    sa.ForeignKeyConstraint(['library_prep_id'], ['molecular.library_prep.id'], name=op.f('fk_quality_control_library_prep_id_library_prep')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quality_control')),
    schema='molecular'
    )
    op.create_index(op.f('ix_molecular_quality_control_group'), 'quality_control', ['group'], unique=False, schema='molecular')
    op.create_index(op.f('ix_molecular_quality_control_library_pool_id'), 'quality_control', ['library_pool_id'], unique=False, schema='molecular')
    op.create_index(op.f('ix_molecular_quality_control_library_prep_id'), 'quality_control', ['library_prep_id'], unique=False, schema='molecular')
    op.create_table('sequencing_run_item',
    sa.Column('sequencing_run_id', sa.UUID(), nullable=False),
    sa.Column('lane', sa.Integer(), nullable=True),
    sa.Column('library_prep_id', sa.UUID(), nullable=True),
    sa.Column('library_pool_id', sa.UUID(), nullable=True),
    sa.Column('read_count', sa.Integer(), nullable=True),
    sa.Column('result_media_ids', postgresql.ARRAY(sa.UUID()), server_default='{}', nullable=False),
    sa.Column('external_uris', postgresql.ARRAY(sa.Text()), server_default='{}', nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('group', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_on', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint('library_prep_id IS NOT NULL OR library_pool_id IS NOT NULL', name=op.f('ck_sequencing_run_item_subject')),
    sa.ForeignKeyConstraint(['library_pool_id'], ['molecular.library_pool.id'], name=op.f('fk_sequencing_run_item_library_pool_id_library_pool')),
    sa.ForeignKeyConstraint(['library_prep_id'], ['molecular.library_prep.id'], name=op.f('fk_sequencing_run_item_library_prep_id_library_prep')),
    sa.ForeignKeyConstraint(['sequencing_run_id'], ['molecular.sequencing_run.id'], name=op.f('fk_sequencing_run_item_sequencing_run_id_sequencing_run')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sequencing_run_item')),
    schema='molecular'
    )
    op.create_index(op.f('ix_molecular_sequencing_run_item_group'), 'sequencing_run_item', ['group'], unique=False, schema='molecular')
    op.create_index(op.f('ix_molecular_sequencing_run_item_library_pool_id'), 'sequencing_run_item', ['library_pool_id'], unique=False, schema='molecular')
    op.create_index(op.f('ix_molecular_sequencing_run_item_library_prep_id'), 'sequencing_run_item', ['library_prep_id'], unique=False, schema='molecular')
    op.create_index(op.f('ix_molecular_sequencing_run_item_sequencing_run_id'), 'sequencing_run_item', ['sequencing_run_id'], unique=False, schema='molecular')
    op.create_table('metagenomics_batch',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('protocol', sa.Text(), nullable=True),
    sa.Column('index_set_id', sa.UUID(), nullable=True),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('group', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_on', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['index_set_id'], ['molecular.index_set.id'], name=op.f('fk_metagenomics_batch_index_set_id_index_set')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_metagenomics_batch')),
    sa.UniqueConstraint('group', 'name', name=op.f('uq_metagenomics_batch_group')),
    schema='molecular'
    )
    op.create_index(op.f('ix_molecular_metagenomics_batch_group'), 'metagenomics_batch', ['group'], unique=False, schema='molecular')
    op.create_index(op.f('ix_molecular_metagenomics_batch_index_set_id'), 'metagenomics_batch', ['index_set_id'], unique=False, schema='molecular')
    op.create_table('seq_submission',
    sa.Column('sequencing_run_id', sa.UUID(), nullable=False),
    sa.Column('archive', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=20), server_default='DRAFT', nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=True),
    sa.Column('study_accession', sa.String(length=50), nullable=True),
    sa.Column('run_accessions', postgresql.ARRAY(sa.Text()), server_default='{}', nullable=False),
    sa.Column('submitter_ids', postgresql.ARRAY(sa.UUID()), server_default='{}', nullable=False),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('group', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_on', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['sequencing_run_id'], ['molecular.sequencing_run.id'], name=op.f('fk_seq_submission_sequencing_run_id_sequencing_run')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seq_submission')),
    schema='molecular'
    )
    op.create_index(op.f('ix_molecular_seq_submission_group'), 'seq_submission', ['group'], unique=False, schema='molecular')
    op.create_index(op.f('ix_molecular_seq_submission_sequencing_run_id'), 'seq_submission', ['sequencing_run_id'], unique=False, schema='molecular')
    op.create_table('metagenomics_batch_item',
    sa.Column('metagenomics_batch_id', sa.UUID(), nullable=False),
    sa.Column('library_prep_id', sa.UUID(), nullable=False),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('group', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_on', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['library_prep_id'], ['molecular.library_prep.id'], name=op.f('fk_metagenomics_batch_item_library_prep_id_library_prep')),
    sa.ForeignKeyConstraint(['metagenomics_batch_id'], ['molecular.metagenomics_batch.id'], name=op.f('fk_metagenomics_batch_item_metagenomics_batch_id_metagenomics_batch')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_metagenomics_batch_item')),
    sa.UniqueConstraint('metagenomics_batch_id', 'library_prep_id', name='uq_metagenomics_batch_item_library'),
    schema='molecular'
    )
    op.create_index(op.f('ix_molecular_metagenomics_batch_item_group'), 'metagenomics_batch_item', ['group'], unique=False, schema='molecular')
    op.create_index(op.f('ix_molecular_metagenomics_batch_item_library_prep_id'), 'metagenomics_batch_item', ['library_prep_id'], unique=False, schema='molecular')
    op.create_index(op.f('ix_molecular_metagenomics_batch_item_metagenomics_batch_id'), 'metagenomics_batch_item', ['metagenomics_batch_id'], unique=False, schema='molecular')
    op.create_table('pre_library_prep',
    sa.Column('pre_library_prep_type', sa.String(length=20), nullable=False),
    sa.Column('material_sample_id', sa.UUID(), nullable=True),
    sa.Column('library_prep_id', sa.UUID(), nullable=True),
    sa.Column('input_amount_ng', sa.Float(), nullable=True),
    sa.Column('concentration_ng_per_ul', sa.Float(), nullable=True),
    sa.Column('target_bp_size', sa.Integer(), nullable=True),
    sa.Column('average_fragment_size', sa.Integer(), nullable=True),
    sa.Column('quality', sa.String(length=100), nullable=True),
    sa.Column('product', sa.String(length=200), nullable=True),
    sa.Column('protocol', sa.Text(), nullable=True),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('group', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_on', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['library_prep_id'], ['molecular.library_prep.id'], name=op.f('fk_pre_library_prep_library_prep_id_library_prep')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pre_library_prep')),
    schema='molecular'
    )
    op.create_index(op.f('ix_molecular_pre_library_prep_group'), 'pre_library_prep', ['group'], unique=False, schema='molecular')
    op.create_index(op.f('ix_molecular_pre_library_prep_library_prep_id'), 'pre_library_prep', ['library_prep_id'], unique=False, schema='molecular')
    op.create_index(op.f('ix_molecular_pre_library_prep_material_sample_id'), 'pre_library_prep', ['material_sample_id'], unique=False, schema='molecular')
    install_kits()
    create_prefix_indexes('molecular', PREFIXED)


def downgrade() -> None:
    drop_prefix_indexes('molecular', PREFIXED)
    op.drop_index(op.f('ix_molecular_pre_library_prep_material_sample_id'), table_name='pre_library_prep', schema='molecular')
    op.drop_index(op.f('ix_molecular_pre_library_prep_library_prep_id'), table_name='pre_library_prep', schema='molecular')
    op.drop_index(op.f('ix_molecular_pre_library_prep_group'), table_name='pre_library_prep', schema='molecular')
    op.drop_table('pre_library_prep', schema='molecular')
    op.drop_index(op.f('ix_molecular_metagenomics_batch_item_metagenomics_batch_id'), table_name='metagenomics_batch_item', schema='molecular')
    op.drop_index(op.f('ix_molecular_metagenomics_batch_item_library_prep_id'), table_name='metagenomics_batch_item', schema='molecular')
    op.drop_index(op.f('ix_molecular_metagenomics_batch_item_group'), table_name='metagenomics_batch_item', schema='molecular')
    op.drop_table('metagenomics_batch_item', schema='molecular')
    op.drop_index(op.f('ix_molecular_seq_submission_sequencing_run_id'), table_name='seq_submission', schema='molecular')
    op.drop_index(op.f('ix_molecular_seq_submission_group'), table_name='seq_submission', schema='molecular')
    op.drop_table('seq_submission', schema='molecular')
    op.drop_index(op.f('ix_molecular_metagenomics_batch_index_set_id'), table_name='metagenomics_batch', schema='molecular')
    op.drop_index(op.f('ix_molecular_metagenomics_batch_group'), table_name='metagenomics_batch', schema='molecular')
    op.drop_table('metagenomics_batch', schema='molecular')
    op.drop_index(op.f('ix_molecular_sequencing_run_item_sequencing_run_id'), table_name='sequencing_run_item', schema='molecular')
    op.drop_index(op.f('ix_molecular_sequencing_run_item_library_prep_id'), table_name='sequencing_run_item', schema='molecular')
    op.drop_index(op.f('ix_molecular_sequencing_run_item_library_pool_id'), table_name='sequencing_run_item', schema='molecular')
    op.drop_index(op.f('ix_molecular_sequencing_run_item_group'), table_name='sequencing_run_item', schema='molecular')
    op.drop_table('sequencing_run_item', schema='molecular')
    op.drop_index(op.f('ix_molecular_quality_control_library_prep_id'), table_name='quality_control', schema='molecular')
    op.drop_index(op.f('ix_molecular_quality_control_library_pool_id'), table_name='quality_control', schema='molecular')
    op.drop_index(op.f('ix_molecular_quality_control_group'), table_name='quality_control', schema='molecular')
    op.drop_table('quality_control', schema='molecular')
    op.drop_index(op.f('ix_molecular_library_pool_content_pooled_library_pool_id'), table_name='library_pool_content', schema='molecular')
    op.drop_index(op.f('ix_molecular_library_pool_content_library_prep_id'), table_name='library_pool_content', schema='molecular')
    op.drop_index(op.f('ix_molecular_library_pool_content_library_pool_id'), table_name='library_pool_content', schema='molecular')
    op.drop_index(op.f('ix_molecular_library_pool_content_group'), table_name='library_pool_content', schema='molecular')
    op.drop_table('library_pool_content', schema='molecular')
    op.drop_index(op.f('ix_molecular_library_prep_material_sample_id'), table_name='library_prep', schema='molecular')
    op.drop_index(op.f('ix_molecular_library_prep_library_prep_batch_id'), table_name='library_prep', schema='molecular')
    op.drop_index(op.f('ix_molecular_library_prep_group'), table_name='library_prep', schema='molecular')
    op.drop_table('library_prep', schema='molecular')
    op.drop_index(op.f('ix_molecular_sequencing_run_sequencing_facility_id'), table_name='sequencing_run', schema='molecular')
    op.drop_index(op.f('ix_molecular_sequencing_run_group'), table_name='sequencing_run', schema='molecular')
    op.drop_table('sequencing_run', schema='molecular')
    op.drop_index(op.f('ix_molecular_ngs_index_index_set_id'), table_name='ngs_index', schema='molecular')
    op.drop_index(op.f('ix_molecular_ngs_index_group'), table_name='ngs_index', schema='molecular')
    op.drop_table('ngs_index', schema='molecular')
    op.drop_index(op.f('ix_molecular_library_prep_batch_index_set_id'), table_name='library_prep_batch', schema='molecular')
    op.drop_index(op.f('ix_molecular_library_prep_batch_group'), table_name='library_prep_batch', schema='molecular')
    op.drop_table('library_prep_batch', schema='molecular')
    op.drop_index(op.f('ix_molecular_sequencing_facility_group'), table_name='sequencing_facility', schema='molecular')
    op.drop_table('sequencing_facility', schema='molecular')
    op.drop_index(op.f('ix_molecular_library_pool_group'), table_name='library_pool', schema='molecular')
    op.drop_table('library_pool', schema='molecular')
    op.drop_index(op.f('ix_molecular_index_set_group'), table_name='index_set', schema='molecular')
    op.drop_table('index_set', schema='molecular')
