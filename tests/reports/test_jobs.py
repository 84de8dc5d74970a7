"""Large renders run as background jobs with progress; the job ends with the same PDF a small render returns."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest

from subgraphs.core.data.db import Database

from ..conftest import SubgraphServer, graphql
from .conftest import decode_barcodes, download, render_labels, seed_specimens, settings_changed

JOB = """query($id: ID!) { reportJob(id: $id) { id status total done error finishedOn
  pdf { labelCount pageCount sha256 sizeBytes unreadable media { id url dcFormat sha256 } } } }"""
RENDER = """mutation($input: RenderLabelsInput!) { renderLabels(input: $input) {
  pdf { labelCount } job { id status total done } errors { code message field } } }"""


@pytest.fixture
def two_at_once(subgraphs: SubgraphServer) -> Iterator[None]:
    with settings_changed(subgraphs, report_sync_labels=2):
        yield


async def test_a_large_render_runs_as_a_job_until_its_pdf_is_stored(graph: str, db: Database, builtins: None,
                                                                     two_at_once: None) -> None:
    specimens = await seed_specimens(db, 5, "JOB")
    body = graphql(graph, RENDER, {"input": {"template": "specimen-qr", "group": "herpetology",
                                             "ids": [s.id for s in specimens]}})
    payload = body["data"]["renderLabels"]
    assert payload["errors"] == [] and payload["pdf"] is None
    job = payload["job"]
    assert job["status"] in ("QUEUED", "RUNNING") and job["total"] == 5
    deadline = time.monotonic() + 180
    while (state := graphql(graph, JOB, {"id": job["id"]})["data"]["reportJob"])["status"] in ("QUEUED", "RUNNING"):
        assert 0 <= state["done"] <= 5
        assert time.monotonic() < deadline, state
        await asyncio.sleep(0.5)
    assert state["status"] == "SUCCEEDED" and state["error"] is None, state
    assert state["done"] == 5 and state["finishedOn"]
    assert state["pdf"]["labelCount"] == 5 and state["pdf"]["pageCount"] == 1
    pdf = download(state)
    assert sorted(c.text for c in decode_barcodes(pdf)) == sorted(f"urn:uuid:{s.id}" for s in specimens)


async def test_a_small_render_answers_at_once(graph: str, db: Database, builtins: None, two_at_once: None) -> None:
    specimens = await seed_specimens(db, 2, "NOJOB")
    payload = render_labels(graph, template="specimen-qr", ids=[s.id for s in specimens])
    assert payload["errors"] == [] and payload["pdf"]["labelCount"] == 2
