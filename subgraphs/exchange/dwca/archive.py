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

from subgraphs.core.runtime.settings import get_settings

DWC = "http://rs.tdwg.org/dwc/terms/"
NUL = "\x00"
TEXT_NS = "{http://rs.tdwg.org/dwc/text/}"
CHUNK = 1 << 20  # an archive entry is read this many bytes at a time
MAX_COLUMN_INDEX = 10_000  # columns of a data file meta.xml may map: no real archive comes near
# Darwin Core 1.4's namespaces, whose (capitalised) terms GBIF reads as today's dwc: terms.
LEGACY_DWC_NAMESPACES = (DWC, "http://rs.tdwg.org/dwc/dwcore/", "http://rs.tdwg.org/dwc/geospatial/",
                         "http://rs.tdwg.org/dwc/curatorial/", "http://rs.tdwg.org/dwc/terms/dwcore/")
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

    code = "BAD_ARCHIVE"


class ArchiveBomb(ArchiveError):
    """The archive expands past the configured limits (a zip bomb); nothing is imported."""

    code = "ARCHIVE_TOO_LARGE"


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

    @property
    def kind(self) -> str:
        """The row type's name: Occurrence, Event, Taxon, Identification, MeasurementOrFact, …"""
        return self.row_type.rstrip("/").rsplit("/", 1)[-1]


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
        return self.core.kind

    def core_lines(self) -> int:
        """Lines of the core file past its header: its rows, as far as a progress bar needs to know
        (a quoted value may span lines) without parsing it."""
        return max(self.files.get(self.core.location, b"").count(b"\n") - self.core.header_lines, 0)

    def text(self, data_file: DataFile) -> str | None:
        """A data file's text (None, reported, if the file is missing)."""
        raw = self.files.get(data_file.location)
        if raw is None:
            self.defects.append(Defect(data_file.location, None, "the file named in meta.xml is missing"))
            return None
        return _decode(raw, data_file.encoding, data_file.location)

    def rows(self, data_file: DataFile, refuse: Refuse | None = None) -> Iterator[tuple[int, str | None, dict[str, str]]]:
        """(row number, id, {term: value}) of every readable row; defects are recorded, not raised.
        A row with a NUL character in a value it maps, or in its id, is such a defect ("contains a NUL
        character in dwc:locality"): no database could take it. ``refuse``, if given, is told of those
        rows instead (an extension row's defect refuses the core row it belongs to), unless the NUL is in
        the id, which names no core row."""
        text = self.text(data_file)
        if text is None:
            return
        any_nul = NUL in text  # rare: one scan of the file spares each row of the others a look
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=data_file.delimiter,
                            quotechar=data_file.quote or None, quoting=csv.QUOTE_MINIMAL if data_file.quote
                            else csv.QUOTE_NONE, strict=False)
        width = max([*data_file.fields, data_file.id_index or 0]) + 1
        for number, values in enumerate(reader, start=1):
            if number <= data_file.header_lines or not any(v.strip() for v in values):
                continue
            if len(values) < width:  # trailing empty fields left out: null, as GBIF's reader reads them
                values += [""] * (width - len(values))
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


def _character(value: str, what: str, *, optional: bool = False) -> str:
    """A delimiter or quote of meta.xml: one character (the quote may be none), which csv needs."""
    if len(value) != 1 and not (optional and value == ""):
        raise ArchiveError(f"meta.xml: {what} {value!r} is not one character")
    return value


def _int(value: str | None, what: str, maximum: int | None = None) -> int | None:
    """A number of meta.xml, from 0 (to ``maximum``): a negative index would read the row from its
    end, and a huge one would pad every row to that width."""
    try:
        number = int(value) if value not in (None, "") else None
    except ValueError:
        raise ArchiveError(f"meta.xml: {what} {value!r} is not a number") from None
    if number is not None and number < 0:
        raise ArchiveError(f"meta.xml: {what} {value!r} is negative")
    if number is not None and maximum is not None and number > maximum:
        raise ArchiveError(f"meta.xml: {what} {value!r} is over {maximum:,}")
    return number


