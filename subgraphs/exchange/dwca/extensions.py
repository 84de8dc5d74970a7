"""An archive's extension rows, gathered by the core row they belong to, and what is not stored said so.

Every extension is either stored with its core row — Identification rows as determinations (the
history), MeasurementOrFact / extended MoF rows as measurements, ResourceRelationship rows as
associations and Reference rows as citations (of an occurrence), Identifier rows as other catalogue
numbers, GBIF Multimedia / Image, Audubon Core and EOL Document rows as Media, (in an Event core) Occurrence
rows as the event's material samples, and (in a Taxon core) VernacularName rows as the taxon's common
names — or reported by name and row count as not stored. A row whose coreid matches no core row is
reported as an orphan. Nothing is dropped unreported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from subgraphs.core.base.errors import ClientError, ErrorCode

from .archive import Archive, DataFile, Defect, term_label

MEDIA_KINDS = frozenset({"Multimedia", "Audubon", "Image", "Document"})  # Document: EOL's media extension
IDENTIFICATION, IDENTIFIER, OCCURRENCE = "Identification", "Identifier", "Occurrence"
VERNACULAR = "VernacularName"  # a Taxon core's: stored as the taxon's vernacular names
# Extensions stored as lists of term maps, by the ExtensionRows list that holds them.
TERM_MAP_KINDS = {"MeasurementOrFact": "measurements", "ExtendedMeasurementOrFact": "measurements",
                  "ResourceRelationship": "associations", "Reference": "citations"}
SAMPLE_ONLY_KINDS = frozenset({"ResourceRelationship", "Reference"})  # an Event core's are not stored


@dataclass
class ExtensionRows:
    """One core row's extension rows. ``errors``: why a media row (its file and row in the message)
    cannot be stored; one refuses the core row, so it goes in with all its media or not at all."""

    media: list[dict[str, str]] = field(default_factory=list)
    errors: list[ClientError] = field(default_factory=list)
    identifications: list[tuple[str, int, dict[str, str]]] = field(default_factory=list)  # (file, row, values)
    measurements: list[dict[str, str]] = field(default_factory=list)
    associations: list[dict[str, str]] = field(default_factory=list)
    citations: list[dict[str, str]] = field(default_factory=list)
    identifiers: list[str] = field(default_factory=list)
    occurrences: list[tuple[str, int, dict[str, str]]] = field(default_factory=list)  # (file, row, values)
    vernacular_names: list[dict[str, str | None]] = field(default_factory=list)  # {name, language}


NONE = ExtensionRows()  # a core row without extension rows (shared: never changed)


def stored_kinds(core_kind: str) -> frozenset[str]:
    """The extensions whose rows are stored with a core of this kind."""
    if core_kind == "Taxon":
        return frozenset({OCCURRENCE, VERNACULAR})  # a checklist: its occurrences, named by their taxon
    kinds = MEDIA_KINDS | set(TERM_MAP_KINDS) | {IDENTIFICATION, IDENTIFIER}
    return (kinds - SAMPLE_ONLY_KINDS) | {OCCURRENCE} if core_kind == "Event" else kinds


def term_map(row: dict[str, str]) -> dict[str, str]:
    """A MeasurementOrFact, ResourceRelationship or Reference row as stored: its terms by their short
    names (dwc:measurementType, …)."""
    return {term_label(term): value for term, value in row.items()}


class ExtensionIndex:
    """The stored extensions' rows by coreid. ``rows_of`` hands a core row its rows; whatever is
    never asked for is an orphan (``unstored``)."""

    def __init__(self, archive: Archive, media_values: Any, media_errors: Any) -> None:
        """``media_values(row)`` makes a media row's Media values; ``media_errors(values, file, row)``
        lists why they do not fit (the importers' own rules)."""
        self.by_id: dict[str, ExtensionRows] = {}
        self.locations: dict[str, list[tuple[str, int]]] = {}
        self.taken: set[str] = set()
        self.not_stored: list[Defect] = []
        self.refused: list[Defect] = []  # extension rows refused on their own (not their core row)
        stored = stored_kinds(archive.core_kind)
        for extension in archive.extensions:
            if extension.kind not in stored or extension.id_index is None:
                if extension.id_index is not None:
                    self.not_stored.append(_not_stored(archive, extension))
                continue
            for number, core_id, row in archive.rows(extension, self._refuser(extension)):
                self.locations.setdefault(core_id or "", []).append((extension.location, number))
                self._add(self._of(core_id), extension, number, row, media_values, media_errors)

    def _of(self, core_id: str | None) -> ExtensionRows:
        if (rows := self.by_id.get(core_id or "")) is None:
            rows = self.by_id[core_id or ""] = ExtensionRows()
        return rows

    def _refuser(self, extension: DataFile) -> Any:
        """What to do with a row the reader refuses (a NUL character): an occurrence row is a defect of
        its own; any other row refuses the core row it belongs to."""
        def refuse(number: int, core_id: str | None, reason: str) -> None:
            if extension.kind == OCCURRENCE:
                self.refused.append(Defect(extension.location, number, reason))
                return
            self.locations.setdefault(core_id or "", []).append((extension.location, number))
            self._of(core_id).errors.append(ClientError(ErrorCode.BAD_USER_INPUT,
                                                        f"{extension.location} row {number}: {reason}"))
        return refuse

    def _add(self, rows: ExtensionRows, extension: DataFile, number: int, row: dict[str, str],
             media_values: Any, media_errors: Any) -> None:
        kind = extension.kind
        if kind in MEDIA_KINDS:
            values = media_values(row)
            if errors := media_errors(values, row, f"{extension.location} row {number}: "):
                rows.errors += errors
            else:
                rows.media.append(values)
        elif kind in TERM_MAP_KINDS:
            getattr(rows, TERM_MAP_KINDS[kind]).append(term_map(row))
        elif kind == IDENTIFICATION:
            rows.identifications.append((extension.location, number, row))
        elif kind == IDENTIFIER:
            if value := row.get("http://purl.org/dc/terms/identifier"):
                rows.identifiers.append(value)
            else:
                self.refused.append(Defect(extension.location, number, "has no dc:identifier: not stored"))
        elif kind == VERNACULAR:
            if name := row.get("http://rs.tdwg.org/dwc/terms/vernacularName"):
                rows.vernacular_names.append({"name": name, "language": row.get("http://purl.org/dc/terms/language")})
            else:
                self.refused.append(Defect(extension.location, number, "has no dwc:vernacularName: not stored"))
        else:
            rows.occurrences.append((extension.location, number, row))

    def rows_of(self, core_id: str | None) -> ExtensionRows:
        if not core_id or (rows := self.by_id.get(core_id)) is None:
            return NONE
        self.taken.add(core_id)
        return rows

    def unstored(self) -> list[Defect]:
        """Once the core is read: the extension rows refused on their own (an occurrence row with a NUL
        character, an Identifier row without an identifier), and one defect per extension row whose
        coreid matches no core row read (an orphan)."""
        return self.refused + [Defect(location, number, f"its coreid {core_id!r} matches no core row: not stored")
                for core_id, places in self.locations.items() if core_id not in self.taken
                for location, number in places]


def _not_stored(archive: Archive, extension: DataFile) -> Defect:
    rows = sum(1 for _ in archive.rows(extension))
    return Defect(extension.location, None, f"{extension.kind} extension ({extension.row_type}): {rows} rows "
                  f"not stored (DINA has no place for them with {'an' if archive.core_kind[0] in 'AEIOU' else 'a'} "
                  f"{archive.core_kind} core)")
