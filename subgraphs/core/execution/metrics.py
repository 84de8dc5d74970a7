"""Prometheus metrics of one subgraph process: GraphQL operations and their durations by operation
name, errors by code, and the database pools' connections. Each app has a registry of its own, so
several apps in one process (tests, the embedded `serve`) never share or clash."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator

from opentelemetry import trace
from prometheus_client import CollectorRegistry, Counter, Histogram, ProcessCollector, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from strawberry.extensions import SchemaExtension

from subgraphs.core.data.db import Database

MAX_OPERATION_NAMES = 500  # distinct names kept as labels; clients choose them, so past this: "other"
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class PoolCollector(Collector):
    """Connections of the database's two pools (asyncpg reads, SQLAlchemy writes), read at scrape time."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def collect(self) -> Iterable[Metric]:
        family = GaugeMetricFamily("dina_db_pool_connections", "Database pool connections by pool and state",
                                   labels=["pool", "state"])
        for pool, usage in self.db.pool_usage().items():
            for state, value in usage.items():
                family.add_metric([pool, state], value)
        yield family


class Metrics:
    """What a subgraph process counts; `/metrics` shows it in Prometheus' text format."""

    def __init__(self, db: Database) -> None:
        self.registry = CollectorRegistry()
        self.operations = Counter("dina_graphql_operations", "GraphQL operations answered",
                                  ["subgraph", "operation", "type"], registry=self.registry)
        self.duration = Histogram("dina_graphql_operation_duration_seconds",
                                  "Time from parsing a GraphQL operation to its result", ["subgraph", "operation"],
                                  buckets=BUCKETS, registry=self.registry)
        self.errors = Counter("dina_graphql_errors", "GraphQL errors returned, by extensions.code",
                              ["subgraph", "code"], registry=self.registry)
        self.registry.register(PoolCollector(db))
        ProcessCollector(registry=self.registry)
        self._names: set[str] = set()

    def _name(self, operation: str | None) -> str:
        if not operation:
            return "anonymous"
        if operation not in self._names and len(self._names) >= MAX_OPERATION_NAMES:
            return "other"
        self._names.add(operation)
        return operation

    def observe(self, subgraph: str, operation: str | None, kind: str, seconds: float, codes: Iterable[str]) -> None:
        name = self._name(operation)
        self.operations.labels(subgraph, name, kind).inc()
        self.duration.labels(subgraph, name).observe(seconds)
        for code in codes:
            self.errors.labels(subgraph, code).inc()

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class MeasureOperations(SchemaExtension):
    """Times each operation and counts its errors into the request context's metrics (none: not counted), and
    names the operation on the request's trace span."""

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        context = self.execution_context.context
        metrics = getattr(context, "metrics", None)
        if metrics is None:
            return
        result = self.execution_context.result
        errors = (result.errors if result is not None else None) or self.execution_context.pre_execution_errors or []
        try:
            kind = self.execution_context.operation_type.value
        except RuntimeError:  # a document that never parsed, or names no operation it holds
            kind = "unknown"
        name = self.execution_context.operation_name
        metrics.observe(context.subgraph, name, kind, time.perf_counter() - started,
                        [str((error.extensions or {}).get("code", "UNKNOWN")) for error in errors])
        span = trace.get_current_span()  # the request's server span, when traces are recorded
        if span.is_recording():
            span.set_attributes({"graphql.operation.name": name or "", "graphql.operation.type": kind,
                                 "dina.subgraph": context.subgraph})
