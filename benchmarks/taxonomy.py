"""Taxonomy speed: a 100,000-taxon checklist imported as a classification, and "samples below a taxon" pages.

Writes a synthetic Taxon-core archive (kingdom > 5 phyla > 25 classes > 125 orders > 625 families >
6,250 genera > species, every tenth species with a synonym, linked by parentNameUsageID and
acceptedNameUsageID), imports it into a throw-away database with the row-by-row archive importer (its
checklist path builds the tree in memory and COPYs it), then loads N synthetic samples (exchange.synthetic),
links their determinations to the checklist's species, and times pages of 100 samples filtered by
`taxon: {descendantOf: …}` on the collection subgraph over HTTP, for families and for a whole class.
Targets (issue 24): the import under 30 s, a 100-sample page under 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import threading
import time
import uuid
from pathlib import Path

import asyncpg
import httpx
import uvicorn

from subgraphs.core.data.db import Database
from subgraphs.core.http.app import subgraphs_app
from subgraphs.core.runtime import migrate
from subgraphs.core.runtime.processes import wait_until_ready
from subgraphs.core.runtime.settings import Settings
from subgraphs.exchange.dwca.importer import import_archive
from subgraphs.exchange.synthetic import load_synthetic
from subgraphs.registry import SCHEMAS

TERMS = ["taxonID", "parentNameUsageID", "acceptedNameUsageID", "scientificName", "scientificNameAuthorship",
         "taxonRank", "taxonomicStatus"]
LEVELS = [("phylum", 5), ("class", 5), ("order", 5), ("family", 5), ("genus", 10)]  # children per parent
PAGE = """query($taxon: ID!) { materialSamples(first: 100, filter: {taxon: {descendantOf: $taxon}}) {
  edges { node { materialSampleName effectiveScientificName } } } }"""
# The same page without the filter (the variable varies it, so no cache answers): what the filter adds.
BASELINE = """query($taxon: ID!) { materialSamples(first: 100, filter: {not: {id: {eq: $taxon}}}) {
  edges { node { materialSampleName effectiveScientificName } } } }"""


def write_checklist(folder: Path, taxa: int) -> None:
    fields = "".join(f'<field index="{i}" term="http://rs.tdwg.org/dwc/terms/{t}"/>' for i, t in enumerate(TERMS))
    (folder / "meta.xml").write_text(
        '<archive xmlns="http://rs.tdwg.org/dwc/text/"><core encoding="UTF-8" fieldsTerminatedBy="\\t" '
        'linesTerminatedBy="\\n" fieldsEnclosedBy="" ignoreHeaderLines="1" rowType="http://rs.tdwg.org/dwc/terms/Taxon">'
        f'<files><location>taxa.txt</location></files><id index="0"/>{fields}</core></archive>')
    rows = [("k0", "", "", "Synthetica", "", "kingdom", "accepted")]
    parents = ["k0"]
    for rank, fan_out in LEVELS:
        level = [f"{rank[0]}{i}" for i in range(len(parents) * fan_out)]
        rows += [(tid, parents[i // fan_out], "", f"{rank.title()}{tid[1:]}", "", rank, "accepted")
                 for i, tid in enumerate(level)]
        parents = level
    species = 0
    while len(rows) < taxa:
        tid = f"s{species}"
        rows.append((tid, parents[species % len(parents)], "", f"Synthetica species{species}", "Bench, 2026",
                     "species", "accepted"))
        if species % 10 == 0 and len(rows) < taxa:
            rows.append((f"y{species}", "", tid, f"Synthetica synonymus{species}", "", "species", "synonym"))
        species += 1
    with (folder / "taxa.txt").open("w") as out:
        out.write("\t".join(TERMS) + "\n")
        out.writelines("\t".join(row) + "\n" for row in rows)


def serve(url: str) -> tuple[uvicorn.Server, threading.Thread, Database, int]:
    db = Database(url, pool_size=5)
    port = int(os.environ.get("BENCH_PORT", "4391"))
    server = uvicorn.Server(uvicorn.Config(subgraphs_app(SCHEMAS, db, Settings(dev=True)), host="127.0.0.1",
                                           port=port, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_until_ready(f"http://127.0.0.1:{port}/healthz", timeout=30)
    return server, thread, db, port


async def pages(client: httpx.AsyncClient, url: str, taxa: list[str], rounds: int, query: str = PAGE) -> list[float]:
    times = []
    for i in range(rounds):
        began = time.perf_counter()
        response = await client.post(url, json={"query": query, "variables": {"taxon": taxa[i % len(taxa)]}})
        times.append((time.perf_counter() - began) * 1000)
        body = response.json()
        assert "errors" not in body and body["data"]["materialSamples"]["edges"], body
    return times


async def main(args: argparse.Namespace) -> None:
    name = f"dina_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(args.admin_url)
    await admin.execute(f'CREATE DATABASE "{name}"')
    # PostgreSQL's default random_page_cost (4) is for spinning disks; with it the planner hashes whole
    # determination and organism tables instead of following the taxon_id index for a small subtree.
    await admin.execute(f'ALTER DATABASE "{name}" SET random_page_cost = {args.random_page_cost}')
    url = args.admin_url.rsplit("/", 1)[0] + f"/{name}"
    try:
        await asyncio.to_thread(migrate.upgrade, url)
        db = Database(url, pool_size=2)
        with tempfile.TemporaryDirectory() as tmp:
            write_checklist(Path(tmp), args.taxa)
            began = time.perf_counter()
            report = await import_archive(db, Path(tmp), group="bench", actor="benchmark")
            seconds = time.perf_counter() - began
        print(f"checklist import: {report.taxa:,} taxa ({len(report.defects)} defects) in {seconds:.1f} s "
              f"= {report.taxa / seconds:,.0f} taxa/s (target: 100,000 in under 30 s)", flush=True)
        await load_synthetic(url, args.samples, group="bench")
        conn = await asyncpg.connect(url)
        try:  # each sample's determination ("Synthetica species{i % 997}") linked to the checklist's species
            await conn.execute("UPDATE collection.determination d SET taxon_id = t.id FROM collection.taxon t "
                               "WHERE t.scientific_name = d.scientific_name AND t.rank = 'species'")
            await conn.execute("ANALYZE")
            families = [r["id"] for r in await conn.fetch(
                "SELECT t.id FROM collection.taxon t JOIN collection.taxon s ON s.path @> ARRAY[t.id] "
                "JOIN collection.determination d ON d.taxon_id = s.id WHERE t.rank = 'family' "
                "GROUP BY t.id ORDER BY count(*) DESC LIMIT 50")]
            big = await conn.fetchval("SELECT id FROM collection.taxon WHERE source_id = 'c0'")
        finally:
            await conn.close()
        await db.dispose()
        server, thread, served, port = serve(url)
        try:
            async with httpx.AsyncClient(timeout=30) as client:
                endpoint = f"http://127.0.0.1:{port}/collection/graphql"
                await pages(client, endpoint, [str(f) for f in families], 10)  # warm up
                for label, taxa, query in [
                        ("one of the 50 fullest families", [str(f) for f in families], PAGE),
                        (f"a class (~{args.samples // 25:,} samples)", [str(big)], PAGE),
                        ("nothing (no taxon filter: the same page's cost without it)", [str(f) for f in families],
                         BASELINE)]:
                    before = served.statements.count
                    times = await pages(client, endpoint, taxa, args.rounds, query)
                    statements = (served.statements.count - before) / args.rounds
                    print(f"descendant filter over {args.samples:,} samples, 100-sample page below {label}: "
                          f"median {statistics.median(times):.1f} ms, p95 "
                          f"{sorted(times)[int(len(times) * 0.95) - 1]:.1f} ms, {statements:.0f} SQL statements "
                          "(target: under 50 ms)", flush=True)
        finally:
            server.should_exit = True
            thread.join(10)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--taxa", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--random-page-cost", type=float, default=1.1, help="the database's (SSD: 1.1; default 4)")
    parser.add_argument("--admin-url", default=os.environ.get("DINA_TEST_ADMIN_URL",
                                                              "postgresql://postgres@127.0.0.1:5432/postgres"))
    asyncio.run(main(parser.parse_args()))
