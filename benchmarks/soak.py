"""A bounded soak of a running `serve`: 16 clients, mixed reads and writes through the router.

    ./run serve &                      # or any serve; its data dir holds the pidfile and dev key
    .venv/bin/python benchmarks/soak.py --minutes 10 --data-dir .dina

Prints, at the start, middle and end: requests, errors (HTTP status other than 200, or any GraphQL
error), p50/p99 latency of the period, and the RSS of each process serve recorded in its pidfile
(serve itself, the router, the embedded PostgreSQL). Goal: 0 errors, RSS growth under 10 % after
warm-up (start → end). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from subgraphs.core.security.devkeys import DEV_ISSUER, DEV_KID, dev_private_key, mint_token  # noqa: E402

READS = [
    "{ materialSamples(first: 20) { totalCount edges { node { id materialSampleName collectors { id } } } } }",
    'query($p: String) { materialSamples(first: 10, filter: {materialSampleName: {startsWith: $p}}) '
    "{ edges { node { id } } } }",
    "{ preparationTypes(first: 20) { edges { node { id name } } } }",
]
WRITE = """mutation($input: CreatePreparationTypeInput!) { createPreparationType(input: $input) {
  preparationType { id } errors { code } } }"""


def processes(data_dir: Path) -> dict[str, psutil.Process]:
    record = json.loads((data_dir / "serve.pid").read_text())
    found = {"serve (subgraphs)": psutil.Process(record["owner"]["pid"])}
    found |= {name: psutil.Process(entry["pid"]) for name, entry in record["processes"].items()}
    return found


def rss_mb(process: psutil.Process, own: bool) -> float:
    """The process with its children (the router's node workers, PostgreSQL's backends), or alone
    (``own``: serve, whose children are reported on their own lines)."""
    total = 0
    for p in [process, *([] if own else process.children(recursive=True))]:
        try:
            total += p.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total / 1e6


async def client(url: str, token: str, until: float, latencies: list[float], errors: list[str]) -> None:
    async with httpx.AsyncClient(timeout=60, headers={"authorization": f"Bearer {token}"}) as http:
        while time.monotonic() < until:
            if random.random() < 0.2:
                body = {"query": WRITE, "variables": {"input": {"group": "soak", "name": f"soak {uuid.uuid4()}"}}}
            else:
                body = {"query": random.choice(READS), "variables": {"p": random.choice("ABCDEFGHIJ")}}
            started = time.perf_counter()
            try:
                response = await http.post(url, json=body)
                answer = response.json()
                if response.status_code != 200 or answer.get("errors") or any(
                        isinstance(v, dict) and v.get("errors") for v in (answer.get("data") or {}).values()):
                    errors.append(f"{response.status_code} {response.text[:200]}")
            except (httpx.HTTPError, ValueError) as error:
                errors.append(repr(error))
            latencies.append(time.perf_counter() - started)


def report(label: str, latencies: list[float], errors: list[str], procs: dict[str, psutil.Process]) -> dict:
    ordered = sorted(latencies) or [0.0]
    figures = {name: rss_mb(p, own=name.startswith("serve")) for name, p in procs.items()}
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(f"{label:>6}: {len(latencies):6} requests, {len(errors)} errors, p50 {statistics.median(ordered) * 1000:.0f} ms,"
          f" p99 {p99 * 1000:.0f} ms; RSS " + ", ".join(f"{n} {mb:.0f} MB" for n, mb in figures.items()), flush=True)
    for error in errors[:5]:
        print(f"        error: {error}")
    return figures


async def soak(args: argparse.Namespace) -> int:
    procs = processes(args.data_dir)
    token = mint_token(dev_private_key(args.data_dir), kid=DEV_KID, issuer=DEV_ISSUER, audience="dina-graph",
                       subject="soak", groups=["/soak/admin"])
    start = time.monotonic()
    end = start + args.minutes * 60
    latencies: list[float] = []
    errors: list[str] = []
    tasks = [asyncio.create_task(client(args.router, token, end, latencies, errors)) for _ in range(args.clients)]
    first = report("start", [], [], procs)
    seen = 0
    for label, at in (("middle", start + args.minutes * 30), ("end", end)):
        await asyncio.sleep(max(0.0, at - time.monotonic()))
        if label == "end":
            await asyncio.gather(*tasks)
        last = report(label, latencies[seen:], errors, procs)
        seen = len(latencies)
    growth = {n: (last[n] - first[n]) / first[n] * 100 for n in first if first[n]}
    print("RSS growth start → end: " + ", ".join(f"{n} {g:+.1f} %" for n, g in growth.items()))
    print(f"total: {len(latencies)} requests, {len(errors)} errors")
    return 1 if errors else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--data-dir", type=Path, default=Path(".dina"))
    parser.add_argument("--router", default="http://127.0.0.1:4000/graphql")
    return asyncio.run(soak(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
