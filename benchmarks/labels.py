"""Label rendering speed and memory: N specimen-qr labels (the built-in template as the migration installs
it) typeset to one PDF, in a fresh process per run so each peak RSS is its own.

Prints labels/s and peak memory for the QR template and, as the baseline of the same run, for the same
template without its QR code; and peak memory at a quarter of N, to show whether memory grows with the
number of labels (the sheets are typeset a part at a time). Records are synthetic, shaped as the
router returns them; reading them through the graph is measured by run.py, not here.

    .venv/bin/python benchmarks/labels.py                 # 1,000 labels
    .venv/bin/python benchmarks/labels.py --labels 5000
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BUILTIN = REPO / "migrations" / "versions" / "reports" / "builtin"
sys.path.insert(0, str(REPO))




def specimen_qr_layout() -> dict:
    """The built-in's sheet, as its migration installs it."""
    spec = importlib.util.spec_from_file_location("reports_0001_i20", BUILTIN.parent / "reports_0001_i20_templates.py")
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    return next(layout for _, name, _, layout, _ in migration.TEMPLATES if name == "specimen-qr")


def items(count: int) -> list[dict]:
    return [{"id": f"0193b000-0000-7000-8000-{i:012x}", "materialSampleName": f"BENCH-{i:06d}",
             "determinations": [{"scientificName": "Lissotriton boscai", "verbatimScientificName": None,
                                 "isPrimary": True}],
             "collectingEvent": {"verbatimLocality": f"Fuente Dé, Picos de Europa {i}", "stateProvince": "Cantabria",
                                 "country": "Spain", "startEventDate": "2004-07-18", "endEventDate": None,
                                 "verbatimEventDate": "18-Jul-2004"},
             "collectors": [{"displayName": "Rafael Fonoll"}, {"displayName": "Tony Iwane"}]}
            for i in range(count)]


def child(count: int, with_qr: bool) -> dict:
    from subgraphs.reports import templating
    from subgraphs.reports.models import ReportTemplate
    from subgraphs.reports.service import label_pdf

    body = (BUILTIN / "specimen-qr.html").read_text()
    if not with_qr:
        body = body.replace("{{ qr(stable_id(item.id), 22) }}", "")
    template = ReportTemplate(name="specimen-qr", kind="MATERIAL_SAMPLE_LABEL", body=body, query="",
                              stylesheet=(BUILTIN / "specimen-qr.css").read_text(),
                              layout=specimen_qr_layout())
    records = items(count)
    label_pdf(template, records[:3], templating.Identifiers())  # warm: fonts, imports, compiled template
    began = time.perf_counter()
    pdf = label_pdf(template, records, templating.Identifiers())
    seconds = time.perf_counter() - began
    return {"labels": count, "seconds": seconds, "bytes": len(pdf),
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def run(count: int, with_qr: bool) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", str(count), "--qr" if with_qr else "--no-qr"],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labels", type=int, default=1000)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--qr", action=argparse.BooleanOptionalAction, default=True, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.qr)))
        return
    qr = run(args.labels, True)
    plain = run(args.labels, False)
    quarter = run(max(args.labels // 4, 1), True)
    for name, result in (("specimen-qr", qr), ("without QR (baseline)", plain), ("specimen-qr, N/4", quarter)):
        print(f"{name:<24} {result['labels']:>6,} labels  {result['labels'] / result['seconds']:7.1f} labels/s  "
              f"{result['seconds']:6.1f} s  peak {result['peak_mb']:6.0f} MB  PDF {result['bytes'] / 1024:,.0f} KB")
    print(f"QR labels/s ÷ baseline labels/s: {qr['labels'] / qr['seconds'] / (plain['labels'] / plain['seconds']):.2f}")
    print(f"peak memory at N ÷ at N/4: {qr['peak_mb'] / quarter['peak_mb']:.2f} (1.00 = flat in the number of labels)")


if __name__ == "__main__":
    main()
