"""The rules of transactions: numbers, directions, statuses and dates, what may be lent and returned.

Item, shipment and permit writes lock their transaction first, so the checks below (closed or open,
parts outstanding, a sample already out) hold until the write commits.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.core.base.errors import ClientError, ErrorCode
from subgraphs.core.base.ids import require_uuid
from subgraphs.core.data.db import RecordMixin
from subgraphs.core.security.auth import Principal, Role
from subgraphs.core.security.permissions import require_role
from subgraphs.core.writes.crud import EntityRules, Values, delete
from subgraphs.core.writes.mutations import InvalidInput
from subgraphs.core.writes.service import Dependant, update_record

from . import repository
from .models import Permit, Shipment, Transaction, TransactionItem


class TransactionsErrorCode(StrEnum):
    TRANSACTION_CLOSED = "TRANSACTION_CLOSED"
    SAMPLE_ON_LOAN = "SAMPLE_ON_LOAN"
    RETURN_EXCEEDS_LENT = "RETURN_EXCEEDS_LENT"
    ITEMS_OUTSTANDING = "ITEMS_OUTSTANDING"
    NOT_RETURNABLE = "NOT_RETURNABLE"
    DUPLICATE_NUMBER = "DUPLICATE_NUMBER"
    INVALID_NUMBER_PATTERN = "INVALID_NUMBER_PATTERN"
    INVALID_DIRECTION = "INVALID_DIRECTION"
    INVALID_DATES = "INVALID_DATES"
    INVALID_QUANTITY = "INVALID_QUANTITY"


E = TransactionsErrorCode
OPEN, CLOSED, OVERDUE = "OPEN", "CLOSED", "OVERDUE"
# The direction each kind of transaction moves material in; gifts and exchanges go either way.
DIRECTIONS = {"LOAN": "OUT", "BORROW": "IN", "ACCESSION": "IN", "DEACCESSION": "OUT"}
NUMBER_PATTERNS = {
    "LOAN": "L-{year}-{seq:04}", "BORROW": "B-{year}-{seq:04}", "GIFT": "G-{year}-{seq:04}",
    "EXCHANGE": "X-{year}-{seq:04}", "ACCESSION": "A-{year}-{seq:04}", "DEACCESSION": "D-{year}-{seq:04}",
}
_PLACEHOLDER = re.compile(r"\{(year|seq)(?::0(\d))?\}")


def utc_today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def returnable(transaction_type: str) -> bool:
    return transaction_type in repository.RETURNABLE


def effective_status(status: str, transaction_type: str, due_date: dt.date | None, outstanding: int) -> str:
    """The stored status, or OVERDUE for an open loan or borrow past its due date with parts not back
    (the same condition as ``repository.overdue``, which filters on it)."""
    if (status == OPEN and returnable(transaction_type) and due_date is not None and due_date < utc_today()
            and outstanding > 0):
        return OVERDUE
    return status


def render_number(pattern: str, year: int, seq: int | None) -> str:
    """``pattern`` with ``{year}`` and ``{seq}`` / ``{seq:0N}`` filled in (``seq`` None: left as a marker,
    which makes the prefix a sequence counts in)."""

    def fill(match: re.Match[str]) -> str:
        if match.group(1) == "year":
            return str(year)
        return "{seq}" if seq is None else str(seq).zfill(int(match.group(2) or 0))

    return _PLACEHOLDER.sub(fill, pattern)


def check_pattern(pattern: str) -> None:
    """A pattern has exactly one ``{seq}``, may have ``{year}``, and no other braces."""
    rest = _PLACEHOLDER.sub("", pattern)
    seqs = [m for m in _PLACEHOLDER.finditer(pattern) if m.group(1) == "seq"]
    if "{" in rest or "}" in rest or len(seqs) != 1 or not pattern.strip():
        raise ClientError(E.INVALID_NUMBER_PATTERN, f"{pattern!r} is not a number pattern: use {{seq}} or "
                          "{seq:0N} once, {year} if wanted, e.g. L-{year}-{seq:04}.", "numberPattern")


def number_scope(collection_id: uuid.UUID | None, group: str) -> str:
    return str(collection_id) if collection_id else f"group:{group}"


async def assign_number(session: AsyncSession, values: Values, current: Transaction | None) -> None:
    """Check a given number is free in its scope, or generate the next one from the pattern."""
    pattern = values.pop("number_pattern", None)
    group = values.get("group") or current.group  # type: ignore[union-attr]
    collection_id = values["collection_id"] if "collection_id" in values else current and current.collection_id
    scope = number_scope(collection_id, group)
    values["number_scope"] = scope
    await repository.lock_key(session, f"transactions.number:{scope}")
    given = values.get("transaction_number")
    if given is not None:
        values["transaction_number"] = number = given.strip()
    elif current is not None:
        number = current.transaction_number
    else:
        pattern = pattern or NUMBER_PATTERNS[values["transaction_type"]]
        check_pattern(pattern)
        prefix = render_number(pattern, values["opened_date"].year, None)
        while True:  # skip numbers someone gave by hand
            number = render_number(pattern, values["opened_date"].year,
                                   await repository.next_sequence(session, scope, prefix))
            if not await repository.number_taken(session, scope, number, None):
                break
        values["transaction_number"] = number
    if not number:
        raise ClientError(ErrorCode.BAD_USER_INPUT, "A transaction number cannot be blank.", "transactionNumber")
    if await repository.number_taken(session, scope, number, current and current.id):
        raise ClientError(E.DUPLICATE_NUMBER, f"Transaction number {number!r} is already used in this "
                          "collection.", "transactionNumber")


def _direction(values: Values, current: Transaction | None) -> None:
    kind = values.get("transaction_type") or current.transaction_type  # type: ignore[union-attr]
    given = values.get("material_direction")
    fixed = DIRECTIONS.get(kind)
    if fixed and given and given != fixed:
        raise ClientError(E.INVALID_DIRECTION, f"A {kind.lower()} moves material {fixed}.", "materialDirection")
    if current is None:
        if not (fixed or given):
            raise ClientError(E.INVALID_DIRECTION, f"Say whether this {kind.lower()} is IN or OUT.",
                              "materialDirection")
        values["material_direction"] = fixed or given


def _status(values: Values, current: Transaction | None) -> None:
    """Closing sets the closed date (a loan or borrow only once everything is back); reopening clears it."""
    status = values.get("status")
    if current is None:
        values["status"] = status = status or OPEN
    if status == CLOSED and (current is None or current.status != CLOSED):
        if current is not None and returnable(current.transaction_type) and current.items_outstanding:
            raise ClientError(E.ITEMS_OUTSTANDING, f"{current.items_outstanding} part(s) are not back yet: "
                              "return them before closing.", "status")
        values.setdefault("closed_date", None)
        values["closed_date"] = values["closed_date"] or utc_today()
    elif status == OPEN and current is not None and current.status == CLOSED:
        values.setdefault("closed_date", None)


def _dates(values: Values, current: Any) -> None:
    def value(key: str) -> dt.date | None:
        return values[key] if key in values else getattr(current, key, None)

    opened = value("opened_date")
    for key, name in (("due_date", "dueDate"), ("closed_date", "closedDate")):
        if (date := value(key)) is not None and opened is not None and date < opened:
            raise ClientError(E.INVALID_DATES, f"{name} {date} is before the opened date {opened}.", name)


def _agent_roles(values: Values) -> None:
    if values.get("agent_roles") is None:
        values.pop("agent_roles", None)
        return
    ids = [require_uuid(r.agent_id, f"agentRoles.{i}.agentId") for i, r in enumerate(values["agent_roles"])]
    values["agent_roles"] = [{"role": r.role.value, "agentId": str(id), "remarks": r.remarks}
                             for r, id in zip(values["agent_roles"], ids, strict=True)]
    values["agent_ids"] = list(dict.fromkeys(ids))


def _keep_required(values: Values, *keys: str) -> None:
    """A null for a column that cannot be empty means: as it is (or the default, on create)."""
    for key in keys:
        if key in values and values[key] is None:
            del values[key]


async def prepare_transaction(session: AsyncSession, values: Values, current: RecordMixin | None) -> Values:
    _keep_required(values, "transaction_number", "material_direction", "status", "opened_date", "number_pattern")
    if current is not None:
        current = await repository.lock_transaction(session, current.id)
        if values.get("status") != OPEN:
            refuse_if_closed(current, "status")  # type: ignore[arg-type]
    else:
        values.setdefault("opened_date", utc_today())
    _direction(values, current)  # type: ignore[arg-type]
    _status(values, current)  # type: ignore[arg-type]
    _dates(values, current)
    _agent_roles(values)
    if current is None or {"transaction_number", "collection_id"} & values.keys():
        await assign_number(session, values, current)  # type: ignore[arg-type]
    values.pop("number_pattern", None)
    return values


def _principal(session: AsyncSession) -> Principal | None:
    context = session.info.get("context")
    return context.principal if context is not None else None


async def open_transaction(session: AsyncSession, transaction_id: uuid.UUID | None, field: str = "transactionId") -> Transaction:
    """The transaction a child record belongs to, locked: it must exist, the caller must be allowed to
    write in its group, and it must not be closed."""
    parent = transaction_id and await repository.lock_transaction(session, transaction_id)
    if not parent:
        raise ClientError(ErrorCode.NOT_FOUND, f"No Transaction with id {transaction_id}.", field)
    require_role(_principal(session), parent.group, Role.USER, "write")
    refuse_if_closed(parent, field)
    return parent


def refuse_if_closed(transaction: Transaction, field: str) -> None:
    if transaction.status == CLOSED:
        raise ClientError(E.TRANSACTION_CLOSED, f"Transaction {transaction.transaction_number} is closed: "
                          "reopen it (status OPEN) to change it.", field)


async def _child_parent(session: AsyncSession, values: Values, current: Any) -> Transaction:
    """The open parent of a child being written; a new child takes its transaction's group."""
    parent = await open_transaction(session, current.transaction_id if current else values.get("transaction_id"))
    if current is None:
        values["group"] = parent.group
    return parent


