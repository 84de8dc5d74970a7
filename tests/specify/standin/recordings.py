"""The recorded Specify 7.11.3 session (../shared/data/specify7/), and the answer shapes it shows."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from starlette.responses import Response

RECORDINGS = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "specify7" / "recordings"
SEEDED_BEFORE = "05_"  # recordings before the mutations show the seeded data set
URI = re.compile(r"^/api/specify/(\w+)/(\d+)/$")
HTML = "text/html; charset=utf-8"
LIST_CACHE = {"Cache-Control": "private, max-age=2"}


def recording(name: str) -> dict[str, Any]:
    return json.loads((RECORDINGS / f"{name}.json").read_text())


def recorded_index() -> list[dict[str, Any]]:
    return json.loads((RECORDINGS / "_index.json").read_text())


def uri(table: str, record_id: int) -> str:
    return f"/api/specify/{table}/{record_id}/"


def text(body: str, status: int, headers: dict[str, str] | None = None) -> Response:
    return Response(body, status_code=status, media_type=None, headers={"Content-Type": HTML, **(headers or {})})


def replayed(name: str) -> Response:
    """A recorded answer as it was sent (for bodies that do not depend on the request)."""
    response = recording(name)["response"]
    body = response["body"]
    content = json.dumps(body) if not isinstance(body, str) else body
    return Response(content, status_code=response["status"], headers={"Content-Type": response["headers"]["Content-Type"]})
