"""The one mapping from Darwin Core rows to DINA records, shared by both importers (importer.py row by
row through the services, bulk.py with COPY), so they store, flag and refuse the same things.

A core row (with its extension rows, extensions.py) becomes a MappedOccurrence: its CollectingEvent
values (what cannot be read left out and flagged, issues.py), its determinations (the core's own, current
one and the Identification history), measurements, other catalogue numbers and media. Only what no
column could hold refuses the row: a value longer than its column, a media row that does not fit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

import orjson

from subgraphs.agents.repository import PERSON_LIMITS
from subgraphs.collection.repository import LIMITS
from subgraphs.collection.vocabularies import SAMPLE_VOCABULARIES
from subgraphs.collection.vouchers import Voucher
from subgraphs.core.base.errors import ClientError, ErrorCode
from subgraphs.core.writes.crud import Values
from subgraphs.core.writes.mutations import InvalidInput
from subgraphs.media.repository import MEDIA_LIMITS
from subgraphs.media.service import remote_format

from .archive import DWC
from .dates import first_day
from .extensions import ExtensionRows
from .issues import Flag, Flagger, Issue, event_values

DC = "http://purl.org/dc/terms/"
AC = "http://rs.tdwg.org/ac/terms/"
DCE, XMP_RIGHTS = "http://purl.org/dc/elements/1.1/", "http://ns.adobe.com/xap/1.0/rights/"


def term(name: str) -> str:
    return DWC + name


EVENT_DATE, VERBATIM_EVENT_DATE = term("eventDate"), term("verbatimEventDate")
# CollectingEvent columns read as they are from a core row's terms.
EVENT_TERMS = {"verbatim_locality": term("locality"), "country": term("country"),
               "country_code": term("countryCode"), "state_province": term("stateProvince"),
               "geodetic_datum": term("geodeticDatum"), "habitat": term("habitat")}
SCIENTIFIC_NAME, RECORDED_BY, IDENTIFIED_BY = term("scientificName"), term("recordedBy"), term("identifiedBy")
DATE_IDENTIFIED, TYPE_STATUS, OCCURRENCE_ID = term("dateIdentified"), term("typeStatus"), term("occurrenceID")
INSTITUTION_CODE, COLLECTION_CODE = term("institutionCode"), term("collectionCode")
SEX, LIFE_STAGE = term("sex"), term("lifeStage")
# A determination's terms, in the order determinations() reads them.
DETERMINATION_FIELDS = (SCIENTIFIC_NAME, IDENTIFIED_BY, DATE_IDENTIFIED, TYPE_STATUS)


# The column limits a row's values are checked against, read from the repositories once (not per row).
_SAMPLE, _EVENT, _INSTITUTION, _COLLECTION, _ORGANISM, _DETERMINATION = (LIMITS[name] for name in (
    "material_sample", "collecting_event", "institution", "collection", "organism", "determination"))
_PERSON, _MEDIA = PERSON_LIMITS, MEDIA_LIMITS
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
# An Identification row's values of limited length: (term name, determination column, most characters).
IDENTIFICATION_LIMITS = (("scientificName", "scientific_name", SCIENTIFIC_NAME_LIMIT),
                         ("typeStatus", "type_status", _DETERMINATION["type_status"]))
# The terms a sample is named by, in the order sample_name() tries them.
SAMPLE_NAME_TERMS = tuple((term(name), name) for name in ("catalogNumber", "occurrenceID", "materialSampleID"))
# Media columns of limited length an extension row fills: (column, term name, most characters).
MEDIA_LIMITS = tuple((column, name, _MEDIA[column]) for column, name in (
    ("access_uri", "identifier"), ("dc_type", "type"), ("dc_format", "format"), ("license", "license"),
    ("rights_holder", "rightsHolder")))


def _names(value: str | None) -> list[str]:
    return [n.strip() for n in re.split(r"[|;]", value or "") if n.strip()]


def collecting_event_values(record: dict[str, str], flag: Flagger) -> Values:
    """A core row's CollectingEvent values under the collection service's own rules: a value they
    refuse is left out and flagged (issues.py), so both importers flag the same values."""
    return {**event_values(record, EVENT_TERMS, flag),
            "verbatim_event_date": record.get(VERBATIM_EVENT_DATE) or record.get(EVENT_DATE)}


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
    against the group's samples without an occurrenceID, collection.vouchers)."""
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


