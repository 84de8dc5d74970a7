"""The broker's rules: who may read and write through it, how this graph's filters, cursors and
vouchers become Specify query parameters, and how Specify's answers become typed errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from subgraphs.core.base.errors import ClientError, ErrorCode
from subgraphs.core.execution.context import RequestContext
from subgraphs.core.security.auth import Role
from subgraphs.core.security.permissions import require_role

from .client import SpecifyError, SpecifyUnavailable

T = TypeVar("T")
NUMERIC_CATALOG_FORMAT = "CatalogNumberNumeric"
NUMERIC_CATALOG_WIDTH = 9  # Specify stores numeric catalogue numbers zero-padded: 000000001


class SpecifyErrorCode(StrEnum):
    UPSTREAM_UNAVAILABLE = "UPSTREAM_UNAVAILABLE"  # Specify is down, unreachable, unconfigured, or refuses the login
    UPSTREAM_REJECTED = "UPSTREAM_REJECTED"  # Specify refused the change (a business rule, a missing value)


def typed(error: SpecifyError | SpecifyUnavailable, field: str | None = None) -> ClientError:
    """Specify's answer as this graph's error: 404 NOT_FOUND, 409 STALE_VERSION, 400 BAD_USER_INPUT,
    403 FORBIDDEN, 500 UPSTREAM_REJECTED (with Specify's exception class), unreachable UPSTREAM_UNAVAILABLE."""
    if isinstance(error, SpecifyUnavailable):
        return ClientError(SpecifyErrorCode.UPSTREAM_UNAVAILABLE, str(error))
    codes = {404: ErrorCode.NOT_FOUND, 409: ErrorCode.STALE_VERSION, 403: ErrorCode.FORBIDDEN}
    code = codes.get(error.status, ErrorCode.BAD_USER_INPUT if error.status < 500 else SpecifyErrorCode.UPSTREAM_REJECTED)
    message = f"Specify: {error.message}" if error.exception is None else f"Specify ({error.exception}): {error.message}"
    return ClientError(code, message, "version" if error.status == 409 else field)


async def answered(call: Awaitable[T], field: str | None = None) -> T:
    """``call``'s result, with Specify's errors raised as typed ones."""
    try:
        return await call
    except (SpecifyError, SpecifyUnavailable) as error:
        raise typed(error, field) from error


def may_read(context: RequestContext) -> None:
    """Specify's records are readable by the broker group's members, or by anyone when it is public."""
    group = context.settings.specify_group
    public = context.settings.public_read_groups
    if "*" in public or group in public or context.principal.role_in(group) is not None:
        return
    raise ClientError(ErrorCode.FORBIDDEN, f"Reading Specify records needs a role in group {group!r}.")


def may_write(context: RequestContext) -> None:
    require_role(context.principal, context.settings.specify_group, Role.USER, "write Specify")


# -- lists -------------------------------------------------------------------------------------

# This graph's filter fields, as Specify (Django) field paths.
FILTER_PATHS = {
    "catalog_number": "catalognumber",
    "field_number": "fieldnumber",
    "cataloged_date": "catalogeddate",
    "taxon_name": "determinations__taxon__name",
    "taxon_full_name": "determinations__taxon__fullname",
    "locality_name": "collectingevent__locality__localityname",
    "collecting_date": "collectingevent__startdate",
    "guid": "guid",
}
# Operators of core's filter inputs, as Django lookups. Specify splits `__in` on commas.
LOOKUPS = {"eq": "", "in_": "__in", "contains": "__icontains", "starts_with": "__istartswith",
           "is_null": "__isnull", "gt": "__gt", "gte": "__gte", "lt": "__lt", "lte": "__lte"}


def _param(value: Any, operator: str, field: str) -> str:
    if operator == "in_":
        values = [str(v) for v in value]
        if any("," in v for v in values):
            raise ClientError(ErrorCode.BAD_USER_INPUT, "Specify cannot match values that contain a comma.", field)
        return ",".join(values)
    if isinstance(value, bool):  # Specify takes True/False, and only __isnull takes lower case
        return ("true" if value else "false") if operator == "is_null" else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def filter_params(conditions: Mapping[str, Any | None]) -> dict[str, str]:
    """``{field: StringFilter/DateFilter…}`` as Specify query parameters (all of them must hold)."""
    params: dict[str, str] = {}
    for name, condition in conditions.items():
        if condition is None:
            continue
        for operator, lookup in LOOKUPS.items():
            value = getattr(condition, operator, None)
            if value is not None:
                params[FILTER_PATHS[name] + lookup] = _param(value, operator, f"filter.{name}.{operator}")
    return params


class Order(StrEnum):
    ID = "id"
    CATALOG_NUMBER = "catalognumber"


@dataclass(frozen=True)
class Keyset:
    """A stable position in an ordered list: the next page is `key__gt=<last key>`, not an offset,
    so records added or removed before it do not shift it. The sort key is unique (ids, or catalogue
    numbers within the one collection the broker reads)."""

    order: Order
    descending: bool = False

    @property
    def orderby(self) -> str:
        return ("-" if self.descending else "") + self.order.value

    def key(self, record: Mapping[str, Any]) -> Any:
        return record[self.order.value]

    def after(self, key: Any) -> dict[str, str]:
        return {f"{self.order.value}__{'lt' if self.descending else 'gt'}": str(key)}


def page_params(keyset: Keyset, size: int, after: Any | None, filters: Mapping[str, str]) -> dict[str, str]:
    """One page: `limit`, the ordering, the collection's scope, the filters and the position."""
    params = {"limit": str(size), "orderby": keyset.orderby, "domainfilter": "true", **filters}
    if after is not None:
        params |= keyset.after(after)
    return params


# -- vouchers ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Voucher:
    """A specimen voucher as a sequence gives it: `institution:collection:catalogNumber`,
    `collection:catalogNumber` or a bare catalogue number (the GenBank importer's rule: the
    catalogue number is the last part)."""

    catalog_number: str
    collection_code: str | None

    @classmethod
    def parse(cls, text: str | None) -> Voucher | None:
        parts = [p.strip() for p in (text or "").split(":")]
        if not parts[-1]:
            return None
        return cls(parts[-1], parts[-2] if len(parts) > 1 and parts[-2] else None)

    def stored_number(self, catalog_format: str | None) -> str:
        """The number as Specify stores it: numeric formats are zero-padded."""
        if catalog_format == NUMERIC_CATALOG_FORMAT and self.catalog_number.isdigit():
            return self.catalog_number.zfill(NUMERIC_CATALOG_WIDTH)
        return self.catalog_number

    def names(self, collection: Mapping[str, Any]) -> bool:
        """Whether the voucher can be of this collection (a triplet must name its code)."""
        return self.collection_code is None or self.collection_code.casefold() == str(collection.get("code")).casefold()


# -- writes ------------------------------------------------------------------------------------

def changes(values: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
    """The given input values under Specify's field names (left-out inputs stay as they are)."""
    return {names[k]: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in values.items() if v is not None}


async def first_match(find: Callable[[], Awaitable[list[dict[str, Any]]]], what: str, field: str) -> dict[str, Any]:
    found = await answered(find(), field)
    if not found:
        raise ClientError(ErrorCode.NOT_FOUND, f"No {what} in Specify.", field)
    return found[0]
