"""The benchmark suite: the cross-subgraph sample query through the router, against its floor.

One run, side by side on loopback, with the same closed-loop async client for every target:
  router   the 100-sample query (collectors, primary determination, sequences' accessions, photos'
           thumbnail URLs) via each router engine: Hive Gateway as `serve` runs it, and for
           comparison Apollo's gateway (../shared/peer, when installed) and Grafbase (--grafbase BIN)
  floor    the same JSON from raw asyncpg + Starlette (benchmarks/floor.py): the best this machine does
  direct   the collection part of the query straight to the collection subgraph
  lookup   one sample by id through the router (latency)
It prints req/s, p50 and p99, per engine the ratios router/floor and router/direct, the router's
overhead share of its p50 and its CPU ms per request, SQL statements per
request, CPU milliseconds per request spent by each process (router, subgraphs, floor, the load
client, PostgreSQL), the subgraphs' busiest functions on the router path (py-spy, top 10), and a
cProfile (top 10) of the collection subgraph executing its part.
Requests vary their variables: the router de-duplicates identical in-flight requests.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import os
import pstats
import random
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil
from scratch import scratch_database

from subgraphs.core.runtime.federation import start_router, subgraph_url, url_overrides
from subgraphs.core.runtime.processes import spawn, stop, wait_until_ready
from subgraphs.exchange.synthetic import load_synthetic
from subgraphs.registry import SCHEMAS

ROUTER_QUERY = """query($first: Int!, $after: String) { materialSamples(first: $first, after: $after) {
  edges { node { materialSampleName collectors { displayName } primaryDetermination { scientificName }
                 sequences { accession } attachments { thumbnailUrl } } } } }"""
DIRECT_QUERY = """query($first: Int!, $after: String) { materialSamples(first: $first, after: $after) {
  edges { node { materialSampleName collectors { id } primaryDetermination { scientificName }
                 attachments { id } } } } }"""
LOOKUP_QUERY = """query($id: ID!) { materialSample(id: $id) { materialSampleName collectors { displayName }
  sequences { accession } attachments { caption } } }"""


@dataclass
class Result:
    name: str
    requests: int
    seconds: float
    latencies: list[float]
    statements: float | None = None
    cpu_ms: dict[str, float] | None = None  # CPU milliseconds per request, by process

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def ms(self, percentile: int) -> float:
        return statistics.quantiles(self.latencies, n=100)[percentile - 1] * 1000


async def drive(name: str, url: str, query: str, variables: Callable[[], dict], check: Callable[[dict], bool],
                duration: float, concurrency: int) -> Result:
    latencies: list[float] = []
    deadline = time.perf_counter() + duration
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:

        async def worker() -> None:
            while time.perf_counter() < deadline:
                began = time.perf_counter()
                response = await client.post(url, json={"query": query, "variables": variables()})
                latencies.append(time.perf_counter() - began)
                body = response.json()
                if "errors" in body or not check(body["data"]):
                    raise RuntimeError(f"{name}: bad response {str(body)[:300]}")

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return Result(name, len(latencies), time.perf_counter() - began, latencies)


def cpu_seconds(processes: dict[str, int]) -> dict[str, dict[int, float]]:
    """User + system CPU seconds used so far, per process, by each named process with its children,
    and by PostgreSQL (the whole server: keep the machine quiet)."""
    used = {"postgres": {p.pid: _cpu(p) for p in psutil.process_iter(["name"]) if p.info["name"] == "postgres"}}
    for name, pid in processes.items():
        parent = psutil.Process(pid)
        # The load client's own time only: the servers are its children.
        tree = [parent] if pid == os.getpid() else [parent, *parent.children(recursive=True)]
        used[name] = {p.pid: _cpu(p) for p in tree}
    return used


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds between two readings (processes come and go: one that ended is not counted)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def _cpu(process: psutil.Process) -> float:
    try:
        times = process.cpu_times()
    except psutil.NoSuchProcess:
        return 0.0
    return times.user + times.system


async def sql_statements(client: httpx.AsyncClient, subgraph_port: int) -> int:
    return (await client.get(f"http://127.0.0.1:{subgraph_port}/healthz")).json()["sql_statements"]


def profile_collection_part(url: str, page: int) -> str:
    """cProfile of the collection subgraph executing its part of the query in this process (through
    Strawberry and the batched executor, as its server runs it)."""
    from subgraphs.core.data.db import Database
    from subgraphs.core.execution.context import RequestContext
    from subgraphs.core.runtime.settings import Settings

    async def run() -> None:
        db, settings = Database(url, pool_size=2), Settings()
        schema = SCHEMAS["collection"]
        for _ in range(3):  # warm up
            await schema.execute(DIRECT_QUERY, {"first": page}, RequestContext(None, None, db, settings))
        profiler.enable()
        for _ in range(20):
            result = await schema.execute(DIRECT_QUERY, {"first": page}, RequestContext(None, None, db, settings))
        profiler.disable()
        assert not result.errors, result.errors
        await db.dispose()

    profiler = cProfile.Profile()
    asyncio.run(run())
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(10)
    return "\n".join(line for line in out.getvalue().splitlines() if line.strip())


async def same_answer(client: httpx.AsyncClient, router: str, floor: str, variables: dict) -> None:
    """The floor must compute what the router answers (signed URLs compared without their expiry
    and signature, which depend on the second they were made in)."""
    answers = [(await client.post(url, json={"query": ROUTER_QUERY, "variables": variables})).json()
               for url in (router, floor)]
    unsigned = [re.sub(r"\?expires=[^\"]*", "", json.dumps(answer, sort_keys=True)) for answer in answers]
    if unsigned[0] != unsigned[1]:
        raise RuntimeError(f"the floor and the router disagree:\n{unsigned[0][:300]}\n{unsigned[1][:300]}")


PY_SPY = Path(sys.executable).with_name("py-spy")
IDLE = ("Runner.run ", "run_forever ", "_run_once ", "select ", "process ")  # waiting; a bare process


def top_functions(collapsed: str, count: int = 10) -> str:
    """Busy samples per function (self time) from py-spy's collapsed stacks, waiting left out."""
    busy: Counter[str] = Counter()
    for line in collapsed.splitlines():
        stack, _, samples = line.rpartition(" ")
        leaf = stack.rsplit(";", 1)[-1]
        if stack and not leaf.startswith(IDLE):
            busy[leaf] += int(samples)
    total = sum(busy.values()) or 1
    return "\n".join(f"{samples / total:6.1%}  {function}" for function, samples in busy.most_common(count))


