"""GraphQL of the taxonomy backbone: Classification and Taxon, their filters, root fields and writes."""

# No `from __future__ import annotations`: Strawberry reads these annotations as objects.
import datetime as dt
import uuid
from typing import Any

import strawberry
from sqlalchemy import and_, true
from strawberry import UNSET

from subgraphs.core.base.ids import require_uuid
from subgraphs.core.data.filters import FilterField, IDFilter, StringFilter, filter_input, operators
from subgraphs.core.data.ordering import order_input
from subgraphs.core.execution.context import Info
from subgraphs.core.schema.fields import (
    by_id_field,
    connection_field,
    entity_resolver,
    history_field,
    load_by_id,
    load_list,
)
from subgraphs.core.writes.crud import EntityApi, crud_mutations, payload_type, respond
from subgraphs.core.writes.mutations import run_mutation

from ..loaders import CollectionAuditByRecordIdLoader
from . import repository as repo
from . import service
from .loaders import (
    ClassificationByIdLoader,
    ClassificationPathByTaxonIdLoader,
    SynonymsByAcceptedIdLoader,
    TaxaByParentIdLoader,
    TaxonByIdLoader,
)
from .ranks import TaxonomicStatus, TaxonRank

History = history_field(CollectionAuditByRecordIdLoader)
Rank = strawberry.enum(TaxonRank, name="TaxonRank", description="Darwin Core's taxonRank values, highest first; "
                       "INTERMEDIATE is one of the classification's own `intermediateRanks`.")
Status = strawberry.enum(TaxonomicStatus, name="TaxonomicStatus", description="dwc:taxonomicStatus: every "
                         "status but ACCEPTED and DOUBTFUL names an accepted taxon.")


@strawberry.federation.type(keys=["id"], description="A tree of taxa: one checklist's, discipline's or "
                            "service's (GBIF, Catalogue of Life); several coexist.")
class Classification:
    id: strawberry.ID
    name: str
    source: str | None = strawberry.field(description="Where the names come from: a checklist, a service, custom.")
    intermediate_ranks: list[str] = strawberry.field(description="Ranks of its own beyond Darwin Core's.")
    remarks: str | None
    group: str
    version: int

    resolve_reference = entity_resolver(ClassificationByIdLoader)
    history = History


@strawberry.type(description="A common name in a language.")
class VernacularName:
    name: str
    language: str | None = strawberry.field(description="ISO 639-1, e.g. en.")


@strawberry.federation.type(keys=["id"], description="A name in a classification: accepted, with its parent, or a "
                            "synonym of an accepted taxon.")
class Taxon:
    id: strawberry.ID
    scientific_name: str = strawberry.field(description="dwc:scientificName, without authorship.")
    authorship: str | None = strawberry.field(description="dwc:scientificNameAuthorship.")
    rank: Rank
    intermediate_rank: str | None = strawberry.field(description="For rank INTERMEDIATE: the classification's rank name.")
    taxonomic_status: Status
    source_id: str | None = strawberry.field(description="The source's identifier (a checklist's taxonID, a GBIF key).")
    remarks: str | None
    group: str
    created_on: dt.datetime
    version: int
    classification_id: strawberry.Private[uuid.UUID]
    parent_id: strawberry.Private[uuid.UUID | None]
    accepted_taxon_id: strawberry.Private[uuid.UUID | None]
    vernacular_names_: strawberry.Private[list[dict[str, Any]]]

    __columns__ = {"vernacular_names_": "vernacular_names"}
    resolve_reference = entity_resolver(TaxonByIdLoader)
    history = History

    @strawberry.field
    def vernacular_names(self) -> list[VernacularName]:
        return [VernacularName(name=v["name"], language=v.get("language")) for v in self.vernacular_names_]

    @strawberry.field
    async def classification(self, info: Info) -> Classification | None:
        return await load_by_id(info, ClassificationByIdLoader, Classification, self.classification_id)

    @strawberry.field
    async def parent(self, info: Info) -> "Taxon | None":
        return await load_by_id(info, TaxonByIdLoader, Taxon, self.parent_id)

    @strawberry.field(description="The accepted taxon: this one unless it is a synonym.")
    async def accepted_taxon(self, info: Info) -> "Taxon | None":
        if self.accepted_taxon_id is None:
            return self
        return await load_by_id(info, TaxonByIdLoader, Taxon, self.accepted_taxon_id)

    @strawberry.field(description="Accepted taxa directly below this one, by name.")
    async def children(self, info: Info) -> list["Taxon"]:
        return await load_list(info, TaxaByParentIdLoader, Taxon, self.id)

    @strawberry.field(description="Names that are synonyms of this one.")
    async def synonyms(self, info: Info) -> list["Taxon"]:
        return await load_list(info, SynonymsByAcceptedIdLoader, Taxon, self.id)

    @strawberry.field(description="From the root of the classification down to this taxon (a synonym sits under "
                      "its accepted taxon): one statement for a whole page of taxa.")
    async def classification_path(self, info: Info) -> list["Taxon"]:
        return await load_list(info, ClassificationPathByTaxonIdLoader, Taxon, self.id)


