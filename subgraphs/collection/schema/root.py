"""Root fields: `x(id:)` and a filtered Relay list per entity, and the create/update/delete mutations."""

from __future__ import annotations

import strawberry

from subgraphs.core.schema.fields import by_id_field, connection_field
from subgraphs.core.writes.by_filter import update_by_filter_mutation
from subgraphs.core.writes.crud import EntityApi, crud_mutations, mutation_type
from subgraphs.core.writes.mutations import user_error_type

from .. import loaders as ld
from .. import models as m
from .. import service
from ..taxonomy import schema as taxonomy
from ..taxonomy.service import TaxonomyErrorCode
from . import filters as f
from . import inputs as i
from . import types as t

CollectionUserError = user_error_type("Collection", service.CollectionErrorCode, TaxonomyErrorCode)


@strawberry.type
class Query(taxonomy.Query):
    institution = by_id_field(t.Institution, ld.InstitutionByIdLoader, "An institution by id.")
    institutions = connection_field(
        t.Institution, m.institution, "Institutions.", f.InstitutionFilter, f.InstitutionOrder)
    collection = by_id_field(t.Collection, ld.CollectionByIdLoader, "A collection by id.")
    collections = connection_field(
        t.Collection, m.collection, "Collections.", f.CollectionFilter, f.CollectionOrder)
    storage_unit = by_id_field(t.StorageUnit, ld.StorageUnitByIdLoader, "A storage unit by id.")
    storage_units = connection_field(
        t.StorageUnit, m.storage_unit, "Storage units.", f.StorageUnitFilter, f.StorageUnitOrder)
    preparation_type = by_id_field(t.PreparationType, ld.PreparationTypeByIdLoader, "A preparation type by id.")
    preparation_types = connection_field(
        t.PreparationType, m.preparation_type, "Preparation types.", f.PreparationTypeFilter, f.PreparationTypeOrder)
    project = by_id_field(t.Project, ld.ProjectByIdLoader, "A project by id.")
    projects = connection_field(t.Project, m.project, "Projects.", f.ProjectFilter, f.ProjectOrder)
    managed_attribute = by_id_field(t.ManagedAttribute, ld.ManagedAttributeByIdLoader, "A managed attribute by id.")
    managed_attributes = connection_field(
        t.ManagedAttribute, m.managed_attribute, "Managed attribute definitions.",
        f.ManagedAttributeFilter, f.ManagedAttributeOrder)
    collecting_event = by_id_field(t.CollectingEvent, ld.CollectingEventByIdLoader, "A collecting event by id.")
    collecting_events = connection_field(
        t.CollectingEvent, m.collecting_event, "Collecting events.", f.CollectingEventFilter, f.CollectingEventOrder)
    material_sample = by_id_field(t.MaterialSample, ld.MaterialSampleByIdLoader, "A material sample by id.")
    material_samples = connection_field(
        t.MaterialSample, m.material_sample, "Material samples.", f.MaterialSampleFilter, f.MaterialSampleOrder,
        rows=ld.material_sample_rows)
    organism = by_id_field(t.Organism, ld.OrganismByIdLoader, "An organism by id.")
    organisms = connection_field(t.Organism, m.organism, "Organisms.", f.OrganismFilter, f.OrganismOrder)
    determination = by_id_field(t.Determination, ld.DeterminationByIdLoader, "A determination by id.")
    determinations = connection_field(
        t.Determination, m.determination, "Determinations.", f.DeterminationFilter, f.DeterminationOrder,
        rows=ld.determination_rows)


_EVENT_API = EntityApi(t.CollectingEvent, i.CreateCollectingEventInput, i.UpdateCollectingEventInput,
                       CollectionUserError)
_SAMPLE_API = EntityApi(t.MaterialSample, i.CreateMaterialSampleInput, i.UpdateMaterialSampleInput,
                        CollectionUserError)

Mutation = mutation_type(
    crud_mutations("Institution", service.INSTITUTION,
                   EntityApi(t.Institution, i.CreateInstitutionInput, i.UpdateInstitutionInput, CollectionUserError)),
    crud_mutations("Collection", service.COLLECTION,
                   EntityApi(t.Collection, i.CreateCollectionInput, i.UpdateCollectionInput, CollectionUserError)),
    crud_mutations("StorageUnit", service.STORAGE_UNIT,
                   EntityApi(t.StorageUnit, i.CreateStorageUnitInput, i.UpdateStorageUnitInput, CollectionUserError)),
    crud_mutations("PreparationType", service.PREPARATION_TYPE,
                   EntityApi(t.PreparationType, i.CreatePreparationTypeInput, i.UpdatePreparationTypeInput, CollectionUserError)),
    crud_mutations("Project", service.PROJECT, EntityApi(t.Project, i.CreateProjectInput, i.UpdateProjectInput, CollectionUserError)),
    crud_mutations("ManagedAttribute", service.MANAGED_ATTRIBUTE,
                   EntityApi(t.ManagedAttribute, i.CreateManagedAttributeInput, i.UpdateManagedAttributeInput, CollectionUserError)),
    crud_mutations("CollectingEvent", service.COLLECTING_EVENT, _EVENT_API),
    update_by_filter_mutation("CollectingEvent", service.COLLECTING_EVENT, _EVENT_API, f.CollectingEventFilter,
                              i.CollectingEventFields),
    crud_mutations("MaterialSample", service.MATERIAL_SAMPLE, _SAMPLE_API),
    update_by_filter_mutation("MaterialSample", service.MATERIAL_SAMPLE, _SAMPLE_API, f.MaterialSampleFilter,
                              i.MaterialSampleFields),
    crud_mutations("Organism", service.ORGANISM, EntityApi(t.Organism, i.CreateOrganismInput, i.UpdateOrganismInput, CollectionUserError)),
    crud_mutations("Determination", service.DETERMINATION,
                   EntityApi(t.Determination, i.CreateDeterminationInput, i.UpdateDeterminationInput, CollectionUserError)),
    taxonomy.mutations(CollectionUserError),
)
