"""The executor's fast path answers repeated transactions queries exactly as Strawberry did, with the same SQL."""

from __future__ import annotations

import uuid

import pytest

from ..conftest import SubgraphServer, graphql
from .conftest import Specimens, add_item, open_loan, write

QUERIES = [
    """query($samples: [ID!]) { transactions(first: 5, filter: {materialSample: {in: $samples}}) { edges { node {
         transactionNumber status materialToBeReturned itemsOutstanding dueDate collection { id } counterparty { id }
         agentRoles { role agent { id } } items { quantity quantityOutstanding materialSample { id } }
         shipments { trackingNumber shipper { id } } history { version } } } } }""",
    """query($r: [_Any!]!) { _entities(representations: $r) { ... on MaterialSample { id onLoan
         loanHistory { quantityReturned transaction { transactionNumber status } } } } }""",
    """query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { transactions { status } } } }""",
]


@pytest.mark.parametrize("index", range(len(QUERIES)))
def test_second_run_is_identical(subgraphs: SubgraphServer, specimens: Specimens, index: int) -> None:
    url = subgraphs.url("transactions")
    late = open_loan(url, specimens, openedDate="2026-01-01", dueDate="2026-02-01")
    item = add_item(url, late, specimens.samples[0], quantity=2)
    write(url, "returnItems", "transaction { id }", transactionId=late["id"],
          returns=[{"itemId": item["id"], "version": item["version"], "quantity": 1}])
    add_item(url, open_loan(url, specimens), specimens.samples[1])
    variables = {"samples": specimens.samples,
                 "r": [{"__typename": "Person" if index == 2 else "MaterialSample", "id": i}
                       for i in ([specimens.borrower, specimens.curator] if index == 2 else specimens.samples)]}
    query = QUERIES[index] + f"\n# {uuid.uuid4()}"  # a new document: the first run is Strawberry's
    served = subgraphs.views["transactions"].fast.served

    before = subgraphs.statements
    first = graphql(url, query, variables)
    middle = subgraphs.statements
    second = graphql(url, query, variables)

    assert "errors" not in first, first
    assert second == first
    assert "OVERDUE" in str(first)
    assert subgraphs.views["transactions"].fast.served == served + 1
    assert subgraphs.statements - middle == middle - before
