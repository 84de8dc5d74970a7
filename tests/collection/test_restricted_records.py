"""Restricted records through the router: the group reads a not-releasable event's true place; a
reader without a role in it (the group is public) gets it generalized, until the embargo ends; an
export generalizes it too and leaves a not-releasable sample out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from subgraphs.core.data.db import Database
from subgraphs.exchange.dwca.archive import DWC
from subgraphs.exchange.dwca.exporter import export_archive
from subgraphs.exchange.dwca.importer import import_archive

from ..conftest import ISSUER, graphql, mutate, truncate_all
from ..exchange.test_dwca import occurrence_archive
from ..exchange.test_dwca_export import exported_rows

MEMBER, OUTSIDER = ISSUER.token("public/user"), ISSUER.token("g/user")
EVENT = """query($id: ID!) { collectingEvent(id: $id) {
  decimalLatitude decimalLongitude coordinateUncertaintyInMeters dataGeneralizations
  publiclyReleasable notPubliclyReleasableReason } }"""
CREATE_EVENT = """mutation($input: CreateCollectingEventInput!) { createCollectingEvent(input: $input) {
  collectingEvent { id version } errors { field code message } } }"""
UPDATE_EVENT = """mutation($input: UpdateCollectingEventInput!) { updateCollectingEvent(input: $input) {
  collectingEvent { id version embargoEndDate } errors { field code message } } }"""
CREATE_SAMPLE = """mutation($input: CreateMaterialSampleInput!) { createMaterialSample(input: $input) {
  materialSample { id } errors { field code message } } }"""


def read(router: str, event_id: str, token: str) -> dict:
    body = graphql(router, EVENT, {"id": event_id}, token=token)
    assert "errors" not in body, body
    return body["data"]["collectingEvent"]


async def test_a_restricted_event_is_generalized_for_readers_outside_its_group_until_its_embargo_ends(
        db: Database, router: str, tmp_path: Path) -> None:
    await truncate_all(db)
    event = graphql(router, CREATE_EVENT, {"input": {
        "group": "public", "decimalLatitude": 55.6761, "decimalLongitude": 12.5683,
        "coordinateUncertaintyInMeters": 30, "publiclyReleasable": False,
        "notPubliclyReleasableReason": "nest site of a protected species"}}, token=MEMBER)
    event = event["data"]["createCollectingEvent"]["collectingEvent"]

    assert read(router, event["id"], MEMBER) == {
        "decimalLatitude": 55.6761, "decimalLongitude": 12.5683, "coordinateUncertaintyInMeters": 30,
        "dataGeneralizations": None, "publiclyReleasable": False,
        "notPubliclyReleasableReason": "nest site of a protected species"}
    outside = read(router, event["id"], OUTSIDER)
    assert (outside["decimalLatitude"], outside["decimalLongitude"]) == (55.7, 12.6)
    # Rounding moves the point up to 0.05° each way: 5566 m north-south, 3139 m east-west at 55.68° N.
    assert outside["coordinateUncertaintyInMeters"] == 30 + 6390
    assert outside["dataGeneralizations"] == ("Coordinates rounded to 0.1 degree; "
                                              "coordinateUncertaintyInMeters widened by 6390 m.")

    # A filter compares the published (rounded) place: it cannot narrow the true one down.
    near = """query($from: Float!, $to: Float!) { collectingEvents(filter: {decimalLatitude: {gte: $from, lte: $to}})
      { totalCount } }"""
    for token in (MEMBER, OUTSIDER):
        assert [graphql(router, near, {"from": low, "to": high}, token=token)["data"]["collectingEvents"]["totalCount"]
                for low, high in ((55.67, 55.68), (55.69, 55.71))] == [0, 1]

    for sample in ({"materialSampleName": "NEST-1"},
                   {"materialSampleName": "EGG-1", "publiclyReleasable": False, "embargoEndDate": "2999-01-01"}):
        created = graphql(router, CREATE_SAMPLE, {"input": {
            "group": "public", "collectingEventId": event["id"], **sample}}, token=MEMBER)
        assert created["data"]["createMaterialSample"]["errors"] == []
    out = tmp_path / "export.zip"
    await export_archive(db, out)
    ((core, _),) = exported_rows(out)  # EGG-1 is under embargo: not published
    assert core[DWC + "catalogNumber"] == "NEST-1"
    assert (core[DWC + "decimalLatitude"], core[DWC + "decimalLongitude"]) == ("55.7", "12.6")
    assert core[DWC + "coordinateUncertaintyInMeters"] == "6420.0"
    assert core[DWC + "dataGeneralizations"] == outside["dataGeneralizations"]

    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    graphql(router, UPDATE_EVENT, {"input": {**event, "embargoEndDate": yesterday}}, token=MEMBER)
    public = read(router, event["id"], OUTSIDER)
    assert (public["decimalLatitude"], public["dataGeneralizations"]) == (55.6761, None)


def test_restricted_samples_are_found_by_their_release(router: str) -> None:
    made = mutate(router, CREATE_SAMPLE.replace("materialSample { id }", "materialSample { id publiclyReleasable }"),
                  group="g", materialSampleName="WITHHELD-1", publiclyReleasable=False,
                  notPubliclyReleasableReason="type locality under negotiation")
    assert made["publiclyReleasable"] is False
    body = graphql(router, """{ materialSamples(filter: {publiclyReleasable: {eq: false}}) {
      edges { node { materialSampleName notPubliclyReleasableReason } } } }""")
    assert {"materialSampleName": "WITHHELD-1", "notPubliclyReleasableReason": "type locality under negotiation"} in [
        e["node"] for e in body["data"]["materialSamples"]["edges"]]


async def test_an_imported_restricted_record_keeps_its_source_coordinates_from_outsiders(
        db: Database, router: str, tmp_path: Path) -> None:
    await truncate_all(db)
    folder = occurrence_archive(tmp_path, ["occurrenceID", "decimalLatitude", "decimalLongitude", "verbatimCoordinates"],
                                [["occ-1", "55.6761", "12.5683", "55.6761 N 12.5683 E"]])
    await import_archive(db, folder, group="public", actor="test")
    query = "{ materialSamples { edges { node { sourceRecord collectingEvent { id version } } } } }"
    ((member,),) = [[e["node"] for e in graphql(router, query, token=MEMBER)["data"]["materialSamples"]["edges"]]]
    updated = graphql(router, UPDATE_EVENT, {"input": {**member["collectingEvent"], "publiclyReleasable": False}},
                      token=MEMBER)
    assert updated["data"]["updateCollectingEvent"]["errors"] == []
    ((outsider,),) = [[e["node"] for e in graphql(router, query, token=OUTSIDER)["data"]["materialSamples"]["edges"]]]
    assert DWC + "decimalLatitude" in member["sourceRecord"]
    assert outsider["sourceRecord"] == {DWC + "occurrenceID": "occ-1"}
