"""One request through the router: a sample → its libraries → their pool → the run → the run report's media."""

from __future__ import annotations

from subgraphs.core.data.db import Database
from subgraphs.core.storage.storage import object_store
from subgraphs.media.service import ingest

from ..conftest import SubgraphServer, graphql, mutate
from .test_ngs_samplesheet import V2

# A demultiplexing summary as BCL Convert writes it (Reports/Demultiplex_Stats.csv).
DEMULTIPLEX_STATS = b"""Lane,SampleID,Index,# Reads,# Perfect Index Reads,# One Mismatch Index Reads
1,KUM-H-0001,TAAGGCGA-ATAGAGAG,1523311,1498020,25291
1,KUM-H-0002,CGTACTAG-ATAGAGAG,1401877,1380114,21763
"""


async def test_sample_libraries_pool_run_report(db: Database, subgraphs: SubgraphServer, router: str) -> None:
    sample = mutate(router, """mutation($input: CreateMaterialSampleInput!) { createMaterialSample(input: $input) {
      materialSample { id } errors { code message field } } }""", group="demo", materialSampleName="KUM-H-0001")
    imported = graphql(router, """mutation($input: ImportSampleSheetInput!) { importSampleSheet(input: $input) {
      sequencingRun { id version } samplesLinked errors { code message } } }""",
                       {"input": {"group": "demo", "content": V2}})["data"]["importSampleSheet"]
    assert imported["errors"] == [] and imported["samplesLinked"] == 1
    async with db.unit_of_work() as session:
        report = await ingest(session, object_store(subgraphs.settings), DEMULTIPLEX_STATS, actor="test", group="demo",
                              filename="Demultiplex_Stats.csv", media_type="text/csv", caption="Demultiplexing stats")
    run = imported["sequencingRun"]
    mutate(router, """mutation($input: UpdateSequencingRunInput!) { updateSequencingRun(input: $input) {
      sequencingRun { id } errors { code message field } } }""", id=run["id"], version=run["version"],
           reportMediaIds=[str(report.id)], externalUris=["https://www.ncbi.nlm.nih.gov/sra/SRR000001"])

    body = graphql(router, """query($id: ID!) { materialSample(id: $id) {
      materialSampleName
      libraryPreps { name i7Sequence i5Sequence
        pools(first: 1) { name runs(first: 1) { name instrumentType externalUris reportMedia { id caption } } } } } }""",
                   {"id": sample["id"]})

    assert "errors" not in body, body
    assert body["data"]["materialSample"] == {"materialSampleName": "KUM-H-0001", "libraryPreps": [{
        "name": "KUM-H-0001", "i7Sequence": "TAAGGCGA", "i5Sequence": "ATAGAGAG",
        "pools": [{"name": "NS2K-2026-014 lane 1", "runs": [{
            "name": "NS2K-2026-014", "instrumentType": "NextSeq1k2k",
            "externalUris": ["https://www.ncbi.nlm.nih.gov/sra/SRR000001"],
            "reportMedia": [{"id": str(report.id), "caption": "Demultiplexing stats"}]}]}]}]}
