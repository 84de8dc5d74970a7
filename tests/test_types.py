"""Strawberry objects built straight from rows equal the ones their constructor makes."""

from __future__ import annotations

import dataclasses

import pytest
import strawberry

from subgraphs.core.types import from_row


@strawberry.type
class Specimen:
    id: strawberry.ID
    name: str
    remarks: str | None = None
    stored_as: strawberry.Private[str] = "x"
    __columns__ = {"stored_as": "storage_code"}


def fields(instance: object) -> dict[str, object]:
    return {f.name: getattr(instance, f.name) for f in dataclasses.fields(instance) if f.init}


def test_a_full_row_and_a_row_without_defaulted_columns() -> None:
    full = from_row(Specimen, {"id": "1", "name": "CAT-1", "remarks": "dry", "storage_code": "B2", "extra": 0})
    short = from_row(Specimen, {"id": "2", "name": "CAT-2"})

    assert fields(full) == fields(Specimen(id="1", name="CAT-1", remarks="dry", stored_as="B2"))
    assert fields(short) == fields(Specimen(id="2", name="CAT-2"))
    assert isinstance(full, Specimen) and isinstance(short, Specimen)


def test_a_lean_row_leaves_out_what_it_lacks() -> None:
    """The fast path reads only the columns a query selects: the rest is simply not there."""
    lean = from_row(Specimen, {"id": "3"})
    assert lean.id == "3" and lean.remarks is None
    with pytest.raises(AttributeError):
        lean.name  # noqa: B018
