"""The other built-ins: storage-unit labels (Code 128), determination slips (DataMatrix), a collection summary."""

from __future__ import annotations

import io

import pypdf

from subgraphs.collection.service import create_record
from subgraphs.core.data.db import Database

from ..conftest import graphql
from .conftest import decode_barcodes, download, page_sizes_mm, page_texts, render_labels, seed_specimens

RENDER_REPORT = """mutation($input: RenderReportInput!) { renderReport(input: $input) {
  pdf { pageCount sha256 sizeBytes media { id url dcFormat sha256 } } errors { code message field } } }"""


async def test_storage_unit_labels_come_one_per_page_with_a_code_128(graph: str, db: Database, builtins: None) -> None:
    async with db.unit_of_work() as session:
        room = await create_record(session, "storage_unit", actor="test", group="herpetology", name="Room 12",
                                   unit_type="room")
        cabinet = await create_record(session, "storage_unit", actor="test", group="herpetology", name="Cabinet 3",
                                      unit_type="cabinet", parent_id=room.id)
        drawers = [await create_record(session, "storage_unit", actor="test", group="herpetology", name=f"Drawer {i}",
                                       unit_type="drawer", parent_id=cabinet.id, barcode=f"HERP-DR-{i:03d}")
                   for i in range(3)]
    payload = render_labels(graph, template="storage-unit-label", ids=[str(d.id) for d in drawers])
    assert payload["errors"] == [] and payload["pdf"]["pageCount"] == 3
    pdf = download(payload)
    assert all(abs(w - 62) < 0.1 and abs(h - 29) < 0.1 for w, h in page_sizes_mm(pdf))
    codes = decode_barcodes(pdf)
    assert [(c.page, c.format, c.text) for c in sorted(codes, key=lambda c: c.page)] == \
        [(i, "Code128", f"HERP-DR-{i:03d}") for i in range(3)]
    for i, text in enumerate(page_texts(pdf)):
        assert f"Room 12 › Cabinet 3 › Drawer {i}" in text and f"HERP-DR-{i:03d}" in text


async def test_determination_slips_carry_a_datamatrix_of_the_stable_identifier(graph: str, db: Database,
                                                                                builtins: None) -> None:
    specimens = await seed_specimens(db, 3, "SLIP")
    payload = render_labels(graph, template="determination-slip", ids=[s.id for s in specimens])
    assert payload["errors"] == [] and payload["pdf"]["pageCount"] == 1
    pdf = download(payload)
    codes = decode_barcodes(pdf)
    assert sorted(c.text for c in codes) == sorted(f"urn:uuid:{s.id}" for s in specimens)
    assert {c.format for c in codes} == {"DataMatrix"}
    text = " ".join(page_texts(pdf)[0].split())
    for specimen in specimens:
        assert specimen.scientific_name in text and specimen.name in text
    assert "det. SLIP Determiner, 2020-05-01" in text


async def test_the_collection_summary_counts_by_taxon_and_country(graph: str, db: Database, builtins: None) -> None:
    await seed_specimens(db, 5, "SUMMARY")
    body = graphql(graph, RENDER_REPORT, {"input": {"template": "collection-summary", "group": "herpetology",
                                                     "variables": {"filter": {"materialSampleName": {
                                                         "startsWith": "SUMMARY-"}}}}})
    payload = body["data"]["renderReport"]
    assert payload["errors"] == [] and payload["pdf"]["pageCount"] >= 1
    pdf = download(payload)
    text = " ".join(" ".join(page_texts(pdf)).split())
    assert "5 material samples" in text
    # 5 samples: names alternate (3 × L. boscai, 2 × T. marmoratus), countries cycle Spain, Portugal, France.
    assert "Lissotriton boscai 3" in text and "Triturus marmoratus 2" in text
    assert "Spain 2" in text and "Portugal 2" in text and "France 1" in text
    assert "page 1 of" in text
    drawing = pypdf.PdfReader(io.BytesIO(pdf)).pages[-1].get_contents().get_data()
    assert drawing.count(b" re") >= 3, "the chart's bars are drawn as vector rectangles"