def _at_least(values: Values, key: str, minimum: float, field: str) -> None:
    if values.get(key) is not None and values[key] < minimum:
        raise ClientError(E.INVALID_QUANTITY, f"{field} must be at least {minimum:g}.", field)


async def prepare_item(session: AsyncSession, values: Values, current: RecordMixin | None) -> Values:
    parent = await _child_parent(session, values, current)
    sample_id = values["material_sample_id"] if "material_sample_id" in values else getattr(current, "material_sample_id", None)
    description = values["description"] if "description" in values else getattr(current, "description", None)
    if sample_id is None and not (description or "").strip():
        raise ClientError(ErrorCode.BAD_USER_INPUT, "An item needs a material sample or a description.",
                          "materialSampleId")
    _keep_required(values, "quantity")
    if current is None:
        values.setdefault("quantity", 1)
    _at_least(values, "quantity", 1, "quantity")
    returned = getattr(current, "quantity_returned", 0)
    quantity = values.get("quantity", getattr(current, "quantity", 1))
    if quantity < returned:
        raise ClientError(E.INVALID_QUANTITY, f"{returned} part(s) are already back: quantity cannot be less.",
                          "quantity")
    if parent.transaction_type == "LOAN" and sample_id is not None and quantity > returned:
        await repository.lock_key(session, f"transactions.sample:{sample_id}")
        if number := await repository.open_loan_of_sample(session, sample_id, current and current.id):
            raise ClientError(E.SAMPLE_ON_LOAN, f"Material sample {sample_id} is out on open loan {number}.",
                              "materialSampleId")
    return values


