"""Through the real router: this graph's samples and Specify's objects in one request, what a page
costs in Specify requests, and Specify being down failing only the broker's fields."""

from __future__ import annotations

import pytest

from subgraphs.core.data.db import Database

from ..conftest import ISSUER, SubgraphServer, graphql
from ..seed import seed_samples
from .conftest import REAL_SPECIFY
from .standin import SpecifyStandIn

MIXED = """query($first: Int) {
  materialSamples(first: 3) { edges { node { materialSampleName collectors { displayName } } } }
  specifyCollectionObjects(first: $first) { totalCount edges { node {
    catalogNumber
    determinations { isCurrent taxon { fullName } }
    collectingEvent { startDate locality { localityName } }
    collectors { displayName }
    preparations { preparationType count }
  } } }
}"""


def specify_requests(standin: SpecifyStandIn, router: str, first: int) -> tuple[dict, list[str]]:
    before = len(standin.requests)
    body = graphql(router, MIXED, {"first": first})
    assert "errors" not in body, body
    return body, standin.api_requests(before)


async def test_one_request_reads_samples_and_specify_objects(clean_db: Database, broker_router: str,
                                                             standin: SpecifyStandIn) -> None:
    seeded = await seed_samples(clean_db, 3)

    body, _ = specify_requests(standin, broker_router, 6)

    samples = [e["node"] for e in body["data"]["materialSamples"]["edges"]]
    assert [s["materialSampleName"] for s in samples] == [s.name for s in seeded]
    assert [s["collectors"][0]["displayName"] for s in samples] == [s.collectors[0] for s in seeded]
    objects = [e["node"] for e in body["data"]["specifyCollectionObjects"]["edges"]]
    assert [o["catalogNumber"] for o in objects] == [f"{n:09d}" for n in range(1, 7)]
    assert [o["determinations"][0]["taxon"]["fullName"] for o in objects] == [
        "Conus adversarius", "Mercenaria permagna", "Conus", "Mercenaria permagna", "Mercenaria", "Gastropoda"]
    assert objects[0]["collectingEvent"] == {"startDate": "2019-03-14", "locality": {"localityName": "APAC Quarry, Sarasota"}}
    assert [c["displayName"] for c in objects[4]["collectors"]] == ["Ada L. Curator", "Chiara Taxonomist"]
    assert objects[5]["preparations"] == [{"preparationType": "Shell", "count": 12},
                                          {"preparationType": "Bulk sample", "count": 1}]


async def test_a_page_costs_the_same_specify_requests_whatever_its_size(broker_router: str,
                                                                        standin: SpecifyStandIn) -> None:
    _, small = specify_requests(standin, broker_router, 10)
    body, large = specify_requests(standin, broker_router, 100)

    assert len(body["data"]["specifyCollectionObjects"]["edges"]) == 100
    tables = sorted(r.split("/")[3] for r in large)
    # the page, then one `id__in` request per related table: taxa, events, then localities and agents, preptypes
    assert tables == ["agent", "collectingevent", "collectionobject", "locality", "preptype", "taxon"], large
    assert len(small) == len(large) == 6
    assert all("__in=" in r and "limit=0" in r for r in large if "/collectionobject/" not in r)


async def test_specify_down_fails_only_the_broker_fields(clean_db: Database, broker_router: str,
                                                         standin: SpecifyStandIn) -> None:
    await seed_samples(clean_db, 2)
    standin.down = True
    try:
        body = graphql(broker_router, MIXED, {"first": 5})
    finally:
        standin.down = False

    assert len(body["data"]["materialSamples"]["edges"]) == 2
    assert body["data"]["specifyCollectionObjects"] is None
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
    assert error["path"] == ["specifyCollectionObjects"]


async def test_an_expired_session_logs_in_again(broker_subgraphs: SubgraphServer, standin: SpecifyStandIn) -> None:
    standin.expire_sessions()
    before = len(standin.requests)

    body = graphql(broker_subgraphs.url("specify"), "{ specifyCollectionObjects(first: 1) { totalCount } }")

    assert body["data"]["specifyCollectionObjects"]["totalCount"] >= 6
    sent = [r.split("?")[0] for r in standin.requests[before:]]
    assert sent == ["GET /api/specify/collectionobject/", "GET /context/login/", "PUT /context/login/",
                    "GET /api/specify/collectionobject/"]


@pytest.mark.skipif(bool(REAL_SPECIFY), reason="DINA_SPECIFY_URL configures every subgraph server")
def test_without_a_specify_url_the_fields_answer_upstream_unavailable(subgraphs: SubgraphServer) -> None:
    body = graphql(subgraphs.url("specify"), "{ specifyCollectionObjects(first: 1) { totalCount } }",
                   token=ISSUER.token("specify/user"))

    assert body["data"] == {"specifyCollectionObjects": None}
    assert body["errors"][0]["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
    assert "DINA_SPECIFY_URL" in body["errors"][0]["message"]


DARWIN_CORE = """query($first: Int) { specifyCollectionObjects(first: $first) { edges { node { darwinCore {
  occurrenceID basisOfRecord catalogNumber collectionCode scientificName scientificNameAuthorship identifiedBy
  dateIdentified eventDate fieldNumber recordedBy locality higherGeography decimalLatitude decimalLongitude } } } } }"""


async def test_objects_read_as_darwin_core_occurrences(broker_router: str, standin: SpecifyStandIn) -> None:
    before = len(standin.requests)
    body = graphql(broker_router, DARWIN_CORE, {"first": 100})
    sent = standin.api_requests(before)

    first = body["data"]["specifyCollectionObjects"]["edges"][0]["node"]["darwinCore"]
    assert first == {
        "occurrenceID": standin.store.get("collectionobject", 1)["guid"], "basisOfRecord": "FossilSpecimen",
        "catalogNumber": "000000001", "collectionCode": "IP", "scientificName": "Conus adversarius",
        "scientificNameAuthorship": "Conrad, 1840", "identifiedBy": "Chiara Taxonomist", "dateIdentified": "2022-02-01",
        "eventDate": "2019-03-14", "fieldNumber": "BF-2019-001", "recordedBy": "Bruno Fieldman | Ada L. Curator",
        "locality": "APAC Quarry, Sarasota", "higherGeography": "Florida, United States",
        "decimalLatitude": 27.3364, "decimalLongitude": -82.5307}
    # the page, then one request per related table, however many objects
    assert sorted(r.split("/")[3] for r in sent) == ["agent", "agent", "collectingevent", "collection", "collectionobject",
                                                     "discipline", "geography", "locality", "taxon"]
