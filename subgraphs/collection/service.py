"""Rules for writes to the collection schema (the generic create/update/delete are in core.crud)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import uuid
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.core.base.errors import ClientError, ErrorCode
from subgraphs.core.data.references import missing_references
from subgraphs.core.writes.audit import write_audit
from subgraphs.core.writes.crud import EntityRules, Values, create
from subgraphs.core.writes.mutations import InvalidInput
from subgraphs.core.writes.service import Dependant, save

from . import models as m
from . import repository
from .vocabularies import SAMPLE_VOCABULARIES


class CollectionErrorCode(StrEnum):
    INVALID_DATE = "INVALID_DATE"
    INVALID_COORDINATES = "INVALID_COORDINATES"
    INVALID_RANGE = "INVALID_RANGE"
    INVALID_COUNTRY_CODE = "INVALID_COUNTRY_CODE"
    UNKNOWN_MANAGED_ATTRIBUTE = "UNKNOWN_MANAGED_ATTRIBUTE"
    INVALID_MANAGED_ATTRIBUTE_VALUE = "INVALID_MANAGED_ATTRIBUTE_VALUE"
    INVALID_PARENT = "INVALID_PARENT"
    NOT_IN_VOCABULARY = "NOT_IN_VOCABULARY"
    AMBIGUOUS_VOUCHER = "AMBIGUOUS_VOUCHER"
    PRIMARY_OF_ANOTHER_GROUP = "PRIMARY_OF_ANOTHER_GROUP"


Code = CollectionErrorCode
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_COUNTRY_CODE = re.compile(r"[A-Za-z]{2}")


@lru_cache(maxsize=32_768)
def partial_date_range(text: str, field: str) -> tuple[dt.date, dt.date]:
    """The first and last day an ISO 8601 partial date ("1998", "1998-06", "1998-06-21") covers
    (cached: an import repeats a few thousand dates over millions of rows)."""
    match = _PARTIAL_DATE.match(text.strip())
    try:
        if not match:
            raise ValueError
        year, month, day = (int(g) if g else None for g in match.groups())
        if month is None:
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        if day is None:
            return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
        return dt.date(year, month, day), dt.date(year, month, day)
    except ValueError:
        raise ClientError(Code.INVALID_DATE, f"{text!r} is not a date like 1998, 1998-06 or 1998-06-21.", field) from None


def _merged(values: Values, current: Any, *keys: str) -> list[Any]:
    """Each key's value after this write: the new value if sent, else the stored one."""
    return [values[k] if k in values else getattr(current, k, None) for k in keys]


def _check_range(values: Values, current: Any, low: str, high: str, field: str) -> list[ClientError]:
    minimum, maximum = _merged(values, current, low, high)
    if minimum is not None and maximum is not None and minimum > maximum:
        return [ClientError(Code.INVALID_RANGE, f"The minimum ({minimum}) is above the maximum ({maximum}).", field)]
    return []


def checked_collecting_event(values: Values, current: Any = None) -> Values:
    """A collecting event's values checked and completed (the date range it covers, an upper-case
    country code); raises InvalidInput. Needs no session, so bulk imports apply the same rules."""
    errors: list[ClientError] = []
    start, end = _merged(values, current, "start_event_date", "end_event_date")
    if "start_event_date" in values or "end_event_date" in values:
        try:
            earliest = partial_date_range(start, "startEventDate")[0] if start else None
            latest = partial_date_range(end, "endEventDate")[1] if end else (
                partial_date_range(start, "startEventDate")[1] if start else None)
            if end and not start:
                raise ClientError(Code.INVALID_DATE, "An end date needs a start date.", "endEventDate")
            if earliest and latest and earliest > latest:
                raise ClientError(Code.INVALID_DATE, f"The event ends ({end}) before it starts ({start}).", "endEventDate")
            values |= {"earliest_date": earliest, "latest_date": latest}
        except ClientError as error:
            errors.append(error)
    latitude, longitude = _merged(values, current, "decimal_latitude", "decimal_longitude")
    if latitude is not None and not -90 <= latitude <= 90:
        errors.append(ClientError(Code.INVALID_COORDINATES, f"Latitude {latitude} is outside -90..90.", "decimalLatitude"))
    if longitude is not None and not -180 <= longitude <= 180:
        errors.append(ClientError(Code.INVALID_COORDINATES, f"Longitude {longitude} is outside -180..180.", "decimalLongitude"))
    if (latitude is None) != (longitude is None):
        errors.append(ClientError(Code.INVALID_COORDINATES, "Give both latitude and longitude, or neither.",
                                  "decimalLongitude" if longitude is None else "decimalLatitude"))
    uncertainty = _merged(values, current, "coordinate_uncertainty_in_meters")[0]
    if uncertainty is not None and uncertainty < 0:
        errors.append(ClientError(Code.INVALID_COORDINATES, "Coordinate uncertainty cannot be negative.",
                                  "coordinateUncertaintyInMeters"))
    code = values.get("country_code")
    if code is not None:
        if not _COUNTRY_CODE.fullmatch(code):
            errors.append(ClientError(Code.INVALID_COUNTRY_CODE, f"{code!r} is not an ISO 3166-1 alpha-2 code.", "countryCode"))
        values["country_code"] = code.upper()
    errors += _check_range(values, current, "minimum_elevation_in_meters", "maximum_elevation_in_meters",
                           "maximumElevationInMeters")
    errors += _check_range(values, current, "minimum_depth_in_meters", "maximum_depth_in_meters",
                           "maximumDepthInMeters")
    if errors:
        raise InvalidInput(errors)
    return values


