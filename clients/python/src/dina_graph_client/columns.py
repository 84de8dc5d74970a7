"""Flat columns of a connection's nodes: Darwin Core (and Audubon Core) names for the API's nested fields.

A column reads one or more dotted paths of a node; where a path crosses a list (a sample's collectors,
its sequences) the values are joined with " | ", Darwin Core's separator for multi-valued terms.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

SEPARATOR = " | "
Kind = str  # "string", "float", "int", "bool": the column's pandas/Arrow type


@dataclass(frozen=True)
class Column:
    name: str
    paths: tuple[str, ...]
    kind: Kind = "string"
    combine: Callable[[list[Any]], Any] | None = None  # several paths into one value

    @cached_property
    def keys(self) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(path.split(".")) for path in self.paths)

    def value(self, node: Mapping[str, Any]) -> Any:
        if self.combine is None:
            return _walk(node, self.keys[0])
        return self.combine([_walk(node, keys) for keys in self.keys])


def _walk(value: Any, keys: tuple[str, ...]) -> Any:
    for i, key in enumerate(keys):
        if value is None:
            return None
        if isinstance(value, list):
            parts = [_walk(item, keys[i:]) for item in value]
            parts = [str(p) for p in parts if p is not None and p != ""]
            return SEPARATOR.join(parts) if parts else None
        value = value.get(key)
    if isinstance(value, list):
        return SEPARATOR.join(str(v) for v in value) if value else None
    return value


def event_date(values: list[Any]) -> str | None:
    """dwc:eventDate from a start and an end date: one date, or an ISO 8601 interval."""
    start, end = (str(v) if v else None for v in values)
    if start and end and end != start:
        return f"{start}/{end}"
    return start or end


def _event(prefix: str) -> list[Column]:
    """The collecting event's Darwin Core terms, reached through ``prefix`` ("" for the event itself)."""
    p = f"{prefix}." if prefix else ""
    return [
        Column("eventDate", (f"{p}startEventDate", f"{p}endEventDate"), combine=event_date),
        Column("verbatimEventDate", (f"{p}verbatimEventDate",)),
        Column("recordedBy", (f"{p}collectors.displayName",)),
        Column("locality", (f"{p}verbatimLocality",)),
        Column("country", (f"{p}country",)),
        Column("countryCode", (f"{p}countryCode",)),
        Column("stateProvince", (f"{p}stateProvince",)),
        Column("decimalLatitude", (f"{p}decimalLatitude",), "float"),
        Column("decimalLongitude", (f"{p}decimalLongitude",), "float"),
        Column("coordinateUncertaintyInMeters", (f"{p}coordinateUncertaintyInMeters",), "float"),
        Column("geodeticDatum", (f"{p}geodeticDatum",)),
        Column("habitat", (f"{p}habitat",)),
    ]


def _plain(*names: str, kind: Kind = "string") -> list[Column]:
    return [Column(name, (name,), kind) for name in names]


DARWIN_CORE: dict[str, list[Column]] = {
    "materialSamples": [
        Column("id", ("id",)),
        Column("catalogNumber", ("materialSampleName",)),
        *_plain("otherCatalogNumbers", "occurrenceId", "materialSampleType", "barcode"),
        Column("collectionCode", ("collection.code",)),
        Column("institutionCode", ("collection.institution.code",)),
        Column("preparations", ("preparationType.name",)),
        Column("scientificName", ("primaryDetermination.scientificName",)),
        Column("identifiedBy", ("primaryDetermination.determiners.displayName",)),
        Column("dateIdentified", ("primaryDetermination.determinedOn",)),
        Column("typeStatus", ("primaryDetermination.typeStatus",)),
        *_event("collectingEvent"),
        Column("associatedSequences", ("sequences.accession",)),
        Column("associatedMedia", ("attachments.id",)),
        Column("group", ("group",)),
    ],
    "collectingEvents": [Column("id", ("id",)), *_event(""), Column("group", ("group",))],
    "sequences": [
        *_plain("id", "accession"),
        Column("accessionVersion", ("accessionVersion",), "int"),
        *_plain("sourceDatabase", "definition"),
        Column("scientificName", ("organism",)),
        *_plain("moleculeType"),
        Column("length", ("length",), "int"),
        Column("region", ("region.name",)),
        Column("materialSampleID", ("materialSample.id",)),
        Column("catalogNumber", ("materialSample.materialSampleName",)),
        *_plain("specimenVoucher", "checksumSha256", "group"),
    ],
    "people": _plain("id", "displayName", "givenNames", "familyNames", "email", "webpage", "group"),
    "mediaList": [  # Audubon Core
        Column("identifier", ("id",)),
        Column("type", ("dcType",)),
        Column("format", ("dcFormat",)),
        Column("caption", ("caption",)),
        Column("subjectTags", ("tags",)),
        Column("license", ("license",)),
        Column("rightsHolder", ("rightsHolder",)),
        Column("creator", ("creator.displayName",)),
        Column("originalFilename", ("originalFilename",)),
        Column("sha256", ("sha256",)),
        Column("createDate", ("digitizationDate",)),
        Column("accessURI", ("url",)),
        Column("group", ("group",)),
    ],
}

# Keyword filters by their Darwin Core name where the API's filter input names the field differently.
FILTER_ALIASES: dict[str, dict[str, str]] = {
    "materialSamples": {"country": "countryCode", "recordedBy": "collector"},
    "sequences": {"scientificName": "organism"},
}


def selection(paths: Iterable[str]) -> str:
    """The GraphQL selection set reading every dotted path: ``a.b``, ``a.c`` → ``{ a { b c } }``."""
    tree: dict[str, Any] = {}
    for path in paths:
        node = tree
        for key in path.split("."):
            node = node.setdefault(key, {})

    def render(node: dict[str, Any]) -> str:
        return "{ " + " ".join(k + (" " + render(v) if v else "") for k, v in node.items()) + " }"

    return render(tree)
