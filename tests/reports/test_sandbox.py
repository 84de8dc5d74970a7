"""A template cannot reach files, the network or Python internals, at render time either."""

from __future__ import annotations

import base64
import io
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pypdf
import pytest
from PIL import Image

from subgraphs.reports import templating
from subgraphs.reports.models import ReportTemplate
from subgraphs.reports.service import label_pdf

LAYOUT = {"page_width_mm": 50, "page_height_mm": 30, "label_width_mm": 50, "label_height_mm": 30, "columns": 1,
          "rows": 1, "margin_top_mm": 0, "margin_left_mm": 0, "column_gap_mm": 0, "row_gap_mm": 0}


@pytest.fixture
def web() -> Iterator[tuple[str, list[str]]]:
    """A local web server that records every request made to it."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the standard library's name
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()


def png(path: Path | None = None) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(out, "PNG")
    if path:
        path.write_bytes(out.getvalue())
    return out.getvalue()


def images_in(pdf: bytes) -> int:
    count = 0
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        for obj in (page["/Resources"].get("/XObject") or {}).values():
            count += obj.get_object().get("/Subtype") == "/Image"
    return count


def render(body: str, stylesheet: str = "") -> bytes:
    template = ReportTemplate(name="t", kind="MATERIAL_SAMPLE_LABEL", query="", body=body, stylesheet=stylesheet,
                              layout=LAYOUT)
    return label_pdf(template, [{"id": "x"}], templating.Identifiers())


def test_files_and_network_addresses_are_not_fetched(tmp_path: Path, web: tuple[str, list[str]]) -> None:
    url, hits = web
    picture = tmp_path / "secret.png"
    png(picture)
    pdf = render(f'<img src="file://{picture}"><img src="{url}/pixel.png"><link rel="stylesheet" href="{url}/a.css">'
                 f'<div style="background: url({url}/bg.png)">x</div>',
                 f'@import url("{url}/import.css"); @font-face {{ font-family: F; src: url({url}/font.woff) }}')
    assert hits == [] and images_in(pdf) == 0
    embedded = render(f'<img src="data:image/png;base64,{base64.b64encode(png()).decode()}">')
    assert images_in(embedded) == 1  # what the check above would have seen, had anything been fetched


@pytest.mark.parametrize("body", [
    "{{ item.__class__ }}",
    "{{ item.items.__globals__ }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{% include '/etc/passwd' %}",
    "{% from 'x' import y %}",
])
def test_python_internals_and_other_templates_are_refused_on_save(body: str) -> None:
    with pytest.raises(templating.TemplateProblem) as refused:
        templating.check(body, templating.LABEL_VARIABLES)
    assert refused.value.code in ("TEMPLATE_FORBIDDEN", "TEMPLATE_UNKNOWN_VARIABLE")
    assert refused.value.line == 1 and refused.value.column >= 1


@pytest.mark.parametrize("body", ["{{ item.pop('id') }}", "{{ item.update({'id': 1}) }}", "{{ range(10**9)|list }}"])
def test_the_sandbox_refuses_what_slips_past_the_save_checks(body: str) -> None:
    with pytest.raises(templating.TemplateProblem) as refused:
        templating.render(templating.check(body, templating.LABEL_VARIABLES), item={"id": 1})
    assert refused.value.code == "TEMPLATE_RENDER_ERROR"
