"""`dina-graph check`: every subgraph here follows the guidelines; a module written against them fails them."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from subgraphs.cli import main
from subgraphs.core.runtime.processes import wait_until_ready
from subgraphs.registry import SCHEMAS

from ..conftest import ADMIN_GROUPS, ISSUER, PEER_DIR, SubgraphServer, free_port
from .noncompliant import app

# Where ../shared/peer is not installed the audit is reported `skipped`, and everything else still runs.
AUDIT = "pass" if (PEER_DIR / "node_modules").exists() else "skipped"

# The Specify broker wraps Specify 7's API, which has no and/or/not, no backward paging, one sort key,
# and no group or audit log of ours: known deviations, reported with their offences (docs/guidelines.md).
WAIVERS = {"specify": [
    "ENTITY-RECORD=Specify owns the record: its access and history are Specify's",
    "RELAY-CONNECTION=Specify's API pages forward only",
    "FILTER-OPERATORS=Specify's query API has no and/or/not",
    "ORDER-BY=Specify's API sorts by one key",
    "STANDARD-TERMS=filters keep Specify's own field names",
]}
SECRET = "router-shared-secret"
# Everything the non-compliant module breaks (tests/guidelines/noncompliant.py says how, rule by rule).
BROKEN = {"FED-VERSION", "ENTITY-KEY", "ENTITY-RECORD", "RELAY-CONNECTION", "LIST-PAGED", "FILTER-OPERATORS",
          "ORDER-BY", "MUTATION-INPUT", "MUTATION-PAYLOAD", "ERROR-CODES", "NAMING", "STANDARD-TERMS",
          "DATES-ISO8601", "AUTH-BEARER", "AUTH-WRITES", "LIMIT-DEPTH", "LIMIT-ALIASES", "LIMIT-PAGE-SIZE",
          "ERRORS-CODED", "ERRORS-MASKED", "COMPOSES", "NO-SHADOW"} | ({"GRAPHQL-OVER-HTTP"} if AUDIT == "pass" else set())


def run_check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    code = main(["check", *args, "--json"])
    return code, json.loads(capsys.readouterr().out)


def statuses(report: dict) -> dict[str, str]:
    return {finding["rule"]: finding["status"] for finding in report["findings"]}


@pytest.fixture(scope="module")
def noncompliant() -> Iterator[str]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_until_ready(f"http://127.0.0.1:{port}/graphql?query=%7B__typename%7D", timeout=30)
    yield f"http://127.0.0.1:{port}/graphql"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def production(database_url: str) -> Iterator[SubgraphServer]:
    """`_service` only for the router's secret (docs/security.md), as a deployment configures it."""
    port = free_port()
    with SubgraphServer(database_url, port, ISSUER.settings(subgraph_port=port, router_secret=SECRET)) as server:
        yield server


@pytest.mark.parametrize("name", list(SCHEMAS))
def test_every_subgraph_follows_the_guidelines(subgraphs: SubgraphServer, capsys: pytest.CaptureFixture[str],
                                               name: str) -> None:
    waivers = [arg for waiver in WAIVERS.get(name, []) for arg in ("--waive", waiver)]
    code, report = run_check(capsys, subgraphs.url(name), "--token", ISSUER.token(*ADMIN_GROUPS, "specify/user"), *waivers)
    failed = {rule: f["offences"] for f in report["findings"] if (rule := f["rule"]) and f["status"] == "fail"}
    assert failed == {}
    assert code == 0
    assert report["name"] == name
    found = statuses(report)
    assert {rule for rule, status in found.items() if status == "waived"} == {w.split("=")[0] for w in WAIVERS.get(name, [])}
    # The HTTP rules and composition are applicable to every subgraph, and ran.
    assert {found[rule] for rule in ("FED-VERSION", "AUTH-BEARER", "LIMIT-DEPTH", "LIMIT-ALIASES", "LIMIT-PAGE-SIZE",
                                     "ERRORS-CODED", "ERRORS-MASKED", "COMPOSES", "NO-SHADOW")} == {"pass"}
    assert found["GRAPHQL-OVER-HTTP"] == AUDIT


