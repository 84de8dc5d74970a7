from __future__ import annotations

import datetime as dt
import uuid
from enum import Enum
from typing import Any

import strawberry
from strawberry.scalars import JSON

from subgraphs.core.base.ids import parse_uuid
from subgraphs.core.data.lean import Reads
from subgraphs.core.data.types import from_row
from subgraphs.core.execution.context import Info
from subgraphs.core.schema.fields import (
    batched_field,
    entity_resolver,
    extension_resolver,
    history_field,
    load_by_id,
    load_by_ids,
    load_list,
)

from ..loaders import (
    ChildSamplesByParentIdLoader,
    CollectingEventByIdLoader,
    CollectingEventsByCollectorIdLoader,
    CollectionAuditByRecordIdLoader,
    CollectionByIdLoader,
    DeterminationByIdLoader,
    DeterminationsByDeterminerIdLoader,
    DeterminationsByOrganismIdLoader,
    DeterminationsBySampleIdLoader,
    InstitutionByIdLoader,
    ManagedAttributeByIdLoader,
    MaterialSampleByIdLoader,
    OrganismByIdLoader,
    OrganismsBySampleIdLoader,
    PreparationTypeByIdLoader,
    ProjectByIdLoader,
    SamplesByAttachmentIdLoader,
    SourceRecordByIdLoader,
    StoragePathByUnitIdLoader,
    StorageUnitByIdLoader,
    StorageUnitsByParentIdLoader,
)
from ..restrictions import PRECISE_PLACE, Generalized, generalized, restricted
from ..taxonomy.loaders import EffectiveNameBySampleIdLoader, TaxonByIdLoader
from ..taxonomy.schema import ENTITY_TYPES as TAXONOMY_TYPES
from ..taxonomy.schema import Taxon

History = history_field(CollectionAuditByRecordIdLoader)


@strawberry.federation.type(keys=["id"])
class Media:
    """Collection's view of a media record: the samples it shows."""

    id: strawberry.ID

    resolve_reference = extension_resolver()

    @strawberry.field(description="Material samples this photo or document is attached to.")
    async def subjects(self, info: Info) -> list[MaterialSample]:
        return await load_list(info, SamplesByAttachmentIdLoader, MaterialSample, self.id)


@strawberry.federation.type(keys=["id"], description="An institution holding collections (a museum, herbarium, …).")
class Institution:
    id: strawberry.ID
    name: str
    code: str | None
    webpage: str | None
    address: str | None
    remarks: str | None
    group: str
    version: int

    resolve_reference = entity_resolver(InstitutionByIdLoader)
    history = History


@strawberry.federation.type(keys=["id"], description="A collection of an institution (e.g. Herpetology).")
class Collection:
    id: strawberry.ID
    name: str
    code: str
    remarks: str | None
    group: str
    version: int
    institution_id: strawberry.Private[uuid.UUID | None]

    resolve_reference = entity_resolver(CollectionByIdLoader)
    history = History

    @strawberry.field
    async def institution(self, info: Info) -> Institution | None:
        return await load_by_id(info, InstitutionByIdLoader, Institution, self.institution_id)


@strawberry.federation.type(keys=["id"], description="A place in the store; units nest (building > room > cabinet > drawer).")
class StorageUnit:
    id: strawberry.ID
    name: str
    unit_type: str
    barcode: str | None
    group: str
    version: int
    parent_id: strawberry.Private[uuid.UUID | None]

    resolve_reference = entity_resolver(StorageUnitByIdLoader)
    history = History

    @strawberry.field
    async def parent(self, info: Info) -> StorageUnit | None:
        return await load_by_id(info, StorageUnitByIdLoader, StorageUnit, self.parent_id)

    @strawberry.field(description="Units directly inside this one.")
    async def children(self, info: Info) -> list[StorageUnit]:
        return await load_list(info, StorageUnitsByParentIdLoader, StorageUnit, self.id)

    @strawberry.field(description="From the outermost unit down to this one.")
    async def path(self, info: Info) -> list[StorageUnit]:
        return await load_list(info, StoragePathByUnitIdLoader, StorageUnit, self.id)


