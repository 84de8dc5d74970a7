"""Bulk Darwin Core Archive import speed: a synthetic N-row occurrence archive COPYed in.

Writes the archive (meta.xml + occurrence.txt with 20 terms a row, 1,000 collectors, 50
collections) to a temporary folder, imports it into a throw-away database with
`subgraphs.exchange.dwca.bulk`, and prints occurrence rows per second, beside the speed of merely
reading the archive in the same run (the floor of any importer here).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import tempfile
import time
from pathlib import Path

from scratch import scratch_database

from subgraphs.core.runtime.progress import Progress
from subgraphs.exchange.dwca.archive import open_archive
from subgraphs.exchange.dwca.bulk import bulk_import_archive

TERMS = ["occurrenceID", "catalogNumber", "institutionCode", "collectionCode", "basisOfRecord", "scientificName",
         "recordedBy", "identifiedBy", "eventDate", "country", "countryCode", "stateProvince", "locality",
         "decimalLatitude", "decimalLongitude", "geodeticDatum", "habitat", "typeStatus", "otherCatalogNumbers",
         "sex"]


def write_archive(folder: Path, rows: int) -> None:
    fields = "\n".join(f'    <field index="{i}" term="http://rs.tdwg.org/dwc/terms/{t}"/>' for i, t in enumerate(TERMS))
    (folder / "meta.xml").write_text(f"""<archive xmlns="http://rs.tdwg.org/dwc/text/">
  <core encoding="UTF-8" fieldsTerminatedBy="\\t" linesTerminatedBy="\\n" fieldsEnclosedBy="" ignoreHeaderLines="1"
        rowType="http://rs.tdwg.org/dwc/terms/Occurrence">
    <files><location>occurrence.txt</location></files>
    <id index="0"/>
{fields}
  </core>
</archive>
""")
    random.seed(1)
    with (folder / "occurrence.txt").open("w") as out:
        out.write("\t".join(TERMS) + "\n")
        for i in range(rows):
            out.write("\t".join([
                f"urn:synthetic:{i}", f"SYN-{i:08d}", "SYNTH", f"C{i % 50:02d}", "PreservedSpecimen",
                f"Synthetica species{i % 997}", f"Collector {i % 1000}", f"Determiner {i % 100}",
                f"{1900 + i % 120}-{1 + i % 12:02d}-{1 + i % 28:02d}", "Denmark", "DK", "Zealand",
                f"Locality {i % 5000}", f"{54 + random.random() * 3:.5f}", f"{8 + random.random() * 7:.5f}", "WGS84",
                "forest", "", f"OLD-{i}", "female" if i % 2 else "male",
            ]) + "\n")


async def main(args: argparse.Namespace) -> None:
    async with scratch_database(args.admin_url) as url:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            began = time.perf_counter()
            write_archive(folder, args.rows)
            print(f"wrote a {args.rows:,}-row archive in {time.perf_counter() - began:.1f}s", flush=True)
            began = time.perf_counter()
            archive = open_archive(folder)
            read = sum(1 for _ in archive.rows(archive.core))
            read_seconds = time.perf_counter() - began
            began = time.perf_counter()
            bar = Progress(args.rows, "rows")
            report = await bulk_import_archive(url, folder, group="bench", actor="benchmark",
                                               progress=lambda done, _total: bar.update(done))
            bar.close()
            seconds = time.perf_counter() - began
    print(f"\nread only:   {read:,} rows in {read_seconds:.1f}s = {read / read_seconds:,.0f} rows/s")
    print(f"bulk import: {report.imported:,} rows in {seconds:.1f}s = {report.imported / seconds:,.0f} rows/s "
          f"({report.summary()})")
    print(f"target 50,000 rows/s: {'met' if report.imported / seconds >= 50_000 else 'not met'}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000, help="occurrence rows (default 1,000,000)")
    parser.add_argument("--admin-url", default=os.environ.get(
        "DINA_BENCH_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))
    asyncio.run(main(parser.parse_args()))
