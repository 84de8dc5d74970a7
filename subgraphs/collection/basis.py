"""Darwin Core's basisOfRecord vocabulary: what kind of record a material sample is (a specimen, a
living one, a fossil, or an observation with no specimen at all)."""

from __future__ import annotations

import re

# TDWG's recommended values (dwc:basisOfRecord), https://dwc.tdwg.org/terms/#dwc:basisOfRecord.
BASES_OF_RECORD = ("PreservedSpecimen", "FossilSpecimen", "LivingSpecimen", "MaterialSample", "MaterialEntity",
                   "MaterialCitation", "HumanObservation", "MachineObservation", "Occurrence", "Event", "Taxon")
# Matched without case, spaces or underscores: GBIF writes PRESERVED_SPECIMEN, publishers "Preserved specimen".
# GBIF's retired values, as GBIF now reads them (its archives of before 2021 still carry them).
_BY_KEY = {name.lower(): name for name in BASES_OF_RECORD} | {
    "unknown": "Occurrence", "observation": "Occurrence", "literature": "MaterialCitation"}


def basis_of_record(text: str | None) -> str | None:
    """The vocabulary's spelling of ``text``, or None if it names none of its values."""
    return _BY_KEY.get(re.sub(r"[\s_]", "", text or "").lower())
