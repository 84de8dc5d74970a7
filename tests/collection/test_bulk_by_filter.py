"""updateMaterialSamplesByFilter (core/writes/by_filter.py) through the router: "set the preparation type
of every sample in storage unit X", previewed by a dry run that writes nothing, then applied whole."""

from __future__ import annotations

from subgraphs.core.data.db import Database

from ..conftest import ISSUER, SubgraphServer, free_port, graphql, mutate, table_counts
from .dataset import GROUP

BY_FILTER = """mutation($input: UpdateMaterialSamplesByFilterInput!) { updateMaterialSamplesByFilter(input: $input) {
  count dryRun sample { materialSampleName version preparationType { name } } errors { index field code } } }"""


def created(url: str, entity: str, **input: object) -> str:
    query = f"mutation($input: Create{entity}Input!) {{ create{entity}(input: $input) {{ " \
            f"{entity[0].lower() + entity[1:]} {{ id }} errors {{ code message field }} }} }}"
    return mutate(url, query, group=GROUP, **input)["id"]


def samples(url: str) -> list[tuple[str, int, str | None]]:
    edges = graphql(url, "{ materialSamples { edges { node { materialSampleName version "
                         "preparationType { name } } } } }")["data"]["materialSamples"]["edges"]
    return sorted((n["materialSampleName"], n["version"], (n["preparationType"] or {}).get("name"))
                  for n in (e["node"] for e in edges))


async def test_dry_run_previews_and_writes_nothing_then_the_change_applies(router: str, clean_db: Database) -> None:
    drawer = created(router, "StorageUnit", name="Drawer 12", unitType="drawer")
    other = created(router, "StorageUnit", name="Drawer 13", unitType="drawer")
    ethanol = created(router, "PreparationType", name="ethanol 70%")
    for index, unit in enumerate([drawer, drawer, drawer, other]):
        created(router, "MaterialSample", materialSampleName=f"NHMD-{index}", storageUnitId=unit)
    change = {"filter": {"storageUnit": {"eq": drawer}}, "set": {"preparationTypeId": ethanol}, "sampleSize": 2}

    before = await table_counts(clean_db)
    preview = graphql(router, BY_FILTER, {"input": change | {"dryRun": True}})["data"]["updateMaterialSamplesByFilter"]
    assert (preview["count"], preview["dryRun"], preview["errors"]) == (3, True, [])
    names = [s.pop("materialSampleName") for s in preview["sample"]]
    assert len(set(names)) == 2 and set(names) <= {"NHMD-0", "NHMD-1", "NHMD-2"}
    assert preview["sample"] == [{"version": 2, "preparationType": {"name": "ethanol 70%"}}] * 2
    assert await table_counts(clean_db) == before

    applied = graphql(router, BY_FILTER, {"input": change})["data"]["updateMaterialSamplesByFilter"]
    assert (applied["count"], applied["dryRun"], applied["errors"]) == (3, False, [])
    assert samples(router) == [("NHMD-0", 2, "ethanol 70%"), ("NHMD-1", 2, "ethanol 70%"),
                               ("NHMD-2", 2, "ethanol 70%"), ("NHMD-3", 1, None)]


def test_a_refused_change_is_reported_on_every_record_and_writes_nothing(router: str, clean_db: Database) -> None:
    created(router, "MaterialSample", materialSampleName="NHMD-1")
    created(router, "MaterialSample", materialSampleName="NHMD-2")
    change = {"filter": {"group": {"eq": GROUP}}, "set": {"managedAttributes": {"wingspan": 3}}}
    result = graphql(router, BY_FILTER, {"input": change})["data"]["updateMaterialSamplesByFilter"]
    assert (result["count"], result["sample"]) == (0, [])
    assert [(e["index"], e["field"], e["code"]) for e in result["errors"]] == [
        (0, "managedAttributes.wingspan", "UNKNOWN_MANAGED_ATTRIBUTE"),
        (1, "managedAttributes.wingspan", "UNKNOWN_MANAGED_ATTRIBUTE")]
    assert samples(router) == [("NHMD-1", 1, None), ("NHMD-2", 1, None)]


async def test_more_records_than_the_maximum_are_refused_whole(database_url: str, clean_db: Database) -> None:
    port = free_port()
    with SubgraphServer(database_url, port, ISSUER.settings(subgraph_port=port, max_bulk_items=2)) as server:
        url = server.url("collection")
        for name in ["NHMD-1", "NHMD-2", "NHMD-3"]:
            created(url, "MaterialSample", materialSampleName=name)
        before = await table_counts(clean_db)
        change = {"filter": {"group": {"eq": GROUP}}, "set": {"barcode": "X"}}
        result = graphql(url, BY_FILTER, {"input": change})["data"]["updateMaterialSamplesByFilter"]
        assert [(e["index"], e["field"], e["code"]) for e in result["errors"]] == [(None, "items", "TOO_MANY_ITEMS")]
        assert result["count"] == 0
        assert await table_counts(clean_db) == before
