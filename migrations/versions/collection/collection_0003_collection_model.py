"""collection: the DINA collection model (institutions, collections, storage, preparation types, projects, managed attributes, organisms, determinations; partial event dates, search)

Revision ID: collection_0003
Revises: collection_0002
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "collection_0003"
down_revision: str | None = "collection_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # array_to_string is only STABLE; generated columns need an IMMUTABLE function.
    op.execute(
        "CREATE FUNCTION collection.array_text(text[]) RETURNS text LANGUAGE sql IMMUTABLE "
        "AS $$ SELECT array_to_string($1, ' ') $$"
    )
    op.create_table('institution',
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.Column('code', sa.String(length=50), nullable=True),
    sa.Column('webpage', sa.String(length=2000), nullable=True),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('group', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_on', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_institution')),
    sa.UniqueConstraint('code', name=op.f('uq_institution_code')),
    schema='collection'
    )
    op.create_index(op.f('ix_collection_institution_group'), 'institution', ['group'], unique=False, schema='collection')
    op.create_table('managed_attribute',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('name', sa.String(length=250), nullable=False),
    sa.Column('value_type', sa.String(length=20), nullable=False),
    sa.Column('accepted_values', postgresql.ARRAY(sa.Text()), server_default='{}', nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('group', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_on', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_managed_attribute')),
    sa.UniqueConstraint('key', name=op.f('uq_managed_attribute_key')),
    schema='collection'
    )
    op.create_index(op.f('ix_collection_managed_attribute_group'), 'managed_attribute', ['group'], unique=False, schema='collection')
    op.create_table('preparation_type',
    sa.Column('name', sa.String(length=250), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('group', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_on', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_preparation_type')),
    sa.UniqueConstraint('name', name=op.f('uq_preparation_type_name')),
    schema='collection'
    )
    op.create_index(op.f('ix_collection_preparation_type_group'), 'preparation_type', ['group'], unique=False, schema='collection')
    op.create_table('project',
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.Column('status', sa.String(length=50), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('group', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_on', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project')),
    sa.UniqueConstraint('name', name=op.f('uq_project_name')),
    schema='collection'
    )
    op.create_index(op.f('ix_collection_project_group'), 'project', ['group'], unique=False, schema='collection')
    op.create_table('storage_unit',
    sa.Column('name', sa.String(length=250), nullable=False),
    sa.Column('unit_type', sa.String(length=50), nullable=False),
    sa.Column('barcode', sa.String(length=100), nullable=True),
    sa.Column('parent_id', sa.UUID(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('group', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_on', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['collection.storage_unit.id'], name=op.f('fk_storage_unit_parent_id_storage_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_storage_unit')),
    schema='collection'
    )
    op.create_index(op.f('ix_collection_storage_unit_group'), 'storage_unit', ['group'], unique=False, schema='collection')
    op.create_index(op.f('ix_collection_storage_unit_parent_id'), 'storage_unit', ['parent_id'], unique=False, schema='collection')
    op.create_table('collection',
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.Column('code', sa.String(length=50), nullable=False),
    sa.Column('institution_id', sa.UUID(), nullable=True),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('group', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_on', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['collection.institution.id'], name=op.f('fk_collection_institution_id_institution')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collection')),
    sa.UniqueConstraint('institution_id', 'code', name=op.f('uq_collection_institution_id')),
    schema='collection'
    )
    op.create_index(op.f('ix_collection_collection_code'), 'collection', ['code'], unique=False, schema='collection')
    op.create_index(op.f('ix_collection_collection_group'), 'collection', ['group'], unique=False, schema='collection')
    op.create_index(op.f('ix_collection_collection_institution_id'), 'collection', ['institution_id'], unique=False, schema='collection')
    op.create_table('organism',
    sa.Column('material_sample_id', sa.UUID(), nullable=False),
    sa.Column('life_stage', sa.String(length=100), nullable=True),
    sa.Column('sex', sa.String(length=50), nullable=True),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('group', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_on', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['material_sample_id'], ['collection.material_sample.id'], name=op.f('fk_organism_material_sample_id_material_sample')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organism')),
    schema='collection'
    )
    op.create_index(op.f('ix_collection_organism_group'), 'organism', ['group'], unique=False, schema='collection')
    op.create_index(op.f('ix_collection_organism_material_sample_id'), 'organism', ['material_sample_id'], unique=False, schema='collection')
    op.create_table('determination',
    sa.Column('organism_id', sa.UUID(), nullable=False),
    sa.Column('verbatim_scientific_name', sa.String(length=500), nullable=True),
    sa.Column('scientific_name', sa.String(length=500), nullable=True),
    sa.Column('determined_on', sa.Date(), nullable=True),
    sa.Column('is_primary', sa.Boolean(), server_default='false', nullable=False),
    sa.Column('type_status', sa.String(length=100), nullable=True),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('determiner_ids', postgresql.ARRAY(sa.UUID()), server_default='{}', nullable=False),
    sa.Column('search_vector', postgresql.TSVECTOR(), sa.Computed("to_tsvector('simple', coalesce(verbatim_scientific_name, '') || ' ' || coalesce(scientific_name, ''))", persisted=True), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('group', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_on', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['organism_id'], ['collection.organism.id'], name=op.f('fk_determination_organism_id_organism')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_determination')),
    schema='collection'
    )
    op.create_index(op.f('ix_collection_determination_determiner_ids'), 'determination', ['determiner_ids'], unique=False, schema='collection', postgresql_using='gin')
    op.create_index(op.f('ix_collection_determination_group'), 'determination', ['group'], unique=False, schema='collection')
    op.create_index(op.f('ix_collection_determination_organism_id'), 'determination', ['organism_id'], unique=False, schema='collection')
    op.create_index(op.f('ix_collection_determination_search_vector'), 'determination', ['search_vector'], unique=False, schema='collection', postgresql_using='gin')
    op.create_index('uq_determination_primary_per_organism', 'determination', ['organism_id'], unique=True, schema='collection', postgresql_where=sa.text('is_primary'))
    op.add_column('collecting_event', sa.Column('earliest_date', sa.Date(), nullable=True), schema='collection')
    op.add_column('collecting_event', sa.Column('latest_date', sa.Date(), nullable=True), schema='collection')
    op.add_column('collecting_event', sa.Column('coordinate_uncertainty_in_meters', sa.Float(), nullable=True), schema='collection')
    op.add_column('collecting_event', sa.Column('geodetic_datum', sa.String(length=50), nullable=True), schema='collection')
    op.add_column('collecting_event', sa.Column('habitat', sa.Text(), nullable=True), schema='collection')
    op.add_column('collecting_event', sa.Column('minimum_elevation_in_meters', sa.Float(), nullable=True), schema='collection')
    op.add_column('collecting_event', sa.Column('maximum_elevation_in_meters', sa.Float(), nullable=True), schema='collection')
    op.add_column('collecting_event', sa.Column('minimum_depth_in_meters', sa.Float(), nullable=True), schema='collection')
    op.add_column('collecting_event', sa.Column('maximum_depth_in_meters', sa.Float(), nullable=True), schema='collection')
    op.execute(
        "UPDATE collection.collecting_event SET earliest_date = start_event_date, "
        "latest_date = coalesce(end_event_date, start_event_date)"
    )
    op.alter_column('collecting_event', 'start_event_date',
               existing_type=sa.DATE(),
               type_=sa.String(length=10),
               existing_nullable=True,
               schema='collection',
               postgresql_using="to_char(start_event_date, 'YYYY-MM-DD')")
    op.alter_column('collecting_event', 'end_event_date',
               existing_type=sa.DATE(),
               type_=sa.String(length=10),
               existing_nullable=True,
               schema='collection',
               postgresql_using="to_char(end_event_date, 'YYYY-MM-DD')")
    op.create_index(op.f('ix_collection_collecting_event_collector_ids'), 'collecting_event', ['collector_ids'], unique=False, schema='collection', postgresql_using='gin')
    op.create_index(op.f('ix_collection_collecting_event_earliest_date'), 'collecting_event', ['earliest_date'], unique=False, schema='collection')
    op.create_index(op.f('ix_collection_collecting_event_latest_date'), 'collecting_event', ['latest_date'], unique=False, schema='collection')
    op.add_column('material_sample', sa.Column('material_sample_type', sa.String(length=50), nullable=True), schema='collection')
    op.add_column('material_sample', sa.Column('collection_id', sa.UUID(), nullable=True), schema='collection')
    op.add_column('material_sample', sa.Column('parent_material_sample_id', sa.UUID(), nullable=True), schema='collection')
    op.add_column('material_sample', sa.Column('preparation_type_id', sa.UUID(), nullable=True), schema='collection')
    op.add_column('material_sample', sa.Column('storage_unit_id', sa.UUID(), nullable=True), schema='collection')
    op.add_column('material_sample', sa.Column('managed_attributes', postgresql.JSONB(astext_type=sa.Text()), server_default='{}', nullable=False), schema='collection')
    op.add_column('material_sample', sa.Column('project_ids', postgresql.ARRAY(sa.UUID()), server_default='{}', nullable=False), schema='collection')
    op.add_column('material_sample', sa.Column('prepared_by_ids', postgresql.ARRAY(sa.UUID()), server_default='{}', nullable=False), schema='collection')
    op.add_column('material_sample', sa.Column('search_vector', postgresql.TSVECTOR(), sa.Computed("to_tsvector('simple', coalesce(material_sample_name, '') || ' ' || coalesce(barcode, '') || ' ' || coalesce(collection.array_text(other_catalog_numbers), ''))", persisted=True), nullable=False), schema='collection')
    op.create_index(op.f('ix_collection_material_sample_attachment_ids'), 'material_sample', ['attachment_ids'], unique=False, schema='collection', postgresql_using='gin')
    op.create_index(op.f('ix_collection_material_sample_barcode'), 'material_sample', ['barcode'], unique=False, schema='collection')
    op.create_index(op.f('ix_collection_material_sample_collection_id'), 'material_sample', ['collection_id'], unique=False, schema='collection')
    op.create_index(op.f('ix_collection_material_sample_parent_material_sample_id'), 'material_sample', ['parent_material_sample_id'], unique=False, schema='collection')
    op.create_index(op.f('ix_collection_material_sample_preparation_type_id'), 'material_sample', ['preparation_type_id'], unique=False, schema='collection')
    op.create_index(op.f('ix_collection_material_sample_search_vector'), 'material_sample', ['search_vector'], unique=False, schema='collection', postgresql_using='gin')
    op.create_index(op.f('ix_collection_material_sample_storage_unit_id'), 'material_sample', ['storage_unit_id'], unique=False, schema='collection')
    op.create_foreign_key(op.f('fk_material_sample_preparation_type_id_preparation_type'), 'material_sample', 'preparation_type', ['preparation_type_id'], ['id'], source_schema='collection', referent_schema='collection')
    op.create_foreign_key(op.f('fk_material_sample_collection_id_collection'), 'material_sample', 'collection', ['collection_id'], ['id'], source_schema='collection', referent_schema='collection')
    op.create_foreign_key(op.f('fk_material_sample_parent_material_sample_id_material_sample'), 'material_sample', 'material_sample', ['parent_material_sample_id'], ['id'], source_schema='collection', referent_schema='collection')
    op.create_foreign_key(op.f('fk_material_sample_storage_unit_id_storage_unit'), 'material_sample', 'storage_unit', ['storage_unit_id'], ['id'], source_schema='collection', referent_schema='collection')
    op.drop_column('material_sample', 'preparation_type', schema='collection')
    # ### end Alembic commands ###


def downgrade() -> None:
    op.add_column('material_sample', sa.Column('preparation_type', sa.VARCHAR(length=100), autoincrement=False, nullable=True), schema='collection')
    op.drop_constraint(op.f('fk_material_sample_storage_unit_id_storage_unit'), 'material_sample', schema='collection', type_='foreignkey')
    op.drop_constraint(op.f('fk_material_sample_parent_material_sample_id_material_sample'), 'material_sample', schema='collection', type_='foreignkey')
    op.drop_constraint(op.f('fk_material_sample_collection_id_collection'), 'material_sample', schema='collection', type_='foreignkey')
    op.drop_constraint(op.f('fk_material_sample_preparation_type_id_preparation_type'), 'material_sample', schema='collection', type_='foreignkey')
    op.drop_index(op.f('ix_collection_material_sample_storage_unit_id'), table_name='material_sample', schema='collection')
    op.drop_index(op.f('ix_collection_material_sample_search_vector'), table_name='material_sample', schema='collection', postgresql_using='gin')
    op.drop_index(op.f('ix_collection_material_sample_preparation_type_id'), table_name='material_sample', schema='collection')
    op.drop_index(op.f('ix_collection_material_sample_parent_material_sample_id'), table_name='material_sample', schema='collection')
    op.drop_index(op.f('ix_collection_material_sample_collection_id'), table_name='material_sample', schema='collection')
    op.drop_index(op.f('ix_collection_material_sample_barcode'), table_name='material_sample', schema='collection')
    op.drop_index(op.f('ix_collection_material_sample_attachment_ids'), table_name='material_sample', schema='collection', postgresql_using='gin')
    op.drop_column('material_sample', 'search_vector', schema='collection')
    op.drop_column('material_sample', 'prepared_by_ids', schema='collection')
    op.drop_column('material_sample', 'project_ids', schema='collection')
    op.drop_column('material_sample', 'managed_attributes', schema='collection')
    op.drop_column('material_sample', 'storage_unit_id', schema='collection')
    op.drop_column('material_sample', 'preparation_type_id', schema='collection')
    op.drop_column('material_sample', 'parent_material_sample_id', schema='collection')
    op.drop_column('material_sample', 'collection_id', schema='collection')
    op.drop_column('material_sample', 'material_sample_type', schema='collection')
    op.drop_index(op.f('ix_collection_collecting_event_latest_date'), table_name='collecting_event', schema='collection')
    op.drop_index(op.f('ix_collection_collecting_event_earliest_date'), table_name='collecting_event', schema='collection')
    op.drop_index(op.f('ix_collection_collecting_event_collector_ids'), table_name='collecting_event', schema='collection', postgresql_using='gin')
    op.alter_column('collecting_event', 'end_event_date',
               existing_type=sa.String(length=10),
               type_=sa.DATE(),
               existing_nullable=True,
               schema='collection',
               postgresql_using='latest_date')
    op.alter_column('collecting_event', 'start_event_date',
               existing_type=sa.String(length=10),
               type_=sa.DATE(),
               existing_nullable=True,
               schema='collection',
               postgresql_using='earliest_date')
    op.drop_column('collecting_event', 'maximum_depth_in_meters', schema='collection')
    op.drop_column('collecting_event', 'minimum_depth_in_meters', schema='collection')
    op.drop_column('collecting_event', 'maximum_elevation_in_meters', schema='collection')
    op.drop_column('collecting_event', 'minimum_elevation_in_meters', schema='collection')
    op.drop_column('collecting_event', 'habitat', schema='collection')
    op.drop_column('collecting_event', 'geodetic_datum', schema='collection')
    op.drop_column('collecting_event', 'coordinate_uncertainty_in_meters', schema='collection')
    op.drop_column('collecting_event', 'latest_date', schema='collection')
    op.drop_column('collecting_event', 'earliest_date', schema='collection')
    op.drop_index('uq_determination_primary_per_organism', table_name='determination', schema='collection', postgresql_where=sa.text('is_primary'))
    op.drop_index(op.f('ix_collection_determination_search_vector'), table_name='determination', schema='collection', postgresql_using='gin')
    op.drop_index(op.f('ix_collection_determination_organism_id'), table_name='determination', schema='collection')
    op.drop_index(op.f('ix_collection_determination_group'), table_name='determination', schema='collection')
    op.drop_index(op.f('ix_collection_determination_determiner_ids'), table_name='determination', schema='collection', postgresql_using='gin')
    op.drop_table('determination', schema='collection')
    op.drop_index(op.f('ix_collection_organism_material_sample_id'), table_name='organism', schema='collection')
    op.drop_index(op.f('ix_collection_organism_group'), table_name='organism', schema='collection')
    op.drop_table('organism', schema='collection')
    op.drop_index(op.f('ix_collection_collection_institution_id'), table_name='collection', schema='collection')
    op.drop_index(op.f('ix_collection_collection_group'), table_name='collection', schema='collection')
    op.drop_index(op.f('ix_collection_collection_code'), table_name='collection', schema='collection')
    op.drop_table('collection', schema='collection')
    op.drop_index(op.f('ix_collection_storage_unit_parent_id'), table_name='storage_unit', schema='collection')
    op.drop_index(op.f('ix_collection_storage_unit_group'), table_name='storage_unit', schema='collection')
    op.drop_table('storage_unit', schema='collection')
    op.drop_index(op.f('ix_collection_project_group'), table_name='project', schema='collection')
    op.drop_table('project', schema='collection')
    op.drop_index(op.f('ix_collection_preparation_type_group'), table_name='preparation_type', schema='collection')
    op.drop_table('preparation_type', schema='collection')
    op.drop_index(op.f('ix_collection_managed_attribute_group'), table_name='managed_attribute', schema='collection')
    op.drop_table('managed_attribute', schema='collection')
    op.drop_index(op.f('ix_collection_institution_group'), table_name='institution', schema='collection')
    op.drop_table('institution', schema='collection')
    op.execute("DROP FUNCTION collection.array_text(text[])")
