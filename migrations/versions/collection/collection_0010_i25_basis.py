"""collection: a material sample's dwc:basisOfRecord (observations, living and fossil specimens)

Samples imported before keep their source row's value, in the vocabulary's spelling.

Revision ID: collection_0008_i25_basis
Revises: collection_0008_i24_taxonomy
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from subgraphs.core.runtime.migration_ops import create_prefix_indexes, drop_prefix_indexes

revision: str = 'collection_0008_i25_basis'
down_revision: str | None = 'collection_0008_i24_taxonomy'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BASES = ("PreservedSpecimen", "FossilSpecimen", "LivingSpecimen", "MaterialSample", "MaterialEntity",
         "MaterialCitation", "HumanObservation", "MachineObservation", "Occurrence", "Event", "Taxon")


# (table, column) pairs a StringFilter is offered on: their `startsWith` index (tests/test_prefix_search.py)
PREFIXED = [
    ('material_sample', 'basis_of_record'),
]


def upgrade() -> None:
    op.add_column('material_sample', sa.Column('basis_of_record', sa.String(50)), schema='collection')
    op.create_index(op.f('ix_collection_material_sample_basis_of_record'), 'material_sample', ['basis_of_record'],
                    schema='collection')
    given = "lower(regexp_replace(source_record->>'http://rs.tdwg.org/dwc/terms/basisOfRecord', '[[:space:]_]', '', 'g'))"
    for name in BASES:
        op.execute(f"UPDATE collection.material_sample SET basis_of_record = '{name}' WHERE {given} = '{name.lower()}'")
    create_prefix_indexes('collection', PREFIXED)


def downgrade() -> None:
    drop_prefix_indexes('collection', PREFIXED)
    op.drop_index(op.f('ix_collection_material_sample_basis_of_record'), 'material_sample', schema='collection')
    op.drop_column('material_sample', 'basis_of_record', schema='collection')
