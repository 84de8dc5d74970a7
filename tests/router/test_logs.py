"""The router's and the subgraphs' logs are plain text off a terminal (no ANSI colours in files and
CI logs), or JSON lines when `DINA_LOG_JSON` asks; the subgraphs' lines carry the request id."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from subgraphs.core.runtime.processes import wait_until_ready
from subgraphs.core.runtime.settings import Settings

from ..conftest import SubgraphServer, create_database, drop_database, free_port, running_router


@pytest.mark.parametrize("log_json", [False, True], ids=["text", "json"])
def test_router_log_has_no_colours_off_a_terminal(subgraphs: SubgraphServer, capfd: pytest.CaptureFixture[str],
                                                  log_json: bool) -> None:
    with running_router(subgraphs, Settings(dev=True, log_json=log_json)):
        pass
    lines = [line for line in capfd.readouterr().out.splitlines() if line.strip()]

    assert any("Listening on" in line for line in lines), lines
    assert not any("\x1b[" in line for line in lines)
    if log_json:
        assert all(isinstance(json.loads(line), dict) for line in lines), lines


@contextmanager
def subgraphs_process(env: dict[str, str], log_file: Path) -> Iterator[None]:
    """`dina-graph subgraphs` with ``env``, its output in ``log_file``."""
    with log_file.open("w") as output:
        process = subprocess.Popen([sys.executable, "-m", "subgraphs.cli", "subgraphs"], env=env,
                                   stdout=output, stderr=subprocess.STDOUT)
        try:
            wait_until_ready(f"http://127.0.0.1:{env['DINA_SUBGRAPH_PORT']}/healthz", process, timeout=60)
            yield
        finally:
            process.terminate()
            process.wait(30)


@pytest.mark.parametrize("log_json", [False, True], ids=["text", "json"])
async def test_subgraph_log_carries_request_ids_and_keeps_stacks_for_unexpected_errors(
        tmp_path: Path, log_json: bool) -> None:
    """`dina-graph subgraphs` as deployed: a client's error is one INFO line, an unexpected one (its
    database dropped under it) one ERROR with one stack, each under the x-request-id the router sends."""
    name = f"dina_logs_{free_port()}"
    url = await create_database(name)
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "DINA_DEV": "true", "DINA_DATA_DIR": str(tmp_path),
           "DINA_SUBGRAPH_PORT": str(port), "DINA_LOG_JSON": str(log_json).lower()}
    log_file = tmp_path / "subgraphs.log"
    with subgraphs_process(env, log_file):
        endpoint = f"http://127.0.0.1:{port}/agents/graphql"
        client = httpx.post(endpoint, json={"query": '{ person(id: "nope") { id } }'},
                            headers={"x-request-id": "client-1"})
        await drop_database(name)
        broken = httpx.post(endpoint, json={"query": "{ people { totalCount } }"},
                            headers={"x-request-id": "broken-2"})
    text = log_file.read_text()
    lines = [line for line in text.splitlines() if line.strip()]
    by_id = (lambda rid: [json.loads(line) for line in lines if rid in line]) if log_json else (
        lambda rid: [line for line in lines if f"[{rid}]" in line])

    assert client.json()["errors"][0]["extensions"]["code"] == "INVALID_ID"
    assert broken.json()["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "\x1b[" not in text
    assert text.count("Traceback") == 1, text
    client_error, access = by_id("client-1")
    if log_json:
        assert all(isinstance(json.loads(line), dict) for line in lines), lines
        broken_error, broken_access = by_id("broken-2")
        assert client_error["level"] == "INFO" and "INVALID_ID" in client_error["message"]
        assert client_error["request_id"] == "client-1" and "exception" not in client_error
        assert access["logger"] == "dina.access" and access["message"].startswith("POST /agents/graphql 200 ")
        assert broken_error["level"] == "ERROR" and broken_error["request_id"] == "broken-2"
        assert "Traceback" in broken_error["exception"]
        assert broken_access["message"].startswith("POST /agents/graphql 200 ")
    else:
        assert " INFO dina.errors [client-1]: client error INVALID_ID" in client_error
        assert " INFO dina.access [client-1]: POST /agents/graphql 200 " in access
        assert any(" ERROR dina.errors [broken-2]" in line for line in by_id("broken-2"))
