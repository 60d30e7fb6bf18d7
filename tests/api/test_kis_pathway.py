"""A caseworker takes a participant through the KIS episode over HTTP, on the real servers."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, timedelta
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client

from db.models import Pathway, PathwayEvent
from domain.calendar import add_months
from domain.workflow_ids import workflow_id
from tests.support import Staff, eventually, local_today, person


async def _open(api: httpx.AsyncClient, staff: Staff, start: date) -> dict[str, Any]:
    participant = (await api.post("/participants", json=person(), headers=staff.caseworker)).json()
    answer = await api.post(
        f"/participants/{participant['id']}/pathways",
        headers=staff.caseworker,
        json={"programme": "kis", "start_date": start.isoformat()},
    )
    assert answer.status_code == 201, answer.text
    result: dict[str, Any] = answer.json()
    return result


async def _act(
    api: httpx.AsyncClient, staff: Staff, pathway: dict[str, Any], **body: Any
) -> httpx.Response:
    return await api.post(f"/pathways/{pathway['id']}/actions", json=body, headers=staff.caseworker)


def _types(state: dict[str, Any]) -> list[str]:
    return [event["type"] for event in state["timeline"]]


async def test_a_seven_month_old_case_graduates_and_its_outcome_closes_it(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    start = add_months(local_today(), -7)
    pathway = await _open(api, staff, start)
    assert pathway["stage"] == "kis_intake"
    assert "deadline_reached" in _types(pathway)  # six months passed at once
    assert all(d["kind"] != "kis_six_months" for d in pathway["deadlines"])
    steps: list[dict[str, Any]] = [
        {"type": "record_diagnosis", "occurred_on": (start + timedelta(days=1)).isoformat()},
        {
            "type": "sign_social_contract",
            "occurred_on": (start + timedelta(days=2)).isoformat(),
            "review_on": (local_today() + timedelta(days=30)).isoformat(),
        },
        {"type": "record_attendance", "hours": 4, "kind": "workshop"},
        {"type": "record_absence", "kind": "sick"},
        {"type": "record_psu_hours", "hours": 5},
        {"type": "review_contract"},
        {"type": "mark_contract_fulfilled"},
        {"type": "complete_kis"},
    ]
    for step in steps:
        answer = await _act(api, staff, pathway, **step)
        assert answer.status_code == 200, (step, answer.text)
    state = answer.json()
    assert state["stage"] == "kis_completed"
    assert state["graduate"] is True
    assert [d["kind"] for d in state["deadlines"]] == ["outcome_window"]
    assert state["deadlines"][0]["due_on"] == (local_today() + timedelta(days=90)).isoformat()
    assert state["totals"]["attendance_hours"] == "4"
    closed = await _act(
        api, staff, pathway, type="record_outcome", employed=True, contract_months=6, fte="1.0"
    )
    assert closed.json()["stage"] == "closed"
    assert closed.json()["outcome"] == "employed"

    async def projected() -> dict[str, Any] | None:
        got = await api.get(f"/participants/{state['participant_id']}", headers=staff.supervisor)
        summary: dict[str, Any] = got.json()["pathway"]
        return summary if summary["closed"] else None

    summary = await eventually(projected)
    assert summary["stage"] == "closed" and summary["graduate"] is True


async def test_completing_before_six_months_is_not_graduation(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    pathway = await _open(api, staff, local_today() - timedelta(days=20))
    assert [d["kind"] for d in pathway["deadlines"]] == ["kis_six_months"]
    for step in (
        "record_diagnosis",
        "sign_social_contract",
        "mark_contract_fulfilled",
        "complete_kis",
    ):
        answer = await _act(api, staff, pathway, type=step)
    assert answer.json()["stage"] == "kis_completed"
    assert answer.json()["graduate"] is False


async def test_an_illegal_step_is_409_and_records_nothing(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    pathway = await _open(api, staff, local_today())
    refused = await _act(api, staff, pathway, type="complete_kis")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "step_not_allowed"
    after = (await api.get(f"/pathways/{pathway['id']}", headers=staff.caseworker)).json()
    assert after["timeline"] == pathway["timeline"]
    assert after["allowed_actions"] == ["record_diagnosis", "withdraw", "refer"]


async def test_dates_in_the_future_or_before_the_previous_step_are_422(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    pathway = await _open(api, staff, local_today() - timedelta(days=10))
    future = await _act(
        api,
        staff,
        pathway,
        type="record_diagnosis",
        occurred_on=(local_today() + timedelta(days=1)).isoformat(),
    )
    assert future.json()["error"]["code"] == "occurred_on_in_future"
    await _act(
        api,
        staff,
        pathway,
        type="record_diagnosis",
        occurred_on=(local_today() - timedelta(days=2)).isoformat(),
    )
    earlier = await _act(
        api,
        staff,
        pathway,
        type="sign_social_contract",
        occurred_on=(local_today() - timedelta(days=5)).isoformat(),
    )
    assert earlier.status_code == 422
    assert earlier.json()["error"]["code"] == "occurred_on_before_previous_step"


async def test_an_idempotency_key_returns_the_first_answer_and_records_once(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    pathway = await _open(api, staff, local_today())
    for step in ("record_diagnosis", "sign_social_contract"):
        await _act(api, staff, pathway, type=step)
    url = f"/pathways/{pathway['id']}/actions"
    headers = {**staff.caseworker, "Idempotency-Key": "attendance-1"}
    body = {"type": "record_attendance", "hours": 3}
    first, second = await asyncio.gather(
        api.post(url, json=body, headers=headers), api.post(url, json=body, headers=headers)
    )
    third = await api.post(url, json=body, headers=headers)
    assert first.status_code == second.status_code == third.status_code == 200
    assert first.json() == third.json()
    state = (await api.get(f"/pathways/{pathway['id']}", headers=staff.caseworker)).json()
    assert _types(state).count("record_attendance") == 1
    assert state["totals"]["attendance_days"] == 1
    reused = await api.post(url, json={**body, "hours": 5}, headers=headers)
    assert reused.status_code == 422
    assert reused.json()["error"]["code"] == "idempotency_key_reused"


async def test_one_open_pathway_and_no_future_start(api: httpx.AsyncClient, staff: Staff) -> None:
    pathway = await _open(api, staff, local_today())
    url = f"/participants/{pathway['participant_id']}/pathways"
    again = await api.post(
        url,
        json={"programme": "kis", "start_date": local_today().isoformat()},
        headers=staff.caseworker,
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "pathway_open"
    other = (await api.post("/participants", json=person(), headers=staff.caseworker)).json()
    future = await api.post(
        f"/participants/{other['id']}/pathways",
        headers=staff.caseworker,
        json={"programme": "kis", "start_date": (local_today() + timedelta(days=1)).isoformat()},
    )
    assert future.status_code == 422
    assert future.json()["error"]["code"] == "start_date_in_future"


async def test_other_units_and_admins_cannot_touch_a_pathway(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    pathway = await _open(api, staff, local_today())
    url = f"/pathways/{pathway['id']}"
    assert (await api.get(url, headers=staff.stranger)).status_code == 404
    step = {"type": "record_diagnosis"}
    assert (await api.post(f"{url}/actions", json=step, headers=staff.stranger)).status_code == 404
    assert (await api.post(f"{url}/actions", json=step, headers=staff.admin)).status_code == 403
    supervised = await api.post(f"{url}/actions", json=step, headers=staff.supervisor)
    assert supervised.status_code == 200
    assert supervised.json()["timeline"][-1]["actor"] != staff.caseworker_name


async def test_the_list_follows_the_read_model(api: httpx.AsyncClient, staff: Staff) -> None:
    pathway = await _open(api, staff, local_today())
    await _act(api, staff, pathway, type="record_diagnosis")

    async def listed() -> list[dict[str, Any]]:
        page = await api.get(
            "/participants", params={"stage": "kis_diagnosed"}, headers=staff.caseworker
        )
        items: list[dict[str, Any]] = page.json()["items"]
        return items

    items = await eventually(listed)
    assert [i["id"] for i in items] == [pathway["participant_id"]]
    due = add_months(local_today(), 6) + timedelta(days=1)
    page = await api.get(
        "/participants",
        headers=staff.caseworker,
        params={
            "due_before": due.isoformat(),
            "programme": "kis",
            "caseworker": staff.caseworker_name,
        },
    )
    assert [i["id"] for i in page.json()["items"]] == [pathway["participant_id"]]
    none = await api.get(
        "/participants", headers=staff.caseworker, params={"due_before": local_today().isoformat()}
    )
    assert none.json()["items"] == []


async def test_a_referral_to_a_cis_moves_the_participant_in_the_list(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    pathway = await _open(api, staff, local_today() - timedelta(days=30))
    await _act(api, staff, pathway, type="record_diagnosis")
    referred = await _act(api, staff, pathway, type="refer", to="cis")
    assert (referred.json()["programme"], referred.json()["stage"]) == ("cis", "cis_referred")

    async def listed_as_cis() -> list[dict[str, Any]]:
        page = await api.get("/participants", params={"programme": "cis"}, headers=staff.caseworker)
        items: list[dict[str, Any]] = page.json()["items"]
        return items

    items = await eventually(listed_as_cis)
    assert [i["pathway"]["stage"] for i in items] == ["cis_referred"]


async def test_a_new_pathway_is_in_the_read_model_from_its_registration(
    api: httpx.AsyncClient,
    staff: Staff,
    sessions: async_sessionmaker[AsyncSession],
    temporal_client: Client,
) -> None:
    # Seven months back: the first state already holds its events (the six months reached).
    pathway = await _open(api, staff, add_months(local_today(), -7))
    async with sessions() as session:
        events = (
            await session.execute(
                select(PathwayEvent.seq).where(PathwayEvent.pathway_id == uuid.UUID(pathway["id"]))
            )
        ).scalars().all()
        stage = await session.scalar(
            select(Pathway.stage).where(Pathway.id == uuid.UUID(pathway["id"]))
        )
    # Read straight after the answer, before any worker could have projected it.
    assert sorted(events) == [e["seq"] for e in pathway["timeline"]] and events
    assert stage == pathway["stage"]
    # The workflow, told where the read model stands, schedules no projection of its own start.
    handle = temporal_client.get_workflow_handle(workflow_id(pathway["id"]))

    async def first_task_done() -> bool | None:
        history = await handle.fetch_history()
        done = [e for e in history.events if e.HasField("workflow_task_completed_event_attributes")]
        return True if done else None

    await eventually(first_task_done)
    history = await handle.fetch_history()
    scheduled = [
        e.activity_task_scheduled_event_attributes.activity_type.name
        for e in history.events
        if e.HasField("activity_task_scheduled_event_attributes")
    ]
    assert "project_pathway" not in scheduled
