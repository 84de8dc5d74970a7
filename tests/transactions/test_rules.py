"""Every rule of the service layer refuses with its typed error, and a refused write leaves nothing behind."""

from __future__ import annotations

import datetime as dt

import pytest

from subgraphs.core.data.db import Database

from ..conftest import SubgraphServer, graphql, table_counts
from .conftest import ITEM, LENDER, LOAN, Specimens, add_item, created, error, open_loan, write


@pytest.fixture
def url(subgraphs: SubgraphServer) -> str:
    return subgraphs.url("transactions")


async def test_a_sample_cannot_be_on_two_open_loans(db: Database, url: str, specimens: Specimens) -> None:
    first, second = open_loan(url, specimens), open_loan(url, specimens)
    item = add_item(url, first, specimens.samples[0])
    before = await table_counts(db)

    refused = write(url, "createTransactionItem", "transactionItem { id }", transactionId=second["id"],
                    materialSampleId=specimens.samples[0])
    assert error(refused) == ("SAMPLE_ON_LOAN", "materialSampleId")
    assert first["transactionNumber"] in refused["errors"][0]["message"]
    assert await table_counts(db) == before
    again = write(url, "createTransactionItem", "transactionItem { id }", transactionId=first["id"],
                  materialSampleId=specimens.samples[0])
    assert error(again) == ("SAMPLE_ON_LOAN", "materialSampleId")

    write(url, "returnItems", "transaction { id }", transactionId=first["id"],
          returns=[{"itemId": item["id"], "version": item["version"]}])
    assert add_item(url, second, specimens.samples[0])["quantityOutstanding"] == 1


async def test_a_return_cannot_exceed_what_was_lent(db: Database, url: str, specimens: Specimens) -> None:
    loan = open_loan(url, specimens)
    lot, single = add_item(url, loan, specimens.samples[0], quantity=3), add_item(url, loan, specimens.samples[1])
    before = await table_counts(db)

    refused = write(url, "returnItems", "transaction { id }", transactionId=loan["id"], returns=[
        {"itemId": single["id"], "version": single["version"]},
        {"itemId": lot["id"], "version": lot["version"], "quantity": 4}])
    assert refused["transaction"] is None
    assert refused["errors"] == [{"code": "RETURN_EXCEEDS_LENT", "field": "returns.1.quantity",
                                  "message": "Only 3 of 3 part(s) are still out; 4 cannot come back."}]
    assert await table_counts(db) == before  # the good return of the same request was not kept either

    write(url, "returnItems", "transaction { id }", transactionId=loan["id"],
          returns=[{"itemId": lot["id"], "version": lot["version"], "quantity": 2}])
    again = write(url, "returnItems", "transaction { id }", transactionId=loan["id"],
                  returns=[{"itemId": lot["id"], "version": lot["version"] + 1, "quantity": 2}])
    assert error(again) == ("RETURN_EXCEEDS_LENT", "returns.0.quantity")
    fewer = write(url, "updateTransactionItem", "transactionItem { id }", id=lot["id"], version=lot["version"] + 1,
                  quantity=1)
    assert error(fewer) == ("INVALID_QUANTITY", "quantity")
    gift = created(url, "Transaction", LOAN, group=LENDER, transactionType="GIFT", materialDirection="OUT")
    assert error(write(url, "returnAllItems", "transaction { id }", transactionId=gift["id"])) == (
        "NOT_RETURNABLE", "transactionId")


def test_a_closed_transaction_is_read_only_until_reopened(url: str, specimens: Specimens) -> None:
    loan = open_loan(url, specimens)
    item = add_item(url, loan, specimens.samples[0])
    write(url, "returnAllItems", "transaction { id }", transactionId=loan["id"])
    closed = write(url, "updateTransaction", f"transaction {{ {LOAN} }}", id=loan["id"], version=loan["version"],
                   status="CLOSED")["transaction"]
    assert closed["closedDate"] == dt.datetime.now(dt.UTC).date().isoformat()

    for field, input in [
        ("updateTransaction", {"id": loan["id"], "version": closed["version"], "remarks": "late note"}),
        ("createTransactionItem", {"transactionId": loan["id"], "description": "one more jar"}),
        ("updateTransactionItem", {"id": item["id"], "version": item["version"] + 1, "remarks": "x"}),
        ("deleteTransactionItem", {"id": item["id"], "version": item["version"] + 1}),
        ("createShipment", {"transactionId": loan["id"], "trackingNumber": "RR123"}),
        ("createPermit", {"transactionId": loan["id"], "permitNumber": "P-1"}),
        ("returnAllItems", {"transactionId": loan["id"]}),
        ("deleteTransaction", {"id": loan["id"], "version": closed["version"]}),
    ]:
        entity = "transaction" if field in ("updateTransaction", "returnAllItems", "deleteTransaction") else \
            field.removeprefix("create").removeprefix("update").removeprefix("delete")
        refused = write(url, field, f"{entity[0].lower() + entity[1:]} {{ id }}", **input)
        assert refused["errors"][0]["code"] == "TRANSACTION_CLOSED", (field, refused)

    reopened = write(url, "updateTransaction", f"transaction {{ {LOAN} }}", id=loan["id"],
                     version=closed["version"], status="OPEN")["transaction"]
    assert (reopened["status"], reopened["closedDate"]) == ("OPEN", None)
    assert write(url, "updateTransaction", "transaction { remarks }", id=loan["id"], version=reopened["version"],
                 remarks="late note") == {"transaction": {"remarks": "late note"}, "errors": []}