async def prepare_shipment(session: AsyncSession, values: Values, current: RecordMixin | None) -> Values:
    parent = await _child_parent(session, values, current)
    _keep_required(values, "direction")
    if current is None:
        values.setdefault("direction", parent.material_direction)
    _at_least(values, "number_of_packages", 1, "numberOfPackages")
    _at_least(values, "weight_kg", 0, "weightKg")
    _at_least(values, "insured_value", 0, "insuredValue")
    currency = values.get("insured_value_currency")
    if currency is not None:
        if not re.fullmatch(r"[A-Za-z]{3}", currency):
            raise ClientError(ErrorCode.BAD_USER_INPUT, f"{currency!r} is not an ISO 4217 code (e.g. EUR).",
                              "insuredValueCurrency")
        values["insured_value_currency"] = currency.upper()
    shipped = values.get("shipped_date", getattr(current, "shipped_date", None))
    received = values.get("received_date", getattr(current, "received_date", None))
    if shipped and received and received < shipped:
        raise ClientError(E.INVALID_DATES, f"receivedDate {received} is before shippedDate {shipped}.", "receivedDate")
    return values


async def prepare_permit(session: AsyncSession, values: Values, current: RecordMixin | None) -> Values:
    await _child_parent(session, values, current)
    if "permit_number" in values and not (values["permit_number"] or "").strip():
        raise ClientError(ErrorCode.BAD_USER_INPUT, "A permit needs a number.", "permitNumber")
    issued = values.get("issued_date", getattr(current, "issued_date", None))
    expiry = values.get("expiry_date", getattr(current, "expiry_date", None))
    if issued and expiry and expiry < issued:
        raise ClientError(E.INVALID_DATES, f"expiryDate {expiry} is before issuedDate {issued}.", "expiryDate")
    return values


