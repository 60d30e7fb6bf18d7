"""Request metrics in Prometheus format, only when enabled."""

from __future__ import annotations

import re

from temporalio.testing import WorkflowEnvironment

from core.settings import Settings
from tests.support import api_process


async def test_requests_are_counted_by_route_template_and_status(
    settings: Settings, dev_server: WorkflowEnvironment
) -> None:
    enabled = settings.model_copy(update={"api_metrics": True})
    async with api_process(enabled, dev_server.client, "http://test") as http:
        assert (await http.get("/api/v1/health")).status_code == 200
        unknown = "/api/v1/pathways/00000000-0000-0000-0000-000000000000"
        assert (await http.get(unknown)).status_code == 401
        scraped = await http.get("/metrics")
    assert scraped.status_code == 200
    assert scraped.headers["content-type"].startswith("text/plain")
    text = scraped.text
    # The label is the route's template (with or without the /api/v1 prefix, by FastAPI version).
    health = (
        r'pathways_http_requests_total\{method="GET",route="(/api/v1)?/health",status="200"\} 1\.0'
    )
    assert re.search(health, text), text
    assert re.search(r'route="(/api/v1)?/pathways/\{pathway_id\}",status="401"', text), text
    assert "00000000-0000" not in text
    assert "pathways_http_request_duration_seconds_bucket" in text


async def test_metrics_are_off_by_default(
    settings: Settings, dev_server: WorkflowEnvironment
) -> None:
    async with api_process(settings, dev_server.client, "http://test") as http:
        assert (await http.get("/metrics")).status_code == 404
