"""Specify's records in this graph's words (Darwin Core where it has one), built from its JSON.

Each type keeps the record it came from (private) and resolves related records through the
request's broker, so a level of a page costs one Specify request per related table."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import strawberry
from strawberry.federation.schema_directives import Key

from subgraphs.core.execution.context import Info

from ..loaders import broker
from ..service import Voucher, may_read

Record = dict[str, Any]


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _degrees(value: str | None) -> float | None:
    return float(Decimal(value)) if value is not None else None


@strawberry.federation.type(keys=[Key(fields="id", resolvable=False)])
class Person:
    id: strawberry.ID


@strawberry.type(description="A Specify agent (person or organisation).")
class SpecifyAgent:
    id: strawberry.ID = strawberry.field(description="The agent's Specify GUID.")
    specify_id: int
    first_name: str | None
    middle_initial: str | None
    last_name: str | None
    email: str | None

    @classmethod
    def of(cls, record: Record) -> SpecifyAgent:
        return cls(id=strawberry.ID(str(record["guid"] or record["resource_uri"])), specify_id=record["id"],
                   first_name=record.get("firstname"), middle_initial=record.get("middleinitial"),
                   last_name=record.get("lastname"), email=record.get("email"))

    @strawberry.field(description="Names in reading order: Ada L. Curator.")
    def display_name(self) -> str:
        initial = f"{self.middle_initial}." if self.middle_initial and len(self.middle_initial) == 1 else self.middle_initial
        return " ".join(p for p in (self.first_name, initial, self.last_name) if p)

    @strawberry.field(description="This graph's Person for the agent, where one is linked.")
    async def person(self, info: Info) -> Person | None:
        person_id = await broker(info.context).people.load(str(self.id))
        return None if person_id is None else Person(id=strawberry.ID(person_id))


@strawberry.type(description="A taxon of Specify's taxon tree.")
class SpecifyTaxon:
    specify_id: int
    name: str | None = strawberry.field(description="The name at its rank: permagna.")
    full_name: str | None = strawberry.field(description="The full scientific name: Mercenaria permagna.")
    author: str | None
    rank_id: int | None = strawberry.field(description="Specify's rank number (220 species, 180 genus, …).")

    @classmethod
    def of(cls, record: Record) -> SpecifyTaxon:
        return cls(specify_id=record["id"], name=record.get("name"), full_name=record.get("fullname"),
                   author=record.get("author"), rank_id=record.get("rankid"))


@strawberry.type(description="An identification of a collection object.")
class SpecifyDetermination:
    id: strawberry.ID = strawberry.field(description="The determination's Specify GUID.")
    specify_id: int
    is_current: bool
    determined_date: dt.date | None
    confidence: str | None
    remarks: str | None
    type_status: str | None
    version: int = strawberry.field(description="Specify's version, for optimistic locking on update.")
    record: strawberry.Private[Record]

    @classmethod
    def of(cls, record: Record) -> SpecifyDetermination:
        return cls(id=strawberry.ID(record["guid"]), specify_id=record["id"], is_current=bool(record.get("iscurrent")),
                   determined_date=_date(record.get("determineddate")), confidence=record.get("confidence"),
                   remarks=record.get("remarks"), type_status=record.get("typestatusname"),
                   version=record["version"], record=record)

    @strawberry.field
    async def taxon(self, info: Info) -> SpecifyTaxon | None:
        found = await broker(info.context).related("taxon", self.record.get("taxon"))
        return None if found is None else SpecifyTaxon.of(found)

    @strawberry.field
    async def determiner(self, info: Info) -> SpecifyAgent | None:
        found = await broker(info.context).related("agent", self.record.get("determiner"))
        return None if found is None else SpecifyAgent.of(found)


@strawberry.type(description="A loan a preparation is, or was, part of.")
class SpecifyLoanItem:
    loan_number: str | None
    loan_date: dt.date | None
    current_due_date: dt.date | None
    is_closed: bool | None
    quantity: int | None
    quantity_returned: int | None


@strawberry.type(description="A physical part of a collection object (shell, bulk sample, slide…).")
class SpecifyPreparation:
    id: strawberry.ID = strawberry.field(description="The preparation's Specify GUID.")
    specify_id: int
    count: int | None
    remarks: str | None
    storage_location: str | None
    version: int
    record: strawberry.Private[Record]

    @classmethod
    def of(cls, record: Record) -> SpecifyPreparation:
        return cls(id=strawberry.ID(record["guid"]), specify_id=record["id"], count=record.get("countamt"),
                   remarks=record.get("remarks"), storage_location=record.get("storagelocation"),
                   version=record["version"], record=record)

    @strawberry.field(description="The preparation type's name (Specify's preptype).")
    async def preparation_type(self, info: Info) -> str | None:
        found = await broker(info.context).related("preptype", self.record.get("preptype"))
        return None if found is None else found.get("name")

    @strawberry.field
    async def loans(self, info: Info) -> list[SpecifyLoanItem]:
        context = broker(info.context)
        items = await context.children("loanpreparation", "preparation").load(self.specify_id)
        loans = {loan["resource_uri"]: loan for loan in await context.related_many("loan", [i.get("loan") for i in items])}
        return [SpecifyLoanItem(loan_number=loan.get("loannumber"), loan_date=_date(loan.get("loandate")),
                                current_due_date=_date(loan.get("currentduedate")), is_closed=loan.get("isclosed"),
                                quantity=item.get("quantity"), quantity_returned=item.get("quantityreturned"))
                for item in items if (loan := loans.get(item.get("loan")))]


@strawberry.type(description="An attachment's metadata (the file lives on Specify's asset server).")
class SpecifyAttachment:
    title: str | None
    original_filename: str | None
    mime_type: str | None
    attachment_location: str | None
    is_public: bool | None


@strawberry.type(description="Where a collecting event took place.")
class SpecifyLocality:
    id: strawberry.ID
    locality_name: str | None
    decimal_latitude: float | None
    decimal_longitude: float | None
    record: strawberry.Private[Record]

    @strawberry.field(description="The geography node's full name: United States, Florida…")
    async def higher_geography(self, info: Info) -> str | None:
        found = await broker(info.context).related("geography", self.record.get("geography"))
        return None if found is None else found.get("fullname") or found.get("name")


@strawberry.type(description="A collecting event: when, where and by whom.")
class SpecifyCollectingEvent:
    id: strawberry.ID
    start_date: dt.date | None
    end_date: dt.date | None
    verbatim_date: str | None
    field_number: str | None = strawberry.field(description="Specify's stationfieldnumber.")
    method: str | None
    record: strawberry.Private[Record]

    @classmethod
    def of(cls, record: Record) -> SpecifyCollectingEvent:
        return cls(id=strawberry.ID(record["guid"] or record["resource_uri"]), start_date=_date(record.get("startdate")),
                   end_date=_date(record.get("enddate")), verbatim_date=record.get("verbatimdate"),
                   field_number=record.get("stationfieldnumber"), method=record.get("method"), record=record)

    @strawberry.field
    async def locality(self, info: Info) -> SpecifyLocality | None:
        found = await broker(info.context).related("locality", self.record.get("locality"))
        if found is None:
            return None
        return SpecifyLocality(id=strawberry.ID(found["guid"] or found["resource_uri"]),
                               locality_name=found.get("localityname"), decimal_latitude=_degrees(found.get("latitude1")),
                               decimal_longitude=_degrees(found.get("longitude1")), record=found)

    @strawberry.field(description="The collectors in Specify's order, primary first as Specify records it.")
    async def collectors(self, info: Info) -> list[SpecifyAgent]:
        return await collectors_of(info, self.record)


async def collectors_of(info: Info, event: Record) -> list[SpecifyAgent]:
    collectors = sorted(event.get("collectors") or [], key=lambda c: (c.get("ordernumber") or 0, c["id"]))
    agents = await broker(info.context).related_many("agent", [c.get("agent") for c in collectors])
    return [SpecifyAgent.of(a) for a in agents]


@strawberry.type(description="A collection object as a Darwin Core occurrence (what an export or a label prints).")
class SpecifyOccurrence:
    occurrence_id: str = strawberry.field(name="occurrenceID", description="The object's Specify GUID.")
    basis_of_record: str = strawberry.field(description="FossilSpecimen in a paleontology discipline, else PreservedSpecimen.")
    catalog_number: str | None
    collection_code: str | None
    scientific_name: str | None = strawberry.field(description="The current determination's full name.")
    scientific_name_authorship: str | None
    identified_by: str | None
    date_identified: dt.date | None
    event_date: dt.date | None
    field_number: str | None
    recorded_by: str | None = strawberry.field(description="The collectors, ' | '-separated, in Specify's order.")
    locality: str | None
    higher_geography: str | None
    decimal_latitude: float | None
    decimal_longitude: float | None


@strawberry.federation.type(keys=["id"], description="A collection object managed in Specify 7, read through the broker.")
class SpecifyCollectionObject:
    id: strawberry.ID = strawberry.field(description="The object's Specify GUID: stable across Specify's own ids.")
    specify_id: int = strawberry.field(description="Specify's database id (what its URLs use).")
    catalog_number: str | None = strawberry.field(description="As Specify stores it (numeric formats zero-padded).")
    cataloged_date: dt.date | None
    field_number: str | None
    remarks: str | None
    version: int = strawberry.field(description="Specify's version, for optimistic locking on changes.")
    resource_uri: str
    record: strawberry.Private[Record]

    @classmethod
    def of(cls, record: Record) -> SpecifyCollectionObject:
        return cls(id=strawberry.ID(record["guid"]), specify_id=record["id"], catalog_number=record.get("catalognumber"),
                   cataloged_date=_date(record.get("catalogeddate")), field_number=record.get("fieldnumber"),
                   remarks=record.get("remarks"), version=record["version"], resource_uri=record["resource_uri"],
                   record=record)

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> SpecifyCollectionObject | None:
        may_read(info.context)
        found = await broker(info.context).by("collectionobject", "guid", scoped=True).load(str(id))
        return None if found is None else cls.of(found)

    @strawberry.field(description="The collection's code (Darwin Core collectionCode), e.g. IP.")
    async def collection_code(self, info: Info) -> str | None:
        found = await broker(info.context).related("collection", self.record.get("collection"))
        return None if found is None else found.get("code")

    @strawberry.field(description="Current determination first, then the others as Specify lists them.")
    def determinations(self) -> list[SpecifyDetermination]:
        records = sorted(self.record.get("determinations") or [], key=lambda d: not d.get("iscurrent"))
        return [SpecifyDetermination.of(r) for r in records]

    @strawberry.field
    def preparations(self) -> list[SpecifyPreparation]:
        return [SpecifyPreparation.of(r) for r in self.record.get("preparations") or []]

    @strawberry.field
    def attachments(self) -> list[SpecifyAttachment]:
        attached = sorted(self.record.get("collectionobjectattachments") or [], key=lambda a: a.get("ordinal") or 0)
        return [SpecifyAttachment(title=a.get("title"), original_filename=a.get("origfilename"),
                                  mime_type=a.get("mimetype"), attachment_location=a.get("attachmentlocation"),
                                  is_public=a.get("ispublic"))
                for a in (item.get("attachment") for item in attached) if isinstance(a, dict)]

    @strawberry.field
    async def collecting_event(self, info: Info) -> SpecifyCollectingEvent | None:
        found = await self._event(info)
        return None if found is None else SpecifyCollectingEvent.of(found)

    @strawberry.field(description="The collecting event's collectors, as agents (each with its Person where linked).")
    async def collectors(self, info: Info) -> list[SpecifyAgent]:
        found = await self._event(info)
        return [] if found is None else await collectors_of(info, found)

    @strawberry.field(description="This object in Darwin Core terms.")
    async def darwin_core(self, info: Info) -> SpecifyOccurrence:
        context = broker(info.context)
        current = next(iter(self.determinations()), None)
        taxon = None if current is None else await context.related("taxon", current.record.get("taxon"))
        determiner = None if current is None else await context.related("agent", current.record.get("determiner"))
        event = await self._event(info)
        locality = None if event is None else await context.related("locality", event.get("locality"))
        geography = None if locality is None else await context.related("geography", locality.get("geography"))
        collection = await context.related("collection", self.record.get("collection"))
        discipline = None if collection is None else await context.related("discipline", collection.get("discipline"))
        collectors = [] if event is None else await collectors_of(info, event)
        return SpecifyOccurrence(
            occurrence_id=str(self.id), catalog_number=self.catalog_number,
            basis_of_record="FossilSpecimen" if "paleo" in str((discipline or {}).get("type")) else "PreservedSpecimen",
            collection_code=None if collection is None else collection.get("code"),
            scientific_name=None if taxon is None else taxon.get("fullname"),
            scientific_name_authorship=None if taxon is None else taxon.get("author"),
            identified_by=None if determiner is None else SpecifyAgent.of(determiner).display_name(),
            date_identified=None if current is None else current.determined_date,
            event_date=None if event is None else _date(event.get("startdate")),
            field_number=None if event is None else event.get("stationfieldnumber"),
            recorded_by=" | ".join(c.display_name() for c in collectors) or None,
            locality=None if locality is None else locality.get("localityname"),
            higher_geography=None if geography is None else geography.get("fullname"),
            decimal_latitude=None if locality is None else _degrees(locality.get("latitude1")),
            decimal_longitude=None if locality is None else _degrees(locality.get("longitude1")))

    async def _event(self, info: Info) -> Record | None:
        event = self.record.get("collectingevent")
        if isinstance(event, dict):  # inlined when the collection embeds collecting events
            return event
        return await broker(info.context).related("collectingevent", event)


@strawberry.federation.type(keys=["id"], description="A sequence of this graph, linked to Specify by its voucher.")
class Sequence:
    id: strawberry.ID
    specimen_voucher: str | None = strawberry.federation.field(external=True)

    @classmethod
    def resolve_reference(cls, id: strawberry.ID, specimenVoucher: str | None = None) -> Sequence:  # noqa: N803
        return cls(id=id, specimen_voucher=specimenVoucher)

    @strawberry.federation.field(requires=["specimenVoucher"], description=(
        "The Specify collection object the voucher names: its catalogue number (the last part of "
        "`institution:collection:catalogNumber`, zero-padded for numeric formats) in the broker's "
        "collection, whose code a triplet must name."))
    async def specify_collection_object(self, info: Info) -> SpecifyCollectionObject | None:
        voucher = Voucher.parse(self.specimen_voucher)
        if voucher is None:
            return None
        may_read(info.context)
        context = broker(info.context)
        collection = await context.logged_in_collection()
        if collection is None or not voucher.names(collection):
            return None
        number = voucher.stored_number(collection.get("catalognumformatname"))
        found = await context.by("collectionobject", "catalognumber", scoped=True).load(number)
        return None if found is None else SpecifyCollectionObject.of(found)

