"""Darwin Core dates as ISO 8601 partial dates ("1998", "1998-06", "1998-06-21"), read as GBIF does.

One module for every date an archive carries: `eventDate` (a date, a partial date, a date-time with a
zone, or an interval whose end may leave out what it shares with its start: `2007-11-13/15`,
`2011-04-04/05-10`), `year`/`month`/`day` when there is no `eventDate`, and `dateIdentified`. The
time and zone are not kept (the verbatim text stays in the source record): a date-time gives the
calendar date written in it. What cannot be read raises ValueError, and the importer flags it.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

_JAVA_DATE = re.compile(r"^[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d{1,2}) [\d:]{8} [A-Z]{3,4} (\d{4})$")
_TIME = re.compile(r"^([01]\d|2[0-3])(:?[0-5]\d(:?[0-5]\d([.,]\d+)?)?)?(Z|[+-]([01]\d|2[0-3])(:?[0-5]\d)?)?$")
_PARTS = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_BASIC = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_ORDINAL = re.compile(r"^(\d{4})-(\d{3})$")
_ABBREVIATED_END = re.compile(r"^\d{2}(?:-\d{2})?$")


def _partial(parts: list[str]) -> str:
    """Year, month, day (the first one or more of them) as a checked ISO partial date."""
    year, month, day = (*map(int, parts), None, None)[:3]
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"month {month}")
    if day is not None:
        dt.date(year, month, day)  # a day that month has
    return "-".join(parts)


def _split(value: str) -> list[str]:
    """A date, with any time and zone after it left out, as its year, month and day parts."""
    value = value.strip()
    if match := _JAVA_DATE.match(value):
        month, day, year = match.groups()
        return dt.datetime.strptime(f"{year} {month} {day}", "%Y %b %d").date().isoformat().split("-")
    date, separator, time = value.replace(" ", "T", 1).partition("T")
    if separator and not _TIME.match(time):
        raise ValueError(f"time {time!r}")
    if match := _BASIC.match(date):
        return list(match.groups())
    if match := _ORDINAL.match(date):
        year, day_of_year = map(int, match.groups())
        return (dt.date(year, 1, 1) + dt.timedelta(days=day_of_year - 1)).isoformat().split("-")
    if not (match := _PARTS.match(date)):
        raise ValueError(f"not an ISO 8601 date: {value!r}")
    return [part for part in match.groups() if part]


@lru_cache(maxsize=32_768)
def parse_interval(value: str) -> tuple[str, str | None]:
    """An `eventDate`: a date, or an interval `start/end` whose end may leave out the leading parts
    it shares with the start (ISO 8601 4.4.5: `2007-11-13/15` ends on 2007-11-15). The end is None
    for a single date."""
    start_text, slash, end_text = value.strip().partition("/")
    start = _split(start_text)
    if not slash:
        return _partial(start), None
    end_text = end_text.strip()
    if _ABBREVIATED_END.match(end_text) and "T" not in start_text:
        given = end_text.split("-")
        if len(given) >= len(start):
            raise ValueError(f"interval end {end_text!r} is shorter than a year")
        end = start[:len(start) - len(given)] + given
    else:
        end = _split(end_text)
    return _partial(start), _partial(end)  # (an end before the start is the collection service's rule)


def _first_day(parts: list[str]) -> dt.date:
    year, month, day = (*map(int, parts), 1, 1)[:3]
    return dt.date(year, month, day)


def from_parts(year: str | None, month: str | None, day: str | None) -> str | None:
    """`year`, `month`, `day` as one partial date (None without a year); ValueError if they make
    none (a day without a month, month 13, 31 February)."""
    if not year:
        return None
    if day and not month:
        raise ValueError("a day without a month")
    parts = [year.strip().zfill(4)] + [p.strip().zfill(2) for p in (month, day) if p]
    if not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
        raise ValueError(f"not a year, month and day: {'-'.join(parts)}")
    return _partial(parts)


def first_day(value: str) -> dt.date:
    """The first day a (partial) date covers: a `dateIdentified` of 2005 is stored as 2005-01-01, its
    precision kept in the verbatim source record."""
    return _first_day(parse_interval(value)[0].split("-"))
