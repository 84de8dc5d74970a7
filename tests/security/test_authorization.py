"""Groups and roles: who may read and write what, checked in SQL and in every write path."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from subgraphs.core.db import Database

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
