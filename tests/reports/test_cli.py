"""`dina-graph labels render|templates` against a running graph, as a user runs them."""

from __future__ import annotations

from pathlib import Path

import pytest

from subgraphs.cli import build_parser
from subgraphs.core.data.db import Database

from ..conftest import ISSUER, SubgraphServer
from .conftest import decode_barcodes, page_texts, seed_specimens, settings_changed


def labels(graph: str, settings: object, *arguments: str) -> int:
    args = build_parser().parse_args(["labels", "--graph", graph, "--token", ISSUER.token("herpetology/user"),
                                      "--group", "herpetology", *arguments])
    return args.run(args, settings)


async def test_labels_render_writes_the_pdf_of_the_samples_named(graph: str, db: Database, builtins: None,
                                                                  subgraphs: SubgraphServer, tmp_path: Path) -> None:
    specimens = await seed_specimens(db, 2, "CLI")
    out = tmp_path / "labels.pdf"
    assert labels(graph, subgraphs.settings, "render", "--template", "specimen-qr",
                  "--samples", f"{specimens[1].name},{specimens[0].name}", "--out", str(out)) == 0
    pdf = out.read_bytes()
    assert sorted(c.text for c in decode_barcodes(pdf)) == sorted(f"urn:uuid:{s.id}" for s in specimens)
    text = page_texts(pdf)[0]
    assert text.index(specimens[1].name) < text.index(specimens[0].name)  # in the order given


async def test_labels_render_refuses_names_it_cannot_find(graph: str, subgraphs: SubgraphServer, builtins: None,
                                                          tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    out = tmp_path / "none.pdf"
    assert labels(graph, subgraphs.settings, "render", "--template", "specimen-qr", "--samples", "NO-SUCH-1",
                  "--out", str(out)) == 1
    assert not out.exists() and "NO-SUCH-1" in caplog.text


async def test_labels_templates_lists_the_built_ins(graph: str, subgraphs: SubgraphServer, builtins: None,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert labels(graph, subgraphs.settings, "templates") == 0
    lines = capsys.readouterr().out.splitlines()
    specimen = next(line for line in lines if line.startswith("specimen-qr"))
    assert "MATERIAL_SAMPLE_LABEL" in specimen and "3×8 of 70×37 mm" in specimen
    assert any(line.startswith("collection-summary") and "REPORT" in line for line in lines)


async def test_labels_render_waits_for_a_background_job(graph: str, db: Database, builtins: None,
                                                        subgraphs: SubgraphServer, tmp_path: Path) -> None:
    specimens = await seed_specimens(db, 3, "CLIJOB")
    out = tmp_path / "job.pdf"
    with settings_changed(subgraphs, report_sync_labels=1):
        assert labels(graph, subgraphs.settings, "render", "--template", "specimen-qr",
                      "--samples", ",".join(s.name for s in specimens), "--out", str(out)) == 0
    assert sorted(c.text for c in decode_barcodes(out.read_bytes())) == sorted(f"urn:uuid:{s.id}" for s in specimens)
