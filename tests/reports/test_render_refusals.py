"""What a render refuses, and what it reports instead of printing."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from subgraphs.core.data.db import Database

from ..conftest import ISSUER, SubgraphServer, table_counts
from .conftest import decode_barcodes, download, render_labels, seed_specimens, settings_changed


@pytest.fixture
def max_three_labels(subgraphs: SubgraphServer) -> Iterator[None]:
    with settings_changed(subgraphs, report_max_labels=3):
        yield


async def test_more_labels_than_the_maximum_are_refused(graph: str, db: Database, builtins: None,
                                                        max_three_labels: None) -> None:
    specimens = await seed_specimens(db, 4, "MAX")
    before = await table_counts(db)
    (error,) = render_labels(graph, template="specimen-qr", ids=[s.id for s in specimens])["errors"]
    assert (error["code"], error["field"]) == ("TOO_MANY_LABELS", "ids") and "at most 3" in error["message"]
    (error,) = render_labels(graph, template="specimen-qr", filter={"materialSampleName": {"startsWith": "MAX-"}})[
        "errors"]
    assert (error["code"], error["field"]) == ("TOO_MANY_LABELS", "filter")
    assert await table_counts(db) == before  # no Media, no upload


async def test_unknown_records_are_reported_and_the_others_printed(graph: str, db: Database, builtins: None) -> None:
    specimens = await seed_specimens(db, 2, "KNOWN")
    unknown = str(uuid.uuid4())
    payload = render_labels(graph, template="specimen-qr", ids=[specimens[0].id, unknown, specimens[1].id])
    assert payload["errors"] == [] and payload["pdf"]["unreadable"] == [unknown]
    assert payload["pdf"]["labelCount"] == 2
    assert sorted(c.text for c in decode_barcodes(download(payload))) == sorted(f"urn:uuid:{s.id}" for s in specimens)
    (error,) = render_labels(graph, template="specimen-qr", ids=[unknown])["errors"]
    assert error["code"] == "NOTHING_TO_PRINT" and unknown in error["message"]


async def test_requests_a_render_cannot_serve(graph: str, db: Database, builtins: None) -> None:
    (specimen,) = await seed_specimens(db, 1, "REFUSED")
    before = await table_counts(db)
    cases = [
        ({"template": "no-such-template", "ids": [specimen.id]}, "NOT_FOUND", "template"),
        ({"template": "collection-summary", "ids": [specimen.id]}, "WRONG_TEMPLATE_KIND", "template"),
        ({"template": "specimen-qr"}, "BAD_USER_INPUT", "ids"),
        ({"template": "specimen-qr", "filter": {"noSuchField": {"eq": "x"}}}, None, "template.query"),
    ]
    for request, code, field in cases:
        (error,) = render_labels(graph, **request)["errors"]
        assert error["field"] == field, (request, error)
        if code:
            assert error["code"] == code, (request, error)
    (error,) = render_labels(graph, token=ISSUER.token("herpetology/read-only"), template="specimen-qr",
                             ids=[specimen.id])["errors"]
    assert error["code"] == "FORBIDDEN"  # storing the PDF is a write
    assert await table_counts(db) == before
