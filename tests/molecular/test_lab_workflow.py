"""Primers, PCR plates and sequencing reactions: IUPAC codes and plate wells are checked on write."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from subgraphs.core.data.db import Database
from subgraphs.molecular import models

from ..conftest import SubgraphServer, graphql, mutate


def create(subgraphs: SubgraphServer, entity: str, **input: object) -> dict:
    query = f"""mutation($input: Create{entity}Input!) {{ create{entity}(input: $input) {{
      {entity[0].lower() + entity[1:]} {{ id }} errors {{ code message field }} }} }}"""
    return graphql(subgraphs.url("molecular"), query, {"input": {"group": "herpetology", **input}})["data"][
        f"create{entity}"]


@pytest.fixture(scope="module")
def plate(subgraphs: SubgraphServer) -> dict[str, str]:
    url = subgraphs.url("molecular")
    region = mutate(url, """mutation($input: CreateRegionInput!) { createRegion(input: $input) {
      region { id } errors { code message field } } }""", group="herpetology", name="COI-5P-test")
    primer = create(subgraphs, "PcrPrimer", name="LCO1490-test", direction="FORWARD",
                    sequence="ggtcaacaaatcataaagatattgg", regionId=region["id"])
    batch = create(subgraphs, "PcrBatch", name="PCR-2024-001", regionId=region["id"],
                   primerIds=[primer["pcrPrimer"]["id"]], thermocycler="Bio-Rad T100")
    return {"region": region["id"], "primer": primer["pcrPrimer"]["id"], "batch": batch["pcrBatch"]["id"]}


@pytest.mark.parametrize(("sequence", "message"), [
    ("GGTCAACAXATCATAAAG", "The sequence has characters that are not IUPAC nucleotide codes: X."),
    ("GGTC-AAC", "The sequence has characters that are not IUPAC nucleotide codes: -."),
    ("", "The sequence is empty."),
])
async def test_primer_with_bad_codes_is_refused(db: Database, subgraphs: SubgraphServer, sequence: str,
                                                message: str) -> None:
    async with db.engine.connect() as conn:
        before = await conn.scalar(select(func.count()).select_from(models.pcr_primer))
    result = create(subgraphs, "PcrPrimer", name=f"bad-{sequence}", direction="REVERSE", sequence=sequence)
    assert result["errors"] == [{"code": "INVALID_IUPAC", "message": message, "field": "sequence"}]
    async with db.engine.connect() as conn:
        assert await conn.scalar(select(func.count()).select_from(models.pcr_primer)) == before


def test_primer_is_stored_upper_case(plate: dict[str, str], subgraphs: SubgraphServer) -> None:
    body = graphql(subgraphs.url("molecular"), f'{{ pcrPrimer(id: "{plate["primer"]}") {{ sequence region {{ name }} }} }}')
    assert body["data"]["pcrPrimer"] == {"sequence": "GGTCAACAAATCATAAAGATATTGG", "region": {"name": "COI-5P-test"}}


def test_wells_are_plate_positions_unique_per_batch(plate: dict[str, str], subgraphs: SubgraphServer) -> None:
    first = create(subgraphs, "PcrReaction", pcrBatchId=plate["batch"], well="a1", result="good band")
    duplicate = create(subgraphs, "PcrReaction", pcrBatchId=plate["batch"], well="A01")
    outside = create(subgraphs, "PcrReaction", pcrBatchId=plate["batch"], well="I13")
    assert first["errors"] == []
    assert duplicate["errors"] == [{"code": "DUPLICATE_WELL", "message": "Well A1 of this batch is already used.",
                                    "field": "well"}]
    assert outside["errors"] == [{"code": "INVALID_WELL", "field": "well",
                                  "message": "'I13' is not a 96-well plate position (A1 to H12)."}]
    batch = graphql(subgraphs.url("molecular"), f"""{{ pcrBatch(id: "{plate['batch']}") {{
      name thermocycler primers {{ name }} reactions {{ well result }} }} }}""")["data"]["pcrBatch"]
    assert batch == {"name": "PCR-2024-001", "thermocycler": "Bio-Rad T100", "primers": [{"name": "LCO1490-test"}],
                     "reactions": [{"well": "A1", "result": "good band"}]}


def test_sequencing_reaction_reads_a_pcr_product(plate: dict[str, str], subgraphs: SubgraphServer) -> None:
    reaction = create(subgraphs, "PcrReaction", pcrBatchId=plate["batch"], well="B2")["pcrReaction"]
    run = create(subgraphs, "SeqBatch", name="SEQ-2024-001", sequencingType="Sanger")["seqBatch"]
    read = create(subgraphs, "SeqReaction", seqBatchId=run["id"], pcrReactionId=reaction["id"],
                  primerId=plate["primer"], well="B2")
    duplicate = create(subgraphs, "SeqReaction", seqBatchId=run["id"], well="b2")
    assert read["errors"] == [] and duplicate["errors"][0]["code"] == "DUPLICATE_WELL"
    body = graphql(subgraphs.url("molecular"), f"""{{ seqBatch(id: "{run['id']}") {{ reactions {{
      well primer {{ name }} pcrReaction {{ well pcrBatch {{ name }} }} }} }} }}""")
    assert body["data"]["seqBatch"]["reactions"] == [
        {"well": "B2", "primer": {"name": "LCO1490-test"}, "pcrReaction": {"well": "B2", "pcrBatch": {"name": "PCR-2024-001"}}}]


def test_a_primer_fits_its_column_as_stored_without_the_spaces_it_was_sent_with(subgraphs: SubgraphServer) -> None:
    sent = "ACGTACGTAC " * 19  # 209 characters, 190 nucleotides: the sequence column holds 200
    created = create(subgraphs, "PcrPrimer", name="spaced-primer", direction="FORWARD", sequence=sent)
    assert created["errors"] == []
    body = graphql(subgraphs.url("molecular"), f'{{ pcrPrimer(id: "{created["pcrPrimer"]["id"]}") {{ sequence }} }}')
    assert body["data"]["pcrPrimer"]["sequence"] == "ACGTACGTAC" * 19
