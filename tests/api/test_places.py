"""Places and the waiting list on the real servers: an admission beyond the places refused with
the numbers, the list in the unit's order, the supervisors reminded once when a place frees up,
the waiting time of those admitted."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import ActivityEnvironment

from activities.channels import LogChannel
from activities.digest import DEV_STAFF_MAIL, DigestActivities, DigestDay
from db import units
from db.models import Pathway, StaffMessage
from domain.calendar import local_date
from tests.support import PASSWORD, Staff, eventually, person


def _today() -> date:
    return local_date(datetime.now(UTC))


async def _participant(api: httpx.AsyncClient, staff: Staff) -> str:
    answer = await api.post("/participants", json=person(), headers=staff.caseworker)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


async def _open(api: httpx.AsyncClient, staff: Staff, participant: str) -> httpx.Response:
    return await api.post(
        f"/participants/{participant}/pathways",
        json={"programme": "kis", "start_date": _today().isoformat()},
        headers=staff.caseworker,
    )


async def _wait(
    api: httpx.AsyncClient, staff: Staff, participant: str, applied_on: date, priority: bool
) -> dict[str, Any]:
    body = {
        "participant_id": participant,
        "programme": "kis",
        "applied_on": applied_on.isoformat(),
        "priority": priority,
    }
    answer = await api.post("/waiting-list", json=body, headers=staff.caseworker)
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


async def _list(api: httpx.AsyncClient, staff: Staff) -> dict[str, Any]:
    answer = await api.get("/waiting-list", params={"programme": "kis"}, headers=staff.supervisor)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


async def _places(api: httpx.AsyncClient, staff: Staff, places: int, rule: str) -> None:
    body = {"programme": "kis", "places": places, "rule": rule}
    answer = await api.put(f"/units/{staff.unit_code}/places", json=body, headers=staff.admin)
    assert answer.status_code == 200, answer.text


async def _reminders(sessions: async_sessionmaker[AsyncSession], key: str) -> list[StaffMessage]:
    async with sessions() as session:
        query = select(StaffMessage).where(StaffMessage.key.startswith(key))
        return list((await session.execute(query)).scalars())


async def test_places_refuse_with_the_numbers_the_list_orders_and_a_free_place_is_told(
    api: httpx.AsyncClient, staff: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await _places(api, staff, 2, "priority_first")
    username = f"head-{uuid.uuid4().hex[:8]}"
    made = await api.post(
        "/users",
        headers=staff.admin,
        json={
            "username": username,
            "password": PASSWORD,
            "role": "supervisor",
            "unit_code": staff.unit_code,
            "email": f"{username}@ops.example.pl",
        },
    )
    assert made.status_code == 201, made.text
    inside = [await _participant(api, staff) for _ in range(2)]
    pathways = []
    for participant in inside:
        opened = await _open(api, staff, participant)
        assert opened.status_code == 201, opened.text
        pathways.append(opened.json()["id"])

    today = _today()
    late, first_priority, early = [await _participant(api, staff) for _ in range(3)]
    entries = {
        "late": await _wait(api, staff, late, today - timedelta(days=10), False),
        "priority": await _wait(api, staff, first_priority, today - timedelta(days=8), True),
        "early": await _wait(api, staff, early, today - timedelta(days=15), False),
    }
    again = await api.post(
        "/waiting-list",
        json={"participant_id": late, "programme": "kis", "applied_on": today.isoformat()},
        headers=staff.caseworker,
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_waiting"

    # Both places taken: an admission is refused with the numbers.
    refused = await _open(api, staff, early)
    assert refused.status_code == 409, refused.text
    error = refused.json()["error"]
    assert error["code"] == "no_place"
    assert error["details"] == {"programme": "kis", "places": 2, "occupied": 2, "waiting": 3}

    # The unit's rule: priority first, then by application date.
    listed = await _list(api, staff)
    assert [e["participant_id"] for e in listed["entries"]] == [first_priority, early, late]
    assert [e["position"] for e in listed["entries"]] == [1, 2, 3]
    assert [e["waiting_days"] for e in listed["entries"]] == [8, 15, 10]
    assert (listed["places"], listed["occupied"], listed["free"]) == (2, 2, 0)
    await _places(api, staff, 2, "application_order")
    listed = await _list(api, staff)
    assert [e["participant_id"] for e in listed["entries"]] == [early, late, first_priority]

    # A participant withdraws: the place frees up, the supervisors are told once in the morning.
    digest = DigestActivities(sessions, LogChannel(), DEV_STAFF_MAIL)
    await ActivityEnvironment().run(digest.plan_escalations, DigestDay(day=today))
    async with sessions() as session:
        unit = await units.unit_by_code(session, staff.unit_code)
    assert unit is not None
    key = f"place:{unit.id}:kis:{today.isoformat()}"
    assert await _reminders(sessions, key) == []  # no place free yet
    withdrawn = await api.post(
        f"/pathways/{pathways[0]}/actions", json={"type": "withdraw"}, headers=staff.caseworker
    )
    assert withdrawn.status_code == 200, withdrawn.text

    async def freed() -> bool:
        return bool((await _list(api, staff))["free"] == 1)

    await eventually(freed)
    for _ in range(2):
        await ActivityEnvironment().run(digest.plan_escalations, DigestDay(day=today))
    told = await _reminders(sessions, key)
    assert len(told) == 1 and told[0].status == "sent" and told[0].attempts == 1
    assert told[0].recipients == 1

    # The first in line is admitted: their wait ends and counts in the waiting time.
    admitted = await _open(api, staff, early)
    assert admitted.status_code == 201, admitted.text
    listed = await _list(api, staff)
    assert [e["participant_id"] for e in listed["entries"]] == [late, first_priority]
    assert listed["admitted_last_year"] == 1 and listed["average_wait_days"] == 15.0
    period = {"from": (today - timedelta(days=30)).isoformat(), "to": today.isoformat()}
    kpis = await api.get("/reports/kpis", params=period, headers=staff.supervisor)
    assert kpis.status_code == 200, kpis.text
    assert kpis.json()["waiting_for_places"] == {
        "admitted": 1,
        "average_wait_days": 15.0,
        "longest_wait_days": 15,
        "waiting_now": 2,
    }
    assert (listed["occupied"], listed["free"]) == (2, 0)
    gone = await api.delete(f"/waiting-list/{entries['late']['id']}", headers=staff.caseworker)
    assert gone.status_code == 204, gone.text
    assert [e["participant_id"] for e in (await _list(api, staff))["entries"]] == [first_priority]
    stranger = await api.get("/waiting-list", params={"programme": "kis"}, headers=staff.stranger)
    assert stranger.json()["entries"] == []


async def test_a_referral_into_a_full_cis_of_the_unit_is_refused_with_the_numbers(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    body = {"programme": "cis", "places": 0}
    answer = await api.put(f"/units/{staff.unit_code}/places", json=body, headers=staff.admin)
    assert answer.status_code == 200, answer.text
    opened = await _open(api, staff, await _participant(api, staff))
    assert opened.status_code == 201, opened.text
    refer = {"type": "refer", "to": "cis"}
    refused = await api.post(
        f"/pathways/{opened.json()['id']}/actions", json=refer, headers=staff.caseworker
    )
    assert refused.status_code == 409, refused.text
    assert refused.json()["error"]["code"] == "no_place"
    assert refused.json()["error"]["details"]["places"] == 0


async def test_two_admissions_at_once_to_the_last_place_one_passes(
    api: httpx.AsyncClient, staff: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    body = {"programme": "cis", "places": 1}
    answer = await api.put(f"/units/{staff.unit_code}/places", json=body, headers=staff.admin)
    assert answer.status_code == 200, answer.text
    pathways = []
    for _ in range(2):
        opened = await _open(api, staff, await _participant(api, staff))
        assert opened.status_code == 201, opened.text
        pathways.append(opened.json()["id"])
    refer = {"type": "refer", "to": "cis"}
    answers = await asyncio.gather(
        *(
            api.post(f"/pathways/{p}/actions", json=refer, headers=staff.caseworker)
            for p in pathways
        )
    )
    assert sorted(a.status_code for a in answers) == [200, 409], [a.text for a in answers]
    refused = next(a for a in answers if a.status_code == 409).json()["error"]
    assert refused["code"] == "no_place"
    assert (refused["details"]["places"], refused["details"]["occupied"]) == (1, 1)
    # The place is taken from the step on, before and after the read model shows it: a CIS
    # pathway opened now is refused too, and the list counts one place taken.
    cis = await api.post(
        f"/participants/{await _participant(api, staff)}/pathways",
        json={"programme": "cis", "start_date": _today().isoformat()},
        headers=staff.supervisor,
    )
    assert cis.status_code == 409 and cis.json()["error"]["code"] == "no_place", cis.text
    admitted = next(p for p, a in zip(pathways, answers, strict=True) if a.status_code == 200)

    async def shown() -> bool:
        async with sessions() as session:
            return await session.scalar(select(Pathway.stage).where(
                Pathway.id == uuid.UUID(admitted))) == "cis_referred"  # fmt: skip

    await eventually(shown)
    listed = await api.get("/waiting-list", params={"programme": "cis"}, headers=staff.supervisor)
    assert (listed.json()["places"], listed.json()["occupied"]) == (1, 1)
