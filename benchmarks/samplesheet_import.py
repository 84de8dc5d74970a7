"""Sample sheet import speed: a 384-library run (the real Nextera XT sheet in ../shared/data/ngs, 384 matching
material samples) imported into a throw-away database the way `dina-graph import samplesheet` does it.

Prints the parse time, then the whole import (parse, sample matching, checks, writes, audit) per round, with
the best and median of ``--rounds`` (each into its own group); the issue's target is under 2 s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
import uuid
from pathlib import Path

import asyncpg

from subgraphs.collection.service import create_material_sample
from subgraphs.core.data.db import Database
from subgraphs.core.runtime import migrate
from subgraphs.exchange.samplesheet import import_file
from subgraphs.molecular.ngs import samplesheet

SHEET = Path(__file__).resolve().parents[3] / "shared" / "data" / "ngs" / "nexterxt-384-hiseq-v1.csv"


async def main(args: argparse.Namespace) -> None:
    text = args.sheet.read_text(encoding="utf-8-sig")
    began = time.perf_counter()
    sheet = samplesheet.parse(text)
    print(f"parse: {len(sheet.rows)} rows in {(time.perf_counter() - began) * 1000:.0f} ms")
    name = f"dina_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(args.admin_url)
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = args.admin_url.rsplit("/", 1)[0] + f"/{name}"
    db = Database(url, pool_size=2)
    try:
        await asyncio.to_thread(migrate.upgrade, url)
        seconds = []
        for round in range(args.rounds):
            group = f"bench{round}"
            async with db.unit_of_work() as session:  # the catalogue the Sample_IDs are matched against
                for row in sheet.rows:
                    await create_material_sample(session, actor="benchmark", group=group,
                                                 material_sample_name=row.sample_id)
            began = time.perf_counter()
            report = await import_file(db, text, group=group, actor="benchmark", default_name="bench")
            seconds.append(time.perf_counter() - began)
            assert not report.defects and report.samples_linked == len(sheet.rows), report.defects
            print(f"round {round + 1}: {report.libraries} libraries, {report.samples_linked} linked to samples, "
                  f"{report.pools} pool(s) in {seconds[-1]:.2f} s", flush=True)
    finally:
        await db.dispose()
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
    best, median = min(seconds), statistics.median(seconds)
    print(f"\n384-library sheet import: best {best:.2f} s, median {median:.2f} s; "
          f"target under 2 s: {'met' if median < 2 else 'not met'}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sheet", type=Path, default=SHEET, help="the sample sheet (default: the real 384-library one)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--admin-url", default=os.environ.get(
        "DINA_BENCH_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))
    asyncio.run(main(parser.parse_args()))
