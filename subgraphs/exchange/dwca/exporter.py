"""DINA records → a Darwin Core Archive: occurrence core, Audubon Core media extension, EML, meta.xml.

Streamed in batches (keyset over sample ids) into the zip, so memory stays flat however large the
collection. A record is written as it is now: each term DINA models (the sample's names and codes, its
collecting event, its current primary determination, its media's fields) is compared with what the
import made of the source row; unchanged, it is written with the source's exact text (so a round trip
changes no value, and a value the import only inferred — a media type guessed from a URL, a sample
named by its occurrenceID — is not written as if the publisher had given it); changed since, it is
written as it is now. Terms DINA does not model come from the source row. basisOfRecord is the
sample's (as the source wrote it, or as edited since), else follows the sample type. A restricted
sample (restrictions.py) is left out; a restricted event's coordinates are generalized, with
dataGeneralizations saying how, and its verbatim coordinates left out. Sequences made from a sample are its associatedSequences.
Only real Darwin Core terms (TDWG's list) and Dublin Core terms are written to the core.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
import zipfile
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.agents.repository import display_names
from subgraphs.collection import repository as collection_repository
from subgraphs.collection.restrictions import PRECISE_PLACE, generalized, restricted
from subgraphs.collection.taxonomy.service import darwin_core_terms
from subgraphs.collection.vocabularies import SAMPLE_VOCABULARIES
from subgraphs.core.base.errors import ClientError
from subgraphs.core.data.db import Database
from subgraphs.core.writes.mutations import InvalidInput
from subgraphs.media.repository import media_by_ids
from subgraphs.molecular.service import sequence_labels_by_sample

from .archive import DWC, dwc_terms
from .extensions import NONE as NO_EXTENSION_ROWS
from .mapping import (
    AC,
    DC,
    DCE,
    XMP_RIGHTS,
    _names,
    determinations,
    mapped_event,
    media_source_value,
    media_values,
    sample_name,
    sample_vocabulary_values,
)

AUDUBON_MULTIMEDIA = AC + "Multimedia"
BATCH = 500
CORE_TERMS = [
    "occurrenceID", "catalogNumber", "otherCatalogNumbers", "institutionCode", "collectionCode", "basisOfRecord",
    "scientificName", "typeStatus", "identifiedBy", "dateIdentified", "recordedBy", "eventDate", "verbatimEventDate",
    "country", "countryCode", "stateProvince", "locality", "decimalLatitude", "decimalLongitude", "geodeticDatum",
    "coordinateUncertaintyInMeters", "dataGeneralizations", "habitat", "sex", "lifeStage", "establishmentMeans",
    "degreeOfEstablishment", "associatedSequences",
]
# Written from the primary determination's taxon, when it links one (collection.taxonomy): they win over the source's.
TAXON_TERMS = ["taxonID", "scientificNameAuthorship", "taxonRank", "taxonomicStatus", "acceptedNameUsageID",
               "acceptedNameUsage", "kingdom", "phylum", "class", "order", "superfamily", "family", "subfamily", "tribe",
               "subtribe", "genus", "subgenus"]
# Terms whose value follows the DINA record (the rest of a row is the source's).
MODELLED = {DWC + t for t in CORE_TERMS} - {DWC + "associatedSequences"}
# fieldsEnclosedBy="": values are written as they are (quotes included); _clean takes out tabs and newlines.
TAB_SEPARATED: dict[str, Any] = {"delimiter": "\t", "lineterminator": "\n", "quoting": csv.QUOTE_NONE, "quotechar": None}
# Audubon Core terms of the media extension: the Media column each is written from (creator: the source's).
MEDIA_TERMS = {AC + "accessURI": "access_uri", DCE + "type": "dc_type", DCE + "format": "dc_format",
               DC + "title": "caption", XMP_RIGHTS + "UsageTerms": "license", XMP_RIGHTS + "Owner": "rights_holder",
               DCE + "creator": None}
# A sample's DINA material sample type → its dwc:basisOfRecord, when it has none.
BASIS_OF_RECORD = {"WHOLE_ORGANISM": "PreservedSpecimen", "CULTURE_STRAIN": "LivingSpecimen",
                   "ORGANISM_PART": "MaterialSample", "MOLECULAR_SAMPLE": "MaterialSample",
                   "MIXED_ORGANISMS": "MaterialSample"}


def exportable(term: str) -> bool:
    return (term.startswith(DWC) and term[len(DWC):] in dwc_terms()) or term.startswith(DC)


async def _samples(session: AsyncSession, collection_code: str | None) -> AsyncIterator[list[Any]]:
    after = None
    while rows := (await session.execute(collection_repository.samples_page(collection_code, after, BATCH))).all():
        yield rows
        after = rows[-1][0].id


EVENT_COLUMNS = ("start_event_date", "end_event_date", "verbatim_event_date", "country", "country_code",
                 "state_province", "verbatim_locality", "decimal_latitude", "decimal_longitude", "geodetic_datum",
                 "coordinate_uncertainty_in_meters", "habitat")


def occurrence_terms(v: dict[str, Any]) -> dict[str, str]:
    """The Darwin Core terms of a sample's DINA values (``v``: column names, people as display names)."""
    dates = [d for d in (v.get("start_event_date"), v.get("end_event_date")) if d]
    values = {
        "occurrenceID": v.get("occurrence_id"), "catalogNumber": v.get("material_sample_name"),
        **{vocabulary.term: v.get(column) for column, vocabulary in SAMPLE_VOCABULARIES.items()},
        "otherCatalogNumbers": " | ".join(v.get("other_catalog_numbers") or []),
        "institutionCode": v.get("institution_code"), "collectionCode": v.get("collection_code"),
        "scientificName": v.get("scientific_name"), "typeStatus": v.get("type_status"),
        "identifiedBy": " | ".join(v.get("determiners") or []),
        "dateIdentified": v["determined_on"].isoformat() if v.get("determined_on") else None,
        "sex": v.get("sex"), "lifeStage": v.get("life_stage"), "recordedBy": " | ".join(v.get("collectors") or []),
        "eventDate": "/".join(dates), "verbatimEventDate": v.get("verbatim_event_date"), "country": v.get("country"),
        "countryCode": v.get("country_code"), "stateProvince": v.get("state_province"),
        "locality": v.get("verbatim_locality"), "decimalLatitude": v.get("decimal_latitude"),
        "decimalLongitude": v.get("decimal_longitude"), "geodeticDatum": v.get("geodetic_datum"),
        "coordinateUncertaintyInMeters": v.get("coordinate_uncertainty_in_meters"), "habitat": v.get("habitat"),
        "dataGeneralizations": v.get("data_generalizations"),
    }
    return {DWC + k: str(value) for k, value in values.items() if value not in (None, "")}


