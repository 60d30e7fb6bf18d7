"""Caseloads and hand-overs on the real servers: balanced by load, within capacity, once per
case (retried), an event on each timeline, tasks and digests following the new holder."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from domain.calendar import local_date
from tests.support import PASSWORD, Staff, eventually, login, person


def _today() -> date:
    return local_date(datetime.now(UTC))


async def colleague(api: httpx.AsyncClient, staff: Staff) -> tuple[uuid.UUID, dict[str, str]]:
    """A new caseworker of the unit: their id and headers."""
    username = f"cw-{uuid.uuid4().hex[:8]}"
    made = await api.post(
        "/users",
        headers=staff.admin,
        json={
            "username": username,
            "password": PASSWORD,
            "role": "caseworker",
            "unit_code": staff.unit_code,
            "email": f"{username}@ops.example.pl",
        },
    )
    assert made.status_code == 201, made.text
    return uuid.UUID(made.json()["id"]), await login(api, username)


async def caseload(api: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, Any]:
    answer = await api.get("/caseload", headers=headers)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


async def open_case(
    api: httpx.AsyncClient, headers: dict[str, str], review_on: date | None = None
) -> str:
    """A KIS pathway opened 30 days ago (with a contract review on `review_on`, if given)."""
    participant = (await api.post("/participants", json=person(), headers=headers)).json()
    started = _today() - timedelta(days=30)
    opened = await api.post(
        f"/participants/{participant['id']}/pathways",
        json={"programme": "kis", "start_date": started.isoformat()},
        headers=headers,
    )
    assert opened.status_code == 201, opened.text
    pathway = str(opened.json()["id"])
    if review_on is not None:
        for step in (
            {"type": "record_diagnosis", "occurred_on": (started + timedelta(1)).isoformat()},
            {
                "type": "sign_social_contract",
                "occurred_on": (started + timedelta(2)).isoformat(),
                "review_on": review_on.isoformat(),
            },
        ):
            answer = await api.post(f"/pathways/{pathway}/actions", json=step, headers=headers)
            assert answer.status_code == 200, answer.text
    return pathway


async def handover_events(
    api: httpx.AsyncClient, headers: dict[str, str], pathway: str
) -> list[dict[str, Any]]:
    answer = await api.get(f"/pathways/{pathway}", headers=headers)
    assert answer.status_code == 200, answer.text
    return [e for e in answer.json()["timeline"] if e["type"] == "holder_changed"]


async def test_a_caseload_handed_to_two_colleagues_balanced_once_with_tasks_following(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    leaving = uuid.UUID((await caseload(api, staff.caseworker))["load"]["caseworker_id"])
    first, first_headers = await colleague(api, staff)
    second, second_headers = await colleague(api, staff)
    already = await open_case(api, first_headers)  # the first colleague holds one case
    today = _today()
    cases = [await open_case(api, staff.caseworker, review_on=today) for _ in range(5)]
    mine = await caseload(api, staff.caseworker)
    assert mine["load"]["open_cases"] == 5
    assert {c["pathway_id"] for c in mine["cases"]} == set(cases)

    body = {"from_caseworker": str(leaving), "to": [str(first), str(second)]}
    key = {"Idempotency-Key": f"handover-{uuid.uuid4()}"}
    headers = {**staff.supervisor, **key}
    answer = await api.post("/caseload/handovers", json=body, headers=headers)
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert [m["pathway_id"] for m in result["moved"]] == cases  # oldest first
    holders = [m["holder"] for m in result["moved"]]
    # Balanced by load: the second colleague (none held) gets the first, then they alternate.
    assert holders == [str(second), str(first), str(second), str(first), str(second)]
    assert result["left"] == []
    loads = {load["caseworker_id"]: load["open_cases"] for load in result["loads"]}
    assert loads == {str(first): 3, str(second): 3, str(leaving): 0}

    # Retried with the same key: the first answer, nothing recorded twice.
    again = await api.post("/caseload/handovers", json=body, headers=headers)
    assert again.status_code == 200, again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == result

    # Each timeline has one hand-over event, by the supervisor, naming the new holder.
    for move in result["moved"]:
        events = await eventually(
            lambda p=move["pathway_id"]: handover_events(api, staff.supervisor, p)
        )
        assert len(events) == 1
        assert events[0]["actor"] == staff.supervisor_name
        assert events[0]["data"]["holder"] == move["holder"]
        assert events[0]["data"]["previous"] == str(leaving)

    # The caseloads and the tasks follow the new holders from now.
    assert (await caseload(api, staff.caseworker))["load"]["open_cases"] == 0
    second_cases = {c["pathway_id"] for c in (await caseload(api, second_headers))["cases"]}
    assert second_cases == {cases[0], cases[2], cases[4]}
    first_cases = {c["pathway_id"] for c in (await caseload(api, first_headers))["cases"]}
    assert first_cases == {already, cases[1], cases[3]}
    tasks = await api.get("/tasks", params={"due": "today"}, headers=staff.supervisor)
    by_pathway = {t["pathway_id"]: t["caseworker_id"] for t in tasks.json()["items"]}
    assert {by_pathway[m["pathway_id"]] for m in result["moved"]} == {str(first), str(second)}
    for move in result["moved"]:
        assert by_pathway[move["pathway_id"]] == move["holder"]


async def test_capacity_refuses_with_the_numbers_or_hands_over_partly(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    policy = await api.put(
        f"/units/{staff.unit_code}/caseload-policy",
        json={"max_open_cases": 2},
        headers=staff.admin,
    )
    assert policy.status_code == 200, policy.text
    leaving = uuid.UUID((await caseload(api, staff.caseworker))["load"]["caseworker_id"])
    taker, taker_headers = await colleague(api, staff)
    await open_case(api, taker_headers)
    cases = [await open_case(api, staff.caseworker) for _ in range(3)]
    body: dict[str, Any] = {"from_caseworker": str(leaving), "to": [str(taker)]}

    refused = await api.post("/caseload/handovers", json=body, headers=staff.supervisor)
    assert refused.status_code == 409, refused.text
    error = refused.json()["error"]
    assert error["code"] == "capacity_exceeded"
    assert error["details"] == {"cases": 3, "fit": 1, "over": 2, "room": {str(taker): 1}}
    assert (await caseload(api, taker_headers))["load"]["open_cases"] == 1  # nothing moved

    partly = await api.post(
        "/caseload/handovers", json={**body, "partial": True}, headers=staff.supervisor
    )
    assert partly.status_code == 200, partly.text
    assert [m["pathway_id"] for m in partly.json()["moved"]] == cases[:1]
    assert partly.json()["left"] == cases[1:]
    load = (await caseload(api, taker_headers))["load"]
    assert (load["open_cases"], load["capacity"]) == (2, 2)


async def test_a_caseworker_cannot_hand_over_and_strangers_are_not_colleagues(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    case = await open_case(api, staff.caseworker)
    me = (await caseload(api, staff.caseworker))["load"]["caseworker_id"]
    body = {"pathway_ids": [case], "to": [me]}
    refused = await api.post("/caseload/handovers", json=body, headers=staff.caseworker)
    assert refused.status_code == 403
    stranger = (await caseload(api, staff.stranger))["load"]["caseworker_id"]
    body = {"pathway_ids": [case], "to": [stranger]}
    answer = await api.post("/caseload/handovers", json=body, headers=staff.supervisor)
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "unknown_caseworker"
