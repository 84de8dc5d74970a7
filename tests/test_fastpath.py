"""The fast path answers a repeated query exactly as Strawberry did the first time, with the same SQL."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import select

from subgraphs.agents.models import person
from subgraphs.collection.service import create_record
from subgraphs.core.db import Database

from .conftest import ISSUER, SubgraphServer, graphql
from .seed import seed_samples

QUERIES = {
    "collection": [
        ("""query($first: Int, $after: String) { materialSamples(first: $first, after: $after) {
            totalCount edges { cursor node { id materialSampleName createdOn collectors { id }
            attachments { id } collectingEvent { verbatimLocality startEventDate } } }
            pageInfo { hasNextPage endCursor } } }""", {"first": 7}),
        ("""fragment S on MaterialSample { materialSampleName __typename }
            query { materialSamples(first: 3, filter: {materialSampleName: {startsWith: "CAT"}},
                                    orderBy: [{field: MATERIAL_SAMPLE_NAME, direction: DESC}]) {
              edges { node { ...S alias: id } } } }""", {}),
    ],
    "molecular": [
        ("""query($r: [_Any!]!) { _entities(representations: $r) { __typename
            ... on MaterialSample { sequences { accession length residues(start: 2, end: 5) region { name } } } } }""",
         None),
    ],
    "molecular_lean": [  # only plain fields selected: the fast path reads only their columns
        ("""query($r: [_Any!]!) { _entities(representations: $r) { ... on MaterialSample {
            sequences { accession accessionVersion } } } }""", None),
    ],
    "agents": [
        ("""{ people(first: 5) { edges { node { displayName identifiers { scheme } history { version } } } } }""", {}),
        # Batched by type on the fast path: found, unknown and malformed ids keep their places.
        ("""query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { displayName } } }""",
         {"r": [{"__typename": "Person", "id": "00000000-0000-7000-8000-000000000000"},
                {"__typename": "Person", "id": "not-a-uuid"}]}),
    ],
}


@pytest.mark.parametrize(("subgraph", "index"), [(s, i) for s, qs in QUERIES.items() for i in range(len(qs))])
async def test_second_run_is_identical_and_served_fast(clean_db: Database, subgraphs: SubgraphServer,
                                                       subgraph: str, index: int) -> None:
    seeded = await seed_samples(clean_db, 6)
    query, variables = QUERIES[subgraph][index]
    query += f"\n# {uuid.uuid4()}"  # a document the session has not seen: the first run is Strawberry's
    if variables is None:
        variables = {"r": [{"__typename": "MaterialSample", "id": s.id} for s in seeded]}
    elif "r" in variables:  # people's references, around the given ones
        people = (await clean_db.fetch(select(person.c.id).order_by(person.c.id).limit(3)))
        variables = {"r": [*({"__typename": "Person", "id": str(p["id"])} for p in people), *variables["r"],
                           {"__typename": "Person", "id": str(people[0]["id"])}]}
    subgraph = subgraph.removesuffix("_lean")
    view = subgraphs.views[subgraph]
    served = view.fast.served

    before = subgraphs.statements
    first = graphql(subgraphs.url(subgraph), query, variables)
    middle = subgraphs.statements
    second = graphql(subgraphs.url(subgraph), query, variables)

    assert "errors" not in first, first
    assert second == first
    if "_entities" in query and "Person" in query:
        names = [e and e["displayName"] for e in first["data"]["_entities"]]
        assert names[3:5] == [None, None] and all(names[:3]) and names[5] == names[0]
    assert view.fast.served == served + 1
    assert subgraphs.statements - middle == middle - before  # the same batched SQL


def test_errors_still_come_from_strawberry(subgraphs: SubgraphServer) -> None:
    query = '{ person(id: "not-a-uuid") { displayName } }'
    for _ in range(2):
        body = graphql(subgraphs.url("agents"), query)
        assert body["errors"][0]["extensions"]["code"] == "INVALID_ID"


def test_visibility_applies_on_the_fast_path_too(subgraphs: SubgraphServer) -> None:
    query = "{ people(first: 50) { totalCount } }"
    admin = graphql(subgraphs.url("agents"), query)
    graphql(subgraphs.url("agents"), query, token=ISSUER.token("nowhere/admin"))
    outsider = graphql(subgraphs.url("agents"), query, token=ISSUER.token("nowhere/admin"))
    assert admin["data"]["people"]["totalCount"] >= 0
    assert outsider == admin  # dev settings make every group public; the fast path keeps that rule


@pytest.mark.parametrize(("representations", "expected"), [
    # GraphQL input coercion makes a lone item a list of one: Strawberry answers it
    ({"__typename": "Person", "id": "00000000-0000-7000-8000-000000000000"}, {"data": {"_entities": [None]}}),
    ([{"id": "00000000-0000-7000-8000-000000000000"}], None),  # no __typename: an error
    ([None], None),  # a null in a non-null list: an error
])
def test_representations_the_fast_path_does_not_take_go_to_strawberry(
        subgraphs: SubgraphServer, representations: object, expected: dict | None) -> None:
    query = f"query($r: [_Any!]!) {{ _entities(representations: $r) {{ ... on Person {{ id }} }} }}\n# {uuid.uuid4()}"
    fine = graphql(subgraphs.url("agents"), query, {"r": [{"__typename": "Person", "id": str(uuid.uuid4())}]})
    assert fine == {"data": {"_entities": [None]}}  # the document is now known to the fast path
    served = subgraphs.views["agents"].fast.served

    body = graphql(subgraphs.url("agents"), query, {"r": representations})

    if expected is None:
        assert body["errors"] and not (body.get("data") or {}).get("_entities")
    else:
        assert body == expected
    assert subgraphs.views["agents"].fast.served == served


async def test_loaded_fields_match_strawberry_for_a_page(clean_db: Database, subgraphs: SubgraphServer) -> None:
    """`primaryDetermination` (a `loaded` field) per sample: primary, demoted only, none at all."""
    seeded = await seed_samples(clean_db, 3)
    async with clean_db.unit_of_work() as session:
        for sample, names in zip(seeded, [["Aus bus", "Aus cus"], ["Dus eus"], []], strict=True):
            organism = await create_record(session, "organism", actor="test", group="test",
                                           material_sample_id=uuid.UUID(sample.id))
            for name in names:  # the last one created is primary; the first of two is demoted
                await create_record(session, "determination", actor="test", group="test", organism_id=organism.id,
                                    scientific_name=name, is_primary=True)
        await create_record(session, "determination", actor="test", group="test", organism_id=organism.id,
                            scientific_name="Not primary", is_primary=False)
    query = f"""{{ materialSamples(first: 5) {{ edges {{ node {{ materialSampleName
        primaryDetermination {{ scientificName isPrimary }} }} }} }} }}\n# {uuid.uuid4()}"""
    served = subgraphs.views["collection"].fast.served

    first = graphql(subgraphs.url("collection"), query)
    second = graphql(subgraphs.url("collection"), query)

    assert second == first
    assert subgraphs.views["collection"].fast.served == served + 1
    assert [e["node"]["primaryDetermination"] for e in first["data"]["materialSamples"]["edges"]] == [
        {"scientificName": "Aus cus", "isPrimary": True}, {"scientificName": "Dus eus", "isPrimary": True}, None]


