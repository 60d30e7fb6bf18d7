"""An instructor (issue 14): only their groups' people, by name; their lists recorded as theirs;
nothing else of the unit."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db import subjects, units
from db.group_tables import CertifiedHours
from db.models import Participant, User
from db.session import unit_of_work
from domain.roles import Role
from tests.api.test_group_week import cis_participant, events_on, weekly_workshop
from tests.support import PASSWORD_HASH, Staff, login, person


async def test_an_instructor_sees_and_marks_only_their_groups(
    api: httpx.AsyncClient, staff: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    name = f"instructor-{uuid.uuid4().hex[:8]}"
    async with unit_of_work(sessions) as session:
        unit = await units.unit_by_code(session, staff.unit_code)
        assert unit is not None
        user = await units.create_user(session, name, PASSWORD_HASH, Role.INSTRUCTOR,
                                       unit)  # fmt: skip
        instructor_id = str(user.id)
    teacher = await login(api, name)
    (mine, pathway), (theirs, _) = [await cis_participant(api, staff) for _ in range(2)]
    groups: list[str] = []
    for members, lead in (([mine], instructor_id), ([theirs], None)):
        body = {"name": f"Grupa {len(groups)}", "instructor_id": lead}
        group = (await api.post("/groups", json=body, headers=staff.caseworker)).json()["id"]
        for pid in members:
            await api.post(f"/groups/{group}/members", headers=staff.caseworker,
                           json={"participant_id": pid, "on": "2026-10-01"})  # fmt: skip
        groups.append(group)
    my_classes = await weekly_workshop(api, staff, groups[0])
    other_classes = await weekly_workshop(api, staff, groups[1])

    listed = (await api.get("/groups", headers=teacher)).json()
    assert [g["id"] for g in listed] == [groups[0]]
    group = (await api.get(f"/groups/{groups[0]}", headers=teacher)).json()
    assert [m["participant_id"] for m in group["members"]] == [mine]
    assert set(group["members"][0]) == {"participant_id", "first_name", "last_name",
                                        "joined_on", "left_on"}  # fmt: skip
    assert (await api.get(f"/groups/{groups[1]}", headers=teacher)).status_code == 404
    week = (await api.get("/timetable", params={"first": "2026-11-02", "last": "2026-11-08"},
                          headers=teacher)).json()  # fmt: skip
    assert {d["class_id"] for d in week["days"]} == set(my_classes)
    for method, path in (("GET", f"/participants/{mine}"), ("GET", f"/pathways/{pathway}"),
                         ("GET", "/participants"), ("GET", "/attendance?month=2026-11"),
                         ("POST", "/groups"), ("GET", "/psu/agreements")):  # fmt: skip
        answer = await api.request(method, path, headers=teacher, json={"name": "x"})
        assert answer.status_code == 403, (method, path, answer.text)

    day = {"day": "2026-11-02",
           "marks": [{"participant_id": mine, "mark": "present", "hours": "6"}]}  # fmt: skip
    other = await api.post(f"/classes/{other_classes[0]}/attendance", json=day, headers=teacher)
    assert other.status_code == 404
    done = (await api.post(f"/classes/{my_classes[0]}/attendance", json=day,
                           headers=teacher)).json()  # fmt: skip
    assert done["recorded"] == [mine]
    state = (await api.get(f"/pathways/{pathway}", headers=staff.caseworker)).json()
    assert events_on(state, "2026-11-02")["record_attendance"] == 1
    recorded = next(e for e in state["timeline"] if e["type"] == "record_attendance")
    assert recorded["actor"] == name


async def test_erasure_removes_the_certified_weekly_figure(
    api: httpx.AsyncClient, staff: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """Health data goes with the person (db.subjects.erase, which the erasure service calls once
    the retention period has passed: tests/security/test_erasure.py)."""
    who = await api.post("/participants", json=person(), headers=staff.caseworker)
    pid = uuid.UUID(who.json()["id"])
    await api.put(f"/participants/{pid}/certified-hours", json={"weekly_hours": "20"},
                  headers=staff.caseworker)  # fmt: skip
    async with unit_of_work(sessions) as session:
        assert await session.get(CertifiedHours, pid) is not None
        participant = await session.get(Participant, pid)
        named = select(User.id).where(User.username == staff.caseworker_name)
        caseworker = (await session.execute(named)).scalar_one()
        assert participant is not None
        await subjects.erase(session, participant, [], caseworker)
    async with sessions() as session:
        assert await session.get(CertifiedHours, pid) is None
