"""Every kind of `filter:` condition on material samples and collecting events, on real PostgreSQL."""

from __future__ import annotations

import pytest

from ..conftest import SubgraphServer, graphql
from .dataset import Dataset

SAMPLES = """query($filter: MaterialSampleFilter, $orderBy: [MaterialSampleOrder!]) {
  materialSamples(filter: $filter, orderBy: $orderBy, first: 50) {
    totalCount edges { node { materialSampleName } } } }"""


def names(subgraphs: SubgraphServer, filter: dict, order_by: list | None = None) -> list[str]:
    body = graphql(subgraphs.url("collection"), SAMPLES, {"filter": filter, "orderBy": order_by})
    assert "errors" not in body, body
    connection = body["data"]["materialSamples"]
    found = [e["node"]["materialSampleName"] for e in connection["edges"]]
    assert connection["totalCount"] == len(found)
    return found


@pytest.mark.parametrize(("filter", "expected"), [
    ({"materialSampleName": {"eq": "NHMD-HERP-0002"}}, ["NHMD-HERP-0002"]),
    ({"materialSampleName": {"in": ["NHMD-ENT-0001", "nope"]}}, ["NHMD-ENT-0001"]),
    ({"materialSampleName": {"contains": "herp-0001"}}, ["NHMD-HERP-0001", "NHMD-HERP-0001-T"]),
    ({"materialSampleName": {"startsWith": "nhmd-ent"}}, ["NHMD-ENT-0001"]),
    ({"materialSampleName": {"contains": "%"}}, []),
    ({"barcode": {"eq": "BC-0001"}}, ["NHMD-HERP-0001"]),
    ({"barcode": {"isNull": False}}, ["NHMD-HERP-0001"]),
    ({"catalogNumber": {"eq": "RuHF-TBB-01-4"}}, ["NHMD-HERP-0001"]),
    ({"materialSampleType": {"eq": "MOLECULAR_SAMPLE"}}, ["NHMD-HERP-0001-T"]),
    ({"countryCode": {"in": ["DE", "MY"]}}, ["NHMD-HERP-0002", "NHMD-ENT-0001"]),
    ({"eventDate": {"gte": "2009-10-15", "lte": "2009-10-20"}}, ["NHMD-HERP-0002"]),
    ({"eventDate": {"eq": "2020-06-01"}}, ["NHMD-ENT-0001"]),
    ({"eventDate": {"lt": "2005-01-01"}}, ["NHMD-HERP-0001"]),
    ({"scientificName": {"contains": "BOSCAI"}}, ["NHMD-HERP-0001"]),
    ({"search": "lisso"}, ["NHMD-HERP-0001"]),
    ({"search": "ruhf tbb"}, ["NHMD-HERP-0001"]),
    ({"search": "gekko"}, ["NHMD-ENT-0001"]),
    ({"or": [{"barcode": {"eq": "BC-0001"}}, {"materialSampleName": {"endsWith": None, "eq": "NHMD-ENT-0001"}}]},
     None),
    ({"and": [{"materialSampleName": {"startsWith": "NHMD-HERP"}}, {"not": {"materialSampleName": {"contains": "-T"}}}]},
     ["NHMD-HERP-0001", "NHMD-HERP-0002"]),
    ({"materialSampleName": {"contains": "'; DROP TABLE collection.material_sample; --"}}, []),
])
def test_sample_filter(dataset: Dataset, subgraphs: SubgraphServer, filter: dict, expected: list[str] | None) -> None:
    if expected is None:  # an operator the schema does not have is a validation error, not ignored
        body = graphql(subgraphs.url("collection"), SAMPLES, {"filter": filter})
        assert "endsWith" in body["errors"][0]["message"]
        return
    assert names(subgraphs, filter) == expected