async def test_lean_loads_read_only_the_selected_columns(clean_db: Database, subgraphs: SubgraphServer) -> None:
    """On the fast path, an accession-only query reads just the sequence columns it needs (matched
    on, grouped by, selected): no definition, no checksum."""
    seeded = await seed_samples(clean_db, 2)
    query = f"""query($r: [_Any!]!) {{ _entities(representations: $r) {{ ... on MaterialSample {{
        sequences {{ accession }} }} }} }}\n# {uuid.uuid4()}"""
    variables = {"r": [{"__typename": "MaterialSample", "id": s.id} for s in seeded]}
    graphql(subgraphs.url("molecular"), query, variables)
    served = subgraphs.views["molecular"].fast.served

    body = graphql(subgraphs.url("molecular"), query, variables)

    assert subgraphs.views["molecular"].fast.served == served + 1
    assert [[q["accession"] for q in e["sequences"]] for e in body["data"]["_entities"]] == [s.accessions for s in seeded]
    select_lists = [shape.compiled.string.split("FROM")[0] for shape in subgraphs.db.reads._shapes.values()  # noqa: SLF001
                    if hasattr(shape, "compiled") and "FROM molecular.sequence" in shape.compiled.string]
    assert any("accession" in columns and "material_sample_id" in columns and "definition" not in columns
               and "checksum_sha256" not in columns for columns in select_lists), select_lists


@pytest.mark.parametrize("accept", ["application/graphql-response+json, application/json", "application/json", ""])
async def test_known_queries_are_answered_as_strawberry_answers_them(clean_db: Database, subgraphs: SubgraphServer,
                                                                    accept: str) -> None:
    """Status, media type, request id and body: the same from Strawberry and from the fast lane."""
    await seed_samples(clean_db, 2)
    query = f"{{ materialSamples(first: 2) {{ edges {{ node {{ materialSampleName }} }} }} }}\n# {uuid.uuid4()}"
    headers = {"accept": accept, "authorization": f"Bearer {ISSUER.token('test/admin')}"}
    served = subgraphs.views["collection"].fast.served

    answers = [httpx.post(subgraphs.url("collection"), json={"query": query},
                          headers={**headers, "x-request-id": f"req-{i}"}, timeout=30) for i in range(2)]

    assert subgraphs.views["collection"].fast.served == served + 1
    first, second = answers
    assert (second.status_code, second.headers["content-type"], second.json()) == \
           (first.status_code, first.headers["content-type"], first.json())
    assert [a.headers["x-request-id"] for a in answers] == ["req-0", "req-1"]
    assert len(second.json()["data"]["materialSamples"]["edges"]) == 2


@pytest.mark.parametrize("parameters", [{"variables": "{}"}, {"operationName": 1}, {"extensions": "x"}])
def test_known_queries_with_malformed_parameters_get_strawberrys_400(subgraphs: SubgraphServer,
                                                                     parameters: dict) -> None:
    query = f"{{ __typename }}\n# {uuid.uuid4()}"
    assert graphql(subgraphs.url("agents"), query) == {"data": {"__typename": "Query"}}  # now known

    response = httpx.post(subgraphs.url("agents"), json={"query": query, **parameters},
                          headers={"accept": "application/graphql-response+json"}, timeout=30)

    assert response.status_code == 400
