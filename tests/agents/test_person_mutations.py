"""Person writes: payload errors, optimistic locking, audit history, whole rollbacks."""

from __future__ import annotations

from sqlalchemy import func, select

from subgraphs.agents.models import audit_log, person
from subgraphs.core.data.db import Database

from ..conftest import SubgraphServer, graphql

CREATE = """mutation($input: CreatePersonInput!) { createPerson(input: $input) {
  person { id displayName familyNames version } errors { code message field } } }"""
UPDATE = """mutation($input: UpdatePersonInput!) { updatePerson(input: $input) {
  person { displayName familyNames version } errors { code message field } } }"""
DELETE = """mutation($input: DeleteInput!) { deletePerson(input: $input) {
  person { id } errors { code message field } } }"""
HISTORY = """query($id: ID!) { person(id: $id) { history { version operation actor snapshot } } }"""


def call(subgraphs: SubgraphServer, query: str, **input: object) -> dict:
    body = graphql(subgraphs.url("agents"), query, {"input": input})
    assert "errors" not in body, body
    (payload,) = body["data"].values()
    return payload


def create(subgraphs: SubgraphServer, name: str = "Rafael Fonoll") -> dict:
    payload = call(subgraphs, CREATE, displayName=name, familyNames="Fonoll", group="herpetology")
    assert payload["errors"] == []
    return payload["person"]


async def test_update_bumps_version_and_history_keeps_every_version(subgraphs: SubgraphServer) -> None:
    created = create(subgraphs)

    updated = call(subgraphs, UPDATE, id=created["id"], version=1, displayName="R. Fonoll")

    assert updated == {"person": {"displayName": "R. Fonoll", "familyNames": "Fonoll", "version": 2}, "errors": []}
    history = graphql(subgraphs.url("agents"), HISTORY, {"id": created["id"]})["data"]["person"]["history"]
    assert [(h["version"], h["operation"], h["actor"]) for h in history] == [
        (1, "create", "test-user"), (2, "update", "test-user")]
    assert [h["snapshot"]["display_name"] for h in history] == ["Rafael Fonoll", "R. Fonoll"]


async def test_stale_version_is_refused_and_nothing_is_overwritten(subgraphs: SubgraphServer) -> None:
    created = create(subgraphs)
    call(subgraphs, UPDATE, id=created["id"], version=1, familyNames="First writer")

    stale = call(subgraphs, UPDATE, id=created["id"], version=1, familyNames="Second writer")

    assert stale["person"] is None
    assert stale["errors"][0]["code"] == "STALE_VERSION" and stale["errors"][0]["field"] == "version"
    current = graphql(subgraphs.url("agents"), f'{{ person(id: "{created["id"]}") {{ familyNames version }} }}')
    assert current["data"]["person"] == {"familyNames": "First writer", "version": 2}


async def test_invalid_create_writes_nothing(db: Database, subgraphs: SubgraphServer) -> None:
    async def counts() -> tuple[int, int]:
        async with db.engine.connect() as conn:
            return (await conn.scalar(select(func.count()).select_from(person)),
                    await conn.scalar(select(func.count()).select_from(audit_log)))

    before = await counts()
    payload = call(subgraphs, CREATE, displayName="   ", group="herpetology")

    assert payload == {"person": None, "errors": [
        {"code": "BAD_USER_INPUT", "message": "A person needs a display name.", "field": "displayName"}]}
    assert await counts() == before


async def test_delete_then_lookup_is_null(subgraphs: SubgraphServer) -> None:
    created = create(subgraphs, "Olga Matantseva")

    deleted = call(subgraphs, DELETE, id=created["id"], version=1)
    again = call(subgraphs, DELETE, id=created["id"], version=1)

    assert deleted == {"person": {"id": created["id"]}, "errors": []}
    assert again["errors"][0]["code"] == "NOT_FOUND"
    assert graphql(subgraphs.url("agents"), f'{{ person(id: "{created["id"]}") {{ id }} }}')["data"] == {"person": None}


def test_malformed_id_is_a_payload_error(subgraphs: SubgraphServer) -> None:
    payload = call(subgraphs, DELETE, id="42", version=1)
    assert payload == {"person": None, "errors": [{"code": "INVALID_ID", "message": "`id` is not a UUID.", "field": "id"}]}
