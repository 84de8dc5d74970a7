"""Barcodes for templates: ``code128`` (python-barcode) and ``datamatrix`` as inline SVG (vector graphics
in the PDF), ``qr`` as a pixel-exact image; ``qr`` and ``datamatrix`` drawn by zxing-cpp's writer."""

from __future__ import annotations

import base64
import io
import re

import barcode
import numpy
import zxingcpp
from barcode.writer import SVGWriter
from markupsafe import Markup
from PIL import Image

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


_QR_ERROR_LEVELS = ("L", "M", "Q", "H")


def qr(data: object, size_mm: float = 20, error: str = "m") -> Markup:
    """A QR code of ``data``, ``size_mm`` square, with its quiet zone of four modules; ``error`` is the
    error-correction level (L, M, Q, H).

    Drawn by zxing-cpp's writer as a one-pixel-per-module PNG placed without smoothing (each module stays
    a sharp square at any size): as an SVG path, WeasyPrint parsed and drew a command per run of modules,
    and a sheet of QR labels spent three quarters of its time there and in segno's mask selection."""
    level = str(error).upper()
    if level not in _QR_ERROR_LEVELS:
        raise ValueError(f"QR error-correction level must be one of {', '.join(_QR_ERROR_LEVELS)}, not {error!r}")
    symbol = zxingcpp.create_barcode(_text(data), zxingcpp.BarcodeFormat.QRCode, ec_level=level)
    png = io.BytesIO()
    Image.fromarray(numpy.asarray(symbol.to_image(scale=1, add_quiet_zones=True))).convert("1").save(png, "PNG")
    source = base64.b64encode(png.getvalue()).decode()
    return Markup(f'<img alt="" src="data:image/png;base64,{source}" '
                  f'style="display:block;width:{size_mm}mm;height:{size_mm}mm;image-rendering:pixelated">')


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
