"""The rules of the NGS workflow: index sequences, plate wells, pools and runs whose index pairs can be told
apart, each child record in its parent's group."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.core.base.errors import ClientError, ErrorCode
from subgraphs.core.data.references import missing_references
from subgraphs.core.security.auth import Role
from subgraphs.core.security.permissions import require_role
from subgraphs.core.writes.crud import EntityRules, Values
from subgraphs.core.writes.mutations import InvalidInput
from subgraphs.core.writes.service import Dependant

from . import models as m
from . import repository as r
from .indexes import Indexed, collision_message, collisions, normalised_index, well_position


class NgsErrorCode(StrEnum):
    INVALID_IUPAC = "INVALID_IUPAC"
    INVALID_WELL = "INVALID_WELL"
    DUPLICATE_WELL = "DUPLICATE_WELL"
    INVALID_LAYOUT = "INVALID_LAYOUT"
    INDEX_COLLISION = "INDEX_COLLISION"
    POOL_CYCLE = "POOL_CYCLE"
    ONE_SUBJECT = "ONE_SUBJECT"
    INVALID_SAMPLE_SHEET = "INVALID_SAMPLE_SHEET"


E = NgsErrorCode


def _current(values: Values, current: Any, key: str) -> Any:
    return values[key] if key in values else getattr(current, key, None)


async def _refuse_missing(session: AsyncSession, references: list[tuple[str, Any, Any]]) -> None:
    if errors := await missing_references(session, references):
        raise InvalidInput(errors)


async def _parent(session: AsyncSession, model: type, id: uuid.UUID | None, field: str, values: Values,
                  current: Any) -> Any:
    """The record a child belongs to: it must exist, the caller must write in its group; a new child takes it."""
    parent = id and await session.get(model, id)
    if parent is None:
        raise ClientError(ErrorCode.NOT_FOUND, f"No {model.__name__} with id {id}.", field)
    context = session.info.get("context")
    require_role(context and context.principal, parent.group, Role.USER, "write")
    if current is None:
        values["group"] = parent.group
    return parent


def _one_subject(values: Values, current: Any, first: str, second: str, field: str) -> None:
    if (_current(values, current, first) is None) == (_current(values, current, second) is None):
        raise ClientError(E.ONE_SUBJECT, f"Give exactly one of {field}.", field.split(" or ")[0])


def _refuse_collisions(existing: list[Indexed], new: list[Indexed], mismatches: int, field: str) -> None:
    if found := collisions(existing, mismatches, new):
        raise InvalidInput([ClientError(E.INDEX_COLLISION, collision_message(a, b, mismatches), field)
                            for a, b in found])


async def prepare_index(session: AsyncSession, values: Values, current: Any) -> Values:
    await _parent(session, m.IndexSet, _current(values, current, "index_set_id"), "indexSetId", values, current)
    if "sequence" in values:
        values["sequence"], problem = normalised_index(values["sequence"])
        if problem or values["sequence"] is None:
            raise ClientError(E.INVALID_IUPAC, f"sequence {problem or 'is empty'}.", "sequence")
    return values


async def prepare_batch(session: AsyncSession, values: Values, current: Any) -> Values:
    await _refuse_missing(session, [("indexSetId", r.index_set, values.get("index_set_id"))])
    for key, field, most in (("plate_rows", "plateRows", 16), ("plate_columns", "plateColumns", 24)):
        if key in values and values[key] is None:
            del values[key]
        elif key in values and not 1 <= values[key] <= most:
            raise ClientError(E.INVALID_LAYOUT, f"{field} is 1 to {most}.", field)
    return values


async def prepare_library(session: AsyncSession, values: Values, current: Any) -> Values:
    batch = await _parent(session, m.LibraryPrepBatch, _current(values, current, "library_prep_batch_id"),
                          "libraryPrepBatchId", values, current)
    errors = await _sequences_from_index_set(session, batch, values)
    for key, field in (("i7_sequence", "i7Sequence"), ("i5_sequence", "i5Sequence")):
        if key in values:
            values[key], problem = normalised_index(values[key])
            if problem:
                errors.append(ClientError(E.INVALID_IUPAC, f"{field} {problem}.", field))
    if (well := _current(values, current, "well")) is not None:
        values["well"], problem = well_position(well, batch.plate_rows, batch.plate_columns)
        if problem:
            errors.append(ClientError(E.INVALID_WELL, f"{problem} of batch {batch.name}.", "well"))
        elif taken := await r.well_taken(session, batch.id, values["well"], current and current.id):
            errors.append(ClientError(E.DUPLICATE_WELL, f"Well {values['well']} of batch {batch.name} already "
                                      f"holds library {taken}.", "well"))
    if errors:
        raise InvalidInput(errors)
    if current is not None and {"i7_sequence", "i5_sequence"} & values.keys():
        await _still_apart(session, current, values)
    return values


async def _sequences_from_index_set(session: AsyncSession, batch: m.LibraryPrepBatch, values: Values) -> list[ClientError]:
    """An index given by name only takes its bases from the batch's index set (i5 on the forward strand)."""
    errors = []
    for direction, read in (("I7", "i7"), ("I5", "i5")):
        name = values.get(f"{read}_index_name")
        if name is None or values.get(f"{read}_sequence") is not None or batch.index_set_id is None:
            continue
        values[f"{read}_sequence"] = await r.index_sequence(session, batch.index_set_id, name, direction)
        if values[f"{read}_sequence"] is None:
            errors.append(ClientError(ErrorCode.NOT_FOUND, f"The index set of batch {batch.name} has no {read} index "
                                      f"{name!r}: give {read}Sequence, or an index of the set.", f"{read}IndexName"))
    return errors


