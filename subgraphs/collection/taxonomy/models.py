"""Tables of the taxonomy backbone (in the collection schema, beside the determinations pointing at them).

A taxon's `path` is its materialized path: the ids from its classification's root down to itself (a
synonym sits under its accepted taxon). Ancestors are the rows of one path, descendants the rows whose
path holds an id (`path @> ARRAY[id]`, GIN-indexed): either is one statement, whatever the depth.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from subgraphs.core.data.db import RecordMixin

from ..models import UUIDS, Base


class Classification(RecordMixin, Base):
    """One tree of taxa: a checklist's, a discipline's, a service's (GBIF, Catalogue of Life) or a custom one."""

    __tablename__ = "classification"

    name: Mapped[str] = mapped_column(String(500))
    source: Mapped[str | None] = mapped_column(String(500))
    # Ranks this classification uses beyond Darwin Core's (e.g. "cohort", "clade"), for rank INTERMEDIATE.
    intermediate_ranks: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list, server_default="{}")
    remarks: Mapped[str | None] = mapped_column(Text)


class Taxon(RecordMixin, Base):
    __tablename__ = "taxon"
    __table_args__ = (
        Index(None, "path", postgresql_using="gin"),
        Index("ix_taxon_classification_name", "classification_id", "scientific_name"),
        Index("ix_taxon_classification_source_id", "classification_id", "source_id"),
    )

    classification_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(Classification.id), index=True)
    scientific_name: Mapped[str] = mapped_column(String(500))
    authorship: Mapped[str | None] = mapped_column(String(500))
    rank: Mapped[str] = mapped_column(String(20))
    intermediate_rank: Mapped[str | None] = mapped_column(String(100))
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("collection.taxon.id"), index=True)
    accepted_taxon_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("collection.taxon.id"), index=True)
    taxonomic_status: Mapped[str] = mapped_column(String(30), default="accepted", server_default="accepted")
    # [{"name": "Bosca's newt", "language": "en"}, …]
    vernacular_names: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list, server_default="[]")
    source_id: Mapped[str | None] = mapped_column(String(500))
    remarks: Mapped[str | None] = mapped_column(Text)
    path: Mapped[list[uuid.UUID]] = mapped_column(UUIDS, default=list, server_default="{}")


classification = Classification.__table__
taxon = Taxon.__table__