def test_filters_by_reference(dataset: Dataset, subgraphs: SubgraphServer) -> None:
    ids, people = dataset.ids, dataset.people
    assert names(subgraphs, {"collection": {"eq": ids["ent"]}}) == ["NHMD-ENT-0001"]
    assert names(subgraphs, {"collector": {"eq": people["rafael"]}}) == ["NHMD-HERP-0001", "NHMD-HERP-0002"]
    assert names(subgraphs, {"collector": {"in": [people["tony"], people["olga"]]}}) == ["NHMD-HERP-0002", "NHMD-ENT-0001"]
    assert names(subgraphs, {"parentMaterialSample": {"eq": ids["s1"]}}) == ["NHMD-HERP-0001-T"]
    assert names(subgraphs, {"storageUnit": {"eq": ids["drawer"]}}) == ["NHMD-HERP-0001"]
    assert names(subgraphs, {"preparedBy": {"eq": people["olga"]}}) == ["NHMD-HERP-0001"]
    assert names(subgraphs, {"preparationType": {"in": [ids["extract"]]}}) == ["NHMD-HERP-0001-T"]


def test_malformed_id_in_filter_is_typed_error(dataset: Dataset, subgraphs: SubgraphServer) -> None:
    body = graphql(subgraphs.url("collection"), SAMPLES, {"filter": {"collection": {"eq": "HERP"}}})
    assert body["errors"][0]["extensions"] == {"code": "INVALID_ID", "field": "filter"}


def test_order_by_name_descending(dataset: Dataset, subgraphs: SubgraphServer) -> None:
    order = [{"field": "MATERIAL_SAMPLE_NAME", "direction": "DESC"}]
    assert names(subgraphs, {}, order) == ["NHMD-HERP-0002", "NHMD-HERP-0001-T", "NHMD-HERP-0001", "NHMD-ENT-0001"]


def test_ordered_pages_forwards_and_backwards(dataset: Dataset, subgraphs: SubgraphServer) -> None:
    query = """query($first: Int, $after: String, $last: Int, $before: String) {
      materialSamples(orderBy: [{field: MATERIAL_SAMPLE_NAME}], first: $first, after: $after, last: $last, before: $before) {
        edges { node { materialSampleName } } pageInfo { startCursor endCursor hasNextPage hasPreviousPage } } }"""

    def page(**variables: object) -> dict:
        return graphql(subgraphs.url("collection"), query, variables)["data"]["materialSamples"]

    first = page(first=2)
    second = page(first=2, after=first["pageInfo"]["endCursor"])
    back = page(last=2, before=second["pageInfo"]["startCursor"])
    tail = page(last=1)
    as_names = lambda p: [e["node"]["materialSampleName"] for e in p["edges"]]  # noqa: E731
    assert as_names(first) + as_names(second) == ["NHMD-ENT-0001", "NHMD-HERP-0001", "NHMD-HERP-0001-T", "NHMD-HERP-0002"]
    assert not second["pageInfo"]["hasNextPage"]
    assert as_names(back) == as_names(first)
    assert as_names(tail) == ["NHMD-HERP-0002"]


@pytest.mark.parametrize(("filter", "expected"), [
    ({"decimalLatitude": {"gte": 50}}, ["2009-10"]),
    ({"decimalLongitude": {"lt": 0}}, ["2004-07-18"]),
    ({"minimumElevationInMeters": {"gte": 100, "lte": 150}}, ["2004-07-18"]),
    ({"maximumDepthInMeters": {"gt": 9}}, ["2009-10"]),
    ({"habitat": {"contains": "wadden"}}, ["2009-10"]),
    ({"eventDate": {"gte": "2004-07-18", "lte": "2009-10-01"}}, ["2004-07-18", "2009-10"]),
    ({"countryCode": {"eq": "ES"}}, ["2004-07-18"]),
])
def test_collecting_event_filter(dataset: Dataset, subgraphs: SubgraphServer, filter: dict, expected: list[str]) -> None:
    query = """query($filter: CollectingEventFilter) { collectingEvents(filter: $filter) {
      edges { node { startEventDate } } } }"""
    body = graphql(subgraphs.url("collection"), query, {"filter": filter})
    assert [e["node"]["startEventDate"] for e in body["data"]["collectingEvents"]["edges"]] == expected


def test_determination_filters(dataset: Dataset, subgraphs: SubgraphServer) -> None:
    query = """query($filter: DeterminationFilter) { determinations(filter: $filter) {
      edges { node { scientificName isPrimary } } } }"""
    body = graphql(subgraphs.url("collection"), query, {
        "filter": {"determiner": {"eq": dataset.people["rafael"]}, "determinedOn": {"gte": "2006-01-01"}}})
    assert [e["node"] for e in body["data"]["determinations"]["edges"]] == [
        {"scientificName": "Lissotriton boscai", "isPrimary": True}]
