"""Sample sheets imported (mutation and CLI) as a run, libraries linked to samples and a pool per lane; a sheet
with defects writes nothing; a run exported as either format imports again as the same libraries."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from subgraphs.core.data.db import Database
from subgraphs.molecular.ngs import samplesheet
from subgraphs.molecular.ngs.repository import run

from ..conftest import SubgraphServer, graphql, mutate, table_counts
from .test_ngs_samplesheet import REAL_V1, V2

IMPORT = """mutation($input: ImportSampleSheetInput!) { importSampleSheet(input: $input) {
  sequencingRun { id name instrumentType readCycles barcodeMismatches }
  librariesCreated poolsCreated samplesLinked defects { line message } notes { line message }
  errors { code message field } } }"""
NGS_TABLES = ("molecular.sequencing_run", "molecular.library_prep", "molecular.library_pool",
              "molecular.library_pool_content", "molecular.sequencing_run_item", "molecular.library_prep_batch")


def import_sheet(subgraphs: SubgraphServer, content: str, group: str, **input: object) -> dict:
    body = graphql(subgraphs.url("molecular"), IMPORT, {"input": {"group": group, "content": content, **input}})
    assert "errors" not in body, body
    return body["data"]["importSampleSheet"]


def sheet_of(subgraphs: SubgraphServer, run_id: str, format: str) -> str:
    body = graphql(subgraphs.url("molecular"), f'{{ sequencingRun(id: "{run_id}") {{ sampleSheet(format: {format}) }} }}')
    return body["data"]["sequencingRun"]["sampleSheet"]


def test_a_v2_sheet_links_libraries_to_samples(subgraphs: SubgraphServer) -> None:
    collection = subgraphs.url("collection")
    for number in ("KUM-H-0001", "KUM-H-0003"):
        mutate(collection, """mutation($input: CreateMaterialSampleInput!) { createMaterialSample(input: $input) {
          materialSample { id } errors { code message field } } }""", group="botany", materialSampleName=number)
    result = import_sheet(subgraphs, V2, "botany")
    assert result["errors"] == [] and result["defects"] == []
    assert result["sequencingRun"]["name"] == "NS2K-2026-014" and result["sequencingRun"]["barcodeMismatches"] == 1
    assert (result["librariesCreated"], result["poolsCreated"], result["samplesLinked"]) == (4, 1, 2)
    assert result["notes"] == [
        {"line": 25, "message": "no material sample of group botany has catalogue number 'KUM-H-0002': "
                                "the library is not linked to a sample"},
        {"line": 27, "message": "no material sample of group botany has catalogue number 'KUM-H-0004': "
                                "the library is not linked to a sample"}]
    body = graphql(subgraphs.url("molecular"), """{ libraryPreps(first: 1, filter: {name: {eq: "KUM-H-0001"}, group: {eq: "botany"}})
      { edges { node { materialSample { id } pools { name runs { name } } runItems { lane readCount }
      history { version operation actor } } } } }""")
    (edge,) = body["data"]["libraryPreps"]["edges"]
    assert edge["node"]["materialSample"] is not None
    assert edge["node"]["pools"] == [{"name": "NS2K-2026-014 lane 1", "runs": [{"name": "NS2K-2026-014"}]}]
    assert edge["node"]["runItems"] == [{"lane": 1, "readCount": None}]
    assert edge["node"]["history"] == [{"version": 1, "operation": "create", "actor": "test-user"}]


# BCL Convert 3.10's Reports/Demultiplex_Stats.csv of that run.
DEMULTIPLEX_STATS = """Lane,SampleID,Sample_Project,Index,# Reads,# Perfect Index Reads,# One Mismatch Index Reads,\
# Two Mismatch Index Reads,% Reads,% Perfect Index Reads,% One Mismatch Index Reads,% Two Mismatch Index Reads
1,KUM-H-0001,herps,TAAGGCGA-ATAGAGAG,1523311,1498020,25291,0,0.2541,0.9834,0.0166,0.0000
1,KUM-H-0002,herps,CGTACTAG-ATAGAGAG,1401877,1380114,21763,0,0.2338,0.9845,0.0155,0.0000
1,KUM-H-0003,herps,AGGCAGAA-ATAGAGAG,1388204,1369921,18283,0,0.2315,0.9868,0.0132,0.0000
1,KUM-H-0004,herps,TCCTGAGC-ATAGAGAG,1477650,1455013,22637,0,0.2464,0.9847,0.0153,0.0000
1,Undetermined,,,204519,204519,0,0,0.0341,1.0000,0.0000,0.0000
"""
RECORD = """mutation($input: ImportDemultiplexStatsInput!) { importDemultiplexStats(input: $input) {
  sequencingRun { name items { lane readCount libraryPrep { name } } } errors { code message field } } }"""


def test_read_counts_come_from_the_demultiplexing_report(subgraphs: SubgraphServer) -> None:
    run = import_sheet(subgraphs, V2, "test")["sequencingRun"]
    url = subgraphs.url("molecular")
    wrong = graphql(url, RECORD, {"input": {"sequencingRunId": run["id"], "content":
                                            DEMULTIPLEX_STATS.replace("1,KUM-H-0004", "2,KUM-H-0004")}})
    assert wrong["data"]["importDemultiplexStats"]["errors"] == [{
        "code": "NOT_FOUND", "field": "content", "message": "line 5: run NS2K-2026-014 read no library KUM-H-0004 on lane 2"}]
    done = graphql(url, RECORD, {"input": {"sequencingRunId": run["id"], "content": DEMULTIPLEX_STATS}})
    payload = done["data"]["importDemultiplexStats"]
    assert payload["errors"] == []
    assert sorted((item["libraryPrep"]["name"], item["lane"], item["readCount"])
                  for item in payload["sequencingRun"]["items"]) == [
        ("KUM-H-0001", 1, 1523311), ("KUM-H-0002", 1, 1401877), ("KUM-H-0003", 1, 1388204), ("KUM-H-0004", 1, 1477650)]


async def test_a_sheet_with_defects_writes_nothing(db: Database, subgraphs: SubgraphServer) -> None:
    before = await table_counts(db)
    text = REAL_V1.read_text().replace("sample-B05,,plate_a,B05,N705-A,GGACTCCT", "sample-B05,,plate_a,B05,N705-A,GGACTCZT")
    result = import_sheet(subgraphs, text, "test")
    assert result["sequencingRun"] is None and result["librariesCreated"] == 0
    assert result["defects"] == [{"line": 36, "message": "index 'GGACTCZT' has characters that are not IUPAC DNA codes: Z"}]
    assert result["errors"] == [{"code": "INVALID_SAMPLE_SHEET", "field": "content",
                                 "message": "1 defect(s) in the sample sheet: nothing was written."}]
    two_in_a_well = import_sheet(subgraphs, REAL_V1.read_text().replace("sample-A02,,plate_a,A02,", "sample-A02,,plate_a,A01,"),
                                 "test")
    assert two_in_a_well["defects"] == [
        {"line": 21, "message": "well A01 of plate plate_a already holds sample-A01 (line 20)"}]
    after = await table_counts(db)
    assert all(after[table] == before[table] for table in NGS_TABLES)


async def test_values_the_database_cannot_hold_are_defects_too(db: Database, subgraphs: SubgraphServer) -> None:
    before = await table_counts(db)
    text = V2.replace("RunName,NS2K-2026-014", "RunName,NS2K-2026-015").replace("1,KUM-H-0002,", "1,KUM-H-" + "0" * 300 + ",").replace("1,KUM-H-0003,", "1,KUM-H-\x000003,")
    result = import_sheet(subgraphs, text, "test")
    assert result["defects"] == [
        {"line": 26, "message": "a NUL character (not text a sample sheet holds): line left out"},
        {"line": 25, "message": "Sample_ID is longer than 200 characters."}]
    after = await table_counts(db)
    assert all(after[table] == before[table] for table in NGS_TABLES)


def test_the_real_384_sheet_imports_and_exports_as_either_format(subgraphs: SubgraphServer) -> None:
    result = import_sheet(subgraphs, REAL_V1.read_text(), "test", runName="HiSeq4000-L2")
    assert result["defects"] == [] and result["errors"] == []
    assert (result["librariesCreated"], result["poolsCreated"], result["samplesLinked"]) == (384, 1, 0)
    run = result["sequencingRun"]
    assert run["name"] == "HiSeq4000-L2" and run["instrumentType"] == "HiSeq 3000/4000" and run["readCycles"] == [151, 151]
    original = samplesheet.parse(REAL_V1.read_text())
    for format, group in (("V1", "g"), ("V2", "demo")):
        text = sheet_of(subgraphs, run["id"], format)
        exported = samplesheet.parse(text)
        assert exported.defects == [] and exported.version == int(format[1])
        assert [(r.lane, r.sample_id, r.i7, r.i5) for r in exported.rows] == \
            [(r.lane, r.sample_id, r.i7, r.i5) for r in original.rows]
        again = import_sheet(subgraphs, text, group)
        assert again["defects"] == [] and again["librariesCreated"] == 384
    v1 = samplesheet.parse(sheet_of(subgraphs, run["id"], "V1"))
    assert [(r.plate, r.well, r.i7_name, r.i5_name) for r in v1.rows] == \
        [(r.plate, r.well, r.i7_name, r.i5_name) for r in original.rows]
    # The same run name again in the same group is refused whole.
    twice = import_sheet(subgraphs, REAL_V1.read_text(), "test", runName="HiSeq4000-L2")
    assert {"line": None, "message": "group test already has a sequencing run named 'HiSeq4000-L2'"} in twice["defects"]


def test_a_page_of_libraries_costs_the_same_statements_whatever_its_size(subgraphs: SubgraphServer) -> None:
    """After the 384-library import above: batches, pools and run items come in one statement each per page."""
    query = """query($first: Int!) { libraryPreps(first: $first, filter: {group: {eq: "test"}}) { edges { node {
      name well libraryPrepBatch { name } pools { name } runItems { lane } } } } }"""

    def statements(first: int) -> int:
        before = subgraphs.statements
        body = graphql(subgraphs.url("molecular"), query, {"first": first})
        assert len(body["data"]["libraryPreps"]["edges"]) == first, body
        return subgraphs.statements - before

    assert statements(5) == statements(100)


async def test_cli_imports_a_sheet_and_reports_defects_by_line(db: Database, database_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": database_url}
    good = tmp_path / "MiSeq-run-31.csv"
    good.write_text(V2.replace("RunName,NS2K-2026-014\n", ""))
    done = subprocess.run([sys.executable, "-m", "subgraphs.cli", "import", "samplesheet", str(good), "--group", "lab"],
                          env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "4 libraries in 1 pool(s), 0 linked to material samples" in done.stdout
    assert "note: line 23: no material sample of group lab has catalogue number 'KUM-H-0001'" in done.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text(V2.replace("Lane,Sample_ID,", "Lane,SampleID,"))
    before = await table_counts(db)
    failed = subprocess.run([sys.executable, "-m", "subgraphs.cli", "import", "samplesheet", str(bad), "--group", "lab"],
                            env=env, capture_output=True, text=True, timeout=120, check=False)
    assert failed.returncode == 1
    assert "defect: line 23: missing column Sample_ID" in failed.stderr
    assert "1 defect(s): nothing imported" in failed.stdout
    assert await table_counts(db) == before
    async with db.engine.connect() as conn:
        assert await conn.scalar(select(run.c.name).where(run.c.group == "lab")) == "MiSeq-run-31"
