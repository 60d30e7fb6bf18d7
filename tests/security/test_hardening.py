"""HTTP hardening: headers, closed CORS, body limits, unknown fields, login throttling."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx

from api.app import create_app
from core.settings import Settings
from tests.support import PASSWORD, Staff, person


def _bare_client(settings: Settings) -> httpx.AsyncClient:
    """The app without its lifespan: enough for what middleware answers alone."""
    transport = httpx.ASGITransport(app=create_app(settings))
    return httpx.AsyncClient(transport=transport, base_url="http://test/api/v1")


def _preflight(origin: str) -> dict[str, str]:
    return {"Origin": origin, "Access-Control-Request-Method": "POST"}


async def test_answers_carry_security_headers_and_are_not_cached(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    answer = await api.get("/participants", headers=staff.caseworker)
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert answer.headers["Referrer-Policy"] == "no-referrer"
    assert "default-src 'none'" in answer.headers["Content-Security-Policy"]
    assert answer.headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" not in answer.headers  # only in production (behind TLS)


async def test_cors_is_closed_by_default_and_opens_only_to_listed_origins(
    settings: Settings,
) -> None:
    async with _bare_client(settings) as client:
        answer = await client.options("/codec/decode", headers=_preflight("http://ui:8233"))
        assert "access-control-allow-origin" not in answer.headers
    opened = settings.model_copy(update={"cors_origins": ["http://ui:8233"]})
    async with _bare_client(opened) as client:
        allowed = await client.options("/codec/decode", headers=_preflight("http://ui:8233"))
        other = await client.options("/codec/decode", headers=_preflight("http://evil.example"))
    assert allowed.headers["access-control-allow-origin"] == "http://ui:8233"
    assert "access-control-allow-origin" not in other.headers


async def test_oversized_bodies_are_422_whether_declared_or_streamed(
    api: httpx.AsyncClient, staff: Staff, settings: Settings
) -> None:
    huge = {**person(), "first_name": "x" * settings.max_body_bytes}
    declared = await api.post("/participants", json=huge, headers=staff.caseworker)
    assert declared.status_code == 422
    assert declared.json()["error"]["code"] == "body_too_large"

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(settings.max_body_bytes // 1024 + 2):
            yield b" " * 1024

    streamed = await api.post(
        "/participants",
        content=chunks(),
        headers={**staff.caseworker, "Content-Type": "application/json"},
    )
    assert streamed.status_code == 422
    assert streamed.json()["error"]["code"] == "body_too_large"


async def test_unknown_fields_are_422(api: httpx.AsyncClient, staff: Staff) -> None:
    answer = await api.post(
        "/participants", json={**person(), "is_admin": True}, headers=staff.caseworker
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "invalid_input"


async def test_repeated_failed_logins_are_throttled(
    api: httpx.AsyncClient, staff: Staff, settings: Settings
) -> None:
    username = staff.caseworker_name
    for _ in range(settings.login_attempts):
        wrong = await api.post("/auth/token", data={"username": username, "password": "nope"})
        assert wrong.status_code == 401
    blocked = await api.post("/auth/token", data={"username": username, "password": PASSWORD})
    assert blocked.status_code == 429
    assert blocked.json()["error"]["code"] == "too_many_attempts"
    assert int(blocked.headers["Retry-After"]) > 0
    # Another user from the same address is not locked out by one user's failures.
    other = staff.caseworker_name.replace("caseworker", "supervisor")
    ok = await api.post("/auth/token", data={"username": other, "password": PASSWORD})
    assert ok.status_code == 200


async def test_nul_characters_are_422_wherever_they_come(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    body = await api.post(
        "/participants", json={**person(), "first_name": "Jan\x00"}, headers=staff.caseworker
    )
    query = await api.get("/participants", params={"q": "a\x00"}, headers=staff.caseworker)
    form = await api.post("/auth/token", data={"username": "x\x00", "password": "y"})
    for answer in (body, query, form):
        assert answer.status_code == 422, answer.text
        assert answer.json()["error"]["code"] == "nul_character"