def _taxa_below(id: strawberry.ID) -> Any:
    return repo.in_subtree(require_uuid(id, "filter.descendantOf"))


t = repo.taxon.c
TaxonFilter = filter_input("TaxonFilter", {
    "id": FilterField(IDFilter, operators(t.id)),
    "group": FilterField(StringFilter, operators(t.group)),
    "classification": FilterField(IDFilter, operators(t.classification_id)),
    "scientific_name": FilterField(StringFilter, operators(t.scientific_name)),
    "authorship": FilterField(StringFilter, operators(t.authorship)),
    "rank": FilterField(StringFilter, operators(t.rank), "A rank as Darwin Core writes it: family, genus, species."),
    "taxonomic_status": FilterField(StringFilter, operators(t.taxonomic_status)),
    "source_id": FilterField(StringFilter, operators(t.source_id)),
    "parent": FilterField(IDFilter, operators(t.parent_id)),
    "descendant_of": FilterField(strawberry.ID, _taxa_below, "At or below this taxon (synonyms included)."),
}, "Conditions on taxa.")
TaxonOrder = order_input("TaxonOrder", {"scientific_name": t.scientific_name, "created_on": t.created_on})
ClassificationFilter = filter_input("ClassificationFilter", {
    "id": FilterField(IDFilter, operators(repo.classification.c.id)),
    "group": FilterField(StringFilter, operators(repo.classification.c.group)),
    "name": FilterField(StringFilter, operators(repo.classification.c.name)),
    "source": FilterField(StringFilter, operators(repo.classification.c.source)),
}, "Conditions on classifications.")
ClassificationOrder = order_input("ClassificationOrder", {"name": repo.classification.c.name,
                                                          "created_on": repo.classification.c.created_on})


@strawberry.input(description="Samples by the taxa their determinations link to.")
class SampleTaxonFilter:
    eq: strawberry.ID | None = None
    in_: list[strawberry.ID] | None = strawberry.field(name="in", default=None)
    descendant_of: strawberry.ID | None = strawberry.field(default=None, description=(
        "Determined as this taxon or any taxon below it, synonyms included: one SQL statement."))


def samples_by_taxon(sample_id: Any) -> Any:
    """The `MaterialSampleFilter.taxon` condition over ``sample_id``."""

    def clause(condition: SampleTaxonFilter) -> Any:
        parts = []
        if condition.eq is not None:
            parts.append(repo.samples_of_taxa([require_uuid(condition.eq, "filter.taxon.eq")], sample_id))
        if condition.in_ is not None:
            parts.append(repo.samples_of_taxa([require_uuid(i, "filter.taxon.in") for i in condition.in_], sample_id))
        if condition.descendant_of is not None:
            parts.append(repo.samples_in_subtree(require_uuid(condition.descendant_of, "filter.taxon.descendantOf"),
                                                 sample_id))
        return and_(true(), *parts)

    return clause


