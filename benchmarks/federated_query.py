"""Router vs direct subgraph on the cross-subgraph sample query (loopback, bounded load).

Seeds a throw-away database with synthetic samples (COPY), starts the subgraphs and the real
router as child processes, then drives both with the same closed-loop async client.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import time
import uuid
from dataclasses import dataclass

import asyncpg
import httpx

from subgraphs.core import migrate
from subgraphs.core.federation import start_router, url_overrides
from subgraphs.core.processes import spawn, stop, wait_until_ready
from subgraphs.exchange.synthetic import load_synthetic
from subgraphs.registry import SCHEMAS

ROUTER_QUERY = """query($first: Int!, $after: String) { materialSamples(first: $first, after: $after) {
  edges { node { materialSampleName collectors { displayName } sequences { accession }
                 attachments { caption creator { displayName } } } } } }"""
DIRECT_QUERY = """query($first: Int!, $after: String) { materialSamples(first: $first, after: $after) {
  edges { node { materialSampleName collectors { id } attachments { id } } } } }"""


@dataclass
class Result:
    name: str
    requests: int
    seconds: float
    latencies: list[float]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        return statistics.quantiles(self.latencies, n=100)[int(p) - 1] * 1000


async def cursors(client: httpx.AsyncClient, url: str, count: int) -> list[str | None]:
    """Start positions spread over the data, so no two concurrent requests are identical."""
    query = "query($after: String) { materialSamples(first: 50, after: $after) { pageInfo { endCursor } } }"
    found: list[str | None] = [None]
    while len(found) < count:
        response = await client.post(url, json={"query": query, "variables": {"after": found[-1]}})
        found.append(response.json()["data"]["materialSamples"]["pageInfo"]["endCursor"])
    return found


async def drive(name: str, url: str, query: str, starts: list[str | None], page: int,
                duration: float, concurrency: int) -> Result:
    latencies: list[float] = []
    deadline = time.perf_counter() + duration
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:

        async def worker() -> None:
            while time.perf_counter() < deadline:
                variables = {"first": page, "after": random.choice(starts)}
                began = time.perf_counter()
                response = await client.post(url, json={"query": query, "variables": variables})
                latencies.append(time.perf_counter() - began)
                body = response.json()
                if "errors" in body or len(body["data"]["materialSamples"]["edges"]) != page:
                    raise RuntimeError(f"{name}: bad response {str(body)[:300]}")

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return Result(name, len(latencies), time.perf_counter() - began, latencies)


async def main(args: argparse.Namespace) -> None:
    name = f"dina_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(args.admin_url)
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = args.admin_url.rsplit("/", 1)[0] + f"/{name}"
    processes = []
    try:
        await asyncio.to_thread(migrate.upgrade, url)
        began = time.perf_counter()
        await load_synthetic(url, args.samples)
        print(f"seeded {args.samples:,} samples in {time.perf_counter() - began:.1f}s", flush=True)
        env = {"DATABASE_URL": url, "DINA_SUBGRAPH_PORT": str(args.subgraph_port), "DINA_DEV": "false",
               "DINA_LOG_LEVEL": "WARNING"}
        processes.append(spawn([sys.executable, "-m", "subgraphs.cli", "subgraphs"], env=env))
        wait_until_ready(f"http://127.0.0.1:{args.subgraph_port}/healthz", processes[-1])
        processes.append(start_router("127.0.0.1", args.router_port,
                                      url_overrides(list(SCHEMAS), "127.0.0.1", args.subgraph_port)))
        wait_until_ready(f"http://127.0.0.1:{args.router_port}/healthcheck", processes[-1], 120)
        router = f"http://127.0.0.1:{args.router_port}/graphql"
        direct = f"http://127.0.0.1:{args.subgraph_port}/collection/graphql"
        async with httpx.AsyncClient(timeout=30) as client:
            starts = await cursors(client, direct, min(200, args.samples // 50))
        starts = starts[: len(starts) - args.page // 50]  # every start has a full page after it
        targets = [("router: 4 subgraphs", router, ROUTER_QUERY), ("direct: collection", direct, DIRECT_QUERY)]
        for label, target, query in targets:  # warm-up: pools, JIT of the query planner
            await drive(label, target, query, starts, args.page, 2, args.concurrency)
        results = [await drive(label, target, query, starts, args.page, args.duration, args.concurrency)
                   for label, target, query in targets]
    finally:
        for process in reversed(processes):
            stop(process)
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()

    print(f"\n{args.page} samples per request, {args.concurrency} concurrent clients, "
          f"{args.duration:.0f}s per target, {os.cpu_count()} cores")
    print(f"{'target':<22}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'requests':>10}")
    for r in results:
        print(f"{r.name:<22}{r.rps:>9.1f}{r.percentile(50):>9.1f}{r.percentile(99):>9.1f}{r.requests:>10}")
    router_result, direct_result = results
    print(f"\nrouter/direct req/s ratio: {router_result.rps / direct_result.rps:.2f}")
    print(f"router p50 overhead over direct: {router_result.percentile(50) - direct_result.percentile(50):.1f} ms")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=10_000, help="synthetic samples to seed (default 10000)")
    parser.add_argument("--page", type=int, default=100, help="samples per request (default 100)")
    parser.add_argument("--duration", type=float, default=10, help="seconds of load per target (default 10)")
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--subgraph-port", type=int, default=4201)
    parser.add_argument("--router-port", type=int, default=4200)
    parser.add_argument("--admin-url", default=os.environ.get(
        "DINA_BENCH_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="PostgreSQL server where a throw-away database is created")
    return parser.parse_args()


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
