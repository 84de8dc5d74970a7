"""A sample sheet as records, and back: a sequencing run, a library prep batch per plate, a library per
Sample_ID, a pool per lane read by the run. An import with any defect writes nothing.

Samples are matched by the caller (exchange, which may read the collection): ``samples`` maps a sheet's
Sample_Name (or Sample_ID) to a material sample id; a name that matches none is noted, not refused.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.core.base.ids import uuid7
from subgraphs.core.data.storable import length_errors

from . import models as m
from . import repository as r
from .indexes import well_position
from .samplesheet import Defect, SampleSheet, SheetRow

LARGEST_PLATE = (16, 24)
NO_ID = uuid.UUID(int=0)
# A library's fields (as errors name them) by the sheet column they come from.
SHEET_COLUMN = {"name": "Sample_ID", "sampleName": "Sample_Name", "well": "Sample_Well", "i7IndexName": "I7_Index_ID",
                "i7Sequence": "index", "i5IndexName": "I5_Index_ID", "i5Sequence": "index2", "project": "Sample_Project"}


@dataclass
class SheetImport:
    run_id: uuid.UUID | None = None
    libraries: int = 0
    pools: int = 0
    samples_linked: int = 0
    defects: list[Defect] = field(default_factory=list)
    notes: list[Defect] = field(default_factory=list)


def run_name(sheet: SampleSheet, default: str) -> str:
    return sheet.header.get("RunName") or sheet.header.get("Experiment Name") or default


def sample_key(row: SheetRow) -> str:
    """What names a row's sample in the catalogue: Sample_Name when given, else Sample_ID."""
    return row.sample_name or row.sample_id


def _layout(rows: list[SheetRow]) -> tuple[int, int]:
    """96 wells unless a well is outside A01–H12."""
    fits = all(well_position(row.well, 8, 12)[1] is None for row in rows if row.well)
    return (8, 12) if fits else LARGEST_PLATE


def _check(sheet: SampleSheet) -> list[Defect]:
    """Defects of the sheet as a set of libraries: a well holding two libraries, a Sample_ID on two lanes
    with different indexes."""
    defects, wells, libraries = [], {}, {}
    for row in sheet.rows:
        if row.well and (taken := wells.setdefault((row.plate, row.well), row)) is not row \
                and taken.sample_id != row.sample_id:
            defects.append(Defect(row.line, f"well {row.well}{f' of plate {row.plate}' if row.plate else ''} "
                                            f"already holds {taken.sample_id} (line {taken.line})"))
        defects += [Defect(row.line, error.message.replace(error.field or "", SHEET_COLUMN.get(error.field, ""), 1))
                    for error in length_errors(m.LibraryPrep, _library(NO_ID, row, NO_ID, None, ""))]
        first = libraries.setdefault(row.sample_id, row)
        if (first.i7, first.i5, first.well, first.plate) != (row.i7, row.i5, row.well, row.plate):
            defects.append(Defect(row.line, f"Sample_ID {row.sample_id} differs from line {first.line} "
                                            "(indexes, plate or well): one library has one place and one index pair"))
    return defects


