"""The questions collection managers ask, answered in one request through the real router."""

from __future__ import annotations

from uuid import UUID

from subgraphs.collection.service import create_collecting_event, create_material_sample
from subgraphs.core.data.db import Database

from ..conftest import SubgraphServer, graphql
from .dataset import GROUP, Dataset

FIELD_QUESTION = """query($collection: ID!, $collector: ID!, $from: Date!, $to: Date!) {
  materialSamples(filter: {collection: {eq: $collection}, collector: {eq: $collector},
                           eventDate: {gte: $from, lte: $to}}) {
    totalCount
    edges { node {
      materialSampleName
      collectingEvent { startEventDate }
      collectors { displayName }
      determinations { scientificName isPrimary determiners { displayName } }
      children { materialSampleName preparationType { name } }
      storagePath { name unitType }
    } }
  }
}"""


def test_samples_of_a_collection_by_collector_between_dates(dataset: Dataset, router: str) -> None:
    body = graphql(router, FIELD_QUESTION, {
        "collection": dataset.ids["herp"], "collector": dataset.people["rafael"], "from": "2004-01-01", "to": "2005-12-31",
    })

    assert "errors" not in body, body
    connection = body["data"]["materialSamples"]
    assert connection["totalCount"] == 1
    assert connection["edges"][0]["node"] == {
        "materialSampleName": "NHMD-HERP-0001",
        "collectingEvent": {"startEventDate": "2004-07-18"},
        "collectors": [{"displayName": "Rafael Fonoll"}],
        "determinations": [
            {"scientificName": "Lissotriton boscai", "isPrimary": True, "determiners": [{"displayName": "Rafael Fonoll"}]},
            {"scientificName": "Triturus boscai", "isPrimary": False, "determiners": [{"displayName": "Rafael Fonoll"}]},
        ],
        "children": [{"materialSampleName": "NHMD-HERP-0001-T", "preparationType": {"name": "DNA extract"}}],
        "storagePath": [{"name": "Zoological Museum", "unitType": "building"}, {"name": "R101", "unitType": "room"},
                        {"name": "C7", "unitType": "cabinet"}, {"name": "D3", "unitType": "drawer"}],
    }


def test_a_persons_field_work_and_determinations(dataset: Dataset, router: str) -> None:
    query = """query($id: ID!) { person(id: $id) { displayName
      collectingEvents { startEventDate countryCode }
      determinations { scientificName } } }"""
    body = graphql(router, query, {"id": dataset.people["rafael"]})
    assert body == {"data": {"person": {
        "displayName": "Rafael Fonoll",
        "collectingEvents": [{"startEventDate": "2004-07-18", "countryCode": "ES"},
                             {"startEventDate": "2009-10", "countryCode": "DE"}],
        "determinations": [{"scientificName": s} for s in
                           ["Triturus boscai", "Lissotriton boscai", "Shewanella sp.", "Gekko smithii"]],
    }}}


async def test_nested_sample_page_costs_the_same_sql_for_10_and_40(
    dataset: Dataset, db: Database, subgraphs: SubgraphServer
) -> None:
    async with db.unit_of_work() as session:
        for i in range(40):
            event = await create_collecting_event(session, actor="test", group=GROUP, start_event_date="2001",
                                                  collector_ids=[])
            await create_material_sample(
                session, actor="test", group=GROUP, material_sample_name=f"BULK-{i:03d}",
                collection_id=UUID(dataset.ids["herp"]), collecting_event_id=event.id,
                storage_unit_id=UUID(dataset.ids["drawer"]), parent_material_sample_id=UUID(dataset.ids["s1"]),
            )
    query = """query($first: Int) { materialSamples(first: $first, filter: {materialSampleName: {startsWith: "BULK"}}) {
      edges { node { materialSampleName collection { name institution { code } } collectingEvent { startEventDate }
        determinations { scientificName } organisms { sex } children { barcode } storagePath { name }
        parentMaterialSample { materialSampleName } history { version } } } } }"""

    def statements(first: int) -> int:
        before = subgraphs.statements
        body = graphql(subgraphs.url("collection"), query, {"first": first})
        assert len(body["data"]["materialSamples"]["edges"]) == first
        return subgraphs.statements - before

    # page, collection, institution, event, determinations, organisms, children, storage path, parent, history
    assert statements(10) == statements(40) == 10