async def prepare_collecting_event(_: AsyncSession, values: Values, current: Any) -> Values:
    return checked_collecting_event(values, current)


def _attribute_value(value_type: str, accepted: list[str], value: Any) -> Any:
    """``value`` as the managed attribute's type, or ValueError."""
    if value_type == "string" and isinstance(value, str):
        return value
    if value_type == "integer" and not isinstance(value, bool):
        number = Decimal(str(value))
        if number != number.to_integral_value():
            raise ValueError
        return int(number)
    if value_type == "decimal" and not isinstance(value, bool):
        return float(Decimal(str(value)))
    if value_type == "date" and isinstance(value, str):
        return dt.date.fromisoformat(value).isoformat()
    if value_type == "boolean" and isinstance(value, bool):
        return value
    if value_type == "picklist" and value in accepted:
        return value
    raise ValueError


async def _managed_attributes(session: AsyncSession, attributes: Any, group: str | None
                              ) -> tuple[dict[str, Any], list[ClientError]]:
    """Values checked against the definitions of the sample's group (keys are unique per group)."""
    if not isinstance(attributes, dict):
        return {}, [ClientError(ErrorCode.BAD_USER_INPUT, "managedAttributes must be an object of key: value.",
                                "managedAttributes")]
    definitions = await repository.managed_attribute_definitions(session, list(attributes), group=group)
    valid, errors = {}, []
    for key, value in attributes.items():
        field = f"managedAttributes.{key}"
        definition = definitions.get(key)
        if definition is None:
            errors.append(ClientError(Code.UNKNOWN_MANAGED_ATTRIBUTE, f"No managed attribute {key!r} is defined.", field))
            continue
        try:
            valid[key] = _attribute_value(definition.value_type, definition.accepted_values, value)
        except (ValueError, TypeError, InvalidOperation):
            allowed = f" (one of {', '.join(definition.accepted_values)})" if definition.value_type == "picklist" else ""
            errors.append(ClientError(Code.INVALID_MANAGED_ATTRIBUTE_VALUE,
                                      f"{value!r} is not a valid {definition.value_type}{allowed} for {key!r}.", field))
    return valid, errors


async def _ancestors(session: AsyncSession, table: Any, parent_column: str, start: uuid.UUID) -> set[uuid.UUID]:
    seen: set[uuid.UUID] = set()
    current: uuid.UUID | None = start
    while current is not None and current not in seen:
        seen.add(current)
        current = await repository.parent_of(session, table, parent_column, current)
    return seen


async def _check_parent(session: AsyncSession, table: Any, parent_column: str, values: Values,
                        current: Any, field: str) -> list[ClientError]:
    parent = values.get(parent_column)
    if parent is None or current is None:
        return []
    if current.id in await _ancestors(session, table, parent_column, parent):
        return [ClientError(Code.INVALID_PARENT, "A record cannot be its own ancestor.", field)]
    return []


async def prepare_material_sample(session: AsyncSession, values: Values, current: Any) -> Values:
    errors = await missing_references(session, [
        ("collectionId", m.collection, values.get("collection_id")),
        ("collectingEventId", m.collecting_event, values.get("collecting_event_id")),
        ("parentMaterialSampleId", m.material_sample, values.get("parent_material_sample_id")),
        ("preparationTypeId", m.preparation_type, values.get("preparation_type_id")),
        ("storageUnitId", m.storage_unit, values.get("storage_unit_id")),
        ("projectIds", m.project, values.get("project_ids")),
    ])
    errors += await _check_parent(session, m.material_sample, "parent_material_sample_id", values, current,
                                  "parentMaterialSampleId")
    for column, vocabulary in SAMPLE_VOCABULARIES.items():
        if (given := values.get(column)) is not None:
            values[column] = vocabulary.read(given)
            if values[column] is None:
                errors.append(ClientError(Code.NOT_IN_VOCABULARY, f"{given!r} is not a Darwin Core {vocabulary.term} "
                                          f"(one of {', '.join(vocabulary.values)}).", vocabulary.term))
    if values.get("state") is not None and values.get("state_changed_on") is None and (
            current is None or values["state"] != current.state):
        values["state_changed_on"] = dt.date.today()
    if values.get("managed_attributes") is not None:
        values["managed_attributes"], attribute_errors = await _managed_attributes(
            session, values["managed_attributes"], _merged(values, current, "group")[0])
        errors += attribute_errors
    if errors:
        raise InvalidInput(errors)
    return values


