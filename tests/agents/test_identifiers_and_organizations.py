"""Person identifiers (ORCID checksum and friends), organisations and membership, person filters."""

from __future__ import annotations

import pytest

from subgraphs.agents.identifiers import mod11_2_check_digit

from ..conftest import SubgraphServer, graphql, mutate

CREATE_PERSON = """mutation($input: CreatePersonInput!) { createPerson(input: $input) {
  person { id displayName identifiers { scheme value } organizations { displayName names { languageCode name } } }
  errors { code message field } } }"""
CREATE_ORGANIZATION = """mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) {
  organization { id displayName } errors { code message field } } }"""


def test_mod11_2_matches_orcids_published_example() -> None:
    # ORCID's documentation example, 0000-0002-1825-0097, ends in check digit 7
    assert mod11_2_check_digit("000000021825009") == "7"


def test_identifiers_are_normalised_to_uris(subgraphs: SubgraphServer) -> None:
    person = mutate(subgraphs.url("agents"), CREATE_PERSON, group="g", displayName="Josiah Carberry", identifiers=[
        {"scheme": "ORCID", "value": "0000-0002-1825-0097"},
        {"scheme": "ISNI", "value": "0000 0001 2103 2683"},
        {"scheme": "WIKIDATA", "value": "https://www.wikidata.org/wiki/Q4115189"},
        {"scheme": "OTHER", "value": "urn:example:42"},
    ])
    assert person["identifiers"] == [
        {"scheme": "ORCID", "value": "https://orcid.org/0000-0002-1825-0097"},
        {"scheme": "ISNI", "value": "https://isni.org/isni/0000000121032683"},
        {"scheme": "WIKIDATA", "value": "http://www.wikidata.org/entity/Q4115189"},
        {"scheme": "OTHER", "value": "urn:example:42"},
    ]


@pytest.mark.parametrize(("identifier", "message"), [
    ({"scheme": "ORCID", "value": "0000-0002-1825-0098"}, "'0000-0002-1825-0098' fails the ORCID checksum."),
    ({"scheme": "ORCID", "value": "0000-0002-1825"}, "'0000-0002-1825' is not an ORCID (16 digits, last may be X)."),
    ({"scheme": "WIKIDATA", "value": "P31"}, "'P31' is not a Wikidata item (Q…)."),
    ({"scheme": "ISNI", "value": "0000 0001 2103 2684"}, "'0000 0001 2103 2684' fails the ISNI checksum."),
])
def test_bad_identifier_is_refused(subgraphs: SubgraphServer, identifier: dict, message: str) -> None:
    body = graphql(subgraphs.url("agents"), CREATE_PERSON, {"input": {
        "group": "g", "displayName": "Nobody", "identifiers": [{"scheme": "OTHER", "value": "ok"}, identifier]}})
    assert body["data"]["createPerson"] == {"person": None, "errors": [
        {"code": "INVALID_IDENTIFIER", "message": message, "field": "identifiers.1.value"}]}


def test_membership_and_person_filters(subgraphs: SubgraphServer) -> None:
    url = subgraphs.url("agents")
    museum = mutate(url, CREATE_ORGANIZATION, group="g", names=[
        {"languageCode": "en", "name": "Natural History Museum Denmark"},
        {"languageCode": "da", "name": "Statens Naturhistoriske Museum"}])
    member = mutate(url, CREATE_PERSON, group="g", displayName="Ida Member", familyNames="Member",
                    organizationIds=[museum["id"]])
    assert member["organizations"] == [{"displayName": "Natural History Museum Denmark", "names": [
        {"languageCode": "en", "name": "Natural History Museum Denmark"},
        {"languageCode": "da", "name": "Statens Naturhistoriske Museum"}]}]
    query = """query($filter: PersonFilter) { people(filter: $filter, orderBy: [{field: DISPLAY_NAME}]) {
      edges { node { displayName } } } }"""
    found = graphql(url, query, {"filter": {"organization": {"eq": museum["id"]}}})
    assert [e["node"]["displayName"] for e in found["data"]["people"]["edges"]] == ["Ida Member"]
    delete = graphql(url, "mutation($i: DeleteInput!) { deleteOrganization(input: $i) { errors { code } } }",
                     {"i": {"id": museum["id"], "version": 1}})
    assert delete["data"]["deleteOrganization"]["errors"] == [{"code": "HAS_DEPENDANTS"}]


def test_membership_in_unknown_organization_is_refused(subgraphs: SubgraphServer) -> None:
    body = graphql(subgraphs.url("agents"), CREATE_PERSON, {"input": {
        "group": "g", "displayName": "Lost", "organizationIds": ["01900000-0000-7000-8000-000000000001"]}})
    assert body["data"]["createPerson"]["errors"][0]["code"] == "NOT_FOUND"
