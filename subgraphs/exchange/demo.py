"""A small demo data set from real third-party records (see demo_data/README.md).

Two GenBank records go through the real GenBank import (sequences linked to the specimens and
collectors they name); two iNaturalist photos go through the media ingest path (EXIF, derivatives)
and are attached to photo-vouchered samples.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.collection import repository as collection_repository
from subgraphs.collection.service import create_collecting_event, create_material_sample
from subgraphs.core.data.db import Database
from subgraphs.core.storage.storage import ObjectStore
from subgraphs.exchange.sequences import SequenceImport
from subgraphs.media.service import ingest
from subgraphs.molecular.records import genbank_records

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


async def _photo_vouchers(session: AsyncSession, job: SequenceImport, store: ObjectStore) -> None:
    for photo in PHOTOS:
        creator = await job.person(photo.creator)
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
        if await collection_repository.group_has_samples(session, GROUP):
            return False
        job = SequenceImport(session, group=GROUP, actor=ACTOR, create_missing_samples=True)
        for path in sorted(DEMO_DATA.glob("*.gb")):
            await job.run(genbank_records(path))
        await _photo_vouchers(session, job, store)
    log.info("demo data loaded: %s; %d people, 2 photos", job.report.summary(), len(job.people))
    return True
