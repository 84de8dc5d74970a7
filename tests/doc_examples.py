"""A docs page's examples replayed through the router: each graphql block (with its `json variables`) must
answer what the following json block shows, ids aside: each id the page shows stands for the one this run
created in the same place."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .conftest import graphql

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


def replay(router: str, doc: Path) -> int:
    """Run every example of ``doc`` in order, asserting each answer; how many ran."""
    ids: dict[str, str] = {}
    ran = 0
    for query, variables, answer in examples(doc.read_text()):
        sent = json.loads(UUID.sub(lambda m: ids[m.group()], variables)) if variables else None
        got = graphql(router, query, sent)
        learn(ids, json.loads(answer), got)
        assert json.loads(UUID.sub(lambda m: ids.get(m.group(), m.group()), answer)) == got, query
        ran += 1
    return ran
