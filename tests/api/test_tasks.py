"""`GET /tasks`: every open deadline is a task, due today or overdue, scoped like the lists."""

from __future__ import annotations

import base64
import uuid
from datetime import date, timedelta
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import ActivityEnvironment

from activities.channels import LogChannel
from activities.digest import DEV_STAFF_MAIL, DigestActivities, DigestDay, EscalationRequest
from db import units
from domain.tasks import DEFAULT_TASK_POLICY
from tests import staff_data
from tests.support import (
    PASSWORD,
    Staff,
    eventually,
    local_today,
    login,
    person,
    working_days_ago,
)

# The servers' clock is the machine's: "today" is whatever day the suite runs on, so how late a
# task is is counted in working days from it (a Monday after Christmas as a Wednesday in June).


async def _kis_with_review(
    api: httpx.AsyncClient, headers: dict[str, str], review_on: date, **who: Any
) -> tuple[str, dict[str, Any]]:
    """A KIS pathway opened 60 days ago whose social contract is reviewed on `review_on`."""
    body = person(**who)
    participant = (await api.post("/participants", json=body, headers=headers)).json()
    started = local_today() - timedelta(days=60)
    opened = await api.post(
        f"/participants/{participant['id']}/pathways",
        json={"programme": "kis", "start_date": started.isoformat()},
        headers=headers,
    )
    assert opened.status_code == 201, opened.text
    pathway = str(opened.json()["id"])
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
    return pathway, {**body, "id": participant["id"]}


async def _tasks(
    api: httpx.AsyncClient, headers: dict[str, str], due: str
) -> dict[str, dict[str, Any]]:
    answer = await api.get("/tasks", params={"due": due}, headers=headers)
    assert answer.status_code == 200, answer.text
    return {item["pathway_id"]: item for item in answer.json()["items"]}


async def _listed(
    api: httpx.AsyncClient, headers: dict[str, str], due: str, pathway: str
) -> dict[str, Any] | None:
    return (await _tasks(api, headers, due)).get(pathway)


