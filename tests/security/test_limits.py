"""Query limits on the normalized operation: bombs that used to hold a subgraph for seconds (or
exhaust its memory) are refused with a typed code before validation; valid fragment use passes."""

from __future__ import annotations

import dataclasses

import pytest
from graphql import parse

from subgraphs.core.runtime.settings import Settings
from subgraphs.core.security.limits import Limits, refusal
from subgraphs.registry import SCHEMAS

from ..conftest import SubgraphServer, graphql

SAMPLES = "{ materialSamples(first: 5) { edges { node { %s } } } }"


def fragment_bomb(levels: int = 3, spreads: int = 400) -> str:
    """Each fragment spreads the next one ``spreads`` times: ~4 KB that expands to 400³ selections."""
    fragments = ["fragment F0 on MaterialSample { id }"]
    for level in range(1, levels):
        fragments.append(f"fragment F{level} on MaterialSample {{ {f' ...F{level - 1}' * spreads} }}")
    return SAMPLES % f"...F{levels - 1}" + "\n" + "\n".join(fragments)


def tripling(levels: int = 20) -> str:
    """Each fragment selects the next one three times (through the same field, so they merge): under
    1 KB, but expanding per path is 3 ** levels."""
    fragments = [f"fragment F{levels} on MaterialSample {{ id }}"]
    for level in range(levels):
        inner = f"parentMaterialSample {{ ...F{level + 1} }}"
        fragments.append(f"fragment F{level} on MaterialSample {{ {inner} {inner} {inner} }}")
    return SAMPLES % "...F0" + "\n" + "\n".join(fragments)


def nots(levels: int) -> dict:
    condition: dict = {"barcode": {"eq": "x"}}
    for _ in range(levels):
        condition = {"not": condition}
    return condition


OR_FILTER = "query($f: MaterialSampleFilter) { materialSamples(first: 1, filter: $f) { totalCount } }"


BOMBS = [
    ("fragment bomb 3x400", fragment_bomb(), {}, "QUERY_TOO_LARGE"),
    ("x3 per level, 20 levels", tripling(), {}, "QUERY_TOO_LARGE"),
    ("4,000 repeated id", SAMPLES % ("id " * 4000), {}, "QUERY_TOO_LARGE"),
    ("20,000-term or filter", OR_FILTER, {"f": {"or": [{"barcode": {"eq": str(i)}} for i in range(20_000)]}},
     "FILTER_TOO_LARGE"),
    ("filter nested 40 deep", OR_FILTER, {"f": nots(40)}, "FILTER_TOO_LARGE"),
    ("variables nested 500 deep", OR_FILTER, {"f": nots(500)}, "QUERY_TOO_DEEP"),
    ("brackets nested 3,000 deep", "{ materialSamples(filter: " + "[" * 3000 + "]" * 3000 + ") { totalCount } }",
     {}, "QUERY_TOO_DEEP"),
    ("60,000-word search", "query($s: String) { materialSamples(filter: {search: $s}) { totalCount } }",
     {"s": "word " * 60_000}, "FILTER_TOO_LARGE"),
    ("31 aliases in a fragment spread twice", "{ ...Q ...Q } fragment Q on Query { "
     + " ".join(f"a{i}: __typename" for i in range(16)) + " }", {}, "TOO_MANY_ALIASES"),
    ("fragment cycle", SAMPLES % "...A" + " fragment A on MaterialSample { ...B } "
     "fragment B on MaterialSample { ...A }", {}, "GRAPHQL_VALIDATION_FAILED"),
]


@pytest.mark.parametrize(("name", "query", "variables", "code"), BOMBS, ids=[b[0] for b in BOMBS])
def test_bombs_are_refused_with_a_code(subgraphs: SubgraphServer, name: str, query: str, variables: dict,
                                       code: str) -> None:
    # Before: the ×3 query held the process for seconds per level, the 4,000 ids 6.8 s (graphql's
    # overlap check is quadratic), the or filter 11 s, deep literals and variables a RecursionError (500).
    body = graphql(subgraphs.url("collection"), query, variables)

    assert [e["extensions"]["code"] for e in body["errors"]] == [code], body
    assert "data" not in body or body["data"] is None


LIMITS = Limits.of(Settings(max_depth=4))
SCHEMA = SCHEMAS["collection"]._schema
DEPTH_4 = """
query { materialSamples(first: 2) { edges { node { ...Sample } } } }
fragment Sample on MaterialSample { id ...Parent }
fragment Parent on MaterialSample { parentMaterialSample { ...Name } }
fragment Name on MaterialSample { materialSampleName }
"""


def test_a_fragment_spread_is_not_a_level() -> None:
    # materialSamples > edges > node > parentMaterialSample > materialSampleName: depth 4, spreads or not.
    assert refusal(SCHEMA, parse(DEPTH_4), None, {}, LIMITS) is None
    deeper = DEPTH_4.replace("{ materialSampleName }", "{ parentMaterialSample { id } }")
    error = refusal(SCHEMA, parse(deeper), None, {}, LIMITS)
    assert error is not None and error.code == "QUERY_TOO_DEEP"


def test_fields_merge_before_counting() -> None:
    repeated = "query { materialSamples(first: 2) { edges { node { ...A ...A ...A id id } } } }" \
               " fragment A on MaterialSample { id materialSampleName }"
    few = dataclasses.replace(LIMITS, max_fields=6)  # materialSamples edges node id materialSampleName: 5
    assert refusal(SCHEMA, parse(repeated), None, {}, few) is None
    assert refusal(SCHEMA, parse(repeated), None, {}, dataclasses.replace(few, max_fields=4)).code == "QUERY_TOO_LARGE"


def test_cost_reads_page_sizes_through_fragments() -> None:
    query = "query($n: Int) { materialSamples(first: $n) { edges { node { ...C } } } }" \
            " fragment C on MaterialSample { children { id } }"
    cheap = dataclasses.replace(LIMITS, max_cost=1000)
    assert refusal(SCHEMA, parse(query), None, {"n": 10}, cheap) is None
    assert refusal(SCHEMA, parse(query), None, {"n": 1000}, cheap).code == "QUERY_TOO_COSTLY"


def test_valid_queries_with_fragments_run(subgraphs: SubgraphServer) -> None:
    body = graphql(subgraphs.url("collection"), DEPTH_4)
    assert "errors" not in body, body
    assert isinstance(body["data"]["materialSamples"]["edges"], list)
