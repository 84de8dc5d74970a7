"""docs/specify.md's examples, run through the router against the stand-in: each GraphQL block gets
the JSON block after it, and the first example costs the Specify requests the text block lists."""

from __future__ import annotations

import json
import re

from subgraphs.core.data.db import Database

from ..conftest import REPO, graphql
from ..seed import seed_samples
from .standin import SpecifyStandIn

BLOCK = re.compile(r"```(graphql|json|text)\n(.*?)```", re.S)


def examples() -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in BLOCK.finditer((REPO / "docs" / "specify.md").read_text())]


async def test_the_examples_answer_as_documented(clean_db: Database, broker_router: str,
                                                 standin: SpecifyStandIn) -> None:
    await seed_samples(clean_db, 2)
    graphql(broker_router, "{ specifyCollectionObjects(first: 1) { totalCount } }")  # logged in, as the doc says
    blocks = examples()
    ran = 0
    for index, (kind, text) in enumerate(blocks):
        if kind != "graphql":
            continue
        before = len(standin.requests)
        body = graphql(broker_router, text)
        assert body == json.loads(blocks[index + 1][1]), text
        if index + 2 < len(blocks) and blocks[index + 2][0] == "text":
            assert sorted(standin.api_requests(before)) == sorted(blocks[index + 2][1].split("\n")[:-1])
        ran += 1
    assert ran == 3