async def recount(session: AsyncSession, record: RecordMixin) -> None:
    await repository.refresh_outstanding(session, record.transaction_id)  # type: ignore[attr-defined]


TRANSACTION = EntityRules(
    Transaction, prepare=prepare_transaction,
    dependants=lambda id: [Dependant(label, query) for label, query in repository.children_of(id)],
)
ITEM = EntityRules(TransactionItem, prepare=prepare_item, after_write=recount)
SHIPMENT = EntityRules(Shipment, prepare=prepare_shipment)
PERMIT = EntityRules(Permit, prepare=prepare_permit)


async def delete_unless_closed(session: AsyncSession, rules: EntityRules, id: uuid.UUID, version: int,
                               actor: str, principal: Principal | None) -> RecordMixin:
    """Delete a transaction, or an item, shipment or permit of one, unless the transaction is closed."""
    current = await session.get(rules.model, id)
    if current is None:
        raise ClientError(ErrorCode.NOT_FOUND, f"No {rules.model.__name__} with id {id}.", "id")
    if isinstance(current, Transaction):
        refuse_if_closed(await repository.lock_transaction(session, id), "id")  # type: ignore[arg-type]
    else:
        await open_transaction(session, current.transaction_id, "id")  # type: ignore[attr-defined]
    record = await delete(session, rules, id, version, actor, principal)
    if rules.after_write:
        await rules.after_write(session, record)
    return record


async def _returnable_parent(session: AsyncSession, transaction_id: uuid.UUID, date: dt.date | None) -> tuple[Transaction, dt.date]:
    parent = await open_transaction(session, transaction_id)
    if not returnable(parent.transaction_type):
        raise ClientError(E.NOT_RETURNABLE, f"Nothing comes back on a {parent.transaction_type.lower()}.",
                          "transactionId")
    date = date or utc_today()
    if date < parent.opened_date:
        raise ClientError(E.INVALID_DATES, f"returnedDate {date} is before the opened date {parent.opened_date}.",
                          "returnedDate")
    return parent, date


async def _finish_return(session: AsyncSession, parent: Transaction) -> Transaction:
    await repository.refresh_outstanding(session, parent.id)
    await session.refresh(parent)
    return parent


async def return_items(session: AsyncSession, transaction_id: uuid.UUID, returns: list[Any],
                       returned_date: dt.date | None, actor: str) -> Transaction:
    """Record parts coming back (``returns``: item id, the version read, quantity — all outstanding
    when None — and condition); refused whole if any would exceed what was lent."""
    parent, date = await _returnable_parent(session, transaction_id, returned_date)
    items = await repository.items_of(session, parent.id, [r.item_id for r in returns])
    errors, planned = [], []
    for i, back in enumerate(returns):
        found = items.get(back.item_id)
        if found is None:
            errors.append(ClientError(ErrorCode.NOT_FOUND, f"No item {back.item_id} on this transaction.",
                                      f"returns.{i}.itemId"))
            continue
        outstanding = found.quantity - found.quantity_returned
        quantity = outstanding if back.quantity is None else back.quantity
        if quantity < 1:
            errors.append(ClientError(E.INVALID_QUANTITY, "quantity must be at least 1.", f"returns.{i}.quantity"))
        elif quantity > outstanding:
            errors.append(ClientError(E.RETURN_EXCEEDS_LENT, f"Only {outstanding} of {found.quantity} part(s) "
                                      f"are still out; {quantity} cannot come back.", f"returns.{i}.quantity"))
        planned.append((found, back.version, quantity, back.condition))
    if errors:
        raise InvalidInput(errors)
    for found, version, quantity, condition in planned:
        await update_record(session, TransactionItem, found.id, version, actor=actor, returned_date=date,
                            quantity_returned=found.quantity_returned + quantity,
                            return_condition=condition if condition is not None else found.return_condition)
    return await _finish_return(session, parent)


async def return_all(session: AsyncSession, transaction_id: uuid.UUID, returned_date: dt.date | None,
                     condition: str | None, actor: str) -> Transaction:
    """Everything still out on the transaction comes back (Specify's "return loan")."""
    parent, date = await _returnable_parent(session, transaction_id, returned_date)
    for found in await repository.outstanding_items(session, parent.id):
        await update_record(session, TransactionItem, found.id, found.version, actor=actor, returned_date=date,
                            quantity_returned=found.quantity,
                            return_condition=condition if condition is not None else found.return_condition)
    return await _finish_return(session, parent)
