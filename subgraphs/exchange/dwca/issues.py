"""A core row's collecting-event values, read as GBIF reads them: a value that cannot be read is left out
and flagged, never a reason to refuse the row.

The flags are GBIF's occurrence issue names (org.gbif.api.vocabulary.OccurrenceIssue), so a record
flagged here reads like one flagged by GBIF. The value itself stays verbatim in the sample's source
record; the flag says which term held it. The collection service's own rules (checked_collecting_event)
decide what is valid, so an import and the API agree: each rule it refuses becomes a flag on its term.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from subgraphs.collection.service import checked_collecting_event
from subgraphs.core.base.errors import ClientError
from subgraphs.core.writes.crud import Values
from subgraphs.core.writes.mutations import InvalidInput

from .archive import DWC, term_label
from .dates import from_parts, parse_interval


class Issue(StrEnum):
    BASIS_OF_RECORD_INVALID = "BASIS_OF_RECORD_INVALID"
    RECORDED_DATE_INVALID = "RECORDED_DATE_INVALID"
    IDENTIFIED_DATE_INVALID = "IDENTIFIED_DATE_INVALID"
    COORDINATE_INVALID = "COORDINATE_INVALID"
    COORDINATE_OUT_OF_RANGE = "COORDINATE_OUT_OF_RANGE"
    ZERO_COORDINATE = "ZERO_COORDINATE"
    COORDINATE_UNCERTAINTY_METERS_INVALID = "COORDINATE_UNCERTAINTY_METERS_INVALID"
    COUNTRY_INVALID = "COUNTRY_INVALID"
    ELEVATION_NON_NUMERIC = "ELEVATION_NON_NUMERIC"
    ELEVATION_MIN_MAX_SWAPPED = "ELEVATION_MIN_MAX_SWAPPED"
    DEPTH_NON_NUMERIC = "DEPTH_NON_NUMERIC"
    DEPTH_MIN_MAX_SWAPPED = "DEPTH_MIN_MAX_SWAPPED"


@dataclass(frozen=True)
class Flag:
    """A value kept only verbatim: the file, row and term it is in, and the issue named."""

    file: str
    row: int | None
    term: str
    value: str
    issue: Issue

    def __str__(self) -> str:
        return f"{self.file}{f' row {self.row}' if self.row else ''}: {self.issue} {self.term}={self.value!r} (row kept)"


# Told of each value left out: (term name as dwc:eventDate, the verbatim value, the issue).
Flagger = Callable[[str, str, Issue], None]

EVENT_DATE, YEAR, MONTH, DAY = (DWC + name for name in ("eventDate", "year", "month", "day"))
COORDINATES = {"decimal_latitude": "decimalLatitude", "decimal_longitude": "decimalLongitude"}
# Numeric columns: (column, term, issue when the value is not a number).
NUMBERS = (("coordinate_uncertainty_in_meters", "coordinateUncertaintyInMeters", Issue.COORDINATE_UNCERTAINTY_METERS_INVALID),
           ("minimum_elevation_in_meters", "minimumElevationInMeters", Issue.ELEVATION_NON_NUMERIC),
           ("maximum_elevation_in_meters", "maximumElevationInMeters", Issue.ELEVATION_NON_NUMERIC),
           ("minimum_depth_in_meters", "minimumDepthInMeters", Issue.DEPTH_NON_NUMERIC),
           ("maximum_depth_in_meters", "maximumDepthInMeters", Issue.DEPTH_NON_NUMERIC))
# A rule of the collection service, by the field it names: (issue, columns left out, term flagged).
RULES = {
    "startEventDate": (Issue.RECORDED_DATE_INVALID, ("start_event_date", "end_event_date"), "eventDate"),
    "endEventDate": (Issue.RECORDED_DATE_INVALID, ("start_event_date", "end_event_date"), "eventDate"),
    "decimalLatitude": (Issue.COORDINATE_OUT_OF_RANGE, tuple(COORDINATES), "decimalLatitude"),
    "decimalLongitude": (Issue.COORDINATE_OUT_OF_RANGE, tuple(COORDINATES), "decimalLongitude"),
    "coordinateUncertaintyInMeters": (Issue.COORDINATE_UNCERTAINTY_METERS_INVALID,
                                      ("coordinate_uncertainty_in_meters",), "coordinateUncertaintyInMeters"),
    "countryCode": (Issue.COUNTRY_INVALID, ("country_code",), "countryCode"),
    "maximumElevationInMeters": (Issue.ELEVATION_MIN_MAX_SWAPPED,
                                 ("minimum_elevation_in_meters", "maximum_elevation_in_meters"), "maximumElevationInMeters"),
    "maximumDepthInMeters": (Issue.DEPTH_MIN_MAX_SWAPPED, ("minimum_depth_in_meters", "maximum_depth_in_meters"),
                             "maximumDepthInMeters"),
}


def number(value: str | None) -> float | None:
    """A decimal number as Darwin Core writes it; ValueError for anything else ("1,234.5", "12°")."""
    return None if value in (None, "") else float(value)


def event_dates(record: dict[str, str]) -> tuple[str | None, str | None]:
    """The (start, end) partial dates of a row's eventDate, or of its year/month/day when it has none."""
    if text := record.get(EVENT_DATE):
        return parse_interval(text)
    return from_parts(record.get(YEAR), record.get(MONTH), record.get(DAY)), None


