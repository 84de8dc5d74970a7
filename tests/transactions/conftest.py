"""Samples, people and loans written through the real subgraphs' mutations, as a client would."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest

from ..conftest import DEFAULT, SubgraphServer, graphql, mutate

LENDER = "herpetology"


def write(url: str, field: str, selection: str, token: object = DEFAULT, **input: object) -> dict:
    """Run mutation ``field`` (e.g. createTransaction) with ``input``; its payload, errors included."""
    input_type = "DeleteInput" if field.startswith("delete") else field[0].upper() + field[1:] + "Input"
    body = graphql(url, f"mutation($input: {input_type}!) {{ {field}(input: $input) {{ {selection} "
                        "errors { code message field } } }", {"input": input}, token=token)
    assert "errors" not in body, body
    return body["data"][field]


def created(url: str, entity: str, selection: str = "id", **input: object) -> dict:
    field = entity[0].lower() + entity[1:]
    return mutate(url, f"mutation($input: Create{entity}Input!) {{ create{entity}(input: $input) {{ "
                       f"{field} {{ {selection} }} errors {{ code message field }} }} }}", **input)


def error(payload: dict) -> tuple[str, str | None]:
    (first, *_) = payload["errors"]
    return first["code"], first["field"]


@dataclass
class Specimens:
    """Three catalogued samples with a primary determination each, a borrower and a curator."""

    samples: list[str]
    names: list[str]
    scientific_names: list[str]
    borrower: str
    curator: str
    borrower_name: str


@pytest.fixture
def specimens(subgraphs: SubgraphServer) -> Specimens:
    tag = uuid.uuid4().hex[:6]
    collection, agents = subgraphs.url("collection"), subgraphs.url("agents")
    borrower_name = f"Ana Borrower {tag}"
    borrower = created(agents, "Person", group=LENDER, displayName=borrower_name)["id"]
    curator = created(agents, "Person", group=LENDER, displayName=f"Carl Curator {tag}")["id"]
    samples, names, scientific = [], [], ["Lissotriton boscai", "Gekko smithii", "Rana temporaria"]
    for i, name in enumerate(scientific):
        names.append(f"NHMD-HERP-{tag}-{i}")
        sample = created(collection, "MaterialSample", group=LENDER, materialSampleName=names[-1])["id"]
        organism = created(collection, "Organism", group=LENDER, materialSampleId=sample)["id"]
        created(collection, "Determination", group=LENDER, organismId=organism, scientificName=name, isPrimary=True)
        samples.append(sample)
    return Specimens(samples, names, scientific, borrower, curator, borrower_name)


LOAN = "id version transactionNumber status itemsOutstanding closedDate"
ITEM = "id version quantity quantityReturned quantityOutstanding"


def open_loan(url: str, specimens: Specimens, **fields: object) -> dict:
    return created(url, "Transaction", LOAN, group=LENDER, transactionType="LOAN", purpose="Study",
                   agentRoles=[{"role": "BORROWER", "agentId": specimens.borrower},
                               {"role": "AUTHORIZER", "agentId": specimens.curator}], **fields)


def add_item(url: str, loan: dict, sample: str, quantity: int = 1) -> dict:
    return created(url, "TransactionItem", ITEM, transactionId=loan["id"], materialSampleId=sample,
                   quantity=quantity, condition="good")
