"""Writes Specify allows, through the broker: Specify's version check is this graph's STALE_VERSION."""

from __future__ import annotations

from ..conftest import ISSUER, SubgraphServer, graphql
from .standin import SpecifyStandIn

UPDATE = """mutation($input: UpdateSpecifyDeterminationInput!) { updateSpecifyDetermination(input: $input) {
  determination { id version remarks confidence isCurrent taxon { fullName } } errors { code message field } } }"""
ADD = """mutation($input: AddSpecifyPreparationInput!) { addSpecifyPreparation(input: $input) {
  preparation { id preparationType count remarks version } collectionObject { version preparations { count } }
  errors { code message field } } }"""


def a_generated_object(standin: SpecifyStandIn, number: int) -> dict:
    """One of the generated objects (ids 7+), so the recorded ones stay as recorded for other tests."""
    record = standin.store.get("collectionobject", 7 + number)
    return standin.store.serialize("collectionobject", record)


def test_update_a_determination_then_a_stale_version_is_refused(broker_subgraphs: SubgraphServer,
                                                                standin: SpecifyStandIn) -> None:
    determination = a_generated_object(standin, 1)["determinations"][0]
    url = broker_subgraphs.url("specify")
    input = {"id": determination["guid"], "version": determination["version"], "remarks": "re-examined",
             "confidence": "Medium", "taxonFullName": "Conus adversarius"}

    done = graphql(url, UPDATE, {"input": input})["data"]["updateSpecifyDetermination"]

    assert done["errors"] == []
    assert done["determination"] == {"id": determination["guid"], "version": determination["version"] + 1,
                                     "remarks": "re-examined", "confidence": "Medium", "isCurrent": True,
                                     "taxon": {"fullName": "Conus adversarius"}}
    stored = standin.store.get("determination", determination["id"])
    assert stored["remarks"] == "re-examined" and stored["taxon"] == "/api/specify/taxon/8/"

    stale = graphql(url, UPDATE, {"input": input | {"remarks": "again"}})["data"]["updateSpecifyDetermination"]

    assert stale["determination"] is None
    assert stale["errors"] == [{"code": "STALE_VERSION", "field": "version",
                                "message": f"Specify: Determination object {determination['id']} is out of date"}]
    assert standin.store.get("determination", determination["id"])["remarks"] == "re-examined"


def test_add_a_preparation_checks_the_objects_version(broker_subgraphs: SubgraphServer,
                                                      standin: SpecifyStandIn) -> None:
    target = a_generated_object(standin, 2)
    url = broker_subgraphs.url("specify")
    input = {"collectionObjectId": target["guid"], "version": target["version"], "preparationType": "Bulk sample",
             "count": 7, "remarks": "split off"}

    done = graphql(url, ADD, {"input": input})["data"]["addSpecifyPreparation"]

    assert done["errors"] == []
    assert done["preparation"]["preparationType"] == "Bulk sample" and done["preparation"]["count"] == 7
    assert done["preparation"]["version"] == 0
    assert done["collectionObject"]["version"] == target["version"] + 1
    assert [p["count"] for p in done["collectionObject"]["preparations"]] == [target["preparations"][0]["countamt"], 7]

    stale = graphql(url, ADD, {"input": input})["data"]["addSpecifyPreparation"]
    assert [e["code"] for e in stale["errors"]] == ["STALE_VERSION"]
    assert len(standin.store.serialize("collectionobject", standin.store.get("collectionobject", target["id"]))
               ["preparations"]) == 2


def test_specify_errors_become_typed_errors(broker_subgraphs: SubgraphServer, standin: SpecifyStandIn) -> None:
    target = a_generated_object(standin, 3)
    url = broker_subgraphs.url("specify")
    input = {"collectionObjectId": target["guid"], "version": target["version"], "preparationType": "Slide"}

    unknown = graphql(url, ADD, {"input": input})["data"]["addSpecifyPreparation"]
    assert unknown["errors"] == [{"code": "NOT_FOUND", "field": "preparationType",
                                  "message": "No preparation type 'Slide' in Specify."}]
    missing = graphql(url, UPDATE, {"input": {"id": "no-such-guid", "version": 0}})["data"]
    assert missing["updateSpecifyDetermination"]["errors"][0]["code"] == "NOT_FOUND"


def test_writes_need_a_role_in_the_broker_group(broker_subgraphs: SubgraphServer, standin: SpecifyStandIn) -> None:
    target = a_generated_object(standin, 4)
    before = len(standin.requests)
    input = {"collectionObjectId": target["guid"], "version": target["version"], "preparationType": "Shell"}

    anonymous = graphql(broker_subgraphs.url("specify"), ADD, {"input": input}, token=None)
    outsider = graphql(broker_subgraphs.url("specify"), ADD, {"input": input}, token=ISSUER.token("botany/user"))

    assert anonymous["data"]["addSpecifyPreparation"]["errors"][0]["code"] == "UNAUTHENTICATED"
    assert outsider["data"]["addSpecifyPreparation"]["errors"][0]["code"] == "FORBIDDEN"
    assert standin.api_requests(before) == []
