"""HTML to PDF with WeasyPrint: label sheets placed by the layout, reports as written; nothing fetched.

Sheets are typeset a few pages at a time and the parts joined, so memory stays flat however many
labels a request prints (a WeasyPrint document holds the layout of all its pages)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator

import pypdf
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from .layout import Layout

PAGES_PER_PART = 10
_BASE_CSS = "body { font-family: 'DejaVu Sans', sans-serif; font-size: 7pt } svg { display: block }"


def no_fetching() -> URLFetcher:
    """Only data: URLs: a template cannot make the renderer read a file or a network address."""
    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False)


def _document(body: str, stylesheet: str, layout: Layout | None) -> bytes:
    fetcher = no_fetching()
    css = [CSS(string=_BASE_CSS), *([CSS(string=layout.css())] if layout else []),
           CSS(string=stylesheet, url_fetcher=fetcher)]
    return HTML(string=f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>{body}</body></html>",
                url_fetcher=fetcher, base_url=None).write_pdf(stylesheets=css)


def _sheets(labels: Iterable[str], layout: Layout) -> Iterator[str]:
    """The HTML of each page: its labels placed absolutely at the layout's positions."""
    page: list[str] = []
    for index, label in enumerate(labels):
        x, y = layout.position(index)
        page.append(f'<div class="dina-label" style="left:{x:.3f}mm;top:{y:.3f}mm">{label}</div>')
        if len(page) == layout.per_page:
            yield f'<div class="dina-sheet">{"".join(page)}</div>'
            page = []
    if page:
        yield f'<div class="dina-sheet">{"".join(page)}</div>'


def label_sheets(labels: Iterable[str], layout: Layout, stylesheet: str) -> bytes:
    """One PDF of all ``labels`` (HTML fragments, in order) on sheets of ``layout``."""
    parts: list[bytes] = []
    chunk: list[str] = []
    for sheet in _sheets(labels, layout):
        chunk.append(sheet)
        if len(chunk) == PAGES_PER_PART:
            parts.append(_document("".join(chunk), stylesheet, layout))
            chunk = []
    if chunk or not parts:
        parts.append(_document("".join(chunk), stylesheet, layout))
    return parts[0] if len(parts) == 1 else _joined(parts)


def report(body: str, stylesheet: str, layout: Layout | None) -> bytes:
    """A report: the template's HTML typeset as one flowing document (its own @page rules win)."""
    return _document(body, stylesheet, layout)


def _joined(parts: list[bytes]) -> bytes:
    writer = pypdf.PdfWriter()
    for part in parts:
        writer.append(pypdf.PdfReader(io.BytesIO(part)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def page_count(content: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(content)).pages)
