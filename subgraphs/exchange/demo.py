"""A small demo data set from real third-party records (see demo_data/README.md).

Two GenBank records become sequences linked to the specimens and collectors they name;
two iNaturalist photos become media attached to photo-vouchered samples.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from Bio import SeqIO
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.agents.service import create_person
from subgraphs.collection.models import MaterialSample
from subgraphs.collection.service import create_collecting_event, create_material_sample
from subgraphs.core.db import Database
from subgraphs.core.storage import ObjectStore
from subgraphs.media.service import ingest
from subgraphs.molecular.service import create_sequence

DEMO_DATA = Path(__file__).parent / "demo_data"
GROUP = "demo"
ACTOR = "dina-graph demo loader"
log = logging.getLogger("dina.demo")


@dataclass(frozen=True)
class PhotoVoucher:
    filename: str
    sample_name: str
    caption: str
    creator: str
    locality: str
    country_code: str
    latitude: float
    longitude: float
    date: dt.date


PHOTOS = [
    PhotoVoucher(
        "gecko-foot-malaysia.jpg", "iNat photo voucher: Gekko smithii, Penang",
        "Foot of a giant forest gecko (Gekko smithii)", "Tony Iwane",
        "Penang Island", "MY", 5.4182, 100.2472, dt.date(2020, 1, 16),
    ),
    PhotoVoucher(
        "cuthona_abronia-tagged.jpg", "iNat photo voucher: Cuthona abronia",
        "Cuthona abronia, a nudibranch", "iNaturalist observer",
        "Pacific coast, California", "US", 37.4945, -122.4993, dt.date(2013, 7, 24),
    ),
]


def _lat_lon(text: str) -> tuple[float, float]:
    """INSDC `/lat_lon` ("43.25 N 4.08 W") as signed decimal degrees."""
    lat, ns, lon, ew = text.split()
    return float(lat) * (1 if ns == "N" else -1), float(lon) * (1 if ew == "E" else -1)


async def _person(session: AsyncSession, people: dict[str, object], name: str) -> object:
    if name not in people:
        given, _, family = name.rpartition(" ")
        people[name] = await create_person(
            session, actor=ACTOR, group=GROUP, display_name=name,
            given_names=given or None, family_names=family,
        )
    return people[name]


async def _sequence_records(session: AsyncSession, people: dict[str, object]) -> None:
    for path in sorted(DEMO_DATA.glob("*.gb")):
        record = SeqIO.read(path, "genbank")
        source = next(f for f in record.features if f.type == "source").qualifiers
        collector = await _person(session, people, source["collected_by"][0])
        latitude, longitude = _lat_lon(source["lat_lon"][0])
        verbatim_date = source["collection_date"][0]
        date = dt.datetime.strptime(verbatim_date, "%d-%b-%Y").date()
        event = await create_collecting_event(
            session, actor=ACTOR, group=GROUP, verbatim_event_date=verbatim_date,
            start_event_date=date.isoformat(),
            verbatim_locality=source.get("country", [None])[0],
            decimal_latitude=latitude, decimal_longitude=longitude, collector_ids=[collector.id],
        )
        voucher = source.get("specimen_voucher", [None])[0]
        sample = await create_material_sample(
            session, actor=ACTOR, group=GROUP, collecting_event_id=event.id,
            material_sample_name=voucher or source.get("strain", [record.id])[0],
        )
        accession, version = record.id.split(".")
        await create_sequence(
            session, actor=ACTOR, group=GROUP, accession=accession,
            accession_version=int(version), definition=record.description,
            organism=source["organism"][0], molecule_type=record.annotations.get("molecule_type"),
            residues=str(record.seq), specimen_voucher=voucher, material_sample_id=sample.id,
        )


async def _photo_vouchers(session: AsyncSession, people: dict[str, object], store: ObjectStore) -> None:
    for photo in PHOTOS:
        creator = await _person(session, people, photo.creator)
        media = await ingest(
            session, store, (DEMO_DATA / photo.filename).read_bytes(), actor=ACTOR, group=GROUP,
            filename=photo.filename, media_type="image/jpeg", caption=photo.caption, creator_id=creator.id,
            license="https://opensource.org/license/mit",
        )
        event = await create_collecting_event(
            session, actor=ACTOR, group=GROUP, verbatim_locality=photo.locality,
            country_code=photo.country_code, decimal_latitude=photo.latitude,
            decimal_longitude=photo.longitude, start_event_date=photo.date.isoformat(),
            collector_ids=[creator.id],
        )
        await create_material_sample(
            session, actor=ACTOR, group=GROUP, material_sample_name=photo.sample_name,
            collecting_event_id=event.id, attachment_ids=[media.id],
        )


async def load_demo(db: Database, store: ObjectStore) -> bool:
    """Load the demo set once; returns False when demo records already exist."""
    async with db.unit_of_work() as session:
        existing = await session.scalar(select(MaterialSample.id).where(MaterialSample.group == GROUP).limit(1))
        if existing is not None:
            return False
        people: dict[str, object] = {}
        await _sequence_records(session, people)
        await _photo_vouchers(session, people, store)
    log.info("demo data loaded: %d people, 4 samples, 2 sequences, 2 photos", len(people))
    return True