def test_deleting_a_transaction_needs_its_items_removed_first(url: str, specimens: Specimens) -> None:
    loan = open_loan(url, specimens)
    item = add_item(url, loan, specimens.samples[0])
    refused = write(url, "deleteTransaction", "transaction { id }", id=loan["id"], version=loan["version"])
    assert error(refused) == ("HAS_DEPENDANTS", "id") and "items" in refused["errors"][0]["message"]

    removed = write(url, "deleteTransactionItem", "transactionItem { id }", id=item["id"], version=item["version"])
    assert removed["errors"] == []
    assert write(url, "deleteTransaction", "transaction { id }", id=loan["id"], version=loan["version"])["errors"] == []
    assert graphql(url, "query($id: ID!) { transaction(id: $id) { id } }", {"id": loan["id"]})["data"] == {
        "transaction": None}


def test_overdue_is_computed_and_filterable(url: str, specimens: Specimens) -> None:
    late = open_loan(url, specimens, openedDate="2025-01-10", dueDate="2025-04-01")
    assert late["status"] == "OPEN"  # nothing lent yet: nothing overdue
    add_item(url, late, specimens.samples[0])
    on_time = open_loan(url, specimens, openedDate="2025-01-10", dueDate="2099-04-01")
    add_item(url, on_time, specimens.samples[1])
    query = """query($status: TransactionStatus!, $samples: [ID!]) {
      transactions(filter: {status: {eq: $status}, materialSample: {in: $samples}}) {
        edges { node { transactionNumber status } } } }"""

    def numbers(status: str) -> list[tuple[str, str]]:
        body = graphql(url, query, {"status": status, "samples": specimens.samples})
        return [(e["node"]["transactionNumber"], e["node"]["status"]) for e in body["data"]["transactions"]["edges"]]

    assert numbers("OVERDUE") == [(late["transactionNumber"], "OVERDUE")]
    assert numbers("OPEN") == [(on_time["transactionNumber"], "OPEN")]
    write(url, "returnAllItems", "transaction { id }", transactionId=late["id"], returnedDate="2025-05-02")
    assert numbers("OVERDUE") == []
    assert numbers("OPEN") == [(late["transactionNumber"], "OPEN"), (on_time["transactionNumber"], "OPEN")]


def test_numbers_are_generated_per_collection_and_unique(url: str, specimens: Specimens, subgraphs: SubgraphServer) -> None:
    herp, other = (created(subgraphs.url("collection"), "Collection", group=LENDER, name=name,
                           code=name + specimens.names[0][-8:]) for name in ("Herps", "Fish"))
    fields = {"group": LENDER, "transactionType": "LOAN", "collectionId": herp["id"], "openedDate": "2026-03-01"}
    first = created(url, "Transaction", LOAN, **fields)
    second = created(url, "Transaction", LOAN, **fields)
    assert [first["transactionNumber"], second["transactionNumber"]] == ["L-2026-0001", "L-2026-0002"]
    custom = created(url, "Transaction", LOAN, numberPattern="HERP/{seq:03}/{year}", **fields)
    assert custom["transactionNumber"] == "HERP/001/2026"
    accession = created(url, "Transaction", "transactionNumber materialDirection",
                        **fields | {"transactionType": "ACCESSION"})
    assert accession == {"transactionNumber": "A-2026-0001", "materialDirection": "IN"}

    taken = write(url, "createTransaction", "transaction { id }", transactionNumber="L-2026-0002", **fields)
    assert error(taken) == ("DUPLICATE_NUMBER", "transactionNumber")
    elsewhere = created(url, "Transaction", LOAN, transactionNumber="L-2026-0002", **fields | {"collectionId": other["id"]})
    assert elsewhere["transactionNumber"] == "L-2026-0002"  # another collection's numbers
    by_hand = created(url, "Transaction", LOAN, transactionNumber="L-2026-0003", **fields)
    assert created(url, "Transaction", LOAN, **fields)["transactionNumber"] == "L-2026-0004"  # 0003 skipped
    assert by_hand["transactionNumber"] == "L-2026-0003"
    bad = write(url, "createTransaction", "transaction { id }", numberPattern="L-{seq.__class__}", **fields)
    assert error(bad) == ("INVALID_NUMBER_PATTERN", "numberPattern")