def _verbatim_parts(record: dict[str, str]) -> str:
    """How a row's year, month and day read: `year=1888 day=0`."""
    return " ".join(f"{uri[len(DWC):]}={record[uri]}" for uri in (YEAR, MONTH, DAY) if record.get(uri))


def event_values(record: dict[str, str], columns: dict[str, str], flag: Flagger) -> Values:
    """A row's CollectingEvent values (``columns``: column → term URI of the values read as they are),
    each value the collection service refuses left out and flagged."""
    get = record.get
    values: Values = {column: get(uri) for column, uri in columns.items()}
    try:
        values["start_event_date"], values["end_event_date"] = event_dates(record)
    except ValueError:
        text = get(EVENT_DATE) or _verbatim_parts(record)
        flag("dwc:eventDate" if get(EVENT_DATE) else "dwc:year/month/day", text, Issue.RECORDED_DATE_INVALID)
        values["start_event_date"] = values["end_event_date"] = None
    try:
        values |= {column: number(get(DWC + name)) for column, name in COORDINATES.items()}
    except ValueError:
        for name in COORDINATES.values():
            if get(DWC + name):
                flag(f"dwc:{name}", get(DWC + name), Issue.COORDINATE_INVALID)
        values |= dict.fromkeys(COORDINATES)
    for column, name, issue in NUMBERS:
        try:
            values[column] = number(get(DWC + name))
        except ValueError:
            flag(f"dwc:{name}", get(DWC + name), issue)
            values[column] = None
    if (values["decimal_latitude"] is None) != (values["decimal_longitude"] is None):
        name = "decimalLatitude" if values["decimal_latitude"] is not None else "decimalLongitude"
        flag(f"dwc:{name}", get(DWC + name), Issue.COORDINATE_INVALID)  # one without the other
        values |= dict.fromkeys(COORDINATES)
    if values["decimal_latitude"] == 0 and values["decimal_longitude"] == 0:
        flag("dwc:decimalLatitude", get(DWC + "decimalLatitude"), Issue.ZERO_COORDINATE)  # kept, as GBIF does
    return _checked(values, record, flag)


def _checked(values: Values, record: dict[str, str], flag: Flagger) -> Values:
    """``values`` under the collection service's rules: what a rule refuses is left out and flagged
    (each rule names its field; leaving its columns out satisfies it)."""
    for _ in RULES:
        try:
            return checked_collecting_event(dict(values))
        except InvalidInput as error:
            errors = error.errors
        except ClientError as error:
            errors = [error]
        for rule in errors:
            issue, columns, name = RULES[rule.field]
            if issue is Issue.COORDINATE_OUT_OF_RANGE and "both" in rule.message:
                issue = Issue.COORDINATE_INVALID
            text = record.get(DWC + name) or str(values.get(columns[0]))
            flag(term_label(DWC + name), text, issue)
            values |= dict.fromkeys(columns)
    return checked_collecting_event(dict(values))
