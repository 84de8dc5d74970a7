"""Production mode refuses to start without the settings it needs: one line naming the setting, exit code 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO, free_port

ISSUER_DOWN = f"http://127.0.0.1:{free_port()}/realms/dina"  # nothing listens there


def run_cli(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DINA_") and k != "DATABASE_URL"}
    clean |= {"PYTHONPATH": str(REPO), "DINA_DATA_DIR": str(tmp_path / "data"),
              "DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/postgres", **env}
    return subprocess.run([sys.executable, "-m", "subgraphs.cli", *args], cwd=tmp_path, env=clean,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(("env", "named"), [
    ({"DINA_DEV": "false"}, "DINA_OIDC_ISSUER"),
    ({}, "DINA_OIDC_ISSUER"),  # production is the default
    ({"DINA_OIDC_ISSUER": ISSUER_DOWN}, "DINA_PUBLIC_MEDIA_URL"),
    ({"DINA_OIDC_ISSUER": ISSUER_DOWN, "DINA_STORAGE": "minio"}, "DINA_STORAGE"),
    ({"DINA_OIDC_ISSUER": ISSUER_DOWN, "DINA_STORAGE": "s3"}, f"DINA_OIDC_ISSUER {ISSUER_DOWN}"),
])
@pytest.mark.parametrize("command", [["subgraphs", "--only", "agents"], ["serve", "--no-demo"]])
def test_a_missing_production_setting_stops_with_one_line(
        tmp_path: Path, command: list[str], env: dict[str, str], named: str) -> None:
    done = run_cli(tmp_path, *command, **env)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    (line,) = done.stderr.strip().splitlines()
    assert " ERROR dina: cannot start: " in line and named in line, line
    assert not (tmp_path / "data" / "serve.pid").exists()  # stopped before starting anything

