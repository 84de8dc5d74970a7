"""Starting and stopping the child processes `serve` supervises, and waiting until they answer."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import httpx


def spawn(args: Sequence[str], *, cwd: Path | None = None, env: Mapping[str, str] | None = None) -> subprocess.Popen[bytes]:
    """A child in its own process group, so stopping it also stops what it started."""
    return subprocess.Popen(
        list(args), cwd=cwd, env={**os.environ, **(env or {})}, start_new_session=True
    )


def stop(process: subprocess.Popen[bytes], timeout: float = 10) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wait_until_ready(url: str, process: subprocess.Popen[bytes] | None = None, timeout: float = 60) -> None:
    """Poll ``url`` until it answers 200; fail early if ``process`` dies first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: the process exited with code {process.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f}s")
