"""Darwin Core Archive → DINA records, through each domain's service layer, row by row.

Occurrences become MaterialSample + CollectingEvent + Organism/Determinations, with recordedBy and
identifiedBy as Person records (de-duplicated by name) and the institution/collection codes as
Institution and Collection (the import group's own); extension rows are stored with their core row
(extensions.py), the row mapped to records by mapping.py (shared with the bulk importer, bulk.py). Every
term of every row is kept in the sample's `sourceRecord`. A value that cannot be read is flagged
(issues.py), not a reason to refuse its row; a refused row is reported and skipped.
A row is already present (and left alone) when the import's group holds a sample of its occurrenceID
or, without one, a sample without one its institutionCode / collectionCode / catalogue number name as a
voucher (collection.vouchers, the rules the GenBank import follows too; several such samples refuse the
row as ambiguous). A row with no identifier at all is named by a digest of its values (mapping.sample_name):
distinct rows get distinct names, and the same row imported again is found again.
An Event core gives CollectingEvents, its Occurrence extension rows their samples. A Taxon core is read
as a checklist: it becomes a classification (collection.taxonomy.checklist), and its Occurrence extension
rows are imported determined as their taxon. Occurrences of other archives can be linked to a chosen
classification's taxa (by name and authorship, then name alone when unambiguous; reported otherwise).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.collection import repository as collection_repository
from subgraphs.collection.service import create_collecting_event, create_material_sample, create_record
from subgraphs.collection.taxonomy import repository as taxonomy_repository
from subgraphs.collection.taxonomy.checklist import ChecklistResult, import_checklist
from subgraphs.collection.taxonomy.service import TaxonMatcher
from subgraphs.collection.vouchers import collection_for_codes, sample_for_voucher
from subgraphs.core.base.errors import ClientError
from subgraphs.core.data.db import Database
from subgraphs.core.writes.crud import Values
from subgraphs.core.writes.mutations import InvalidInput
from subgraphs.exchange.sequences import SequenceImport
from subgraphs.media.service import record_remote_media

from .archive import Archive, ArchiveError, DataFile, Defect, open_archive
from .checklist import classification_name, name_usage
from .extensions import ExtensionIndex, ExtensionRows
from .issues import Flag
from .mapping import (
    COLLECTION_CODE,
    INSTITUTION_CODE,
    OCCURRENCE_ID,
    RECORDED_BY,
    MappedEvent,
    MappedOccurrence,
    _names,
    checked_occurrence,
    defect_reason,
    mapped_event,
    media_errors,
    media_values,
    occurrence_voucher,
    organism_values,
    sample_values,
    term,
)

NONE: list[Any] = []  # no issues or measurements (shared: never changed)


@dataclass
class DwcaReport:
    archive: str
    core: str
    rows: int = 0
    imported: int = 0
    unchanged: int = 0
    media: int = 0
    events: int = 0  # collecting events of an Event core
    determinations: int = 0
    measurements: int = 0
    other_catalog_numbers: int = 0  # otherCatalogNumbers values and Identifier extension rows
    associations: int = 0
    citations: int = 0
    taxa: int = 0  # of a Taxon core: the classification it became
    classification_id: Any = None
    linked: int = 0  # determinations linked to a taxon
    linking: bool = False  # determinations were to be linked (a Taxon core, or a classification chosen)
    defects: list[Defect] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)

    def summary(self) -> str:
        events = f"{self.events} events, " if self.core == "Event" else ""
        events += f"{self.taxa} taxa, " if self.core == "Taxon" else ""
        return (f"{self.archive} ({self.core} core): {self.rows} rows, {events}{self.imported} imported, "
                f"{self.unchanged} already present, {self.determinations} determinations{self._linked()}, "
                f"{self.measurements} measurements, {self.other_catalog_numbers} other catalogue numbers, {self.associations} "
                f"associations, {self.citations} citations, {self.media} media, "
                f"{len(self.flags)} flagged values, {len(self.defects)} defects")

    def _linked(self) -> str:
        return f" ({self.linked} linked to a taxon)" if self.linking or self.core == "Taxon" else ""

    def stored(self, mapped: MappedEvent) -> None:
        """Count what a mapped row brought in, and keep its flags."""
        self.flags += mapped.flags
        self.measurements += len(mapped.measurements)
        if isinstance(mapped, MappedOccurrence):
            self.determinations += len(mapped.determinations)
            self.media += len(mapped.media)
            self.other_catalog_numbers += len(mapped.other_catalog_numbers)
            self.associations += len(mapped.associations)
            self.citations += len(mapped.citations)


def collected_by(event: dict[str, str], extras: ExtensionRows) -> str | None:
    """An Event core row's collectors: its recordedBy, else those its occurrences name, in order."""
    if names := event.get(RECORDED_BY):
        return names
    found = dict.fromkeys(name for _, _, row in extras.occurrences for name in _names(row.get(RECORDED_BY)))
    return " | ".join(found) or None