@strawberry.federation.type(keys=["id"], description="How material was prepared (e.g. ethanol 70%, skin, DNA extract).")
class PreparationType:
    id: strawberry.ID
    name: str
    description: str | None
    group: str
    version: int

    resolve_reference = entity_resolver(PreparationTypeByIdLoader)
    history = History


@strawberry.enum(description="The value type of a managed attribute.")
class ManagedAttributeType(Enum):
    STRING = "string"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    BOOLEAN = "boolean"
    PICKLIST = "picklist"


@strawberry.enum(description="Where a living collection's sample stands.")
class MaterialSampleState(Enum):
    ALIVE = "ALIVE"
    DEAD = "DEAD"
    LOST = "LOST"
    DESTROYED = "DESTROYED"
    CONSUMED = "CONSUMED"


@strawberry.federation.type(keys=["id"], description="A user-defined attribute of material samples.")
class ManagedAttribute:
    id: strawberry.ID
    key: str
    name: str
    value_type: str = strawberry.field(description="string, integer, decimal, date, boolean or picklist.")
    accepted_values: list[str]
    description: str | None
    group: str
    version: int

    resolve_reference = entity_resolver(ManagedAttributeByIdLoader)
    history = History


@strawberry.federation.type(keys=["id"], description="A research or digitisation project.")
class Project:
    id: strawberry.ID
    name: str
    status: str | None
    start_date: dt.date | None
    end_date: dt.date | None
    remarks: str | None
    group: str
    version: int

    resolve_reference = entity_resolver(ProjectByIdLoader)
    history = History


@strawberry.federation.type(keys=["id"])
class Person:
    """Collection's view of a person: what they collected and determined."""

    id: strawberry.ID

    resolve_reference = extension_resolver()

    @strawberry.field(description="Collecting events this person took part in, oldest first.")
    async def collecting_events(self, info: Info) -> list[CollectingEvent]:
        return await load_list(info, CollectingEventsByCollectorIdLoader, CollectingEvent, self.id)

    @strawberry.field(description="Determinations this person made.")
    async def determinations(self, info: Info) -> list[Determination]:
        return await load_list(info, DeterminationsByDeterminerIdLoader, Determination, self.id)


ISSUES = ("Values an import could not read, kept verbatim in the source record (GBIF's occurrence issue names: "
          "RECORDED_DATE_INVALID, COORDINATE_INVALID, ...).")
BASIS_OF_RECORD = ("dwc:basisOfRecord: PreservedSpecimen, FossilSpecimen, LivingSpecimen, MaterialSample, "
                   "HumanObservation or MachineObservation (a record with no specimen), Occurrence, …")
RELEASABLE = ("False: the record is restricted (until its embargo ends, if it has one): readers without a role "
              "in its group get a collecting event's coordinates generalized.")
EMBARGO = "The day the record becomes public, whatever publiclyReleasable says."
# What a restricted event's coordinate fields read.
COORDINATES = ("latitude", "longitude", "uncertainty", "publicly_releasable", "embargo_end_date", "group")
ESTABLISHMENT_MEANS = ("dwc:establishmentMeans: native, nativeReintroduced, introduced, "
                       "introducedAssistedColonisation, vagrant or uncertain.")
DEGREE_OF_ESTABLISHMENT = ("dwc:degreeOfEstablishment: native, captive, cultivated, released, failing, casual, "
                           "reproducing, established, colonising, invasive or widespreadInvasive.")
ROUNDED = "Rounded to 0.1° for readers outside the group of a restricted event."
MEASUREMENTS = "MeasurementOrFact rows imported for the record: each a map of Darwin Core term names to values."


def place_field(part: str, stored: str, description: str) -> Any:
    """A coordinate field of CollectingEvent: the ``stored`` value, or the generalized ``part`` for a
    reader outside the group of a restricted event."""
    def resolve(root: Any, info: Info) -> float | None:
        place = root._generalized(info)
        return getattr(place, part) if place else getattr(root, stored)
    return strawberry.field(resolver=resolve, description=description, extensions=[Reads(*COORDINATES)])


def people(ids: list[uuid.UUID] | None) -> list[Person]:
    return [Person(id=pid) for pid in ids or ()]


