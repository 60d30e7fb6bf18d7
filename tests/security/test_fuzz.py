"""Schemathesis, all its checks but positive_data_acceptance, stateful phase, as every role."""

from __future__ import annotations

import os

import httpx
import pytest
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from temporalio.testing import WorkflowEnvironment

from api.app import API_PREFIX, create_app
from api.errors import ERROR_RESPONSES
from core.settings import Settings
from tests.api.test_reminders_api import participant, pathway
from tests.security.fuzz import serving, st_run
from tests.support import Staff

# Seconds of fuzzing per role; three roles on each database keep CI's fuzzing to about two
# minutes a database (CI runs the two databases side by side).
SECONDS_PER_ROLE = int(os.environ.get("PATHWAYS_FUZZ_SECONDS", "30"))


class _Count(BaseModel):
    count: int


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
    headers = getattr(staff, role)
    async with serving(app) as base_url:
        # The stateful phase gets its own time: after the others it would get what is left.
        single = await st_run(
            base_url, headers, SECONDS_PER_ROLE // 2, "--phases", "examples,coverage,fuzzing"
        )
        # Valid data there, so that it creates participants and pathways and then follows them.
        stateful = await st_run(
            base_url, headers, SECONDS_PER_ROLE // 2, "--phases", "stateful", "--mode", "positive"
        )
    print(single.output, stateful.output)  # pytest shows them when the test fails
    assert single.returncode == 0, single.tail(40)
    assert stateful.returncode == 0, stateful.tail(40)


async def test_the_run_fails_on_an_endpoint_that_breaks_its_contract(
    settings: Settings, dev_server: WorkflowEnvironment, staff: Staff
) -> None:
    """The same harness against the product plus one endpoint that answers off its schema and
    falls over on some input: `st run` must say so (a run that cannot fail proves nothing)."""
    app = create_app(settings, temporal=dev_server.client)

    @app.get(API_PREFIX + "/broken/shape", responses=ERROR_RESPONSES)
    async def off_schema() -> _Count:
        return JSONResponse({"count": "many"})  # type: ignore[return-value]  # off the schema

    @app.get(API_PREFIX + "/broken/crash", responses=ERROR_RESPONSES)
    async def crash(n: int = 0) -> _Count:
        if n != 0:
            raise RuntimeError("deliberately broken")
        return _Count(count=n)

    async with serving(app) as base_url:
        outcome = await st_run(
            base_url,
            staff.supervisor,
            15,
            "--include-path-regex",
            "/broken/",
            "--phases",
            "examples,coverage,fuzzing",
        )
    print(outcome.output)
    assert outcome.returncode != 0
    assert "Response violates schema" in outcome.output, outcome.tail(40)
    assert "Server error" in outcome.output, outcome.tail(40)