def current_values(sample: Any, event: Any, collection: Any, institution: Any, found: Any,
                   people: dict) -> dict[str, Any]:
    """The sample's values as they are now: its own, its collecting event's, its primary determination's."""
    organism, determination = found or (None, None)
    values: dict[str, Any] = {
        "occurrence_id": sample.occurrence_id, "material_sample_name": sample.material_sample_name,
        **{column: getattr(sample, column) for column in SAMPLE_VOCABULARIES}, "other_catalog_numbers": sample.other_catalog_numbers,
        "institution_code": institution.code if institution else None,
        "collection_code": collection.code if collection else None,
        "sex": organism.sex if organism else None, "life_stage": organism.life_stage if organism else None}
    if determination is not None:
        values |= {"scientific_name": determination.scientific_name, "type_status": determination.type_status,
                   "determined_on": determination.determined_on,
                   "determiners": [people.get(i, "") for i in determination.determiner_ids]}
    if event is not None:
        values |= {column: getattr(event, column) for column in EVENT_COLUMNS}
        values["collectors"] = [people.get(i, "") for i in event.collector_ids]
        if (restricted(event.publicly_releasable, event.embargo_end_date) and event.decimal_latitude is not None
                and event.decimal_longitude is not None):
            values |= vars(generalized(event.decimal_latitude, event.decimal_longitude,
                                       event.coordinate_uncertainty_in_meters))
    return values


