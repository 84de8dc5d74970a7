"""The SQL of the taxonomy backbone: the only module naming its tables.

Tree reads and writes are each one statement over the materialized path (models.py): a taxon's
ancestors, its descendants, the samples determined as any of them, moving a whole subtree.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal_column, or_, select, text, update
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.core.data.db import one_of
from subgraphs.core.data.loaders import Visibility

from .. import models as cm
from .models import Classification, Taxon, classification, taxon

__all__ = ["Classification", "Taxon", "classification", "taxon"]


def in_subtree(taxon_id: uuid.UUID) -> ColumnElement[bool]:
    """Taxa at or below ``taxon_id`` (its synonyms and theirs included): ``path @> ARRAY[id]``, GIN-indexed."""
    return taxon.c.path.contains([taxon_id])


def samples_in_subtree(taxon_id: uuid.UUID, sample_id: ColumnElement[Any]) -> ColumnElement[bool]:
    """Samples with a determination linked to a taxon at or below ``taxon_id``: one statement with the sample query."""
    return sample_id.in_(select(cm.organism.c.material_sample_id).select_from(
        cm.organism.join(cm.determination).join(taxon, cm.determination.c.taxon_id == taxon.c.id)
    ).where(in_subtree(taxon_id)))


def samples_of_taxa(taxon_ids: list[uuid.UUID], sample_id: ColumnElement[Any]) -> ColumnElement[bool]:
    """Samples with a determination linked to exactly one of these taxa."""
    return sample_id.in_(select(cm.organism.c.material_sample_id).join(cm.determination)
                         .where(one_of(cm.determination.c.taxon_id, taxon_ids)))


def classification_paths(keys: Sequence[uuid.UUID], visible: Visibility) -> Select[Any]:
    """For each key, the taxa of its path from the root down (a ``start_id`` and ``depth`` column added)."""
    start = taxon.alias("start")
    step = func.unnest(start.c.path).table_valued("ancestor_id", with_ordinality="depth").render_derived()
    return (select(start.c.id.label("start_id"), step.c.depth, *taxon.c)
            .select_from(start.join(step, literal_column("true")).join(taxon, taxon.c.id == step.c.ancestor_id))
            .where(one_of(start.c.id, keys), visible(taxon)).order_by(start.c.id, step.c.depth))


def effective_names(keys: Sequence[uuid.UUID], visible: Visibility) -> Select[Any]:
    """Per sample, its filed-as (else primary) determination's name: the linked taxon's accepted name, or
    the determination's own name while it links no taxon. One row per sample that has either."""
    det, org = cm.determination, cm.organism
    linked = taxon.alias("linked")
    accepted = taxon.alias("accepted")
    return (select(org.c.material_sample_id, det.c.id.label("determination_id"),
                   func.coalesce(accepted.c.scientific_name, det.c.scientific_name,
                                 det.c.verbatim_scientific_name).label("scientific_name"))
            .select_from(det.join(org).outerjoin(linked, and_(linked.c.id == det.c.taxon_id, visible(linked)))
                         .outerjoin(accepted, accepted.c.id == func.coalesce(linked.c.accepted_taxon_id, linked.c.id)))
            .where(one_of(org.c.material_sample_id, keys), visible(det), or_(det.c.is_filed_as, det.c.is_primary))
            .order_by(org.c.material_sample_id, det.c.is_filed_as.desc(), det.c.is_primary.desc(), det.c.id)
            .ext(distinct_on(org.c.material_sample_id)))


async def lock_taxon(session: AsyncSession, id: uuid.UUID) -> Taxon | None:
    return await session.scalar(select(Taxon).where(Taxon.id == id).with_for_update()
                                .execution_options(populate_existing=True))


async def intermediate_ranks(session: AsyncSession, classification_id: uuid.UUID) -> list[str] | None:
    """The classification's own ranks; None when there is no such classification."""
    return await session.scalar(select(classification.c.intermediate_ranks)
                                .where(classification.c.id == classification_id))


async def rehang_subtree(session: AsyncSession, taxon_id: uuid.UUID, prefix: list[uuid.UUID]) -> int:
    """Give every taxon below ``taxon_id`` the path ``prefix`` + the part of its path below ``taxon_id``:
    one UPDATE moves a whole subtree, however deep. Returns how many taxa moved."""
    result = await session.execute(text(
        "UPDATE collection.taxon SET path = CAST(:prefix AS uuid[]) || path[array_position(path, :id) + 1:] "
        "WHERE path @> ARRAY[CAST(:id AS uuid)] AND id <> :id"), {"prefix": prefix, "id": taxon_id})
    return result.rowcount


async def adopt_children(session: AsyncSession, old_parent: uuid.UUID, new_parent: uuid.UUID) -> None:
    """The children of ``old_parent`` become children of ``new_parent``, its synonyms synonyms of it."""
    await session.execute(update(taxon).where(taxon.c.parent_id == old_parent).values(parent_id=new_parent))
    await session.execute(update(taxon).where(taxon.c.accepted_taxon_id == old_parent)
                          .values(accepted_taxon_id=new_parent))


def dependants(taxon_id: uuid.UUID) -> list[tuple[str, Select[Any]]]:
    """What must go (or be re-linked) before a taxon can be deleted."""
    return [("child taxa", select(taxon.c.id).where(taxon.c.parent_id == taxon_id)),
            ("synonyms", select(taxon.c.id).where(taxon.c.accepted_taxon_id == taxon_id)),
            ("determinations", select(cm.determination.c.id).where(cm.determination.c.taxon_id == taxon_id))]


def taxa_of(classification_id: uuid.UUID) -> Select[Any]:
    return select(taxon.c.id).where(taxon.c.classification_id == classification_id)


async def insert_taxa(session: AsyncSession, rows: list[dict[str, Any]], audit: list[dict[str, Any]]) -> None:
    """Many taxa (an imported checklist) and their audit rows, with COPY on the session's connection."""
    connection = await (await session.connection()).get_raw_connection()
    driver = connection.driver_connection
    columns = [c.key for c in taxon.c]
    await driver.copy_records_to_table("taxon", schema_name="collection", columns=columns,
                                       records=[tuple(row.get(c) for c in columns) for row in rows])
    audit_columns = ["record_type", "record_id", "version", "operation", "actor", "snapshot"]
    await driver.copy_records_to_table("audit_log", schema_name="collection", columns=audit_columns,
                                       records=[tuple(row[c] for c in audit_columns) for row in audit])


def taxa_by_names(classification_id: uuid.UUID, names: list[str]) -> Select[Any]:
    """Taxa of a classification with one of these scientific names (for linking determinations)."""
    return select(taxon.c.id, taxon.c.scientific_name, taxon.c.authorship).where(
        taxon.c.classification_id == classification_id, taxon.c.scientific_name.in_(names))


def export_rows(taxon_ids: list[uuid.UUID]) -> Select[Any]:
    """The linked taxa of an export with their paths' taxa and accepted taxon (one statement)."""
    return classification_paths(taxon_ids, lambda _: literal_column("true"))


async def classification_of_source(session: AsyncSession, group: str, source: str) -> uuid.UUID | None:
    return await session.scalar(select(classification.c.id).where(
        classification.c.group == group, classification.c.source == source).order_by(classification.c.id).limit(1))


async def taxon_ids_by_source(session: AsyncSession, classification_id: uuid.UUID) -> dict[str, uuid.UUID]:
    rows = await session.execute(select(taxon.c.source_id, taxon.c.id).where(
        taxon.c.classification_id == classification_id, taxon.c.source_id.is_not(None)))
    return {source_id: id for source_id, id in rows}
