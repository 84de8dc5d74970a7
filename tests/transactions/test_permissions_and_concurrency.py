"""Groups: the borrower's group cannot edit the lender's loan. Concurrency: stale versions are refused, and
two loans racing for one sample (or for the next number) cannot both win."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from ..conftest import ISSUER, SubgraphServer
from .conftest import ITEM, LENDER, LOAN, Specimens, add_item, created, error, open_loan, write

BORROWER_GROUP = "botany"


@pytest.fixture
def url(subgraphs: SubgraphServer) -> str:
    return subgraphs.url("transactions")


def test_a_borrowers_group_cannot_edit_the_lenders_loan(url: str, specimens: Specimens) -> None:
    loan = open_loan(url, specimens)
    item = add_item(url, loan, specimens.samples[0])
    borrower = ISSUER.token(f"{BORROWER_GROUP}/admin")
    lender_user = ISSUER.token(f"{LENDER}/user")
    attempts = [
        ("updateTransaction", "transaction { id }", {"id": loan["id"], "version": loan["version"], "remarks": "mine"}),
        ("createTransactionItem", "transactionItem { id }", {"transactionId": loan["id"],
                                                             "materialSampleId": specimens.samples[1]}),
        ("updateTransactionItem", "transactionItem { id }", {"id": item["id"], "version": item["version"],
                                                             "quantity": 5}),
        ("returnItems", "transaction { id }", {"transactionId": loan["id"],
                                               "returns": [{"itemId": item["id"], "version": item["version"]}]}),
        ("returnAllItems", "transaction { id }", {"transactionId": loan["id"]}),
        ("createShipment", "shipment { id }", {"transactionId": loan["id"], "trackingNumber": "RR1"}),
        ("deleteTransactionItem", "transactionItem { id }", {"id": item["id"], "version": item["version"]}),
    ]
    for field, selection, input in attempts:
        assert error(write(url, field, selection, token=borrower, **input))[0] == "FORBIDDEN", field
    moved = write(url, "createTransaction", "transaction { id }", token=borrower, group=LENDER, transactionType="LOAN")
    assert error(moved) == ("FORBIDDEN", "group")
    anonymous = write(url, "returnAllItems", "transaction { id }", token=None, transactionId=loan["id"])
    assert error(anonymous)[0] == "UNAUTHENTICATED"

    # A user of the lending group may lend and take back, but deleting needs a super-user.
    returned = write(url, "returnAllItems", f"transaction {{ {LOAN} }}", token=lender_user, transactionId=loan["id"])
    assert returned["transaction"]["itemsOutstanding"] == 0
    assert error(write(url, "deleteTransactionItem", "transactionItem { id }", token=lender_user,
                       id=item["id"], version=item["version"] + 1))[0] == "FORBIDDEN"


def test_concurrent_edits_of_one_version_conflict(url: str, specimens: Specimens) -> None:
    loan = open_loan(url, specimens)
    item = add_item(url, loan, specimens.samples[0], quantity=2)
    first = write(url, "updateTransaction", "transaction { version }", id=loan["id"], version=loan["version"],
                  remarks="packed in ethanol")
    assert first == {"transaction": {"version": loan["version"] + 1}, "errors": []}
    second = write(url, "updateTransaction", "transaction { id }", id=loan["id"], version=loan["version"],
                   dueDate="2099-01-01")
    assert error(second) == ("STALE_VERSION", "version")

    write(url, "returnItems", "transaction { id }", transactionId=loan["id"],
          returns=[{"itemId": item["id"], "version": item["version"], "quantity": 1}])
    stale = write(url, "returnItems", "transaction { id }", transactionId=loan["id"],
                  returns=[{"itemId": item["id"], "version": item["version"], "quantity": 1}])
    assert error(stale) == ("STALE_VERSION", "version")


async def _post_all(url: str, bodies: list[dict]) -> list[dict]:
    token = ISSUER.token(f"{LENDER}/admin")
    async with httpx.AsyncClient(headers={"authorization": f"Bearer {token}"}, timeout=30) as client:
        responses = await asyncio.gather(*(client.post(url, json=body) for body in bodies))
    return [response.json()["data"] for response in responses]


async def test_two_loans_racing_for_one_sample_cannot_both_get_it(url: str, specimens: Specimens) -> None:
    loans = [open_loan(url, specimens) for _ in range(8)]
    query = "mutation($input: CreateTransactionItemInput!) { createTransactionItem(input: $input) { " \
            f"transactionItem {{ {ITEM} }} errors {{ code }} }} }}"
    results = await _post_all(url, [{"query": query, "variables": {"input": {
        "transactionId": loan["id"], "materialSampleId": specimens.samples[2]}}} for loan in loans])
    codes = sorted(str(r["createTransactionItem"]["errors"][0]["code"]) if r["createTransactionItem"]["errors"]
                   else "OK" for r in results)
    assert codes == ["OK"] + ["SAMPLE_ON_LOAN"] * 7


async def test_numbers_generated_at_once_are_all_different(url: str, specimens: Specimens, subgraphs: SubgraphServer) -> None:
    collection = created(subgraphs.url("collection"), "Collection", group=LENDER, name="Race",
                         code="R" + specimens.names[0][-8:])
    query = "mutation($input: CreateTransactionInput!) { createTransaction(input: $input) { " \
            "transaction { transactionNumber } errors { code } } }"
    results = await _post_all(url, [{"query": query, "variables": {"input": {
        "group": LENDER, "transactionType": "BORROW", "collectionId": collection["id"], "openedDate": "2026-02-02",
    }}} for _ in range(6)])
    numbers = sorted(r["createTransaction"]["transaction"]["transactionNumber"] for r in results)
    assert numbers == [f"B-2026-{n:04}" for n in range(1, 7)]
