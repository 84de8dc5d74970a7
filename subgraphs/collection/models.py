from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (
    Boolean,
    Computed,
    Date,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from subgraphs.core.data.db import RecordMixin, UuidArray, schema_base
from subgraphs.core.writes.audit import audit_log_table

Base = schema_base("collection")
audit_log = audit_log_table(Base.metadata)

UUIDS = UuidArray()


class Institution(RecordMixin, Base):
    __tablename__ = "institution"
    # A code is unique within its group: another group may hold its own record of the same institution.
    __table_args__ = (UniqueConstraint("group", "code"),)

    name: Mapped[str] = mapped_column(String(500))
    code: Mapped[str | None] = mapped_column(String(50))
    webpage: Mapped[str | None] = mapped_column(String(2000))
    address: Mapped[str | None] = mapped_column(Text)
    remarks: Mapped[str | None] = mapped_column(Text)


class Collection(RecordMixin, Base):
    __tablename__ = "collection"
    __table_args__ = (UniqueConstraint("institution_id", "code"),)

    name: Mapped[str] = mapped_column(String(500))
    code: Mapped[str] = mapped_column(String(50), index=True)
    institution_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(Institution.id), index=True)
    remarks: Mapped[str | None] = mapped_column(Text)


class StorageUnit(RecordMixin, Base):
    """A place in the store: building, room, cabinet, drawer, box — a tree by ``parent_id``."""

    __tablename__ = "storage_unit"

    name: Mapped[str] = mapped_column(String(250))
    unit_type: Mapped[str] = mapped_column(String(50))
    barcode: Mapped[str | None] = mapped_column(String(100))
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("collection.storage_unit.id"), index=True)


class PreparationType(RecordMixin, Base):
    __tablename__ = "preparation_type"
    __table_args__ = (UniqueConstraint("group", "name"),)

    name: Mapped[str] = mapped_column(String(250))
    description: Mapped[str | None] = mapped_column(Text)


class Project(RecordMixin, Base):
    __tablename__ = "project"
    __table_args__ = (UniqueConstraint("group", "name"),)

    name: Mapped[str] = mapped_column(String(500))
    status: Mapped[str | None] = mapped_column(String(50))
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    remarks: Mapped[str | None] = mapped_column(Text)


class ManagedAttribute(RecordMixin, Base):
    """A user-defined attribute of material samples: its key, value type and allowed values."""

    __tablename__ = "managed_attribute"
    __table_args__ = (UniqueConstraint("group", "key"),)

    key: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(250))
    value_type: Mapped[str] = mapped_column(String(20))
    accepted_values: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list, server_default="{}")
    description: Mapped[str | None] = mapped_column(Text)


class ImportedRecordMixin:
    """What an import keeps of a row beyond the columns: the issues flagged on values it could not
    read (kept verbatim in the source record) and its MeasurementOrFact rows."""

    issues: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list, server_default="{}")
    measurements: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list, server_default="[]")


class ReleaseMixin:
    """Whether the record may be shown to everyone (restrictions.py): readers outside its group see a
    restricted event's coordinates generalized."""

    publicly_releasable: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    not_publicly_releasable_reason: Mapped[str | None] = mapped_column(Text)
    embargo_end_date: Mapped[dt.date | None] = mapped_column(Date)


class CollectingEvent(ReleaseMixin, ImportedRecordMixin, RecordMixin, Base):
    __tablename__ = "collecting_event"
    __table_args__ = (Index(None, "collector_ids", postgresql_using="gin"), Index(None, "issues", postgresql_using="gin"))

    verbatim_event_date: Mapped[str | None] = mapped_column(String(250))
    # ISO 8601, possibly partial ("1998", "1998-06", "1998-06-21"), as the collector gave it …
    start_event_date: Mapped[str | None] = mapped_column(String(10))
    end_event_date: Mapped[str | None] = mapped_column(String(10))
    # … and the day range those cover, for date filters.
    earliest_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    latest_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    verbatim_locality: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(200))
    country_code: Mapped[str | None] = mapped_column(String(2))
    state_province: Mapped[str | None] = mapped_column(String(200))
    decimal_latitude: Mapped[float | None] = mapped_column(Float)
    decimal_longitude: Mapped[float | None] = mapped_column(Float)
    coordinate_uncertainty_in_meters: Mapped[float | None] = mapped_column(Float)
    geodetic_datum: Mapped[str | None] = mapped_column(String(50))
    habitat: Mapped[str | None] = mapped_column(Text)
    minimum_elevation_in_meters: Mapped[float | None] = mapped_column(Float)
    maximum_elevation_in_meters: Mapped[float | None] = mapped_column(Float)
    minimum_depth_in_meters: Mapped[float | None] = mapped_column(Float)
    maximum_depth_in_meters: Mapped[float | None] = mapped_column(Float)
    # Agents live in another subgraph: ordered Person ids, resolved by federation.
    collector_ids: Mapped[list[uuid.UUID]] = mapped_column(UUIDS, default=list, server_default="{}")


