"""docs/transactions.md runs: each example, replayed in order through the real router on an empty database,
answers what the page shows (ids aside: each recorded id stands for the one this run creates)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from subgraphs.core.runtime import migrate
from subgraphs.core.runtime.settings import Settings

from ..conftest import (
    REPO,
    SubgraphServer,
    create_database,
    drop_database,
    free_port,
    running_router,
)
from ..doc_examples import replay

DOC = REPO / "docs" / "transactions.md"


@pytest.fixture
def empty_router(tmp_path: Any) -> Iterator[str]:
    name = f"dina_docs_{uuid.uuid4().hex[:8]}"
    url = asyncio.run(create_database(name))
    try:
        migrate.upgrade(url)
        with SubgraphServer(url, free_port()) as server, running_router(server, Settings(dev=True)) as router:
            yield router
    finally:
        asyncio.run(drop_database(name))


def test_every_example_answers_as_shown(empty_router: str) -> None:
    assert replay(empty_router, DOC) >= 15
