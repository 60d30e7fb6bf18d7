"""Logging in, roles, and the admin's units and users (DESIGN.md §4, Auth)."""

from __future__ import annotations

import uuid

import httpx

from tests.support import Staff, login


async def test_wrong_password_is_401_with_the_contract_error_shape(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    answer = await api.post(
        "/auth/token", data={"username": staff.caseworker_name, "password": "not-the-password"}
    )
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "invalid_credentials"


async def test_no_token_and_a_forged_token_are_401(api: httpx.AsyncClient, staff: Staff) -> None:
    assert (await api.get("/participants")).status_code == 401
    forged = {"Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"}
    answer = await api.get("/participants", headers=forged)
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "invalid_token"


async def test_admin_creates_a_unit_and_a_user_who_can_log_in(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    code = f"CIS-{uuid.uuid4().hex[:6]}"
    unit = await api.post(
        "/units", json={"code": code, "name": "CIS Bytom", "kind": "cis"}, headers=staff.admin
    )
    assert unit.status_code == 201, unit.text
    username = f"ewa-{uuid.uuid4().hex[:6]}"
    user = await api.post(
        "/users",
        headers=staff.admin,
        json={
            "username": username,
            "password": "a-long-password",
            "role": "caseworker",
            "unit_code": code,
        },
    )
    assert user.status_code == 201, user.text
    assert user.json()["unit_code"] == code
    headers = await login(api, username, "a-long-password")
    assert (await api.get("/participants", headers=headers)).json()["items"] == []


async def test_duplicates_and_unknown_units_are_refused(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    body = {"code": staff.unit_code, "name": "again", "kind": "kis"}
    duplicate = await api.post("/units", json=body, headers=staff.admin)
    assert duplicate.status_code == 409
    assert duplicate.json()["error"]["code"] == "duplicate_unit"
    unknown = await api.post(
        "/users",
        headers=staff.admin,
        json={
            "username": "someone",
            "password": "a-long-password",
            "role": "caseworker",
            "unit_code": "NO-SUCH-UNIT",
        },
    )
    assert unknown.status_code == 422
    assert unknown.json()["error"]["code"] == "unknown_unit"


async def test_only_admins_manage_units_and_only_casework_roles_see_participants(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    body = {"code": f"X-{uuid.uuid4().hex[:6]}", "name": "x", "kind": "kis"}
    for headers in (staff.caseworker, staff.supervisor):
        answer = await api.post("/units", json=body, headers=headers)
        assert answer.status_code == 403
        assert answer.json()["error"]["code"] == "role_not_allowed"
    assert (await api.get("/participants", headers=staff.admin)).status_code == 403


async def test_health_and_readiness(api: httpx.AsyncClient) -> None:
    assert (await api.get("/health")).json() == {"status": "ok"}
    ready = await api.get("/ready")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok", "temporal": "ok"}
