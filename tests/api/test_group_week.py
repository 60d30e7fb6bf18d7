"""A CIS group's November through the API on the real servers (issue 14): the timetable and its
check, daily lists sent twice, by two people, with a worker down, a day off, a sick day, a
correction; each person's pathway has each day once; PSU caps refused with the numbers."""

from __future__ import annotations

import asyncio
import io
from collections import Counter
from typing import Any

import httpx
from pypdf import PdfReader
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment

from core.settings import Settings
from tests.support import Staff, api_process, person
from worker.main import build_worker

START = "2026-09-01"  # admitted on 1 September 2026, main period from 1 October
GROUP = {"name": "Warsztat gastronomiczny", "kind": "workshop"}


async def cis_participant(api: httpx.AsyncClient, staff: Staff, **extra: Any) -> tuple[str, str]:
    """A registered participant in the main period of a CIS: (participant id, pathway id)."""
    who = (await api.post("/participants", json=person(**extra), headers=staff.caseworker)).json()
    body = {"programme": "cis", "start_date": START}
    opened = await api.post(
        f"/participants/{who['id']}/pathways", json=body, headers=staff.caseworker
    )
    pathway = opened.json()["id"]
    for step in ({"type": "sign_ipzs", "occurred_on": START},
                 {"type": "pass_trial", "occurred_on": "2026-10-01"}):  # fmt: skip
        done = await api.post(f"/pathways/{pathway}/actions", json=step, headers=staff.supervisor)
        assert done.status_code == 200, done.text
    return who["id"], pathway


async def group_with(api: httpx.AsyncClient, staff: Staff, people: list[str]) -> str:
    """A group whose members joined on 1 October."""
    group: str = (await api.post("/groups", json=GROUP, headers=staff.caseworker)).json()["id"]
    for pid in people:
        body = {"participant_id": pid, "on": "2026-10-01"}
        joined = await api.post(f"/groups/{group}/members", json=body, headers=staff.caseworker)
        assert joined.status_code == 200, joined.text
    return group


async def weekly_workshop(api: httpx.AsyncClient, staff: Staff, group: str) -> list[str]:
    """Monday to Friday, 8:00, six hours, all November: the class ids by weekday."""
    ids = []
    for weekday in range(5):
        body = {"kind": "workshop", "title": "Gastronomia", "place": "Sala 1",
                "group_id": group, "starts_at": "08:00", "hours": "6", "weekday": weekday,
                "first_day": "2026-11-02", "last_day": "2026-11-30"}  # fmt: skip
        made = await api.post("/classes", json=body, headers=staff.caseworker)
        assert made.status_code == 201, made.text
        ids.append(made.json()["id"])
    return ids


