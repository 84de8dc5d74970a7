"""In a real headless chromium: the router's and a subgraph's explorers work offline, and a web app on another
origin uploads a photo through the router and shows its thumbnail. Screenshots are kept in
.cache/test-artifacts/ (DINA_TEST_ARTIFACTS)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from subgraphs.core.data.db import Database
from subgraphs.core.runtime.federation import FEDERATION_DIR

from ..conftest import ADMIN_GROUPS, ISSUER, REPO, SubgraphServer, free_port
from ..media.conftest import photo
from ..seed import seed_samples

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
DRIVER = Path(__file__).parent / "browser" / "drive.mjs"
ARTIFACTS = Path(os.environ.get("DINA_TEST_ARTIFACTS", REPO / ".cache" / "test-artifacts"))

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason=f"no chromium at {CHROMIUM}: `./run test` installs Debian's with apt-get where it can"),
    pytest.mark.skipif(not (FEDERATION_DIR / "node_modules" / "playwright-core").exists(),
                       reason="playwright-core is not installed in federation/ (npm ci)"),
]


def drive(mode: str, url: str, screenshot: str) -> dict:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        ["node", str(DRIVER), mode, url, str(ARTIFACTS / screenshot)],
        cwd=FEDERATION_DIR, capture_output=True, text=True, timeout=120,
        env={**os.environ, "CHROMIUM": CHROMIUM},
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert "error" not in report, report["error"]
    return report


async def test_explorer_loads_offline_and_runs_a_typed_query(clean_db: Database, router: str) -> None:
    await seed_samples(clean_db, 3, group="public")  # the explorer's visitor is anonymous
    page = httpx.get(router, headers={"accept": "text/html"})

    report = drive("explorer", router, "explorer.png")

    assert page.status_code == 200 and len(page.content) < 10_000  # assets come separately, cached
    assert report["outside"] == []  # nothing asked of another origin: it works offline
    assert '"totalCount": 3' in report["response"] and "CAT-00000" in report["response"]
    assert (ARTIFACTS / "explorer.png").stat().st_size > 10_000


async def test_subgraph_explorer_loads_offline_and_runs_a_typed_query(clean_db: Database, database_url: str) -> None:
    await seed_samples(clean_db, 3, group="public")
    port = free_port()
    settings = ISSUER.settings(subgraph_port=port, graphiql=True, introspection=True, public_groups="public")
    with SubgraphServer(database_url, port, settings) as server:
        url = server.url("collection")
        page = httpx.get(url, headers={"accept": "text/html"})

        report = drive("explorer", url, "subgraph-explorer.png")

    assert page.status_code == 200 and "cdn" not in page.text and len(page.content) < 10_000
    assert report["outside"] == []
    assert '"totalCount": 3' in report["response"] and "CAT-00000" in report["response"]
    assert (ARTIFACTS / "subgraph-explorer.png").stat().st_size > 10_000


@pytest.fixture
def other_origin(tmp_path: Path) -> Iterator[str]:
    """A static web app on its own port, so its pages' origin is not the router's or the subgraphs'."""
    shutil.copy(Path(__file__).parent / "browser" / "upload.html", tmp_path / "index.html")
    (tmp_path / "photo.jpg").write_bytes(photo("gecko-foot-malaysia.jpg"))
    server = ThreadingHTTPServer(("127.0.0.1", free_port()),
                                 partial(SimpleHTTPRequestHandler, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/index.html"
    server.shutdown()


def test_web_app_on_another_origin_uploads_a_photo_and_shows_its_thumbnail(router: str, other_origin: str) -> None:
    fragment = urlencode({"router": router, "token": ISSUER.token(*ADMIN_GROUPS), "group": "herpetology"})

    report = drive("page", f"{other_origin}#{fragment}", "cross-origin-upload.png")

    assert report["state"] == "done", report
    assert report["thumbnailWidth"] > 0
