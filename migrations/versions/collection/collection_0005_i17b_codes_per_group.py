"""collection: an institution code is unique within its group (imports create a group's own institution)

Revision ID: collection_0005_i17b
Revises: collection_0004
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

revision: str = 'collection_0005_i17b'
down_revision: str | None = 'collection_0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_constraint('uq_institution_code', 'institution', schema='collection', type_='unique')
    op.create_unique_constraint(op.f('uq_institution_group'), 'institution', ['group', 'code'], schema='collection')


def downgrade() -> None:
    op.drop_constraint(op.f('uq_institution_group'), 'institution', schema='collection', type_='unique')
    op.create_unique_constraint(op.f('uq_institution_code'), 'institution', ['code'], schema='collection')
