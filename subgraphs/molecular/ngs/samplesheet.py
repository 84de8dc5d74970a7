"""Illumina sample sheets, read and written: v1 (IEM, `[Data]`) and v2 (`FileFormatVersion,2`,
`[BCLConvert_Data]`). Every defect is reported with its line; a sheet the instrument software accepts
reads: cells are trimmed (and that is noted), empty trailing cells are empty values.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from .indexes import Indexed, collision_message, collisions, normalised_index, well_position

V1_SECTIONS = {"Header", "Reads", "Settings", "Data", "Manifests"}
V2_SECTIONS = {"Header", "Reads", "Sequencing_Settings", "BCLConvert_Settings", "BCLConvert_Data",
               "Cloud_Settings", "Cloud_Data"}
# Sheet column → SheetRow attribute; v2's BCLConvert_Data spells the indexes Index and Index2.
COLUMNS = {"Lane": "lane", "Sample_ID": "sample_id", "Sample_Name": "sample_name", "Sample_Plate": "plate",
           "Sample_Well": "well", "I7_Index_ID": "i7_name", "index": "i7", "Index": "i7",
           "I5_Index_ID": "i5_name", "index2": "i5", "Index2": "i5", "Sample_Project": "project",
           "Description": "description"}
V1_COLUMNS = ["Lane", "Sample_ID", "Sample_Name", "Sample_Plate", "Sample_Well", "I7_Index_ID", "index",
              "I5_Index_ID", "index2", "Sample_Project", "Description"]
V2_COLUMNS = ["Lane", "Sample_ID", "Index", "Index2", "Sample_Project"]
V2_READS = ("Read1Cycles", "Read2Cycles")
V2_INDEX_READS = ("Index1Cycles", "Index2Cycles")
PLATE_ROWS, PLATE_COLUMNS = 16, 24
MAX_LANE = 8  # a NovaSeq S4 or X 25B flow cell
MAX_CYCLES = 1000  # wells are checked against a 384-well plate here, against its batch on write


@dataclass(frozen=True)
class Defect:
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


@dataclass
class SheetRow:
    line: int
    sample_id: str
    lane: int | None = None
    sample_name: str | None = None
    plate: str | None = None
    well: str | None = None
    i7_name: str | None = None
    i7: str | None = None
    i5_name: str | None = None
    i5: str | None = None
    project: str | None = None
    description: str | None = None

    def indexed(self) -> Indexed:
        return Indexed(self.sample_id, self.i7, self.i5, self.lane)


@dataclass
class SampleSheet:
    version: int = 1
    header: dict[str, str] = field(default_factory=dict)
    read_cycles: list[int] = field(default_factory=list)
    index_cycles: list[int] = field(default_factory=list)
    # Settings sections by name ({"Settings": {"Adapter": …}} in v1, {"BCLConvert_Settings": …} in v2).
    settings: dict[str, dict[str, str]] = field(default_factory=dict)
    rows: list[SheetRow] = field(default_factory=list)
    defects: list[Defect] = field(default_factory=list)
    notes: list[Defect] = field(default_factory=list)  # accepted as the instrument software would, and said so

    @property
    def barcode_mismatches(self) -> int:
        """BCL Convert's BarcodeMismatchesIndex1 (its default, 1, when a v2 sheet does not say; 0 for v1,
        where bcl2fastq's option is on the command line, not in the sheet)."""
        value = self.settings.get("BCLConvert_Settings", {}).get("BarcodeMismatchesIndex1")
        if value is None:
            return 1 if self.version == 2 else 0
        return int(value) if value.isdigit() else 0