async def profile_router_path(pid: int, seconds: float, load: Callable[[], Awaitable[Result]]) -> str:
    """py-spy's sample of the subgraph process(es) while the router query runs (a pass of its own,
    after the measured ones, so sampling does not slow the figures)."""
    if not PY_SPY.exists():
        return "(py-spy is not installed: pip install py-spy)"
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "stacks.txt"
        spy = await asyncio.create_subprocess_exec(
            str(PY_SPY), "record", "--subprocesses", "--nonblocking", "-p", str(pid), "-r", "200",
            "-d", str(int(seconds)), "-f", "raw", "-o", str(out), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        await asyncio.sleep(1)  # attached
        await load()
        _, error = await asyncio.wait_for(spy.communicate(), seconds + 30)
        if spy.returncode or not out.exists():
            return f"(py-spy could not sample: {error.decode().strip()[-300:]})"
        return top_functions(out.read_text())


def start_hive(args: argparse.Namespace, _: Path) -> tuple[subprocess.Popen[bytes], str]:
    env = url_overrides(list(SCHEMAS), "127.0.0.1", args.subgraph_port) | {"FORK": str(args.router_fork)}
    return start_router("127.0.0.1", args.router_port, env), f"http://127.0.0.1:{args.router_port}/graphql"


PEER_DIR = Path(__file__).resolve().parents[1] / ".cache" / "peer"


def start_apollo(args: argparse.Namespace, _: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Apollo's JS gateway (the conformance suite's reference), composing the subgraphs itself."""
    process = spawn(["node", "federation-gateway.mjs", "--port", str(args.router_port), "--health-port", "0",
                     *(f"{n}={subgraph_url(n, '127.0.0.1', args.subgraph_port)}" for n in SCHEMAS)], cwd=PEER_DIR)
    return process, f"http://127.0.0.1:{args.router_port}/graphql"


def start_grafbase(args: argparse.Namespace, folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    """`grafbase dev` (the binary of npm's @grafbase/cli-x86_64-unknown-linux-musl) over the same subgraphs."""
    config = []
    for name, schema in SCHEMAS.items():
        (folder / f"{name}.graphql").write_text(schema.as_str())
        config += [f"[subgraphs.{name}]", f'url = "{subgraph_url(name, "127.0.0.1", args.subgraph_port)}"',
                   f'schema_path = "{folder / f"{name}.graphql"}"', ""]
    (folder / "grafbase.toml").write_text("\n".join(config))
    process = spawn([args.grafbase, "dev", "-c", str(folder / "grafbase.toml"), "-p", str(args.router_port)],
                    cwd=folder, env={"HOME": str(folder)})
    return process, f"http://127.0.0.1:{args.router_port}/graphql"


ENGINES = {"hive": start_hive, "apollo": start_apollo, "grafbase": start_grafbase}


def wait_for_graphql(url: str, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
    """Until ``url`` answers a query (engines differ in their health routes)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the router exited with code {process.returncode}")
        try:
            if httpx.post(url, json={"query": "{ __typename }"}, timeout=2).json().get("data"):
                return
        except (httpx.TransportError, ValueError):
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f}s")


async def load(name: str, url: str, text: str, variables: Callable[[], dict], check: Callable[[dict], bool],
               args: argparse.Namespace, client: httpx.AsyncClient, pids: dict[str, int]) -> Result:
    """A warm-up, then the measured pass with the CPU each process spent and the SQL it caused."""
    await drive(name, url, text, variables, check, 2, args.concurrency)
    before, cpu_before = await sql_statements(client, args.subgraph_port), cpu_seconds(pids)
    result = await drive(name, url, text, variables, check, args.duration, args.concurrency)
    cpu_after = cpu_seconds(pids)
    result.cpu_ms = {k: cpu_used(cpu_before[k], cpu_after[k]) * 1000 / result.requests for k in cpu_after}
    if name != "floor" and args.workers == 1:  # each worker counts its own statements
        result.statements = (await sql_statements(client, args.subgraph_port) - before) / result.requests
    return result


async def measure(args: argparse.Namespace, url: str, data_dir: str) -> tuple[list[Result], str]:
    # Dev mode: anonymous reads of every group, as a public portal would be configured.
    # One signing secret for both, so the floor signs the thumbnail URLs as the media subgraph does.
    env = {"DATABASE_URL": url, "DINA_DATA_DIR": data_dir, "DINA_SUBGRAPH_PORT": str(args.subgraph_port), "DINA_DEV": "true",
           "DINA_LOG_LEVEL": "WARNING", "PORT": str(args.floor_port), "DINA_SIGNING_SECRET": secrets.token_hex(32)}
    processes = [spawn([sys.executable, "-m", "subgraphs.cli", "subgraphs", "--workers", str(args.workers)], env=env),
                 spawn([sys.executable, os.path.join(os.path.dirname(__file__), "floor.py")], env=env)]
    try:
        wait_until_ready(f"http://127.0.0.1:{args.subgraph_port}/healthz", processes[0])
        direct = f"http://127.0.0.1:{args.subgraph_port}/collection/graphql"
        floor = f"http://127.0.0.1:{args.floor_port}/graphql"
        async with httpx.AsyncClient(timeout=60) as client:
            query = """query($after: String) { materialSamples(first: 50, after: $after) {
              edges { node { id } } pageInfo { endCursor } } }"""
            starts: list[str | None] = [None]
            ids: list[str] = []
            while len(starts) < min(200, args.samples // 50):
                data = (await client.post(direct, json={"query": query, "variables": {"after": starts[-1]}})).json()
                starts.append(data["data"]["materialSamples"]["pageInfo"]["endCursor"])
                ids += [e["node"]["id"] for e in data["data"]["materialSamples"]["edges"]]
            starts = starts[: len(starts) - args.page // 50]  # every start has a full page after it
            page = lambda: {"first": args.page, "after": random.choice(starts)}  # noqa: E731
            full = lambda data: len(data["materialSamples"]["edges"]) == args.page  # noqa: E731
            pids = {"subgraphs": processes[0].pid, "floor": processes[1].pid, "client": os.getpid()}
            results = [await load("floor", floor, ROUTER_QUERY, page, full, args, client, pids),
                       await load("direct", direct, DIRECT_QUERY, page, full, args, client, pids)]
            router_profile = ""
            for engine in args.engines:
                with tempfile.TemporaryDirectory() as folder:
                    router_process, router = ENGINES[engine](args, Path(folder))
                    try:
                        wait_for_graphql(router, router_process)
                        await same_answer(client, router, floor, {"first": args.page, "after": starts[-1]})
                        with_router = {"router": router_process.pid, **pids}
                        results.append(await load(f"router[{engine}]", router, ROUTER_QUERY, page, full, args, client,
                                                  with_router))
                        results.append(await load(f"lookup[{engine}]", router, LOOKUP_QUERY,
                                                  lambda: {"id": random.choice(ids)},
                                                  lambda data: data["materialSample"] is not None, args, client,
                                                  with_router))
                        if engine == args.engines[0]:
                            router_profile = await profile_router_path(processes[0].pid, args.duration, lambda url=router: drive(
                                "router", url, ROUTER_QUERY, page, full, args.duration - 1, args.concurrency))
                    finally:
                        stop(router_process)
            return results, router_profile
    finally:
        for process in reversed(processes):
            stop(process)


async def measure_direct(args: argparse.Namespace, url: str, data_dir: str, label: str,
                         source: str | None) -> Result:
    """The `direct` target alone, on subgraphs run from ``source`` (another checkout, e.g. the baseline
    commit, first on the import path) or from this one (None)."""
    env = {"DATABASE_URL": url, "DINA_DATA_DIR": data_dir, "DINA_SUBGRAPH_PORT": str(args.subgraph_port),
           "DINA_DEV": "true", "DINA_LOG_LEVEL": "WARNING"} | ({"PYTHONPATH": source} if source else {})
    process = spawn([sys.executable, "-m", "subgraphs.cli", "subgraphs", "--workers", str(args.workers)], env=env)
    try:
        wait_until_ready(f"http://127.0.0.1:{args.subgraph_port}/healthz", process)
        direct = f"http://127.0.0.1:{args.subgraph_port}/collection/graphql"
        async with httpx.AsyncClient(timeout=60) as client:
            query = """query($after: String) { materialSamples(first: 50, after: $after) {
              edges { node { id } } pageInfo { endCursor } } }"""
            starts: list[str | None] = [None]
            while len(starts) < min(200, args.samples // 50):
                data = (await client.post(direct, json={"query": query, "variables": {"after": starts[-1]}})).json()
                starts.append(data["data"]["materialSamples"]["pageInfo"]["endCursor"])
            starts = starts[: len(starts) - args.page // 50]
            page = lambda: {"first": args.page, "after": random.choice(starts)}  # noqa: E731
            full = lambda data: len(data["materialSamples"]["edges"]) == args.page  # noqa: E731
            await drive(label, direct, DIRECT_QUERY, page, full, 2, args.concurrency)  # warm-up
            before = await sql_statements(client, args.subgraph_port)
            result = await drive(label, direct, DIRECT_QUERY, page, full, args.duration, args.concurrency)
            if args.workers == 1:
                result.statements = (await sql_statements(client, args.subgraph_port) - before) / result.requests
            return result
    finally:
        stop(process)


async def compare_direct(args: argparse.Namespace, url: str) -> None:
    """`direct` on the baseline checkout and on this one, alternately, in one session."""
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as data_dir:
        for round_ in range(args.rounds):
            for label, source in (("baseline", args.baseline), ("this", None)):
                results.append(await measure_direct(args, url, data_dir, f"{label}#{round_ + 1}", source))
    print(f"\ndirect: {args.page} samples per request, {args.concurrency} concurrent clients, "
          f"{args.duration:.0f}s per run, baseline {args.baseline}")
    print(f"{'run':<12}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'requests':>10}{'SQL/req':>9}")
    for r in results:
        print(f"{r.name:<12}{r.rps:>9.1f}{r.ms(50):>9.1f}{r.ms(99):>9.1f}{r.requests:>10}{r.statements or 0:>9.1f}")
    mean = {label: statistics.mean(r.rps for r in results if r.name.startswith(label)) for label in ("baseline", "this")}
    print(f"mean req/s: baseline {mean['baseline']:.1f}, this {mean['this']:.1f}, "
          f"this/baseline {mean['this'] / mean['baseline']:.2f}")


async def main(args: argparse.Namespace) -> None:
    async with scratch_database(args.admin_url) as url:
        began = time.perf_counter()
        await load_synthetic(url, args.samples)
        print(f"seeded {args.samples:,} samples (with events, people, determinations, sequences, media) "
              f"in {time.perf_counter() - began:.1f}s", flush=True)
        if args.baseline:
            await compare_direct(args, url)
            return
        with tempfile.TemporaryDirectory() as data_dir:
            results, router_profile = await measure(args, url, data_dir)
        profile = await asyncio.to_thread(profile_collection_part, url, args.page)

    by_name = {r.name: r for r in results}
    print(f"\n{args.page} samples per request (lookup: 1), {args.concurrency} concurrent clients, "
          f"{args.workers} subgraph worker(s), {args.router_fork} Hive Gateway worker(s), "
          f"{args.duration:.0f}s per target, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    processes = list(results[-1].cpu_ms or {})
    print(f"{'target':<18}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'requests':>10}{'SQL/req':>9}   CPU ms/request: "
          + " ".join(f"{p:>9}" for p in processes))
    for r in results:
        sql = f"{r.statements:.1f}" if r.statements is not None else "-"
        cpu = " ".join(f"{r.cpu_ms[p]:>9.1f}" if p in (r.cpu_ms or {}) else f"{'-':>9}" for p in processes)
        print(f"{r.name:<18}{r.rps:>9.1f}{r.ms(50):>9.1f}{r.ms(99):>9.1f}{r.requests:>10}{sql:>9}"
              f"{'':>18}{cpu}")
    floor, direct = by_name["floor"], by_name["direct"]
    print(f"\n{'engine':<10}{'req/s':>8}{'router/floor':>14}{'router/direct':>15}{'overhead of p50':>17}"
          f"{'router CPU ms/req':>19}   (goals: router/floor >= 0.50, PostGraphile measured 0.47; overhead <= 30%)")
    for engine in args.engines:
        router = by_name[f"router[{engine}]"]
        overhead = (router.ms(50) - direct.ms(50)) / router.ms(50)
        print(f"{engine:<10}{router.rps:>8.1f}{router.rps / floor.rps:>14.2f}{router.rps / direct.rps:>15.2f}"
              f"{overhead:>17.0%}{(router.cpu_ms or {})['router']:>19.1f}")
    print(f"\nWhere the subgraphs spend the router path's time (py-spy, busy samples by function):\n{router_profile}")
    print(f"\nCPU profile, collection subgraph executing its part ({args.page} samples, 20 runs):"
          f"\n{profile}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=100_000, help="synthetic samples to seed (default 100000)")
    parser.add_argument("--page", type=int, default=100, help="samples per request (default 100)")
    parser.add_argument("--duration", type=float, default=10, help="seconds of load per target (default 10)")
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--workers", type=int, default=1, help="subgraph worker processes (default 1)")
    parser.add_argument("--router-fork", type=int, default=1, help="Hive Gateway worker processes (default 1)")
    parser.add_argument("--engines", type=lambda v: v.split(","), default=None,
                        help="router engines to measure, comma-separated, the first profiled: hive, apollo, grafbase "
                             "(default: hive, and apollo when ../shared/peer is installed, and grafbase with --grafbase)")
    parser.add_argument("--grafbase", help="the `grafbase` binary, for the grafbase engine")
    parser.add_argument("--subgraph-port", type=int, default=4201)
    parser.add_argument("--router-port", type=int, default=4200)
    parser.add_argument("--floor-port", type=int, default=4202)
    parser.add_argument("--admin-url", default=os.environ.get(
        "DINA_BENCH_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="PostgreSQL server where a throw-away database is created")
    parser.add_argument("--baseline", help="a checkout of another commit (e.g. `git archive main | tar -x -C DIR`): "
                        "measure only `direct`, on its subgraphs and on these, alternately")
    parser.add_argument("--rounds", type=int, default=2, help="--baseline: runs of each (default 2)")
    args = parser.parse_args()
    if args.engines is None:
        args.engines = ["hive", *(["apollo"] if (PEER_DIR / "node_modules").exists() else []),
                        *(["grafbase"] if args.grafbase else [])]
    if unknown := set(args.engines) - set(ENGINES):
        parser.error(f"unknown engine(s) {', '.join(sorted(unknown))}; known: {', '.join(ENGINES)}")
    if "grafbase" in args.engines and not args.grafbase:
        parser.error("the grafbase engine needs --grafbase BIN")
    return args


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
