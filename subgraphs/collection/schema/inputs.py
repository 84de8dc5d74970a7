"""Create and update inputs. Update inputs carry `id` and the `version` read; unset fields stay as they are."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry import UNSET
from strawberry.scalars import JSON

from .types import (
    BASIS_OF_RECORD,
    DEGREE_OF_ESTABLISHMENT,
    EMBARGO,
    ESTABLISHMENT_MEANS,
    RELEASABLE,
    ManagedAttributeType,
    MaterialSampleState,
)


@strawberry.input
class Identity:
    id: strawberry.ID
    version: int = strawberry.field(description="The version you read; a newer one is a STALE_VERSION error.")


@strawberry.input
class InstitutionFields:
    name: str | None = UNSET
    code: str | None = UNSET
    webpage: str | None = UNSET
    address: str | None = UNSET
    remarks: str | None = UNSET


@strawberry.input
class CreateInstitutionInput(InstitutionFields):
    name: str
    group: str


@strawberry.input
class UpdateInstitutionInput(InstitutionFields, Identity):
    pass


@strawberry.input
class CollectionFields:
    name: str | None = UNSET
    code: str | None = UNSET
    institution_id: strawberry.ID | None = UNSET
    remarks: str | None = UNSET


@strawberry.input
class CreateCollectionInput(CollectionFields):
    name: str
    code: str
    group: str


@strawberry.input
class UpdateCollectionInput(CollectionFields, Identity):
    pass


@strawberry.input
class StorageUnitFields:
    name: str | None = UNSET
    unit_type: str | None = strawberry.field(default=UNSET, description="building, room, cabinet, drawer, box, …")
    barcode: str | None = UNSET
    parent_id: strawberry.ID | None = UNSET


@strawberry.input
class CreateStorageUnitInput(StorageUnitFields):
    name: str
    unit_type: str
    group: str


@strawberry.input
class UpdateStorageUnitInput(StorageUnitFields, Identity):
    pass


@strawberry.input
class PreparationTypeFields:
    name: str | None = UNSET
    description: str | None = UNSET


@strawberry.input
class CreatePreparationTypeInput(PreparationTypeFields):
    name: str
    group: str


@strawberry.input
class UpdatePreparationTypeInput(PreparationTypeFields, Identity):
    pass


@strawberry.input
class ProjectFields:
    name: str | None = UNSET
    status: str | None = UNSET
    start_date: dt.date | None = UNSET
    end_date: dt.date | None = UNSET
    remarks: str | None = UNSET


@strawberry.input
class CreateProjectInput(ProjectFields):
    name: str
    group: str


@strawberry.input
class UpdateProjectInput(ProjectFields, Identity):
    pass


@strawberry.input
class ManagedAttributeFields:
    name: str | None = UNSET
    accepted_values: list[str] | None = UNSET
    description: str | None = UNSET


@strawberry.input
class CreateManagedAttributeInput(ManagedAttributeFields):
    key: str
    name: str
    value_type: ManagedAttributeType
    group: str


@strawberry.input
class UpdateManagedAttributeInput(ManagedAttributeFields, Identity):
    pass


@strawberry.input
class CollectingEventFields:
    verbatim_event_date: str | None = UNSET
    start_event_date: str | None = strawberry.field(default=UNSET, description="ISO 8601, possibly partial: 1998, 1998-06.")
    end_event_date: str | None = UNSET
    verbatim_locality: str | None = UNSET
    country: str | None = UNSET
    country_code: str | None = UNSET
    state_province: str | None = UNSET
    decimal_latitude: float | None = UNSET
    decimal_longitude: float | None = UNSET
    coordinate_uncertainty_in_meters: float | None = UNSET
    geodetic_datum: str | None = UNSET
    habitat: str | None = UNSET
    minimum_elevation_in_meters: float | None = UNSET
    maximum_elevation_in_meters: float | None = UNSET
    minimum_depth_in_meters: float | None = UNSET
    maximum_depth_in_meters: float | None = UNSET
    collector_ids: list[strawberry.ID] | None = strawberry.field(default=UNSET, description="Person ids, in order.")
    publicly_releasable: bool | None = strawberry.field(default=UNSET, description=RELEASABLE)
    not_publicly_releasable_reason: str | None = UNSET
    embargo_end_date: dt.date | None = strawberry.field(default=UNSET, description=EMBARGO)


@strawberry.input
class CreateCollectingEventInput(CollectingEventFields):
    group: str


@strawberry.input
class UpdateCollectingEventInput(CollectingEventFields, Identity):
    pass


@strawberry.input
class MaterialSampleFields:
    material_sample_name: str | None = UNSET
    material_sample_type: str | None = UNSET
    basis_of_record: str | None = strawberry.field(default=UNSET, description=BASIS_OF_RECORD)
    collection_id: strawberry.ID | None = UNSET
    collecting_event_id: strawberry.ID | None = UNSET
    parent_material_sample_id: strawberry.ID | None = UNSET
    preparation_type_id: strawberry.ID | None = UNSET
    storage_unit_id: strawberry.ID | None = UNSET
    barcode: str | None = UNSET
    other_catalog_numbers: list[str] | None = UNSET
    managed_attributes: JSON | None = strawberry.field(default=UNSET, description="Values by managed attribute key.")
    project_ids: list[strawberry.ID] | None = UNSET
    prepared_by_ids: list[strawberry.ID] | None = UNSET
    attachment_ids: list[strawberry.ID] | None = UNSET
    state: MaterialSampleState | None = UNSET
    state_changed_on: dt.date | None = UNSET
    state_changed_by_id: strawberry.ID | None = strawberry.field(default=UNSET, description="A Person id.")
    establishment_means: str | None = strawberry.field(default=UNSET, description=ESTABLISHMENT_MEANS)
    degree_of_establishment: str | None = strawberry.field(default=UNSET, description=DEGREE_OF_ESTABLISHMENT)
    publicly_releasable: bool | None = strawberry.field(default=UNSET, description=RELEASABLE)
    not_publicly_releasable_reason: str | None = UNSET
    embargo_end_date: dt.date | None = strawberry.field(default=UNSET, description=EMBARGO)


@strawberry.input
class CreateMaterialSampleInput(MaterialSampleFields):
    material_sample_name: str
    group: str


@strawberry.input
class UpdateMaterialSampleInput(MaterialSampleFields, Identity):
    pass


@strawberry.input
class OrganismFields:
    life_stage: str | None = UNSET
    sex: str | None = UNSET
    remarks: str | None = UNSET


@strawberry.input
class CreateOrganismInput(OrganismFields):
    material_sample_id: strawberry.ID
    group: str


@strawberry.input
class UpdateOrganismInput(OrganismFields, Identity):
    pass


@strawberry.input
class DeterminationFields:
    verbatim_scientific_name: str | None = UNSET
    scientific_name: str | None = UNSET
    determined_on: dt.date | None = UNSET
    is_primary: bool | None = strawberry.field(default=UNSET, description="Making one primary demotes the previous primary.")
    type_status: str | None = UNSET
    remarks: str | None = UNSET
    determiner_ids: list[strawberry.ID] | None = UNSET
    taxon_id: strawberry.ID | None = strawberry.field(default=UNSET, description="The name as a taxon of a classification.")
    qualifier: str | None = strawberry.field(default=UNSET, description="dwc:identificationQualifier: cf., aff., ?")
    is_filed_as: bool | None = strawberry.field(default=UNSET, description="The name the sample is filed under.")
    type_status_evidence: str | None = UNSET


@strawberry.input
class CreateDeterminationInput(DeterminationFields):
    organism_id: strawberry.ID
    group: str


@strawberry.input
class UpdateDeterminationInput(DeterminationFields, Identity):
    pass
