"""Bad input, generated from the OpenAPI schema: never a 500, never an answer off the schema."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

import httpx
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis import Case
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from api.app import API_PREFIX
from tests.support import Staff, login

EXAMPLES_PER_OPERATION = 12
ADMIN_PATHS = tuple(API_PREFIX + p for p in ("/units", "/users"))
LOGOUT_PATH = API_PREFIX + "/auth/logout"
T = TypeVar("T")


async def test_generated_requests_get_no_500_and_answers_match_the_schema(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    spec = (await api.get("/../../openapi.json")).json()
    schema = schemathesis.openapi.from_dict(spec)
    loop = asyncio.get_running_loop()

    def on_loop(coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, loop).result(timeout=60)

    def send(case: Case[Any]) -> httpx.Response:
        kwargs = case.as_transport_kwargs(base_url="http://test")
        path = str(kwargs["url"]).removeprefix("http://test")
        headers = {**(kwargs.get("headers") or {})}
        headers.update(staff.admin if path.startswith(ADMIN_PATHS) else staff.supervisor)
        if path == LOGOUT_PATH:  # it revokes the token: a token of its own, never the run's
            headers.update(on_loop(login(api, staff.supervisor_name)))
        data = kwargs.get("data")
        return on_loop(
            api.request(
                kwargs["method"],
                "http://test" + path,
                params=kwargs.get("params"),
                headers=headers,
                json=kwargs.get("json"),
                content=data if isinstance(data, bytes | str) else None,
                data=data if isinstance(data, dict) else None,
            )
        )

    failures: list[str] = []
    statuses: list[int] = []

    def explore() -> None:
        for result in schema.get_all_operations():
            operation = result.ok()  # type: ignore[union-attr]  # an Err would raise here anyway

            @given(case=operation.as_strategy())
            @hypothesis_settings(
                max_examples=EXAMPLES_PER_OPERATION,
                deadline=None,
                database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def check(case: Case[Any]) -> None:
                response = send(case)
                statuses.append(response.status_code)
                try:
                    case.validate_response(
                        response,
                        checks=[
                            not_a_server_error,
                            response_schema_conformance,
                            status_code_conformance,
                        ],
                    )
                except Exception as err:  # every kind of check failure is reported, not raised
                    failures.append(f"{case.method} {case.formatted_path}: {err}"[:2000])

            check()

    await asyncio.to_thread(explore)
    assert failures == []
    operations = len(spec["paths"])
    assert len(statuses) >= operations * 3  # the exploration did run
    assert {200, 201, 404, 422} <= set(statuses), sorted(set(statuses))
