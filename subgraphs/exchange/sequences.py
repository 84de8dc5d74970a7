"""Importing GenBank and FASTA files: sequences linked to specimens, collectors as Person records.

A record's source feature names its samples: `/specimen_voucher` (or `/culture_collection`: one culture,
one sample) the specimen, `/bio_material` the tissue the DNA came from (a sample derived from the
specimen). Each is an INSDC voucher matched by collection.vouchers — within the import's group, that
institution and collection only; several matches are refused as ambiguous. A missing sample is created
(with its institution and collection, its collecting event from /collected_by, /collection_date,
/geo_loc_name or /country and /lat_lon, and its determination from /organism and /identified_by) or
reported, per flag. Each record is written in a savepoint of one transaction: all of it or none of it.
Re-importing an accession.version the group holds is a no-op; a newer version is stored beside the older one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.agents.repository import people_by_display_name
from subgraphs.agents.service import create_person
from subgraphs.collection.service import create_collecting_event, create_material_sample, create_record
from subgraphs.collection.vouchers import Voucher, collection_for_codes, sample_for_voucher
from subgraphs.core.base.errors import ClientError
from subgraphs.core.data.db import Database
from subgraphs.core.data.storable import nul_errors
from subgraphs.core.writes.mutations import InvalidInput
from subgraphs.exchange.people import person_values
from subgraphs.molecular.records import (
    RecordError,
    SequenceRecord,
    fasta_records,
    genbank_records,
    iso_collection_date,
    lat_lon,
)
from subgraphs.molecular.service import (
    MolecularErrorCode,
    create_sequence,
    newest_sequence_version,
    region_named,
)


@dataclass
class ImportReport:
    imported: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    samples_created: list[str] = field(default_factory=list)
    samples_linked: list[str] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{len(self.imported)} imported, {len(self.unchanged)} unchanged, "
                f"{len(self.samples_linked)} linked to existing samples, {len(self.samples_created)} samples created, "
                f"{len(self.errors)} rejected")


def insdc_place(text: str | None) -> dict[str, str | None]:
    """/geo_loc_name or /country ("Sweden: Huddinge, Lake Orlangen": country, then region, then locality)
    as collecting-event values; the whole text is kept as the verbatim locality."""
    country, _, rest = (text or "").partition(":")
    return {"verbatim_locality": text, "country": country.strip() or None,
            "state_province": rest.partition(",")[0].strip() or None}


# DINA material sample types of the samples a record names (the export's basisOfRecord follows them).
SPECIMEN, TISSUE, CULTURE = "WHOLE_ORGANISM", "ORGANISM_PART", "CULTURE_STRAIN"


class SequenceImport:
    def __init__(self, session: AsyncSession, *, group: str, actor: str, create_missing_samples: bool) -> None:
        self.session, self.group, self.actor = session, group, actor
        self.create_missing_samples = create_missing_samples
        self.people: dict[str, Any] = {}
        self.report = ImportReport()

    async def person(self, name: str) -> Any:
        """The group's Person of this display name, created (INSDC name order read) on first use."""
        if name not in self.people:
            existing = (await people_by_display_name(self.session, [name], group=self.group)).get(name)
            self.people[name] = existing or await create_person(
                self.session, actor=self.actor, group=self.group, **person_values(name))
        return self.people[name]

    async def people_in(self, value: Any) -> list[Any]:
        return [await self.person(n.strip()) for n in str(value or "").split(";") if n.strip()]

    async def linked(self, voucher: Voucher | None, record: SequenceRecord) -> Any:
        """The group's sample the voucher names, or None (AMBIGUOUS_VOUCHER when several)."""
        sample = None if voucher is None else await sample_for_voucher(self.session, voucher, group=self.group)
        if sample is not None:
            self.report.samples_linked.append(f"{record.accession} -> {sample.material_sample_name}")
        return sample

    async def created(self, voucher: Voucher | None, record: SequenceRecord, kind: str, parent: Any = None) -> Any:
        """A new sample for the voucher in its institution's collection (the group's, created if missing);
        with the record's collecting event and determination unless it is derived from ``parent``."""
        if not self.create_missing_samples:
            raise ClientError(MolecularErrorCode.NO_MATCHING_SAMPLE, f"no material sample of group {self.group} "
                              f"matches voucher {str(voucher)!r}" if voucher else "the record names no specimen voucher")
        source = record.source
        collection = voucher and await collection_for_codes(
            self.session, voucher.institution, voucher.collection, group=self.group, actor=self.actor)
        values: dict[str, Any] = {"parent_material_sample_id": parent.id} if parent is not None else {
            "collecting_event_id": (await self.collecting_event(source)).id}
        name = voucher.catalog_number if voucher else (
            source.get("strain") or source.get("isolate") or f"{record.accession} source")
        sample = await create_material_sample(
            self.session, actor=self.actor, group=self.group, material_sample_name=name,
            material_sample_type=kind if voucher else None, collection_id=collection.id if collection else None,
            **values)
        if parent is None and record.organism:
            await self.determination(sample, record)
        self.report.samples_created.append(str(voucher or name))
        return sample

    async def collecting_event(self, source: dict[str, Any]) -> Any:
        coordinates = lat_lon(source.get("lat_lon"))
        return await create_collecting_event(
            self.session, actor=self.actor, group=self.group, verbatim_event_date=source.get("collection_date"),
            start_event_date=iso_collection_date(source.get("collection_date")),
            **insdc_place(source.get("geo_loc_name") or source.get("country")),
            decimal_latitude=coordinates[0] if coordinates else None,
            decimal_longitude=coordinates[1] if coordinates else None,
            collector_ids=[p.id for p in await self.people_in(source.get("collected_by"))],
        )

    async def determination(self, sample: Any, record: SequenceRecord) -> None:
        """/organism as the primary determination of the sample's organism, by /identified_by."""
        organism = await create_record(self.session, "organism", actor=self.actor, group=self.group,
                                       material_sample_id=sample.id)
        await create_record(
            self.session, "determination", actor=self.actor, group=self.group, organism_id=organism.id,
            verbatim_scientific_name=record.organism, scientific_name=record.organism, is_primary=True,
            determiner_ids=[p.id for p in await self.people_in(record.source.get("identified_by"))])

    async def sample_for(self, record: SequenceRecord) -> Any:
        """The sample the sequence was made from: the /bio_material tissue (derived from the specimen) if
        the record names one, else the specimen (/specimen_voucher, or the /culture_collection culture)."""
        source = record.source
        culture = Voucher.parse(source.get("culture_collection"))
        specimen = Voucher.parse(record.specimen_voucher) or culture
        kind = SPECIMEN if record.specimen_voucher else CULTURE
        tissue = Voucher.parse(source.get("bio_material"))
        if tissue is None:
            return await self.linked(specimen, record) or await self.created(specimen, record, kind)
        if found := await self.linked(tissue, record):
            return found
        parent = specimen and (await self.linked(specimen, record) or await self.created(specimen, record, kind))
        return await self.created(tissue, record, TISSUE, parent=parent)

    async def add(self, record: SequenceRecord) -> None:
        sample = None if record.source == {} and record.specimen_voucher is None else await self.sample_for(record)
        region = None
        if record.region:
            region = await region_named(self.session, record.region, group=self.group, actor=self.actor)
        await create_sequence(
            self.session, actor=self.actor, group=self.group, accession=record.accession,
            accession_version=record.version, source_location=record.source_location,
            definition=record.definition, organism=record.organism,
            molecule_type=record.molecule_type, region_id=region.id if region else None,
            specimen_voucher=record.specimen_voucher, db_xrefs=record.db_xrefs, submitters=record.submitters,
            publications=record.publications, source_qualifiers=record.source,
            structured_comments=record.structured_comments,
            material_sample_id=sample.id if sample else None, residues=record.residues,
        )
        self.report.imported.append(record.label)

    async def run(self, items: Iterable[SequenceRecord | RecordError]) -> ImportReport:
        for item in items:
            if isinstance(item, RecordError):
                self.report.errors.append(item)
                continue
            label = item.label
            if refused := nul_errors({k: v for k, v in vars(item).items() if k != "file"}):
                # Not even looked up: a NUL cannot be a query parameter, let alone stored.
                self.report.errors.append(RecordError(item.file, label, "; ".join(
                    error.message for errors in refused.values() for error in errors)))
                continue
            newest = await newest_sequence_version(self.session, item.accession, item.source_location, group=self.group)
            if newest >= item.version:
                self.report.unchanged.append(label)
                continue
            try:
                async with self.session.begin_nested():
                    await self.add(item)
            except ClientError as error:
                self.report.errors.append(RecordError(item.file, label, error.message))
            except InvalidInput as invalid:
                self.report.errors.append(RecordError(item.file, label, str(invalid)))
        return self.report


# Each reads a path (None: its name is shown in errors) or an open text handle and the name to show.
READERS: dict[str, Callable[[Path | TextIO, str | None], Iterable[SequenceRecord | RecordError]]] = {
    "genbank": genbank_records, "fasta": fasta_records,
}


async def import_files(db: Database, kind: str, paths: list[Path], *, group: str, actor: str,
                       create_missing_samples: bool = True,
                       progress: Callable[[Path], None] | None = None) -> ImportReport:
    """Import every record of every file in one transaction (records that fail are reported, not written)."""
    async with db.unit_of_work() as session:
        job = SequenceImport(session, group=group, actor=actor, create_missing_samples=create_missing_samples)
        for path in paths:
            await job.run(READERS[kind](path, None))
            if progress:
                progress(path)
    return job.report
