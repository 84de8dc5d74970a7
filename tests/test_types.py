"""Strawberry objects built straight from rows equal the ones their constructor makes."""

from __future__ import annotations

import dataclasses

import pytest
import strawberry

from subgraphs.core.data.types import from_row


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


def test_a_lean_row_raises_on_what_it_lacks_instead_of_giving_defaults() -> None:
    """A lean row holds only the columns a query declared it reads: reading anything else is a bug
    in a declaration, so it raises — a default (``remarks`` None, ``stored_as`` "x") would be a wrong answer."""
    lean = from_row(Specimen, {"id": "3"}, lean=True)
    assert lean.id == "3" and isinstance(lean, Specimen)
    for name in ("name", "remarks", "stored_as"):
        with pytest.raises(AttributeError, match="was not read"):
            getattr(lean, name)
    assert from_row(Specimen, {"id": "3", "storage_code": "B2"}, lean=True).stored_as == "B2"
