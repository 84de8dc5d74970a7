"""What is inside an uploaded file: its real type, EXIF/XMP metadata, and image derivatives.

Metadata is cleaned as it is read, so that any photo's can be stored: no NUL character (PostgreSQL text and
jsonb cannot hold one; in EXIF it separates strings, e.g. a copyright's photographer and editor parts, which
are kept as "photographer; editor"), no NaN or infinite number (a 0/0 GPS rational), a date only when it
is one. Text is kept whole here; what goes into a column of limited size is cut by the service.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from dataclasses import dataclass
from typing import Any

from PIL import ExifTags, Image, ImageOps

from subgraphs.core.runtime.settings import get_settings

# Pillow only warns at MAX_IMAGE_PIXELS and refuses at twice that; `inspect` refuses at the setting
# itself, from the header, before decoding. This is the backstop for any other decode.
Image.MAX_IMAGE_PIXELS = get_settings().max_image_pixels


class TooManyPixels(ValueError):
    """An image whose header announces more pixels than DINA_MAX_IMAGE_PIXELS."""

# Leading bytes of the types we accept, for sniffing (a damaged file keeps its signature).
SIGNATURES = {
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"II*\x00": "image/tiff",
    b"MM\x00*": "image/tiff",
    b"%PDF-": "application/pdf",
    b"ID3": "audio/mpeg",
    b"PK\x03\x04": "application/zip",  # e.g. Darwin Core Archives for import jobs
}
DERIVATIVES = {"thumbnail": 256, "large": 1280}


@dataclass
class Inspected:
    media_type: str
    width: int | None = None
    height: int | None = None
    orientation: int | None = None
    metadata: dict[str, Any] | None = None
    derivatives: dict[str, tuple[bytes, int, int]] | None = None


def sniff(content: bytes) -> str | None:
    """The media type the bytes really are (None: unknown)."""
    for signature, media_type in SIGNATURES.items():
        if content.startswith(signature):
            return media_type
    if content.startswith(b"RIFF") and content[8:12] in (b"WEBP", b"WAVE"):
        return "image/webp" if content[8:12] == b"WEBP" else "audio/wav"
    if content[4:8] == b"ftyp":
        return "video/mp4"
    return None


def _number(value: Any) -> float | None:
    """A finite float, or None (a 0/0 rational is NaN, which JSON and jsonb cannot hold)."""
    try:
        number = float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return number if math.isfinite(number) else None


def _degrees(dms: Any, ref: str | None) -> float | None:
    try:
        degrees, minutes, seconds = (float(v) for v in dms)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    value = degrees + minutes / 60 + seconds / 3600
    if not math.isfinite(value):  # a 0/0 rational is NaN
        return None
    return round(-value if ref in ("S", "W") else value, 7)


def _text(value: Any) -> str | None:
    """EXIF/XMP text without NUL characters: a NUL ends or separates EXIF strings (trailing padding, or a
    copyright's "photographer NUL editor"), so the non-blank parts are kept, joined by "; "."""
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    parts = (part.strip(" ") for part in str(value).split("\x00"))
    return "; ".join(part for part in parts if part) or None


def _iso_datetime(value: str | None) -> str | None:
    """EXIF "2020:01:16 22:17:52" as ISO 8601 when it is a real date and time; otherwise as read
    (cameras with an unset clock write "0000:00:00 00:00:00")."""
    if value is None:
        return None
    iso = value.replace(":", "-", 2).replace(" ", "T", 1)
    try:
        dt.datetime.fromisoformat(iso)
    except ValueError:
        return value
    return iso


def _xmp_descriptions(image: Image.Image) -> list[dict[str, Any]]:
    try:
        descriptions = image.getxmp().get("xmpmeta", {}).get("RDF", {}).get("Description", [])
    except Exception:  # noqa: BLE001 - XMP is optional and often malformed; EXIF still counts
        return []
    return descriptions if isinstance(descriptions, list) else [descriptions]


def _keywords(descriptions: list[dict[str, Any]]) -> list[str]:
    for description in descriptions:
        items = description.get("subject", {}).get("Bag", {}).get("li")
        if items:
            texts = [_text(item) for item in ([items] if isinstance(items, str) else items)]
            return [text for text in texts if text]
    return []


def image_metadata(image: Image.Image) -> dict[str, Any]:
    """Camera, dates, GPS, artist, copyright and keywords (EXIF, then XMP), as plain JSON."""
    exif = image.getexif()
    base = {ExifTags.TAGS.get(k, k): v for k, v in exif.items()}
    detail = {ExifTags.TAGS.get(k, k): v for k, v in exif.get_ifd(ExifTags.IFD.Exif).items()}
    gps = {ExifTags.GPSTAGS.get(k, k): v for k, v in exif.get_ifd(ExifTags.IFD.GPSInfo).items()}
    descriptions = _xmp_descriptions(image)
    metadata = {
        "make": _text(base.get("Make")),
        "model": _text(base.get("Model")),
        "lensModel": _text(detail.get("LensModel")),
        "dateTimeOriginal": _iso_datetime(_text(detail.get("DateTimeOriginal"))),
        "artist": _text(base.get("Artist")),
        "copyright": _text(base.get("Copyright")),
        "imageDescription": _text(base.get("ImageDescription")),
        "keywords": _keywords(descriptions),
    }
    latitude = _degrees(gps.get("GPSLatitude"), gps.get("GPSLatitudeRef"))
    longitude = _degrees(gps.get("GPSLongitude"), gps.get("GPSLongitudeRef"))
    if latitude is not None and longitude is not None:
        metadata["gps"] = {"latitude": latitude, "longitude": longitude}
        if (altitude := _number(gps.get("GPSAltitude"))) is not None:
            metadata["gps"]["altitude"] = round(altitude, 2)
    return {k: v for k, v in metadata.items() if v not in (None, [])}


def inspect(content: bytes, declared_type: str) -> Inspected:
    """Sniff ``content``; for images, read metadata and make the derivatives (EXIF orientation applied)."""
    real_type = sniff(content)
    if real_type is None or not real_type.startswith("image/"):
        return Inspected(real_type or "application/octet-stream")
    with Image.open(io.BytesIO(content)) as image:  # reads the header only
        limit = get_settings().max_image_pixels
        if image.width * image.height > limit:
            raise TooManyPixels(f"The image is {image.width}×{image.height} = {image.width * image.height:,} pixels; "
                                f"the limit is {limit:,}")
        image.load()  # decodes fully: a truncated or corrupt image fails here
        inspected = Inspected(real_type, image.width, image.height, image.getexif().get(0x0112),
                              image_metadata(image), {})
        upright = ImageOps.exif_transpose(image).convert("RGB")
        for variant, edge in DERIVATIVES.items():
            copy = upright.copy()
            copy.thumbnail((edge, edge))
            out = io.BytesIO()
            copy.save(out, "JPEG", quality=85)
            inspected.derivatives[variant] = (out.getvalue(), copy.width, copy.height)
    return inspected
