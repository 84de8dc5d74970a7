from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, and_, literal, select

from subgraphs.core.data.db import one_of
from subgraphs.core.data.loaders import (
    AuditByRecordIdLoader,
    Loader,
    RowByIdLoader,
    RowsByArrayMemberLoader,
    RowsByParentLoader,
    Visibility,
)

from . import models as m


def material_sample_rows(visible: Visibility) -> Select[Any]:
    """Sample rows with their event's collector ids joined in, so `collectors` costs no extra query
    (an empty list when the caller may not read the event: its collectors are the event's).
    The imported source record is left out: decoding it was the largest cost of a page that did
    not ask for it (`SourceRecordByIdLoader` reads it when asked)."""
    event = m.collecting_event
    return m.material_sample.outerjoin(event, and_(
        m.material_sample.c.collecting_event_id == event.c.id, visible(event),
    )).select().with_only_columns(
        *(c for c in m.material_sample.c if c.key not in ("search_vector", "source_record")),
        m.collecting_event.c.collector_ids,
    )


def determination_rows(_: Visibility) -> Select[Any]:
    return select(*(c for c in m.determination.c if c.key != "search_vector"))


class InstitutionByIdLoader(RowByIdLoader):
    table = m.institution


class CollectionByIdLoader(RowByIdLoader):
    table = m.collection


class StorageUnitByIdLoader(RowByIdLoader):
    table = m.storage_unit


class PreparationTypeByIdLoader(RowByIdLoader):
    table = m.preparation_type


class ProjectByIdLoader(RowByIdLoader):
    table = m.project


class ManagedAttributeByIdLoader(RowByIdLoader):
    table = m.managed_attribute


class CollectingEventByIdLoader(RowByIdLoader):
    table = m.collecting_event


class MaterialSampleByIdLoader(RowByIdLoader):
    table = m.material_sample
    rows = staticmethod(material_sample_rows)


class SourceRecordByIdLoader(RowByIdLoader):
    table = m.material_sample

    @classmethod
    def rows(cls, _: Visibility) -> Select[Any]:
        sample = m.material_sample.c
        return select(sample.id, sample.group, sample.source_record)


class OrganismByIdLoader(RowByIdLoader):
    table = m.organism


class DeterminationByIdLoader(RowByIdLoader):
    table = m.determination
    rows = staticmethod(determination_rows)


class ChildSamplesByParentIdLoader(RowsByParentLoader):
    table = m.material_sample
    rows = staticmethod(material_sample_rows)
    parent_column = "parent_material_sample_id"
    order_by = ("material_sample_name", "id")


class StorageUnitsByParentIdLoader(RowsByParentLoader):
    table = m.storage_unit
    parent_column = "parent_id"
    order_by = ("name", "id")


class OrganismsBySampleIdLoader(RowsByParentLoader):
    table = m.organism
    parent_column = "material_sample_id"


class DeterminationsByOrganismIdLoader(RowsByParentLoader):
    table = m.determination
    rows = staticmethod(determination_rows)
    parent_column = "organism_id"
    order_by = ("determined_on", "id")


class DeterminationsBySampleIdLoader(RowsByParentLoader):
    """Every determination of every organism in a sample, primary first."""

    table = m.determination
    parent_column = "material_sample_id"
    rows = staticmethod(lambda visible: determination_rows(visible).add_columns(m.organism.c.material_sample_id).join(m.organism))

    def statement(self, keys: Sequence[Any]) -> Select[Any]:
        return self.visible_rows().where(one_of(m.organism.c.material_sample_id, keys)).order_by(
            m.determination.c.is_primary.desc(), m.determination.c.id
        )


class CollectingEventsByCollectorIdLoader(RowsByArrayMemberLoader):
    table = m.collecting_event
    array_column = "collector_ids"
    order_by = ("earliest_date", "id")


class DeterminationsByDeterminerIdLoader(RowsByArrayMemberLoader):
    table = m.determination
    rows = staticmethod(determination_rows)
    array_column = "determiner_ids"


class SamplesByAttachmentIdLoader(RowsByArrayMemberLoader):
    table = m.material_sample
    rows = staticmethod(material_sample_rows)
    array_column = "attachment_ids"


class StoragePathByUnitIdLoader(Loader):
    """The chain of storage units from the building down to each unit, in one recursive query."""

    async def batch_load_fn(self, keys: Sequence[uuid.UUID]) -> list[list[Any]]:
        unit = m.storage_unit
        path = select(
            unit.c.id.label("start_id"), literal(0).label("depth"), *unit.c
        ).where(one_of(unit.c.id, keys)).cte("path", recursive=True)
        parent = unit.alias("parent")
        path = path.union_all(
            select(path.c.start_id, (path.c.depth + 1).label("depth"), *parent.c)
            .where(parent.c.id == path.c.parent_id)
        )
        rows = await self.db.fetch(
            select(path).where(self.visible(path)).order_by(path.c.start_id, path.c.depth.desc())
        )
        paths: dict[uuid.UUID, list[Any]] = {key: [] for key in keys}
        for row in rows:
            paths[row["start_id"]].append(row)
        return [paths[key] for key in keys]


class CollectionAuditByRecordIdLoader(AuditByRecordIdLoader):
    table = m.audit_log
