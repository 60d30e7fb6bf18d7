"""OpenTelemetry tracing through the Temporal interceptor, only when `otlp_endpoint` is set.

Disabled costs nothing: OpenTelemetry is imported only when tracing is on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.settings import Settings

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider
    from temporalio.client import Interceptor

_provider: TracerProvider | None = None


def configure_tracing(settings: Settings) -> None:
    """Install the process's tracer provider, exporting over OTLP/HTTP; once per process."""
    global _provider
    if settings.otlp_endpoint is None or _provider is not None:
        return
    from opentelemetry import trace
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import SERVICE_NAME, Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    _provider = TracerProvider(resource=Resource.create({SERVICE_NAME: settings.service_name}))
    _provider.add_span_processor(
        BatchSpanProcessor(OTLPSpanExporter(endpoint=settings.otlp_endpoint))
    )
    trace.set_tracer_provider(_provider)


def tracing_interceptors(settings: Settings) -> list[Interceptor]:
    """The Temporal interceptors for the client (and so its workers): tracing when enabled."""
    if settings.otlp_endpoint is None:
        return []
    from temporalio.contrib.opentelemetry import TracingInterceptor

    configure_tracing(settings)
    return [TracingInterceptor()]


def shutdown_tracing() -> None:
    """Flush and stop the exporter, if tracing was started."""
    global _provider
    if _provider is not None:
        _provider.shutdown()
        _provider = None