@pytest.mark.parametrize(("input", "code", "field"), [
    ({"transactionType": "GIFT"}, "INVALID_DIRECTION", "materialDirection"),
    ({"transactionType": "LOAN", "materialDirection": "IN"}, "INVALID_DIRECTION", "materialDirection"),
    ({"transactionType": "LOAN", "openedDate": "2026-05-01", "dueDate": "2026-04-01"}, "INVALID_DATES", "dueDate"),
    ({"transactionType": "LOAN", "transactionNumber": "  "}, "BAD_USER_INPUT", "transactionNumber"),
    ({"transactionType": "LOAN", "counterpartyName": "x" * 501}, "BAD_USER_INPUT", "counterpartyName"),
    ({"transactionType": "LOAN", "agentRoles": [{"role": "SHIPPER", "agentId": "Ana"}]}, "INVALID_ID",
     "agentRoles.0.agentId"),
])
async def test_bad_transactions_are_refused_whole(db: Database, url: str, input: dict, code: str, field: str) -> None:
    before = await table_counts(db)
    refused = write(url, "createTransaction", "transaction { id }", group=LENDER, **input)
    assert (refused["transaction"], error(refused)) == (None, (code, field))
    assert await table_counts(db) == before


@pytest.mark.parametrize(("input", "code", "field"), [
    ({}, "BAD_USER_INPUT", "materialSampleId"),
    ({"description": "jar of 40 tadpoles", "quantity": 0}, "INVALID_QUANTITY", "quantity"),
    ({"materialSampleId": "not-a-uuid"}, "INVALID_ID", "materialSampleId"),
])
def test_bad_items_are_refused(url: str, specimens: Specimens, input: dict, code: str, field: str) -> None:
    loan = open_loan(url, specimens)
    assert error(write(url, "createTransactionItem", "transactionItem { id }", transactionId=loan["id"], **input)) == (
        code, field)


def test_shipments_and_permits_check_their_values(url: str, specimens: Specimens) -> None:
    accession = created(url, "Transaction", LOAN, group=LENDER, transactionType="ACCESSION")
    shipment = write(url, "createShipment", "shipment { id }", transactionId=accession["id"],
                     shippedDate="2026-05-02", receivedDate="2026-05-01")
    assert error(shipment) == ("INVALID_DATES", "receivedDate")
    assert error(write(url, "createShipment", "shipment { id }", transactionId=accession["id"],
                       insuredValueCurrency="euro")) == ("BAD_USER_INPUT", "insuredValueCurrency")
    assert error(write(url, "createShipment", "shipment { id }", transactionId=accession["id"],
                       numberOfPackages=0)) == ("INVALID_QUANTITY", "numberOfPackages")
    permit = created(url, "Permit", "permitNumber permitType scan { id }", transactionId=accession["id"],
                     permitNumber="ABS-2026-17", permitType="Nagoya ABS agreement", issuer="Ministry of Environment",
                     issuedDate="2026-01-01", expiryDate="2027-01-01", scanMediaId=specimens.samples[0])
    assert permit == {"permitNumber": "ABS-2026-17", "permitType": "Nagoya ABS agreement",
                      "scan": {"id": specimens.samples[0]}}
    expired = write(url, "createPermit", "permit { id }", transactionId=accession["id"], permitNumber="X",
                    issuedDate="2026-01-01", expiryDate="2025-01-01")
    assert error(expired) == ("INVALID_DATES", "expiryDate")
    items = graphql(url, "query($id: ID!) { transaction(id: $id) { permits { permitNumber } shipments { id } "
                         f"items {{ {ITEM} }} }} }}", {"id": accession["id"]})
    assert items["data"]["transaction"] == {"permits": [{"permitNumber": "ABS-2026-17"}], "shipments": [], "items": []}


def test_null_for_a_required_field_keeps_it(url: str, specimens: Specimens) -> None:
    loan = open_loan(url, specimens, openedDate="2026-02-01", transactionNumber=None, status=None)
    assert loan["transactionNumber"].startswith("L-2026-") and loan["status"] == "OPEN"
    kept = write(url, "updateTransaction", "transaction { transactionNumber status openedDate materialDirection }",
                 id=loan["id"], version=loan["version"], transactionNumber=None, status=None, openedDate=None,
                 materialDirection=None)
    assert kept == {"transaction": {"transactionNumber": loan["transactionNumber"], "status": "OPEN",
                                    "openedDate": "2026-02-01", "materialDirection": "OUT"}, "errors": []}