@strawberry.type
class Query:
    classification = by_id_field(Classification, ClassificationByIdLoader, "A classification by id.")
    classifications = connection_field(Classification, repo.classification, "Classifications.",
                                       ClassificationFilter, ClassificationOrder)
    taxon = by_id_field(Taxon, TaxonByIdLoader, "A taxon by id.")
    taxa = connection_field(Taxon, repo.taxon, "Taxa of every classification; `filter: {descendantOf: …}` walks a "
                            "subtree.", TaxonFilter, TaxonOrder)


@strawberry.input
class Identity:
    id: strawberry.ID
    version: int = strawberry.field(description="The version you read; a newer one is a STALE_VERSION error.")


@strawberry.input
class ClassificationFields:
    name: str | None = UNSET
    source: str | None = UNSET
    intermediate_ranks: list[str] | None = UNSET
    remarks: str | None = UNSET


@strawberry.input
class CreateClassificationInput(ClassificationFields):
    name: str
    group: str


@strawberry.input
class UpdateClassificationInput(ClassificationFields, Identity):
    pass


@strawberry.input
class VernacularNameInput:
    name: str
    language: str | None = None


@strawberry.input
class TaxonFields:
    scientific_name: str | None = UNSET
    authorship: str | None = UNSET
    rank: Rank | None = UNSET
    intermediate_rank: str | None = UNSET
    vernacular_names: list[VernacularNameInput] | None = UNSET
    source_id: str | None = UNSET
    remarks: str | None = UNSET


@strawberry.input
class CreateTaxonInput(TaxonFields):
    classification_id: strawberry.ID
    scientific_name: str
    rank: Rank
    parent_id: strawberry.ID | None = strawberry.field(default=UNSET, description="For an accepted taxon.")
    accepted_taxon_id: strawberry.ID | None = strawberry.field(default=UNSET, description="For a synonym.")
    taxonomic_status: Status | None = UNSET
    group: str


@strawberry.input(description="Change names and ranks; the tree changes by moveTaxon and synonymizeTaxon.")
class UpdateTaxonInput(TaxonFields, Identity):
    pass


@strawberry.input(description="Hang an accepted taxon and its subtree under another parent (none: a root).")
class MoveTaxonInput(Identity):
    parent_id: strawberry.ID | None


@strawberry.input(description="Make a taxon a synonym; its children move to the accepted taxon.")
class SynonymizeTaxonInput(Identity):
    accepted_taxon_id: strawberry.ID
    taxonomic_status: Status = Status.SYNONYM


def mutations(user_error: type) -> dict[str, Any]:
    """The taxonomy writes, with the collection subgraph's UserError type."""
    api = EntityApi(Taxon, CreateTaxonInput, UpdateTaxonInput, user_error)

    async def move_taxon(info: Info, input: MoveTaxonInput) -> Any:
        return respond("Taxon", api, *await run_mutation(info, lambda s: service.move_taxon(
            s, require_uuid(input.id), input.version, require_uuid(input.parent_id, "parentId") if input.parent_id
            else None, info.context.actor, info.context.principal)))

    async def synonymize_taxon(info: Info, input: SynonymizeTaxonInput) -> Any:
        return respond("Taxon", api, *await run_mutation(info, lambda s: service.synonymize_taxon(
            s, require_uuid(input.id), input.version, require_uuid(input.accepted_taxon_id, "acceptedTaxonId"),
            input.taxonomic_status.value, info.context.actor, info.context.principal)))

    move_taxon.__annotations__["return"] = synonymize_taxon.__annotations__["return"] = payload_type("Taxon", api)
    return {
        **crud_mutations("Classification", service.CLASSIFICATION, EntityApi(
            Classification, CreateClassificationInput, UpdateClassificationInput, user_error)),
        **crud_mutations("Taxon", service.TAXON, api),
        "move_taxon": strawberry.mutation(resolver=move_taxon, description=(
            "Move an accepted taxon with everything below it; a move under its own subtree is TAXON_CYCLE.")),
        "synonymize_taxon": strawberry.mutation(resolver=synonymize_taxon, description=(
            "Make a taxon a synonym of an accepted one (a synonym's synonym is SYNONYM_OF_SYNONYM).")),
    }


ENTITY_TYPES = [Classification, Taxon]
