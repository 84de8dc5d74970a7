"""Sequences out: FASTA, and GenBank's tab-separated source-modifier table for submissions."""

from __future__ import annotations

import csv
import io
import textwrap
from collections.abc import Iterable
from typing import Any

SOURCE_TABLE_COLUMNS = [("Sequence_ID", None), ("Organism", "organism"), ("Specimen_voucher", "specimen_voucher"),
                        ("Country", "country"), ("Lat_Lon", "lat_lon"), ("Collection_date", "collection_date"),
                        ("Collected_by", "collected_by"), ("Strain", "strain"), ("Isolate", "isolate")]


def fasta(rows: Iterable[Any]) -> str:
    """FASTA text, 70 residues a line, headers `>ACCESSION.VERSION definition`."""
    out = []
    for row in rows:
        header = f">{row['accession']}.{row['accession_version']}"
        out.append(f"{header} {row['definition']}" if row["definition"] else header)
        out.extend(textwrap.wrap(row["residues"], 70))
    return "\n".join(out) + "\n" if out else ""


def source_table(rows: Iterable[Any]) -> str:
    """BankIt/table2asn source modifiers, one row per sequence, from the stored source qualifiers."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    writer.writerow([name for name, _ in SOURCE_TABLE_COLUMNS])
    for row in rows:
        source = row["source_qualifiers"] or {}
        values = [f"{row['accession']}.{row['accession_version']}"]
        values += [source.get(key) or (row.get(key) if key in ("organism", "specimen_voucher") else "") or ""
                   for _, key in SOURCE_TABLE_COLUMNS[1:]]
        writer.writerow([v if isinstance(v, str) else "; ".join(v) for v in values])
    return buffer.getvalue()
