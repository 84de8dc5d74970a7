"""Barcodes as inline SVG (vector graphics in the PDF, not pictures): the template functions
``qr``, ``code128`` and ``datamatrix``."""

from __future__ import annotations

import io
import re

import barcode
import segno
import zxingcpp
from barcode.writer import SVGWriter
from markupsafe import Markup

_XML_PROLOGUE = re.compile(r"^\s*<\?xml[^>]*>\s*(<!DOCTYPE[^>]*>\s*)?", re.S)
_MM_VALUE = re.compile(r'="([0-9.]+)mm"')
_SIZE = re.compile(r'\s(width|height)="[^"]*"')


def _sized(svg: str, width_mm: float, height_mm: float) -> Markup:
    """An SVG document as an element of the label, scaled to the size asked for (its viewBox kept)."""
    svg = _XML_PROLOGUE.sub("", svg)
    head, rest = svg.split(">", 1)
    head = _SIZE.sub("", head)
    return Markup(f'{head} width="{width_mm}mm" height="{height_mm}mm" preserveAspectRatio="xMidYMid meet">{rest}')


def _text(data: object) -> str:
    text = "" if data is None else str(data)
    if not text:
        raise ValueError("a barcode needs some data to encode")
    return text


def qr(data: object, size_mm: float = 20, error: str = "m") -> Markup:
    """A QR code (segno) of ``data``, ``size_mm`` square, with its quiet zone."""
    svg = segno.make_qr(_text(data), error=error).svg_inline(scale=1, border=4)
    return _sized(_with_viewbox(svg), size_mm, size_mm)


def code128(data: object, width_mm: float = 40, height_mm: float = 10) -> Markup:
    """A Code 128 barcode (python-barcode), without the human-readable text (templates print it)."""
    out = io.BytesIO()
    barcode.get("code128", _text(data), writer=SVGWriter()).write(
        out, {"write_text": False, "module_height": 10.0, "quiet_zone": 6.4, "compress": False})
    # python-barcode writes every coordinate in mm; as plain user units they scale with the viewBox.
    svg = _MM_VALUE.sub(r'="\1"', out.getvalue().decode())
    return _sized(_with_viewbox(svg), width_mm, height_mm)


def datamatrix(data: object, size_mm: float = 15) -> Markup:
    """A DataMatrix (ECC 200) symbol, drawn by zxing-cpp's writer, with a quiet zone of two modules."""
    symbol = zxingcpp.create_barcode(_text(data), zxingcpp.BarcodeFormat.DataMatrix)
    svg = symbol.to_svg(add_quiet_zones=True)
    return _sized(_with_viewbox(svg), size_mm, size_mm)


_NUMBER = r"([0-9.]+)(?:mm|px)?"


def _with_viewbox(svg: str) -> str:
    """Give an SVG whose size is in width/height only a viewBox, so that it scales instead of clipping."""
    head = svg[: svg.index(">", svg.index("<svg"))]
    if "viewBox" in head:
        return svg
    width = re.search(r'\swidth="' + _NUMBER, head)
    height = re.search(r'\sheight="' + _NUMBER, head)
    if not (width and height):
        raise ValueError("barcode SVG without a size")
    return svg.replace("<svg", f'<svg viewBox="0 0 {width.group(1)} {height.group(1)}"', 1)
