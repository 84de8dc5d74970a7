from __future__ import annotations

from typing import Any

from sqlalchemy import Select

from subgraphs.core.loaders import RowByIdLoader

from .models import collecting_event, material_sample


def material_sample_rows() -> Select[Any]:
    """Sample rows with their event's collector ids joined in, so `collectors` costs no extra query."""
    return material_sample.outerjoin(collecting_event).select().with_only_columns(
        *material_sample.c, collecting_event.c.collector_ids
    )


class CollectingEventByIdLoader(RowByIdLoader):
    table = collecting_event


class MaterialSampleByIdLoader(RowByIdLoader):
    table = material_sample

    rows = staticmethod(material_sample_rows)