@strawberry.federation.type(keys=["id"], description="Where, when and by whom material was collected.")
class CollectingEvent:
    id: strawberry.ID
    verbatim_event_date: str | None
    start_event_date: str | None = strawberry.field(description="ISO 8601, possibly partial: 1998, 1998-06, 1998-06-21.")
    end_event_date: str | None
    verbatim_locality: str | None
    country: str | None
    country_code: str | None
    state_province: str | None
    geodetic_datum: str | None
    habitat: str | None
    minimum_elevation_in_meters: float | None
    maximum_elevation_in_meters: float | None
    minimum_depth_in_meters: float | None
    maximum_depth_in_meters: float | None
    issues: list[str] = strawberry.field(description=ISSUES)
    measurements: JSON = strawberry.field(description=MEASUREMENTS)
    publicly_releasable: bool = strawberry.field(description=RELEASABLE)
    not_publicly_releasable_reason: str | None
    embargo_end_date: dt.date | None = strawberry.field(description=EMBARGO)
    group: str
    version: int
    collector_ids: strawberry.Private[list[uuid.UUID]]
    latitude: strawberry.Private[float | None]
    longitude: strawberry.Private[float | None]
    uncertainty: strawberry.Private[float | None]
    __columns__ = {"latitude": "decimal_latitude", "longitude": "decimal_longitude",
                   "uncertainty": "coordinate_uncertainty_in_meters"}

    resolve_reference = entity_resolver(CollectingEventByIdLoader)
    history = History

    def _generalized(self, info: Info) -> Generalized | None:
        """The generalized place a reader without a role in the event's group gets, if it is restricted."""
        if self.latitude is None or self.longitude is None or info.context.principal.role_in(self.group) is not None:
            return None
        if not restricted(self.publicly_releasable, self.embargo_end_date):
            return None
        return generalized(self.latitude, self.longitude, self.uncertainty)

    decimal_latitude = place_field("decimal_latitude", "latitude", ROUNDED)
    decimal_longitude = place_field("decimal_longitude", "longitude", ROUNDED)
    coordinate_uncertainty_in_meters = place_field(
        "coordinate_uncertainty_in_meters", "uncertainty",
        "Widened by the rounding for readers outside the group of a restricted event.")

    @strawberry.field(description="dwc:dataGeneralizations: how the coordinates this reader gets were coarsened.",
                      extensions=[Reads(*COORDINATES)])
    def data_generalizations(self, info: Info) -> str | None:
        place = self._generalized(info)
        return place.data_generalizations if place else None

    @strawberry.field(description="Collectors, in the order recorded.", extensions=[Reads("collector_ids")])
    def collectors(self) -> list[Person]:
        return people(self.collector_ids)


@strawberry.federation.type(keys=["id"], description="An identification of an organism.")
class Determination:
    id: strawberry.ID
    verbatim_scientific_name: str | None
    scientific_name: str | None = strawberry.field(description="The accepted name.")
    determined_on: dt.date | None
    is_primary: bool
    type_status: str | None
    remarks: str | None
    group: str
    version: int
    qualifier: str | None = strawberry.field(description="dwc:identificationQualifier: cf., aff., ?")
    is_filed_as: bool = strawberry.field(description="The name the sample is filed under (else the primary one's).")
    type_status_evidence: str | None
    organism_id: strawberry.Private[uuid.UUID]
    determiner_ids: strawberry.Private[list[uuid.UUID]]
    taxon_id: strawberry.Private[uuid.UUID | None]

    resolve_reference = entity_resolver(DeterminationByIdLoader)
    history = History

    @strawberry.field(description="The name as a taxon of a classification (none while only the strings are known).")
    async def taxon(self, info: Info) -> Taxon | None:
        return await load_by_id(info, TaxonByIdLoader, Taxon, self.taxon_id)

    @strawberry.field
    def determiners(self) -> list[Person]:
        return people(self.determiner_ids)

    @strawberry.field
    async def organism(self, info: Info) -> Organism | None:
        return await load_by_id(info, OrganismByIdLoader, Organism, self.organism_id)


