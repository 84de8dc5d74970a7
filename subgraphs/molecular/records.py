"""Reading GenBank flat files and FASTA into plain records (Biopython), with per-record errors."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from Bio import SeqIO
from Bio.Seq import UndefinedSequenceError

from subgraphs.core.base.errors import ClientError

from .service import IUPAC_NUCLEOTIDES, MolecularErrorCode, check_residues

# Amino-acid codes (IUPAC, with selenocysteine, pyrrolysine, stop and gap) that are not nucleotide codes too.
PROTEIN_ONLY = frozenset("EFIJLOPQZX*")
PROTEIN_CODES = frozenset("ACDEFGHIKLMNPQRSTVWYBZXJUO*-")
# NCBI FASTA identifiers (`gi|45478712|ref|NP_995567.1|`, `ref|NC_005816.1|:87-1109`, `lcl|ORF1`):
# the database tags whose value is an accession.version, best first.
ACCESSION_TAGS = ("ref", "gb", "emb", "dbj", "tpg", "tpe", "tpd", "pdb", "sp", "tr", "pir", "prf", "lcl", "gnl", "gi")
_SPAN = re.compile(r"c?\d+-\d+")


@dataclass
class RecordError:
    file: str
    record: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: record {self.record}: {self.reason}"


@dataclass
class SequenceRecord:
    file: str
    accession: str
    version: int
    residues: str
    definition: str | None = None
    organism: str | None = None
    molecule_type: str | None = None
    region: str | None = None
    specimen_voucher: str | None = None
    db_xrefs: list[str] = field(default_factory=list)
    submitters: list[str] = field(default_factory=list)
    publications: list[dict[str, Any]] = field(default_factory=list)
    source: dict[str, Any] = field(default_factory=dict)
    structured_comments: dict[str, Any] = field(default_factory=dict)
    source_location: str = ""

    @property
    def label(self) -> str:
        """accession.version, and the span of it a gene FASTA record is."""
        return f"{self.accession}.{self.version}{f':{self.source_location}' if self.source_location else ''}"


def _first(qualifiers: dict[str, list[str]], name: str) -> str | None:
    values = qualifiers.get(name)
    return values[0] if values else None


def _region(record: Any) -> str | None:
    for feature in record.features:
        product = _first(feature.qualifiers, "product") or ""
        if feature.type == "rRNA" and (match := re.match(r"(\d+S) ribosomal RNA", product)):
            return f"{match.group(1)} rRNA"
        if gene := _first(feature.qualifiers, "gene"):
            return gene
    return None


def _publications(record: Any) -> tuple[list[dict[str, Any]], list[str]]:
    publications, submitters = [], []
    for reference in record.annotations.get("references", []):
        entry = {"authors": reference.authors, "title": reference.title, "journal": reference.journal,
                 "pubmed": reference.pubmed_id or None}
        if reference.title == "Direct Submission":
            # INSDC author lists: "Last,I.I., Last,I. Jr. and Last,I." (no space inside a name's comma)
            submitters += [a.strip() for a in re.split(r", | and ", reference.authors) if a.strip()]
        else:
            publications.append({k: v for k, v in entry.items() if v})
    return publications, submitters


def _display_name(file: Path | TextIO, name: str | None) -> str:
    if name is not None:
        return name
    if isinstance(file, Path):
        return file.name
    raise TypeError("text read from a handle needs a name to show in its records and errors")


def protein_refusal(residues: str) -> str | None:
    """Why residues are refused as protein (amino-acid codes that are no nucleotide codes), or None.
    DINA Graph stores nucleotide sequences only: a protein record is refused, by its number, as protein."""
    letters = set(residues.upper()) - set("-. \n")
    if letters & PROTEIN_ONLY and letters <= PROTEIN_CODES:
        return (f"a protein sequence (amino acids {''.join(sorted(letters - IUPAC_NUCLEOTIDES))}): only nucleotide "
                "sequences are imported, protein records are refused")
    return None


def checked_residues(text: str) -> str:
    """The residues upper-cased, or ClientError: protein named as protein, other characters as not IUPAC."""
    if reason := protein_refusal(text):
        raise ClientError(MolecularErrorCode.PROTEIN_SEQUENCE, reason, "residues")
    return check_residues(text, "residues")


def genbank_records(file: Path | TextIO, name: str | None = None) -> Iterator[SequenceRecord | RecordError]:
    """The records of a GenBank flat file: a path, or an open text handle. ``name`` (default: the path's
    file name) is what records and errors call the file; it is only shown, never opened. A record without
    residues (CON, TLS: built from other records) or with protein is refused by its number and
    accession, and the rest of the file read on; a record Biopython cannot parse ends the file there."""
    name = _display_name(file, name)
    index = 0
    try:
        for index, record in enumerate(SeqIO.parse(file, "genbank"), start=1):
            source = next((f.qualifiers for f in record.features if f.type == "source"), {})
            accession = (record.annotations.get("accessions") or [record.id.split(".")[0]])[0]
            where = f"{index} ({accession})"
            try:
                residues = checked_residues(str(record.seq))
            except UndefinedSequenceError:
                division = record.annotations.get("data_file_division")
                yield RecordError(name, where, f"has no residues ({'a ' + division + ' record, ' if division else ''}"
                                               "built from other records): not imported")
                continue
            except ClientError as error:
                yield RecordError(name, where, error.message)
                continue
            publications, submitters = _publications(record)
            yield SequenceRecord(
                file=name, accession=accession, version=int(record.annotations.get("sequence_version", 1)),
                residues=residues, definition=record.description, organism=_first(source, "organism"),
                molecule_type=record.annotations.get("molecule_type"), region=_region(record),
                specimen_voucher=_first(source, "specimen_voucher"), db_xrefs=list(source.get("db_xref", [])),
                submitters=submitters, publications=publications,
                source={k: v[0] if len(v) == 1 else list(v) for k, v in source.items()},
                structured_comments=_plain(record.annotations.get("structured_comment", {})),
            )
    except (ValueError, AssertionError) as error:  # Biopython's words for a broken flat file
        yield RecordError(name, str(index + 1), f"not a readable GenBank record: {error}")


def fasta_identity(identifier: str) -> tuple[str, int, str]:
    """accession, version and span of a FASTA identifier: NCBI's `db|value|…` pairs (`ref|NC_005816.1|:87-1109`,
    `gi|45478712|ref|NP_995567.1|`, `lcl|ORF1`; the best accession tag wins over a gi number) or a plain
    `accession.version` (with `:87-1109`, as newer NCBI downloads write it)."""
    span = ""
    head, colon, tail = identifier.rpartition(":")
    if colon and _SPAN.fullmatch(tail):
        identifier, span = head.rstrip("|"), tail
    parts = identifier.split("|")
    if len(parts) > 1:
        pairs = dict(zip(parts[0::2], parts[1::2], strict=False))
        tag = next((t for t in ACCESSION_TAGS if pairs.get(t)), None)
        identifier = pairs[tag] if tag else parts[-1] or parts[0]
    accession, _, version = identifier.partition(".")
    return accession, int(version) if version.isdigit() else 1, span


def fasta_records(file: Path | TextIO, name: str | None = None) -> Iterator[SequenceRecord | RecordError]:
    """The records of a FASTA file: a path, or an open, seekable text handle (``name`` as for GenBank)."""
    name = _display_name(file, name)
    if isinstance(file, Path):
        with file.open() as handle:
            first = handle.read(1)
    else:
        start = file.tell()
        first = file.read(1)
        file.seek(start)
    if first != ">":
        yield RecordError(name, "1", "not FASTA: the file does not start with '>'")
        return
    for index, record in enumerate(SeqIO.parse(file, "fasta"), start=1):
        accession, version, span = fasta_identity(record.id)
        try:
            residues = checked_residues(str(record.seq))
        except ClientError as error:
            yield RecordError(name, f"{index} ({record.id})", error.message)
            continue
        yield SequenceRecord(
            file=name, accession=accession, version=version, residues=residues, source_location=span,
            definition=record.description.partition(" ")[2] or None,
        )


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def iso_collection_date(text: str | None) -> str | None:
    """INSDC /collection_date ("18-Jul-2004", "Jul-2004", "2004", "2004-07-18") as ISO 8601, possibly partial."""
    if not text:
        return None
    for pattern, iso in (("%d-%b-%Y", "%Y-%m-%d"), ("%b-%Y", "%Y-%m"), ("%Y", "%Y"), ("%Y-%m-%d", "%Y-%m-%d"),
                         ("%Y-%m", "%Y-%m")):
        try:
            return dt.datetime.strptime(text.strip(), pattern).strftime(iso)
        except ValueError:
            continue
    return None


def lat_lon(text: str | None) -> tuple[float, float] | None:
    """INSDC /lat_lon ("43.25 N 4.08 W") as signed decimal degrees."""
    match = re.fullmatch(r"\s*([\d.]+) ([NS]) ([\d.]+) ([EW])\s*", text or "")
    if not match:
        return None
    lat, ns, lon, ew = match.groups()
    return float(lat) * (1 if ns == "N" else -1), float(lon) * (1 if ew == "E" else -1)
