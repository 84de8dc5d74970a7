"""collection: a material sample's dwc:basisOfRecord (observations, living and fossil specimens)

Samples imported before keep their source row's value, in the vocabulary's spelling.

Revision ID: collection_0008_i25_basis
Revises: collection_0007_i18
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'collection_0008_i25_basis'
down_revision: str | None = 'collection_0007_i18'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BASES = ("PreservedSpecimen", "FossilSpecimen", "LivingSpecimen", "MaterialSample", "MaterialEntity",
         "MaterialCitation", "HumanObservation", "MachineObservation", "Occurrence", "Event", "Taxon")


def upgrade() -> None:
    op.add_column('material_sample', sa.Column('basis_of_record', sa.String(50)), schema='collection')
    op.create_index(op.f('ix_collection_material_sample_basis_of_record'), 'material_sample', ['basis_of_record'],
                    schema='collection')
    given = "lower(regexp_replace(source_record->>'http://rs.tdwg.org/dwc/terms/basisOfRecord', '[[:space:]_]', '', 'g'))"
    for name in BASES:
        op.execute(f"UPDATE collection.material_sample SET basis_of_record = '{name}' WHERE {given} = '{name.lower()}'")


def downgrade() -> None:
    op.drop_index(op.f('ix_collection_material_sample_basis_of_record'), 'material_sample', schema='collection')
    op.drop_column('material_sample', 'basis_of_record', schema='collection')