def _data_file(element: ElementTree.Element, defects: list[Defect]) -> DataFile:
    """One core or extension of meta.xml; a term mapped twice (the first index read) and a term
    normalised to its Darwin Core spelling are reported in ``defects``."""
    location = (element.findtext(f"{TEXT_NS}files/{TEXT_NS}location") or "").strip()
    id_element = element.find(f"{TEXT_NS}id")
    if id_element is None:  # (an Element without children is falsy: no `or` here)
        id_element = element.find(f"{TEXT_NS}coreid")
    fields: dict[int, str] = {}
    defaults: dict[str, str] = {}
    renamed: list[str] = []
    for item in element.findall(f"{TEXT_NS}field"):
        given = item.get("term", "")
        term = normalised_term(given)
        if term != given:
            renamed.append(f"{given} → {term_label(term)}")
        index = _int(item.get("index"), f"the index of {given} in {location}", MAX_COLUMN_INDEX)
        if term in fields.values() or term in defaults:
            defects.append(Defect(location, None, f"{term_label(term)} is mapped twice in meta.xml; "
                                  "the first mapping is read"))
        elif index is not None:
            fields[index] = term
        elif item.get("default") is not None:
            defaults[term] = item.get("default")
    if renamed:
        defects.append(Defect(location, None, f"terms normalised to Darwin Core: {', '.join(renamed)}"))
    delimiter = _character(_unescape(element.get("fieldsTerminatedBy"), ","), f"fieldsTerminatedBy of {location}")
    quote = _character(_unescape(element.get("fieldsEnclosedBy"), '"'), f"fieldsEnclosedBy of {location}", optional=True)
    if quote == delimiter:
        raise ArchiveError(f"meta.xml: {location} encloses fields in {quote!r}, its delimiter")
    return DataFile(
        location=location, row_type=element.get("rowType", ""), fields=fields, defaults=defaults,
        id_index=_int(id_element.get("index"), f"the id index of {location}", MAX_COLUMN_INDEX)
        if id_element is not None else None,
        delimiter=delimiter, quote=quote,
        encoding=element.get("encoding", "utf-8"),
        header_lines=_int(element.get("ignoreHeaderLines"), f"ignoreHeaderLines of {location}") or 0,
    )


def _files(path: Path) -> dict[str, bytes]:
    if path.is_dir():
        return {str(p.relative_to(path)): p.read_bytes() for p in path.rglob("*") if p.is_file()}
    try:
        with zipfile.ZipFile(path) as archive:
            return _entries(path.name, archive)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:
        raise ArchiveError(f"{path.name} is not a readable zip archive: {error}") from None


def _entries(name: str, archive: zipfile.ZipFile) -> dict[str, bytes]:
    """Every entry's bytes, read in chunks: past the settings' total uncompressed size or one
    entry's compression ratio (its declared sizes are not trusted) the archive is an ArchiveBomb."""
    settings = get_settings()
    files, total = {}, 0
    for info in archive.infolist():
        if info.is_dir() or info.filename.startswith("__MACOSX/"):
            continue
        chunks, size = [], 0
        with archive.open(info) as entry:
            while chunk := entry.read(CHUNK):
                size += len(chunk)
                total += len(chunk)
                if total > settings.max_archive_bytes:
                    raise ArchiveBomb(f"{name} holds more than {settings.max_archive_bytes:,} bytes uncompressed "
                                      "(DINA_MAX_ARCHIVE_BYTES)")
                if size > CHUNK and size > settings.max_archive_ratio * max(info.compress_size, 1):
                    raise ArchiveBomb(f"{name}: {info.filename} expands more than {settings.max_archive_ratio} "
                                      "times its compressed size (DINA_MAX_ARCHIVE_RATIO)")
                chunks.append(chunk)
        files[info.filename] = b"".join(chunks)
    return files


def _root_folder(files: dict[str, bytes], defects: list[Defect]) -> dict[str, bytes]:
    """The files of an archive zipped with one folder around them, as if they were at its top."""
    folders = {name.split("/", 1)[0] for name in files}
    if "meta.xml" in files or len(folders) != 1 or not all("/" in name for name in files):
        return files
    (folder,) = folders
    defects.append(Defect(f"{folder}/", None, "the archive's files are inside this one folder: read from there"))
    return {name[len(folder) + 1:]: data for name, data in files.items()}


def normalised_term(name: str) -> str:
    """A term as Darwin Core spells it: a header name or bare term (`catalognumber`), a case variant
    (`OccurrenceID`), a DwC 1.4 capitalised or namespaced one (`ScientificName`,
    `http://rs.tdwg.org/dwc/dwcore/CatalogNumber`) all become their dwc: URI, as GBIF's term factory
    reads them; other URIs stay as they are."""
    local = name
    if "://" in name:
        namespace, _, local = name.rstrip("/").rpartition("/")
        if namespace + "/" not in LEGACY_DWC_NAMESPACES:
            return name
    proper = _terms_by_lower_case().get(local.lower())
    if proper is None:
        return name if "://" in name else DWC + local
    return SIMPLE_ALIASES.get(proper, DWC + proper)


@cache
def _terms_by_lower_case() -> dict[str, str]:
    return {t.lower(): t for t in [*dwc_terms(), *SIMPLE_ALIASES]}


