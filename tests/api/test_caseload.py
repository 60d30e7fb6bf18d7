"""Caseloads and hand-overs on the real servers: balanced by load, within capacity, once per
case (retried), an event on each timeline, tasks and digests following the new holder."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any

import httpx
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.testing import ActivityEnvironment

from activities.channels import LogChannel
from activities.digest import DEV_STAFF_MAIL, DigestActivities, DigestDay
from core.settings import Settings
from db import tasks, units
from db.caseload_models import HandoverCase
from db.models import PathwayDeadline, PathwayEvent, User
from db.session import unit_of_work
from domain.calendar import local_date
from domain.tasks import TaskDue
from services import handovers
from services.context import open_services
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


async def told(
    api: httpx.AsyncClient, headers: dict[str, str], pathway: str
) -> list[dict[str, Any]]:
    """The pathway's hand-over events, once its workflow has one."""

    async def events() -> list[dict[str, Any]]:
        return await handover_events(api, headers, pathway)

    return await eventually(events)


async def read_model_holders(
    sessions: async_sessionmaker[AsyncSession], pathway: str
) -> list[tuple[int, Any]]:
    """The pathway's `holder_changed` rows in the read model: (seq, new holder)."""
    async with sessions() as session:
        rows = await session.execute(
            select(PathwayEvent.seq, PathwayEvent.data)
            .where(
                PathwayEvent.pathway_id == uuid.UUID(pathway),
                PathwayEvent.type == "holder_changed",
            )
            .order_by(PathwayEvent.seq)
        )
        return [(seq, data["holder"]) for seq, data in rows]


