"""Reading a Darwin Core Archive tolerantly, reporting each defect with file, row and reason.

Real archives are messy: delimiters and quotes vary, files carry BOMs or other encodings,
meta.xml names files that are not there, fields point past a row's end, ids repeat, a value holds a
NUL character (which PostgreSQL text cannot store). A defect in a row is reported and that row skipped;
a broken archive (not a zip, no core, unreadable meta.xml) raises ArchiveError before anything is written.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from xml.etree import ElementTree

DWC = "http://rs.tdwg.org/dwc/terms/"
NUL = "\x00"
TEXT_NS = "{http://rs.tdwg.org/dwc/text/}"
KNOWN_NAMESPACES = {"dwc": DWC, "dc": "http://purl.org/dc/terms/", "dcterms": "http://purl.org/dc/terms/"}
SIMPLE_ALIASES = {"identifier": "http://purl.org/dc/terms/identifier", "license": "http://purl.org/dc/terms/license",
                  "rightsHolder": "http://purl.org/dc/terms/rightsHolder", "modified": "http://purl.org/dc/terms/modified"}


# How a term is named in a defect: dwc:locality, dc:title, ac:accessURI (other namespaces in full).
TERM_PREFIXES = (("dwc", DWC), ("dc", "http://purl.org/dc/terms/"), ("ac", "http://rs.tdwg.org/ac/terms/"))
# Told of a row refused for a NUL character instead of recording its defect: (row number, id, reason).
Refuse = Callable[[int, str | None, str], None]


def term_label(term: str) -> str:
    return next((f"{prefix}:{term[len(uri):]}" for prefix, uri in TERM_PREFIXES if term.startswith(uri)), term)


class ArchiveError(Exception):
    """The archive cannot be read at all; nothing is imported."""


@dataclass
class Defect:
    file: str
    row: int | None
    reason: str

    def __str__(self) -> str:
        return f"{self.file}{f' row {self.row}' if self.row else ''}: {self.reason}"


@dataclass
class DataFile:
    location: str
    row_type: str
    fields: dict[int, str]
    defaults: dict[str, str]
    id_index: int | None
    delimiter: str = ","
    quote: str = '"'
    encoding: str = "utf-8"
    header_lines: int = 0


@dataclass
class Archive:
    name: str
    core: DataFile
    extensions: list[DataFile]
    files: dict[str, bytes]
    defects: list[Defect] = field(default_factory=list)
    metadata: bytes | None = None

    @property
    def core_kind(self) -> str:
        return self.core.row_type.rsplit("/", 1)[-1]

    def rows(self, data_file: DataFile, refuse: Refuse | None = None) -> Iterator[tuple[int, str | None, dict[str, str]]]:
        """(row number, id, {term: value}) of every readable row; defects are recorded, not raised.
        A row with a NUL character in a value it maps, or in its id, is such a defect ("contains a NUL
        character in dwc:locality"): no database could take it. ``refuse``, if given, is told of those
        rows instead (an extension row's defect refuses the core row it belongs to), unless the NUL is in
        the id, which names no core row."""
        raw = self.files.get(data_file.location)
        if raw is None:
            self.defects.append(Defect(data_file.location, None, "the file named in meta.xml is missing"))
            return
        text = _decode(raw, data_file.encoding, data_file.location)
        any_nul = NUL in text  # rare: one scan of the file spares each row of the others a look
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=data_file.delimiter,
                            quotechar=data_file.quote or None, quoting=csv.QUOTE_MINIMAL if data_file.quote
                            else csv.QUOTE_NONE, strict=False)
        width = max([*data_file.fields, data_file.id_index or 0]) + 1
        for number, values in enumerate(reader, start=1):
            if number <= data_file.header_lines or not any(v.strip() for v in values):
                continue
            if len(values) < width:
                self.defects.append(Defect(data_file.location, number,
                                           f"has {len(values)} fields but meta.xml maps index {width - 1}"))
                continue
            record = {term: values[index].strip() for index, term in data_file.fields.items() if values[index].strip()}
            for term, value in data_file.defaults.items():
                record.setdefault(term, value)
            row_id = values[data_file.id_index].strip() if data_file.id_index is not None else None
            if any_nul and (reason := _nul_reason(record, row_id)):
                if refuse is None or NUL in (row_id or ""):
                    self.defects.append(Defect(data_file.location, number, reason))
                else:
                    refuse(number, row_id, reason)
                continue
            yield number, row_id, record


def _nul_reason(record: dict[str, str], row_id: str | None) -> str | None:
    """Why a row cannot be stored if a value it maps (or its id) holds a NUL character; else None."""
    terms = [term_label(term) for term, value in record.items() if NUL in value]
    if not terms and NUL in (row_id or ""):
        terms = ["its id"]
    return f"contains a NUL character in {', '.join(terms)}" if terms else None


def _decode(raw: bytes, encoding: str, name: str) -> str:
    """The file's text in its declared encoding (a UTF-8 BOM is dropped); a mismatch is an ArchiveError,
    since guessing would write wrong letters into every name."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw, encoding = raw[3:], "utf-8"
    try:
        return raw.decode(encoding or "utf-8")
    except (UnicodeDecodeError, LookupError) as error:
        raise ArchiveError(f"{name} is not valid {encoding or 'UTF-8'} ({error}); fix the file or its "
                           "meta.xml encoding attribute") from None


def _unescape(value: str | None, default: str) -> str:
    if value is None:
        return default
    return value.replace("\\t", "\t").replace("\\n", "\n").replace("\\r", "\r")


def _data_file(element: ElementTree.Element) -> DataFile:
    location = element.findtext(f"{TEXT_NS}files/{TEXT_NS}location") or ""
    id_element = element.find(f"{TEXT_NS}id")
    if id_element is None:  # (an Element without children is falsy: no `or` here)
        id_element = element.find(f"{TEXT_NS}coreid")
    fields, defaults = {}, {}
    for item in element.findall(f"{TEXT_NS}field"):
        term = item.get("term", "")
        if item.get("index") is not None:
            fields[int(item.get("index"))] = term
        elif item.get("default") is not None:
            defaults[term] = item.get("default")
    return DataFile(
        location=location.strip(), row_type=element.get("rowType", ""), fields=fields, defaults=defaults,
        id_index=int(id_element.get("index")) if id_element is not None and id_element.get("index") else None,
        delimiter=_unescape(element.get("fieldsTerminatedBy"), ","), quote=_unescape(element.get("fieldsEnclosedBy"), '"'),
        encoding=element.get("encoding", "utf-8"), header_lines=int(element.get("ignoreHeaderLines") or 0),
    )


def _files(path: Path) -> dict[str, bytes]:
    if path.is_dir():
        return {str(p.relative_to(path)): p.read_bytes() for p in path.rglob("*") if p.is_file()}
    try:
        with zipfile.ZipFile(path) as archive:
            return {i.filename: archive.read(i) for i in archive.infolist()
                    if not i.is_dir() and not i.filename.startswith("__MACOSX/")}
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise ArchiveError(f"{path.name} is not a readable zip archive: {error}") from None


def term_uri(name: str) -> str:
    """A header name of a simple archive as a term URI (`catalognumber` → dwc:catalogNumber)."""
    if "://" in name:
        return name
    proper = {t.lower(): t for t in dwc_terms()}.get(name.lower(), name)
    return SIMPLE_ALIASES.get(proper, DWC + proper)


def _simple_archive(name: str, files: dict[str, bytes]) -> DataFile:
    data = [f for f in files if f.lower().endswith((".csv", ".txt", ".tsv")) and "/" not in f
            and f.lower() not in ("citations.txt", "rights.txt")]
    if len(data) != 1:
        raise ArchiveError(f"{name} has no meta.xml and not exactly one data file ({', '.join(data) or 'none'})")
    head = files[data[0]].split(b"\n", 1)[0].decode("utf-8", "replace").lstrip("\ufeff")
    if NUL in head:  # its names become the terms every row's values are stored under
        raise ArchiveError(f"{name}: the header row of {data[0]} contains a NUL character")
    delimiter = "\t" if head.count("\t") >= head.count(",") else ","
    header = next(csv.reader([head], delimiter=delimiter))
    return DataFile(location=data[0], row_type=DWC + "Occurrence",
                    fields={i: term_uri(h.strip()) for i, h in enumerate(header)}, defaults={},
                    id_index=next((i for i, h in enumerate(header) if h.strip() in ("occurrenceID", "gbifID")), None),
                    delimiter=delimiter, quote='"', header_lines=1)


def open_archive(path: Path) -> Archive:
    if not path.exists():
        raise ArchiveError(f"{path} does not exist")
    files = _files(path)
    if "meta.xml" not in files:
        archive = Archive(path.name, _simple_archive(path.name, files), [], files)
        archive.defects.append(Defect("meta.xml", None, "missing: read as a simple archive (header row names terms)"))
        return archive
    try:
        meta = ElementTree.fromstring(files["meta.xml"])
    except ElementTree.ParseError as error:
        raise ArchiveError(f"{path.name}: meta.xml is not well-formed XML ({error})") from None
    core = meta.find(f"{TEXT_NS}core")
    if core is None:
        raise ArchiveError(f"{path.name}: meta.xml declares no core file")
    archive = Archive(path.name, _data_file(core), [_data_file(e) for e in meta.findall(f"{TEXT_NS}extension")], files)
    if archive.core.location not in files:
        raise ArchiveError(f"{path.name}: the core file {archive.core.location!r} is missing")
    metadata = meta.get("metadata")
    if metadata and metadata not in files:
        archive.defects.append(Defect("meta.xml", None, f"names metadata file {metadata!r}, which is missing"))
    archive.metadata = files.get(metadata or "eml.xml") or files.get("eml.xml")
    for data_file in [archive.core, *archive.extensions]:
        unknown = sorted({t for t in data_file.fields.values() if t.startswith(DWC) and t[len(DWC):] not in dwc_terms()})
        for term in unknown:
            archive.defects.append(Defect(data_file.location, None, f"unknown Darwin Core term {term} (values kept)"))
    return archive


@cache
def dwc_terms() -> frozenset[str]:
    """TDWG's Darwin Core term names (dwc_terms.csv)."""
    lines = (Path(__file__).parent / "dwc_terms.csv").read_text().split()
    return frozenset(line.strip() for line in lines[1:] if line.strip())
