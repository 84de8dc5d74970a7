"""DINA records → a Darwin Core Archive: occurrence core, multimedia extension, EML, meta.xml.

Streamed in batches (keyset over sample ids) into the zip, so memory stays flat however large the
collection. Values an imported record brought keep their exact text (from its source row); records
made in DINA get their terms from the collection, agents and media records. Only real Darwin Core
terms (TDWG's list) and Dublin Core terms are written.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.agents.service import display_names
from subgraphs.collection import models as cm
from subgraphs.core.db import Database
from subgraphs.media.service import media_by_ids

from .archive import DWC, dwc_terms

DC = "http://purl.org/dc/terms/"
BATCH = 500
CORE_TERMS = [
    "occurrenceID", "catalogNumber", "otherCatalogNumbers", "institutionCode", "collectionCode", "basisOfRecord",
    "scientificName", "typeStatus", "identifiedBy", "dateIdentified", "recordedBy", "eventDate", "verbatimEventDate",
    "country", "countryCode", "stateProvince", "locality", "decimalLatitude", "decimalLongitude", "geodeticDatum",
    "coordinateUncertaintyInMeters", "habitat", "sex", "lifeStage",
]
# fieldsEnclosedBy="": values are written as they are (quotes included); _clean takes out tabs and newlines.
TAB_SEPARATED: dict[str, Any] = {"delimiter": "\t", "lineterminator": "\n", "quoting": csv.QUOTE_NONE, "quotechar": None}
MEDIA_TERMS = [DC + t for t in ("identifier", "type", "format", "title", "license", "rightsHolder", "creator")]


def exportable(term: str) -> bool:
    return (term.startswith(DWC) and term[len(DWC):] in dwc_terms()) or term.startswith(DC)


async def _samples(session: AsyncSession, collection_code: str | None) -> AsyncIterator[list[Any]]:
    after = None
    while True:
        statement = (select(cm.MaterialSample, cm.CollectingEvent, cm.Collection, cm.Institution)
                     .outerjoin(cm.CollectingEvent).outerjoin(cm.Collection)
                     .outerjoin(cm.Institution, cm.Collection.institution_id == cm.Institution.id)
                     .order_by(cm.MaterialSample.id).limit(BATCH))
        if collection_code:
            statement = statement.where(cm.Collection.code == collection_code)
        if after is not None:
            statement = statement.where(cm.MaterialSample.id > after)
        rows = (await session.execute(statement)).all()
        if not rows:
            return
        yield rows
        after = rows[-1][0].id


async def _determinations(session: AsyncSession, sample_ids: list[Any]) -> dict[Any, Any]:
    rows = await session.execute(
        select(cm.Organism.material_sample_id, cm.Organism, cm.Determination).join(cm.Determination)
        .where(cm.Organism.material_sample_id.in_(sample_ids), cm.Determination.is_primary))
    return {sample_id: (organism, determination) for sample_id, organism, determination in rows}


def _derived(sample: Any, event: Any, collection: Any, institution: Any, found: Any, people: dict) -> dict[str, str]:
    organism, determination = found or (None, None)
    values: dict[str, Any] = {
        "occurrenceID": sample.occurrence_id or f"urn:uuid:{sample.id}",
        "catalogNumber": sample.material_sample_name,
        "otherCatalogNumbers": " | ".join(sample.other_catalog_numbers or []),
        "institutionCode": institution.code if institution else None,
        "collectionCode": collection.code if collection else None,
        "basisOfRecord": "PreservedSpecimen",
        "scientificName": determination.scientific_name if determination else None,
        "typeStatus": determination.type_status if determination else None,
        "identifiedBy": " | ".join(people.get(i, "") for i in determination.determiner_ids) if determination else None,
        "dateIdentified": determination.determined_on.isoformat() if determination and determination.determined_on else None,
        "sex": organism.sex if organism else None,
        "lifeStage": organism.life_stage if organism else None,
    }
    if event is not None:
        dates = [d for d in (event.start_event_date, event.end_event_date) if d]
        values |= {
            "recordedBy": " | ".join(people.get(i, "") for i in event.collector_ids), "eventDate": "/".join(dates),
            "verbatimEventDate": event.verbatim_event_date, "country": event.country,
            "countryCode": event.country_code, "stateProvince": event.state_province,
            "locality": event.verbatim_locality, "decimalLatitude": event.decimal_latitude,
            "decimalLongitude": event.decimal_longitude, "geodeticDatum": event.geodetic_datum,
            "coordinateUncertaintyInMeters": event.coordinate_uncertainty_in_meters, "habitat": event.habitat,
        }
    return {DWC + k: str(v) for k, v in values.items() if v not in (None, "")}


def _meta_xml(core_terms: list[str], media: bool) -> str:
    def fields(terms: list[str], offset: int) -> str:
        return "\n".join(f'    <field index="{i + offset}" term={quoteattr(t)}/>' for i, t in enumerate(terms))

    extension = f"""
  <extension encoding="UTF-8" fieldsTerminatedBy="\\t" linesTerminatedBy="\\n" fieldsEnclosedBy="" ignoreHeaderLines="1"
             rowType="http://rs.gbif.org/terms/1.0/Multimedia">
    <files><location>multimedia.txt</location></files>
    <coreid index="0"/>
{fields(MEDIA_TERMS, 1)}
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


async def export_archive(db: Database, out: Path, collection_code: str | None = None) -> int:
    """Write the archive to ``out``; returns the number of occurrences."""
    async with db.unit_of_work() as session:
        terms_query = select(cm.MaterialSample.source_record)
        source_terms = {t for (record,) in await session.execute(terms_query) for t in record}
        terms = [DWC + t for t in CORE_TERMS] + sorted(t for t in source_terms if exportable(t) and
                                                        t not in {DWC + c for c in CORE_TERMS})
        count, media_rows = 0, tempfile.TemporaryFile("w+", encoding="utf-8")
        media_writer = csv.writer(media_rows, **TAB_SEPARATED)
        media_writer.writerow(["coreid", *(t.rsplit("/", 1)[-1] for t in MEDIA_TERMS)])
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            with archive.open("occurrence.txt", "w", force_zip64=True) as raw:
                core = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                writer = csv.writer(core, **TAB_SEPARATED)
                writer.writerow([t.rsplit("/", 1)[-1] for t in terms])
                async for rows in _samples(session, collection_code):
                    found = await _determinations(session, [r[0].id for r in rows])
                    person_ids = {i for s, e, *_ in rows for i in (e.collector_ids if e else [])}
                    person_ids |= {i for _, d in found.values() for i in d.determiner_ids}
                    people = await display_names(session, list(person_ids))
                    media = await media_by_ids(session, [i for r in rows for i in r[0].attachment_ids])
                    for sample, event, collection, institution in rows:
                        values = _derived(sample, event, collection, institution, found.get(sample.id), people)
                        values |= sample.source_record  # imported text wins: the round trip keeps every value
                        writer.writerow([_clean(values.get(t, "")) for t in terms])
                        for media_id in sample.attachment_ids:
                            item = media.get(media_id)
                            if item is None:
                                continue
                            derived = {DC + "identifier": item.access_uri or "", DC + "type": item.dc_type,
                                       DC + "format": item.dc_format, DC + "title": item.caption or "",
                                       DC + "license": item.license or "", DC + "rightsHolder": item.rights_holder or ""}
                            derived |= {k: v for k, v in item.source_record.items() if k in MEDIA_TERMS}
                            media_writer.writerow([values[DWC + "occurrenceID"],
                                                   *(_clean(derived.get(t, "")) for t in MEDIA_TERMS)])
                        count += 1
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
