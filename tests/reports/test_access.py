"""A label never shows what its requester may not read: the render reads through the router with their token."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from subgraphs.core.data.db import Database
from subgraphs.core.runtime.settings import Settings

from ..conftest import ISSUER, SubgraphServer, free_port, running_router
from .conftest import decode_barcodes, download, page_texts, render_labels, seed_specimens


@pytest.fixture(scope="module")
def production(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Subgraphs and router as deployed: no dev mode; only the built-in templates are public."""
    port = free_port()
    settings = ISSUER.settings(dev=False, public_groups="builtin", subgraph_port=port,
                               data_dir=tmp_path_factory.mktemp("production"))
    with SubgraphServer(database_url, port, settings) as server, \
            running_router(server, Settings(dev=False)) as router:
        server.settings.graph_url = router
        yield router


async def test_a_sample_the_requester_may_not_read_is_reported_not_printed(production: str, db: Database,
                                                                           builtins: None) -> None:
    (own,) = await seed_specimens(db, 1, "OWN", group="herpetology")
    (other,) = await seed_specimens(db, 1, "BOTANY", group="botany")
    token = ISSUER.token("herpetology/user")
    payload = render_labels(production, token=token, template="specimen-qr", ids=[own.id, other.id])
    assert payload["errors"] == [] and payload["pdf"]["unreadable"] == [other.id]
    pdf = download(payload)
    assert [c.text for c in decode_barcodes(pdf)] == [f"urn:uuid:{own.id}"]
    text = " ".join(page_texts(pdf))
    assert "OWN-0000" in text and "BOTANY" not in text
    # The same request by someone who may read both prints both.
    both = render_labels(production, token=ISSUER.token("herpetology/user", "botany/read-only"),
                         template="specimen-qr", ids=[own.id, other.id])
    assert both["pdf"]["unreadable"] == [] and both["pdf"]["labelCount"] == 2
