"""The router's log is plain text off a terminal (no ANSI colours in files and CI logs), or JSON
lines when `DINA_LOG_JSON` asks."""

from __future__ import annotations

import json

import pytest

from subgraphs.core.runtime.settings import Settings

from ..conftest import SubgraphServer, running_router


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
