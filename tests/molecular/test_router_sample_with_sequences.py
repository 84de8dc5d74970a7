"""One request through the router: a sample with its sequences and their regions, its collectors and photos."""

from __future__ import annotations

from pathlib import Path

from subgraphs.core.data.db import Database
from subgraphs.core.storage.storage import object_store
from subgraphs.exchange.sequences import import_files
from subgraphs.media.service import ingest

from ..conftest import SubgraphServer, graphql, mutate, truncate_all
from .test_genbank_import import BARCODE

PHOTO = BARCODE.parent.parent / "media" / "gecko-foot-malaysia.jpg"
if not PHOTO.is_file():
    PHOTO = Path(__file__).resolve().parents[2] / "subgraphs" / "exchange" / "demo_data" / "gecko-foot-malaysia.jpg"


async def test_sample_sequences_regions_collectors_photos(db: Database, subgraphs: SubgraphServer, router: str) -> None:
    await truncate_all(db)
    await import_files(db, "genbank", [BARCODE], group="herpetology", actor="test")
    async with db.unit_of_work() as session:
        photo = await ingest(session, object_store(subgraphs.settings), PHOTO.read_bytes(), actor="test",
                             group="herpetology", filename=PHOTO.name, media_type="image/jpeg", caption="Habitus")
    sample = graphql(router, '{ materialSamples(filter: {catalogNumber: {eq: "RuHF-TBB-01-4"}}) '
                     "{ edges { node { id version } } } }")["data"]["materialSamples"]["edges"][0]["node"]
    mutate(router, """mutation($input: UpdateMaterialSampleInput!) { updateMaterialSample(input: $input) {
      materialSample { id } errors { code message field } } }""", id=sample["id"], version=sample["version"],
           attachmentIds=[str(photo.id)])

    body = graphql(router, """query($id: ID!) { materialSample(id: $id) {
      materialSampleName collectors { displayName }
      sequences { accession length region { name } }
      attachments { caption dcFormat thumbnailUrl } } }""", {"id": sample["id"]})

    assert "errors" not in body, body
    node = body["data"]["materialSample"]
    assert node["materialSampleName"] == "RuHF-TBB-01-4"
    assert node["collectors"] == [{"displayName": "Rafael Fonoll"}]
    assert node["sequences"] == [{"accession": "EF525953", "length": 146, "region": {"name": "COI"}}]
    (attachment,) = node["attachments"]
    assert attachment["caption"] == "Habitus" and attachment["dcFormat"] == "image/jpeg"
    assert "/derivatives/" in attachment["thumbnailUrl"]