def imported_values(source: dict[str, str]) -> dict[str, Any]:
    """The values the import made of a source row (mapping.py, the importers' mapping): what the record
    held before anyone edited it."""
    get = source.get
    try:
        event = mapped_event(source, NO_EXTENSION_ROWS, "", None).event
    except (ClientError, InvalidInput):
        event = {}
    institution, collection = get(DWC + "institutionCode"), get(DWC + "collectionCode")
    named = get(DWC + "scientificName")
    own = determinations(source, NO_EXTENSION_ROWS, None, [], "", None) if named else []
    return event | {
        "occurrence_id": get(DWC + "occurrenceID"), "material_sample_name": sample_name(source),
        **sample_vocabulary_values(source),
        "other_catalog_numbers": _names(get(DWC + "otherCatalogNumbers")), "institution_code": institution,
        "collection_code": collection or institution, "collectors": _names(get(DWC + "recordedBy")),
        "scientific_name": named, "type_status": get(DWC + "typeStatus") if named else None,
        "determiners": _names(get(DWC + "identifiedBy")) if named else [],
        "determined_on": own[0]["determined_on"] if own else None,
        "sex": get(DWC + "sex") if named else None, "life_stage": get(DWC + "lifeStage") if named else None}


def record_terms(sample: Any, current: dict[str, Any], sequences: list[str]) -> dict[str, str]:
    """The sample's core row: source text where the DINA value is still what the import made of it, the
    value as it is now where it changed, the source's other terms, basisOfRecord and associatedSequences."""
    source = sample.source_record or {}
    now = occurrence_terms(current)
    imported = occurrence_terms(imported_values(source)) if source else {}
    hidden = PRECISE_PLACE if current.get("data_generalizations") else set()
    terms = {t: v for t, v in source.items() if t not in MODELLED and t not in hidden}
    for term in MODELLED:
        value = source.get(term) if source and now.get(term) == imported.get(term) else now.get(term)
        if value:
            terms[term] = value
    terms.setdefault(DWC + "occurrenceID", f"urn:uuid:{sample.id}")  # the core id: every row needs one
    terms.setdefault(DWC + "basisOfRecord", BASIS_OF_RECORD.get(sample.material_sample_type or "", "MaterialSample"))
    if sequences:
        terms[DWC + "associatedSequences"] = " | ".join(sequences)
    return terms


def media_terms(item: Any) -> dict[str, str]:
    """An Audubon Core row of a Media record: for imported media, a value the source row did not give
    (a type or format the import inferred) is left out unless it was edited since."""
    source = item.source_record or {}
    imported = media_values(source) if source else {}
    row = {}
    for term, column in MEDIA_TERMS.items():
        if column is None:
            value = source.get(DC + "creator") or source.get(DCE + "creator")
        elif source and media_source_value(source, column) is None and getattr(item, column) == imported[column]:
            value = None
        else:
            value = getattr(item, column)
        if value:
            row[term] = value
    return row


def _meta_xml(core_terms: list[str], media: bool) -> str:
    def fields(terms: list[str], offset: int) -> str:
        return "\n".join(f'    <field index="{i + offset}" term={quoteattr(t)}/>' for i, t in enumerate(terms))

    extension = f"""
  <extension encoding="UTF-8" fieldsTerminatedBy="\\t" linesTerminatedBy="\\n" fieldsEnclosedBy="" ignoreHeaderLines="1"
             rowType="{AUDUBON_MULTIMEDIA}">
    <files><location>multimedia.txt</location></files>
    <coreid index="0"/>
{fields(list(MEDIA_TERMS), 1)}
  </extension>""" if media else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<archive xmlns="http://rs.tdwg.org/dwc/text/" metadata="eml.xml">
  <core encoding="UTF-8" fieldsTerminatedBy="\\t" linesTerminatedBy="\\n" fieldsEnclosedBy="" ignoreHeaderLines="1"
        rowType="http://rs.tdwg.org/dwc/terms/Occurrence">
    <files><location>occurrence.txt</location></files>
    <id index="0"/>
{fields(core_terms, 0)}
  </core>{extension}
