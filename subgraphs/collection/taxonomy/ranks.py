"""Taxonomic ranks (Darwin Core's recommended `taxonRank` values) and statuses, with their order."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache


class TaxonRank(StrEnum):
    """From the highest down. INTERMEDIATE is a rank the classification itself names (`intermediateRanks`)."""

    DOMAIN = "domain"
    KINGDOM = "kingdom"
    SUBKINGDOM = "subkingdom"
    PHYLUM = "phylum"
    SUBPHYLUM = "subphylum"
    SUPERCLASS = "superclass"
    CLASS = "class"
    SUBCLASS = "subclass"
    INFRACLASS = "infraclass"
    SUPERORDER = "superorder"
    ORDER = "order"
    SUBORDER = "suborder"
    INFRAORDER = "infraorder"
    SUPERFAMILY = "superfamily"
    FAMILY = "family"
    SUBFAMILY = "subfamily"
    TRIBE = "tribe"
    SUBTRIBE = "subtribe"
    GENUS = "genus"
    SUBGENUS = "subgenus"
    SECTION = "section"
    SERIES = "series"
    SPECIES = "species"
    SUBSPECIES = "subspecies"
    VARIETY = "variety"
    SUBVARIETY = "subvariety"
    FORM = "form"
    SUBFORM = "subform"
    INTERMEDIATE = "intermediate"
    UNRANKED = "unranked"


class TaxonomicStatus(StrEnum):
    """dwc:taxonomicStatus values; every status but ACCEPTED names an accepted taxon."""

    ACCEPTED = "accepted"
    SYNONYM = "synonym"
    HETEROTYPIC_SYNONYM = "heterotypicSynonym"
    HOMOTYPIC_SYNONYM = "homotypicSynonym"
    MISAPPLIED = "misapplied"
    DOUBTFUL = "doubtful"


# Ranks that have an order; INTERMEDIATE and UNRANKED fit anywhere.
LEVEL = {rank: level for level, rank in enumerate(TaxonRank) if rank not in (TaxonRank.INTERMEDIATE, TaxonRank.UNRANKED)}
# The higher-rank Darwin Core terms of a Taxon or Occurrence row, highest first.
HIGHER_RANKS = (TaxonRank.KINGDOM, TaxonRank.PHYLUM, TaxonRank.CLASS, TaxonRank.ORDER, TaxonRank.SUPERFAMILY,
                TaxonRank.FAMILY, TaxonRank.SUBFAMILY, TaxonRank.TRIBE, TaxonRank.SUBTRIBE, TaxonRank.GENUS,
                TaxonRank.SUBGENUS)


@lru_cache(maxsize=1024)  # a checklist repeats a few values over many rows
def parse_rank(text: str | None) -> TaxonRank | None:
    """A dwc:taxonRank value as written (`Species`, `subsp.`, `var.`) as a rank; None if unknown."""
    if not text:
        return None
    word = text.strip().lower().rstrip(".")
    word = {"subsp": "subspecies", "ssp": "subspecies", "var": "variety", "f": "form", "sp": "species",
            "gen": "genus", "fam": "family", "ord": "order", "cl": "class"}.get(word, word)
    try:
        return TaxonRank(word)
    except ValueError:
        return None


@lru_cache(maxsize=1024)
def parse_status(text: str | None) -> TaxonomicStatus | None:
    """A dwc:taxonomicStatus value (`synonym`, `Accepted`, `heterotypic synonym`, `valid`); None if unknown."""
    if not text:
        return None
    key = text.strip().replace(" ", "").replace("_", "").lower()
    key = {"valid": "accepted", "doubtful": "doubtful", "proparteSynonym".lower(): "synonym",
           "misapplied": "misapplied"}.get(key, key)
    return next((status for status in TaxonomicStatus if status.value.lower() == key), None)
