"""Batched reads of the taxonomy backbone: one statement per mapping per request."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from subgraphs.core.data.loaders import Loader, RowByIdLoader, RowsByParentLoader

from . import repository as repo


class ClassificationByIdLoader(RowByIdLoader):
    table = repo.classification


class TaxonByIdLoader(RowByIdLoader):
    table = repo.taxon


class TaxaByParentIdLoader(RowsByParentLoader):
    """Children, by name."""

    table = repo.taxon
    parent_column = "parent_id"
    order_by = ("scientific_name", "id")


class SynonymsByAcceptedIdLoader(RowsByParentLoader):
    table = repo.taxon
    parent_column = "accepted_taxon_id"
    order_by = ("scientific_name", "id")


class ClassificationPathByTaxonIdLoader(Loader):
    """Each taxon's path from the root down to itself (the taxa the caller may read), in one statement."""

    async def batch_load_fn(self, keys: Sequence[uuid.UUID]) -> list[list[Any]]:
        paths: dict[uuid.UUID, list[Any]] = defaultdict(list)
        for row in await self.db.fetch(repo.classification_paths(keys, self.visible)):
            paths[row["start_id"]].append(row)
        return [paths.get(key, []) for key in keys]


class EffectiveNameBySampleIdLoader(Loader):
    """Each sample's effective scientific name (repository.effective_names), None without one."""

    async def batch_load_fn(self, keys: Sequence[uuid.UUID]) -> list[str | None]:
        names = {row["material_sample_id"]: row["scientific_name"]
                 for row in await self.db.fetch(repo.effective_names(keys, self.visible))}
        return [names.get(key) for key in keys]
