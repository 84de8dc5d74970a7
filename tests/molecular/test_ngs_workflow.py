"""Library preps on plates, pools and runs through the molecular subgraph: wells in the batch's layout and one
library each, index pairs that collide refused naming both libraries, version locking, the installed kits."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from sqlalchemy import func, select

from subgraphs.core.data.db import Database
from subgraphs.molecular.ngs.repository import index_set, ngs_index

from ..conftest import SubgraphServer, graphql, mutate

MIGRATION = Path(__file__).resolve().parents[2] / "migrations" / "versions" / "molecular" / "molecular_0007_i22_ngs.py"

GROUP = "herpetology"


def create(subgraphs: SubgraphServer, entity: str, **input: object) -> dict:
    query = f"""mutation($input: Create{entity}Input!) {{ create{entity}(input: $input) {{
      {entity[0].lower() + entity[1:]} {{ id version }} errors {{ code message field }} }} }}"""
    body = graphql(subgraphs.url("molecular"), query, {"input": input})
    assert "errors" not in body, body
    return body["data"][f"create{entity}"]


def made(subgraphs: SubgraphServer, entity: str, **input: object) -> dict:
    result = create(subgraphs, entity, **input)
    assert result["errors"] == [], result["errors"]
    return result[entity[0].lower() + entity[1:]]


@pytest.fixture
async def kits(db: Database) -> None:
    """The kits as the migration installs them (other tests' clean_db truncates every table)."""
    async with db.engine.connect() as conn:
        if await conn.scalar(select(func.count()).select_from(index_set).where(index_set.c.group == "builtin")):
            return
    spec = importlib.util.spec_from_file_location("molecular_0006_i22", MIGRATION)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    who = {"group": "builtin", "created_by": "test"}
    async with db.engine.begin() as conn:
        for name, forward, reverse, kit in migration.KITS:
            set_id = await conn.scalar(index_set.insert().values(
                name=name, supplier="Illumina", forward_adapter=forward, reverse_adapter=reverse, **who)
                .returning(index_set.c.id))
            await conn.execute(ngs_index.insert(), [{"index_set_id": set_id, "name": index, "direction": direction,
                                                     "sequence": sequence, **who} for index, direction, sequence in kit])


@pytest.fixture(scope="module")
def plate(subgraphs: SubgraphServer) -> dict[str, str]:
    batch = made(subgraphs, "LibraryPrepBatch", group=GROUP, name="LIB-2026-001", kit="Nextera XT DNA Library Prep",
                 thermocyclerProfile="Tagmentation 55C 5 min")
    libraries = {name: made(subgraphs, "LibraryPrep", libraryPrepBatchId=batch["id"], name=name, well=well,
                            i7IndexName=i7n, i7Sequence=i7, i5IndexName="S502", i5Sequence="CTCTCTAT")["id"]
                 for name, well, i7n, i7 in (("KUM-H-0001", "A1", "N701", "TAAGGCGA"),
                                             ("KUM-H-0002", "a02", "N702", "CGTACTAG"),
                                             ("KUM-H-0003", "A03", "N701", "taaggcga"))}
    return {"batch": batch["id"], **libraries}


def test_installed_kits_are_real_index_sets(subgraphs: SubgraphServer, kits: None) -> None:
    body = graphql(subgraphs.url("molecular"), """{ indexSets(filter: {supplier: {eq: "Illumina"}}, orderBy: [{field: NAME}])
      { totalCount edges { node { name group indexes { name direction sequence reverseComplement } } } } }""")
    sets = body["data"]["indexSets"]
    assert sets["totalCount"] == 2
    nextera, truseq = (edge["node"] for edge in sets["edges"])
    assert nextera["name"] == "Nextera XT Index Kit v2" and nextera["group"] == "builtin"
    by_name = {index["name"]: index for index in nextera["indexes"]}
    assert len(by_name) == 40
    assert by_name["N701"] == {"name": "N701", "direction": "I7", "sequence": "TAAGGCGA", "reverseComplement": "TCGCCTTA"}
    assert by_name["S502"]["sequence"] == "CTCTCTAT" and by_name["S502"]["reverseComplement"] == "ATAGAGAG"
    assert {index["name"] for index in truseq["indexes"]} == {f"AD0{n:02}" for n in range(1, 13)}


def test_wells_are_in_the_layout_and_hold_one_library(plate: dict[str, str], subgraphs: SubgraphServer) -> None:
    taken = create(subgraphs, "LibraryPrep", libraryPrepBatchId=plate["batch"], name="KUM-H-0009", well="A01")
    outside = create(subgraphs, "LibraryPrep", libraryPrepBatchId=plate["batch"], name="KUM-H-0010", well="I13")
    bad_index = create(subgraphs, "LibraryPrep", libraryPrepBatchId=plate["batch"], name="KUM-H-0011",
                       i7Sequence="TAAGGCGU")
    assert taken["errors"] == [{"code": "DUPLICATE_WELL", "field": "well",
                                "message": "Well A01 of batch LIB-2026-001 already holds library KUM-H-0001."}]
    assert outside["errors"] == [{"code": "INVALID_WELL", "field": "well", "message":
                                  "'I13' is not a well of a 96-well plate (A01 to H12) of batch LIB-2026-001."}]
    too_big = create(subgraphs, "LibraryPrepBatch", group=GROUP, name="LIB-1536", plateRows=32, plateColumns=48)
    assert too_big["errors"] == [{"code": "INVALID_LAYOUT", "field": "plateRows", "message": "plateRows is 1 to 16."}]
    assert bad_index["errors"] == [{"code": "INVALID_IUPAC", "field": "i7Sequence", "message":
                                    "i7Sequence 'TAAGGCGU' has characters that are not IUPAC DNA codes: U."}]
    body = graphql(subgraphs.url("molecular"), f"""{{ libraryPrepBatch(id: "{plate['batch']}") {{
      plateRows plateColumns libraryPreps {{ name well i7Sequence }} }} }}""")["data"]["libraryPrepBatch"]
    assert body == {"plateRows": 8, "plateColumns": 12, "libraryPreps": [
        {"name": "KUM-H-0001", "well": "A01", "i7Sequence": "TAAGGCGA"},
        {"name": "KUM-H-0002", "well": "A02", "i7Sequence": "CGTACTAG"},
        {"name": "KUM-H-0003", "well": "A03", "i7Sequence": "TAAGGCGA"}]}


def test_a_pool_refuses_a_colliding_pair_naming_both(plate: dict[str, str], subgraphs: SubgraphServer) -> None:
    pool = made(subgraphs, "LibraryPool", group=GROUP, name="POOL-2026-001")
    for name in ("KUM-H-0001", "KUM-H-0002"):
        made(subgraphs, "LibraryPoolContent", libraryPoolId=pool["id"], libraryPrepId=plate[name])
    clash = create(subgraphs, "LibraryPoolContent", libraryPoolId=pool["id"], libraryPrepId=plate["KUM-H-0003"])
    assert clash["errors"] == [{"code": "INDEX_COLLISION", "field": "libraryPrepId", "message":
                                "Libraries KUM-H-0001 (TAAGGCGA+CTCTCTAT) and KUM-H-0003 (TAAGGCGA+CTCTCTAT) have "
                                "the same index pair."}]
    # A pool in a pool brings its libraries along, and a pool cannot end up inside itself.
    outer = made(subgraphs, "LibraryPool", group=GROUP, name="POOL-2026-002")
    made(subgraphs, "LibraryPoolContent", libraryPoolId=outer["id"], pooledLibraryPoolId=pool["id"])
    nested_clash = create(subgraphs, "LibraryPoolContent", libraryPoolId=outer["id"], libraryPrepId=plate["KUM-H-0003"])
    assert nested_clash["errors"][0]["code"] == "INDEX_COLLISION"
    assert "KUM-H-0001" in nested_clash["errors"][0]["message"]
    cycle = create(subgraphs, "LibraryPoolContent", libraryPoolId=pool["id"], pooledLibraryPoolId=outer["id"])
    assert cycle["errors"] == [{"code": "POOL_CYCLE", "field": "pooledLibraryPoolId",
                                "message": "Pool POOL-2026-001 would contain itself."}]
    both = create(subgraphs, "LibraryPoolContent", libraryPoolId=pool["id"])
    assert both["errors"][0]["code"] == "ONE_SUBJECT"


def test_a_run_refuses_pairs_within_its_mismatches(plate: dict[str, str], subgraphs: SubgraphServer) -> None:
    near = made(subgraphs, "LibraryPrep", libraryPrepBatchId=plate["batch"], name="KUM-H-0004", well="A04",
                i7Sequence="TAAGGCTT", i5Sequence="CTCTCTAT")  # 2 mismatches from KUM-H-0001's i7
    strict = made(subgraphs, "SequencingRun", group=GROUP, name="MS-2026-07", instrumentType="MiSeq",
                  barcodeMismatches=1)
    made(subgraphs, "SequencingRunItem", sequencingRunId=strict["id"], lane=1, libraryPrepId=plate["KUM-H-0001"])
    refused = create(subgraphs, "SequencingRunItem", sequencingRunId=strict["id"], lane=1, libraryPrepId=near["id"])
    assert refused["errors"] == [{"code": "INDEX_COLLISION", "field": "libraryPrepId", "message":
                                  "Libraries KUM-H-0001 (TAAGGCGA+CTCTCTAT) and KUM-H-0004 (TAAGGCTT+CTCTCTAT) have "
                                  "index pairs within 2 mismatches of each other on lane 1."}]
    other_lane = create(subgraphs, "SequencingRunItem", sequencingRunId=strict["id"], lane=2, libraryPrepId=near["id"])
    assert other_lane["errors"] == []
    exact = made(subgraphs, "SequencingRun", group=GROUP, name="MS-2026-08", barcodeMismatches=0)
    made(subgraphs, "SequencingRunItem", sequencingRunId=exact["id"], lane=1, libraryPrepId=plate["KUM-H-0001"])
    assert create(subgraphs, "SequencingRunItem", sequencingRunId=exact["id"], lane=1,
                  libraryPrepId=near["id"])["errors"] == []
    # Changing a library's indexes is checked against every pool and run lane it is in.
    update = """mutation($input: UpdateLibraryPrepInput!) { updateLibraryPrep(input: $input) {
      libraryPrep { i7Sequence } errors { code message field } } }"""
    moved = graphql(subgraphs.url("molecular"), update, {"input": {"id": near["id"], "version": 1,
                                                                   "i7Sequence": "TAAGGCGA"}})
    assert moved["data"]["updateLibraryPrep"]["errors"] == [{
        "code": "INDEX_COLLISION", "field": "i7Sequence", "message": "In run MS-2026-08 lane 1: Libraries KUM-H-0001 "
        "(TAAGGCGA+CTCTCTAT) and KUM-H-0004 (TAAGGCGA+CTCTCTAT) have the same index pair on lane 1."}]


def test_writes_are_version_locked_and_kept_in_history(plate: dict[str, str], subgraphs: SubgraphServer) -> None:
    url = subgraphs.url("molecular")
    update = """mutation($input: UpdateLibraryPrepInput!) { updateLibraryPrep(input: $input) {
      libraryPrep { version sizeBp inputNg } errors { code field } } }"""
    first = mutate(url, update, id=plate["KUM-H-0002"], version=1, sizeBp=550, inputNg=1.0)
    assert first == {"version": 2, "sizeBp": 550, "inputNg": 1.0}
    stale = graphql(url, update, {"input": {"id": plate["KUM-H-0002"], "version": 1, "sizeBp": 600}})
    assert stale["data"]["updateLibraryPrep"] == {"libraryPrep": None,
                                                  "errors": [{"code": "STALE_VERSION", "field": "version"}]}
    history = graphql(url, f'{{ libraryPrep(id: "{plate["KUM-H-0002"]}") {{ history {{ version operation }} }} }}')
    assert history["data"]["libraryPrep"]["history"] == [{"version": 1, "operation": "create"},
                                                         {"version": 2, "operation": "update"}]


def test_quality_control_and_connections(plate: dict[str, str], subgraphs: SubgraphServer) -> None:
    made(subgraphs, "QualityControl", libraryPrepId=plate["KUM-H-0002"], qcType="Qubit dsDNA HS", value=4.2,
         unit="ng/µL", passed=True)
    url = subgraphs.url("molecular")
    body = graphql(url, """{ libraryPreps(filter: {i7Sequence: {eq: "TAAGGCGA"}, group: {eq: "herpetology"}}, orderBy: [{field: NAME}]) {
      totalCount edges { node { name well libraryPrepBatch { name } } } } }""")["data"]["libraryPreps"]
    assert body["totalCount"] == 2
    assert [e["node"]["name"] for e in body["edges"]] == ["KUM-H-0001", "KUM-H-0003"]
    qc = graphql(url, f'{{ libraryPrep(id: "{plate["KUM-H-0002"]}") {{ qualityControls {{ qcType value unit passed }} }} }}')
    assert qc["data"]["libraryPrep"]["qualityControls"] == [
        {"qcType": "Qubit dsDNA HS", "value": 4.2, "unit": "ng/µL", "passed": True}]


def test_pre_library_preps_metagenomics_batches_and_submissions(plate: dict[str, str], subgraphs: SubgraphServer) -> None:
    url = subgraphs.url("molecular")
    made(subgraphs, "PreLibraryPrep", group=GROUP, preLibraryPrepType="SHEARING", libraryPrepId=plate["KUM-H-0003"],
         inputAmountNg=100.0, targetBpSize=550, averageFragmentSize=540, product="Covaris microTUBE")
    batch = made(subgraphs, "MetagenomicsBatch", group=GROUP, name="MG-2026-01", protocol="16S V4 amplicons")
    made(subgraphs, "MetagenomicsBatchItem", metagenomicsBatchId=batch["id"], libraryPrepId=plate["KUM-H-0003"])
    unknown = create(subgraphs, "MetagenomicsBatchItem", metagenomicsBatchId=batch["id"],
                     libraryPrepId="01930000-0000-7000-8000-000000000000")
    assert unknown["errors"][0]["code"] == "NOT_FOUND" and unknown["errors"][0]["field"] == "libraryPrepId"
    run = made(subgraphs, "SequencingRun", group=GROUP, name="MS-2026-09")
    made(subgraphs, "SeqSubmission", sequencingRunId=run["id"], archive="ENA", status="ACCESSIONED",
         studyAccession="PRJEB12345", runAccessions=["ERR1234567"])
    body = graphql(url, f"""{{
      libraryPrep(id: "{plate['KUM-H-0003']}") {{ preLibraryPreps {{ preLibraryPrepType targetBpSize product }} }}
      metagenomicsBatch(id: "{batch['id']}") {{ name items {{ libraryPrep {{ name }} }} }}
      sequencingRun(id: "{run['id']}") {{ submissions {{ archive status studyAccession runAccessions group }} }} }}""")
    assert body["data"] == {
        "libraryPrep": {"preLibraryPreps": [{"preLibraryPrepType": "SHEARING", "targetBpSize": 550,
                                             "product": "Covaris microTUBE"}]},
        "metagenomicsBatch": {"name": "MG-2026-01", "items": [{"libraryPrep": {"name": "KUM-H-0003"}}]},
        "sequencingRun": {"submissions": [{"archive": "ENA", "status": "ACCESSIONED", "studyAccession": "PRJEB12345",
                                           "runAccessions": ["ERR1234567"], "group": GROUP}]}}
    # The library cannot go while a batch or preparation still points at it.
    version = graphql(url, f'{{ libraryPrep(id: "{plate["KUM-H-0003"]}") {{ version }} }}')["data"]["libraryPrep"]["version"]
    gone = graphql(url, """mutation($input: DeleteInput!) { deleteLibraryPrep(input: $input) { errors { code } } }""",
                   {"input": {"id": plate["KUM-H-0003"], "version": version}})
    assert gone["data"]["deleteLibraryPrep"]["errors"] == [{"code": "HAS_DEPENDANTS"}]


def test_an_index_named_in_the_batchs_set_takes_its_bases(subgraphs: SubgraphServer, kits: None) -> None:
    body = graphql(subgraphs.url("molecular"), """{ indexSets(filter: {name: {eq: "Nextera XT Index Kit v2"}})
      { edges { node { id } } } }""")
    nextera = body["data"]["indexSets"]["edges"][0]["node"]["id"]
    batch = made(subgraphs, "LibraryPrepBatch", group=GROUP, name="LIB-2026-002", indexSetId=nextera,
                 plateRows=16, plateColumns=24)
    library = made(subgraphs, "LibraryPrep", libraryPrepBatchId=batch["id"], name="KUM-H-0100", well="P24",
                   i7IndexName="N729", i5IndexName="S522")
    found = graphql(subgraphs.url("molecular"), f"""{{ libraryPrep(id: "{library['id']}") {{
      well i7Sequence i5Sequence libraryPrepBatch {{ indexSet {{ name }} }} }} }}""")["data"]["libraryPrep"]
    assert found == {"well": "P24", "i7Sequence": "TCGACGTC", "i5Sequence": "TTATGCGA",
                     "libraryPrepBatch": {"indexSet": {"name": "Nextera XT Index Kit v2"}}}
    unknown = create(subgraphs, "LibraryPrep", libraryPrepBatchId=batch["id"], name="KUM-H-0101", i7IndexName="N799")
    assert unknown["errors"] == [{"code": "NOT_FOUND", "field": "i7IndexName", "message":
                                  "The index set of batch LIB-2026-002 has no i7 index 'N799': give i7Sequence, "
                                  "or an index of the set."}]
