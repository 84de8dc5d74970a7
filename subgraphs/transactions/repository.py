"""The SQL of the transactions schema: the only module naming its tables."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import ColumnElement, Date, Select, and_, exists, func, not_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.core.data.db import one_of

from .models import NumberSequence, Permit, Shipment, Transaction, TransactionItem, audit_log

transaction = Transaction.__table__
item = TransactionItem.__table__
shipment = Shipment.__table__
permit = Permit.__table__
audit = audit_log

# Kinds of transaction whose material has to come back.
RETURNABLE = ("LOAN", "BORROW")


async def lock_transaction(session: AsyncSession, id: uuid.UUID) -> Transaction | None:
    """The transaction, row-locked and re-read: item writes and status changes of one transaction
    happen one after the other, so the outstanding count and the open/closed check stay true."""
    return await session.scalar(select(Transaction).where(Transaction.id == id).with_for_update()
                                .execution_options(populate_existing=True))


async def lock_key(session: AsyncSession, key: str) -> None:
    """A lock on ``key`` until the transaction ends (a number scope, a sample being lent)."""
    await session.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(key, 0))))


async def number_taken(session: AsyncSession, scope: str, number: str, except_id: uuid.UUID | None) -> bool:
    query = select(transaction.c.id).where(transaction.c.number_scope == scope,
                                           transaction.c.transaction_number == number)
    if except_id is not None:
        query = query.where(transaction.c.id != except_id)
    return bool(await session.scalar(select(exists(query))))


async def next_sequence(session: AsyncSession, scope: str, prefix: str) -> int:
    """The next sequence number of ``prefix`` in ``scope`` (1 the first time); never given twice."""
    table = NumberSequence.__table__
    statement = insert(table).values(number_scope=scope, prefix=prefix, last_value=1)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.number_scope, table.c.prefix], set_={"last_value": table.c.last_value + 1},
    ).returning(table.c.last_value)
    return (await session.execute(statement)).scalar_one()


def _outstanding(items: Any = item) -> ColumnElement[bool]:
    return items.c.quantity_returned < items.c.quantity


async def open_loan_of_sample(session: AsyncSession, sample_id: uuid.UUID, except_item_id: uuid.UUID | None) -> str | None:
    """The number of an open loan on which ``sample_id`` is out and not back, if any."""
    query = (select(transaction.c.transaction_number).select_from(item.join(transaction))
             .where(item.c.material_sample_id == sample_id, _outstanding(),
                    transaction.c.transaction_type == "LOAN", transaction.c.status == "OPEN").limit(1))
    if except_item_id is not None:
        query = query.where(item.c.id != except_item_id)
    return await session.scalar(query)


async def refresh_outstanding(session: AsyncSession, transaction_id: uuid.UUID) -> None:
    """Recount the parts not yet back over all of the transaction's items."""
    await session.flush()
    total = select(func.coalesce(func.sum(item.c.quantity - item.c.quantity_returned), 0)).where(
        item.c.transaction_id == transaction_id).scalar_subquery()
    await session.execute(update(transaction).where(transaction.c.id == transaction_id)
                          .values(items_outstanding=total))


async def items_of(session: AsyncSession, transaction_id: uuid.UUID, ids: list[uuid.UUID]) -> dict[uuid.UUID, TransactionItem]:
    found = await session.scalars(select(TransactionItem).where(
        TransactionItem.transaction_id == transaction_id, TransactionItem.id.in_(ids)))
    return {found_item.id: found_item for found_item in found}


async def outstanding_items(session: AsyncSession, transaction_id: uuid.UUID) -> list[TransactionItem]:
    found = await session.scalars(select(TransactionItem).where(
        TransactionItem.transaction_id == transaction_id,
        TransactionItem.quantity_returned < TransactionItem.quantity).order_by(TransactionItem.id))
    return list(found)


def children_of(transaction_id: uuid.UUID) -> list[tuple[str, Select[Any]]]:
    """What must be removed before a transaction can be deleted."""
    return [(label, select(table.c.id).where(table.c.transaction_id == transaction_id))
            for label, table in (("items", item), ("shipments", shipment), ("permits", permit))]


def utc_today() -> ColumnElement[dt.date]:
    return func.timezone("UTC", func.now()).cast(Date)


def overdue() -> ColumnElement[bool]:
    """Open, returnable, past its due date, with parts not yet back: what `OVERDUE` means in SQL."""
    c = transaction.c
    return and_(c.status == "OPEN", c.transaction_type.in_(RETURNABLE), c.due_date.is_not(None),
                c.due_date < utc_today(), c.items_outstanding > 0)


def status_is(status: str) -> ColumnElement[bool]:
    """Rows whose computed status is ``status`` (OPEN excludes the overdue ones)."""
    if status == "OVERDUE":
        return overdue()
    if status == "OPEN":
        return and_(transaction.c.status == "OPEN", not_(overdue()))
    return transaction.c.status == status


def with_material_sample(sample_ids: list[uuid.UUID]) -> ColumnElement[bool]:
    """Transactions with an item of one of these samples."""
    return exists(select(item.c.id).where(item.c.transaction_id == transaction.c.id,
                                          one_of(item.c.material_sample_id, sample_ids)))


def loan_items() -> Select[Any]:
    """Items on loans, for a sample's loan history."""
    return select(item).join(transaction).where(transaction.c.transaction_type == "LOAN")


def open_loan_items() -> Select[Any]:
    """Items out on an open loan and not yet back."""
    return loan_items().where(transaction.c.status == "OPEN", _outstanding())
