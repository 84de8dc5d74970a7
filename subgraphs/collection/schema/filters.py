"""`filter:` and `orderBy:` inputs of the collection entities."""

# No `from __future__ import annotations`: the filter factories read annotations as objects.
from typing import Any

from sqlalchemy import ColumnElement, Float, Numeric, and_, case, func, select, true

from subgraphs.core.data.filters import (
    BooleanFilter,
    DateFilter,
    DateTimeFilter,
    FilterField,
    FloatFilter,
    IDFilter,
    StringFilter,
    array_contains,
    filter_input,
    full_text,
    operators,
)
from subgraphs.core.data.ordering import order_input

from .. import models as m
from ..restrictions import PRECISION
from ..taxonomy.schema import SampleTaxonFilter, samples_by_taxon

ms, ce, det, org = m.material_sample.c, m.collecting_event.c, m.determination.c, m.organism.c


def published(coordinate: Any) -> ColumnElement[Any]:
    """A restricted event's coordinate as everyone may see it (restrictions.py: rounded), so a filter
    cannot narrow down the true place of an event whose fields it is shown generalized."""
    withheld = ((ce.embargo_end_date > func.current_date())
                | (ce.embargo_end_date.is_(None) & ~ce.publicly_releasable))
    return case((withheld, func.round(coordinate.cast(Numeric), PRECISION).cast(Float)), else_=coordinate)


def common(table: Any) -> dict[str, FilterField]:
    return {
        "id": FilterField(IDFilter, operators(table.c.id)),
        "group": FilterField(StringFilter, operators(table.c.group)),
        "created_on": FilterField(DateTimeFilter, operators(table.c.created_on)),
    }


def event_date(condition: DateFilter) -> ColumnElement[bool]:
    """Events whose date range overlaps the condition (partial dates cover whole months/years)."""
    parts = []
    if condition.eq is not None:
        parts += [ce.earliest_date <= condition.eq, ce.latest_date >= condition.eq]
    if condition.gte is not None:
        parts.append(ce.latest_date >= condition.gte)
    if condition.gt is not None:
        parts.append(ce.latest_date > condition.gt)
    if condition.lte is not None:
        parts.append(ce.earliest_date <= condition.lte)
    if condition.lt is not None:
        parts.append(ce.earliest_date < condition.lt)
    if condition.is_null is not None:
        parts.append(ce.earliest_date.is_(None) if condition.is_null else ce.earliest_date.is_not(None))
    return and_(true(), *parts)


def via_event(clause: Any) -> Any:
    """A collecting-event condition applied to samples."""
    return lambda condition: ms.collecting_event_id.in_(select(ce.id).where(clause(condition)))


def via_determination(clause: Any) -> Any:
    """A determination condition applied to samples (any organism's determination)."""
    return lambda condition: ms.id.in_(
        select(org.material_sample_id).join(m.determination).where(clause(condition))
    )


def catalog_number(condition: StringFilter) -> ColumnElement[bool]:
    """Matches the sample name (catalogue number) or any of its other catalogue numbers."""
    if condition.eq is not None:
        return (ms.material_sample_name == condition.eq) | ms.other_catalog_numbers.contains([condition.eq])
    return operators(ms.material_sample_name)(condition)


search_samples = full_text([ms.search_vector])
search_determinations = full_text([det.search_vector])

MaterialSampleFilter = filter_input("MaterialSampleFilter", {
    **common(m.material_sample),
    "material_sample_name": FilterField(StringFilter, operators(ms.material_sample_name)),
    "catalog_number": FilterField(StringFilter, catalog_number, "The name or any other catalogue number."),
    "barcode": FilterField(StringFilter, operators(ms.barcode)),
    "material_sample_type": FilterField(StringFilter, operators(ms.material_sample_type)),
    "basis_of_record": FilterField(StringFilter, operators(ms.basis_of_record), "HumanObservation, PreservedSpecimen, …"),
    "publicly_releasable": FilterField(BooleanFilter, operators(ms.publicly_releasable)),
    "embargo_end_date": FilterField(DateFilter, operators(ms.embargo_end_date)),
    "state": FilterField(StringFilter, operators(ms.state), "ALIVE, DEAD, LOST, DESTROYED or CONSUMED."),
    "state_changed_on": FilterField(DateFilter, operators(ms.state_changed_on)),
    "state_changed_by": FilterField(IDFilter, operators(ms.state_changed_by_id)),
    "establishment_means": FilterField(StringFilter, operators(ms.establishment_means)),
    "degree_of_establishment": FilterField(StringFilter, operators(ms.degree_of_establishment)),
    "collection": FilterField(IDFilter, operators(ms.collection_id)),
    "collecting_event": FilterField(IDFilter, operators(ms.collecting_event_id)),
    "parent_material_sample": FilterField(IDFilter, operators(ms.parent_material_sample_id)),
    "preparation_type": FilterField(IDFilter, operators(ms.preparation_type_id)),
    "storage_unit": FilterField(IDFilter, operators(ms.storage_unit_id)),
    "project": FilterField(IDFilter, array_contains(ms.project_ids)),
    "prepared_by": FilterField(IDFilter, array_contains(ms.prepared_by_ids)),
    "collector": FilterField(IDFilter, via_event(array_contains(ce.collector_ids)), "Collected by this person."),
    "event_date": FilterField(DateFilter, via_event(event_date), "The collecting date range overlaps this."),
    "country_code": FilterField(StringFilter, via_event(operators(ce.country_code))),
    "scientific_name": FilterField(StringFilter, via_determination(operators(det.scientific_name)),
                                   "Any determination's accepted name."),
    "taxon": FilterField(SampleTaxonFilter, samples_by_taxon(ms.id), "Any determination's linked taxon."),
    "issue": FilterField(str, lambda issue: ms.issues.contains([issue]) | via_event(
        lambda _: ce.issues.contains([issue]))(issue),
        "Flagged with this import issue (RECORDED_DATE_INVALID, ...), on the sample or its collecting event."),
    "search": FilterField(str, lambda text: search_samples(text) | ms.id.in_(
        select(org.material_sample_id).join(m.determination).where(search_determinations(text))
    ), "Words (or word prefixes) in the name, barcode, other catalogue numbers or scientific names."),
}, "Conditions on material samples.")
MaterialSampleOrder = order_input("MaterialSampleOrder", {
    "material_sample_name": ms.material_sample_name, "created_on": ms.created_on,
})

