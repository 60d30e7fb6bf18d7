"""Schemathesis, all its checks but positive_data_acceptance, stateful phase, as every role."""

from __future__ import annotations

import os

import httpx
import pytest
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from core.settings import Settings
from tests.api.test_reminders_api import participant, pathway
from tests.security.fuzz import serving, st_run
from tests.support import Staff

# Seconds of fuzzing per role; three roles on each database keep CI's fuzzing to about two
# minutes a database (CI runs the two databases side by side).
SECONDS_PER_ROLE = int(os.environ.get("PATHWAYS_FUZZ_SECONDS", "30"))


@pytest.mark.parametrize("role", ["caseworker", "supervisor", "admin"])
async def test_schemathesis_finds_nothing(
    role: str,
    settings: Settings,
    dev_server: WorkflowEnvironment,
    worker: None,
    api: httpx.AsyncClient,
    staff: Staff,
) -> None:
    # Something to read, act on and erase for the roles that cannot create it themselves.
    await pathway(api, staff, await participant(api, staff))
    app = create_app(settings, temporal=dev_server.client)
    async with serving(app) as base_url:
        outcome = await st_run(base_url, getattr(staff, role), SECONDS_PER_ROLE)
    print(outcome.output)  # pytest shows it when the test fails
    assert outcome.returncode == 0, outcome.tail(40)
