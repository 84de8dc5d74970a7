"""Restricted records: a sample or collecting event that is not publicly releasable (or still under
embargo) is read in full only by its group; everyone else — and a published archive — gets its
coordinates generalized, and says so in dwc:dataGeneralizations."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

# The Darwin Core terms of a source record that give a restricted place away.
PRECISE_PLACE = frozenset("http://rs.tdwg.org/dwc/terms/" + t for t in (
    "decimalLatitude", "decimalLongitude", "coordinateUncertaintyInMeters", "verbatimLatitude", "verbatimLongitude",
    "verbatimCoordinates", "footprintWKT"))
PRECISION = 1  # decimal places of a generalized coordinate: 0.1°
METERS_PER_DEGREE = 111_320.0


def restricted(publicly_releasable: bool, embargo_end_date: dt.date | None, today: dt.date | None = None) -> bool:
    """Whether the record is withheld now: before its embargo ends; without an embargo, while it is not
    publicly releasable (the embargo's end is when the record becomes public)."""
    if embargo_end_date is not None:
        return (today or dt.date.today()) < embargo_end_date
    return not publicly_releasable


@dataclass(frozen=True)
class Generalized:
    decimal_latitude: float
    decimal_longitude: float
    coordinate_uncertainty_in_meters: float
    data_generalizations: str


def generalized(latitude: float, longitude: float, uncertainty: float | None) -> Generalized:
    """The point rounded to 0.1°; the uncertainty widened by the farthest the rounding can move a point
    at that latitude (half a step each way), so the circle still holds the true place."""
    half = 0.5 * 10 ** -PRECISION * METERS_PER_DEGREE
    shift = math.ceil(math.hypot(half, half * math.cos(math.radians(latitude))))
    widened = (uncertainty or 0) + shift
    return Generalized(round(latitude, PRECISION), round(longitude, PRECISION), widened,
                       f"Coordinates rounded to {10 ** -PRECISION:g} degree; coordinateUncertaintyInMeters "
                       f"widened by {shift} m.")