def extension_index(archive: Archive, report: DwcaReport) -> ExtensionIndex:
    """The archive's extension rows by core id; the extensions not stored are reported."""
    index = ExtensionIndex(archive, media_values, media_errors)
    report.defects += index.not_stored
    return index


RowProgress = Callable[[int, int], None]  # (core rows read, lines in the core file)


class DwcaImport:
    def __init__(self, session: AsyncSession, archive: Archive, *, group: str, actor: str,
                 progress: RowProgress | None = None, classification_id: Any = None) -> None:
        """``classification_id``: link the occurrences' determinations to that classification's taxa."""
        self.session, self.archive, self.group, self.actor = session, archive, group, actor
        self.progress = progress
        self.matcher = TaxonMatcher(session, classification_id) if classification_id else None
        self.people = SequenceImport(session, group=group, actor=actor, create_missing_samples=False)
        self.collections: dict[tuple[str, str], Any] = {}
        self.report = DwcaReport(archive.name, archive.core_kind, defects=archive.defects,
                                 linking=classification_id is not None)

    @asynccontextmanager
    async def row(self) -> AsyncIterator[None]:
        """One row in its own savepoint. A refused row is rolled back with whatever it created (an
        institution, a collection, people), so the cache entries it added are dropped too: later rows
        look those up again instead of pointing at records that no longer exist."""
        caches = (self.collections, self.people.people)
        sizes = [len(cache) for cache in caches]
        try:
            async with self.session.begin_nested():
                yield
        except BaseException:
            for cache, size in zip(caches, sizes, strict=True):
                while len(cache) > size:
                    cache.popitem()  # entries are only ever added, so the last ones are this row's
            raise

    def counted(self) -> None:
        """One more core row read (the rows of extensions belong to it)."""
        self.report.rows += 1
        if self.progress:
            self.progress(self.report.rows, self.archive.core_lines())

    async def collection(self, institution_code: str | None, collection_code: str | None) -> Any:
        """The group's collection the codes name, created (with its institution) if missing."""
        key = (institution_code or "", collection_code or "")
        if key not in self.collections:
            self.collections[key] = await collection_for_codes(
                self.session, institution_code, collection_code, group=self.group, actor=self.actor)
        return self.collections[key]

    async def existing(self, record: dict[str, str]) -> bool:
        """Whether the group holds the row's sample already: by occurrenceID, else by voucher."""
        if occurrence_id := record.get(OCCURRENCE_ID):
            return await collection_repository.sample_of_occurrence(
                self.session, occurrence_id, group=self.group) is not None
        return await sample_for_voucher(self.session, occurrence_voucher(record), group=self.group,
                                        without_occurrence_id=True) is not None

    async def taxon_of(self, values: Values, authorship: str | None, file: str, number: int) -> Any:
        """The chosen classification's taxon a determination names (None, reported, when none fits)."""
        if self.matcher is None or not values["scientific_name"]:
            return None
        taxon_id, problem = await self.matcher.match(values["scientific_name"], authorship)
        if problem:
            self.report.defects.append(Defect(file, number, f"determination {problem}"))
        return taxon_id

    async def occurrence(self, record: dict[str, str], extras: ExtensionRows, file: str, number: int,
                         scientific_name: str | None, event_id: Any = None, taxon_id: Any = None) -> None:
        """One occurrence row (``event_id``: the collecting event of an Event core it belongs to;
        ``taxon_id``: the taxon of a Taxon core named ``scientific_name``)."""
        if await self.existing(record):
            self.report.unchanged += 1
            return
        # Checked before anything of the row is written: its institution, collection and collectors too.
        mapped = checked_occurrence(record, extras, file, number, scientific_name)
        collection = await self.collection(record.get(INSTITUTION_CODE), record.get(COLLECTION_CODE))
        if event_id is None:
            event_id = await self.event(record.get(RECORDED_BY), mapped.event)
        media_ids = []
        for values in mapped.media:
            media = await record_remote_media(self.session, actor=self.actor, group=self.group, **values)
            media_ids.append(media.id)
        sample = await create_material_sample(
            self.session, actor=self.actor, group=self.group, collection_id=collection.id if collection else None,
            collecting_event_id=event_id, attachment_ids=media_ids, **sample_values(record, mapped))
        if mapped.determinations:
            organism = await create_record(self.session, "organism", actor=self.actor, group=self.group,
                                           material_sample_id=sample.id, **organism_values(record))
            for position, values in enumerate(mapped.determinations):
                determiners = [(await self.people.person(n)).id for n in values["determiners"]]
                linked = taxon_id if taxon_id and values["scientific_name"] == scientific_name else \
                    await self.taxon_of(values, record.get(term("scientificNameAuthorship")) if position == 0 else None,
                                        file, number)
                self.report.linked += linked is not None
                await create_record(self.session, "determination", actor=self.actor, group=self.group,
                                    organism_id=organism.id, determiner_ids=determiners, taxon_id=linked,
                                    **{k: v for k, v in values.items() if k != "determiners"})
        self.report.stored(mapped)
        self.report.imported += 1

    async def event(self, collectors_text: str | None, values: Values, issues: list[str] = NONE,
                    measurements: list[dict[str, str]] = NONE) -> Any:
        """The CollectingEvent of a row (an Event core's: with its issues and measurements)."""
        collectors = [await self.people.person(n) for n in _names(collectors_text)]
        event = await create_collecting_event(
            self.session, actor=self.actor, group=self.group, collector_ids=[p.id for p in collectors],
            issues=list(issues), measurements=list(measurements), **values)
        return event.id

    async def run(self) -> DwcaReport:
        archive = self.archive
        index = extension_index(archive, self.report)
        if archive.core_kind == "Taxon":
            await self._checklist(index)
        elif archive.core_kind == "Event":
            await self._events(index)
        else:
            await self._occurrences(archive.core, index, {})
        self.report.defects += index.unstored()
        return self.report

    async def _events(self, index: ExtensionIndex) -> None:
        """An Event core: each row a CollectingEvent (with its MoF rows), its Occurrence extension rows
        the event's samples."""
        seen: set[str] = set()
        location = self.archive.core.location
        for number, event_id, row in self.archive.rows(self.archive.core):
            self.counted()
            if event_id and event_id in seen:
                self.report.defects.append(Defect(location, number, f"duplicate id {event_id}"))
                continue
            seen.add(event_id or "")
            extras = index.rows_of(event_id)
            try:
                async with self.row():
                    mapped = mapped_event(row, extras, location, number)
                    stored_event = await self.event(collected_by(row, extras), mapped.event, mapped.issues,
                                                    mapped.measurements)
            except (ClientError, InvalidInput) as error:
                self.report.defects.append(Defect(location, number, defect_reason(error)))
                continue
            self.report.stored(mapped)
            self.report.events += 1
            for file, occurrence_number, occurrence in extras.occurrences:
                try:
                    async with self.row():
                        await self.occurrence(occurrence, index.rows_of(None), file, occurrence_number, None,
                                              stored_event)
                except (ClientError, InvalidInput) as error:
                    self.report.defects.append(Defect(file, occurrence_number, defect_reason(error)))

    async def _checklist(self, index: ExtensionIndex) -> None:
        """A Taxon core: a classification of its rows (taxonomy.checklist), then the occurrences each
        taxon's extension rows give, determined as that taxon."""
        seen, refused = set(), {}
        location = self.archive.core.location

        def refuse(number: int, taxon_id: str | None, reason: str) -> None:
            """A taxon row with a NUL character: its defect, and the occurrences it names are refused too
            (imported without their name, a later import would leave them so)."""
            self.report.defects.append(Defect(location, number, reason))
            refused[taxon_id or ""] = f"{location} row {number}: {reason}"

        rows = list(self.archive.rows(self.archive.core, refuse))
        for _ in rows:
            self.counted()
        result = await self.classification([name_usage(n, i, row, index.rows_of(i)) for n, i, row in rows])
        for _, taxon_id, row in rows:
            if taxon_id in seen:
                continue
            seen.add(taxon_id)
            for file, occurrence_number, occurrence in index.rows_of(taxon_id).occurrences:
                try:
                    async with self.row():
                        await self.occurrence(occurrence, index.rows_of(None), file, occurrence_number,
                                              row.get(term("scientificName")),
                                              taxon_id=result.taxon_ids.get(taxon_id or ""))
                except (ClientError, InvalidInput) as error:
                    self.report.defects.append(Defect(file, occurrence_number, defect_reason(error)))
        for taxon_id, reason in refused.items():  # its occurrences are refused with it
            for file, occurrence_number, _ in index.rows_of(taxon_id).occurrences:
                self.report.defects.append(Defect(file, occurrence_number, reason))

    async def classification(self, usages: list[Any]) -> ChecklistResult:
        """The checklist as a new classification of the group, or the one an earlier import of the same
        archive made (left as it is)."""
        found = await taxonomy_repository.classification_of_source(self.session, self.group, self.archive.name)
        if found is not None:
            result = ChecklistResult(found, taxon_ids=await taxonomy_repository.taxon_ids_by_source(self.session, found))
        else:
            result = await import_checklist(self.session, usages, name=classification_name(self.archive),
                                            source=self.archive.name, group=self.group, actor=self.actor)
        self.report.taxa, self.report.classification_id = result.taxa, result.classification_id
        self.report.defects += [Defect(self.archive.core.location, row, reason) for row, reason in result.problems]
        return result

    async def _occurrences(self, data_file: DataFile, index: ExtensionIndex, taxon_names: dict[str, str]) -> None:
        seen: set[str] = set()
        for number, row_id, row in self.archive.rows(data_file):
            self.counted()
            if row_id and row_id in seen:
                self.report.defects.append(Defect(data_file.location, number, f"duplicate id {row_id}"))
                continue
            seen.add(row_id or "")
            try:
                async with self.row():
                    await self.occurrence(row, index.rows_of(row_id), data_file.location, number,
                                          taxon_names.get(row_id or ""))
            except (ClientError, InvalidInput) as error:
                self.report.defects.append(Defect(data_file.location, number, defect_reason(error)))


async def import_archive(db: Database, path: Path, *, group: str, actor: str,
                         progress: RowProgress | None = None, classification_id: Any = None) -> DwcaReport:
    """Import one archive in one transaction; an unreadable archive raises ArchiveError, and whatever
    was already written in that transaction is rolled back: nothing is half-imported.
    ``progress(core rows read, lines in the core file)`` is called after each core row. With
    ``classification_id``, determinations are linked to that classification's taxa (reported where none fits)."""
    archive = open_archive(path)
    async with db.unit_of_work() as session:
        report = await DwcaImport(session, archive, group=group, actor=actor, progress=progress,
                                  classification_id=classification_id).run()
    return report


__all__ = ["ArchiveError", "DwcaReport", "RowProgress", "import_archive"]