def test_waived_rules_still_show_their_offences(subgraphs: SubgraphServer, capsys: pytest.CaptureFixture[str]) -> None:
    code, report = run_check(capsys, subgraphs.url("specify"))
    by_rule = {f["rule"]: f for f in report["findings"]}
    assert code == 1
    assert by_rule["ORDER-BY"]["status"] == "fail"
    assert by_rule["ORDER-BY"]["offences"] == [
        "Query.specifyCollectionObjects(orderBy:): SpecifyCollectionObjectOrder is not a list of sort keys"]


def test_a_noncompliant_module_fails_with_the_rules_it_breaks(noncompliant: str,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    code, report = run_check(capsys, noncompliant)
    found = statuses(report)
    assert code == 1 and report["passed"] is False and report["name"] == "module"
    assert {rule for rule, status in found.items() if status == "fail"} == BROKEN
    offences = {f["rule"]: " | ".join(f["offences"]) for f in report["findings"]}
    assert "Specimen: keyed by 'catalogNumber'" in offences["ENTITY-KEY"]
    assert "Query.specimens: returns a plain list" in offences["LIST-PAGED"]
    assert "Specimen.latitude: name it decimalLatitude" in offences["STANDARD-TERMS"]
    assert "Specimen.collectedOn: Int" in offences["DATES-ISO8601"]
    assert "Query.materialSample: already resolved by collection" in offences["NO-SHADOW"]
    assert "Mutation.addSpecimen: takes (catalogNumber, latitude)" in offences["MUTATION-INPUT"]


def test_text_report_names_each_rule_and_the_verdict(noncompliant: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", noncompliant]) == 1
    text = capsys.readouterr().out
    assert "FAIL     ENTITY-KEY" in text and "- Specimen: keyed by 'catalogNumber'" in text
    assert text.rstrip().endswith("FAILED")


def test_in_production_the_sdl_is_read_with_the_routers_secret(
        production: SubgraphServer, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> None:
    url = production.url("agents")
    assert main(["check", url, "--token", ISSUER.token("test/admin")]) == 2
    assert "gave no `_service { sdl }` (200: " in caplog.text and "pass --token or --header" in caplog.text
    code, report = run_check(capsys, url, "--header", f"x-dina-router-secret: {SECRET}")
    assert (code, report["passed"], statuses(report)["AUTH-BEARER"]) == (0, True, "pass")


def test_only_known_rules_can_be_waived(noncompliant: str, caplog: pytest.LogCaptureFixture) -> None:
    assert main(["check", noncompliant, "--waive", "NO-SUCH-RULE=because"]) == 2
    assert "no such rule: NO-SUCH-RULE" in caplog.text


def test_a_module_that_is_not_a_subgraph_is_not_judged(subgraphs: SubgraphServer,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    assert main(["check", f"http://127.0.0.1:{subgraphs.port}/healthz"]) == 2
    assert "gave no `_service { sdl }`" in caplog.text


def test_without_the_audit_installed_it_is_skipped_not_failed(subgraphs: SubgraphServer, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    code, report = run_check(capsys, subgraphs.url("agents"), "--peer-dir", str(tmp_path))
    audit = next(f for f in report["findings"] if f["rule"] == "GRAPHQL-OVER-HTTP")
    assert (code, audit["status"]) == (0, "skipped")
    assert str(tmp_path) in audit["note"]


def test_a_second_copy_of_a_subgraph_breaks_composition_and_shadows_its_fields(
        subgraphs: SubgraphServer, capsys: pytest.CaptureFixture[str]) -> None:
    # A partner's module that answers what agents already does: compliant in itself, not beside agents.
    code, report = run_check(capsys, subgraphs.url("agents"), "--name", "partner", "--token", ISSUER.token("test/admin"))
    failed = {f["rule"]: f["offences"] for f in report["findings"] if f["status"] == "fail"}
    assert code == 1 and set(failed) == {"COMPOSES", "NO-SHADOW"}
    assert "Query.people: already resolved by agents" in failed["NO-SHADOW"]
    assert any("people" in error for error in failed["COMPOSES"]), failed["COMPOSES"]