CollectingEventFilter = filter_input("CollectingEventFilter", {
    **common(m.collecting_event),
    "collector": FilterField(IDFilter, array_contains(ce.collector_ids)),
    "event_date": FilterField(DateFilter, event_date),
    "publicly_releasable": FilterField(BooleanFilter, operators(ce.publicly_releasable)),
    "embargo_end_date": FilterField(DateFilter, operators(ce.embargo_end_date)),
    "issue": FilterField(str, lambda issue: ce.issues.contains([issue]), "Flagged with this import issue."),
    "country": FilterField(StringFilter, operators(ce.country)),
    "country_code": FilterField(StringFilter, operators(ce.country_code)),
    "state_province": FilterField(StringFilter, operators(ce.state_province)),
    "verbatim_locality": FilterField(StringFilter, operators(ce.verbatim_locality)),
    "habitat": FilterField(StringFilter, operators(ce.habitat)),
    "decimal_latitude": FilterField(FloatFilter, operators(published(ce.decimal_latitude)),
                                    "Compared with the published value (rounded, for a restricted event)."),
    "decimal_longitude": FilterField(FloatFilter, operators(published(ce.decimal_longitude)),
                                     "Compared with the published value (rounded, for a restricted event)."),
    "minimum_elevation_in_meters": FilterField(FloatFilter, operators(ce.minimum_elevation_in_meters)),
    "maximum_depth_in_meters": FilterField(FloatFilter, operators(ce.maximum_depth_in_meters)),
}, "Conditions on collecting events.")
CollectingEventOrder = order_input("CollectingEventOrder", {"created_on": ce.created_on})

DeterminationFilter = filter_input("DeterminationFilter", {
    **common(m.determination),
    "scientific_name": FilterField(StringFilter, operators(det.scientific_name)),
    "verbatim_scientific_name": FilterField(StringFilter, operators(det.verbatim_scientific_name)),
    "determiner": FilterField(IDFilter, array_contains(det.determiner_ids)),
    "determined_on": FilterField(DateFilter, operators(det.determined_on)),
    "is_primary": FilterField(BooleanFilter, operators(det.is_primary)),
    "type_status": FilterField(StringFilter, operators(det.type_status)),
    "organism": FilterField(IDFilter, operators(det.organism_id)),
    "taxon": FilterField(IDFilter, operators(det.taxon_id)),
}, "Conditions on determinations.")
DeterminationOrder = order_input("DeterminationOrder", {"created_on": det.created_on})


def named(name: str, table: Any, extra: dict[str, FilterField] | None = None) -> tuple[type, type]:
    """Filter and order inputs for a simple named entity."""
    fields = {**common(table), "name": FilterField(StringFilter, operators(table.c.name)), **(extra or {})}
    return (
        filter_input(f"{name}Filter", fields, f"Conditions on {name} records."),
        order_input(f"{name}Order", {"name": table.c.name, "created_on": table.c.created_on}),
    )


InstitutionFilter, InstitutionOrder = named("Institution", m.institution, {
    "code": FilterField(StringFilter, operators(m.institution.c.code))})
CollectionFilter, CollectionOrder = named("Collection", m.collection, {
    "code": FilterField(StringFilter, operators(m.collection.c.code)),
    "institution": FilterField(IDFilter, operators(m.collection.c.institution_id))})
StorageUnitFilter, StorageUnitOrder = named("StorageUnit", m.storage_unit, {
    "unit_type": FilterField(StringFilter, operators(m.storage_unit.c.unit_type)),
    "parent": FilterField(IDFilter, operators(m.storage_unit.c.parent_id)),
    "barcode": FilterField(StringFilter, operators(m.storage_unit.c.barcode))})
PreparationTypeFilter, PreparationTypeOrder = named("PreparationType", m.preparation_type)
ProjectFilter, ProjectOrder = named("Project", m.project, {
    "status": FilterField(StringFilter, operators(m.project.c.status)),
    "start_date": FilterField(DateFilter, operators(m.project.c.start_date))})
ManagedAttributeFilter, ManagedAttributeOrder = named("ManagedAttribute", m.managed_attribute, {
    "key": FilterField(StringFilter, operators(m.managed_attribute.c.key)),
    "value_type": FilterField(StringFilter, operators(m.managed_attribute.c.value_type))})
OrganismFilter = filter_input("OrganismFilter", {
    **common(m.organism),
    "material_sample": FilterField(IDFilter, operators(org.material_sample_id)),
    "life_stage": FilterField(StringFilter, operators(org.life_stage)),
    "sex": FilterField(StringFilter, operators(org.sex)),
}, "Conditions on organisms.")
OrganismOrder = order_input("OrganismOrder", {"created_on": org.created_on})