def _cells(text: str, sheet: SampleSheet) -> Iterable[tuple[int, list[str]]]:
    """Lines as trimmed cells without the empty trailing ones; trimmed cells are noted."""
    for number, cells in enumerate(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")), start=1):
        if any("\x00" in cell for cell in cells):
            sheet.defects.append(Defect(number, "a NUL character (not text a sample sheet holds): line left out"))
            continue
        trimmed = [cell.strip() for cell in cells]
        if trimmed != cells:
            sheet.notes.append(Defect(number, "surrounding whitespace trimmed"))
        while trimmed and not trimmed[-1]:
            trimmed.pop()
        yield number, trimmed


def parse(text: str) -> SampleSheet:
    """The sheet and every defect found in it (``sheet.defects``); nothing raised."""
    sheet = SampleSheet()
    sections: list[tuple[str, int, list[tuple[int, list[str]]]]] = []
    for number, cells in _cells(text, sheet):
        if cells and cells[0].startswith("["):
            if not cells[0].endswith("]"):
                sheet.defects.append(Defect(number, f"section name {cells[0]!r} has no closing ]"))
            sections.append((cells[0][1:].removesuffix("]").strip(), number, []))
        elif cells and sections:
            sections[-1][2].append((number, cells))
        elif cells:
            sheet.defects.append(Defect(number, "text before the first [section]"))
    names = {name for name, _, _ in sections}
    if "Header" not in names:
        sheet.defects.append(Defect(None, "no [Header] section: not an Illumina sample sheet"))
    for name, _, lines in sections:
        if name == "Header":
            sheet.header = _pairs(lines, sheet)
            sheet.version = 2 if sheet.header.get("FileFormatVersion") == "2" else 1
    known = V2_SECTIONS if sheet.version == 2 else V1_SECTIONS
    seen: set[str] = set()
    for name, number, lines in sections:
        if name in seen:
            sheet.defects.append(Defect(number, f"section [{name}] appears twice"))
        seen.add(name)
        if name not in known and not (sheet.version == 2 and name.endswith(("_Settings", "_Data"))):
            sheet.defects.append(Defect(number, f"unknown section [{name}] in a v{sheet.version} sample sheet "
                                                f"(expected {', '.join(f'[{s}]' for s in sorted(known))})"))
        elif name == "Reads":
            _reads(lines, sheet)
        elif name.endswith("Settings"):
            sheet.settings[name] = _pairs(lines, sheet)
    data = "BCLConvert_Data" if sheet.version == 2 else "Data"
    found = [(number, lines) for name, number, lines in sections if name == data]
    if not found:
        sheet.defects.append(Defect(None, f"no [{data}] section"))
    else:
        _data(*found[0], sheet)
    return sheet


def _pairs(lines: list[tuple[int, list[str]]], sheet: SampleSheet) -> dict[str, str]:
    values = {}
    for number, cells in lines:
        if len(cells) > 2:
            sheet.defects.append(Defect(number, f"expected a name and a value, found {len(cells)} cells"))
        values[cells[0]] = cells[1] if len(cells) > 1 else ""
    return values


def _reads(lines: list[tuple[int, list[str]]], sheet: SampleSheet) -> None:
    for number, cells in lines:
        name, value = (cells[0], cells[1] if len(cells) > 1 else "") if sheet.version == 2 else ("", cells[0])
        if not value.isdigit() or int(value) > MAX_CYCLES:
            sheet.defects.append(Defect(number, f"read length {value!r} is not a number of cycles (up to {MAX_CYCLES})"))
        elif name in V2_INDEX_READS:
            sheet.index_cycles.append(int(value))
        elif sheet.version == 1 or name in V2_READS:
            sheet.read_cycles.append(int(value))
        else:
            sheet.defects.append(Defect(number, f"unknown read {name!r} (expected {', '.join(V2_READS + V2_INDEX_READS)})"))


def _data(start: int, lines: list[tuple[int, list[str]]], sheet: SampleSheet) -> None:
    if not lines:
        sheet.defects.append(Defect(start, "the data section has no column names"))
        return
    number, columns = lines[0]
    if "Sample_ID" not in columns:
        sheet.defects.append(Defect(number, "missing column Sample_ID"))
        return
    for twice in sorted({c for c in columns if columns.count(c) > 1}):
        sheet.defects.append(Defect(number, f"column {twice} appears twice"))
    first_line: dict[tuple[int | None, str], int] = {}
    for line, cells in lines[1:]:
        if len(cells) > len(columns):
            sheet.defects.append(Defect(line, f"{len(cells)} cells for {len(columns)} columns"))
            continue
        values = dict(zip(columns, cells + [""] * (len(columns) - len(cells)), strict=True))
        row = _row(line, values, sheet)
        if row is None:
            continue
        key = (row.lane, row.sample_id)
        if key in first_line:
            sheet.defects.append(Defect(line, f"duplicate Sample_ID {row.sample_id!r} (first on line "
                                              f"{first_line[key]}){f' on lane {row.lane}' if row.lane else ''}"))
            continue
        first_line[key] = line
        sheet.rows.append(row)
    lines_of = {row.sample_id: row.line for row in sheet.rows}
    for a, b in collisions([row.indexed() for row in sheet.rows], sheet.barcode_mismatches):
        sheet.defects.append(Defect(lines_of[b.name], f"index collision with line {lines_of[a.name]}: "
                                    + collision_message(a, b, sheet.barcode_mismatches)))


def _row(line: int, values: dict[str, str], sheet: SampleSheet) -> SheetRow | None:
    known = {COLUMNS[c]: v or None for c, v in values.items() if c in COLUMNS}
    if not known.get("sample_id"):
        sheet.defects.append(Defect(line, "Sample_ID is empty"))
        return None
    row = SheetRow(line=line, **known)  # type: ignore[arg-type]
    defects = []
    lane = known.get("lane")
    if lane is not None:
        if lane.isdigit() and 1 <= int(lane) <= MAX_LANE:
            row.lane = int(lane)
        else:
            defects.append(f"Lane {lane!r} is not a lane number (1 to {MAX_LANE})")
    for attribute, column in (("i7", "index"), ("i5", "index2")):
        bases, problem = normalised_index(getattr(row, attribute))
        setattr(row, attribute, bases)
        if problem:
            defects.append(f"{column} {problem}")
    if row.well:
        row.well, problem = well_position(row.well, PLATE_ROWS, PLATE_COLUMNS)
        if problem:
            defects.append(f"Sample_Well {problem}")
    sheet.defects += [Defect(line, message) for message in defects]
    return None if defects else row


def write(sheet: SampleSheet, version: int) -> str:
    """The sheet as a v1 (IEM) or v2 (BCL Convert) sample sheet, CRLF line ends as Illumina's tools write them."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    header = {k: v for k, v in sheet.header.items() if k not in ("FileFormatVersion", "IEMFileVersion")}
    writer.writerow(["[Header]"])
    writer.writerow(["FileFormatVersion", "2"] if version == 2 else ["IEMFileVersion", "5"])
    writer.writerows(header.items())
    writer.writerow([])
    writer.writerow(["[Reads]"])
    if version == 2:
        writer.writerows(zip(V2_READS, sheet.read_cycles, strict=False))
        writer.writerows(zip(V2_INDEX_READS, sheet.index_cycles, strict=False))
    else:
        writer.writerows([cycles] for cycles in sheet.read_cycles)
    writer.writerow([])
    for name, values in sheet.settings.items():
        if (name in V2_SECTIONS) == (version == 2) or (version == 2 and name.endswith("_Settings")):
            writer.writerow([f"[{name}]"])
            writer.writerows(values.items())
            writer.writerow([])
    writer.writerow(["[BCLConvert_Data]" if version == 2 else "[Data]"])
    columns = [c for c in (V2_COLUMNS if version == 2 else V1_COLUMNS)
               if c != "Lane" or any(row.lane is not None for row in sheet.rows)]
    writer.writerow(columns)
    for row in sheet.rows:
        writer.writerow(["" if (value := getattr(row, COLUMNS[c])) is None else value for c in columns])
    return out.getvalue()
