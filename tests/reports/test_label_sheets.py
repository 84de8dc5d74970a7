"""Label sheets rendered through the router and read back: text, barcodes, positions, pages."""

from __future__ import annotations

from subgraphs.core.data.db import Database
from subgraphs.reports.layout import Layout

from .conftest import (
    decode_barcodes,
    download,
    embedded_fonts,
    page_sizes_mm,
    page_texts,
    render_labels,
    seed_specimens,
)

# specimen-qr: A4, 3 × 8 labels of 70 × 37 mm; its QR box is 22 mm, floated right inside 2 mm / 2.5 mm padding.
SHEET = Layout(210, 297, 70, 37, 3, 8, 0.5, 0, 0, 0)
QR_BOX_MM, PADDING_TOP_MM, PADDING_RIGHT_MM = 22, 2, 2.5


async def test_a_sheet_of_specimen_labels_reads_back_label_by_label(graph: str, db: Database, builtins: None) -> None:
    specimens = await seed_specimens(db, 26, "SHEET")
    payload = render_labels(graph, template="specimen-qr", ids=[s.id for s in specimens])
    assert payload["errors"] == []
    assert payload["pdf"]["labelCount"] == 26 and payload["pdf"]["pageCount"] == 2
    assert payload["pdf"]["unreadable"] == []
    pdf = download(payload)
    assert pdf.startswith(b"%PDF-") and len(pdf) == payload["pdf"]["sizeBytes"]
    assert all(abs(w - 210) < 0.1 and abs(h - 297) < 0.1 for w, h in page_sizes_mm(pdf))
    assert embedded_fonts(pdf), "the text's fonts are embedded"

    codes = decode_barcodes(pdf)
    assert sorted(c.text for c in codes) == sorted(f"urn:uuid:{s.id}" for s in specimens)
    assert {c.format for c in codes} == {"QRCode"}
    assert [sum(1 for c in codes if c.page == page) for page in (0, 1)] == [24, 2]

    order = {f"urn:uuid:{s.id}": i for i, s in enumerate(specimens)}
    for code in codes:
        index = order[code.text]
        assert code.page == index // SHEET.per_page
        x, y = SHEET.position(index)
        quiet = (QR_BOX_MM - code.width_mm) / 2  # the symbol is centred in its box, inside its quiet zone
        assert abs(code.left_mm - (x + SHEET.label_width_mm - PADDING_RIGHT_MM - QR_BOX_MM + quiet)) < 0.5, code
        assert abs(code.top_mm - (y + PADDING_TOP_MM + quiet)) < 0.5, code

    texts = [" ".join(text.split()) for text in page_texts(pdf)]  # lines wrap inside a label
    for i, specimen in enumerate(specimens):
        text = texts[i // SHEET.per_page]
        for expected in (specimen.name, specimen.scientific_name, specimen.locality, specimen.country, specimen.date,
                         "leg. " + ", ".join(specimen.collectors)):
            assert expected in text, (expected, specimen)
    assert "SHEET-0024" not in texts[0] and "SHEET-0024" in texts[1]


async def test_labels_of_a_filter_print_every_match_and_nothing_else(graph: str, db: Database, builtins: None) -> None:
    specimens = await seed_specimens(db, 3, "FILTERED")
    await seed_specimens(db, 2, "OTHER")
    payload = render_labels(graph, template="specimen-qr",
                            filter={"materialSampleName": {"startsWith": "FILTERED-"}})
    assert payload["errors"] == [] and payload["pdf"]["labelCount"] == 3
    pdf = download(payload)
    assert sorted(c.text for c in decode_barcodes(pdf)) == sorted(f"urn:uuid:{s.id}" for s in specimens)
    assert "OTHER-" not in page_texts(pdf)[0]
