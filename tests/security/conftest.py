"""What the security tests share: log lines captured as written, the audit log, a pathway."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import structlog
from temporalio.client import Client

from core.logging import configure_logging
from domain.calendar import local_date
from tests.support import person


def leaked(secrets: tuple[str, ...], blob: bytes) -> list[str]:
    """The secrets that appear in the bytes."""
    return [s for s in secrets if s.encode() in blob]


class LogLines(logging.Handler):
    """Every log line as it would be written, rendered by the product's own formatter."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def log_lines() -> Iterator[LogLines]:
    """The product's logging (JSON, as outside development), captured line by line."""
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    saved_structlog = structlog.get_config()
    configure_logging("test", logging.DEBUG)
    capture = LogLines()
    capture.setFormatter(root.handlers[0].formatter)
    root.addHandler(capture)
    yield capture
    root.handlers, root.level = saved_handlers, saved_level
    structlog.configure(**saved_structlog)


async def audit_entries(
    api: httpx.AsyncClient, headers: dict[str, str], **params: Any
) -> list[Any]:
    """A page of `GET /audit` as the caller sees it."""
    answer = await api.get("/audit", params=params, headers=headers)
    assert answer.status_code == 200, answer.text
    items: list[Any] = answer.json()["items"]
    return items


async def open_kis_pathway(
    api: httpx.AsyncClient, headers: dict[str, str], body: dict[str, Any] | None = None
) -> tuple[str, str]:
    """A participant registered (`body`, else a fresh one) with a KIS pathway opened ten days
    ago: their id and the pathway's."""
    created = await api.post("/participants", json=body or person(), headers=headers)
    assert created.status_code == 201, created.text
    participant_id = str(created.json()["id"])
    started = local_date(datetime.now(UTC)) - timedelta(days=10)
    opened = await api.post(
        f"/participants/{participant_id}/pathways",
        json={"programme": "kis", "start_date": started.isoformat()},
        headers=headers,
    )
    assert opened.status_code == 201, opened.text
    return participant_id, str(opened.json()["id"])


async def codecless(temporal_client: Client) -> Client:
    """A client of the same server without the product's codec, as anyone with access to
    Temporal itself would have."""
    return await Client.connect(
        temporal_client.service_client.config.target_host, namespace=temporal_client.namespace
    )
