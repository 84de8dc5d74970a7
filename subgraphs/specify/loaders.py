"""Batched reads from Specify: each loader sends one request for all the keys a request level asks
for, with Specify's `__in` filters — so a page costs the same number of Specify requests whatever
its size."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Hashable, Sequence
from typing import Any

from aiodataloader import DataLoader

from subgraphs.core.data.db import Database
from subgraphs.core.execution.context import RequestContext

from .client import SpecifyClient, SpecifyUnavailable, client_for
from .repository import PersonIdByAgentGuidLoader
from .service import answered, typed

MAX_KEYS = 200  # keys per request, so a URL stays well under servers' limits
RESOURCE_URI = re.compile(r"^/api/specify/\w+/(\d+)/$")


def specify_id(uri: str | None) -> int | None:
    """The id in a related record's URI (`/api/specify/agent/3/` → 3)."""
    match = RESOURCE_URI.match(uri or "")
    return int(match.group(1)) if match else None


class RecordsByFieldLoader(DataLoader):
    """Records of one table by the value of one field (`id`, `guid`, `catalognumber`), None where missing."""

    def __init__(self, client: SpecifyClient, table: str, field: str, scoped: bool) -> None:
        super().__init__(max_batch_size=MAX_KEYS)
        self.client, self.table, self.field = client, table, field
        self.params = {"domainfilter": "true"} if scoped else {}

    async def batch_load_fn(self, keys: Sequence[Hashable]) -> list[dict[str, Any] | None]:
        records = await answered(self.client.matching(self.table, self.field, keys, self.params))
        by_key = {str(r[self.field]): r for r in records}
        return [by_key.get(str(key)) for key in keys]


class RecordsByParentLoader(DataLoader):
    """Records of one table per parent id (loan preparations by preparation), in id order."""

    def __init__(self, client: SpecifyClient, table: str, parent: str) -> None:
        super().__init__(max_batch_size=MAX_KEYS)
        self.client, self.table, self.parent = client, table, parent

    async def batch_load_fn(self, keys: Sequence[Hashable]) -> list[list[dict[str, Any]]]:
        records = await answered(self.client.matching(self.table, self.parent, keys, {"orderby": "id"}))
        grouped: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
        for record in records:
            grouped[specify_id(record[self.parent])].append(record)
        return [grouped.get(key, []) for key in keys]  # type: ignore[call-overload]


class Broker:
    """One request's view of Specify: the shared client and this request's loaders (so a record
    asked for twice in a request is fetched once)."""

    def __init__(self, client: SpecifyClient, db: Database) -> None:
        self.client = client
        self.people = PersonIdByAgentGuidLoader(db)
        self._loaders: dict[tuple[str, ...], DataLoader] = {}

    def by(self, table: str, field: str = "id", scoped: bool = False) -> RecordsByFieldLoader:
        key = (table, field, str(scoped))
        if key not in self._loaders:
            self._loaders[key] = RecordsByFieldLoader(self.client, table, field, scoped)
        return self._loaders[key]  # type: ignore[return-value]

    def children(self, table: str, parent: str) -> RecordsByParentLoader:
        key = (table, parent, "children")
        if key not in self._loaders:
            self._loaders[key] = RecordsByParentLoader(self.client, table, parent)
        return self._loaders[key]  # type: ignore[return-value]

    async def related(self, table: str, uri: str | None) -> dict[str, Any] | None:
        """The record a to-one URI points at (batched with its siblings)."""
        record_id = specify_id(uri)
        return None if record_id is None else await self.by(table).load(record_id)

    async def related_many(self, table: str, uris: Sequence[str | None]) -> list[dict[str, Any]]:
        """The records several to-one URIs point at, in order, leaving out the missing (one batch)."""
        ids = [i for i in (specify_id(u) for u in uris) if i is not None]
        return [r for r in await self.by(table).load_many(ids) if r is not None]

    async def logged_in_collection(self) -> dict[str, Any] | None:
        return await self.by("collection").load(await answered(self.client.collection_id()))


def broker(context: RequestContext) -> Broker:
    """The request's broker, made on first use. It lives on the request context because the core
    loader registry builds database loaders, and these read Specify instead."""
    found = context.__dict__.get("specify_broker")
    if found is None:
        try:
            client = client_for(context.settings)
        except SpecifyUnavailable as error:
            raise typed(error) from error
        found = context.__dict__["specify_broker"] = Broker(client, context.db)
    return found
