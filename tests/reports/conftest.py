"""Reading rendered PDFs back for real (text with pypdf, pages rasterized with pypdfium2, barcodes decoded
with zxing-cpp), the built-in templates, and samples worth printing."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
import pypdf
import pypdfium2
import pytest
import zxingcpp
from sqlalchemy import func, select

from subgraphs.agents.service import create_person
from subgraphs.collection.service import create_collecting_event, create_material_sample, create_record
from subgraphs.core.data.db import Database
from subgraphs.reports import repository

from ..conftest import REPO, SubgraphServer, graphql

DPI = 300
MM_PER_PX = 25.4 / DPI
MIGRATION = REPO / "migrations" / "versions" / "reports" / "reports_0001_i20_templates.py"

RENDER_LABELS = """mutation($input: RenderLabelsInput!) { renderLabels(input: $input) {
  pdf { labelCount pageCount sha256 sizeBytes unreadable media { id url dcFormat sha256 } }
  errors { code message field } } }"""


@dataclass(frozen=True)
class Decoded:
    text: str
    format: str
    page: int
    left_mm: float  # the symbol's own corners (no quiet zone), from the page's top-left corner
    top_mm: float
    width_mm: float
    height_mm: float


def decode_barcodes(pdf: bytes) -> list[Decoded]:
    """Every barcode on every page, as zxing-cpp reads it from the page rasterized at 300 dpi."""
    found = []
    document = pypdfium2.PdfDocument(pdf)
    try:
        for number in range(len(document)):
            image = document[number].render(scale=DPI / 72).to_pil().convert("L")
            for result in zxingcpp.read_barcodes(image):
                p = result.position
                xs = [p.top_left.x, p.top_right.x, p.bottom_left.x, p.bottom_right.x]
                ys = [p.top_left.y, p.top_right.y, p.bottom_left.y, p.bottom_right.y]
                found.append(Decoded(result.text, result.format.name, number, min(xs) * MM_PER_PX,
                                     min(ys) * MM_PER_PX, (max(xs) - min(xs)) * MM_PER_PX,
                                     (max(ys) - min(ys)) * MM_PER_PX))
    finally:
        document.close()
    return found


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def page_sizes_mm(pdf: bytes) -> list[tuple[float, float]]:
    return [(float(p.mediabox.width) * 25.4 / 72, float(p.mediabox.height) * 25.4 / 72)
            for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def embedded_fonts(pdf: bytes) -> set[str]:
    """Names of the fonts whose programs are embedded in the file."""
    names = set()
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor") or next(
                (d.get_object().get("/FontDescriptor") for d in font.get("/DescendantFonts", [])), None)
            if descriptor and any(k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                names.add(str(font["/BaseFont"]))
    return names


def render_labels(url: str, token: object = None, **request: object) -> dict:
    """renderLabels through ``url``; returns its payload."""
    options = {} if token is None else {"token": token}
    body = graphql(url, RENDER_LABELS, {"input": {"group": "herpetology", **request}}, **options)
    assert "errors" not in body, body
    return body["data"]["renderLabels"]


def download(payload: dict) -> bytes:
    """The stored PDF, by its signed URL, checked against the sha256 the render reported."""
    response = httpx.get(payload["pdf"]["media"]["url"], timeout=60)
    assert response.status_code == 200, response.text
    assert payload["pdf"]["media"]["dcFormat"] == "application/pdf"
    assert payload["pdf"]["media"]["sha256"] == payload["pdf"]["sha256"]
    return response.content


@pytest.fixture(scope="session")
def graph(subgraphs: SubgraphServer, router: str) -> Iterator[str]:
    """The router, with the reports subgraph told to read its records through it (as `serve` does)."""
    subgraphs.settings.graph_url = router
    yield router


@contextmanager
def settings_changed(server: SubgraphServer, **values: object) -> Iterator[None]:
    """The running subgraphs' settings with ``values`` for the duration (they read them per request)."""
    before = {name: getattr(server.settings, name) for name in values}
    for name, value in values.items():
        setattr(server.settings, name, value)
    try:
        yield
    finally:
        for name, value in before.items():
            setattr(server.settings, name, value)


def _migration():
    spec = importlib.util.spec_from_file_location("reports_0001_i20", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
async def builtins(db: Database) -> None:
    """The built-in templates as the migration installs them (other tests' clean_db truncates every table)."""
    table = repository.report_template
    async with db.engine.begin() as conn:
        if await conn.scalar(select(func.count()).select_from(table).where(table.c.group == "builtin")):
            return
        migration = _migration()
        await conn.execute(table.insert(), [
            {"id": id, "name": name, "kind": kind, "layout": layout, "description": description,
             "query": migration._source(name, "graphql"), "body": migration._source(name, "html"),
             "stylesheet": migration._source(name, "css"), "group": "builtin", "created_by": "test"}
            for id, name, kind, layout, description in migration.TEMPLATES])


@dataclass(frozen=True)
class Specimen:
    id: str
    name: str
    scientific_name: str
    locality: str
    country: str
    date: str
    collectors: list[str]
    determiner: str


async def seed_specimens(db: Database, count: int, prefix: str, group: str = "herpetology") -> list[Specimen]:
    """``count`` determined samples with a collecting event (locality, country, date) and two collectors."""
    seeded = []
    countries = ["Spain", "Portugal", "France"]
    async with db.unit_of_work() as session:
        determiner = await create_person(session, actor="test", group=group, display_name=f"{prefix} Determiner")
        for i in range(count):
            collectors = [await create_person(session, actor="test", group=group, display_name=f"{prefix} Leg {i}-{k}")
                          for k in range(2)]
            date = f"2004-07-{1 + i % 28:02d}"
            event = await create_collecting_event(
                session, actor="test", group=group, verbatim_locality=f"{prefix} Locality {i}",
                country=countries[i % 3], start_event_date=date, collector_ids=[p.id for p in collectors])
            sample = await create_material_sample(session, actor="test", group=group,
                                                  material_sample_name=f"{prefix}-{i:04d}", collecting_event_id=event.id)
            organism = await create_record(session, "organism", actor="test", group=group, material_sample_id=sample.id)
            name = ["Lissotriton boscai", "Triturus marmoratus"][i % 2]
            await create_record(session, "determination", actor="test", group=group, organism_id=organism.id,
                                scientific_name=name, is_primary=True, determiner_ids=[determiner.id],
                                determined_on=dt.date(2020, 5, 1 + i % 28))
            seeded.append(Specimen(str(sample.id), sample.material_sample_name, name, f"{prefix} Locality {i}",
                                   countries[i % 3], date, [p.display_name for p in collectors],
                                   determiner.display_name))
    return seeded
