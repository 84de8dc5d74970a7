"""Reading Specify through the broker: the recorded objects, as this graph's types."""

from __future__ import annotations

from ..conftest import SubgraphServer, graphql
from .standin import SpecifyStandIn

CO_5 = "f93c85ad-abf9-4428-9e6d-144537387075"  # two determinations: Mercenaria (current), Conus
OBJECT = """query($id: ID!) { specifyCollectionObject(id: $id) {
  id specifyId catalogNumber catalogedDate fieldNumber version collectionCode
  determinations { isCurrent determinedDate remarks taxon { name fullName author rankId } determiner { displayName } }
  preparations { preparationType count storageLocation loans { loanNumber loanDate quantity } }
  attachments { title originalFilename mimeType }
  collectingEvent { startDate fieldNumber verbatimDate locality { localityName decimalLatitude decimalLongitude higherGeography } }
  collectors { displayName firstName lastName }
} }"""


def test_an_object_with_two_determinations_current_first(broker_subgraphs: SubgraphServer) -> None:
    body = graphql(broker_subgraphs.url("specify"), OBJECT, {"id": CO_5})

    assert "errors" not in body, body
    node = body["data"]["specifyCollectionObject"]
    assert node["specifyId"] == 5 and node["catalogNumber"] == "000000005" and node["collectionCode"] == "IP"
    assert node["catalogedDate"] == "2022-01-10" and node["fieldNumber"] == "AC-2021-004"
    assert [(d["isCurrent"], d["taxon"]["fullName"], d["determiner"]["displayName"]) for d in node["determinations"]] == [
        (True, "Mercenaria", "Chiara Taxonomist"), (False, "Conus", "Bruno Fieldman")]
    assert node["determinations"][1]["remarks"] == "Field identification"
    assert node["collectingEvent"]["startDate"] == "2021-06-21"
    assert node["collectingEvent"]["locality"]["localityName"] == "Chuckatuck Creek bluff"
    assert node["collectingEvent"]["locality"]["decimalLatitude"] == 36.8721
    assert node["collectingEvent"]["locality"]["higherGeography"] == "Virginia, United States"
    assert [c["displayName"] for c in node["collectors"]] == ["Ada L. Curator", "Chiara Taxonomist"]
    assert node["preparations"] == [{"preparationType": "Shell", "count": 1, "storageLocation": "Cabinet 4, Drawer 2", "loans": []}]


def test_attachments_loans_and_authors(broker_subgraphs: SubgraphServer, standin: SpecifyStandIn) -> None:
    guid = standin.store.get("collectionobject", 1)["guid"]
    node = graphql(broker_subgraphs.url("specify"), OBJECT, {"id": guid})["data"]["specifyCollectionObject"]

    assert node["attachments"] == [{"title": "Conus adversarius, dorsal view",
                                    "originalFilename": "conus_adversarius_dorsal.jpg", "mimeType": "image/jpeg"}]
    assert node["preparations"][0]["loans"] == [{"loanNumber": "2024-001", "loanDate": "2024-04-02", "quantity": 3}]
    assert node["determinations"][0]["taxon"] == {"name": "adversarius", "fullName": "Conus adversarius",
                                                  "author": "Conrad, 1840", "rankId": 220}
    assert [c["displayName"] for c in node["collectors"]] == ["Bruno Fieldman", "Ada L. Curator"]


def test_an_unknown_guid_is_null(broker_subgraphs: SubgraphServer) -> None:
    body = graphql(broker_subgraphs.url("specify"), "{ specifyCollectionObject(id: \"nope\") { id } }")
    assert body == {"data": {"specifyCollectionObject": None}}


PAGE = """query($first: Int, $after: String, $filter: SpecifyCollectionObjectFilter, $order: SpecifyCollectionObjectOrder) {
  specifyCollectionObjects(first: $first, after: $after, filter: $filter, orderBy: $order) {
    totalCount edges { cursor node { specifyId catalogNumber } } pageInfo { hasNextPage endCursor } } }"""


def page(server: SubgraphServer, **variables: object) -> dict:
    body = graphql(server.url("specify"), PAGE, variables)
    assert "errors" not in body, body
    return body["data"]["specifyCollectionObjects"]


def test_filters_become_specify_query_parameters(broker_subgraphs: SubgraphServer, standin: SpecifyStandIn) -> None:
    before = len(standin.requests)
    found = page(broker_subgraphs, first=10, filter={"taxonFullName": {"eq": "Mercenaria permagna"},
                                                     "catalogNumber": {"in": ["000000001", "000000002", "000000004"]}})

    assert [e["node"]["specifyId"] for e in found["edges"]] == [2, 4]
    assert found["totalCount"] == 2 and not found["pageInfo"]["hasNextPage"]
    (sent,) = standin.api_requests(before)
    assert "determinations__taxon__fullname=Mercenaria+permagna" in sent
    assert "catalognumber__in=000000001%2C000000002%2C000000004" in sent and "domainfilter=true" in sent
    dated = page(broker_subgraphs, first=3, filter={"collectingDate": {"lt": "2020-01-01"}})
    assert [e["node"]["specifyId"] for e in dated["edges"]] == [1, 2, 7]


def test_cursors_are_keys_so_pages_do_not_shift(broker_subgraphs: SubgraphServer, standin: SpecifyStandIn) -> None:
    order = {"field": "CATALOG_NUMBER", "direction": "DESC"}
    first = page(broker_subgraphs, first=2, order=order)
    assert first["totalCount"] == 126 and first["pageInfo"]["hasNextPage"]
    newest = [e["node"]["specifyId"] for e in first["edges"]]
    assert newest == [126, 125]
    standin.store.delete("collectionobject", standin.store.get("collectionobject", 125))  # removed before the cursor

    second = page(broker_subgraphs, first=2, after=first["pageInfo"]["endCursor"], order=order)

    assert [e["node"]["specifyId"] for e in second["edges"]] == [124, 123]  # an offset would have skipped 124
    assert second["totalCount"] == 125


def test_a_cursor_of_another_order_is_refused(broker_subgraphs: SubgraphServer) -> None:
    cursor = page(broker_subgraphs, first=1)["pageInfo"]["endCursor"]
    body = graphql(broker_subgraphs.url("specify"), PAGE, {"first": 1, "after": cursor,
                                                           "order": {"field": "CATALOG_NUMBER"}})
    assert body["errors"][0]["extensions"]["code"] == "INVALID_CURSOR"


def test_an_empty_page_is_not_specifys_limit_zero(broker_subgraphs: SubgraphServer, standin: SpecifyStandIn) -> None:
    before = len(standin.requests)
    empty = page(broker_subgraphs, first=0)

    assert empty["edges"] == [] and empty["totalCount"] >= 6 and empty["pageInfo"]["hasNextPage"]
    assert all("limit=1&" in r for r in standin.api_requests(before))
