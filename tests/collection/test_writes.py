"""Write rules: validation errors, optimistic locking, dependants, audit history — and nothing half-written."""

from __future__ import annotations

import pytest

from subgraphs.core.data.db import Database

from ..conftest import SubgraphServer, graphql, table_counts
from .dataset import GROUP, Dataset


def payload(subgraphs: SubgraphServer, mutation: str, entity: str, selection: str, **input: object) -> dict:
    field = entity[0].lower() + entity[1:]
    query = f"mutation($input: {mutation}{entity}Input!) {{ {mutation.lower()}{entity}(input: $input) {{ " \
            f"{field} {{ {selection} }} errors {{ code message field }} }} }}"
    body = graphql(subgraphs.url("collection"), query, {"input": input})
    assert "errors" not in body, body
    return next(iter(body["data"].values()))


@pytest.mark.parametrize(("input", "code", "field"), [
    ({"decimalLatitude": 95.0, "decimalLongitude": 10.0}, "INVALID_COORDINATES", "decimalLatitude"),
    ({"decimalLatitude": 45.0, "decimalLongitude": -181.0}, "INVALID_COORDINATES", "decimalLongitude"),
    ({"decimalLatitude": 45.0}, "INVALID_COORDINATES", "decimalLongitude"),
    ({"coordinateUncertaintyInMeters": -5.0}, "INVALID_COORDINATES", "coordinateUncertaintyInMeters"),
    ({"startEventDate": "2004-13"}, "INVALID_DATE", "startEventDate"),
    ({"startEventDate": "18-Jul-2004"}, "INVALID_DATE", "startEventDate"),
    ({"startEventDate": "2004-07-18", "endEventDate": "2004-06"}, "INVALID_DATE", "endEventDate"),
    ({"endEventDate": "2004"}, "INVALID_DATE", "endEventDate"),
    ({"minimumElevationInMeters": 300.0, "maximumElevationInMeters": 200.0}, "INVALID_RANGE", "maximumElevationInMeters"),
    ({"countryCode": "ESP"}, "INVALID_COUNTRY_CODE", "countryCode"),
])
async def test_bad_collecting_event_is_refused_whole(
    db: Database, dataset: Dataset, subgraphs: SubgraphServer, input: dict, code: str, field: str
) -> None:
    before = await table_counts(db)
    result = payload(subgraphs, "Create", "CollectingEvent", "id", group=GROUP, **input)
    assert result["collectingEvent"] is None
    assert (result["errors"][0]["code"], result["errors"][0]["field"]) == (code, field)
    assert await table_counts(db) == before


async def test_every_problem_is_reported_at_once(db: Database, dataset: Dataset, subgraphs: SubgraphServer) -> None:
    result = payload(subgraphs, "Create", "CollectingEvent", "id", group=GROUP, decimalLatitude=-91.0,
                     decimalLongitude=200.0, startEventDate="1998-02-30", countryCode="1")
    assert sorted(e["field"] for e in result["errors"]) == [
        "countryCode", "decimalLatitude", "decimalLongitude", "startEventDate"]


def test_partial_dates_are_kept_as_given(dataset: Dataset, subgraphs: SubgraphServer) -> None:
    created = payload(subgraphs, "Create", "CollectingEvent", "startEventDate endEventDate", group=GROUP,
                      startEventDate="1998", endEventDate="1998-06")
    assert created == {"collectingEvent": {"startEventDate": "1998", "endEventDate": "1998-06"}, "errors": []}


@pytest.mark.parametrize(("attributes", "code", "field"), [
    ({"preservation_state": "excellent"}, "INVALID_MANAGED_ATTRIBUTE_VALUE", "managedAttributes.preservation_state"),
    ({"body_length_mm": "long"}, "INVALID_MANAGED_ATTRIBUTE_VALUE", "managedAttributes.body_length_mm"),
    ({"wingspan": 3}, "UNKNOWN_MANAGED_ATTRIBUTE", "managedAttributes.wingspan"),
])
async def test_managed_attribute_values_are_validated(
    db: Database, dataset: Dataset, subgraphs: SubgraphServer, attributes: dict, code: str, field: str
) -> None:
    before = await table_counts(db)
    result = payload(subgraphs, "Create", "MaterialSample", "id", group=GROUP, materialSampleName="X-1",
                     managedAttributes=attributes)
    assert result["errors"][0]["code"] == code and result["errors"][0]["field"] == field
    assert "one of good, damaged" in result["errors"][0]["message"] or code != "INVALID_MANAGED_ATTRIBUTE_VALUE" \
        or field.endswith("body_length_mm")
    assert await table_counts(db) == before


