"""Synthetic collections of any size, bulk-loaded with PostgreSQL COPY (for benchmarks).

Each sample gets a collecting event with two collectors, two sequences and one stored photo
(with a thumbnail) whose creator is a third person, so a page of samples exercises every subgraph.
The photos' files are not written: queries read their metadata and sign their URLs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field

import asyncpg
import orjson

from subgraphs.agents import repository as agents
from subgraphs.collection import repository as collection
from subgraphs.core.base.ids import uuid7
from subgraphs.core.data.db import async_url
from subgraphs.media import repository as media
from subgraphs.molecular import repository as molecular

ACTOR = "synthetic"
RESIDUES = "ACGT" * 165  # a 660 bp COI barcode's length
RESIDUES_SHA256 = hashlib.sha256(RESIDUES.encode()).hexdigest()


@dataclass
class Batch:
    people: list[tuple] = field(default_factory=list)
    events: list[tuple] = field(default_factory=list)
    samples: list[tuple] = field(default_factory=list)
    sequences: list[tuple] = field(default_factory=list)
    media: list[tuple] = field(default_factory=list)
    organisms: list[tuple] = field(default_factory=list)
    determinations: list[tuple] = field(default_factory=list)


def _batch(start: int, count: int, group: str) -> Batch:
    batch = Batch()
    for i in range(start, start + count):
        collectors = [uuid7(), uuid7()]
        photographer = uuid7()
        for k, pid in enumerate([*collectors, photographer]):
            batch.people.append((pid, group, ACTOR, f"Person {i}-{k}"))
        event_id, media_id, sample_id = uuid7(), uuid7(), uuid7()
        batch.events.append((event_id, group, ACTOR, f"Locality {i}", collectors))
        original = f"{group}/{media_id}/original.jpg"
        thumbnail = {"variant": "thumbnail", "width": 256, "height": 192, "dcFormat": "image/jpeg",
                     "key": f"{group}/{media_id}/thumbnail.jpg"}
        batch.media.append((media_id, group, ACTOR, "StillImage", "image/jpeg", f"Photo of sample {i}",
                            150_000, f"{i:064x}", photographer, original, 2048, 1536, orjson.dumps([thumbnail]).decode()))
        batch.samples.append((sample_id, group, ACTOR, f"SYN-{i:07d}", event_id, [media_id]))
        organism_id = uuid7()
        batch.organisms.append((organism_id, group, ACTOR, sample_id))
        batch.determinations.append((uuid7(), group, ACTOR, organism_id, f"Synthetica species{i % 997}", True,
                                     [collectors[0]]))
        for k in range(2):
            batch.sequences.append((uuid7(), group, ACTOR, f"SY{i:07d}{k}", 1, "GenBank", len(RESIDUES),
                                    RESIDUES, RESIDUES_SHA256, sample_id))
    return batch


RECORD = ["id", "group", "created_by"]
COPY_TARGETS = {
    "people": agents.copy_target([*RECORD, "display_name"]),
    "events": collection.copy_target("collecting_event", [*RECORD, "verbatim_locality", "collector_ids"]),
    "samples": collection.copy_target("material_sample",
                                      [*RECORD, "material_sample_name", "collecting_event_id", "attachment_ids"]),
    "sequences": molecular.copy_target([*RECORD, "accession", "accession_version", "source_database", "length",
                                        "residues", "checksum_sha256", "material_sample_id"]),
    "organisms": collection.copy_target("organism", [*RECORD, "material_sample_id"]),
    "determinations": collection.copy_target("determination", [
        *RECORD, "organism_id", "scientific_name", "is_primary", "determiner_ids"]),
    "media": media.copy_target([*RECORD, "dc_type", "dc_format", "caption", "size_bytes", "sha256", "creator_id",
                                "object_key", "width", "height", "derivatives"]),
}


def batches(total: int, size: int, group: str) -> Iterator[Batch]:
    for start in range(0, total, size):
        yield _batch(start, min(size, total - start), group)


async def load_synthetic(database_url: str, samples: int, group: str = "synthetic", batch_size: int = 5000) -> None:
    """Append ``samples`` synthetic samples (with their people, events, sequences, media)."""
    dsn = async_url(database_url).replace("postgresql+asyncpg", "postgresql", 1)
    conn = await asyncpg.connect(dsn)
    try:
        for batch in batches(samples, batch_size, group):
            async with conn.transaction():
                for attribute, target in COPY_TARGETS.items():
                    await target.copy(conn, getattr(batch, attribute))
    finally:
        await conn.close()
