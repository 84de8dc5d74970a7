"""The whole lending cycle through the real router, and the overdue-loans query across three subgraphs."""

from __future__ import annotations

from ..conftest import SubgraphServer, graphql
from .conftest import ITEM, LENDER, LOAN, Specimens, add_item, created, open_loan, write

SAMPLE_LOANS = """
query($ids: [ID!]) { materialSamples(filter: {id: {in: $ids}}) { edges { node {
  materialSampleName onLoan
  loanHistory { quantity quantityReturned transaction { transactionNumber status
                                                         agentRoles(role: BORROWER) { agent { displayName } } } }
} } } }
"""

OVERDUE = """
query Overdue($first: Int, $samples: [ID!]) {
  transactions(first: $first, filter: {status: {eq: OVERDUE}, materialSample: {in: $samples}},
               orderBy: [{field: TRANSACTION_NUMBER}]) {
    edges { node {
      transactionNumber status dueDate
      agentRoles(role: BORROWER) { agent { displayName } }
      items { quantityOutstanding materialSample { materialSampleName primaryDetermination { scientificName } } }
    } }
  }
}
"""


def samples_on_loan(router: str, ids: list[str]) -> list[dict]:
    body = graphql(router, SAMPLE_LOANS, {"ids": ids})
    assert "errors" not in body, body
    return [edge["node"] for edge in body["data"]["materialSamples"]["edges"]]


def test_create_lend_ship_return_in_parts_and_close(router: str, specimens: Specimens) -> None:
    berlin = created(router, "Organization", group=LENDER, names=[{"languageCode": "de", "name": "Museum für Naturkunde"}])
    herp = created(router, "Collection", group=LENDER, name="Herpetology", code="HERP-" + specimens.names[0][-8:])
    loan = open_loan(router, specimens, openedDate="2026-11-01", dueDate="2099-06-30",
                     counterpartyOrganizationId=berlin["id"], collectionId=herp["id"])
    assert loan["status"] == "OPEN" and loan["transactionNumber"].startswith("L-")
    lot = add_item(router, loan, specimens.samples[0], quantity=3)
    single = add_item(router, loan, specimens.samples[1])
    shipment = created(router, "Shipment", "id direction trackingNumber shipper { id }", transactionId=loan["id"],
                       shippingMethod="courier", trackingNumber="1Z999AA10123456784", shippedDate="2026-11-02",
                       numberOfPackages=2, weightKg=4.5, insuredValue="1200.00", insuredValueCurrency="eur",
                       shipperId=specimens.curator)
    assert shipment["direction"] == "OUT" and shipment["shipper"] == {"id": specimens.curator}

    on_loan = samples_on_loan(router, specimens.samples)
    assert [s["onLoan"] for s in on_loan] == [True, True, False]
    assert on_loan[0]["loanHistory"] == [{"quantity": 3, "quantityReturned": 0, "transaction": {
        "transactionNumber": loan["transactionNumber"], "status": "OPEN",
        "agentRoles": [{"agent": {"displayName": specimens.borrower_name}}]}}]  # sample → loan → agent

    partial = write(router, "returnItems", f"transaction {{ {LOAN} items {{ {ITEM} }} }}", transactionId=loan["id"],
                    returnedDate="2026-11-20", returns=[{"itemId": lot["id"], "version": lot["version"], "quantity": 2,
                                                        "condition": "one label loose"}])
    assert partial["errors"] == []
    assert partial["transaction"]["itemsOutstanding"] == 2  # one part of the lot, and the single specimen
    assert [s["onLoan"] for s in samples_on_loan(router, specimens.samples)] == [True, True, False]

    early_close = write(router, "updateTransaction", "transaction { id }", id=loan["id"], version=loan["version"],
                        status="CLOSED")
    assert early_close["errors"][0]["code"] == "ITEMS_OUTSTANDING"

    full = write(router, "returnAllItems", f"transaction {{ {LOAN} items {{ {ITEM} returnCondition }} }}",
                 transactionId=loan["id"], returnedDate="2026-11-28")
    assert full["errors"] == [] and full["transaction"]["itemsOutstanding"] == 0
    assert [(i["quantityReturned"], i["returnCondition"]) for i in full["transaction"]["items"]] == [
        (3, "one label loose"), (1, None)]
    assert [s["onLoan"] for s in samples_on_loan(router, specimens.samples)] == [False, False, False]

    closed = write(router, "updateTransaction", f"transaction {{ {LOAN} }}", id=loan["id"], version=loan["version"],
                   status="CLOSED", closedDate="2026-11-29")
    assert closed["errors"] == []
    assert (closed["transaction"]["status"], closed["transaction"]["closedDate"]) == ("CLOSED", "2026-11-29")
    assert single["quantityOutstanding"] == 1

    borrower = graphql(router, "query($id: ID!) { person(id: $id) { "
                               "displayName transactions { transactionNumber status shipments { trackingNumber } } } }",
                       {"id": specimens.borrower})
    assert borrower["data"]["person"]["transactions"] == [{
        "transactionNumber": loan["transactionNumber"], "status": "CLOSED",
        "shipments": [{"trackingNumber": "1Z999AA10123456784"}]}]
    history = graphql(router, "query($id: ID!) { transaction(id: $id) { collection { code } "
                              "counterparty { displayName } history { version operation } } }", {"id": loan["id"]})
    assert history["data"]["transaction"]["collection"] == {"code": "HERP-" + specimens.names[0][-8:]}
    assert history["data"]["transaction"]["counterparty"] == {"displayName": "Museum für Naturkunde"}
    assert [h["operation"] for h in history["data"]["transaction"]["history"]] == ["create", "update"]


def test_overdue_loans_with_items_and_borrowers_in_one_request(
    router: str, subgraphs: SubgraphServer, specimens: Specimens
) -> None:
    """Open loans past due with parts out are OVERDUE; each item's catalogue number and scientific name come
    from collection, the borrower's name from agents — with the same SQL statements for 1 loan or 3."""
    loans = []
    for sample in specimens.samples:
        loan = open_loan(router, specimens, openedDate="2026-01-05", dueDate="2026-03-31")
        add_item(router, loan, sample)
        loans.append(loan)
    on_time = open_loan(router, specimens, openedDate="2026-01-05", dueDate="2099-01-01")
    assert on_time["status"] == "OPEN"

    def overdue(first: int) -> tuple[list[dict], int]:
        before = subgraphs.statements
        body = graphql(router, OVERDUE, {"first": first, "samples": specimens.samples})
        assert "errors" not in body, body
        return [e["node"] for e in body["data"]["transactions"]["edges"]], subgraphs.statements - before

    borrower = graphql(router, "query($id: ID!) { person(id: $id) { displayName } }", {"id": specimens.borrower})
    nodes, statements = overdue(10)
    assert nodes == [{
        "transactionNumber": loan["transactionNumber"], "status": "OVERDUE", "dueDate": "2026-03-31",
        "agentRoles": [{"agent": borrower["data"]["person"]}],
        "items": [{"quantityOutstanding": 1, "materialSample": {
            "materialSampleName": name, "primaryDetermination": {"scientificName": scientific}}}],
    } for loan, name, scientific in zip(loans, specimens.names, specimens.scientific_names, strict=True)]
    first, one = overdue(1)
    assert first == nodes[:1]
    # transactions page + items; samples (collection) + their determinations; borrowers (agents)
    assert one == statements == 5