@strawberry.federation.type(keys=["id"], description="An organism in a material sample, with its determinations.")
class Organism:
    id: strawberry.ID
    life_stage: str | None
    sex: str | None
    remarks: str | None
    group: str
    version: int
    material_sample_id: strawberry.Private[uuid.UUID]

    resolve_reference = entity_resolver(OrganismByIdLoader)
    history = History

    @strawberry.field(description="Oldest first.")
    async def determinations(self, info: Info) -> list[Determination]:
        return await load_list(info, DeterminationsByOrganismIdLoader, Determination, self.id)

    @strawberry.field
    async def material_sample(self, info: Info) -> MaterialSample | None:
        return await load_by_id(info, MaterialSampleByIdLoader, MaterialSample, self.material_sample_id)


@strawberry.federation.type(keys=["id"], description="A specimen, or a part or derivative of one (tissue, DNA extract).")
class MaterialSample:
    id: strawberry.ID
    material_sample_name: str = strawberry.field(description="The catalogue number (dwc:catalogNumber).")
    material_sample_type: str | None
    basis_of_record: str | None = strawberry.field(description=BASIS_OF_RECORD)
    barcode: str | None
    other_catalog_numbers: list[str]
    managed_attributes: JSON = strawberry.field(description="Values of managed attributes, by key.")
    occurrence_id: str | None = strawberry.field(description="dwc:occurrenceID, for imported records.")
    issues: list[str] = strawberry.field(description=ISSUES)
    measurements: JSON = strawberry.field(description=MEASUREMENTS)
    publicly_releasable: bool = strawberry.field(description=RELEASABLE)
    not_publicly_releasable_reason: str | None
    embargo_end_date: dt.date | None = strawberry.field(description=EMBARGO)
    state_changed_on: dt.date | None = strawberry.field(description="When the state was last changed (today, "
                                                        "unless the change says otherwise).")
    establishment_means: str | None = strawberry.field(description=ESTABLISHMENT_MEANS)
    degree_of_establishment: str | None = strawberry.field(description=DEGREE_OF_ESTABLISHMENT)
    associations: JSON = strawberry.field(description="ResourceRelationship rows imported for the sample: each a "
                                          "map of Darwin Core term names (dwc:relationshipOfResource, …) to values.")
    citations: JSON = strawberry.field(description="Reference rows imported for the sample: each a map of term "
                                       "names (dc:bibliographicCitation, …) to values.")
    group: str
    created_on: dt.datetime
    version: int
    collection_id: strawberry.Private[uuid.UUID | None]
    collecting_event_id: strawberry.Private[uuid.UUID | None]
    parent_material_sample_id: strawberry.Private[uuid.UUID | None]
    preparation_type_id: strawberry.Private[uuid.UUID | None]
    storage_unit_id: strawberry.Private[uuid.UUID | None]
    project_ids: strawberry.Private[list[uuid.UUID]]
    prepared_by_ids: strawberry.Private[list[uuid.UUID]]
    attachment_ids: strawberry.Private[list[uuid.UUID]]
    stored_state: strawberry.Private[str | None]
    state_changed_by_id: strawberry.Private[uuid.UUID | None]
    collector_ids: strawberry.Private[list[uuid.UUID] | None] = None
    __columns__ = {"stored_state": "state"}

    @strawberry.field(description="A living collection's sample: alive, dead, lost, destroyed or consumed.",
                      extensions=[Reads("stored_state")])
    def state(self) -> MaterialSampleState | None:
        return MaterialSampleState(self.stored_state) if self.stored_state else None

    @strawberry.field(description="Who changed the state, from the agents subgraph.",
                      extensions=[Reads("state_changed_by_id")])
    def state_changed_by(self) -> Person | None:
        return Person(id=self.state_changed_by_id) if self.state_changed_by_id else None

    resolve_reference = entity_resolver(MaterialSampleByIdLoader)
    history = History

    @strawberry.field(description="Every term of the archive row it was imported from (without its coordinates "
                      "for readers outside the group of a restricted sample or event).",
                      extensions=[Reads("group", "publicly_releasable", "embargo_end_date", "collecting_event_id")])
    async def source_record(self, info: Info) -> JSON:
        row = await info.context.loaders[SourceRecordByIdLoader].load(parse_uuid(self.id))
        record = row["source_record"] if row else {}
        if not record or info.context.principal.role_in(self.group) is not None:
            return record
        event = await self.collecting_event(info)
        if restricted(self.publicly_releasable, self.embargo_end_date) or (
                event is not None and restricted(event.publicly_releasable, event.embargo_end_date)):
            return {term: value for term, value in record.items() if term not in PRECISE_PLACE}
        return record

    @strawberry.field
    async def collection(self, info: Info) -> Collection | None:
        return await load_by_id(info, CollectionByIdLoader, Collection, self.collection_id)

    @strawberry.field
    async def collecting_event(self, info: Info) -> CollectingEvent | None:
        return await load_by_id(info, CollectingEventByIdLoader, CollectingEvent, self.collecting_event_id)

    @strawberry.field(description="The collecting event's collectors, in order.",
                      extensions=[Reads("collector_ids", "collecting_event_id")])
    async def collectors(self, info: Info) -> list[Person]:
        if self.collector_ids is None and self.collecting_event_id is not None:  # a record fresh from a write
            event = await self.collecting_event(info)
            return people(event.collector_ids if event else [])
        return people(self.collector_ids)

    @strawberry.field
    async def preparation_type(self, info: Info) -> PreparationType | None:
        return await load_by_id(info, PreparationTypeByIdLoader, PreparationType, self.preparation_type_id)

    @strawberry.field
    def prepared_by(self) -> list[Person]:
        return people(self.prepared_by_ids)

    @strawberry.field(description="The sample this one was derived from.")
    async def parent_material_sample(self, info: Info) -> MaterialSample | None:
        return await load_by_id(info, MaterialSampleByIdLoader, MaterialSample, self.parent_material_sample_id)

    @strawberry.field(description="Samples derived from this one (tissues, extracts), by name.")
    async def children(self, info: Info) -> list[MaterialSample]:
        return await load_list(info, ChildSamplesByParentIdLoader, MaterialSample, self.id)

    @strawberry.field
    async def storage_unit(self, info: Info) -> StorageUnit | None:
        return await load_by_id(info, StorageUnitByIdLoader, StorageUnit, self.storage_unit_id)

    @strawberry.field(description="Where the sample is kept, outermost unit first.")
    async def storage_path(self, info: Info) -> list[StorageUnit]:
        if self.storage_unit_id is None:
            return []
        rows = await info.context.loaders[StoragePathByUnitIdLoader].load(self.storage_unit_id)
        return [from_row(StorageUnit, row) for row in rows]

    @strawberry.field
    async def projects(self, info: Info) -> list[Project]:
        return await load_by_ids(info, ProjectByIdLoader, Project, self.project_ids)

    @strawberry.field
    async def organisms(self, info: Info) -> list[Organism]:
        return await load_list(info, OrganismsBySampleIdLoader, Organism, self.id)

    @strawberry.field(description="Determinations of all organisms in the sample, primary first.")
    async def determinations(self, info: Info) -> list[Determination]:
        return await load_list(info, DeterminationsBySampleIdLoader, Determination, self.id)

    @strawberry.field(description="The accepted name of the filed-as determination's taxon, else of the primary "
                      "one's; that determination's own name while it links no taxon.")
    async def effective_scientific_name(self, info: Info) -> str | None:
        return await info.context.loaders[EffectiveNameBySampleIdLoader].load(parse_uuid(self.id))

    primary_determination = batched_field(
        DeterminationsBySampleIdLoader, Determination, Determination | None, reads=("is_primary",),
        pick=lambda determinations: determinations[0] if determinations and determinations[0].is_primary else None,
        description="The determination marked primary, if any.")

    @strawberry.field(description="Photos and documents of this sample, from the media subgraph.",
                      extensions=[Reads("attachment_ids")])
    def attachments(self) -> list[Media]:
        return [Media(id=mid) for mid in self.attachment_ids]


ENTITY_TYPES = [
    Institution, Collection, StorageUnit, PreparationType, ManagedAttribute, Project,
    CollectingEvent, MaterialSample, Organism, Determination, Person, Media, *TAXONOMY_TYPES,
]
