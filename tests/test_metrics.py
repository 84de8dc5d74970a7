"""`/metrics` on a subgraph process, in Prometheus' text format, read back with prometheus_client's parser."""

from __future__ import annotations

import uuid

import httpx
from prometheus_client.parser import text_string_to_metric_families

from .conftest import SubgraphServer, graphql


def scrape(url: str) -> dict[tuple[str, frozenset], float]:
    response = httpx.get(url, timeout=30)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    return {(sample.name, frozenset(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(response.text) for sample in family.samples}


def value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def test_operations_durations_and_errors_are_counted(subgraphs: SubgraphServer) -> None:
    name = f"Samples{uuid.uuid4().hex[:8]}"
    before = scrape(f"http://127.0.0.1:{subgraphs.port}/metrics")
    for _ in range(3):
        body = graphql(subgraphs.url("collection"), f"query {name} {{ materialSamples(first: 2) {{ totalCount }} }}")
        assert "errors" not in body, body
    refused = graphql(subgraphs.url("agents"), f"query {name} {{ noSuchField }}")
    assert refused["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    after = scrape(f"http://127.0.0.1:{subgraphs.port}/metrics")

    def grew(metric: str, **labels: str) -> float:
        return value(after, metric, **labels) - value(before, metric, **labels)

    assert grew("dina_graphql_operations_total", subgraph="collection", operation=name, type="query") == 3
    assert grew("dina_graphql_operation_duration_seconds_count", subgraph="collection", operation=name) == 3
    assert grew("dina_graphql_operation_duration_seconds_sum", subgraph="collection", operation=name) > 0
    assert grew("dina_graphql_operations_total", subgraph="agents", operation=name, type="query") == 1
    assert grew("dina_graphql_errors_total", subgraph="agents", code="GRAPHQL_VALIDATION_FAILED") == 1
    assert grew("dina_graphql_errors_total", subgraph="collection", code="GRAPHQL_VALIDATION_FAILED") == 0


def test_pool_usage_is_reported(subgraphs: SubgraphServer) -> None:
    graphql(subgraphs.url("agents"), "{ people(first: 1) { totalCount } }")  # the read pool is open by now
    samples = scrape(f"http://127.0.0.1:{subgraphs.port}/metrics")
    # SubgraphServer's pool_size=5: reads on asyncpg up to 5, writes on SQLAlchemy 5 plus 5 overflow.
    assert value(samples, "dina_db_pool_connections", pool="read", state="max") == 5
    assert value(samples, "dina_db_pool_connections", pool="write", state="max") == 10
    assert value(samples, "dina_db_pool_connections", pool="read", state="idle") >= 1
    assert value(samples, "dina_db_pool_connections", pool="read", state="in_use") >= 0
    assert value(samples, "process_resident_memory_bytes") > 0



def test_the_router_reports_operations_errors_and_subgraph_requests(router: str) -> None:
    """Hive Gateway's Prometheus plugin (federation/gateway.config.mjs): by operation name and subgraph."""
    name = f"Router{uuid.uuid4().hex[:8]}"
    for _ in range(2):
        body = graphql(router, f"query {name} {{ materialSamples(first: 1) {{ totalCount }} }}")
        assert "errors" not in body, body
    assert graphql(router, f"query {name} {{ noSuchField }}")["errors"]
    samples = scrape(router.replace("/graphql", "/metrics"))
    operation = {"operationName": name, "operationType": "query"}
    assert value(samples, "graphql_envelop_request_total", **operation) == 2
    assert value(samples, "graphql_envelop_request_duration_count", **operation) == 2
    assert value(samples, "graphql_envelop_error_result_total", **operation, phase="validate") == 1
    assert value(samples, "graphql_gateway_subgraph_execute_duration_count", subgraphName="collection", **operation) == 2
