"""Importing GenBank and FASTA files: sequences linked to specimens, collectors as Person records.

A record's voucher (a Darwin Core triplet `institution:collection:catalogNumber`, or a plain
catalogue number) links it to an existing material sample. Without a match the sample is created —
with its collecting event and collectors, people de-duplicated by name — or reported, per flag.
Each record is written in a savepoint of one transaction: all of it or none of it. Re-importing an
accession.version is a no-op; a newer version is stored beside the older one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.agents.service import create_person, people_by_display_name
from subgraphs.collection.service import (
    create_collecting_event,
    create_material_sample,
    samples_by_catalog_number,
)
from subgraphs.core.db import Database
from subgraphs.core.errors import ClientError
from subgraphs.core.mutations import InvalidInput
from subgraphs.core.service import nul_errors
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
    find_sequence_versions,
    region_named,
)

log = logging.getLogger("dina.import")


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


class SequenceImport:
    def __init__(self, session: AsyncSession, *, group: str, actor: str, create_missing_samples: bool) -> None:
        self.session, self.group, self.actor = session, group, actor
        self.create_missing_samples = create_missing_samples
        self.people: dict[str, Any] = {}
        self.report = ImportReport()

    async def person(self, name: str) -> Any:
        if name not in self.people:
            existing = (await people_by_display_name(self.session, [name])).get(name)
            given, _, family = name.rpartition(" ")
            self.people[name] = existing or await create_person(
                self.session, actor=self.actor, group=self.group, display_name=name,
                given_names=given or None, family_names=family or None)
        return self.people[name]

    async def sample_for(self, record: SequenceRecord) -> Any:
        number = record.catalog_number
        if number is not None:
            existing = (await samples_by_catalog_number(self.session, [number])).get(number)
            if existing is not None:
                self.report.samples_linked.append(f"{record.accession} -> {existing.material_sample_name}")
                return existing
        if not self.create_missing_samples:
            raise ClientError(MolecularErrorCode.NO_MATCHING_SAMPLE, f"no material sample has catalogue number {number!r}"
                              if number else "the record names no specimen voucher")
        source = record.source
        collectors = [await self.person(n.strip()) for n in str(source.get("collected_by", "")).split(";") if n.strip()]
        coordinates = lat_lon(source.get("lat_lon"))
        country, _, area = str(source.get("country") or "").partition(":")
        event = await create_collecting_event(
            self.session, actor=self.actor, group=self.group, verbatim_event_date=source.get("collection_date"),
            start_event_date=iso_collection_date(source.get("collection_date")),
            verbatim_locality=source.get("country"), country=country.strip() or None,
            state_province=area.strip() or None,
            decimal_latitude=coordinates[0] if coordinates else None,
            decimal_longitude=coordinates[1] if coordinates else None,
            collector_ids=[p.id for p in collectors],
        )
        name = number or source.get("strain") or source.get("isolate") or f"{record.accession} source"
        sample = await create_material_sample(
            self.session, actor=self.actor, group=self.group, material_sample_name=name,
            collecting_event_id=event.id,
            other_catalog_numbers=[record.specimen_voucher] if record.specimen_voucher not in (None, name) else [],
        )
        self.report.samples_created.append(name)
        return sample

    async def add(self, record: SequenceRecord) -> None:
        sample = None if record.source == {} and record.specimen_voucher is None else await self.sample_for(record)
        region = None
        if record.region:
            region = await region_named(self.session, record.region, group=self.group, actor=self.actor)
        await create_sequence(
            self.session, actor=self.actor, group=self.group, accession=record.accession,
            accession_version=record.version, definition=record.definition, organism=record.organism,
            molecule_type=record.molecule_type, region_id=region.id if region else None,
            specimen_voucher=record.specimen_voucher, db_xrefs=record.db_xrefs, submitters=record.submitters,
            publications=record.publications, source_qualifiers=record.source,
            structured_comments=record.structured_comments,
            material_sample_id=sample.id if sample else None, residues=record.residues,
        )
        self.report.imported.append(f"{record.accession}.{record.version}")

    async def run(self, items: Iterable[SequenceRecord | RecordError]) -> ImportReport:
        for item in items:
            if isinstance(item, RecordError):
                self.report.errors.append(item)
                continue
            label = f"{item.accession}.{item.version}"
            if refused := nul_errors({k: v for k, v in vars(item).items() if k != "file"}):
                # Not even looked up: a NUL cannot be a query parameter, let alone stored.
                self.report.errors.append(RecordError(item.file, label, "; ".join(
                    error.message for errors in refused.values() for error in errors)))
                continue
            newest = (await find_sequence_versions(self.session, [item.accession])).get(item.accession, 0)
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
    log.info("%s import: %s", kind, job.report.summary())
    return job.report