async def test_a_review_due_today_and_one_long_overdue_are_tasks_of_the_unit(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    today = local_today()
    due_today, someone = await _kis_with_review(api, staff.caseworker, today, first_name="Ewa")
    late_on = working_days_ago(7, today)
    late, _ = await _kis_with_review(api, staff.caseworker, late_on)

    task = await eventually(lambda: _listed(api, staff.caseworker, "today", due_today))
    assert task == {
        "pathway_id": due_today,
        "participant_id": someone["id"],
        "participant_name": f"Ewa {someone['last_name']}",
        "kind": "contract_review",
        "due_on": today.isoformat(),
        "working_days_overdue": 0,
        "escalated": False,
        "caseworker_id": task["caseworker_id"],
        "caseworker": staff.caseworker_name,
    }
    overdue = await eventually(lambda: _listed(api, staff.caseworker, "overdue", late))
    assert overdue["kind"] == "contract_review"
    assert overdue["due_on"] == late_on.isoformat()
    assert overdue["working_days_overdue"] == 7
    # Each list holds only its own; the six-month mark, months ahead, is in neither.
    assert late not in await _tasks(api, staff.caseworker, "today")
    assert due_today not in await _tasks(api, staff.caseworker, "overdue")
    # The supervisor sees the unit's tasks; a caseworker of another unit sees none of them.
    assert {due_today} <= set(await _tasks(api, staff.supervisor, "today"))
    assert {late} <= set(await _tasks(api, staff.supervisor, "overdue"))
    for due in ("today", "overdue"):
        assert not {due_today, late} & set(await _tasks(api, staff.stranger, due))


async def test_a_task_done_leaves_the_list(api: httpx.AsyncClient, staff: Staff) -> None:
    late, _ = await _kis_with_review(api, staff.caseworker, local_today() - timedelta(days=3))
    await eventually(lambda: _listed(api, staff.caseworker, "overdue", late))
    next_review = local_today() + timedelta(days=90)
    step = {"type": "review_contract", "next_review_on": next_review.isoformat()}
    answer = await api.post(f"/pathways/{late}/actions", json=step, headers=staff.caseworker)
    assert answer.status_code == 200, answer.text

    async def gone() -> bool:
        return late not in await _tasks(api, staff.caseworker, "overdue")

    assert await eventually(gone)


async def test_a_caseload_unit_shows_caseworkers_only_their_own_tasks(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    policy = await api.put(
        f"/units/{staff.unit_code}/policy", headers=staff.admin, json={"caseload_only": True}
    )
    assert policy.status_code == 200, policy.text
    username = f"cw2-{uuid.uuid4().hex[:6]}"
    created = await api.post(
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
    assert created.status_code == 201, created.text
    assert created.json()["email"] == f"{username}@ops.example.pl"
    colleague = await login(api, username)
    today = local_today()
    mine, _ = await _kis_with_review(api, staff.caseworker, today)
    theirs, _ = await _kis_with_review(api, colleague, today)

    await eventually(lambda: _listed(api, colleague, "today", theirs))
    assert mine not in await _tasks(api, colleague, "today")
    supervisor_sees = await eventually(lambda: _listed(api, staff.supervisor, "today", mine))
    assert supervisor_sees["caseworker"] == staff.caseworker_name
    assert {mine, theirs} <= set(await _tasks(api, staff.supervisor, "today"))


async def test_due_must_be_today_or_overdue(api: httpx.AsyncClient, staff: Staff) -> None:
    for params in ({"due": "tomorrow"}, {}):
        answer = await api.get("/tasks", params=params, headers=staff.caseworker)
        assert answer.status_code == 422, answer.text
        assert answer.json()["error"]["code"]


async def test_a_staff_email_must_look_like_one(api: httpx.AsyncClient, staff: Staff) -> None:
    body = {
        "username": f"cw3-{uuid.uuid4().hex[:6]}",
        "password": PASSWORD,
        "role": "caseworker",
        "unit_code": staff.unit_code,
        "email": "not-an-address",
    }
    answer = await api.post("/users", headers=staff.admin, json=body)
    assert answer.status_code == 422, answer.text


async def test_an_admin_sets_when_late_tasks_escalate(api: httpx.AsyncClient, staff: Staff) -> None:
    path = f"/units/{staff.unit_code}/task-policy"
    answer = await api.put(path, headers=staff.admin, json={"escalate_after_working_days": 5})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"unit_code": staff.unit_code, "escalate_after_working_days": 5}
    for wrong in ({"escalate_after_working_days": 0}, {"escalate_after_working_days": 3, "x": 1}):
        refused = await api.put(path, headers=staff.admin, json=wrong)
        assert refused.status_code == 422, refused.text
    missing = await api.put("/units/NO-SUCH/task-policy", headers=staff.admin, json={})
    assert missing.status_code == 404


async def test_an_escalated_task_says_so_to_the_caseworker_and_the_supervisor(
    api: httpx.AsyncClient, staff: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    # Late by exactly the default number of working days, and by at most one (due yesterday).
    days = DEFAULT_TASK_POLICY.escalate_after_working_days
    late, _ = await _kis_with_review(api, staff.caseworker, working_days_ago(days, local_today()))
    fresh, _ = await _kis_with_review(api, staff.caseworker, local_today() - timedelta(days=1))
    await eventually(lambda: _listed(api, staff.caseworker, "overdue", fresh))
    # The morning run's escalation step, as the Schedule's workflow runs it.
    digest = DigestActivities(sessions, LogChannel(), DEV_STAFF_MAIL)
    plan = await ActivityEnvironment().run(digest.plan_escalations, DigestDay(day=local_today()))
    for task in plan.tasks:
        await ActivityEnvironment().run(
            digest.escalate_task, EscalationRequest(task=task, day=local_today())
        )
    for headers in (staff.caseworker, staff.supervisor):
        listed = await _tasks(api, headers, "overdue")
        assert (listed[late]["escalated"], listed[fresh]["escalated"]) == (True, False)


async def test_the_task_list_comes_in_pages_with_a_cursor_that_names_nobody(
    api: httpx.AsyncClient, staff: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    async with sessions() as session:
        unit = await units.unit_by_code(session, staff.unit_code)
        caseworker = await units.user_by_username(session, staff.caseworker_name)
        assert unit is not None and caseworker is not None
    here = staff_data.Unit(unit.id, unit.code, {"cw": caseworker.id}, {})
    late = local_today() - timedelta(days=10)
    expected: set[tuple[str, str]] = set()
    for n in range(7):  # two deadlines on one day of the same pathway, and several days
        deadlines = {"trial_end": late - timedelta(days=n % 3)}
        if n == 0:
            deadlines["participation_end"] = deadlines["trial_end"]
        pathway_id, _ = await staff_data.make_pathway(sessions, here, "cw", deadlines)
        expected |= {(str(pathway_id), kind) for kind in deadlines}

    seen: list[tuple[str, str]] = []
    dates: list[str] = []
    cursor = None
    while True:
        params: dict[str, str | int] = {"due": "overdue", "limit": 3}
        if cursor:
            params["cursor"] = cursor
        answer = await api.get("/tasks", params=params, headers=staff.supervisor)
        assert answer.status_code == 200, answer.text
        page = answer.json()
        assert len(page["items"]) <= 3
        seen += [(i["pathway_id"], i["kind"]) for i in page["items"]]
        dates += [i["due_on"] for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
        # Every seeded participant is "Zofia Testowa-…": a cursor holds a date, ids, a kind.
        assert "Zofia" not in base64_text(cursor) and "Testowa" not in base64_text(cursor)
    assert len(seen) == len(set(seen)) == 8 and set(seen) == expected
    assert dates == sorted(dates)
    too_many = await api.get(
        "/tasks", params={"due": "overdue", "limit": 5000}, headers=staff.caseworker
    )
    assert too_many.status_code == 422


def base64_text(cursor: str) -> str:
    """What a cursor says, decoded."""
    return "".join(
        base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)).decode(errors="replace")
        for part in cursor.split(".")
    )