</archive>
"""


def _eml(title: str) -> str:
    today = dt.date.today().isoformat()
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<eml:eml xmlns:eml="eml://ecoinformatics.org/eml-2.1.1" packageId="dina-graph-{today}" system="dina-graph">
  <dataset>
    <title>{escape(title)}</title>
    <creator><organizationName>DINA Graph</organizationName></creator>
    <pubDate>{today}</pubDate>
    <abstract><para>Exported from DINA Graph.</para></abstract>
  </dataset>
</eml:eml>
"""


def _clean(value: str) -> str:
    return value.replace("\t", " ").replace("\r", " ").replace("\n", " ")


async def export_archive(db: Database, out: Path, collection_code: str | None = None,
                         progress: Callable[[int], None] | None = None) -> int:
    """Write the archive to ``out``; returns the number of occurrences. ``progress(occurrences written)``
    is called after each batch."""
    async with db.unit_of_work() as session:
        source_terms = await collection_repository.source_terms(session)
        first = CORE_TERMS + [t for t in TAXON_TERMS if await collection_repository.any_taxon_link(session)]
        terms = [DWC + t for t in first] + sorted(t for t in source_terms if exportable(t) and
                                                  t not in {DWC + c for c in first})
        count, media_rows = 0, tempfile.TemporaryFile("w+", encoding="utf-8")
        media_writer = csv.writer(media_rows, **TAB_SEPARATED)
        media_writer.writerow(["coreid", *(t.rsplit("/", 1)[-1] for t in MEDIA_TERMS)])
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            with archive.open("occurrence.txt", "w", force_zip64=True) as raw:
                core = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                writer = csv.writer(core, **TAB_SEPARATED)
                writer.writerow([t.rsplit("/", 1)[-1] for t in terms])
                async for rows in _samples(session, collection_code):
                    sample_ids = [r[0].id for r in rows]
                    found = await collection_repository.primary_determinations(session, sample_ids)
                    taxa = await darwin_core_terms(session, [d.taxon_id for _, d in found.values() if d.taxon_id])
                    sequences = await sequence_labels_by_sample(session, sample_ids)
                    person_ids = {i for s, e, *_ in rows for i in (e.collector_ids if e else [])}
                    person_ids |= {i for _, d in found.values() for i in d.determiner_ids}
                    people = await display_names(session, list(person_ids))
                    media = await media_by_ids(session, [i for r in rows for i in r[0].attachment_ids])
                    for sample, event, collection, institution in rows:
                        if restricted(sample.publicly_releasable, sample.embargo_end_date):
                            continue  # not to be published
                        current = current_values(sample, event, collection, institution, found.get(sample.id), people)
                        values = record_terms(sample, current, sequences.get(sample.id, []))
                        _, determination = found.get(sample.id, (None, None))
                        if determination is not None and determination.taxon_id in taxa:
                            values |= {DWC + k: v for k, v in taxa[determination.taxon_id].items()}
                        writer.writerow([_clean(values.get(t, "")) for t in terms])
                        for media_id in sample.attachment_ids:
                            if (item := media.get(media_id)) is not None:
                                row = media_terms(item)
                                media_writer.writerow([values[DWC + "occurrenceID"],
                                                       *(_clean(row.get(t, "")) for t in MEDIA_TERMS)])
                        count += 1
                    if progress:
                        progress(count)
                core.flush()
                core.detach()
            media_rows.seek(0)
            has_media = len(media_rows.readline()) > 0 and bool(media_rows.read(1))
            media_rows.seek(0)
            if has_media:
                with archive.open("multimedia.txt", "w", force_zip64=True) as raw:
                    while chunk := media_rows.read(1 << 16):
                        raw.write(chunk.encode())
            archive.writestr("meta.xml", _meta_xml(terms, has_media))
            archive.writestr("eml.xml", _eml(f"DINA Graph export{f' of collection {collection_code}' if collection_code else ''}"))
    return count
