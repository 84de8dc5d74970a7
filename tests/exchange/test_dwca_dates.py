"""Darwin Core dates against a table of cases: ISO 8601 and Darwin Core's own examples."""

from __future__ import annotations

import datetime as dt

import pytest

from subgraphs.exchange.dwca.dates import first_day, from_parts, parse_interval

# eventDate → (start, end), as ISO 8601 partial dates.
EVENT_DATES = [
    ("1963-03-08", ("1963-03-08", None)),
    ("1963-03", ("1963-03", None)),
    ("1963", ("1963", None)),
    ("2007-11-13/15", ("2007-11-13", "2007-11-15")),  # Darwin Core's eventDate example
    ("2011-04-04/05-10", ("2011-04-04", "2011-05-10")),
    ("2007-03-01/2008-05-11", ("2007-03-01", "2008-05-11")),
    ("1900/1909", ("1900", "1909")),
    ("2007-11/12", ("2007-11", "2007-12")),
    ("2010-11-01T12:00:00+02:00", ("2010-11-01", None)),  # the OBIS Sevastopol archive
    ("2009-02-20T08:40Z", ("2009-02-20", None)),
    ("2008-04-15T10:30:00.123-05", ("2008-04-15", None)),
    ("1963-03-08T14:07-0600", ("1963-03-08", None)),
    ("2009-02-20T08:40Z/2009-02-21T09:00Z", ("2009-02-20", "2009-02-21")),
    ("1930-04-01 00:00:00", ("1930-04-01", None)),
    ("20070113", ("2007-01-13", None)),
    ("2007-113", ("2007-04-23", None)),  # ordinal date
    ("Tue Apr 01 00:00:00 CET 1930", ("1930-04-01", None)),  # Java Date.toString() in old GBIF downloads
    (" 1999-12-31 ", ("1999-12-31", None)),
]
NOT_DATES = ["2001-13-40", "2001-02-30", "unknown", "/2001-03", "2001-03/", "1999-12-31T25:00", "2007-11-13/1",
             "12/05/1999", "1999-1-1"]


@pytest.mark.parametrize(("text", "expected"), EVENT_DATES)
def test_event_date(text: str, expected: tuple[str, str | None]) -> None:
    assert parse_interval(text) == expected


@pytest.mark.parametrize("text", NOT_DATES)
def test_not_an_event_date(text: str) -> None:
    with pytest.raises(ValueError):
        parse_interval(text)


@pytest.mark.parametrize(("parts", "expected"), [
    (("2009", "6", "16"), "2009-06-16"), (("1888", "", ""), "1888"), (("1888", "7", None), "1888-07"),
    ((None, "7", "1"), None), (("", "", ""), None),
])
def test_year_month_day(parts: tuple, expected: str | None) -> None:
    assert from_parts(*parts) == expected


@pytest.mark.parametrize("parts", [("1888", "0", ""), ("2001", "2", "30"), ("2001", "", "5"), ("19x9", "", "")])
def test_not_a_year_month_day(parts: tuple) -> None:
    with pytest.raises(ValueError):
        from_parts(*parts)


@pytest.mark.parametrize(("text", "expected"), [
    ("2005", dt.date(2005, 1, 1)), ("2012-06", dt.date(2012, 6, 1)), ("2012-06-03T10:00Z", dt.date(2012, 6, 3)),
    ("2011-04-04/05-10", dt.date(2011, 4, 4)),
])
def test_date_identified_is_its_first_day(text: str, expected: dt.date) -> None:
    assert first_day(text) == expected
