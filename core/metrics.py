"""The Temporal SDK's metrics in Prometheus format, off unless `worker_metrics_address` is set."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.settings import Settings

if TYPE_CHECKING:
    from temporalio.runtime import Runtime


def temporal_runtime(settings: Settings) -> Runtime | None:
    """A Temporal runtime serving the SDK's metrics on the configured address, or None."""
    if settings.worker_metrics_address is None:
        return None
    from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig

    return Runtime(
        telemetry=TelemetryConfig(
            metrics=PrometheusConfig(bind_address=settings.worker_metrics_address),
            global_tags={"service": settings.service_name},
        )
    )
