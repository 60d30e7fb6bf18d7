"""`GET /me/classes` (issue 14): the API's twin of the web page "my classes today": the classes
a member of staff gives or whose group they lead, with group, room, planned hours and whether
the day's list was sent; nobody else's."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db import units
from db.models import User
from db.session import unit_of_work
from domain.calendar import local_date
from domain.roles import Role
from tests.api.test_group_week import cis_participant, weekly_workshop
from tests.support import PASSWORD_HASH, Staff, login

MONDAY = "2026-11-02"


async def _instructor(staff: Staff, sessions: async_sessionmaker[AsyncSession]) -> tuple[str, str]:
    """A new instructor of the unit: (user id, username)."""
    name = f"instructor-{uuid.uuid4().hex[:8]}"
    async with unit_of_work(sessions) as session:
        unit = await units.unit_by_code(session, staff.unit_code)
        assert unit is not None
        user = await units.create_user(session, name, PASSWORD_HASH, Role.INSTRUCTOR, unit)
        return str(user.id), name


async def test_my_classes_of_a_day_with_their_lists(
    api: httpx.AsyncClient, staff: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    instructor_id, name = await _instructor(staff, sessions)
    teacher = await login(api, name)
    async with sessions() as session:
        named = select(User.id).where(User.username == staff.caseworker_name)
        caseworker_id = str((await session.execute(named)).scalar_one())
    (mine, _), (theirs, _) = [await cis_participant(api, staff) for _ in range(2)]
    groups: list[str] = []
    for pid, lead in ((mine, instructor_id), (theirs, None)):
        body = {"name": f"Grupa {len(groups)}", "instructor_id": lead}
        group = (await api.post("/groups", json=body, headers=staff.caseworker)).json()["id"]
        await api.post(f"/groups/{group}/members", headers=staff.caseworker,
                       json={"participant_id": pid, "on": "2026-10-01"})  # fmt: skip
        groups.append(group)
    led = await weekly_workshop(api, staff, groups[0])
    await weekly_workshop(api, staff, groups[1])
    # A consultation the instructor gives to someone outside their group, and one the
    # caseworker gives: each is the giver's class.
    given = {}
    for who, staff_id in (("instructor", instructor_id), ("caseworker", caseworker_id)):
        body = {"kind": "consultation", "title": "Doradztwo", "place": "Pokój 4",
                "staff_id": staff_id, "participant_id": theirs, "starts_at": "15:00",
                "hours": "1.5", "on": MONDAY}  # fmt: skip
        made = await api.post("/classes", json=body, headers=staff.caseworker)
        assert made.status_code == 201, made.text
        given[who] = made.json()["id"]

    answer = await api.get("/me/classes", params={"date": MONDAY}, headers=teacher)
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert [(c["class_id"], c["starts_at"], c["ends_at"], c["hours"], c["place"],
             c["group_id"], c["group_name"], c["expected"], c["marked"], c["list_sent"],
             c["correction"]) for c in found] == [
        (led[0], "08:00:00", "14:00:00", "6.00", "Sala 1", groups[0], "Grupa 0", 1, 0, False,
         None),
        (given["instructor"], "15:00:00", "16:30:00", "1.50", "Pokój 4", None, None, 1, 0,
         False, None),
    ]  # fmt: skip
    assert {c["day"] for c in found} == {MONDAY} and found[0]["kind"] == "workshop"
    # Tuesday: only the group's workshop.
    tuesday = (await api.get("/me/classes", params={"date": "2026-11-03"},
                             headers=teacher)).json()  # fmt: skip
    assert [c["class_id"] for c in tuesday] == [led[1]]

    # The list sent: the class says so, with its marks and correction number.
    day = {"day": MONDAY, "marks": [{"participant_id": mine, "mark": "present", "hours": "6"}]}
    sent = await api.post(f"/classes/{led[0]}/attendance", json=day, headers=teacher)
    assert sent.json()["recorded"] == [mine], sent.text
    found = (await api.get("/me/classes", params={"date": MONDAY}, headers=teacher)).json()
    assert [(c["list_sent"], c["marked"], c["correction"]) for c in found] == [
        (True, 1, 0),
        (False, 0, None),
    ]

    # As on the web page: a caseworker's are the classes they give, the head's (who gives and
    # leads none here) are none; another unit sees none; the admin is refused.
    ours = (await api.get("/me/classes", params={"date": MONDAY},
                          headers=staff.caseworker)).json()  # fmt: skip
    assert [c["class_id"] for c in ours] == [given["caseworker"]]
    for headers in (staff.supervisor, staff.stranger):
        none = await api.get("/me/classes", params={"date": MONDAY}, headers=headers)
        assert none.status_code == 200 and none.json() == [], none.text
    refused = await api.get("/me/classes", params={"date": MONDAY}, headers=staff.admin)
    assert refused.status_code == 403
    assert (await api.get("/me/classes", params={"date": MONDAY})).status_code == 401


async def test_my_classes_default_to_today_in_poland(
    api: httpx.AsyncClient, staff: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """Without a date: today's classes, by the Polish calendar (a one-off class planned for the
    day the test runs; the test holds on any day of the year)."""
    instructor_id, name = await _instructor(staff, sessions)
    teacher = await login(api, name)
    before = local_date(datetime.now(UTC))
    (pid, _) = await cis_participant(api, staff)
    body = {"kind": "consultation", "title": "Psycholog", "place": "Pokój 2",
            "staff_id": instructor_id, "participant_id": pid, "starts_at": "10:00",
            "hours": "1", "on": before.isoformat()}  # fmt: skip
    made = await api.post("/classes", json=body, headers=staff.caseworker)
    assert made.status_code == 201, made.text
    found = (await api.get("/me/classes", headers=teacher)).json()
    after = local_date(datetime.now(UTC))
    if before == after:  # not across midnight in Warsaw
        assert [(c["class_id"], c["day"]) for c in found] == [(made.json()["id"], str(before))]
    for wrong in ("2026-13-01", "tomorrow", "1900-01-01"):
        answer = await api.get("/me/classes", params={"date": wrong}, headers=teacher)
        assert answer.status_code == 422, (wrong, answer.text)
