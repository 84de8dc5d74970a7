"""Documents, typed errors, a server without introspection, FASTA downloads and media uploads, through the router."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from Bio import SeqIO
from dina_graph_client import AuthenticationError, Client, PermissionDenied, QueryError, UserError
from dina_graph_client.uploads import sha256

from subgraphs.core.runtime.settings import Settings

from ..conftest import ISSUER, REPO, running_router
from .conftest import GROUP, SAMPLE, admin_token

PHOTO = REPO / "subgraphs" / "exchange" / "demo_data" / "gecko-foot-malaysia.jpg"
REQUEST_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def client(router: str, seeded: dict[str, str]) -> Client:
    return Client(router, token=admin_token(), progress=False)


def test_query_returns_data_and_checks_the_document_first(client: Client, seeded: dict[str, str]) -> None:
    data = client.query("query($id: ID!) { materialSample(id: $id) { materialSampleName } }", {"id": seeded["TRI-1"]})
    assert data == {"materialSample": {"materialSampleName": "TRI-1"}}
    with pytest.raises(QueryError) as refused:
        client.query("{ materialSamples { edges { node { colour } } } }")
    assert refused.value.code == "GRAPHQL_VALIDATION_FAILED" and "colour" in refused.value.message
    assert refused.value.request_id is None  # refused here, never sent


def test_server_errors_are_typed_with_code_field_and_request_id(router: str, client: Client) -> None:
    with pytest.raises(AuthenticationError) as unauthenticated:
        Client(router, token="not-a-token", progress=False).query("{ materialSamples { totalCount } }")
    assert unauthenticated.value.code == "UNAUTHENTICATED" and REQUEST_ID.fullmatch(unauthenticated.value.request_id)

    with pytest.raises(UserError) as refused:
        client.mutate(SAMPLE, group=GROUP, materialSampleName="x" * 1000)
    assert (refused.value.code, refused.value.field) == ("BAD_USER_INPUT", "materialSampleName")
    assert REQUEST_ID.fullmatch(refused.value.request_id)

    reader = Client(router, token=ISSUER.token(f"{GROUP}/read-only"), progress=False)
    with pytest.raises(PermissionDenied) as forbidden:
        reader.mutate(SAMPLE, group=GROUP, materialSampleName="NOT-ALLOWED")
    assert forbidden.value.code == "FORBIDDEN"


def test_without_introspection_filters_go_unchecked_to_the_server(subgraphs, seeded: dict[str, str]) -> None:
    with running_router(subgraphs, Settings(dev=False)) as production:
        client = Client(production, token=admin_token(), progress=False)
        with pytest.warns(UserWarning, match="refused introspection"):
            frame = client.samples(group=GROUP, country="SE", event_date__gte="2010")
        assert list(frame["catalogNumber"]) == ["TRI-1"]
        with pytest.raises(QueryError) as refused:  # the server's own validation, with its request id
            client.samples(colour="red")
        assert refused.value.code == "GRAPHQL_VALIDATION_FAILED" and REQUEST_ID.fullmatch(refused.value.request_id)

        checked = Client(production, token=admin_token(), progress=False,
                         schema=(REPO / "federation" / "supergraph.graphql").read_text())
        with pytest.raises(QueryError) as local:
            checked.samples(colour="red")
        assert local.value.field == "colour" and local.value.request_id is None
        assert list(checked.samples(group=GROUP, country="NO")["catalogNumber"]) == ["TRI-2"]


def test_download_fasta_of_a_filter(client: Client, tmp_path: Path) -> None:
    path = tmp_path / "triturus.fasta"
    client.page_size = 2
    assert client.download_fasta(path, group=GROUP, scientific_name__contains="Triturus") == 3
    records = list(SeqIO.parse(path, "fasta"))
    assert sorted(r.id.split(".")[0] for r in records) == ["CLT0001", "CLT0002", "CLT0003"]
    assert {str(r.seq) for r in records} == {"ACGTTGCA" * 10}


def test_upload_media_checks_the_file_and_attaches_it(client: Client, seeded: dict[str, str], tmp_path: Path) -> None:
    media = client.upload_media(PHOTO, group=GROUP, subject=seeded["LIS-1"], caption="Gecko foot",
                                license="https://creativecommons.org/licenses/by/4.0/")
    assert media["sha256"] == sha256(PHOTO) and media["dcFormat"] == "image/jpeg"
    (row,) = client.samples(group=GROUP, catalog_number="LIS-1", fields=["catalogNumber", "associatedMedia"]).to_dict("records")
    assert row["associatedMedia"] == media["id"]

    fake = tmp_path / "not-a-photo.jpg"
    fake.write_bytes(b"plain text, not a JPEG" * 100)
    with pytest.raises(UserError) as refused:
        client.upload_media(fake, group=GROUP)
    assert refused.value.code in {"NOT_AN_IMAGE", "CONTENT_TYPE_MISMATCH"}
