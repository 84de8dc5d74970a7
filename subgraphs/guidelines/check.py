"""`dina-graph check URL`: every rule of docs/guidelines.md run against one module, as a report."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import httpx

from subgraphs.core.runtime.federation import SUPERGRAPH

from .composition import COMPOSES, NO_SHADOW, check_composition, check_shadowing
from .conformance import CONFORMANCE, PEER_DIR, check_conformance
from .findings import Finding, Rule, Status
from .module import Module
from .probes import HTTP_RULES, Endpoint, check_http
from .schema_rules import SCHEMA_RULES, check_schema
from .supergraph import Supergraph

RULES: dict[str, Rule] = {rule.id: rule for rule in [*(r for r, _ in SCHEMA_RULES), *(r for r, _ in HTTP_RULES),
                                                      CONFORMANCE, COMPOSES, NO_SHADOW]}


class Unreadable(Exception):
    """The module's SDL could not be read (down, refused, not a federation subgraph)."""


def read_sdl(endpoint: Endpoint) -> str:
    try:
        response = endpoint.post("{ _service { sdl } }")
    except httpx.HTTPError as error:
        raise Unreadable(f"{endpoint.url}: {error}") from None
    try:
        body = response.json()
    except ValueError:
        body = None
    body = body if isinstance(body, dict) else {}
    sdl = ((body.get("data") or {}).get("_service") or {}).get("sdl")
    if not sdl:
        reasons = "; ".join(str(e.get("message", "")) for e in body.get("errors") or [])
        raise Unreadable(f"{endpoint.url} gave no `_service {{ sdl }}` ({response.status_code}"
                         f"{': ' + reasons if reasons else ''}); in production pass --token or --header")
    return sdl


@dataclass(frozen=True)
class Report:
    url: str
    name: str
    findings: tuple[Finding, ...]

    @property
    def failed(self) -> bool:
        return any(f.status is Status.FAIL for f in self.findings)

    def counts(self) -> dict[str, int]:
        return dict(Counter(str(f.status) for f in self.findings))

    def as_json(self) -> dict:
        return {"url": self.url, "name": self.name, "passed": not self.failed, "counts": self.counts(),
                "findings": [{**asdict(f), "status": str(f.status), "title": RULES[f.rule].title}
                             for f in self.findings]}

    def as_text(self) -> str:
        lines = [f"dina-graph check {self.url} (as subgraph {self.name!r})"]
        for finding in self.findings:
            note = f"  ({finding.note})" if finding.note else ""
            lines.append(f"{finding.status.upper():<8} {finding.rule:<18} {RULES[finding.rule].title}{note}")
            lines += [f"{'':<9}- {offence}" for offence in finding.offences]
        summary = ", ".join(f"{count} {status}" for status, count in self.counts().items())
        lines.append(f"{len(self.findings)} rules: {summary} — {'FAILED' if self.failed else 'compliant'}")
        return "\n".join(lines)


def waive(findings: Iterable[Finding], waived: Mapping[str, str]) -> tuple[Finding, ...]:
    """A waived failure stays in the report with its offences and the reason, but fails nothing."""
    return tuple(replace(f, status=Status.WAIVED, note=waived[f.rule]) if f.status is Status.FAIL and f.rule in waived
                 else f for f in findings)


def check(url: str, name: str, headers: Mapping[str, str], others: Mapping[str, str], *,
          waived: Mapping[str, str] | None = None, supergraph: Path = SUPERGRAPH,
          peer_dir: Path = PEER_DIR) -> Report:
    """``others``: the other subgraphs' SDL by name (the inputs of ``supergraph``)."""
    unknown = sorted(set(waived or {}) - set(RULES))
    if unknown:
        raise ValueError(f"no such rule: {', '.join(unknown)} (rules: {', '.join(RULES)})")
    endpoint = Endpoint(url, dict(headers))
    module = Module(name, read_sdl(endpoint), Supergraph.read(supergraph))
    findings = [*check_schema(module), *check_http(module, endpoint), check_conformance(url, peer_dir),
                check_composition(module, url, others), check_shadowing(module)]
    return Report(url, name, waive(findings, waived or {}))