def _simple_text(name: str, location: str, raw: bytes, defects: list[Defect]) -> tuple[str, str]:
    """A data file without meta.xml, decoded: UTF-8 (a BOM dropped), else read as ISO-8859-1 (in
    which every byte is a letter) and the guess reported; and its encoding."""
    try:
        return _decode(raw, "utf-8", location), "utf-8"
    except ArchiveError:
        defects.append(Defect(location, None, "is not UTF-8: read as ISO-8859-1 (Latin-1), the encoding "
                              "of archives without meta.xml that are not UTF-8"))
        return raw.decode("iso-8859-1"), "iso-8859-1"


def _simple_archive(name: str, files: dict[str, bytes], defects: list[Defect]) -> DataFile:
    data = [f for f in files if f.lower().endswith((".csv", ".txt", ".tsv")) and "/" not in f
            and f.lower() not in ("citations.txt", "rights.txt")]
    if len(data) != 1:
        raise ArchiveError(f"{name} has no meta.xml and not exactly one data file ({', '.join(data) or 'none'})")
    text, encoding = _simple_text(name, data[0], files[data[0]], defects)
    head = text.split("\n", 1)[0].rstrip("\r")
    if NUL in head:  # its names become the terms every row's values are stored under
        raise ArchiveError(f"{name}: the header row of {data[0]} contains a NUL character")
    delimiter = "\t" if head.count("\t") >= head.count(",") else ","
    header = [h.strip() for h in next(csv.reader([head], delimiter=delimiter))]
    fields: dict[int, str] = {}
    renamed: list[str] = []
    for index, given in enumerate(header):
        term = normalised_term(given)
        if term.rsplit("/", 1)[-1] != given and "://" not in given:
            renamed.append(f"{given} → {term_label(term)}")
        if term in fields.values():
            defects.append(Defect(data[0], None, f"{term_label(term)} is named twice in the header; the first is read"))
        else:
            fields[index] = term
    if renamed:
        defects.append(Defect(data[0], None, f"header names normalised: {', '.join(renamed)}"))
    return DataFile(location=data[0], row_type=DWC + "Occurrence", fields=fields, defaults={},
                    id_index=next((i for i, h in enumerate(header) if h.lower() in ("occurrenceid", "gbifid")), None),
                    delimiter=delimiter, quote='"', encoding=encoding, header_lines=1)


def _width(archive: Archive, data_file: DataFile) -> int:
    """How many fields the widest of a data file's header lines and first row has."""
    raw = archive.files.get(data_file.location, b"")
    lines = raw.split(b"\n", data_file.header_lines + 1)[:data_file.header_lines + 1]
    rows = csv.reader([line.decode(data_file.encoding or "utf-8", "replace") for line in lines],
                      delimiter=data_file.delimiter, quotechar=data_file.quote or None,
                      quoting=csv.QUOTE_MINIMAL if data_file.quote else csv.QUOTE_NONE)
    return max((len(row) for row in rows), default=0)


def open_archive(path: Path) -> Archive:
    if not path.exists():
        raise ArchiveError(f"{path} does not exist")
    defects: list[Defect] = []
    files = _root_folder(_files(path), defects)
    if "meta.xml" not in files:
        defects.insert(0, Defect("meta.xml", None, "missing: read as a simple archive (header row names terms)"))
        return Archive(path.name, _simple_archive(path.name, files, defects), [], files, defects)
    try:
        meta = ElementTree.fromstring(files["meta.xml"])
    except ElementTree.ParseError as error:
        raise ArchiveError(f"{path.name}: meta.xml is not well-formed XML ({error})") from None
    core = meta.find(f"{TEXT_NS}core")
    if core is None:
        raise ArchiveError(f"{path.name}: meta.xml declares no core file")
    archive = Archive(path.name, _data_file(core, defects),
                      [_data_file(e, defects) for e in meta.findall(f"{TEXT_NS}extension")], files, defects)
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
    for extension in archive.extensions:
        if extension.id_index is None:
            archive.defects.append(Defect(extension.location, None, "meta.xml gives this extension no coreid: "
                                          "its rows belong to no core row and are not read"))
        elif extension.location in files and extension.id_index >= (width := _width(archive, extension)):
            archive.defects.append(Defect(extension.location, None, f"meta.xml puts the coreid at index "
                                          f"{extension.id_index}, past the {width} fields of the file's rows: "
                                          "its rows belong to no core row and are not read"))
            extension.id_index = None
    return archive


@cache
def dwc_terms() -> frozenset[str]:
    """TDWG's Darwin Core term names (dwc_terms.csv)."""
    lines = (Path(__file__).parent / "dwc_terms.csv").read_text().split()
    return frozenset(line.strip() for line in lines[1:] if line.strip())
