"""One trace from the router through a subgraph to its SQL: the real router and a real `dina-graph
subgraphs` process export OTLP/HTTP to a receiver on loopback, which decodes what they send."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson
import pytest
import uvicorn
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from subgraphs.core.runtime.federation import start_router, url_overrides
from subgraphs.core.runtime.processes import stop, wait_until_ready
from subgraphs.core.runtime.settings import Settings
from subgraphs.registry import SCHEMAS

from .conftest import REPO, free_port, graphql


@dataclass(frozen=True)
class Span:
    service: str
    name: str
    trace_id: str
    span_id: str
    parent_id: str
    attributes: dict[str, object]


def _value(value: dict) -> object:
    return next(iter(value.values()), None) if value else None


class OtlpReceiver:
    """An OTLP/HTTP traces endpoint (protobuf, as Python's exporter sends, or JSON, as the router's does)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.spans: list[Span] = []

        async def traces(request: Request) -> Response:
            body = await request.body()
            if request.headers.get("content-type", "").startswith("application/json"):
                self._add_json(orjson.loads(body))
            else:
                self._add_protobuf(ExportTraceServiceRequest.FromString(body))
            return Response(b"", media_type=request.headers.get("content-type"))

        app = Starlette(routes=[Route("/v1/traces", traces, methods=["POST"])])
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def _add_protobuf(self, request: ExportTraceServiceRequest) -> None:
        for resource in request.resource_spans:
            service = next(a.value.string_value for a in resource.resource.attributes if a.key == "service.name")
            for scope in resource.scope_spans:
                for s in scope.spans:
                    attributes = {a.key: getattr(a.value, a.value.WhichOneof("value") or "string_value")
                                  for a in s.attributes}
                    self.spans.append(Span(service, s.name, s.trace_id.hex(), s.span_id.hex(),
                                           s.parent_span_id.hex(), attributes))

    def _add_json(self, request: dict) -> None:
        for resource in request.get("resourceSpans", []):
            attrs = {a["key"]: _value(a["value"]) for a in resource["resource"].get("attributes", [])}
            for scope in resource.get("scopeSpans", []):
                for s in scope.get("spans", []):
                    self.spans.append(Span(str(attrs.get("service.name")), s["name"], s["traceId"].lower(),
                                           s["spanId"].lower(), (s.get("parentSpanId") or "").lower(),
                                           {a["key"]: _value(a["value"]) for a in s.get("attributes", [])}))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> OtlpReceiver:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.05)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


FLUSH_QUICKLY = {"OTEL_BSP_SCHEDULE_DELAY": "200"}  # both SDKs' batch processors: export within 0.2 s


@pytest.fixture
def traced_stack(database_url: str, tmp_path: Path) -> Iterator[tuple[OtlpReceiver, str]]:
    """The receiver, and the router's URL in front of a traced `dina-graph subgraphs` process."""
    port = free_port()
    with OtlpReceiver() as receiver:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DINA_", "OTEL_"))}
        env |= {"PYTHONPATH": str(REPO), "DATABASE_URL": database_url, "DINA_DEV": "true",
                "DINA_DATA_DIR": str(tmp_path), "DINA_SUBGRAPH_PORT": str(port),
                "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.url, **FLUSH_QUICKLY}
        subgraphs = subprocess.Popen([sys.executable, "-m", "subgraphs.cli", "subgraphs"], env=env, cwd=tmp_path,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        router_port = free_port()
        router = None
        try:
            wait_until_ready(f"http://127.0.0.1:{port}/health", subgraphs, timeout=60)
            settings = Settings(dev=True, otlp_endpoint=receiver.url)
            router_env = url_overrides(list(SCHEMAS), "127.0.0.1", port) | settings.router_env() | FLUSH_QUICKLY
            router = start_router("127.0.0.1", router_port, router_env)
            wait_until_ready(f"http://127.0.0.1:{router_port}/readiness", router, timeout=120)
            yield receiver, f"http://127.0.0.1:{router_port}/graphql"
        finally:
            if router is not None:
                stop(router)
            stop(subgraphs)


def test_one_trace_spans_router_subgraph_and_sql(traced_stack: tuple[OtlpReceiver, str]) -> None:
    receiver, router = traced_stack
    body = graphql(router, "query TracedSamples { materialSamples(first: 3) { totalCount } }", token=None)
    assert "errors" not in body, body

    def named() -> list[Span]:
        return [s for s in receiver.spans if s.service == "dina-subgraphs"
                and s.attributes.get("graphql.operation.name") == "TracedSamples"]

    deadline = time.monotonic() + 30
    while not named() and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1)  # the rest of the batch: the router's spans end after the subgraph's
    (server,) = named()  # the collection subgraph's server span, named by the operation it ran
    assert server.service == "dina-subgraphs" and server.attributes["dina.subgraph"] == "collection"
    trace = {s.span_id: s for s in receiver.spans if s.trace_id == server.trace_id}
    parent = trace.get(server.parent_id)
    assert parent is not None and parent.service == "dina-router", sorted((s.service, s.name) for s in trace.values())

    def ancestors(span: Span) -> Iterator[Span]:
        while span.parent_id in trace:
            span = trace[span.parent_id]
            yield span

    sql = [s for s in trace.values() if s.attributes.get("db.system") == "postgresql"
           or s.attributes.get("db.system.name") == "postgresql"]
    assert sql, sorted(s.name for s in trace.values())
    assert all(server in ancestors(s) for s in sql)
    assert any("material_sample" in str(s.attributes.get("db.statement") or s.attributes.get("db.query.text"))
               for s in sql)
    router_side = [s.name for s in ancestors(server)]  # the router's fetch, its plan step, the operation, the request
    assert router_side[0] == "http.fetch" and "subgraph.execute (collection)" in router_side
    assert "graphql.operation TracedSamples" in router_side
    root = list(ancestors(server))[-1]
    assert root.service == "dina-router" and root.parent_id == ""  # the trace starts at the router
