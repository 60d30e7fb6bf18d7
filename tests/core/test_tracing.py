"""OpenTelemetry tracing through the Temporal interceptor, only when an OTLP endpoint is set."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from temporalio.testing import WorkflowEnvironment

from core.settings import Settings
from core.temporal import connect_temporal
from core.tracing import shutdown_tracing, tracing_interceptors
from domain.calendar import local_date
from domain.pathway import PathwayInput
from services import pathway_calls


class _Collector(BaseHTTPRequestHandler):
    received: list[bytes] = []  # noqa: RUF012 - one collector per test run

    def do_POST(self) -> None:
        self.received.append(self.rfile.read(int(self.headers["Content-Length"])))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def collector() -> Iterator[str]:
    """An OTLP/HTTP endpoint that keeps what it is sent."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1/traces"
    server.shutdown()
    thread.join(5)


def test_no_endpoint_no_interceptor(settings: Settings) -> None:
    assert tracing_interceptors(settings) == []


async def test_starting_a_pathway_is_traced_to_the_collector(
    settings: Settings, dev_server: WorkflowEnvironment, collector: str, task_queue: str
) -> None:
    traced = settings.model_copy(
        update={
            "otlp_endpoint": collector,
            "temporal_address": dev_server.client.service_client.config.target_host,
        }
    )
    client = await connect_temporal(traced, None)
    start = PathwayInput(
        pathway_id=str(uuid.uuid4()),
        participant_id=str(uuid.uuid4()),
        programme="kis",
        started_on=local_date(datetime.now(UTC)),
        requested_at=datetime.now(UTC),
    )
    await pathway_calls.start(client, task_queue, start)
    await client.get_workflow_handle(f"pathway-{start.pathway_id}").terminate()
    shutdown_tracing()  # flushes the exporter
    assert any(b"StartWorkflow:ParticipantPathwayWorkflow" in body for body in _Collector.received)
