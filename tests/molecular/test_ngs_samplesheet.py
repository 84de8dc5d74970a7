"""Illumina sample sheets read and written: a real IEM v1 sheet of 384 Nextera XT libraries, v2 sheets as
BCL Convert reads them, every defect with its line, and both formats readable back."""

from __future__ import annotations

from pathlib import Path

import pytest

from subgraphs.molecular.ngs import samplesheet
from subgraphs.molecular.ngs.indexes import Indexed, collide, hamming, reverse_complement

REAL_V1 = Path("/work/shared/data/ngs/nexterxt-384-hiseq-v1.csv")
if not REAL_V1.is_file():
    REAL_V1 = Path(__file__).resolve().parents[3] / "shared" / "data" / "ngs" / "nexterxt-384-hiseq-v1.csv"

# A NextSeq 2000 run of four Nextera XT v2 libraries (i5 as the reverse complement, as that instrument reads it).
V2 = """[Header]
FileFormatVersion,2
RunName,NS2K-2026-014
InstrumentPlatform,NextSeq1k2k
IndexOrientation,Forward

[Reads]
Read1Cycles,151
Read2Cycles,151
Index1Cycles,8
Index2Cycles,8

[Sequencing_Settings]
LibraryPrepKits,NexteraXT

[BCLConvert_Settings]
SoftwareVersion,3.10.5
AdapterRead1,CTGTCTCTTATACACATCT
BarcodeMismatchesIndex1,1
BarcodeMismatchesIndex2,1

[BCLConvert_Data]
Lane,Sample_ID,Index,Index2,Sample_Project
1,KUM-H-0001,TAAGGCGA,ATAGAGAG,herps
1,KUM-H-0002,CGTACTAG,ATAGAGAG,herps
1,KUM-H-0003,AGGCAGAA,ATAGAGAG,herps
1,KUM-H-0004,TCCTGAGC,ATAGAGAG,herps
"""


def test_the_real_384_library_v1_sheet_reads_whole() -> None:
    sheet = samplesheet.parse(REAL_V1.read_text())
    assert sheet.defects == [] and sheet.version == 1
    assert sheet.header["Index Adapters"] == "Nextera XT v2 Index Kit" and sheet.read_cycles == [151, 151]
    assert sheet.settings == {"Settings": {"Adapter": "CTGTCTCTTATACACATCT"}}
    assert len(sheet.rows) == 384 and {row.lane for row in sheet.rows} == {2}
    first, last = sheet.rows[0], sheet.rows[-1]
    assert (first.line, first.sample_id, first.plate, first.well, first.i7_name, first.i7, first.i5_name, first.i5) \
        == (20, "sample-A01", "plate_a", "A01", "N701-A", "TAAGGCGA", "S502-A", "ATAGAGAG")
    assert (last.plate, last.well, last.i7_name, last.i5_name) == ("plate_d", "H12", "N729-D", "S522-D")


def test_a_v2_sheet_reads_with_its_settings() -> None:
    sheet = samplesheet.parse(V2)
    assert sheet.defects == [] and sheet.version == 2
    assert sheet.header["RunName"] == "NS2K-2026-014"
    assert (sheet.read_cycles, sheet.index_cycles, sheet.barcode_mismatches) == ([151, 151], [8, 8], 1)
    assert sheet.settings["Sequencing_Settings"] == {"LibraryPrepKits": "NexteraXT"}
    assert [(row.line, row.lane, row.sample_id, row.i7, row.project) for row in sheet.rows][:2] == [
        (24, 1, "KUM-H-0001", "TAAGGCGA", "herps"), (25, 1, "KUM-H-0002", "CGTACTAG", "herps")]


@pytest.mark.parametrize("version", [1, 2])
def test_each_format_is_written_readable_back(version: int) -> None:
    original = samplesheet.parse(REAL_V1.read_text())
    again = samplesheet.parse(samplesheet.write(original, version))
    assert again.defects == [] and again.version == version
    assert [(r.lane, r.sample_id, r.i7, r.i5) for r in again.rows] == \
        [(r.lane, r.sample_id, r.i7, r.i5) for r in original.rows]
    if version == 1:
        assert [(r.plate, r.well, r.i7_name) for r in again.rows] == [(r.plate, r.well, r.i7_name) for r in original.rows]
        assert again.header == original.header and again.settings == original.settings


