"""docs/notebooks/analysis.ipynb, executed against `serve` as `./run serve` runs it (development mode, demo data)."""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path

import nbformat
import pytest
from Bio import SeqIO
from nbclient import NotebookClient

from subgraphs.core.runtime.processes import wait_until_ready

from ..conftest import REPO, create_database, drop_database
from ..test_cli_serve import serving

NOTEBOOK = REPO / "docs" / "notebooks" / "analysis.ipynb"


async def test_the_analysis_notebook_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    name = f"dina_notebook_{uuid.uuid4().hex[:8]}"
    database = await create_database(name)
    data_dir, work = tmp_path / "data", tmp_path / "work"
    work.mkdir()
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    try:
        with serving(data_dir, database_url=database) as ports:
            wait_until_ready(f"http://127.0.0.1:{ports['router']}/healthcheck", timeout=120)
            # The kernel inherits these: the server's URL, and where `dina-graph token` finds its dev key.
            monkeypatch.setenv("DINA_GRAPH_URL", f"http://127.0.0.1:{ports['router']}/graphql")
            monkeypatch.setenv("DINA_DATA_DIR", str(data_dir))
            monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
            NotebookClient(notebook, timeout=300, kernel_name="python3",
                           resources={"metadata": {"path": str(work)}}).execute()
    finally:
        await drop_database(name)

    outputs = "\n".join(o.get("text", "") or str(o.get("data", {}).get("text/plain", ""))
                        for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs)
    assert "EF525953" in outputs and "RuHF-TBB-01-4" in outputs  # the newt's sequence and its voucher sample
    (record,) = SeqIO.parse(work / "lissotriton.fasta", "fasta")
    assert record.id.startswith("EF525953") and len(record.seq) == 146
    assert (work / "samples.png").stat().st_size > 10_000