# The terms each Media column is read from, first present wins: GBIF Multimedia (dcterms:) and
# Audubon Core (ac:accessURI, dc: literals, xmpRights:) spell the same things differently.
MEDIA_SOURCE_TERMS = {
    "access_uri": (DC + "identifier", AC + "accessURI"), "dc_type": (DC + "type", DCE + "type"),
    "dc_format": (DC + "format", DCE + "format"), "caption": (DC + "title", DC + "description"),
    "license": (DC + "license", XMP_RIGHTS + "UsageTerms"), "rights_holder": (DC + "rightsHolder", XMP_RIGHTS + "Owner"),
}


def media_source_value(row: dict[str, str], column: str) -> str | None:
    """What a media extension row gives for a Media column (MEDIA_SOURCE_TERMS), if anything."""
    return next((value for uri in MEDIA_SOURCE_TERMS[column] if (value := row.get(uri))), None)


def media_values(row: dict[str, str]) -> dict[str, Any]:
    """A media extension row (GBIF Multimedia / Image, Audubon Core, EOL Document) as Media fields (the
    file stays at its URL)."""
    values = {column: media_source_value(row, column) for column in MEDIA_SOURCE_TERMS}
    return values | {"dc_type": values["dc_type"] or "StillImage", "source_record": row,
                     "dc_format": remote_format(values["access_uri"], values["dc_format"])}


def media_errors(values: dict[str, Any], row: dict[str, str], where: str) -> list[ClientError]:
    """Why a media row's values do not fit their columns (``where``: its file and row)."""
    return [too_long("accessURI" if column == "access_uri" and not row.get(DC + "identifier") else name,
                     limit, where=where)
            for column, name, limit in MEDIA_LIMITS if len(values[column] or "") > limit]


@dataclass
class MappedEvent:
    """A core row's CollectingEvent values, the measurements that describe it, and its flags."""

    event: Values
    measurements: list[dict[str, str]]
    flags: list[Flag]

    @property
    def issues(self) -> list[str]:
        return sorted({str(f.issue) for f in self.flags})


@dataclass
class MappedOccurrence(MappedEvent):
    """An occurrence's records: its event (MappedEvent) and sample values."""

    determinations: list[Values] = field(default_factory=list)  # their `determiners`: names, not ids yet
    media: list[dict[str, Any]] = field(default_factory=list)
    other_catalog_numbers: list[str] = field(default_factory=list)
    associations: list[dict[str, str]] = field(default_factory=list)
    citations: list[dict[str, str]] = field(default_factory=list)
    vocabulary_values: dict[str, str | None] = field(default_factory=dict)  # by column: basis_of_record, …


def _flagger(flags: list[Flag], file: str, row: int | None) -> Flagger:
    return lambda term_name, value, issue: flags.append(Flag(file, row, term_name, value, issue))


def mapped_event(record: dict[str, str], extras: ExtensionRows, file: str, row: int | None) -> MappedEvent:
    """An Event core row (or the event part of an occurrence row)."""
    flags: list[Flag] = []
    return MappedEvent(collecting_event_values(record, _flagger(flags, file, row)), list(extras.measurements), flags)