async def _still_apart(session: AsyncSession, current: Any, values: Values) -> None:
    """A library's new index pair must still be told apart in every pool and run lane it is in."""
    errors = []
    for what, mismatches, others in await r.places_of_library(session, current.id):
        lanes = {other.lane for other in others} or {None}
        changed = [Indexed(_current(values, current, "name"), _current(values, current, "i7_sequence"),
                           _current(values, current, "i5_sequence"), lane) for lane in lanes]
        errors += [ClientError(E.INDEX_COLLISION, f"In {what}: {collision_message(a, b, mismatches)}", "i7Sequence")
                   for a, b in collisions(others, mismatches, changed)]
    if errors:
        raise InvalidInput(errors)


async def _new_libraries(session: AsyncSession, values: Values, current: Any, pool_column: str,
                         pool_field: str) -> tuple[list[Indexed], uuid.UUID | None]:
    """What a content or run item adds: its library, or its pool's libraries (and that pool's id)."""
    await _refuse_missing(session, [("libraryPrepId", r.library, values.get("library_prep_id")),
                                    (pool_field, r.pool, values.get(pool_column))])
    if (library_id := _current(values, current, "library_prep_id")) is not None:
        return [r.indexed(row) for row in await r.libraries_of(session, [library_id])], None
    pool_id = _current(values, current, pool_column)
    return await r.pool_indexed(session, pool_id), pool_id


async def prepare_content(session: AsyncSession, values: Values, current: Any) -> Values:
    pool = await _parent(session, m.LibraryPool, _current(values, current, "library_pool_id"), "libraryPoolId",
                         values, current)
    _one_subject(values, current, "library_prep_id", "pooled_library_pool_id",
                 "libraryPrepId or pooledLibraryPoolId")
    new, pooled = await _new_libraries(session, values, current, "pooled_library_pool_id", "pooledLibraryPoolId")
    if pooled is not None and pool.id in (await r.expand_pools(session, [pooled]))[0]:
        raise ClientError(E.POOL_CYCLE, f"Pool {pool.name} would contain itself.", "pooledLibraryPoolId")
    existing = await r.pool_indexed(session, pool.id) if current is None else []
    _refuse_collisions(existing, new, 0, "libraryPrepId" if pooled is None else "pooledLibraryPoolId")
    return values


async def prepare_run(session: AsyncSession, values: Values, _: Any) -> Values:
    await _refuse_missing(session, [("sequencingFacilityId", r.facility, values.get("sequencing_facility_id"))])
    if values.get("barcode_mismatches") is not None and not 0 <= values["barcode_mismatches"] <= 2:
        raise ClientError(ErrorCode.BAD_USER_INPUT, "barcodeMismatches is 0, 1 or 2.", "barcodeMismatches")
    return values


async def prepare_run_item(session: AsyncSession, values: Values, current: Any) -> Values:
    run = await _parent(session, m.SequencingRun, _current(values, current, "sequencing_run_id"),
                        "sequencingRunId", values, current)
    if _current(values, current, "library_prep_id") is None and _current(values, current, "library_pool_id") is None:
        raise ClientError(E.ONE_SUBJECT, "Give libraryPrepId, libraryPoolId, or both (a library and the pool it "
                          "came in).", "libraryPrepId")
    new, pooled = await _new_libraries(session, values, current, "library_pool_id", "libraryPoolId")
    lane = _current(values, current, "lane")
    existing = await r.run_lane_indexed(session, run.id, lane, current and current.id)
    _refuse_collisions(existing, [Indexed(i.name, i.i7, i.i5, lane) for i in new], run.barcode_mismatches,
                       "libraryPrepId" if pooled is None else "libraryPoolId")
    return values


