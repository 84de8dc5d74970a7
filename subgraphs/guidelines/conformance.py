"""GraphQL-over-HTTP conformance: graphql-http's own audit suite (../shared/peer), run on the module."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from .findings import Finding, Rule, Status

CONFORMANCE = Rule("GRAPHQL-OVER-HTTP", "graphql-http's audit passes: every MUST and every SHOULD of GraphQL-over-HTTP")
PEER_DIR = Path(os.environ.get("DINA_PEER_DIR", Path(__file__).resolve().parents[2] / ".cache" / "peer"))
AUDIT = "graphql-http-audit.mjs"


def check_conformance(url: str, peer_dir: Path = PEER_DIR) -> Finding:
    """``skipped`` (saying why) where the audit is not installed: neither a pass nor a failure."""
    node = shutil.which("node")
    if node is None or not (peer_dir / AUDIT).exists() or not (peer_dir / "node_modules").exists():
        return Finding(CONFORMANCE.id, Status.SKIPPED,
                       note=f"graphql-http's audit is not installed in {peer_dir} (./run test installs it)")
    result = subprocess.run([node, AUDIT, url, "--json"], cwd=peer_dir, capture_output=True, text=True,
                            timeout=300, check=False)
    if result.returncode != 0:
        return Finding(CONFORMANCE.id, Status.FAIL, (f"the audit could not run: {result.stderr.strip()[:200]}",))
    report = json.loads(result.stdout[: result.stdout.rindex("}") + 1])
    offences = tuple(f"{r['id']} {r['status'].upper()}: {r['name']}" for r in report["results"]
                     if r["status"] in ("error", "warn"))
    counts = ", ".join(f"{count} {status}" for status, count in report["counts"].items())
    return Finding(CONFORMANCE.id, Status.FAIL if offences else Status.PASS, offences, counts)
