"""A unit may limit its caseworkers to their own caseload; supervisors still see everything."""

from __future__ import annotations

import uuid

import httpx

from tests.support import PASSWORD, Staff, login, person


async def _second_caseworker(api: httpx.AsyncClient, staff: Staff) -> dict[str, str]:
    username = f"cw2-{uuid.uuid4().hex[:6]}"
    created = await api.post(
        "/users",
        headers=staff.admin,
        json={
            "username": username,
            "password": PASSWORD,
            "role": "caseworker",
            "unit_code": staff.unit_code,
        },
    )
    assert created.status_code == 201, created.text
    return await login(api, username)


async def test_a_caseload_unit_hides_colleagues_cases_from_caseworkers(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    policy = await api.put(
        f"/units/{staff.unit_code}/policy", headers=staff.admin, json={"caseload_only": True}
    )
    assert policy.json() == {"caseload_only": True, "unit_code": staff.unit_code}
    colleague = await _second_caseworker(api, staff)
    mine = (await api.post("/participants", json=person(), headers=staff.caseworker)).json()
    pathway = (
        await api.post(
            f"/participants/{mine['id']}/pathways",
            headers=staff.caseworker,
            json={"programme": "kis", "start_date": "2025-01-02"},
        )
    ).json()
    theirs = (await api.post("/participants", json=person(), headers=colleague)).json()

    for path in (f"/participants/{mine['id']}", f"/pathways/{pathway['id']}"):
        assert (await api.get(path, headers=colleague)).status_code == 404, path
        assert (await api.get(path, headers=staff.supervisor)).status_code == 200, path
    step = await api.post(
        f"/pathways/{pathway['id']}/actions", headers=colleague, json={"type": "record_diagnosis"}
    )
    assert step.status_code == 404
    opened = await api.post(
        f"/participants/{mine['id']}/pathways",
        headers=colleague,
        json={"programme": "kis", "start_date": "2025-01-02"},
    )
    assert opened.status_code == 404

    async def listed(headers: dict[str, str]) -> set[str]:
        page = await api.get("/participants", headers=headers)
        return {item["id"] for item in page.json()["items"]}

    assert await listed(colleague) == {theirs["id"]}
    assert await listed(staff.caseworker) == {mine["id"]}
    assert await listed(staff.supervisor) == {mine["id"], theirs["id"]}


async def test_without_the_policy_caseworkers_share_the_unit(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    colleague = await _second_caseworker(api, staff)
    mine = (await api.post("/participants", json=person(), headers=staff.caseworker)).json()
    assert (await api.get(f"/participants/{mine['id']}", headers=colleague)).status_code == 200
