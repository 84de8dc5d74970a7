"""transactions initial: the transactions schema (loans, borrows, gifts, exchanges, accessions,
deaccessions), their items, shipments and permits, number sequences and the audit log.

Revision ID: transactions_0001_i23
Revises:
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from subgraphs.core.runtime.migration_ops import create_audit_log, drop_audit_log

revision: str = "transactions_0001_i23"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ("transactions",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("CREATE SCHEMA IF NOT EXISTS transactions")
    create_audit_log("transactions")
    op.create_table('number_sequence',
    sa.Column('number_scope', sa.String(length=200), nullable=False),
    sa.Column('prefix', sa.String(length=200), nullable=False),
    sa.Column('last_value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('number_scope', 'prefix', name=op.f('pk_number_sequence')),
    schema='transactions'
    )
    op.create_table('transaction',
    sa.Column('transaction_type', sa.String(length=20), nullable=False),
    sa.Column('material_direction', sa.String(length=3), nullable=False),
    sa.Column('transaction_number', sa.String(length=100), nullable=False),
    sa.Column('number_scope', sa.String(length=200), nullable=False),
    sa.Column('collection_id', sa.UUID(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=True),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('opened_date', sa.Date(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('closed_date', sa.Date(), nullable=True),
    sa.Column('counterparty_organization_id', sa.UUID(), nullable=True),
    sa.Column('counterparty_name', sa.String(length=500), nullable=True),
    sa.Column('agent_roles', postgresql.JSONB(astext_type=sa.Text()), server_default='[]', nullable=False),
    sa.Column('agent_ids', postgresql.ARRAY(sa.UUID()), server_default='{}', nullable=False),
    sa.Column('items_outstanding', sa.Integer(), server_default='0', nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('group', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_on', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transaction')),
    sa.UniqueConstraint('number_scope', 'transaction_number', name=op.f('uq_transaction_number_scope')),
    schema='transactions'
    )
    op.create_index(op.f('ix_transactions_transaction_agent_ids'), 'transaction', ['agent_ids'], unique=False, schema='transactions', postgresql_using='gin')
    op.create_index(op.f('ix_transactions_transaction_due_date'), 'transaction', ['due_date'], unique=False, schema='transactions')
    op.create_index(op.f('ix_transactions_transaction_group'), 'transaction', ['group'], unique=False, schema='transactions')
    op.create_index(op.f('ix_transactions_transaction_status'), 'transaction', ['status'], unique=False, schema='transactions')
    op.create_index(op.f('ix_transactions_transaction_transaction_type'), 'transaction', ['transaction_type'], unique=False, schema='transactions')
    op.create_table('permit',
    sa.Column('transaction_id', sa.UUID(), nullable=False),
    sa.Column('permit_number', sa.String(length=200), nullable=False),
    sa.Column('permit_type', sa.String(length=200), nullable=True),
    sa.Column('issuer', sa.String(length=500), nullable=True),
    sa.Column('issued_date', sa.Date(), nullable=True),
    sa.Column('expiry_date', sa.Date(), nullable=True),
    sa.Column('scan_media_id', sa.UUID(), nullable=True),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('group', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_on', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['transaction_id'], ['transactions.transaction.id'], name=op.f('fk_permit_transaction_id_transaction')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_permit')),
    schema='transactions'
    )
    op.create_index(op.f('ix_transactions_permit_group'), 'permit', ['group'], unique=False, schema='transactions')
    op.create_index(op.f('ix_transactions_permit_transaction_id'), 'permit', ['transaction_id'], unique=False, schema='transactions')
    op.create_table('shipment',
    sa.Column('transaction_id', sa.UUID(), nullable=False),
    sa.Column('direction', sa.String(length=3), nullable=False),
    sa.Column('shipping_method', sa.String(length=200), nullable=True),
    sa.Column('tracking_number', sa.String(length=200), nullable=True),
    sa.Column('shipped_date', sa.Date(), nullable=True),
    sa.Column('received_date', sa.Date(), nullable=True),
    sa.Column('number_of_packages', sa.Integer(), nullable=True),
    sa.Column('weight_kg', sa.Float(), nullable=True),
    sa.Column('insured_value', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('insured_value_currency', sa.String(length=3), nullable=True),
    sa.Column('shipper_id', sa.UUID(), nullable=True),
    sa.Column('receiver_id', sa.UUID(), nullable=True),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('group', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_on', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['transaction_id'], ['transactions.transaction.id'], name=op.f('fk_shipment_transaction_id_transaction')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shipment')),
    schema='transactions'
    )
    op.create_index(op.f('ix_transactions_shipment_group'), 'shipment', ['group'], unique=False, schema='transactions')
    op.create_index(op.f('ix_transactions_shipment_transaction_id'), 'shipment', ['transaction_id'], unique=False, schema='transactions')
    op.create_table('transaction_item',
    sa.Column('transaction_id', sa.UUID(), nullable=False),
    sa.Column('material_sample_id', sa.UUID(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('quantity', sa.Integer(), server_default='1', nullable=False),
    sa.Column('quantity_returned', sa.Integer(), server_default='0', nullable=False),
    sa.Column('returned_date', sa.Date(), nullable=True),
    sa.Column('condition', sa.Text(), nullable=True),
    sa.Column('return_condition', sa.Text(), nullable=True),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('group', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_on', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['transaction_id'], ['transactions.transaction.id'], name=op.f('fk_transaction_item_transaction_id_transaction')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transaction_item')),
    schema='transactions'
    )
    op.create_index(op.f('ix_transactions_transaction_item_group'), 'transaction_item', ['group'], unique=False, schema='transactions')
    op.create_index(op.f('ix_transactions_transaction_item_material_sample_id'), 'transaction_item', ['material_sample_id'], unique=False, schema='transactions')
    op.create_index(op.f('ix_transactions_transaction_item_transaction_id'), 'transaction_item', ['transaction_id'], unique=False, schema='transactions')


def downgrade() -> None:
    op.drop_index(op.f('ix_transactions_transaction_item_transaction_id'), table_name='transaction_item', schema='transactions')
    op.drop_index(op.f('ix_transactions_transaction_item_material_sample_id'), table_name='transaction_item', schema='transactions')
    op.drop_index(op.f('ix_transactions_transaction_item_group'), table_name='transaction_item', schema='transactions')
    op.drop_table('transaction_item', schema='transactions')
    op.drop_index(op.f('ix_transactions_shipment_transaction_id'), table_name='shipment', schema='transactions')
    op.drop_index(op.f('ix_transactions_shipment_group'), table_name='shipment', schema='transactions')
    op.drop_table('shipment', schema='transactions')
    op.drop_index(op.f('ix_transactions_permit_transaction_id'), table_name='permit', schema='transactions')
    op.drop_index(op.f('ix_transactions_permit_group'), table_name='permit', schema='transactions')
    op.drop_table('permit', schema='transactions')
    op.drop_index(op.f('ix_transactions_transaction_transaction_type'), table_name='transaction', schema='transactions')
    op.drop_index(op.f('ix_transactions_transaction_status'), table_name='transaction', schema='transactions')
    op.drop_index(op.f('ix_transactions_transaction_group'), table_name='transaction', schema='transactions')
    op.drop_index(op.f('ix_transactions_transaction_due_date'), table_name='transaction', schema='transactions')
    op.drop_index(op.f('ix_transactions_transaction_agent_ids'), table_name='transaction', schema='transactions', postgresql_using='gin')
    op.drop_table('transaction', schema='transactions')
    op.drop_table('number_sequence', schema='transactions')
    drop_audit_log("transactions")
    op.execute("DROP SCHEMA IF EXISTS transactions CASCADE")
