"""Reminders follow the timetable (issue 14) over HTTP on the dev server, worker and database:
planning a class, calling a day off and leaving the group change the members' appointments
(whose reminders the pathway sends; tests/workflows/test_class_reminders.py follows them to the
messages on a skipping clock)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import httpx

from core.holidays import polish_holidays
from domain.calendar import WARSAW, local_date
from domain.class_reminders import appointment_id
from tests.api.test_reminders_api import participant, pathway, phone
from tests.support import Staff, eventually


async def test_class_days_become_appointments_and_a_day_off_or_leaving_cancels_them(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    today = local_date(datetime.now(UTC))
    first = today + timedelta(days=5)  # relative to the server's clock: reminders need a future
    # A working day whose next week's day is one too, whatever today is (holidays, year's end).
    holidays = polish_holidays(today.year, today.year + 1)
    while first.weekday() >= 5 or {first, first + timedelta(days=7)} & holidays:
        first += timedelta(days=1)
    who = await participant(api, staff, phone=phone(), consent_sms=True)
    path = await pathway(api, staff, who)
    group = (
        await api.post("/groups", json={"name": "Grupa C", "kind": "workshop"},
                       headers=staff.caseworker)
    ).json()["id"]  # fmt: skip
    joined = await api.post(
        f"/groups/{group}/members",
        json={"participant_id": who, "on": (today - timedelta(days=1)).isoformat()},
        headers=staff.caseworker,
    )
    assert joined.status_code == 200, joined.text
    body = {"kind": "workshop", "title": "Gastronomia", "place": "Sala 1", "group_id": group,
            "starts_at": "10:00", "hours": "4", "weekday": first.weekday(),
            "first_day": first.isoformat(),
            "last_day": (first + timedelta(days=60)).isoformat()}  # fmt: skip
    made = await api.post("/classes", json=body, headers=staff.caseworker)
    assert made.status_code == 201, made.text
    class_id = made.json()["id"]
    second = first + timedelta(days=7)

    async def held(count: int, cancelled: int) -> list[dict[str, Any]] | None:
        answer = await api.get(f"/pathways/{path}/appointments", headers=staff.caseworker)
        items = list(answer.json())
        done = sum(bool(a["cancelled"]) for a in items)
        return items if len(items) == count and done == cancelled else None

    items = await eventually(lambda: held(2, 0))
    assert [(a["id"], a["kind"], a["place"]) for a in items] == [
        (appointment_id(class_id, day, who), "workshop", "Sala 1") for day in (first, second)
    ]
    assert [datetime.fromisoformat(a["starts_at"]) for a in items] == [
        datetime.combine(day, time(10), tzinfo=WARSAW) for day in (first, second)
    ]
    off = await api.post(
        f"/classes/{class_id}/cancel", json={"day": first.isoformat()}, headers=staff.caseworker
    )
    assert off.status_code == 200, off.text
    items = await eventually(lambda: held(2, 1))
    assert [a["cancelled"] for a in items] == [True, False]
    left = await api.post(
        f"/groups/{group}/members/{who}/leave",
        json={"on": (first + timedelta(days=1)).isoformat()},
        headers=staff.caseworker,
    )
    assert left.status_code == 200, left.text
    items = await eventually(lambda: held(2, 2))  # no class after leaving
    # Nothing was due yet: no message has gone (the eve's reminder waits for its evening).
    sent = await api.get(f"/participants/{who}/notifications", headers=staff.caseworker)
    assert [i for i in sent.json()["items"] if i["status"] == "sent"] == []