async def prepare_qc(session: AsyncSession, values: Values, current: Any) -> Values:
    _one_subject(values, current, "library_prep_id", "library_pool_id", "libraryPrepId or libraryPoolId")
    library_id = _current(values, current, "library_prep_id")
    model, id, field = ((m.LibraryPrep, library_id, "libraryPrepId") if library_id else
                        (m.LibraryPool, _current(values, current, "library_pool_id"), "libraryPoolId"))
    await _parent(session, model, id, field, values, current)
    return values


async def prepare_pre_library_prep(session: AsyncSession, values: Values, _: Any) -> Values:
    await _refuse_missing(session, [("libraryPrepId", r.library, values.get("library_prep_id"))])
    return values


async def prepare_metagenomics_batch(session: AsyncSession, values: Values, _: Any) -> Values:
    await _refuse_missing(session, [("indexSetId", r.index_set, values.get("index_set_id"))])
    return values


async def prepare_metagenomics_item(session: AsyncSession, values: Values, current: Any) -> Values:
    await _parent(session, m.MetagenomicsBatch, _current(values, current, "metagenomics_batch_id"),
                  "metagenomicsBatchId", values, current)
    await _refuse_missing(session, [("libraryPrepId", r.library, values.get("library_prep_id"))])
    return values


async def prepare_submission(session: AsyncSession, values: Values, current: Any) -> Values:
    await _parent(session, m.SequencingRun, _current(values, current, "sequencing_run_id"), "sequencingRunId",
                  values, current)
    return values


def _by(label: str, column: Any) -> Any:
    return lambda id: [Dependant(label, r.referencing(column, id))]


INDEX_SET = EntityRules(m.IndexSet, dependants=lambda id: [
    *_by("indexes", r.ngs_index.c.index_set_id)(id), *_by("library prep batches", r.batch.c.index_set_id)(id),
    *_by("metagenomics batches", r.metagenomics_batch.c.index_set_id)(id)])
NGS_INDEX = EntityRules(m.NgsIndex, prepare=prepare_index)
FACILITY = EntityRules(m.SequencingFacility, dependants=_by("sequencing runs", r.run.c.sequencing_facility_id))
LIBRARY_PREP_BATCH = EntityRules(m.LibraryPrepBatch, prepare=prepare_batch,
                                 dependants=_by("library preps", r.library.c.library_prep_batch_id))
LIBRARY_PREP = EntityRules(m.LibraryPrep, prepare=prepare_library, dependants=lambda id: [
    *_by("pools", r.content.c.library_prep_id)(id), *_by("sequencing runs", r.run_item.c.library_prep_id)(id),
    *_by("quality controls", r.quality_control.c.library_prep_id)(id),
    *_by("pre-library preps", r.pre_library_prep.c.library_prep_id)(id),
    *_by("metagenomics batches", r.metagenomics_item.c.library_prep_id)(id)])
LIBRARY_POOL = EntityRules(m.LibraryPool, dependants=lambda id: [
    Dependant("pool contents", r.pool_contents_of(id)), *_by("sequencing runs", r.run_item.c.library_pool_id)(id),
    *_by("quality controls", r.quality_control.c.library_pool_id)(id)])
LIBRARY_POOL_CONTENT = EntityRules(m.LibraryPoolContent, prepare=prepare_content)
SEQUENCING_RUN = EntityRules(m.SequencingRun, prepare=prepare_run, dependants=lambda id: [
    *_by("run items", r.run_item.c.sequencing_run_id)(id), *_by("submissions", r.submission.c.sequencing_run_id)(id)])
SEQUENCING_RUN_ITEM = EntityRules(m.SequencingRunItem, prepare=prepare_run_item)
QUALITY_CONTROL = EntityRules(m.QualityControl, prepare=prepare_qc)
PRE_LIBRARY_PREP = EntityRules(m.PreLibraryPrep, prepare=prepare_pre_library_prep)
METAGENOMICS_BATCH = EntityRules(m.MetagenomicsBatch, prepare=prepare_metagenomics_batch,
                                 dependants=_by("items", r.metagenomics_item.c.metagenomics_batch_id))
METAGENOMICS_BATCH_ITEM = EntityRules(m.MetagenomicsBatchItem, prepare=prepare_metagenomics_item)
SEQ_SUBMISSION = EntityRules(m.SeqSubmission, prepare=prepare_submission)
