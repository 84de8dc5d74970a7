"""The Python client's throughput: N synthetic samples through the router into a pandas DataFrame.

Seeds N samples (subgraphs/exchange/synthetic.py: each with a collecting event, two collectors, a
primary determination, two sequences and a photo), starts the subgraphs and the router as `serve`
does, and times `client.samples(limit=N)` — every Darwin Core column, so every page crosses the
collection, agents and molecular subgraphs — at several page sizes, then a two-column frame and a
Parquet file. Prints rows/s and the page sizes asked for and used (the router's cost limit,
DINA_MAX_COST, refuses large pages of many nested lists; the client then halves them).

    .venv/bin/python benchmarks/client_frame.py                  # 10,000 samples
    .venv/bin/python benchmarks/client_frame.py --samples 50000 --pages 500,1000
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import asyncpg
from dina_graph_client import Client
from dina_graph_client.client import PAGE_SIZE

from subgraphs.core.runtime import migrate
from subgraphs.core.runtime.federation import start_router, url_overrides
from subgraphs.core.runtime.processes import spawn, stop, wait_until_ready
from subgraphs.core.runtime.settings import Settings
from subgraphs.exchange.synthetic import load_synthetic
from subgraphs.registry import SCHEMAS


def timed(label: str, rows: int, client: Client, run: Callable[[], int]) -> None:
    asked = client.page_size
    began = time.perf_counter()
    got = run()
    seconds = time.perf_counter() - began
    assert got == rows, f"{label}: {got} rows, expected {rows}"
    pages = f"{asked}" if client.page_size == asked else f"{asked} -> {client.page_size}"
    print(f"{label:<36}{pages:>13}{rows:>8,}{seconds:>9.2f}{rows / seconds:>10,.0f}", flush=True)


def measure(args: argparse.Namespace, database_url: str, data_dir: str) -> None:
    env = {"DATABASE_URL": database_url, "DINA_DATA_DIR": data_dir, "DINA_SUBGRAPH_PORT": str(args.subgraph_port),
           "DINA_DEV": "true", "DINA_LOG_LEVEL": "WARNING"}
    subgraphs = spawn([sys.executable, "-m", "subgraphs.cli", "subgraphs"], env=env)
    router = None
    try:
        wait_until_ready(f"http://127.0.0.1:{args.subgraph_port}/healthz", subgraphs, timeout=120)
        router = start_router("127.0.0.1", args.router_port, url_overrides(list(SCHEMAS), "127.0.0.1", args.subgraph_port)
                              | Settings(dev=True).router_env())
        wait_until_ready(f"http://127.0.0.1:{args.router_port}/readiness", router, timeout=120)
        url = f"http://127.0.0.1:{args.router_port}/graphql"
        n = args.samples
        print(f"\n{n:,} samples, router on loopback, {os.cpu_count()} cores, Python {sys.version.split()[0]}; "
              f"the client's default page size is {PAGE_SIZE} (the API caps pages at 1000)")
        print(f"{'what':<36}{'page size':>13}{'rows':>8}{'s':>9}{'rows/s':>10}")
        for page in args.pages:
            client = Client(url, page_size=page, progress=False)
            assert client.schema is not None  # introspection once, outside the timing
            timed("samples(), Darwin Core columns", n, client, lambda c=client: len(c.samples(limit=n)))
        client = Client(url, progress=False)
        timed("samples(fields=[2 columns])", n, client,
              lambda: len(client.samples(limit=n, fields=["catalogNumber", "scientificName"])))
        with tempfile.TemporaryDirectory() as folder:
            timed("to_parquet(), Darwin Core columns", n, client,
                  lambda: client.to_parquet(Path(folder) / "samples.parquet", "materialSamples", limit=n))
        print("(a -> b: the router's cost limit refused pages of a, the client asked for b)")
    finally:
        if router is not None:
            stop(router)
        stop(subgraphs)


async def main(args: argparse.Namespace) -> None:
    name = f"dina_bench_client_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(args.admin_url)
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = args.admin_url.rsplit("/", 1)[0] + f"/{name}"
    try:
        await asyncio.to_thread(migrate.upgrade, url)
        await load_synthetic(url, args.samples)
        with tempfile.TemporaryDirectory() as data_dir:
            await asyncio.to_thread(measure, args, url, data_dir)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--pages", type=lambda v: [int(p) for p in v.split(",")], default=[100, 500, PAGE_SIZE],
                        help="page sizes to measure, comma-separated (default 100,500,1000)")
    parser.add_argument("--subgraph-port", type=int, default=4211)
    parser.add_argument("--router-port", type=int, default=4210)
    parser.add_argument("--admin-url", default=os.environ.get(
        "DINA_BENCH_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))
    asyncio.run(main(parser.parse_args()))
