"""Living collections through the router: a sample's state with when and by whom it changed, found by
state, with its establishmentMeans and degreeOfEstablishment read against Darwin Core's vocabularies."""

from __future__ import annotations

import datetime as dt

from ..conftest import graphql, mutate

PERSON = """mutation($input: CreatePersonInput!) { createPerson(input: $input) { person { id } errors { code } } }"""
SAMPLE = "id version state stateChangedOn stateChangedBy { displayName } establishmentMeans degreeOfEstablishment"
CREATE = f"""mutation($input: CreateMaterialSampleInput!) {{ createMaterialSample(input: $input) {{
  materialSample {{ {SAMPLE} }} errors {{ field code message }} }} }}"""
UPDATE = f"""mutation($input: UpdateMaterialSampleInput!) {{ updateMaterialSample(input: $input) {{
  materialSample {{ {SAMPLE} history {{ version }} }} errors {{ field code message }} }} }}"""


def test_a_living_sample_changes_state_with_its_date_and_agent(router: str) -> None:
    gardener = mutate(router, PERSON, group="g", displayName="Ada Gardener")
    plant = mutate(router, CREATE, group="g", materialSampleName="LIVING-1", basisOfRecord="LivingSpecimen",
                   state="ALIVE", stateChangedOn="2024-03-01", stateChangedById=gardener["id"],
                   establishmentMeans="Introduced", degreeOfEstablishment="cultivated")
    assert {k: v for k, v in plant.items() if k not in ("id", "version")} == {
        "state": "ALIVE", "stateChangedOn": "2024-03-01", "stateChangedBy": {"displayName": "Ada Gardener"},
        "establishmentMeans": "introduced", "degreeOfEstablishment": "cultivated"}

    dead = mutate(router, UPDATE, id=plant["id"], version=plant["version"], state="DEAD")
    assert (dead["state"], dead["stateChangedOn"]) == ("DEAD", dt.date.today().isoformat())
    assert [h["version"] for h in dead["history"]] == [1, 2]
    body = graphql(router, '{ materialSamples(filter: {state: {eq: "DEAD"}, materialSampleName: {eq: "LIVING-1"}})'
                           " { totalCount } }")
    assert body["data"]["materialSamples"]["totalCount"] == 1

    refused = graphql(router, UPDATE, {"input": {"id": plant["id"], "version": dead["version"],
                                                 "establishmentMeans": "escaped"}})["data"]["updateMaterialSample"]
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("establishmentMeans", "NOT_IN_VOCABULARY")]