def test_what_instrument_software_accepts_reads_and_is_noted() -> None:
    text = V2.replace("1,KUM-H-0002,CGTACTAG", "1, KUM-H-0002 ,cgtactag ").replace(
        "Lane,Sample_ID,Index,Index2,Sample_Project", "Lane,Sample_ID,Index,Index2,Sample_Project,,")
    sheet = samplesheet.parse(text)
    assert sheet.defects == []
    assert sheet.rows[1].sample_id == "KUM-H-0002" and sheet.rows[1].i7 == "CGTACTAG"
    assert [str(note) for note in sheet.notes] == ["line 25: surrounding whitespace trimmed"]


def test_every_defect_is_reported_with_its_line() -> None:
    text = V2.replace("[Sequencing_Settings]", "[Sequencing_Setings]") \
        .replace("[BCLConvert_Settings]", "[BCLConvert_Settings") \
        .replace("1,KUM-H-0003,AGGCAGAA", "1,KUM-H-0003,AGGCXGAA") \
        .replace("1,KUM-H-0004,TCCTGAGC,ATAGAGAG", "1,KUM-H-0002,TCCTGAGC,ATAGAGAG") \
        + "1,KUM-H-0005,TAAGGCGT,ATAGAGAG,herps\n"
    assert [str(defect) for defect in samplesheet.parse(text).defects] == [
        "line 16: section name '[BCLConvert_Settings' has no closing ]",
        "line 13: unknown section [Sequencing_Setings] in a v2 sample sheet (expected [BCLConvert_Data], "
        "[BCLConvert_Settings], [Cloud_Data], [Cloud_Settings], [Header], [Reads], [Sequencing_Settings])",
        "line 26: index 'AGGCXGAA' has characters that are not IUPAC DNA codes: X",
        "line 27: duplicate Sample_ID 'KUM-H-0002' (first on line 25) on lane 1",
        "line 28: index collision with line 24: Libraries KUM-H-0001 (TAAGGCGA+ATAGAGAG) and KUM-H-0005 "
        "(TAAGGCGT+ATAGAGAG) have index pairs within 2 mismatches of each other on lane 1.",
    ]


def test_a_missing_column_and_an_identical_pair_are_defects() -> None:
    no_id = samplesheet.parse(V2.replace("Lane,Sample_ID,", "Lane,Sample,"))
    assert [str(d) for d in no_id.defects] == ["line 23: missing column Sample_ID"]
    same = samplesheet.parse(REAL_V1.read_text().replace("sample-A02,,plate_a,A02,N702-A,CGTACTAG",
                                                         "sample-A02,,plate_a,A02,N701-A,TAAGGCGA"))
    assert [str(d) for d in same.defects] == [
        "line 21: index collision with line 20: Libraries sample-A01 (TAAGGCGA+ATAGAGAG) and sample-A02 "
        "(TAAGGCGA+ATAGAGAG) have the same index pair on lane 2."]


def test_collisions_follow_the_demultiplexers_mismatches() -> None:
    a, b = Indexed("a", "TAAGGCGA", "CTCTCTAT"), Indexed("b", "TAAGGCTT", "CTCTCTAT")
    assert hamming(a.i7, b.i7) == 2
    assert not collide(a, b, 0) and collide(a, b, 1)
    assert collide(a, Indexed("c", "TAAGGCGA", "CTCTCTAT", lane=2))  # a has no lane: it is on every lane
    assert not collide(Indexed("d", "TAAGGCGA", "CTCTCTAT", lane=1), Indexed("c", "TAAGGCGA", "CTCTCTAT", lane=2))
    assert reverse_complement("CTCTCTAT") == "ATAGAGAG"
