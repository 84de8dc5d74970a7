"""`dina-graph serve` as a user runs it: a real process tree, stopped with Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil
import pytest

from subgraphs.core.processes import wait_until_ready

from .conftest import create_database, drop_database, free_port, graphql

DEMO_QUERY = """{ materialSamples(first: 10) { totalCount edges { node {
  materialSampleName collectors { displayName } sequences { accession length }
  attachments { caption originalFilename creator { displayName } } } } } }"""


@contextmanager
def serving(data_dir: Path, *args: str, database_url: str | None = None,
            stop_with: signal.Signals = signal.SIGINT) -> Iterator[dict[str, int]]:
    ports = {"router": free_port(), "subgraphs": free_port()}
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"DINA_DEV": "true",  # as `./run serve` sets it: the embedded demo runs in development mode
            "DINA_DATA_DIR": str(data_dir), "DINA_ROUTER_PORT": str(ports["router"]),
            "DINA_SUBGRAPH_PORT": str(ports["subgraphs"])}
    if database_url:
        env["DATABASE_URL"] = database_url
    process = subprocess.Popen(
        [sys.executable, "-m", "subgraphs.cli", "serve", *args], env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        wait_until_ready(f"http://127.0.0.1:{ports['subgraphs']}/healthz", process, timeout=120)
        yield ports
    finally:
        process.send_signal(stop_with)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert "stopped" in output


def demo_by_name(body: dict) -> dict[str, dict]:
    assert "errors" not in body, body
    return {e["node"]["materialSampleName"]: e["node"] for e in body["data"]["materialSamples"]["edges"]}


async def test_serve_runs_router_and_subgraphs_on_a_given_database(tmp_path: Path) -> None:
    name = f"dina_serve_{uuid.uuid4().hex[:8]}"
    url = await create_database(name)
    try:
        with serving(tmp_path, database_url=url) as ports:
            wait_until_ready(f"http://127.0.0.1:{ports['router']}/healthcheck", timeout=120)
            samples = demo_by_name(graphql(f"http://127.0.0.1:{ports['router']}/graphql", DEMO_QUERY, token=None))
    finally:
        await drop_database(name)

    newt = samples["RuHF-TBB-01-4"]  # GenBank EF525953's /specimen_voucher
    assert newt["collectors"] == [{"displayName": "Rafael Fonoll"}]
    assert newt["sequences"] == [{"accession": "EF525953", "length": 146}]
    gecko = samples["iNat photo voucher: Gekko smithii, Penang"]
    assert gecko["attachments"] == [{
        "caption": "Foot of a giant forest gecko (Gekko smithii)",
        "originalFilename": "gecko-foot-malaysia.jpg", "creator": {"displayName": "Tony Iwane"},
    }]
    assert (tmp_path / "media" / "demo").is_dir()


@pytest.mark.skipif(sys.platform != "linux", reason="pgserver wheels are tested on Linux here")
def test_embedded_database_is_created_then_reused(tmp_path: Path) -> None:
    for _ in range(2):
        with serving(tmp_path, "--no-router") as ports:
            body = graphql(
                f"http://127.0.0.1:{ports['subgraphs']}/collection/graphql", "{ materialSamples { totalCount } }", token=None
            )
        assert body == {"data": {"materialSamples": {"totalCount": 4}}}  # loaded once, not twice
    assert (tmp_path / "postgres" / "PG_VERSION").is_file()


@pytest.mark.skipif(sys.platform != "linux", reason="pgserver wheels are tested on Linux here")
def test_sigterm_stops_the_router_and_the_embedded_database_too(tmp_path: Path) -> None:
    """As `docker stop`, systemd or `kill` stop it: nothing it started is left running."""
    with serving(tmp_path, "--no-demo", stop_with=signal.SIGTERM) as ports:
        wait_until_ready(f"http://127.0.0.1:{ports['router']}/healthcheck", timeout=120)
        started = [p for p in psutil.process_iter(["cmdline"]) if _started_by_serve(p, tmp_path, ports)]
        assert len(started) >= 2, "the router and the embedded PostgreSQL"

    _, alive = psutil.wait_procs(started, timeout=15)
    left = [p.info["cmdline"] for p in alive]
    for process in alive:  # not into the next test
        process.kill()
    assert not left, left


def _started_by_serve(process: psutil.Process, data_dir: Path, ports: dict[str, int]) -> bool:
    command = " ".join(process.info["cmdline"] or [])
    return f"{data_dir}/postgres" in command or ("hive-gateway" in command and f"--port {ports['router']}" in command)
