"""Which material sample a voucher names: the one place imports match specimens (GenBank/FASTA, DwC-A).

A voucher is an INSDC triplet `institution:collection:catalogue` (or `institution:catalogue`, or a bare
catalogue number); Darwin Core gives the same three as institutionCode / collectionCode / catalogNumber.
It names a sample of the import's group only, with that catalogue number (its name or one of its other
catalogue numbers) in a collection of that institution and code:
- `institution:collection:catalogue`: that institution's collection of that code;
- `institution:catalogue`: any collection of that institution;
- `collection` without an institution: a collection of that code that belongs to no institution;
- a bare catalogue number: a sample in no collection.
Never across institutions, collections or groups. More than one match is reported (AMBIGUOUS_VOUCHER),
never guessed. A missing institution/collection is created in the import's group.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.core.base.errors import ClientError

from . import models as m
from . import repository
from .service import CollectionErrorCode, create_record


@dataclass(frozen=True)
class Voucher:
    institution: str | None
    collection: str | None
    catalog_number: str

    @classmethod
    def parse(cls, text: str | None) -> Voucher | None:
        """An INSDC /specimen_voucher, /bio_material or /culture_collection value
        (`[institution:[collection:]]id`; an id may itself contain colons past the second)."""
        if not text or not text.strip():
            return None
        parts = [part.strip() for part in text.strip().split(":", 2)]
        if len(parts) == 3 and all(parts):
            return cls(parts[0], parts[1], parts[2])
        if len(parts) == 2 and all(parts):
            return cls(parts[0], None, parts[1])
        return cls(None, None, text.strip())

    def __str__(self) -> str:
        return ":".join(part for part in (self.institution, self.collection, self.catalog_number) if part)

    def holds(self, institution: str | None, collection: str | None) -> bool:
        """Whether a sample in a collection of this code, of an institution of this code, is in the
        institution and collection the voucher names."""
        if self.institution is not None:
            return institution == self.institution and self.collection in (None, collection)
        if self.collection is not None:
            return institution is None and collection == self.collection
        return institution is None and collection is None


@dataclass(frozen=True)
class SampleKey:
    """What a voucher is matched against: a sample's catalogue numbers and its collection's codes."""
    sample_id: uuid.UUID
    name: str
    numbers: tuple[str, ...]
    institution: str | None
    collection: str | None


class VoucherIndex:
    """Samples by catalogue number, answering which of them a voucher names (in memory: the bulk
    importer loads the group's samples once; the row-by-row one loads only a number's candidates)."""

    def __init__(self, keys: Iterable[SampleKey] = ()) -> None:
        self.by_number: dict[str, list[SampleKey]] = defaultdict(list)
        for key in keys:
            self.add(key)

    def add(self, key: SampleKey) -> None:
        for number in dict.fromkeys(key.numbers):
            self.by_number[number].append(key)

    def matches(self, voucher: Voucher) -> list[SampleKey]:
        return [key for key in self.by_number.get(voucher.catalog_number, [])
                if voucher.holds(key.institution, key.collection)]

    def match(self, voucher: Voucher, group: str) -> SampleKey | None:
        """The one sample the voucher names, None if none; more than one is AMBIGUOUS_VOUCHER."""
        found = self.matches(voucher)
        if len(found) > 1:
            names = ", ".join(sorted(f"{key.name} ({key.sample_id})" for key in found))
            raise ClientError(CollectionErrorCode.AMBIGUOUS_VOUCHER,
                              f"voucher {voucher} matches {len(found)} samples of group {group}: {names}; "
                              "none was chosen", "catalogNumber")
        return found[0] if found else None


def sample_key(row: Any) -> SampleKey:
    sample_id, name, others, institution, collection = row
    return SampleKey(sample_id, name, (name, *(others or ())), institution, collection)


async def sample_for_voucher(session: AsyncSession, voucher: Voucher, *, group: str,
                             without_occurrence_id: bool = False) -> m.MaterialSample | None:
    """The group's one sample the voucher names (None: none; AMBIGUOUS_VOUCHER: several); a Darwin Core
    row without an occurrenceID counts only samples without one (``without_occurrence_id``): a sample
    with an occurrenceID is known by that id."""
    rows = await repository.sample_keys(session, group, [voucher.catalog_number],
                                        without_occurrence_id=without_occurrence_id)
    key = VoucherIndex(map(sample_key, rows)).match(voucher, group)
    return None if key is None else await repository.material_sample(session, key.sample_id)


async def collection_for_codes(session: AsyncSession, institution_code: str | None, collection_code: str | None,
                               *, group: str, actor: str, create: bool = True) -> m.Collection | None:
    """The group's collection the codes name (a collection of the institution's own code when only the
    institution is given), created with its institution when missing unless ``create`` is false."""
    if not institution_code and not collection_code:
        return None
    institution = None
    if institution_code:
        institution = await repository.institution_by_code(session, institution_code, group=group)
        if institution is None:
            if not create:
                return None
            institution = await create_record(session, "institution", actor=actor, group=group,
                                              name=institution_code, code=institution_code)
    code = collection_code or institution_code
    found = await repository.collection_by_code(session, code, institution.id if institution else None, group=group)
    if found is None and create:
        found = await create_record(session, "collection", actor=actor, group=group, name=code, code=code,
                                    institution_id=institution.id if institution else None)
    return found
