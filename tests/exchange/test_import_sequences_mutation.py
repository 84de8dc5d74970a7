"""importSequences: a small GenBank or FASTA file through the router, with the caller's rights."""

from __future__ import annotations

from subgraphs.core.db import Database

from ..conftest import ISSUER, graphql, table_counts, truncate_all
from ..molecular.test_genbank_import import BARCODE

IMPORT = """mutation($input: ImportSequencesInput!) { importSequences(input: $input) {
  imported unchanged samplesCreated samplesLinked rejected { file record reason } errors { code message } } }"""


async def test_genbank_import_through_the_router(db: Database, router: str) -> None:
    await truncate_all(db)
    input = {"group": "herpetology", "format": "GENBANK", "content": BARCODE.read_text(), "filename": BARCODE.name}
    curator = ISSUER.token("herpetology/user", subject="curator")

    first = graphql(router, IMPORT, {"input": input}, token=curator)["data"]["importSequences"]
    again = graphql(router, IMPORT, {"input": input}, token=curator)["data"]["importSequences"]

    assert first == {"imported": ["EF525953.1"], "unchanged": [], "samplesCreated": ["RuHF-TBB-01-4"],
                     "samplesLinked": [], "rejected": [], "errors": []}
    assert again["imported"] == [] and again["unchanged"] == ["EF525953.1"]


async def test_import_needs_a_role_in_the_group_and_writes_nothing_without(db: Database, router: str) -> None:
    before = await table_counts(db)
    input = {"group": "herpetology", "format": "GENBANK", "content": BARCODE.read_text()}
    anonymous = graphql(router, IMPORT, {"input": input}, token=None)["data"]["importSequences"]
    reader = graphql(router, IMPORT, {"input": input}, token=ISSUER.token("herpetology/read-only"))["data"][
        "importSequences"]
    assert anonymous["errors"][0]["code"] == "UNAUTHENTICATED"
    assert reader["errors"][0]["code"] == "FORBIDDEN"
    assert await table_counts(db) == before


def test_fasta_rejections_are_listed(router: str) -> None:
    body = graphql(router, IMPORT, {"input": {"group": "herpetology", "format": "FASTA", "filename": "x.fasta",
                                              "content": ">GOOD1.1 ok\nACGT\n>BAD1.1 protein\nMKELQ\n"}})
    result = body["data"]["importSequences"]
    assert result["imported"] == ["GOOD1.1"]
    assert result["rejected"] == [{"file": "x.fasta", "record": "2 (BAD1.1)",
                                   "reason": "The sequence has characters that are not IUPAC nucleotide codes: ELQ."}]
