"""Darwin Core's controlled vocabularies a material sample's values are read against: what kind of
record it is (basisOfRecord) and, for living collections, how the organism came to be where it is
(establishmentMeans, degreeOfEstablishment)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True)
class Vocabulary:
    term: str
    values: tuple[str, ...]
    aliases: tuple[tuple[str, str], ...] = ()

    @cached_property
    def _by_key(self) -> dict[str, str]:
        return {value.lower(): value for value in self.values} | dict(self.aliases)

    def read(self, text: str | None) -> str | None:
        """The vocabulary's spelling of ``text``, or None if it names none of its values; matched without
        case, spaces or underscores (GBIF writes PRESERVED_SPECIMEN, publishers "Preserved specimen")."""
        return self._by_key.get(re.sub(r"[\s_]", "", text or "").lower())


# TDWG's recommended values, https://dwc.tdwg.org/terms/#dwc:basisOfRecord, and GBIF's retired ones as
# GBIF now reads them (its archives of before 2021 still carry them).
BASIS_OF_RECORD = Vocabulary("basisOfRecord", (
    "PreservedSpecimen", "FossilSpecimen", "LivingSpecimen", "MaterialSample", "MaterialEntity", "MaterialCitation",
    "HumanObservation", "MachineObservation", "Occurrence", "Event", "Taxon"),
    (("unknown", "Occurrence"), ("observation", "Occurrence"), ("literature", "MaterialCitation")))
# https://dwc.tdwg.org/em/ and https://dwc.tdwg.org/doe/ (Groom et al. 2019).
ESTABLISHMENT_MEANS = Vocabulary("establishmentMeans", (
    "native", "nativeReintroduced", "introduced", "introducedAssistedColonisation", "vagrant", "uncertain"))
DEGREE_OF_ESTABLISHMENT = Vocabulary("degreeOfEstablishment", (
    "native", "captive", "cultivated", "released", "failing", "casual", "reproducing", "established", "colonising",
    "invasive", "widespreadInvasive"))
# A sample's columns read against them.
SAMPLE_VOCABULARIES = {"basis_of_record": BASIS_OF_RECORD, "establishment_means": ESTABLISHMENT_MEANS,
                       "degree_of_establishment": DEGREE_OF_ESTABLISHMENT}
basis_of_record = BASIS_OF_RECORD.read
