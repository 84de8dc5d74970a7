"""Test data written through each domain's service layer, returned as what a query should show."""

from __future__ import annotations

from dataclasses import dataclass, field

from subgraphs.agents.service import create_person
from subgraphs.collection.service import create_collecting_event, create_material_sample
from subgraphs.core.data.db import Database
from subgraphs.core.writes.service import add_record
from subgraphs.media.models import Media
from subgraphs.molecular.service import create_sequence

ACTOR = "test"


@dataclass
class SeededSample:
    id: str
    name: str
    collectors: list[str]
    accessions: list[str]
    captions: list[str]
    creators: list[str] = field(default_factory=list)


async def seed_samples(db: Database, count: int, group: str = "test") -> list[SeededSample]:
    """``count`` samples, each with two collectors, two sequences and one photo by a third person."""
    seeded = []
    async with db.unit_of_work() as session:
        for i in range(count):
            collectors = [
                await create_person(session, actor=ACTOR, group=group, display_name=f"Collector {i}-{k}")
                for k in range(2)
            ]
            photographer = await create_person(session, actor=ACTOR, group=group, display_name=f"Photographer {i}")
            event = await create_collecting_event(
                session, actor=ACTOR, group=group, verbatim_locality=f"Locality {i}",
                collector_ids=[p.id for p in collectors],
            )
            photo = await add_record(  # metadata only: these tests join records, they move no bytes
                session, Media, actor=ACTOR, group=group, dc_format="image/jpeg", caption=f"Photo of sample {i}",
                size_bytes=1000 + i, sha256=f"{i:064x}", creator_id=photographer.id,
            )
            sample = await create_material_sample(
                session, actor=ACTOR, group=group, material_sample_name=f"CAT-{i:05d}",
                collecting_event_id=event.id, attachment_ids=[photo.id],
            )
            accessions = [f"T{i:05d}{k}" for k in range(2)]
            for accession in accessions:
                await create_sequence(
                    session, actor=ACTOR, group=group, accession=accession, residues="ACGT" * (i + 1),
                    material_sample_id=sample.id,
                )
            seeded.append(SeededSample(
                id=str(sample.id), name=sample.material_sample_name,
                collectors=[p.display_name for p in collectors], accessions=accessions,
                captions=[photo.caption], creators=[photographer.display_name],
            ))
    return seeded
