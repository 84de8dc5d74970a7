"""Darwin Core Archive → DINA records, through each domain's service layer.

Occurrences become MaterialSample + CollectingEvent + Organism/Determination, with recordedBy and
identifiedBy as Person records (de-duplicated by name) and the institution/collection codes as
Institution and Collection (the import group's own); Multimedia / Audubon extension rows become Media
with their remote URLs. Every term of every row is kept in the sample's `sourceRecord` (so nothing is
dropped, and an export gives it back). Rows with defects are reported and skipped. A row is already
present (and left alone) when the import's group holds a sample of its occurrenceID or, without one, a
sample without one its institutionCode / collectionCode / catalogue number name as a voucher (collection.vouchers,
the rules the GenBank import follows too; several such samples refuse the row as ambiguous). A row with
no identifier at all is named by a digest of its values: distinct rows get distinct names, and the same
row imported again is found again.
The rules a row is checked against before anything of it is written (collecting-event rules, values
no longer than their columns, its media rows') are here, shared with the bulk importer (bulk.py).
A taxon core is read as a checklist: its occurrence extension rows are imported with the taxon's name.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.agents.models import person
from subgraphs.collection import models as cm
from subgraphs.collection.service import (
    CollectionErrorCode,
    checked_collecting_event,
    create_collecting_event,
    create_material_sample,
    create_record,
)
from subgraphs.collection.vouchers import Voucher, collection_for_codes, sample_for_voucher
from subgraphs.core.crud import Values
from subgraphs.core.db import Database
from subgraphs.core.errors import ClientError, ErrorCode
from subgraphs.core.mutations import InvalidInput
from subgraphs.core.service import column_limits
from subgraphs.exchange.sequences import SequenceImport
from subgraphs.media.models import media as media_table
from subgraphs.media.service import record_remote_media, remote_format

from .archive import DWC, Archive, ArchiveError, Defect, open_archive

log = logging.getLogger("dina.dwca")
DC = "http://purl.org/dc/terms/"
AC = "http://rs.tdwg.org/ac/terms/"
MEDIA_ROW_TYPES = ("Multimedia", "Audubon")  # extensions read as Media


def term(name: str) -> str:
    return DWC + name


EVENT_DATE, VERBATIM_EVENT_DATE, LATITUDE, LONGITUDE, UNCERTAINTY = (term(name) for name in (
    "eventDate", "verbatimEventDate", "decimalLatitude", "decimalLongitude", "coordinateUncertaintyInMeters"))
# CollectingEvent columns read as they are from a core row's terms.
EVENT_TERMS = {"verbatim_locality": term("locality"), "country": term("country"),
               "country_code": term("countryCode"), "state_province": term("stateProvince"),
               "geodetic_datum": term("geodeticDatum"), "habitat": term("habitat")}
SCIENTIFIC_NAME, RECORDED_BY, IDENTIFIED_BY = term("scientificName"), term("recordedBy"), term("identifiedBy")
OCCURRENCE_ID, INSTITUTION_CODE, COLLECTION_CODE = term("occurrenceID"), term("institutionCode"), term("collectionCode")


# The column limits a row's values are checked against, read from the models once (not per row).
_SAMPLE, _EVENT, _INSTITUTION, _COLLECTION, _ORGANISM, _DETERMINATION, _PERSON, _MEDIA = map(column_limits, (
    cm.material_sample, cm.collecting_event, cm.institution, cm.collection, cm.organism, cm.determination, person,
    media_table))
# Core terms written as they are to a column of limited length: (term URI, term name, most characters).
# An institutionCode names its institution and code, and the collection too when there is no collectionCode;
# countryCode is left to the collection service's rule (two letters).
WRITTEN_TERMS = tuple((term(name), name, limit) for name, limit in (
    ("occurrenceID", _SAMPLE["occurrence_id"]),
    ("institutionCode", min(_INSTITUTION["code"], _INSTITUTION["name"], _COLLECTION["code"], _COLLECTION["name"])),
    ("collectionCode", min(_COLLECTION["code"], _COLLECTION["name"])),
    ("verbatimEventDate", _EVENT["verbatim_event_date"]),
    *((uri[len(DWC):], _EVENT[column]) for column, uri in EVENT_TERMS.items()
      if column in _EVENT and column != "country_code"),
))
# Written only with the Organism and Determination a row with a scientific name gets.
DETERMINATION_TERMS = tuple((term(name), name, limit) for name, limit in (
    ("typeStatus", _DETERMINATION["type_status"]), ("sex", _ORGANISM["sex"]), ("lifeStage", _ORGANISM["life_stage"])))
SCIENTIFIC_NAME_LIMIT = min(_DETERMINATION["scientific_name"], _DETERMINATION["verbatim_scientific_name"])
# The terms a sample is named by, in the order sample_name() tries them.
SAMPLE_NAME_TERMS = tuple((term(name), name) for name in ("catalogNumber", "occurrenceID", "materialSampleID"))
# Media columns of limited length an extension row fills: (column, term name, most characters).
MEDIA_LIMITS = tuple((column, name, _MEDIA[column]) for column, name in (
    ("access_uri", "identifier"), ("dc_type", "type"), ("dc_format", "format"), ("license", "license"),
    ("rights_holder", "rightsHolder")))


@dataclass
class DwcaReport:
    archive: str
    core: str
    rows: int = 0
    imported: int = 0
    unchanged: int = 0
    media: int = 0
    defects: list[Defect] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.archive} ({self.core} core): {self.rows} rows, {self.imported} imported, "
                f"{self.unchanged} already present, {self.media} media, {len(self.defects)} defects")


_JAVA_DATE = re.compile(r"^[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d{2}) [\d:]{8} [A-Z]{3,4} (\d{4})$")


def iso_date(value: str) -> str:
    """An ISO 8601 (partial) date; also reads the Java `Date.toString()` text some old GBIF
    downloads carry ("Tue Apr 01 00:00:00 CET 1930" → "1930-04-01")."""
    value = value.strip()
    if match := _JAVA_DATE.match(value):
        month, day, year = match.groups()
        return dt.datetime.strptime(f"{year} {month} {day}", "%Y %b %d").date().isoformat()
    return value[:10]


@lru_cache(maxsize=32_768)
def event_dates(value: str | None) -> tuple[str | None, str | None]:
    """dwc:eventDate (ISO 8601 date, partial date, or interval a/b) as start and end (cached: bulk
    imports repeat a few thousand dates over millions of rows)."""
    if not value:
        return None, None
    start, _, end = value.partition("/")
    return iso_date(start) or None, iso_date(end) or None


def _date(value: str | None) -> dt.date | None:
    """An ISO date at the start of ``value``, or None (the verbatim text stays in the source record)."""
    try:
        return dt.date.fromisoformat(iso_date(value or ""))
    except ValueError:
        return None


def _float(value: str | None) -> float | None:
    if value in (None, ""):
        return None
    return float(value)


def _names(value: str | None) -> list[str]:
    return [n.strip() for n in re.split(r"[|;]", value or "") if n.strip()]


def collecting_event_values(record: dict[str, str]) -> Values:
    """A core row's CollectingEvent values under the collection service's own rules, checked before
    anything of the row is written, so both importers refuse the same rows with the same reasons."""
    get = record.get
    start, end = event_dates(get(EVENT_DATE))
    try:
        latitude, longitude, uncertainty = _float(get(LATITUDE)), _float(get(LONGITUDE)), _float(get(UNCERTAINTY))
    except ValueError as error:
        raise ClientError(CollectionErrorCode.INVALID_COORDINATES, f"coordinates are not numbers ({error})") from None
    return checked_collecting_event({
        "start_event_date": start, "end_event_date": end,
        "verbatim_event_date": get(VERBATIM_EVENT_DATE) or get(EVENT_DATE),
        "decimal_latitude": latitude, "decimal_longitude": longitude,
        "coordinate_uncertainty_in_meters": uncertainty,
        **{column: get(name) for column, name in EVENT_TERMS.items()}})


def sample_name(record: dict[str, str]) -> str:
    """What an occurrence's MaterialSample is called: the first of its identifiers the row has
    (SAMPLE_NAME_TERMS), else `occurrence-` and a digest of its values (stable: the same row gets the
    same name on every import, so it is found again; different rows get different names)."""
    found = next((value for uri, _ in SAMPLE_NAME_TERMS if (value := record.get(uri))), None)
    if found:
        return found
    digest = hashlib.sha256(orjson.dumps(sorted(record.items()))).hexdigest()
    return f"occurrence-{digest[:16]}"


def occurrence_voucher(record: dict[str, str]) -> Voucher:
    """The voucher a row without an occurrenceID is known by: its codes and its sample name (matched
    against the group's samples without an occurrenceID)."""
    return Voucher(record.get(INSTITUTION_CODE) or None, record.get(COLLECTION_CODE) or None, sample_name(record))


def defect_reason(error: ClientError | InvalidInput) -> str:
    """Why a row was refused, in the service's words, whichever importer refused it."""
    return error.message if isinstance(error, ClientError) else str(error)


def too_long(name: str, limit: int, *, what: str | None = None, where: str = "") -> ClientError:
    """Term ``name``'s value is longer than the ``limit`` of its column (``what``: the value, if not all of it;
    ``where``: the file and row, if not the row refused)."""
    return ClientError(ErrorCode.BAD_USER_INPUT, f"{where}{what or name} is longer than {limit} characters", name)


def length_errors(record: dict[str, str], scientific_name: str | None) -> list[ClientError]:
    """Each value of a core row that is longer than the column it is written to (a database error
    otherwise, which would stop the whole import)."""
    get = record.get
    errors = [too_long(name, limit) for uri, name, limit in WRITTEN_TERMS
              if (value := get(uri)) is not None and len(value) > limit]
    for uri, name in SAMPLE_NAME_TERMS:
        if value := get(uri):
            if len(value) > _SAMPLE["material_sample_name"]:
                errors.append(too_long(name, _SAMPLE["material_sample_name"]))
            break
    if not get(VERBATIM_EVENT_DATE) and len(get(EVENT_DATE) or "") > _EVENT["verbatim_event_date"]:
        errors.append(too_long("eventDate", _EVENT["verbatim_event_date"]))  # kept as the verbatim date
    people = [RECORDED_BY]
    if scientific_name:
        if len(scientific_name) > SCIENTIFIC_NAME_LIMIT:
            errors.append(too_long("scientificName", SCIENTIFIC_NAME_LIMIT))
        errors += [too_long(name, limit) for uri, name, limit in DETERMINATION_TERMS
                   if (value := get(uri)) is not None and len(value) > limit]
        people.append(IDENTIFIED_BY)
    limit = _PERSON["display_name"]
    for uri in people:  # a name is no longer than the list it is in: most rows need no split
        if len(names := get(uri) or "") > limit and any(len(name) > limit for name in _names(names)):
            errors.append(too_long(name := uri[len(DWC):], limit, what=f"a name in {name}"))
    return errors


DCE, XMP_RIGHTS = "http://purl.org/dc/elements/1.1/", "http://ns.adobe.com/xap/1.0/rights/"
# The terms each Media column is read from, first present wins: GBIF Multimedia (dcterms:) and
# Audubon Core (ac:accessURI, dc: literals, xmpRights:) spell the same things differently.
MEDIA_SOURCE_TERMS = {
    "access_uri": (DC + "identifier", AC + "accessURI"), "dc_type": (DC + "type", DCE + "type"),
    "dc_format": (DC + "format", DCE + "format"), "caption": (DC + "title", DC + "description"),
    "license": (DC + "license", XMP_RIGHTS + "UsageTerms"), "rights_holder": (DC + "rightsHolder", XMP_RIGHTS + "Owner"),
}


def media_source_value(row: dict[str, str], column: str) -> str | None:
    """What a multimedia / Audubon row gives for a Media column (MEDIA_SOURCE_TERMS), if anything."""
    return next((value for uri in MEDIA_SOURCE_TERMS[column] if (value := row.get(uri))), None)


def media_values(row: dict[str, str]) -> dict[str, Any]:
    """A multimedia / Audubon extension row as Media fields (the file stays at its URL)."""
    values = {column: media_source_value(row, column) for column in MEDIA_SOURCE_TERMS}
    return values | {"dc_type": values["dc_type"] or "StillImage", "source_record": row,
                     "dc_format": remote_format(values["access_uri"], values["dc_format"])}


@dataclass
class MediaRows:
    """An occurrence's multimedia / Audubon extension rows: the Media values of each, and why any of
    them is refused (its file and row in the message): one refused row refuses the occurrence."""
    values: list[dict[str, Any]] = field(default_factory=list)
    errors: list[ClientError] = field(default_factory=list)


NO_MEDIA = MediaRows()  # an occurrence without media rows (shared: never changed)


def media_by_core_id(archive: Archive) -> dict[str, MediaRows]:
    """The multimedia / Audubon extension rows, checked, by the id of the occurrence they illustrate
    (a row the archive reader refuses, for a NUL character, refuses its occurrence too)."""
    media: dict[str, MediaRows] = {}

    def rows_of(core_id: str | None) -> MediaRows:
        if (rows := media.get(core_id or "")) is None:
            rows = media[core_id or ""] = MediaRows()
        return rows

    for extension in archive.extensions:
        if extension.row_type.rsplit("/", 1)[-1] in MEDIA_ROW_TYPES:
            def refuse(number: int, core_id: str | None, reason: str, location: str = extension.location) -> None:
                rows_of(core_id).errors.append(ClientError(ErrorCode.BAD_USER_INPUT, f"{location} row {number}: {reason}"))

            for number, core_id, row in archive.rows(extension, refuse):
                rows = rows_of(core_id)
                values = media_values(row)
                errors = [too_long("accessURI" if column == "access_uri" and not row.get(DC + "identifier") else name,
                                   limit, where=f"{extension.location} row {number}: ")
                          for column, name, limit in MEDIA_LIMITS if len(values[column] or "") > limit]
                if errors:
                    rows.errors += errors
                else:
                    rows.values.append(values)
    return media


def checked_occurrence(record: dict[str, str], media: MediaRows,
                       taxon_name: str | None = None) -> tuple[Values, list[dict[str, Any]]]:
    """A core row's CollectingEvent values and its media rows' Media values, once every rule both
    importers apply holds: the collecting-event rules, every value no longer than its column, every
    media row accepted. Raises InvalidInput with all the reasons, before anything of the row is written."""
    errors = length_errors(record, record.get(SCIENTIFIC_NAME) or taxon_name)
    errors += media.errors
    try:
        event = collecting_event_values(record)
    except ClientError as error:
        errors.append(error)
    except InvalidInput as error:
        errors += error.errors
    if errors:
        raise InvalidInput(errors)
    return event, media.values


class DwcaImport:
    def __init__(self, session: AsyncSession, archive: Archive, *, group: str, actor: str) -> None:
        self.session, self.archive, self.group, self.actor = session, archive, group, actor
        self.people = SequenceImport(session, group=group, actor=actor, create_missing_samples=False)
        self.collections: dict[tuple[str, str], Any] = {}
        self.report = DwcaReport(archive.name, archive.core_kind, defects=archive.defects)

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
            return await self.session.scalar(select(cm.MaterialSample.id).where(
                cm.MaterialSample.group == self.group, cm.MaterialSample.occurrence_id == occurrence_id).limit(1)) is not None
        return await sample_for_voucher(self.session, occurrence_voucher(record), group=self.group,
                                        without_occurrence_id=True) is not None

    async def occurrence(self, record: dict[str, str], media_rows: MediaRows, scientific_name: str | None) -> None:
        if await self.existing(record):
            self.report.unchanged += 1
            return
        # Checked before anything of the row is written: its institution, collection and collectors too.
        event_values, media_records = checked_occurrence(record, media_rows, scientific_name)
        collection = await self.collection(record.get(INSTITUTION_CODE), record.get(COLLECTION_CODE))
        collectors = [await self.people.person(n) for n in _names(record.get(RECORDED_BY))]
        event = await create_collecting_event(self.session, actor=self.actor, group=self.group,
                                              collector_ids=[p.id for p in collectors], **event_values)
        media_ids = []
        for values in media_records:
            media = await record_remote_media(self.session, actor=self.actor, group=self.group, **values)
            media_ids.append(media.id)
        self.report.media += len(media_ids)
        sample = await create_material_sample(
            self.session, actor=self.actor, group=self.group, material_sample_name=sample_name(record),
            occurrence_id=record.get(OCCURRENCE_ID), collection_id=collection.id if collection else None,
            collecting_event_id=event.id, other_catalog_numbers=_names(record.get(term("otherCatalogNumbers"))),
            attachment_ids=media_ids, source_record=record,
        )
        scientific_name = record.get(SCIENTIFIC_NAME) or scientific_name
        if scientific_name:
            determiners = [await self.people.person(n) for n in _names(record.get(IDENTIFIED_BY))]
            organism = await create_record(self.session, "organism", actor=self.actor, group=self.group,
                                           material_sample_id=sample.id, sex=record.get(term("sex")),
                                           life_stage=record.get(term("lifeStage")))
            await create_record(
                self.session, "determination", actor=self.actor, group=self.group, organism_id=organism.id,
                verbatim_scientific_name=scientific_name, scientific_name=scientific_name, is_primary=True,
                type_status=record.get(term("typeStatus")), determiner_ids=[p.id for p in determiners],
                determined_on=_date(record.get(term("dateIdentified"))),
            )
        self.report.imported += 1

    async def run(self) -> DwcaReport:
        archive = self.archive
        media = media_by_core_id(archive)
        if archive.core_kind == "Taxon":
            await self._checklist(media)
        else:
            await self._occurrences(archive.core, media, {})
        return self.report

    async def _checklist(self, media: dict[str, MediaRows]) -> None:
        names, seen, refused = {}, set(), {}
        location = self.archive.core.location

        def refuse(number: int, taxon_id: str | None, reason: str) -> None:
            """A taxon row with a NUL character: its defect, and the occurrences it names are refused too
            (imported without their name, a later import would leave them so)."""
            self.report.defects.append(Defect(location, number, reason))
            refused[taxon_id or ""] = f"{location} row {number}: {reason}"

        for number, taxon_id, row in self.archive.rows(self.archive.core, refuse):
            self.report.rows += 1
            if taxon_id in seen:
                self.report.defects.append(Defect(location, number, f"duplicate taxonID {taxon_id}"))
                continue
            seen.add(taxon_id)
            names[taxon_id] = row.get(term("scientificName"))
        occurrences = next((e for e in self.archive.extensions if e.row_type.endswith("/Occurrence")), None)
        if occurrences is not None:
            await self._occurrences(occurrences, {}, names, count_rows=False, refused_taxa=refused)

    async def _occurrences(self, data_file: Any, media: dict[str, MediaRows], taxon_names: dict[str, str],
                           count_rows: bool = True, refused_taxa: dict[str, str] | None = None) -> None:
        seen: set[str] = set()
        for number, row_id, row in self.archive.rows(data_file):
            self.report.rows += count_rows
            if data_file is self.archive.core and row_id and row_id in seen:
                self.report.defects.append(Defect(data_file.location, number, f"duplicate id {row_id}"))
                continue
            if refused_taxa and (reason := refused_taxa.get(row_id or "")):
                self.report.defects.append(Defect(data_file.location, number, reason))
                continue
            seen.add(row_id or "")
            try:
                async with self.row():
                    await self.occurrence(row, media.get(row_id or "", NO_MEDIA), taxon_names.get(row_id or ""))
            except (ClientError, InvalidInput) as error:
                self.report.defects.append(Defect(data_file.location, number, defect_reason(error)))


async def import_archive(db: Database, path: Path, *, group: str, actor: str) -> DwcaReport:
    """Import one archive in one transaction; an unreadable archive raises ArchiveError, and whatever
    was already written in that transaction is rolled back: nothing is half-imported."""
    archive = open_archive(path)
    async with db.unit_of_work() as session:
        report = await DwcaImport(session, archive, group=group, actor=actor).run()
    log.info("%s", report.summary())
    return report


__all__ = ["ArchiveError", "DwcaReport", "import_archive"]
