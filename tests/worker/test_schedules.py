"""`pathways schedules ensure` (and the worker at start) make the digest Schedule once."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Iterator

import pytest
from temporalio.client import ScheduleActionStartWorkflow
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment
from typer.testing import CliRunner

from tests.support import PAYLOAD_KEYS
from worker.cli import app
from worker.schedules import DIGEST_SCHEDULE_ID


@pytest.fixture
def runner(
    dev_server: WorkflowEnvironment, task_queue: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[CliRunner]:
    """The CLI, pointed at the test Temporal server and the test's task queue."""
    from core.settings import get_settings

    target = dev_server.client.service_client.config.target_host
    for name, value in {
        "ENVIRONMENT": "test",
        "SECRET_KEY": "test-secret-key-long-enough-for-hs256",
        "ADMIN_PASSWORD": "test-admin-password",
        "PAYLOAD_KEYS": json.dumps(PAYLOAD_KEYS),
        "PAYLOAD_KEY_ID": "test",
        "TEMPORAL_ADDRESS": target,
        "TEMPORAL_TASK_QUEUE": task_queue,
    }.items():
        monkeypatch.setenv(f"PATHWAYS_{name}", value)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


async def test_schedules_ensure_creates_the_digest_schedule_once(
    runner: CliRunner, dev_server: WorkflowEnvironment, task_queue: str
) -> None:
    handle = dev_server.client.get_schedule_handle(DIGEST_SCHEDULE_ID)
    # A worker process started earlier in the session (tests/resilience) may have made it.
    with contextlib.suppress(RPCError):
        await handle.delete()
    first = await asyncio.to_thread(runner.invoke, app, ["schedules", "ensure"])
    again = await asyncio.to_thread(runner.invoke, app, ["schedules", "ensure"])
    try:
        assert first.exit_code == 0, first.output
        assert "created" in first.output
        assert again.exit_code == 0, again.output
        assert "up to date" in again.output
        schedule = (await handle.describe()).schedule
    finally:
        await handle.delete()
    assert schedule.spec.time_zone_name == "Europe/Warsaw"
    [calendar] = schedule.spec.calendars
    assert (calendar.hour[0].start, calendar.minute[0].start) == (7, 30)
    action = schedule.action
    assert isinstance(action, ScheduleActionStartWorkflow)
    assert action.workflow == "CaseworkerDigestWorkflow"
    assert action.task_queue == task_queue
