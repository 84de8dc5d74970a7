"""docs/transactions.md runs: each example, replayed in order through the real router on an empty database,
answers what the page shows (ids aside: each recorded id stands for the one this run creates)."""

from __future__ import annotations

import asyncio
import json
import re
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
    graphql,
    running_router,
)

DOC = REPO / "docs" / "transactions.md"
BLOCK = re.compile(r"```(graphql|json variables|json)\n(.*?)\n```", re.DOTALL)
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def examples(text: str) -> Iterator[tuple[str, str | None, str]]:
    """(query, variables, answer) of each example: a graphql block, maybe variables, then the answer."""
    query = variables = None
    for kind, body in BLOCK.findall(text):
        if kind == "graphql":
            query, variables = body, None
        elif kind == "json variables":
            variables = body
        else:
            assert query is not None, f"an answer without a query: {body[:80]}"
            yield query, variables, body
            query = None


def learn(ids: dict[str, str], shown: Any, got: Any) -> None:
    """Pair each id the page shows with the id in the same place of this run's answer."""
    if isinstance(shown, dict) and isinstance(got, dict):
        for key in shown.keys() & got.keys():
            learn(ids, shown[key], got[key])
    elif isinstance(shown, list) and isinstance(got, list):
        for a, b in zip(shown, got, strict=False):
            learn(ids, a, b)
    elif isinstance(shown, str) and isinstance(got, str):
        for recorded, actual in zip(UUID.findall(shown), UUID.findall(got), strict=False):
            ids.setdefault(recorded, actual)


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
    ids: dict[str, str] = {}
    ran = 0
    for query, variables, answer in examples(DOC.read_text()):
        sent = json.loads(UUID.sub(lambda m: ids[m.group()], variables)) if variables else None
        got = graphql(empty_router, query, sent)
        shown = json.loads(answer)
        learn(ids, shown, got)
        assert json.loads(UUID.sub(lambda m: ids.get(m.group(), m.group()), answer)) == got, query
        ran += 1
    assert ran >= 15
