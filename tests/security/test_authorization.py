"""Groups and roles: who may read and write what, checked in SQL and in every write path."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from subgraphs.core.data.db import Database

from ..conftest import ISSUER, SubgraphServer, free_port, graphql, mutate, table_counts

CREATE_SAMPLE = """mutation($input: CreateMaterialSampleInput!) { createMaterialSample(input: $input) {
  materialSample { id version } errors { code message field } } }"""
UPDATE_SAMPLE = """mutation($input: UpdateMaterialSampleInput!) { updateMaterialSample(input: $input) {
  materialSample { id } errors { code message field } } }"""
DELETE_SAMPLE = """mutation($input: DeleteInput!) { deleteMaterialSample(input: $input) {
  materialSample { id } errors { code message field } } }"""


@pytest.fixture(scope="module")
def production(database_url: str) -> Iterator[SubgraphServer]:
    """Subgraphs as deployed: no dev mode, only the `demo` group public."""
    port = free_port()
    settings = ISSUER.settings(dev=False, public_groups="demo", subgraph_port=port)
    with SubgraphServer(database_url, port, settings) as server:
        yield server


@pytest.fixture(scope="module")
def samples(production: SubgraphServer) -> dict[str, str]:
    url = production.url("collection")
    return {group: mutate(url, CREATE_SAMPLE, group=group, materialSampleName=f"{group.upper()}-1")["id"]
            for group in ("herpetology", "demo", "botany")}


def names(server: SubgraphServer, token: object) -> set[str]:
    body = graphql(server.url("collection"), "{ materialSamples(first: 100) { edges { node { materialSampleName } } } }",
                   token=token)
    return {e["node"]["materialSampleName"] for e in body["data"]["materialSamples"]["edges"]}


def test_lists_show_own_and_public_groups_only(production: SubgraphServer, samples: dict[str, str]) -> None:
    botanist = ISSUER.token("botany/read-only")
    assert {"BOTANY-1", "DEMO-1"} <= names(production, botanist)
    assert "HERPETOLOGY-1" not in names(production, botanist)
    assert "HERPETOLOGY-1" not in names(production, None) and "DEMO-1" in names(production, None)


def test_other_groups_records_are_invisible_by_id_and_entity(production: SubgraphServer, samples: dict[str, str]) -> None:
    botanist = ISSUER.token("botany/user")
    url = production.url("collection")
    by_id = graphql(url, f'{{ materialSample(id: "{samples["herpetology"]}") {{ id }} }}', token=botanist)
    entity = graphql(url, "query($r: [_Any!]!) { _entities(representations: $r) { ... on MaterialSample { id } } }",
                     {"r": [{"__typename": "MaterialSample", "id": samples["herpetology"]},
                            {"__typename": "MaterialSample", "id": samples["botany"]}]}, token=botanist)
    assert by_id == {"data": {"materialSample": None}}
    assert entity == {"data": {"_entities": [None, {"id": samples["botany"]}]}}


@pytest.mark.parametrize(("token", "code"), [
    (None, "UNAUTHENTICATED"),
    (lambda: ISSUER.token("botany/admin"), "FORBIDDEN"),
    (lambda: ISSUER.token("herpetology/read-only"), "FORBIDDEN"),
])
async def test_writes_need_a_role_in_the_group(
    db: Database, production: SubgraphServer, samples: dict[str, str], token: object, code: str
) -> None:
    token = token() if callable(token) else token
    url = production.url("collection")
    before = await table_counts(db)
    created = graphql(url, CREATE_SAMPLE, {"input": {"group": "herpetology", "materialSampleName": "X"}}, token=token)
    updated = graphql(url, UPDATE_SAMPLE, {"input": {"id": samples["herpetology"], "version": 1, "barcode": "B"}},
                      token=token)
    deleted = graphql(url, DELETE_SAMPLE, {"input": {"id": samples["herpetology"], "version": 1}}, token=token)
    for body in (created, updated, deleted):
        (payload,) = body["data"].values()
        assert payload["errors"][0]["code"] == code, payload
    assert await table_counts(db) == before


async def test_records_cannot_move_to_another_group(
    db: Database, production: SubgraphServer, samples: dict[str, str]
) -> None:
    before = await table_counts(db)
    moved = graphql(production.url("collection"), UPDATE_SAMPLE,
                    {"input": {"id": samples["herpetology"], "version": 1, "group": "botany"}})
    assert "data" not in moved
    assert "not to include unknown field 'group'" in moved["errors"][0]["message"]
    assert await table_counts(db) == before


def test_delete_needs_super_user(production: SubgraphServer) -> None:
    url = production.url("collection")
    user, super_user = ISSUER.token("herpetology/user"), ISSUER.token("herpetology/super-user")
    sample = mutate(url, CREATE_SAMPLE, group="herpetology", materialSampleName="DEL-1")
    refused = graphql(url, DELETE_SAMPLE, {"input": {"id": sample["id"], "version": 1}}, token=user)
    done = graphql(url, DELETE_SAMPLE, {"input": {"id": sample["id"], "version": 1}}, token=super_user)
    assert refused["data"]["deleteMaterialSample"]["errors"][0]["code"] == "FORBIDDEN"
    assert done["data"]["deleteMaterialSample"] == {"materialSample": {"id": sample["id"]}, "errors": []}


CREATE_ORGANISM = """mutation($input: CreateOrganismInput!) { createOrganism(input: $input) {
  organism { id } errors { code message field } } }"""
CREATE_DETERMINATION = """mutation($input: CreateDeterminationInput!) { createDetermination(input: $input) {
  determination { id } errors { code message field } } }"""
CREATE_EVENT = """mutation($input: CreateCollectingEventInput!) { createCollectingEvent(input: $input) {
  collectingEvent { id } errors { code message field } } }"""


def _errors(body: dict) -> list[tuple[str, str | None]]:
    (payload,) = body["data"].values()
    return [(e["code"], e["field"]) for e in payload["errors"]]


async def test_a_primary_determination_never_demotes_another_groups(
        db: Database, production: SubgraphServer, samples: dict[str, str]) -> None:
    # Before: a botany user's primary determination on the (public) demo organism silently demoted
    # demo's primary one (demo's record went to version 2, audited as "system").
    url = production.url("collection")
    organism = mutate(url, CREATE_ORGANISM, group="demo", materialSampleId=samples["demo"])["id"]
    primary = mutate(url, CREATE_DETERMINATION, group="demo", organismId=organism, scientificName="Bufo bufo",
                     isPrimary=True)["id"]
    before = await table_counts(db)

    refused = graphql(url, CREATE_DETERMINATION, {"input": {"group": "botany", "organismId": organism,
                                                            "scientificName": "Rana", "isPrimary": True}},
                      token=ISSUER.token("botany/user"))
    other = graphql(url, CREATE_DETERMINATION, {"input": {"group": "botany", "organismId": organism,
                                                          "scientificName": "Rana", "isPrimary": False}},
                    token=ISSUER.token("botany/user"))

    assert _errors(refused) == [("PRIMARY_OF_ANOTHER_GROUP", "isPrimary")]
    assert _errors(other) == []
    kept = graphql(url, f'{{ determination(id: "{primary}") {{ isPrimary version }} }}')
    assert kept["data"]["determination"] == {"isPrimary": True, "version": 1}
    assert (await table_counts(db))["collection.determination"] == before["collection.determination"] + 1


def test_linking_to_another_groups_record_is_not_found(production: SubgraphServer, samples: dict[str, str]) -> None:
    # Before: the reference check saw every group, so a botanist could link to (and so learn of) a
    # herpetology sample; now it is the same NOT_FOUND as an id that does not exist.
    url = production.url("collection")
    botanist = ISSUER.token("botany/user")
    hidden = graphql(url, CREATE_ORGANISM, {"input": {"group": "botany", "materialSampleId": samples["herpetology"]}},
                     token=botanist)
    unknown = graphql(url, CREATE_ORGANISM, {"input": {"group": "botany",
                                                       "materialSampleId": "00000000-0000-4000-8000-000000000000"}},
                      token=botanist)
    public = graphql(url, CREATE_ORGANISM, {"input": {"group": "botany", "materialSampleId": samples["demo"]}},
                     token=botanist)
    assert _errors(hidden) == _errors(unknown) == [("NOT_FOUND", "materialSampleId")]
    assert hidden["data"]["createOrganism"]["errors"][0]["message"].startswith("No MaterialSample with id ")
    assert _errors(public) == []


def test_collectors_of_an_unreadable_event_are_not_shown(production: SubgraphServer) -> None:
    # Before: the sample's `collectors` came from a join that ignored the event's group.
    url = production.url("collection")
    person = "11111111-1111-4111-8111-111111111111"
    event = mutate(url, CREATE_EVENT, group="herpetology", collectorIds=[person])["id"]
    sample = mutate(url, CREATE_SAMPLE, group="demo", materialSampleName="DEMO-EV", collectingEventId=event)["id"]
    query = f'{{ materialSample(id: "{sample}") {{ collectors {{ id }} collectingEvent {{ id }} }} }}'
    listed = "{ materialSamples(first: 100, filter: {materialSampleName: {eq: \"DEMO-EV\"}}) " \
             "{ edges { node { collectors { id } } } } }"

    assert graphql(url, query, token=None)["data"]["materialSample"] == {"collectors": [], "collectingEvent": None}
    assert graphql(url, listed, token=None)["data"]["materialSamples"]["edges"] == [{"node": {"collectors": []}}]
    assert graphql(url, query)["data"]["materialSample"]["collectors"] == [{"id": person}]


CREATE_PREPARATION_TYPE = """mutation($input: CreatePreparationTypeInput!) { createPreparationType(input: $input) {
  preparationType { id } errors { code message field } } }"""
CREATE_REGION = """mutation($input: CreateRegionInput!) { createRegion(input: $input) {
  region { id } errors { code message field } } }"""


@pytest.mark.parametrize(("subgraph", "mutation", "input"), [
    ("collection", CREATE_PREPARATION_TYPE, {"name": "Dry skin"}),
    ("molecular", CREATE_REGION, {"name": "COI-5P"}),
])
async def test_names_are_unique_per_group_and_a_duplicate_is_typed(
        db: Database, production: SubgraphServer, subgraph: str, mutation: str, input: dict) -> None:
    # Before: the constraint was global, so botany could not use a name herpetology had, and got
    # "Unexpected error" (which told it the name existed elsewhere).
    url = production.url(subgraph)
    first = graphql(url, mutation, {"input": {"group": "herpetology", **input}})
    other_group = graphql(url, mutation, {"input": {"group": "botany", **input}})
    before = await table_counts(db)
    again = graphql(url, mutation, {"input": {"group": "herpetology", **input}})

    assert _errors(first) == _errors(other_group) == []
    (payload,) = again["data"].values()
    assert [(e["code"], e["field"], e["message"]) for e in payload["errors"]] == [
        ("DUPLICATE", "name", "This name is already used in this group.")]
    assert await table_counts(db) == before
