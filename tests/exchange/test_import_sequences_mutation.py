"""importSequences: a small GenBank or FASTA file through the router, with the caller's rights."""

from __future__ import annotations

import pytest

from subgraphs.core.data.db import Database

from ..conftest import ISSUER, SubgraphServer, graphql, table_counts, truncate_all
from ..molecular.test_genbank_import import BARCODE

PROTEIN_REFUSAL = ("a protein sequence (amino acids ELQ): only nucleotide sequences are imported, "
                   "protein records are refused")

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
                                   "reason": PROTEIN_REFUSAL}]


async def test_a_nul_character_is_a_typed_error_or_a_rejected_record(db: Database, subgraphs: SubgraphServer) -> None:
    # Before: a NUL in the filename (embedded null byte) or in an accession (a query parameter PostgreSQL
    # refuses) failed the whole mutation as an "Unexpected error".
    url, nul = subgraphs.url("molecular"), "\x00"
    before = await table_counts(db)
    named = graphql(url, IMPORT, {"input": {"group": "herpetology", "format": "FASTA", "filename": f"x{nul}.fasta",
                                            "content": ">NUL1.1 ok\nACGT\n"}})["data"]["importSequences"]
    assert named["errors"] == [{"code": "BAD_USER_INPUT",
                                "message": "filename contains a NUL character (\\u0000), which cannot be stored."}]
    assert await table_counts(db) == before
    body = graphql(url, IMPORT, {"input": {"group": "herpetology", "format": "FASTA", "filename": "x.fasta", "content":
                                           f">NU{nul}L2.1 a\nACGT\n>NUL3.1 b{nul}\nACGT\n>NUL4.1 fine\nACGT\n"}})
    result = body["data"]["importSequences"]
    assert result["imported"] == ["NUL4.1"] and result["errors"] == []
    assert result["rejected"] == [
        {"file": "x.fasta", "record": f"NU{nul}L2.1",
         "reason": "accession contains a NUL character (\\u0000), which cannot be stored."},
        {"file": "x.fasta", "record": "NUL3.1",
         "reason": "definition contains a NUL character (\\u0000), which cannot be stored."}]


IMPORT_FIELDS = """mutation($input: ImportSequencesInput!) { importSequences(input: $input) {
  imported rejected { file record reason } errors { code message field } } }"""


@pytest.mark.parametrize("filename", ["..", ".", "a/b/x.fasta", "../../etc/x.fasta", "dir\\x.fasta", "/x.fasta",
                                      "é" * 200 + ".fasta", "x" * 300, "x.gb"])
def test_the_filename_is_only_a_display_name(subgraphs: SubgraphServer, filename: str) -> None:
    # Before: the text was written to a temporary file named after `filename`: ".." or a name over 255 bytes
    # failed to be written (an "Unexpected error"); a name with a separator was cut to its last part.
    # The format comes from `format` (a FASTA text named "x.gb" is read as FASTA).
    body = graphql(subgraphs.url("molecular"), IMPORT_FIELDS, {"input": {
        "group": "herpetology", "format": "FASTA", "filename": filename,
        "content": ">NAME1.1 ok\nACGT\n>NAME2.1 protein\nMKELQ\n"}})
    assert "errors" not in body, body
    result = body["data"]["importSequences"]
    assert result["errors"] == []
    assert result["rejected"] == [{"file": filename, "record": "2 (NAME2.1)",
                                   "reason": PROTEIN_REFUSAL}]


@pytest.mark.parametrize(("filename", "message"), [
    ("", "filename is empty: name the file (it is shown in the import's report)."),
    ("   ", "filename is empty: name the file (it is shown in the import's report)."),
    ("x" * 501 + ".fasta", "filename is longer than 500 characters."),
])
async def test_an_empty_or_overlong_filename_is_a_typed_error(db: Database, subgraphs: SubgraphServer, filename: str,
                                                               message: str) -> None:
    # Before: "" named the temporary directory itself, which cannot be written as a file: "Unexpected error";
    # so did a name over 255 bytes. Now a display name, it is still bounded: it is repeated in every rejection.
    before = await table_counts(db)
    body = graphql(subgraphs.url("molecular"), IMPORT_FIELDS, {"input": {
        "group": "herpetology", "format": "FASTA", "filename": filename, "content": ">EMPTY1.1 ok\nACGT\n"}})
    assert body["data"]["importSequences"] == {"imported": [], "rejected": [], "errors": [
        {"code": "BAD_USER_INPUT", "field": "filename", "message": message}]}
    assert await table_counts(db) == before



def test_the_format_comes_from_format_not_the_filename(subgraphs: SubgraphServer) -> None:
    body = graphql(subgraphs.url("molecular"), IMPORT_FIELDS, {"input": {
        "group": "herpetology", "format": "GENBANK", "filename": "../barcode.fasta", "content": BARCODE.read_text()}})
    result = body["data"]["importSequences"]
    assert result["errors"] == [] and result["rejected"] == []
    assert result["imported"] in (["EF525953.1"], [])  # [] when an earlier test imported it already
