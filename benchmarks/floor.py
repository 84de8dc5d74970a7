"""The floor: the benchmark query's JSON computed by hand with raw asyncpg and Starlette.

One SQL statement joining all four schemas, no GraphQL at all — what the same machine can do
at best, so the GraphQL paths can be judged as a ratio of it. Thumbnail URLs are signed by the
same object store code as the media subgraph's (same settings, same data folder).
"""

from __future__ import annotations

import base64
import os
from contextlib import asynccontextmanager

import asyncpg
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from subgraphs.core.runtime.settings import get_settings
from subgraphs.core.storage.storage import object_store

PAGE = """
WITH page AS (
  SELECT s.id, s.material_sample_name, s.attachment_ids, e.collector_ids
  FROM collection.material_sample s LEFT JOIN collection.collecting_event e ON e.id = s.collecting_event_id
  WHERE $2::uuid IS NULL OR s.id > $2::uuid
  ORDER BY s.id LIMIT $1
)
SELECT p.id, p.material_sample_name,
  (SELECT coalesce(json_agg(json_build_object('displayName', pe.display_name) ORDER BY c.ord), '[]')
     FROM unnest(p.collector_ids) WITH ORDINALITY c(pid, ord) JOIN agents.person pe ON pe.id = c.pid) AS collectors,
  (SELECT d.scientific_name FROM collection.organism o JOIN collection.determination d ON d.organism_id = o.id
     WHERE o.material_sample_id = p.id AND d.is_primary LIMIT 1) AS primary_name,
  (SELECT coalesce(json_agg(json_build_object('accession', q.accession) ORDER BY q.accession), '[]')
     FROM molecular.sequence q WHERE q.material_sample_id = p.id) AS sequences,
  (SELECT coalesce(json_agg((SELECT d ->> 'key' FROM jsonb_array_elements(m.derivatives) d
                               WHERE d ->> 'variant' = 'thumbnail' LIMIT 1) ORDER BY a.ord), '[]')
     FROM unnest(p.attachment_ids) WITH ORDINALITY a(mid, ord) JOIN media.media m ON m.id = a.mid) AS thumbnails
FROM page p ORDER BY p.id
"""


def create_app(dsn: str) -> Starlette:
    pool: asyncpg.Pool | None = None
    settings = get_settings()
    store = object_store(settings)

    def thumbnail_url(key: str | None) -> str | None:
        return None if key is None else store.download_url(key, settings.url_expiry_seconds)

    @asynccontextmanager
    async def lifespan(_: Starlette):  # noqa: ANN202
        nonlocal pool
        pool = await asyncpg.create_pool(dsn, min_size=4, max_size=10)
        yield
        await pool.close()

    async def samples(request: Request) -> Response:
        body = orjson.loads(await request.body())
        variables = body.get("variables") or {}
        after = variables.get("after")
        after_id = orjson.loads(base64.urlsafe_b64decode(after + "=" * (-len(after) % 4)))[0] if after else None
        rows = await pool.fetch(PAGE, variables.get("first", 100), after_id)
        edges = [{"node": {
            "materialSampleName": r["material_sample_name"],
            "collectors": orjson.loads(r["collectors"]),
            "primaryDetermination": r["primary_name"] and {"scientificName": r["primary_name"]},
            "sequences": orjson.loads(r["sequences"]),
            "attachments": [{"thumbnailUrl": thumbnail_url(key)} for key in orjson.loads(r["thumbnails"])],
        }} for r in rows]
        return Response(orjson.dumps({"data": {"materialSamples": {"edges": edges}}}),
                        media_type="application/json")

    return Starlette(routes=[Route("/graphql", samples, methods=["POST"])], lifespan=lifespan)


if __name__ == "__main__":
    import uvicorn

    uvicorn.run(create_app(os.environ["DATABASE_URL"]), host="127.0.0.1", port=int(os.environ["PORT"]),
                log_level="warning", loop="uvloop", http="httptools", access_log=False)
