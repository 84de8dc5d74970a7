"""An embedded PostgreSQL for `serve` when no DATABASE_URL is given.

pgserver ships PostgreSQL binaries inside a pip wheel, so a fresh laptop needs nothing but
pip; the data directory persists under the data dir and is reused by the next `serve`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def _runtime_dir(data_dir: Path) -> None:
    """pgserver keeps its lock file (and, for a data dir too deep for a socket path, its socket) in the
    XDG runtime dir, which machines without a login session (containers, CI, ssh, cron) do not set:
    platformdirs then warned on every command, with nothing for the user to do. Unset, it is a private
    folder of the data dir, as the XDG spec asks (owned by us, mode 0700)."""
    if os.environ.get("XDG_RUNTIME_DIR"):
        return
    runtime = data_dir / "run"
    runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
    runtime.chmod(0o700)
    os.environ["XDG_RUNTIME_DIR"] = str(runtime)


def start_embedded_postgres(data_dir: Path) -> tuple[Any, str]:
    """Start (or reuse) the server in ``data_dir/postgres``; returns it and its libpq URL."""
    _runtime_dir(data_dir)
    import pgserver  # imported here: only the embedded mode needs it (and it reads XDG_RUNTIME_DIR then)

    pg_dir = (data_dir / "postgres").resolve()
    pg_dir.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(pg_dir, cleanup_mode="stop")
    return server, server.get_uri()