def determinations(record: dict[str, str], extras: ExtensionRows, taxon_name: str | None,
                   flags: list[Flag], file: str, row: int | None) -> list[Values]:
    """The core row's own determination (current: primary) and each Identification row not the same
    as it; without a core name, the most recently dated identification is primary. A date that cannot
    be read is flagged where it is (the core row, or the identification row)."""
    own = tuple(record.get(uri) for uri in DETERMINATION_FIELDS)
    own = (own[0] or taxon_name, *own[1:])
    found = [(own, file, row)] if own[0] else []
    for location, number, values in extras.identifications:
        other = tuple(values.get(uri) for uri in DETERMINATION_FIELDS)
        if other[0] and other[:3] != own[:3]:
            found.append((other, location, number))
    mapped = []
    for (name, identified_by, date, type_status), location, number in found:
        try:
            determined_on = first_day(date) if date else None
        except ValueError:
            flags.append(Flag(location, number, "dwc:dateIdentified", date, Issue.IDENTIFIED_DATE_INVALID))
            determined_on = None
        mapped.append({"scientific_name": name, "verbatim_scientific_name": name, "type_status": type_status,
                       "determiners": _names(identified_by), "determined_on": determined_on, "is_primary": False})
    if mapped:
        primary = mapped[0] if own[0] else max(reversed(mapped), key=lambda v: v["determined_on"] or dt.date.min)
        primary["is_primary"] = True
    return mapped


def sample_values(record: dict[str, str], mapped: MappedOccurrence) -> Values:
    """An occurrence's MaterialSample values, but for the ids of the records it names (its collection,
    collecting event and media), which each importer knows its own way."""
    return {"material_sample_name": sample_name(record), "occurrence_id": record.get(OCCURRENCE_ID),
            "other_catalog_numbers": mapped.other_catalog_numbers, "source_record": record, "issues": mapped.issues,
            "measurements": mapped.measurements, "associations": mapped.associations, "citations": mapped.citations,
            **mapped.vocabulary_values}


def organism_values(record: dict[str, str]) -> Values:
    """The Organism of an occurrence with determinations (its sample's id aside)."""
    return {"sex": record.get(SEX), "life_stage": record.get(LIFE_STAGE)}


def sample_vocabulary_values(record: dict[str, str]) -> dict[str, str | None]:
    """The row's basisOfRecord, establishmentMeans and degreeOfEstablishment in their vocabularies'
    spelling, by sample column (None: absent, or no value of the vocabulary — kept in the source record)."""
    return {column: vocabulary.read(record.get(term(vocabulary.term))) for column, vocabulary in SAMPLE_VOCABULARIES.items()}


def checked_occurrence(record: dict[str, str], extras: ExtensionRows, file: str, row: int | None,
                       taxon_name: str | None = None) -> MappedOccurrence:
    """A core row's records once every rule both importers apply holds (every value no longer than
    its column, every media row accepted): raises InvalidInput with all the reasons, before anything of
    the row is written. Values that cannot be read are flagged, not refused."""
    errors = length_errors(record, record.get(SCIENTIFIC_NAME) or taxon_name) + extras.errors
    event = mapped_event(record, extras, file, row)
    found = determinations(record, extras, taxon_name, event.flags, file, row)
    errors += [too_long(name, limit, where="an identification's ") for d in found[1:]
               for name, column, limit in IDENTIFICATION_LIMITS if len(d[column] or "") > limit]
    if errors:
        raise InvalidInput(errors)
    vocabulary_values = sample_vocabulary_values(record)
    if (given := record.get(term("basisOfRecord"))) and vocabulary_values["basis_of_record"] is None:
        event.flags.append(Flag(file, row, "dwc:basisOfRecord", given, Issue.BASIS_OF_RECORD_INVALID))
    return MappedOccurrence(event.event, event.measurements, event.flags, determinations=found,
                            media=extras.media, other_catalog_numbers=[
                                *_names(record.get(term("otherCatalogNumbers"))), *extras.identifiers],
                            associations=extras.associations, citations=extras.citations,
                            vocabulary_values=vocabulary_values)
