"""OpenTelemetry traces of a subgraph process: one server span per HTTP request, continuing the caller's
W3C ``traceparent`` (the router's), and a span per SQL statement (asyncpg, which runs the reads and,
under SQLAlchemy, the writes). Exported over OTLP/HTTP when ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set;
without it nothing is instrumented and requests pay nothing."""

from __future__ import annotations

from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from starlette.middleware import Middleware

from subgraphs.core.runtime.settings import Settings

UNTRACED_PATHS = "health,healthz,ready,metrics"  # probes and scrapes: many, and say nothing of a request


def _tracing(settings: Settings, service_name: str) -> bool:
    """Set the process's tracer provider up (once) when an OTLP endpoint is configured; True when spans
    are recorded, by that provider or one the embedding program installed (tests' in-memory exporter)."""
    if settings.otlp_endpoint and not isinstance(trace.get_tracer_provider(), TracerProvider):
        provider = TracerProvider(resource=Resource.create({"service.name": settings.otel_service_name or service_name}))
        endpoint = f"{settings.otlp_endpoint.rstrip('/')}/v1/traces"
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
        trace.set_tracer_provider(provider)
    return isinstance(trace.get_tracer_provider(), TracerProvider)


def tracing(settings: Settings, service_name: str) -> list[Middleware]:
    """A server span per request, and SQL spans, when traces are recorded; else nothing."""
    if not _tracing(settings, service_name):
        return []
    AsyncPGInstrumentor().instrument()  # once per process (the instrumentor ignores a second call)
    return [Middleware(OpenTelemetryMiddleware, excluded_urls=UNTRACED_PATHS, exclude_spans=["receive", "send"])]