def test_managed_attribute_values_are_normalised(dataset: Dataset, subgraphs: SubgraphServer) -> None:
    body = graphql(subgraphs.url("collection"), '{ materialSample(id: "%s") { managedAttributes } }' % dataset.ids["s1"])  # noqa: UP031
    assert body["data"]["materialSample"]["managedAttributes"] == {"preservation_state": "good", "body_length_mm": 54.5}


def test_unknown_reference_is_not_found(dataset: Dataset, subgraphs: SubgraphServer) -> None:
    result = payload(subgraphs, "Create", "MaterialSample", "id", group=GROUP, materialSampleName="X-2",
                     collectionId="01900000-0000-7000-8000-000000000000")
    assert [(e["code"], e["field"]) for e in result["errors"]] == [("NOT_FOUND", "collectionId")]


async def test_delete_refuses_while_records_depend_on_it(db: Database, dataset: Dataset, subgraphs: SubgraphServer) -> None:
    before = await table_counts(db)
    for entity, key, dependants in [("Collection", "herp", "material samples"),
                                    ("StorageUnit", "cabinet", "storage units inside it"),
                                    ("MaterialSample", "s1", "derived material samples, organisms"),
                                    ("Institution", "nhmd", "collections")]:
        query = f"mutation($input: DeleteInput!) {{ delete{entity}(input: $input) {{ errors {{ code message field }} }} }}"
        body = graphql(subgraphs.url("collection"), query, {"input": {"id": dataset.ids[key], "version": 1}})
        (error,) = next(iter(body["data"].values()))["errors"]
        assert error["code"] == "HAS_DEPENDANTS" and error["message"].endswith(
            f"is still referenced by {dependants}; remove or re-link those first."), error
    assert await table_counts(db) == before


def test_storage_unit_cannot_move_inside_itself(dataset: Dataset, subgraphs: SubgraphServer) -> None:
    result = payload(subgraphs, "Update", "StorageUnit", "id", id=dataset.ids["building"], version=1,
                     parentId=dataset.ids["drawer"])
    assert [(e["code"], e["field"]) for e in result["errors"]] == [("INVALID_PARENT", "parentId")]


def test_new_primary_determination_demotes_the_old_one(dataset: Dataset, subgraphs: SubgraphServer) -> None:
    body = graphql(subgraphs.url("collection"), """query($id: ID!) { materialSample(id: $id) {
      determinations { scientificName isPrimary version history { version operation actor } } } }""",
                   {"id": dataset.ids["s1"]})
    determinations = body["data"]["materialSample"]["determinations"]
    assert [(d["scientificName"], d["isPrimary"], d["version"]) for d in determinations] == [
        ("Lissotriton boscai", True, 1), ("Triturus boscai", False, 2)]
    assert [h["operation"] for h in determinations[1]["history"]] == ["create", "update"]
    assert determinations[1]["history"][1]["actor"] == "system: primary determination replaced"


def test_update_history_and_stale_version(dataset: Dataset, subgraphs: SubgraphServer) -> None:
    created = payload(subgraphs, "Create", "MaterialSample", "id version", group=GROUP, materialSampleName="H-1")
    sample = created["materialSample"]
    first = payload(subgraphs, "Update", "MaterialSample", "barcode version", id=sample["id"], version=1, barcode="B-1")
    stale = payload(subgraphs, "Update", "MaterialSample", "barcode", id=sample["id"], version=1, barcode="B-2")
    second = payload(subgraphs, "Update", "MaterialSample", "barcode version", id=sample["id"], version=2,
                     otherCatalogNumbers=["OLD-7"])
    assert first["materialSample"] == {"barcode": "B-1", "version": 2}
    assert stale == {"materialSample": None, "errors": [{
        "code": "STALE_VERSION", "field": "version",
        "message": f"MaterialSample {sample['id']} is at version 2, not 1: reload it and apply your change again."}]}
    assert second["materialSample"] == {"barcode": "B-1", "version": 3}
    history = graphql(subgraphs.url("collection"), '{ materialSample(id: "%s") { history { version operation snapshot } } }'  # noqa: UP031
                      % sample["id"])["data"]["materialSample"]["history"]
    assert [(h["version"], h["operation"]) for h in history] == [(1, "create"), (2, "update"), (3, "update")]
    assert [h["snapshot"]["barcode"] for h in history] == [None, "B-1", "B-1"]
    assert history[2]["snapshot"]["other_catalog_numbers"] == ["OLD-7"]


