"""A Darwin Core Archive's Taxon core rows as name usages (collection.taxonomy.checklist builds the tree).

The classification is named by the archive's EML title (else the archive's file name) and its source
is the archive's file name, so importing the same checklist again finds it instead of making another.
"""

from __future__ import annotations

from xml.etree import ElementTree

from subgraphs.collection.taxonomy.checklist import NameUsage
from subgraphs.collection.taxonomy.ranks import HIGHER_RANKS

from .archive import Archive
from .extensions import ExtensionRows
from .mapping import term

HIGHER_TERMS = [(rank, term(rank.value)) for rank in HIGHER_RANKS]

def name_usage(number: int, taxon_id: str | None, row: dict[str, str], extras: ExtensionRows) -> NameUsage:
    name, authorship = row.get(term("scientificName")), row.get(term("scientificNameAuthorship"))
    if name and authorship and name.endswith(" " + authorship):  # dwc:scientificName may carry it too
        name = name[:-len(authorship) - 1]
    vernacular = [{"name": row[term("vernacularName")], "language": None}] if row.get(term("vernacularName")) else []
    return NameUsage(
        row=number, source_id=taxon_id or row.get(term("taxonID")), scientific_name=name, authorship=authorship,
        rank=row.get(term("taxonRank")), status=row.get(term("taxonomicStatus")),
        parent_source_id=row.get(term("parentNameUsageID")), accepted_source_id=row.get(term("acceptedNameUsageID")),
        higher={rank: value for rank, uri in HIGHER_TERMS if (value := row.get(uri))},
        vernacular_names=vernacular + extras.vernacular_names, remarks=row.get(term("taxonRemarks")))


def classification_name(archive: Archive) -> str:
    """The EML dataset title, else the archive's name."""
    if archive.metadata:
        try:
            root = ElementTree.fromstring(archive.metadata)
            title = root.find("dataset/title")
            if title is not None and (title.text or "").strip():
                return " ".join(title.text.split())
        except ElementTree.ParseError:
            pass
    return archive.name
