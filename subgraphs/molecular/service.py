"""Rules for molecular writes: IUPAC codes, plate wells, residues with checksums."""

from __future__ import annotations

import hashlib
import re
import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.core.base.errors import ClientError
from subgraphs.core.data.references import missing_references
from subgraphs.core.writes.crud import EntityRules, Values, create
from subgraphs.core.writes.mutations import InvalidInput
from subgraphs.core.writes.service import Dependant

from . import models as m
from . import repository


class MolecularErrorCode(StrEnum):
    INVALID_IUPAC = "INVALID_IUPAC"
    INVALID_WELL = "INVALID_WELL"
    DUPLICATE_WELL = "DUPLICATE_WELL"
    NO_MATCHING_SAMPLE = "NO_MATCHING_SAMPLE"
    PROTEIN_SEQUENCE = "PROTEIN_SEQUENCE"
    INVALID_DIRECTION = "INVALID_DIRECTION"


Code = MolecularErrorCode
IUPAC_NUCLEOTIDES = frozenset("ACGTURYSWKMBDHVN")
# Residues may also carry gaps and unknown-length markers as GenBank and FASTA use them.
RESIDUE_CODES = IUPAC_NUCLEOTIDES | frozenset("-.")
WELL = re.compile(r"^([A-H])(1[0-2]|0?[1-9])$")  # A1 or A01 … H12


def check_residues(text: str, field: str, codes: frozenset[str] = RESIDUE_CODES) -> str:
    residues = "".join(text.split()).upper()
    bad = sorted(set(residues) - codes)
    if not residues or bad:
        problem = f"has characters that are not IUPAC nucleotide codes: {''.join(bad)}" if bad else "is empty"
        raise ClientError(Code.INVALID_IUPAC, f"The sequence {problem}.", field)
    return residues


def sequence_values(residues: str) -> dict[str, Any]:
    return {"residues": residues, "length": len(residues),
            "checksum_sha256": hashlib.sha256(residues.encode()).hexdigest()}


async def prepare_primer(session: AsyncSession, values: Values, _: Any) -> Values:
    errors = await missing_references(session, [("regionId", m.region, values.get("region_id"))])
    if "sequence" in values:
        try:
            values["sequence"] = check_residues(values["sequence"], "sequence", IUPAC_NUCLEOTIDES)
        except ClientError as error:
            errors.append(error)
    if "direction" in values and values["direction"] not in ("FORWARD", "REVERSE"):
        errors.append(ClientError(Code.INVALID_DIRECTION, "direction is FORWARD or REVERSE.", "direction"))
    if errors:
        raise InvalidInput(errors)
    return values


async def _check_well(session: AsyncSession, table: Any, batch_column: str, values: Values, current: Any) -> None:
    well, batch = values.get("well", getattr(current, "well", None)), values.get(
        batch_column, getattr(current, batch_column, None))
    if well is None:
        return
    match = WELL.match(well.strip().upper())
    if not match:
        raise ClientError(Code.INVALID_WELL, f"{well!r} is not a 96-well plate position (A1 to H12).", "well")
    values["well"] = well = f"{match.group(1)}{int(match.group(2))}"
    if await repository.well_taken(session, table, batch_column, batch, well, getattr(current, "id", None)):
        raise ClientError(Code.DUPLICATE_WELL, f"Well {well} of this batch is already used.", "well")


async def prepare_pcr_reaction(session: AsyncSession, values: Values, current: Any) -> Values:
    errors = await missing_references(session, [("pcrBatchId", m.pcr_batch, values.get("pcr_batch_id"))])
    if errors:
        raise InvalidInput(errors)
    await _check_well(session, m.pcr_reaction, "pcr_batch_id", values, current)
    return values


async def prepare_seq_reaction(session: AsyncSession, values: Values, current: Any) -> Values:
    errors = await missing_references(session, [
        ("seqBatchId", m.seq_batch, values.get("seq_batch_id")),
        ("pcrReactionId", m.pcr_reaction, values.get("pcr_reaction_id")),
        ("primerId", m.pcr_primer, values.get("primer_id")),
    ])
    if errors:
        raise InvalidInput(errors)
    await _check_well(session, m.seq_reaction, "seq_batch_id", values, current)
    return values


async def prepare_pcr_batch(session: AsyncSession, values: Values, _: Any) -> Values:
    errors = await missing_references(session, [("regionId", m.region, values.get("region_id")),
                                                ("primerIds", m.pcr_primer, values.get("primer_ids"))])
    if errors:
        raise InvalidInput(errors)
    return values


async def prepare_sequence(session: AsyncSession, values: Values, _: Any) -> Values:
    errors = await missing_references(session, [("regionId", m.region, values.get("region_id"))])
    if "residues" in values:
        try:
            values |= sequence_values(check_residues(values["residues"], "residues"))
        except ClientError as error:
            errors.append(error)
    if errors:
        raise InvalidInput(errors)
    return values


def _referenced_by(label: str, column: Any) -> Any:
    return lambda id: [Dependant(label, select(column).where(column == id))]


REGION = EntityRules(m.Region, dependants=lambda id: [
    *_referenced_by("primers", m.pcr_primer.c.region_id)(id), *_referenced_by("sequences", m.sequence.c.region_id)(id)])
PCR_PRIMER = EntityRules(m.PcrPrimer, prepare=prepare_primer, dependants=lambda id: [Dependant(
    "PCR batches", select(m.pcr_batch.c.id).where(m.pcr_batch.c.primer_ids.contains([id])))])
PCR_BATCH = EntityRules(m.PcrBatch, prepare=prepare_pcr_batch,
                        dependants=_referenced_by("PCR reactions", m.pcr_reaction.c.pcr_batch_id))
PCR_REACTION = EntityRules(m.PcrReaction, prepare=prepare_pcr_reaction,
                           dependants=_referenced_by("sequencing reactions", m.seq_reaction.c.pcr_reaction_id))
SEQ_BATCH = EntityRules(m.SeqBatch, dependants=_referenced_by("sequencing reactions", m.seq_reaction.c.seq_batch_id))
SEQ_REACTION = EntityRules(m.SeqReaction, prepare=prepare_seq_reaction)
SEQUENCE = EntityRules(m.Sequence, prepare=prepare_sequence)


async def create_sequence(session: AsyncSession, *, actor: str, **values: Any) -> m.Sequence:
    """Used by imports: the same rules as the createSequence mutation."""
    return await create(session, SEQUENCE, values, actor)  # type: ignore[return-value]


async def newest_sequence_version(session: AsyncSession, accession: str, source_location: str, *,
                                  group: str) -> int:
    """The newest version of an accession (that span of it) the group holds, 0 if none: another group's
    copy is not the group's, and does not stop the group importing its own."""
    return await repository.newest_sequence_version(session, accession, source_location, group=group) or 0


async def region_named(session: AsyncSession, name: str, *, group: str, actor: str) -> m.Region:
    """The group's Region of this name, created on first use (imports name regions after the record's gene)."""
    region = await repository.region_named(session, name, group=group)
    return region or await create(session, REGION, {"name": name, "group": group}, actor)  # type: ignore[return-value]


async def sequence_labels_by_sample(session: AsyncSession, sample_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    """Each sample's sequences as Darwin Core associatedSequences entries ("GenBank: EF525953.1"), in
    accession order (exports)."""
    if not sample_ids:
        return {}
    labels: dict[uuid.UUID, list[str]] = {}
    for sample_id, database, accession, version, span in await repository.sequence_accessions(session, sample_ids):
        labels.setdefault(sample_id, []).append(f"{database}: {accession}.{version}{f':{span}' if span else ''}")
    return labels
