"""A person an import names only by a name string, as Person values: the one rule every importer
(GenBank/FASTA, Darwin Core row by row and bulk) creates people by."""

from __future__ import annotations

from typing import Any


def insdc_person_name(name: str) -> tuple[str | None, str | None]:
    """Given and family names of an INSDC person: "Bolander, S" (family, initials) or "Rafael Fonoll"."""
    family, comma, given = name.partition(",")
    if not comma:
        given, _, family = name.rpartition(" ")
    return given.strip() or None, family.strip() or None


def person_values(name: str) -> dict[str, Any]:
    """The Person a name becomes: that display name, its given and family names read in INSDC order."""
    given, family = insdc_person_name(name)
    return {"display_name": name, "given_names": given, "family_names": family}
