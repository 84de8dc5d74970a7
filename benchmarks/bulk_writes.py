"""Bulk write speed: N material samples created in one `createMaterialSamples`, then one
`updateMaterialSamplesByFilter` of all of them (a dry run, then for real), against the collection
subgraph in this process (no router: its hop is measured by run.py) on a throw-away database.

Prints seconds and records/s for each, and SQL statements per record.

    .venv/bin/python benchmarks/bulk_writes.py               # 1,000 samples (the default max_bulk_items)
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import tempfile
import time
from pathlib import Path

import httpx
from scratch import scratch_database

from subgraphs.core.data.db import Database
from subgraphs.core.http.app import subgraphs_app
from subgraphs.core.runtime.settings import Settings
from subgraphs.core.security.devkeys import DEV_ISSUER, DEV_KID, dev_private_key, mint_token
from subgraphs.registry import SCHEMAS

GROUP = "bench"
CREATE = """mutation($input: CreateMaterialSamplesInput!) { createMaterialSamples(input: $input) {
  materialSamples { id } errors { index code message } } }"""
STORAGE_UNIT = """mutation($input: CreateStorageUnitInput!) { createStorageUnit(input: $input) {
  storageUnit { id } errors { code } } }"""
PREPARATION = """mutation($input: CreatePreparationTypeInput!) { createPreparationType(input: $input) {
  preparationType { id } errors { code } } }"""
BY_FILTER = """mutation($input: UpdateMaterialSamplesByFilterInput!) { updateMaterialSamplesByFilter(input: $input) {
  count errors { index code message } } }"""


async def post(client: httpx.AsyncClient, query: str, input: dict) -> dict:
    body = (await client.post("/collection/graphql", json={"query": query, "variables": {"input": input}})).json()
    assert "errors" not in body, body
    payload = next(iter(body["data"].values()))
    assert payload["errors"] == [], payload["errors"]
    return payload


async def timed(db: Database, label: str, count: int, work: object) -> None:
    before, began = db.statements.count, time.perf_counter()
    await work  # type: ignore[misc]
    seconds = time.perf_counter() - began
    print(f"{label:<34} {count:>6,} records in {seconds:5.2f}s = {count / seconds:7,.0f}/s, "
          f"{(db.statements.count - before) / count:.1f} SQL statements a record", flush=True)


async def measure(url: str, samples: int, data_dir: Path) -> None:
    settings = Settings(dev=True, data_dir=data_dir, max_bulk_items=max(samples, 1000))
    db = Database(url)
    app = subgraphs_app({"collection": SCHEMAS["collection"]}, db, settings)
    token = mint_token(dev_private_key(data_dir), kid=DEV_KID, issuer=DEV_ISSUER, audience=settings.oidc_audience,
                       subject="benchmark", groups=[f"/{GROUP}/admin"], lifetime=dt.timedelta(hours=1))
    async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://bench", timeout=600,
            headers={"authorization": f"Bearer {token}"}) as client:
        drawer = await post(client, STORAGE_UNIT, {"group": GROUP, "name": "Drawer 1", "unitType": "drawer"})
        drawer_id = drawer["storageUnit"]["id"]
        ethanol = (await post(client, PREPARATION, {"group": GROUP, "name": "ethanol 70%"}))["preparationType"]["id"]
        items = [{"group": GROUP, "materialSampleName": f"BENCH-{i:06d}", "storageUnitId": drawer_id}
                 for i in range(samples)]
        await timed(db, "createMaterialSamples", samples, post(client, CREATE, {"items": items}))
        change = {"filter": {"storageUnit": {"eq": drawer_id}}, "set": {"preparationTypeId": ethanol}}
        await timed(db, "updateMaterialSamplesByFilter dry", samples,
                    post(client, BY_FILTER, change | {"dryRun": True}))
        await timed(db, "updateMaterialSamplesByFilter", samples, post(client, BY_FILTER, change))
    await db.dispose()


async def main(args: argparse.Namespace) -> None:
    async with scratch_database(args.admin_url) as url:
        with tempfile.TemporaryDirectory() as tmp:
            await measure(url, args.samples, Path(tmp))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--admin-url", default=os.environ.get(
        "DINA_BENCH_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))
    asyncio.run(main(parser.parse_args()))
