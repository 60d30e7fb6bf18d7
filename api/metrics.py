"""Request metrics in Prometheus format at `/metrics`, installed only when `api_metrics` is on.

Disabled costs nothing: no middleware is installed and prometheus_client is not imported.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from fastapi import FastAPI, Response

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry
    from starlette.types import ASGIApp, Message, Receive, Scope, Send


class RequestMetrics:
    """ASGI middleware that counts and times requests by method, route template and status.

    The route's template (`/pathways/{pathway_id}`) is the label, never the concrete path,
    which holds ids.
    """

    def __init__(self, app: ASGIApp, registry: CollectorRegistry) -> None:
        from prometheus_client import Counter, Histogram

        self.app = app
        self.requests = Counter(
            "pathways_http_requests",
            "HTTP requests answered, by method, route and status.",
            ["method", "route", "status"],
            registry=registry,
        )
        self.seconds = Histogram(
            "pathways_http_request_duration_seconds",
            "Time to answer an HTTP request, by method and route.",
            ["method", "route"],
            registry=registry,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Measure one HTTP request; other ASGI traffic passes through untouched."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_and_see(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_and_see)
        finally:
            route = getattr(scope.get("route"), "path", "unmatched")
            method = str(scope["method"])
            self.requests.labels(method, route, str(status)).inc()
            self.seconds.labels(method, route).observe(time.perf_counter() - started)


def install_metrics(app: FastAPI) -> None:
    """Count every request and serve the app's own registry at `/metrics`."""
    from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

    registry = CollectorRegistry()
    app.add_middleware(RequestMetrics, registry=registry)

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