def test_delete_leaves_history(dataset: Dataset, subgraphs: SubgraphServer) -> None:
    created = payload(subgraphs, "Create", "PreparationType", "id", group=GROUP, name="pinned")
    pid = created["preparationType"]["id"]
    query = "mutation($input: DeleteInput!) { deletePreparationType(input: $input) { preparationType { id } errors { code } } }"
    body = graphql(subgraphs.url("collection"), query, {"input": {"id": pid, "version": 1}})
    assert body["data"]["deletePreparationType"] == {"preparationType": {"id": pid}, "errors": []}
    assert graphql(subgraphs.url("collection"), f'{{ preparationType(id: "{pid}") {{ id }} }}')["data"] == {
        "preparationType": None}


async def test_values_the_columns_cannot_hold_are_reported_with_the_rules_errors(
        db: Database, dataset: Dataset, subgraphs: SubgraphServer) -> None:
    # Before: the too-long verbatimEventDate (varchar(250)) and the NUL in habitat reached PostgreSQL and the
    # mutation failed as an "Unexpected error"; now both come back with the rules' own errors, all at once.
    before = await table_counts(db)
    result = payload(subgraphs, "Create", "CollectingEvent", "id", group=GROUP, verbatimEventDate="x" * 251,
                     startEventDate="2004-13", decimalLatitude=95.0, decimalLongitude=10.0, habitat="tidal\x00flat")
    assert result["collectingEvent"] is None
    assert [(e["code"], e["field"]) for e in result["errors"]] == [
        ("BAD_USER_INPUT", "habitat"), ("BAD_USER_INPUT", "verbatimEventDate"),
        ("INVALID_DATE", "startEventDate"), ("INVALID_COORDINATES", "decimalLatitude")]
    assert [e["message"] for e in result["errors"][:2]] == [
        "habitat contains a NUL character (\\u0000), which cannot be stored.",
        "verbatimEventDate is longer than 250 characters."]
    assert await table_counts(db) == before


async def test_an_update_with_a_value_too_long_changes_nothing(
        db: Database, dataset: Dataset, subgraphs: SubgraphServer) -> None:
    sample = payload(subgraphs, "Create", "MaterialSample", "id", group=GROUP, materialSampleName="L" * 250)
    assert sample["errors"] == []  # right at the limit
    before = await table_counts(db)
    result = payload(subgraphs, "Update", "MaterialSample", "id", id=sample["materialSample"]["id"], version=1,
                     materialSampleName="L-2", barcode="B" * 101, materialSampleType="x" * 51)
    assert result == {"materialSample": None, "errors": [
        {"code": "BAD_USER_INPUT", "field": "materialSampleType", "message": "materialSampleType is longer than 50 characters."},
        {"code": "BAD_USER_INPUT", "field": "barcode", "message": "barcode is longer than 100 characters."}]}
    assert await table_counts(db) == before
    stored = graphql(subgraphs.url("collection"), '{ materialSample(id: "%s") { materialSampleName version } }'  # noqa: UP031
                     % sample["materialSample"]["id"])["data"]["materialSample"]
    assert stored == {"materialSampleName": "L" * 250, "version": 1}


def test_trailing_spaces_past_a_limit_are_cut_as_varchar_does(dataset: Dataset, subgraphs: SubgraphServer) -> None:
    created = payload(subgraphs, "Create", "CollectingEvent", "startEventDate", group=GROUP,
                      startEventDate="2004-07-18  ")
    assert created == {"collectingEvent": {"startEventDate": "2004-07-18"}, "errors": []}
