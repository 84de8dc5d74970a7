"""The broker's links into the rest of the graph, through the router: sequences to Specify objects by
voucher, and Specify agents to this graph's Person by a recorded link."""

from __future__ import annotations

from subgraphs.core.data.db import Database

from ..conftest import graphql, mutate
from .standin import SpecifyStandIn

SEQUENCE = """mutation($input: CreateSequenceInput!) { createSequence(input: $input) { sequence { id } errors { code } } }"""
LINKED = """query($id: ID!) { sequence(id: $id) { accession specimenVoucher
  specifyCollectionObject { catalogNumber collectionCode determinations { taxon { fullName } } } } }"""


async def test_sequences_link_to_specify_objects_by_voucher(clean_db: Database, broker_router: str,
                                                            standin: SpecifyStandIn) -> None:
    expected = {"MNH:IP:5": "000000005", "IP:000000003": "000000003", "2": "000000002",
                "MNH:HERP:5": None, "IP:999999": None}
    found = {}
    for number, voucher in enumerate(expected):
        sequence = mutate(broker_router, SEQUENCE, accession=f"SPX{number:05d}", residues="ACGT",
                          specimenVoucher=voucher, group="test")
        body = graphql(broker_router, LINKED, {"id": sequence["id"]})
        assert "errors" not in body, body
        linked = body["data"]["sequence"]["specifyCollectionObject"]
        found[voucher] = linked and linked["catalogNumber"]
        if linked:
            assert linked["collectionCode"] == "IP"

    assert found == expected


PERSON = """mutation($input: CreatePersonInput!) { createPerson(input: $input) { person { id } errors { code } } }"""
LINK = """mutation($input: LinkSpecifyAgentInput!) { linkSpecifyAgent(input: $input) {
  agent { displayName } errors { code message field } } }"""
COLLECTORS = """query($id: ID!) { specifyCollectionObject(id: $id) { collectors { displayName person { id displayName } } } }"""


async def test_collectors_resolve_to_linked_people(clean_db: Database, broker_router: str,
                                                   standin: SpecifyStandIn) -> None:
    curator = standin.store.get("agent", 1)["guid"]
    person = mutate(broker_router, PERSON, displayName="Ada Lovelace Curator", group="test")

    linked = mutate(broker_router, LINK, agentId=curator, personId=person["id"])
    assert linked == {"displayName": "Ada L. Curator"}

    co_1 = standin.store.get("collectionobject", 1)["guid"]
    body = graphql(broker_router, COLLECTORS, {"id": co_1})
    assert "errors" not in body, body
    assert body["data"]["specifyCollectionObject"]["collectors"] == [
        {"displayName": "Bruno Fieldman", "person": None},
        {"displayName": "Ada L. Curator", "person": {"id": person["id"], "displayName": "Ada Lovelace Curator"}}]


def test_linking_an_unknown_agent_is_not_found(broker_router: str) -> None:
    body = graphql(broker_router, LINK, {"input": {"agentId": "nope", "personId": "0190c0de-0000-7000-8000-000000000000"}})
    assert body["data"]["linkSpecifyAgent"]["errors"] == [
        {"code": "NOT_FOUND", "message": "No such agent in Specify.", "field": "agentId"}]
