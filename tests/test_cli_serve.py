"""`dina-graph serve` as a user runs it: a real process tree, stopped with Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil
import pytest

from subgraphs.core.runtime.processes import wait_until_ready

from .conftest import create_database, drop_database, free_port, graphql

DEMO_QUERY = """{ materialSamples(first: 10) { totalCount edges { node {
  materialSampleName collectors { displayName } sequences { accession length }
  attachments { caption originalFilename creator { displayName } } } } } }"""


@contextmanager
def serving(data_dir: Path, *args: str, database_url: str | None = None,
            stop_with: signal.Signals = signal.SIGINT, output_to: list[str] | None = None) -> Iterator[dict[str, int]]:
    """``output_to``: gets what the command printed, once it stopped."""
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
        if output_to is not None:
            output_to.append(output)
    assert process.returncode == 0, output
    assert "stopped" in output


def demo_by_name(body: dict) -> dict[str, dict]:
    assert "errors" not in body, body
    return {e["node"]["materialSampleName"]: e["node"] for e in body["data"]["materialSamples"]["edges"]}


async def test_serve_runs_router_and_subgraphs_on_a_given_database(tmp_path: Path) -> None:
    name = f"dina_serve_{uuid.uuid4().hex[:8]}"
    url = await create_database(name)
    output: list[str] = []
    try:
        with serving(tmp_path, database_url=url, output_to=output) as ports:
            wait_until_ready(f"http://127.0.0.1:{ports['router']}/healthcheck", timeout=120)
            samples = demo_by_name(graphql(f"http://127.0.0.1:{ports['router']}/graphql", DEMO_QUERY, token=None))
    finally:
        await drop_database(name)

    assert f"/{name} (DATABASE_URL)" in output[0], output[0]  # serve says which database it uses

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
def test_embedded_database_is_created_then_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)  # as in containers, CI and ssh sessions
    for _ in range(2):
        output: list[str] = []
        with serving(tmp_path, "--no-router", output_to=output) as ports:
            body = graphql(
                f"http://127.0.0.1:{ports['subgraphs']}/collection/graphql", "{ materialSamples { totalCount } }", token=None
            )
        assert body == {"data": {"materialSamples": {"totalCount": 4}}}  # loaded once, not twice
        assert f"database: the embedded PostgreSQL in {tmp_path.resolve()}/postgres" in output[0], output[0]
        assert "Warning" not in output[0], output[0]  # pgserver's runtime dir is set, not left to platformdirs
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


def _serve(data_dir: Path, ports: dict[str, int], *args: str, output: object = subprocess.PIPE) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"DINA_DEV": "true", "DINA_DATA_DIR": str(data_dir), "DINA_ROUTER_PORT": str(ports["router"]),
            "DINA_SUBGRAPH_PORT": str(ports["subgraphs"])}
    return subprocess.Popen([sys.executable, "-m", "subgraphs.cli", "serve", "--no-demo", *args], env=env,
                            stdout=output, stderr=subprocess.STDOUT, text=True)


def _router_processes(data_dir: Path, ports: dict[str, int]) -> list[psutil.Process]:
    return [p for p in psutil.process_iter(["cmdline"]) if _started_by_serve(p, data_dir, ports)
            and "hive-gateway" in " ".join(p.info["cmdline"] or [])]


def _running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _collected(process: subprocess.Popen[str]) -> list[str]:
    """The process's output lines as they come, read by a thread (a pipe left unread blocks the process)."""
    lines: list[str] = []

    def read() -> None:
        for line in process.stdout or ():
            lines.append(line)

    threading.Thread(target=read, daemon=True).start()
    return lines


def _wait_for(lines: list[str], text: str, process: subprocess.Popen[str], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not any(text in line for line in list(lines)):
        assert process.poll() is None and time.monotonic() < deadline, f"no {text!r} in:\n{''.join(lines)}"
        time.sleep(0.2)


def _recorded(data_dir: Path) -> dict[str, int]:
    """The pids a running serve recorded in its pidfile, by name."""
    return {name: entry["pid"] for name, entry in json.loads((data_dir / "serve.pid").read_text())["processes"].items()}


@pytest.mark.skipif(sys.platform != "linux", reason="pgserver wheels are tested on Linux here")
def test_after_a_sigkill_the_next_serve_cleans_up_then_notices_a_dead_router(tmp_path: Path) -> None:
    # Before: after a SIGKILL of serve the router and the embedded PostgreSQL kept running, and the
    # next serve failed to bind the router port yet announced "up"; a router that died was never noticed.
    ports = {"router": free_port(), "subgraphs": free_port()}
    log = (tmp_path / "first.log").open("w")  # a file: the children it leaves keep writing to it
    first = _serve(tmp_path, ports, output=log)
    try:
        wait_until_ready(f"http://127.0.0.1:{ports['router']}/healthcheck", first, timeout=180)
        left = _recorded(tmp_path)
    finally:
        first.kill()
        first.wait(30)
        log.close()
    assert set(left) == {"embedded PostgreSQL", "router"} and all(_running(p) for p in left.values())

    second = _serve(tmp_path, ports)
    lines = _collected(second)
    try:
        # The old router answers the healthcheck until the new serve has ended it: wait for the announcement.
        _wait_for(lines, "DINA Graph is up", second, timeout=180)
        deadline = time.monotonic() + 30  # their ports are free; give an exiting process time to be reaped
        while any(_running(p) for p in left.values()) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not any(_running(p) for p in left.values()), "the leftovers are gone"
        router = _recorded(tmp_path)["router"]
        os.killpg(router, signal.SIGKILL)
        _wait_for(lines, "router exited with code -9", second, timeout=60)
        wait_until_ready(f"http://127.0.0.1:{ports['router']}/healthcheck", second, timeout=180)
        assert _recorded(tmp_path)["router"] != router
    finally:
        second.send_signal(signal.SIGINT)
        second.wait(60)
    output = "".join(lines)
    assert "stopped what a previous serve left running: embedded PostgreSQL" in output, output
    assert f"router (pid {left['router']})" in output
    assert "router exited with code -9: restarting it" in output
    assert output.count("DINA Graph is up") == 1 and second.returncode == 0, output


def test_serve_refuses_a_port_in_use(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        ports = {"router": taken.getsockname()[1], "subgraphs": free_port()}
        process = _serve(tmp_path, ports)
        output, _ = process.communicate(timeout=120)
    assert process.returncode == 1
    assert f"cannot start: 127.0.0.1:{ports['router']} already in use by another program" in output
    assert "DINA Graph is up" not in output
