"""Records for the client tests, written through the router the way any API client writes them."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from ..conftest import ISSUER, graphql

GROUP = "clienttest"  # every test filters by it: other test files share the database

PERSON = "mutation($input: CreatePersonInput!) { createPerson(input: $input) { person { id } errors { code message field } } }"
EVENT = """mutation($input: CreateCollectingEventInput!) { createCollectingEvent(input: $input) {
  collectingEvent { id } errors { code message field } } }"""
SAMPLE = """mutation($input: CreateMaterialSampleInput!) { createMaterialSample(input: $input) {
  materialSample { id } errors { code message field } } }"""
ORGANISM = "mutation($input: CreateOrganismInput!) { createOrganism(input: $input) { organism { id } errors { code message field } } }"
DETERMINATION = """mutation($input: CreateDeterminationInput!) { createDetermination(input: $input) {
  determination { id } errors { code message field } } }"""
SEQUENCE = "mutation($input: CreateSequenceInput!) { createSequence(input: $input) { sequence { id } errors { code message field } } }"


@dataclass(frozen=True)
class Record:
    name: str
    taxon: str
    country: str
    code: str
    latitude: float
    longitude: float
    start: str
    end: str | None
    accessions: tuple[str, ...]


RECORDS = [
    Record("TRI-1", "Triturus cristatus", "Sweden", "SE", 59.858, 17.639, "2010-05-01", None, ("CLT0001", "CLT0002")),
    Record("TRI-2", "Triturus carnifex", "Norway", "NO", 60.391, 5.322, "2015-07-02", "2015-07-04", ("CLT0003",)),
    Record("LIS-1", "Lissotriton vulgaris", "Sweden", "SE", 55.605, 13.003, "2005-06-11", None, ()),
]


def admin_token() -> str:
    return ISSUER.token(f"{GROUP}/admin")


@pytest.fixture(scope="session")
def seeded(router: str) -> dict[str, str]:
    """Three samples with collectors, a determination each and sequences; their ids by catalogue number."""
    token = admin_token()

    def create(document: str, **input: object) -> str:
        body = graphql(router, document, {"input": input}, token=token)
        assert "errors" not in body, body
        (payload,) = body["data"].values()
        assert payload["errors"] == [], payload["errors"]
        return next(v for k, v in payload.items() if k != "errors")["id"]

    ids = {}
    for i, record in enumerate(RECORDS):
        collectors = [create(PERSON, group=GROUP, displayName=f"Collector {i}-{k}") for k in range(2)]
        event = create(EVENT, group=GROUP, country=record.country, countryCode=record.code,
                       decimalLatitude=record.latitude, decimalLongitude=record.longitude, startEventDate=record.start,
                       endEventDate=record.end, collectorIds=collectors, verbatimLocality=f"Pond {i}")
        sample = create(SAMPLE, group=GROUP, materialSampleName=record.name, collectingEventId=event)
        organism = create(ORGANISM, group=GROUP, materialSampleId=sample)
        create(DETERMINATION, group=GROUP, organismId=organism, scientificName=record.taxon, isPrimary=True)
        for accession in record.accessions:
            create(SEQUENCE, group=GROUP, accession=accession, organism=record.taxon, residues="ACGTTGCA" * 10,
                   materialSampleId=sample, definition=f"{record.taxon} COI")
        ids[record.name] = sample
    return ids