async def import_sheet(session: AsyncSession, sheet: SampleSheet, samples: dict[str, uuid.UUID], *,
                       default_name: str, group: str, actor: str) -> SheetImport:
    report = SheetImport(notes=list(sheet.notes), defects=sheet.defects + _check(sheet))
    name = run_name(sheet, default_name)
    report.defects += [Defect(None, f"header: {error.message}") for error in length_errors(
        m.SequencingRun, {"name": f"{name} lane 99", "instrument_type": _instrument(sheet)})]
    plates = {row.plate or "" for row in sheet.rows}
    batch_names = {plate: f"{name} {plate}".strip() for plate in plates}
    lanes = sorted({row.lane for row in sheet.rows}, key=lambda lane: lane or 0)
    pool_names = {lane: f"{name} lane {lane}" if lane is not None else f"{name} pool" for lane in lanes}
    for table, what, names in ((r.run, "sequencing run", [name]), (r.batch, "library prep batch", batch_names.values()),
                               (r.pool, "library pool", pool_names.values())):
        for taken in sorted(await r.name_taken(session, table, group, list(names))):
            report.defects.append(Defect(None, f"group {group} already has a {what} named {taken!r}"))
    if report.defects:
        return report

    run_id = uuid7()
    await r.insert_audited(session, m.SequencingRun, [{
        "id": run_id, "group": group, "name": name, "instrument_type": _instrument(sheet), "read_cycles": sheet.read_cycles, "index_cycles": sheet.index_cycles,
        "barcode_mismatches": sheet.barcode_mismatches, "header": sheet.header, "settings": sheet.settings,
        "report_media_ids": [], "external_uris": []}], actor)
    batch_ids = {plate: uuid7() for plate in plates}
    await r.insert_audited(session, m.LibraryPrepBatch, [_batch(batch_ids[p], batch_names[p], sheet, p, group)
                                                         for p in sorted(plates)], actor)
    library_ids: dict[str, uuid.UUID] = {}
    libraries = []
    for row in sheet.rows:
        if row.sample_id in library_ids:
            continue
        library_ids[row.sample_id] = uuid7()
        sample_id = samples.get(sample_key(row))
        if sample_id is None:
            report.notes.append(Defect(row.line, f"no material sample of group {group} has catalogue number "
                                                 f"{sample_key(row)!r}: the library is not linked to a sample"))
        libraries.append(_library(library_ids[row.sample_id], row, batch_ids[row.plate or ""], sample_id, group))
    await r.insert_audited(session, m.LibraryPrep, libraries, actor)
    pool_ids = {lane: uuid7() for lane in lanes}
    await r.insert_audited(session, m.LibraryPool, [
        {"id": pool_ids[lane], "group": group, "name": pool_names[lane]} for lane in lanes], actor)
    await r.insert_audited(session, m.LibraryPoolContent, [
        {"group": group, "library_pool_id": pool_ids[row.lane], "library_prep_id": library_ids[row.sample_id],
         "pooled_library_pool_id": None} for row in sheet.rows], actor)
    # An item per library and lane, through its lane's pool: where the demultiplexer's read counts go.
    await r.insert_audited(session, m.SequencingRunItem, [
        {"group": group, "sequencing_run_id": run_id, "lane": row.lane, "library_pool_id": pool_ids[row.lane],
         "library_prep_id": library_ids[row.sample_id], "result_media_ids": [], "external_uris": []}
        for row in sheet.rows], actor)
    report.run_id, report.libraries, report.pools = run_id, len(libraries), len(lanes)
    report.samples_linked = sum(1 for library in libraries if library["material_sample_id"])
    return report


def _instrument(sheet: SampleSheet) -> str | None:
    """v1's "Instrument Type", v2's InstrumentType or InstrumentPlatform."""
    header = sheet.header
    return header.get("Instrument Type") or header.get("InstrumentType") or header.get("InstrumentPlatform")


def _batch(id: uuid.UUID, name: str, sheet: SampleSheet, plate: str, group: str) -> dict[str, Any]:
    rows, columns = _layout([row for row in sheet.rows if (row.plate or "") == plate])
    return {"id": id, "group": group, "name": name, "kit": sheet.header.get("Assay"), "plate_rows": rows,
            "plate_columns": columns, "experimenter_ids": [], "index_set_id": None,
            "remarks": f"plate {plate} of the sample sheet" if plate else None}


def _library(id: uuid.UUID, row: SheetRow, batch_id: uuid.UUID, sample_id: uuid.UUID | None,
             group: str) -> dict[str, Any]:
    return {"id": id, "group": group, "library_prep_batch_id": batch_id, "name": row.sample_id,
            "sample_name": row.sample_name, "material_sample_id": sample_id, "well": row.well,
            "i7_index_name": row.i7_name, "i7_sequence": row.i7, "i5_index_name": row.i5_name,
            "i5_sequence": row.i5, "project": row.project, "description": row.description}


async def run_sheet(session: AsyncSession, run: m.SequencingRun) -> SampleSheet:
    """The run as a sample sheet: its header, reads and settings, a row per library and lane."""
    rows = [SheetRow(line=0, sample_id=library.name, lane=lane, sample_name=library.sample_name,
                     plate=_plate(library.batch_name, run.name), well=library.well, i7_name=library.i7_index_name,
                     i7=library.i7_sequence, i5_name=library.i5_index_name, i5=library.i5_sequence,
                     project=library.project, description=library.description)
            for lane, library in await r.run_sheet_rows(session, run.id)]
    header = dict(run.header)
    header.setdefault("RunName", run.name)
    return SampleSheet(header=header, read_cycles=list(run.read_cycles),
                       index_cycles=list(run.index_cycles) or _index_cycles(rows), settings=dict(run.settings),
                       rows=rows)


def _plate(batch_name: str, run_name: str) -> str | None:
    """A batch the import named "<run> <plate>" is that plate again; another batch is its own name."""
    plate = batch_name.removeprefix(f"{run_name} ") if batch_name != run_name else ""
    return plate or None


def _index_cycles(rows: list[SheetRow]) -> list[int]:
    lengths = [max((len(getattr(row, key) or "") for row in rows), default=0) for key in ("i7", "i5")]
    return [n for n in lengths if n]
