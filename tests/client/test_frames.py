"""Connections into DataFrames, Arrow and Parquet through the real router: Darwin Core columns, paging, filters."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from dina_graph_client import Client, FilterError

from .conftest import GROUP, RECORDS, admin_token


@pytest.fixture
def client(router: str, seeded: dict[str, str]) -> Client:
    return Client(router, token=admin_token(), progress=False)


def names(frame) -> set[str]:
    return set(frame["catalogNumber"])


def test_samples_have_flat_darwin_core_columns(client: Client, seeded: dict[str, str]) -> None:
    frame = client.samples(group=GROUP).set_index("catalogNumber")

    assert set(frame.index) == {r.name for r in RECORDS}
    newt = frame.loc["TRI-1"]
    assert newt["id"] == seeded["TRI-1"]
    assert newt["scientificName"] == "Triturus cristatus"
    assert newt["eventDate"] == "2010-05-01"
    assert frame.loc["TRI-2", "eventDate"] == "2015-07-02/2015-07-04"  # an ISO 8601 interval
    assert (newt["country"], newt["countryCode"]) == ("Sweden", "SE")
    assert newt["decimalLatitude"] == pytest.approx(59.858) and frame["decimalLatitude"].dtype == "float64"
    assert newt["recordedBy"] == "Collector 0-0 | Collector 0-1"
    assert newt["associatedSequences"] == "CLT0001 | CLT0002"
    assert pd.isna(frame.loc["LIS-1", "associatedSequences"])  # no sequences: missing, not ""


def test_pages_follow_the_cursor_and_stop_at_the_limit(client: Client) -> None:
    client.page_size = 1
    pages = list(client.pages("materialSamples", group=GROUP, fields=["catalogNumber"]))
    assert [len(p) for p in pages] == [1, 1, 1]
    assert {row["catalogNumber"] for page in pages for row in page} == {r.name for r in RECORDS}
    assert len(client.samples(group=GROUP, limit=2)) == 2
    client.page_size = 5000  # over the router's cost limit (and DINA_MAX_PAGE_SIZE): smaller pages are asked for
    assert len(client.samples(group=GROUP)) == 3 and client.page_size <= 1000
    assert len(client.samples(group=GROUP, fields=["catalogNumber"])) == 3


@pytest.mark.parametrize(("keywords", "expected"), [
    ({"country": "SE"}, {"TRI-1", "LIS-1"}),
    ({"scientific_name__contains": "Triturus"}, {"TRI-1", "TRI-2"}),
    ({"event_date__gte": "2010"}, {"TRI-1", "TRI-2"}),
    ({"event_date__lt": "2010"}, {"LIS-1"}),
    ({"event_date": "2015"}, {"TRI-2"}),  # a year is the range of its days
    ({"catalog_number__in": ["TRI-2", "LIS-1"]}, {"TRI-2", "LIS-1"}),
    ({"catalog_number__starts_with": "TRI", "country": "NO"}, {"TRI-2"}),
    ({"bbox": (10.0, 55.0, 25.0, 70.0)}, {"TRI-1", "LIS-1"}),  # west, south, east, north: Sweden, not Bergen
    ({"bbox": (0.0, 58.0, 10.0, 65.0)}, {"TRI-2"}),
    ({"filter": {"search": "TRI"}, "country": "SE"}, {"TRI-1"}),  # the API's own input, and-ed with keywords
])
def test_keyword_filters_map_to_the_api_filter_input(client: Client, keywords: dict, expected: set[str]) -> None:
    assert names(client.samples(group=GROUP, **keywords)) == expected


def test_other_connections_have_their_own_columns(client: Client) -> None:
    sequences = client.sequences(group=GROUP, scientific_name__contains="Triturus")
    assert sorted(sequences["accession"]) == ["CLT0001", "CLT0002", "CLT0003"]
    assert set(sequences["catalogNumber"]) == {"TRI-1", "TRI-2"} and sequences["length"].tolist() == [80, 80, 80]
    events = client.events(group=GROUP, bbox=(10.0, 55.0, 25.0, 70.0))
    assert set(events["countryCode"]) == {"SE"} and len(events) == 2
    people = client.people(group=GROUP, display_name__starts_with="Collector 1")
    assert sorted(people["displayName"]) == ["Collector 1-0", "Collector 1-1"]
    # A connection without a Darwin Core mapping: the node's own leaf fields, from the schema.
    assert {"id", "displayName", "group"} <= set(client.frame("people", group=GROUP, limit=1).columns)
    regions = client.frame("preparationTypes", fields=["id", "name"], limit=1)
    assert list(regions.columns) == ["id", "name"]


def test_fields_pick_columns_or_any_path(client: Client) -> None:
    frame = client.samples(group=GROUP, catalog_number="TRI-1",
                           fields=["catalogNumber", "collectingEvent.verbatimLocality", "sequences.length"])
    assert frame.to_dict("records") == [{"catalogNumber": "TRI-1", "collectingEvent.verbatimLocality": "Pond 0",
                                         "sequences.length": "80 | 80"}]


@pytest.mark.parametrize(("keywords", "field", "says"), [
    ({"colour": "red"}, "colour", "MaterialSampleFilter has no field 'colour'"),
    ({"country__near": "SE"}, "country__near", "unknown operator 'near'"),
    ({"search__contains": "x"}, "search__contains", "takes a value, not operators"),
    ({"event_date__gte": 2010.5}, "filter.eventDate.gte", "a Date is ISO 8601 text, not 2010.5"),
    ({"event_date__lte": "2010-13-01"}, "filter.eventDate.lte", "ISO 8601"),
    ({"bbox": (30.0, 55.0, 10.0, 70.0)}, "bbox", "west ≤ east"),
])
def test_bad_filters_are_refused_before_sending(client: Client, keywords: dict, field: str, says: str) -> None:
    with pytest.raises(FilterError) as refused:
        client.samples(**keywords)
    assert refused.value.field == field and says in refused.value.message
    assert refused.value.code == "BAD_USER_INPUT" and refused.value.request_id is None  # nothing was sent


def test_arrow_and_parquet_are_written_a_page_at_a_time(client: Client, tmp_path: Path) -> None:
    client.page_size = 1
    table = client.to_arrow("materialSamples", group=GROUP)
    assert table.num_rows == 3 and table.schema.field("decimalLatitude").type == "double"
    path = tmp_path / "samples.parquet"
    assert client.to_parquet(path, "materialSamples", group=GROUP) == 3
    stored = pq.ParquetFile(path)
    assert stored.metadata.num_row_groups == 3  # one page, one row group: never the whole result in memory
    assert sorted(stored.read().column("catalogNumber").to_pylist()) == sorted(r.name for r in RECORDS)
    assert stored.read().to_pandas().set_index("catalogNumber").loc["TRI-1", "recordedBy"] == \
        "Collector 0-0 | Collector 0-1"