class MaterialSample(ReleaseMixin, ImportedRecordMixin, RecordMixin, Base):
    __tablename__ = "material_sample"
    __table_args__ = (
        Index(None, "attachment_ids", postgresql_using="gin"),
        Index(None, "issues", postgresql_using="gin"),
        Index(None, "search_vector", postgresql_using="gin"),
    )

    material_sample_name: Mapped[str] = mapped_column(String(250), index=True)
    material_sample_type: Mapped[str | None] = mapped_column(String(50))
    # dwc:basisOfRecord (basis.py): HumanObservation for a record with no specimen, FossilSpecimen, …
    basis_of_record: Mapped[str | None] = mapped_column(String(50), index=True)
    collection_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(Collection.id), index=True)
    collecting_event_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(CollectingEvent.id), index=True)
    parent_material_sample_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("collection.material_sample.id"), index=True
    )
    preparation_type_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(PreparationType.id), index=True)
    storage_unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(StorageUnit.id), index=True)
    barcode: Mapped[str | None] = mapped_column(String(100), index=True)
    # A living collection's sample: ALIVE, DEAD, LOST, DESTROYED or CONSUMED, since when and by whom
    # (a Person id); how its organism got where it is (dwc:establishmentMeans, dwc:degreeOfEstablishment).
    state: Mapped[str | None] = mapped_column(String(20), index=True)
    state_changed_on: Mapped[dt.date | None] = mapped_column(Date)
    state_changed_by_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    establishment_means: Mapped[str | None] = mapped_column(String(50))
    degree_of_establishment: Mapped[str | None] = mapped_column(String(50))
    other_catalog_numbers: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list, server_default="{}")
    managed_attributes: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict, server_default="{}")
    project_ids: Mapped[list[uuid.UUID]] = mapped_column(UUIDS, default=list, server_default="{}")
    # Other subgraphs' records: Person ids (preparedBy) and Media ids (attachments), in order.
    prepared_by_ids: Mapped[list[uuid.UUID]] = mapped_column(UUIDS, default=list, server_default="{}")
    attachment_ids: Mapped[list[uuid.UUID]] = mapped_column(UUIDS, default=list, server_default="{}")
    # dwc:occurrenceID of an imported record, and every term of its source row (nothing dropped).
    occurrence_id: Mapped[str | None] = mapped_column(String(500), index=True)
    source_record: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict, server_default="{}")
    # Imported ResourceRelationship and Reference extension rows, each a map of terms to values.
    associations: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list, server_default="[]")
    citations: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list, server_default="[]")
    search_vector: Mapped[Any] = mapped_column(TSVECTOR, Computed(text(
        "to_tsvector('simple', coalesce(material_sample_name, '') || ' ' || coalesce(barcode, '') || ' ' "
        "|| coalesce(collection.array_text(other_catalog_numbers), ''))"
    ), persisted=True))


class Organism(RecordMixin, Base):
    __tablename__ = "organism"

    material_sample_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(MaterialSample.id), index=True)
    life_stage: Mapped[str | None] = mapped_column(String(100))
    sex: Mapped[str | None] = mapped_column(String(50))
    remarks: Mapped[str | None] = mapped_column(Text)


class Determination(RecordMixin, Base):
    __tablename__ = "determination"
    __table_args__ = (
        Index("uq_determination_primary_per_organism", "organism_id", unique=True,
              postgresql_where=text("is_primary")),
        Index(None, "determiner_ids", postgresql_using="gin"),
        Index(None, "search_vector", postgresql_using="gin"),
    )

    organism_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(Organism.id), index=True)
    verbatim_scientific_name: Mapped[str | None] = mapped_column(String(500))
    scientific_name: Mapped[str | None] = mapped_column(String(500))
    determined_on: Mapped[dt.date | None] = mapped_column(Date)
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    type_status: Mapped[str | None] = mapped_column(String(100))
    remarks: Mapped[str | None] = mapped_column(Text)
    determiner_ids: Mapped[list[uuid.UUID]] = mapped_column(UUIDS, default=list, server_default="{}")
    # The name as a taxon of a classification (taxonomy/); the strings above stay as determined.
    taxon_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("collection.taxon.id"), index=True)
    qualifier: Mapped[str | None] = mapped_column(String(50))  # dwc:identificationQualifier: cf., aff., ?
    is_filed_as: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    type_status_evidence: Mapped[str | None] = mapped_column(Text)
    search_vector: Mapped[Any] = mapped_column(TSVECTOR, Computed(text(
        "to_tsvector('simple', coalesce(verbatim_scientific_name, '') || ' ' || coalesce(scientific_name, ''))"
    ), persisted=True))


institution = Institution.__table__
collection = Collection.__table__
storage_unit = StorageUnit.__table__
preparation_type = PreparationType.__table__
project = Project.__table__
managed_attribute = ManagedAttribute.__table__
collecting_event = CollectingEvent.__table__
material_sample = MaterialSample.__table__
organism = Organism.__table__
determination = Determination.__table__

# The taxonomy tables share this schema's metadata (determinations point at taxa).
from .taxonomy.models import classification, taxon  # noqa: E402, F401
