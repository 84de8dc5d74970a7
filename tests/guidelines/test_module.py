"""The SDL as the rules read it, whichever way a federation library prints it."""

from __future__ import annotations

from subgraphs.core.runtime.federation import SUPERGRAPH
from subgraphs.guidelines.module import Module
from subgraphs.guidelines.schema_rules import check_schema
from subgraphs.guidelines.supergraph import Supergraph

# How Apollo's buildSubgraphSchema prints a subgraph: `extend schema`, and `extend type` for types it
# never defines (graphql-core alone would drop both Query and Person).
APOLLO_STYLE = '''
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external"])
extend type Query { things(first: Int, after: String, last: Int, before: String): ThingConnection! }
type Thing @key(fields: "id") { id: ID! group: String! version: Int! history: [AuditEntry!]! }
type AuditEntry { version: Int! }
type ThingEdge { node: Thing! cursor: String! }
type ThingConnection { edges: [ThingEdge!]! pageInfo: PageInfo! totalCount: Int! }
type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }
extend type Person @key(fields: "id") { id: ID! @external thingCount: Int! }
'''


def test_extended_roots_and_entities_are_read_as_defined() -> None:
    module = Module("things", APOLLO_STYLE, Supergraph.read(SUPERGRAPH))
    assert module.federation_version() == (2, 3)
    assert {entity.type.name: entity.originated for entity in module.entities()} == {"Thing": True, "Person": False}
    found = {finding.rule: str(finding.status) for finding in check_schema(module)}
    assert {rule for rule, status in found.items() if status == "fail"} == set()
    assert (found["ENTITY-KEY"], found["ENTITY-RECORD"], found["RELAY-CONNECTION"], found["LIST-PAGED"]) == ("pass",) * 4