async def test_a_caseload_handed_to_two_colleagues_balanced_once_with_tasks_following(
    api: httpx.AsyncClient, staff: Staff, sessions: async_sessionmaker[AsyncSession]
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
    # The read model shows each case's hand-over from the answer on (written ahead by its
    # transaction, or already the workflow's own event), one row per case.
    for move in result["moved"]:
        shown = await read_model_holders(sessions, move["pathway_id"])
        assert [holder for _, holder in shown] == [move["holder"]]

    # Retried with the same key: the first answer, nothing recorded twice.
    again = await api.post("/caseload/handovers", json=body, headers=headers)
    assert again.status_code == 200, again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == result

    # Each timeline has one hand-over event, by the supervisor, naming the new holder.
    for move in result["moved"]:
        events = await told(api, staff.supervisor, move["pathway_id"])
        assert len(events) == 1
        assert events[0]["actor"] == staff.supervisor_name
        assert events[0]["data"]["holder"] == move["holder"]
        assert events[0]["data"]["previous"] == str(leaving)

        # The workflow's projection has taken the place of the row written ahead: one row.
        async def projected(pathway: str = move["pathway_id"]) -> list[tuple[int, Any]] | None:
            rows = await read_model_holders(sessions, pathway)
            return rows if rows and rows[0][0] > 0 else None

        assert await eventually(projected) == [(events[0]["seq"], move["holder"])]

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


async def _digest_plan(sessions: async_sessionmaker[AsyncSession], day: date) -> set[uuid.UUID]:
    digest = DigestActivities(sessions, LogChannel(), DEV_STAFF_MAIL)
    plan = await ActivityEnvironment().run(digest.plan_digests, DigestDay(day=day))
    return set(plan.caseworker_ids)


async def _digest_tasks(
    sessions: async_sessionmaker[AsyncSession], staff: Staff, who: uuid.UUID, day: date
) -> set[str]:
    async with sessions() as session:
        unit = await units.unit_by_code(session, staff.unit_code)
        assert unit is not None
        scope = tasks.TaskScope(unit_id=unit.id, caseworker_id=who)
        due = await tasks.list_tasks(session, scope, TaskDue.TODAY, day)
        late = await tasks.list_tasks(session, scope, TaskDue.OVERDUE, day)
    return {str(t.pathway_id) for t in due + late}


async def _projected(sessions: async_sessionmaker[AsyncSession], pathway: str) -> bool:
    async with sessions() as session:
        row = await session.get(PathwayDeadline, (uuid.UUID(pathway), "contract_review"))
    return row is not None


async def test_next_mornings_digest_goes_to_the_new_holder_and_a_leave_to_the_deputy(
    api: httpx.AsyncClient, staff: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    holder, holder_headers = await colleague(api, staff)
    deputy, _ = await colleague(api, staff)
    cover, _ = await colleague(api, staff)
    taker, _ = await colleague(api, staff)
    today = _today()
    with_deputy = await open_case(api, holder_headers, review_on=today)
    without = await open_case(api, holder_headers, review_on=today)
    handed = await open_case(api, holder_headers, review_on=today)
    for pathway in (with_deputy, without, handed):
        await eventually(partial(_projected, sessions, pathway))
    named = await api.put(
        f"/pathways/{with_deputy}/deputy",
        json={"deputy_id": str(deputy)},
        headers=staff.supervisor,
    )
    assert named.status_code == 200, named.text
    moved = await api.post(
        "/caseload/handovers",
        json={"pathway_ids": [handed], "to": [str(taker)]},
        headers=staff.supervisor,
    )
    assert moved.status_code == 200, moved.text

    # The next morning: the handed case is in its new holder's digest, not in the old one's.
    tomorrow = today + timedelta(days=1)
    assert {holder, taker} <= await _digest_plan(sessions, tomorrow)
    assert await _digest_tasks(sessions, staff, taker, tomorrow) == {handed}
    assert await _digest_tasks(sessions, staff, holder, tomorrow) == {with_deputy, without}

    # The holder away for three days: the deputy answers for their case, the cover for the
    # other; the cases stay the holder's, who is back (with both) on the fourth day.
    leave = {
        "caseworker_id": str(holder),
        "first_day": tomorrow.isoformat(),
        "last_day": (tomorrow + timedelta(days=2)).isoformat(),
        "cover_id": str(cover),
    }
    recorded = await api.post("/caseload/leaves", json=leave, headers=staff.supervisor)
    assert recorded.status_code == 201, recorded.text
    listed = await api.get("/caseload/leaves", headers=staff.caseworker)
    assert recorded.json() in listed.json()["items"]
    planned = await _digest_plan(sessions, tomorrow)
    assert holder not in planned and {deputy, cover} <= planned
    assert await _digest_tasks(sessions, staff, deputy, tomorrow) == {with_deputy}
    assert await _digest_tasks(sessions, staff, cover, tomorrow) == {without}
    assert await _digest_tasks(sessions, staff, holder, tomorrow) == set()
    assert (await caseload(api, holder_headers))["load"]["open_cases"] == 2
    back = tomorrow + timedelta(days=3)
    assert await _digest_tasks(sessions, staff, holder, back) == {with_deputy, without}
    assert await _digest_tasks(sessions, staff, deputy, back) == set()


async def test_in_a_caseload_unit_the_case_follows_its_holder_and_its_deputy(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    policy = await api.put(
        f"/units/{staff.unit_code}/policy", headers=staff.admin, json={"caseload_only": True}
    )
    assert policy.status_code == 200, policy.text
    taker, taker_headers = await colleague(api, staff)
    deputy, deputy_headers = await colleague(api, staff)
    case = await open_case(api, staff.caseworker)
    participant = (await api.get(f"/pathways/{case}", headers=staff.caseworker)).json()[
        "participant_id"
    ]
    paths = (f"/pathways/{case}", f"/participants/{participant}")
    for path in paths:
        assert (await api.get(path, headers=taker_headers)).status_code == 404

    body = {"pathway_ids": [case], "to": [str(taker)]}
    moved = await api.post("/caseload/handovers", json=body, headers=staff.supervisor)
    assert moved.status_code == 200, moved.text
    for path in paths:
        assert (await api.get(path, headers=taker_headers)).status_code == 200, path
        assert (await api.get(path, headers=staff.caseworker)).status_code == 404, path
        assert (await api.get(path, headers=deputy_headers)).status_code == 404, path

    named = await api.put(
        f"/pathways/{case}/deputy", json={"deputy_id": str(deputy)}, headers=staff.supervisor
    )
    assert named.status_code == 200, named.text
    for path in paths:
        assert (await api.get(path, headers=deputy_headers)).status_code == 200, path


async def test_cases_left_untold_are_told_later_and_recorded_once(
    api: httpx.AsyncClient,
    staff: Staff,
    settings: Settings,
    temporal_client: Client,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    taker, _ = await colleague(api, staff)
    case = await open_case(api, staff.caseworker)
    body = {"pathway_ids": [case], "to": [str(taker)]}
    moved = await api.post("/caseload/handovers", json=body, headers=staff.supervisor)
    assert moved.status_code == 200, moved.text
    await told(api, staff.supervisor, case)
    # As if the API had died between the commit and the Signal.
    async with unit_of_work(sessions) as session:
        await session.execute(
            update(HandoverCase)
            .where(HandoverCase.pathway_id == uuid.UUID(case))
            .values(told_at=None)
        )
    async with open_services(settings, temporal_client) as services:
        assert await handovers.tell_untold(services) == 0
    async with sessions() as session:
        row = await session.get(
            HandoverCase, (uuid.UUID(moved.json()["handover_id"]), uuid.UUID(case))
        )
        assert row is not None and row.told_at is not None
    assert len(await handover_events(api, staff.supervisor, case)) == 1


async def test_a_leave_never_gives_tasks_to_someone_away_that_day(
    api: httpx.AsyncClient, staff: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    holder, holder_headers = await colleague(api, staff)
    deputy, _ = await colleague(api, staff)
    cover, _ = await colleague(api, staff)
    today = _today()
    case = await open_case(api, holder_headers, review_on=today)
    await eventually(partial(_projected, sessions, case))
    named = await api.put(
        f"/pathways/{case}/deputy", json={"deputy_id": str(deputy)}, headers=staff.supervisor
    )
    assert named.status_code == 200, named.text
    async with unit_of_work(sessions) as session:
        head = await session.scalar(select(User).where(User.username == staff.supervisor_name))
        assert head is not None
        head.email = f"{staff.supervisor_name}@kis.example.pl"  # a digest when cases fall to them
        supervisor = head.id
    tomorrow = today + timedelta(days=1)

    async def away(who: uuid.UUID, cover_id: uuid.UUID | None = None) -> None:
        leave = {
            "caseworker_id": str(who),
            "first_day": tomorrow.isoformat(),
            "last_day": tomorrow.isoformat(),
            "cover_id": str(cover_id) if cover_id else None,
        }
        recorded = await api.post("/caseload/leaves", json=leave, headers=staff.supervisor)
        assert recorded.status_code == 201, recorded.text

    async def answering() -> dict[uuid.UUID, set[str]]:
        people = (holder, deputy, cover, supervisor)
        found = {p: await _digest_tasks(sessions, staff, p, tomorrow) for p in people}
        return {p: cases for p, cases in found.items() if cases}

    # The holder and their deputy both away: the cover named on the holder's leave answers.
    await away(holder, cover)
    assert await answering() == {deputy: {case}}
    await away(deputy)
    assert await answering() == {cover: {case}}
    # The cover away that day too: the unit's supervisors, with it in their morning digest.
    await away(cover)
    assert await answering() == {supervisor: {case}}
    assert supervisor in await _digest_plan(sessions, tomorrow)
    assert not {holder, deputy, cover} & await _digest_plan(sessions, tomorrow)
    # The day after, the holder is back and answers again.
    assert await _digest_tasks(sessions, staff, holder, tomorrow + timedelta(days=1)) == {case}