def pdf_text(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def events_on(state: dict[str, Any], day: str) -> Counter[str]:
    return Counter(e["type"] for e in state["timeline"] if e["occurred_on"] == day)


async def test_a_group_s_month_with_retries_a_day_off_a_sick_day_and_a_correction(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    (p1, w1), (p2, w2), (p3, w3) = [await cis_participant(api, staff) for _ in range(3)]
    name_of = {}
    for pid in (p1, p2, p3):
        who = (await api.get(f"/participants/{pid}", headers=staff.caseworker)).json()
        name_of[pid] = f"{who['first_name']} {who['last_name']}"
    group = await group_with(api, staff, [p1, p2, p3])
    classes = await weekly_workshop(api, staff, group)
    # 11 November is a public holiday: the Wednesday class is called off that day.
    off = await api.post(f"/classes/{classes[2]}/cancel", json={"day": "2026-11-11"},
                         headers=staff.caseworker)  # fmt: skip
    assert off.json()["cancelled_days"] == ["2026-11-11"]

    # The month's check: 30 h in each whole week; the holiday week is not whole.
    month = (await api.get("/timetable/check", params={"month": "2026-11"},
                           headers=staff.supervisor)).json()  # fmt: skip
    mine = [w for w in month["check"]["weeks"] if w["participant_id"] == p1]
    assert [(w["week"], w["hours"], w["whole"], w["flag"]) for w in mine] == [
        ("2026-W44", "0", False, None),  # 26 Oct - 1 Nov: the month's first Sunday only
        ("2026-W45", "30.00", True, None),
        ("2026-W46", "24.00", False, None),
        ("2026-W47", "30.00", True, None),
        ("2026-W48", "30.00", True, None),
        ("2026-W49", "6.00", False, None),  # Monday 30 November; the rest is December's
    ]
    assert month["check"]["clashes"] == []
    # A disabled participant's certificate says 20 hours: the plan is over it.
    await api.put(f"/participants/{p3}/certified-hours", json={"weekly_hours": "20"},
                  headers=staff.caseworker)  # fmt: skip
    month = (await api.get("/timetable/check", params={"month": "2026-11"},
                           headers=staff.supervisor)).json()  # fmt: skip
    flagged = {(w["participant_id"], w["flag"]) for w in month["check"]["weeks"] if w["flag"]}
    assert flagged == {(p3, "week_over_maximum")}

    # Monday's list: p1 present, p2 sick, p3 a day off, sent by a caseworker (no day off: the
    # head's act), sent again (a retry), then by the head.
    monday = {"day": "2026-11-02", "marks": [
        {"participant_id": p1, "mark": "present", "hours": "6"},
        {"participant_id": p2, "mark": "absent", "absence": "sick"},
        {"participant_id": p3, "mark": "day_off"}]}  # fmt: skip
    url = f"/classes/{classes[0]}/attendance"
    first = (await api.post(url, json=monday, headers=staff.caseworker)).json()
    assert sorted(first["recorded"]) == sorted([p1, p2])
    assert [(n["participant_id"], n["code"]) for n in first["not_recorded"]] == [
        (p3, "role_not_allowed")
    ]
    again = (await api.post(url, json=monday, headers=staff.caseworker)).json()
    assert again == first
    by_head = (await api.post(url, json=monday, headers=staff.supervisor)).json()
    assert sorted(by_head["recorded"]) == sorted([p1, p2, p3]) and by_head["not_recorded"] == []
    one = (await api.get(f"/pathways/{w1}", headers=staff.caseworker)).json()
    assert events_on(one, "2026-11-02") == Counter({"record_attendance": 1})
    two = (await api.get(f"/pathways/{w2}", headers=staff.caseworker)).json()
    assert events_on(two, "2026-11-02") == Counter({"record_absence": 1})
    three = (await api.get(f"/pathways/{w3}", headers=staff.caseworker)).json()
    assert events_on(three, "2026-11-02") == Counter({"grant_day_off": 1})

    # A correction: p2 came after all. A new event and a new ledger row; the first stays.
    # The whole list is sent again with the change: p1's unchanged day is not recorded twice.
    fix = {"day": "2026-11-02", "correction": 1,
           "marks": [{"participant_id": p1, "mark": "present", "hours": "6"},
                     {"participant_id": p2, "mark": "present", "hours": "4"}]}  # fmt: skip
    fixed = (await api.post(url, json=fix, headers=staff.caseworker)).json()
    assert sorted(fixed["recorded"]) == sorted([p1, p2]) and fixed["not_recorded"] == []
    again = (await api.post(url, json=fix, headers=staff.caseworker)).json()
    assert again == fixed
    two = (await api.get(f"/pathways/{w2}", headers=staff.caseworker)).json()
    # The correction is a correct_day step superseding exactly the sick mark, with its reason.
    assert events_on(two, "2026-11-02") == Counter({"record_absence": 1, "correct_day": 1})
    sick = next(e for e in two["timeline"] if e["type"] == "record_absence")
    fixing = next(e for e in two["timeline"] if e["type"] == "correct_day")
    assert fixing["data"]["corrects"] == [sick["seq"]] and fixing["data"]["hours"] == "4"
    assert fixing["data"]["reason"] == "correction 1 of the class list"
    assert two["corrected_by"] == {str(sick["seq"]): fixing["seq"]}
    one = (await api.get(f"/pathways/{w1}", headers=staff.caseworker)).json()
    assert events_on(one, "2026-11-02") == Counter({"record_attendance": 1})

    here = (await api.get("/attendance", params={"month": "2026-11"},
                          headers=staff.caseworker)).json()  # fmt: skip
    standing = {(r["participant_id"], r["mark"], r["hours"]) for r in here}
    assert standing == {(p1, "present", "6.00"), (p2, "present", "4.00"), (p3, "day_off", None)}

    # The printouts agree with the lists: p2's corrected day, p3's day off, the totals.
    listed = await api.get(f"/groups/{group}/attendance-list", params={"month": "2026-11"},
                           headers=staff.caseworker)  # fmt: skip
    assert listed.headers["content-type"] == "application/pdf"
    text = pdf_text(listed.content)
    assert f"Lista obecności \u2013 {GROUP['name']} \u2013 listopad 2026" in text
    assert f"Unit {staff.unit_code}" in text  # the centre's name heads the page
    for pid in (p1, p2, p3):
        assert name_of[pid] in text
    sheet = await api.get(f"/participants/{p2}/timesheet", params={"month": "2026-11"},
                          headers=staff.caseworker)  # fmt: skip
    text = pdf_text(sheet.content)
    assert f"Uczestnik: {name_of[p2]}. Godziny obecności w miesiącu: 4." in text
    assert "choroba: 0" in text  # the correction stands over the first mark

    # The month's benefit statements follow the same events: p3's day off and p1's presence
    # deduct nothing, nor does p2's sick day corrected to present: p2's statement is p1's.
    def reasons(statement: dict[str, Any]) -> dict[str, int]:
        return {d["reason"]: d["days"] for d in statement["deductions"]}

    nothing: dict[str, int] = {}
    for pathway, expected in ((w1, nothing), (w3, nothing)):
        statement = (await api.get(f"/pathways/{pathway}/benefits", params={"month": "2026-11"},
                                   headers=staff.caseworker)).json()  # fmt: skip
        assert reasons(statement) == expected, statement
    statement = (await api.get(f"/pathways/{w2}/benefits", params={"month": "2026-11"},
                               headers=staff.caseworker)).json()  # fmt: skip
    present = (await api.get(f"/pathways/{w1}/benefits", params={"month": "2026-11"},
                             headers=staff.caseworker)).json()  # fmt: skip
    assert reasons(statement) == {} and statement == present

    # Someone outside the group, or a class not held that day.
    stranger, _ = await cis_participant(api, staff)
    tuesday = {"day": "2026-11-03", "marks": [
        {"participant_id": p1, "mark": "present", "hours": "6"},
        {"participant_id": stranger, "mark": "present", "hours": "6"}]}  # fmt: skip
    answer = (await api.post(f"/classes/{classes[1]}/attendance", json=tuesday,
                             headers=staff.caseworker)).json()  # fmt: skip
    assert answer["recorded"] == [p1]
    assert [(n["participant_id"], n["code"]) for n in answer["not_recorded"]] == [
        (stranger, "not_in_class")
    ]
    wrong_day = await api.post(url, json={**tuesday, "day": "2026-11-03"}, headers=staff.caseworker)
    assert wrong_day.status_code == 422 and wrong_day.json()["error"]["code"] == "not_a_class_day"


async def test_psu_hours_over_the_caps_are_refused_with_the_numbers(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    who = (await api.post("/participants", json=person(), headers=staff.caseworker)).json()["id"]
    old = {"host": "Dom Pomocy Społecznej w Łodzi", "signed_on": "2025-05-20",
           "valid_from": "2025-06-01", "valid_until": "2026-05-31"}  # fmt: skip
    made = (await api.post("/psu/agreements", json=old, headers=staff.caseworker)).json()
    assert (made["regime"], made["weekly_hours_max"], made["monthly_hours_max"]) == (
        "PSU_2004_ART73A",
        10,
        40,
    )
    url = f"/psu/agreements/{made['id']}/hours"
    for day in ("2026-03-02", "2026-03-04"):
        ok = await api.post(url, json={"participant_id": who, "day": day, "hours": "5"},
                            headers=staff.caseworker)  # fmt: skip
        assert ok.status_code == 200, ok.text
    over = await api.post(url, json={"participant_id": who, "day": "2026-03-06", "hours": "1"},
                          headers=staff.caseworker)  # fmt: skip
    assert over.status_code == 409
    assert over.json()["error"]["code"] == "psu_weekly_cap_exceeded"
    assert over.json()["error"]["details"] == {
        "period": "week", "already": "10.00", "requested": "1", "cap": "10",
        "regime": "PSU_2004_ART73A"}  # fmt: skip
    for day in ("2026-03-09", "2026-03-16", "2026-03-23"):
        for hours in ("5", "5"):
            await api.post(url, json={"participant_id": who, "day": day, "hours": hours},
                           headers=staff.caseworker)  # fmt: skip
    monthly = await api.post(url, json={"participant_id": who, "day": "2026-03-30", "hours": "2"},
                             headers=staff.caseworker)  # fmt: skip
    assert monthly.status_code == 409
    assert monthly.json()["error"]["code"] == "psu_monthly_cap_exceeded"
    assert monthly.json()["error"]["details"]["cap"] == "40"


async def test_a_list_half_recorded_when_a_worker_died_is_completed_once_when_sent_again(
    settings: Settings,
    dev_server: WorkflowEnvironment,
    sessions: async_sessionmaker[AsyncSession],
    staff: Staff,
    api: httpx.AsyncClient,
) -> None:
    """Half the group's pathways run on this test's second worker, which is gone when the list
    is sent: their days are named as not recorded, the others are recorded; sent again once the
    worker is back, every day is there exactly once."""
    queue = settings.temporal_task_queue + "-second"
    second = settings.model_copy(update={"temporal_task_queue": queue})
    async with api_process(second, dev_server.client) as other:
        alive = [await cis_participant(api, staff) for _ in range(3)]
        async with build_worker(dev_server.client, queue, sessions):
            gone = [await cis_participant(other, staff) for _ in range(3)]
        people = alive + gone
        group = await group_with(api, staff, [p for p, _ in people])
        classes = await weekly_workshop(api, staff, group)
        marks = [{"participant_id": p, "mark": "present", "hours": "6"} for p, _ in people]
        body = {"day": "2026-11-05", "marks": marks}
        url = f"/classes/{classes[3]}/attendance"
        half = (await api.post(url, json=body, headers=staff.caseworker)).json()
        assert sorted(half["recorded"]) == sorted(p for p, _ in alive)
        assert sorted((n["participant_id"], n["code"]) for n in half["not_recorded"]) == sorted(
            (p, "step_unconfirmed") for p, _ in gone
        )
        async with build_worker(dev_server.client, queue, sessions):
            back = (await api.post(url, json=body, headers=staff.caseworker)).json()
            assert sorted(back["recorded"]) == sorted(p for p, _ in people)
            assert back["not_recorded"] == []
            for _, pathway in people:
                state = (await api.get(f"/pathways/{pathway}",
                                       headers=staff.caseworker)).json()  # fmt: skip
                assert events_on(state, "2026-11-05") == Counter({"record_attendance": 1})



async def test_the_same_list_sent_at_once_by_two_people_records_each_day_once(
    settings: Settings, dev_server: WorkflowEnvironment, staff: Staff, api: httpx.AsyncClient
) -> None:
    """Two members of staff send a class's list at the same moment through two API processes,
    and one of them twice at once (with the same and with different Idempotency-Keys, which the
    list does not need): nobody gets a 500, every answer names everyone as recorded, and each
    pathway has the day once."""
    people = [await cis_participant(api, staff) for _ in range(4)]
    group = await group_with(api, staff, [p for p, _ in people])
    classes = await weekly_workshop(api, staff, group)
    marks = [{"participant_id": p, "mark": "present", "hours": "6"} for p, _ in people]
    body = {"day": "2026-11-04", "marks": marks}
    url = f"/classes/{classes[2]}/attendance"
    async with api_process(settings, dev_server.client) as replica:
        sends = [
            api.post(url, json=body, headers={**staff.caseworker, "Idempotency-Key": "list-a"}),
            replica.post(url, json=body, headers={**staff.caseworker, "Idempotency-Key": "list-a"}),
            replica.post(url, json=body, headers={**staff.caseworker, "Idempotency-Key": "list-b"}),
            api.post(url, json=body, headers=staff.supervisor),
            replica.post(url, json=body, headers=staff.supervisor),
        ]
        answers = await asyncio.gather(*sends)
    assert [a.status_code for a in answers] == [200] * len(sends), [a.text for a in answers]
    for answer in answers:
        assert sorted(answer.json()["recorded"]) == sorted(p for p, _ in people), answer.text
        assert answer.json()["not_recorded"] == []
    for _, pathway in people:
        state = (await api.get(f"/pathways/{pathway}", headers=staff.caseworker)).json()
        assert events_on(state, "2026-11-04") == Counter({"record_attendance": 1}), pathway
    here = (await api.get("/attendance", params={"month": "2026-11"},
                          headers=staff.caseworker)).json()  # fmt: skip
    assert sorted(r["participant_id"] for r in here) == sorted(p for p, _ in people)
    # Each recorded step is in the audit log once, against its person and pathway (the list's
    # entries are written by one statement for all; the waiting sends recorded nothing).
    for pid, pathway in people:
        log = (await api.get("/audit", params={"participant_id": pid, "action": "pathway.action"},
                             headers=staff.supervisor)).json()  # fmt: skip
        steps = [(e["participant_id"], e["pathway_id"]) for e in log["items"]
                 if "hours" in e["fields"]]  # not the steps before (sign_ipzs, pass_trial)
        assert steps == [(pid, pathway)], log
