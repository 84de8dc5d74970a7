"""An embedded PostgreSQL for `serve` when no DATABASE_URL is given.

pgserver ships PostgreSQL binaries inside a pip wheel, so a fresh laptop needs nothing but
pip; the data directory persists under the data dir and is reused by the next `serve`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

log = logging.getLogger("dina.embedded")


def start_embedded_postgres(data_dir: Path) -> tuple[Any, str]:
    """Start (or reuse) the server in ``data_dir/postgres``; returns it and its libpq URL."""
    import pgserver  # imported here: only the embedded mode needs it

    pg_dir = (data_dir / "postgres").resolve()
    pg_dir.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(pg_dir, cleanup_mode="stop")
    url = server.get_uri()
    log.info("embedded PostgreSQL running from %s", pg_dir)
    return server, url