async def prepare_storage_unit(session: AsyncSession, values: Values, current: Any) -> Values:
    errors = await missing_references(session, [("parentId", m.storage_unit, values.get("parent_id"))])
    errors += await _check_parent(session, m.storage_unit, "parent_id", values, current, "parentId")
    if errors:
        raise InvalidInput(errors)
    return values


async def prepare_collection(session: AsyncSession, values: Values, _: Any) -> Values:
    errors = await missing_references(session, [("institutionId", m.institution, values.get("institution_id"))])
    if errors:
        raise InvalidInput(errors)
    return values


async def prepare_organism(session: AsyncSession, values: Values, _: Any) -> Values:
    errors = await missing_references(session, [("materialSampleId", m.material_sample, values.get("material_sample_id"))])
    if errors:
        raise InvalidInput(errors)
    return values


async def prepare_determination(session: AsyncSession, values: Values, current: Any) -> Values:
    """A new primary determination demotes the organism's previous one (audited as an update) — only
    within its own group: a primary determination of another group is never touched as a side
    effect; making one primary over it is refused."""
    errors = await missing_references(session, [("organismId", m.organism, values.get("organism_id")),
                                                 ("taxonId", m.taxon, values.get("taxon_id"))])
    if errors:
        raise InvalidInput(errors)
    organism_id, group = _merged(values, current, "organism_id", "group")
    if values.get("is_primary") and organism_id is not None:
        demoted = await repository.lock_primary_determinations(session, organism_id, getattr(current, "id", None))
        if any(previous.group != group for previous in demoted):
            raise ClientError(Code.PRIMARY_OF_ANOTHER_GROUP, "This organism's primary determination belongs to "
                              "another group; only that group can replace it.", "isPrimary")
        for previous in demoted:
            previous.is_primary = False
            previous.version += 1
            await save(session, previous)
            await write_audit(session, previous, "update", "system: primary determination replaced")
    return values


async def prepare_managed_attribute(_: AsyncSession, values: Values, current: Any) -> Values:
    value_type, accepted = _merged(values, current, "value_type", "accepted_values")
    if value_type == "picklist" and not accepted:
        raise ClientError(Code.INVALID_MANAGED_ATTRIBUTE_VALUE, "A picklist needs accepted values.", "acceptedValues")
    return values


def _referenced_by(label: str, column: Any) -> Any:
    return lambda id: [Dependant(label, select(column).where(column == id))]


INSTITUTION = EntityRules(m.Institution, dependants=_referenced_by("collections", m.collection.c.institution_id))
COLLECTION = EntityRules(m.Collection, prepare=prepare_collection,
                         dependants=_referenced_by("material samples", m.material_sample.c.collection_id))
PREPARATION_TYPE = EntityRules(
    m.PreparationType, dependants=_referenced_by("material samples", m.material_sample.c.preparation_type_id))
PROJECT = EntityRules(m.Project, dependants=lambda id: [Dependant(
    "material samples", select(m.material_sample.c.id).where(m.material_sample.c.project_ids.contains([id])))])
MANAGED_ATTRIBUTE = EntityRules(m.ManagedAttribute, prepare=prepare_managed_attribute)
STORAGE_UNIT = EntityRules(m.StorageUnit, prepare=prepare_storage_unit, dependants=lambda id: [
    *_referenced_by("storage units inside it", m.storage_unit.c.parent_id)(id),
    *_referenced_by("material samples stored in it", m.material_sample.c.storage_unit_id)(id),
])
COLLECTING_EVENT = EntityRules(m.CollectingEvent, prepare=prepare_collecting_event,
                               dependants=_referenced_by("material samples", m.material_sample.c.collecting_event_id))
MATERIAL_SAMPLE = EntityRules(m.MaterialSample, prepare=prepare_material_sample, dependants=lambda id: [
    *_referenced_by("derived material samples", m.material_sample.c.parent_material_sample_id)(id),
    *_referenced_by("organisms", m.organism.c.material_sample_id)(id),
])
ORGANISM = EntityRules(m.Organism, prepare=prepare_organism,
                       dependants=_referenced_by("determinations", m.determination.c.organism_id))
DETERMINATION = EntityRules(m.Determination, prepare=prepare_determination)


async def create_collecting_event(session: AsyncSession, *, actor: str, **values: Any) -> m.CollectingEvent:
    """Used by imports and demo data: the same rules as the createCollectingEvent mutation."""
    return await create(session, COLLECTING_EVENT, values, actor)  # type: ignore[return-value]


async def create_material_sample(session: AsyncSession, *, actor: str, **values: Any) -> m.MaterialSample:
    """Used by imports and demo data: the same rules as the createMaterialSample mutation."""
    return await create(session, MATERIAL_SAMPLE, values, actor)  # type: ignore[return-value]


RULES = {"institution": INSTITUTION, "collection": COLLECTION, "organism": ORGANISM, "determination": DETERMINATION,
         "preparation_type": PREPARATION_TYPE, "project": PROJECT, "storage_unit": STORAGE_UNIT}


async def create_record(session: AsyncSession, kind: str, *, actor: str, **values: Any) -> Any:
    """Create any collection record by kind (imports), under the same rules as its create mutation."""
    return await create(session, RULES[kind], values, actor)
