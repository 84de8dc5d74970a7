"""The router's `_entities` calls for samples and people cost one statement per field, however many."""

from __future__ import annotations

from ..conftest import SubgraphServer, graphql
from .conftest import Specimens, add_item, open_loan

SAMPLES = "query($r: [_Any!]!) { _entities(representations: $r) { ... on MaterialSample { id onLoan " \
          "loanHistory { quantity transaction { transactionNumber } } } } }"


def test_samples_on_loan_are_one_statement_per_field(subgraphs: SubgraphServer, specimens: Specimens) -> None:
    url = subgraphs.url("transactions")
    loan = open_loan(url, specimens)
    add_item(url, loan, specimens.samples[0], quantity=2)
    unknown = "01a23408-0000-7000-8000-000000000000"
    representations = [{"__typename": "MaterialSample", "id": i} for i in [*specimens.samples, unknown]]

    before = subgraphs.statements
    body = graphql(url, SAMPLES, {"r": representations})

    assert body["data"]["_entities"] == [
        {"id": specimens.samples[0], "onLoan": True,
         "loanHistory": [{"quantity": 2, "transaction": {"transactionNumber": loan["transactionNumber"]}}]},
        *({"id": i, "onLoan": False, "loanHistory": []} for i in [*specimens.samples[1:], unknown]),
    ]
    assert subgraphs.statements - before == 3  # on-loan items, loan history, their transactions


def test_people_list_their_transactions(subgraphs: SubgraphServer, specimens: Specimens) -> None:
    url = subgraphs.url("transactions")
    loan = open_loan(url, specimens)
    query = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { transactions { " \
            "transactionNumber agentRoles { role agent { id } } } } } }"
    body = graphql(url, query, {"r": [{"__typename": "Person", "id": specimens.curator}]})
    assert body["data"]["_entities"] == [{"transactions": [{"transactionNumber": loan["transactionNumber"],
                                                            "agentRoles": [
        {"role": "BORROWER", "agent": {"id": specimens.borrower}},
        {"role": "AUTHORIZER", "agent": {"id": specimens.curator}}]}]}]
