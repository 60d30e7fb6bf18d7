"""A CIS day corrected through the API on the real servers (`correct_day`, issues 14/15): the
corrected day pays as the day it is now, and a correction of a closed month is the next open
month's adjustment with its reason. Anchored in October 2026 (long past when these run)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import httpx

from tests.api.test_group_week import cis_participant, group_with, weekly_workshop
from tests.support import Staff, eventually, person, take_step

OCTOBER = "2026-10"
NOVEMBER = "2026-11"
WEEKDAYS = [d for d in range(1, 31) if date(2026, 10, d).weekday() < 5]  # no holiday among them


async def _admitted(api: httpx.AsyncClient, staff: Staff) -> str:
    participant = (await api.post("/participants", json=person(), headers=staff.caseworker)).json()
    answer = await api.post(
        f"/participants/{participant['id']}/pathways",
        headers=staff.caseworker,
        json={"programme": "cis", "start_date": "2026-10-01"},
    )
    assert answer.status_code == 201, answer.text
    pathway: str = answer.json()["id"]
    signed = {"type": "sign_ipzs", "occurred_on": "2026-10-01"}
    await take_step(api, staff.supervisor, pathway, signed)
    return pathway


def _day(day: int, sick: tuple[int, ...] = ()) -> dict[str, Any]:
    on = f"{OCTOBER}-{day:02d}"
    if day in sick:
        return {"type": "record_absence", "kind": "sick", "occurred_on": on}
    return {"type": "record_attendance", "hours": "7", "occurred_on": on}


async def _benefit(api: httpx.AsyncClient, staff: Staff, pathway: str) -> dict[str, Any]:
    answer = await api.get(
        f"/pathways/{pathway}/benefits", params={"month": OCTOBER}, headers=staff.supervisor
    )
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()
    return result


def _correction(day: int, reason: str, **mark: Any) -> dict[str, Any]:
    return {"type": "correct_day", "occurred_on": f"{OCTOBER}-{day:02d}", "reason": reason, **mark}


async def test_a_sick_day_corrected_to_present_pays_as_a_present_day(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    cw = staff.caseworker
    sick, present = await _admitted(api, staff), await _admitted(api, staff)
    for day in (1, 2, 5, 6, 7):
        await take_step(api, cw, sick, _day(day, sick=(5,)))
        await take_step(api, cw, present, _day(day))
    before = await _benefit(api, staff, sick)
    assert {d["reason"] for d in before["deductions"]} == {"sick_days_reduced"}

    # Dated on the day it corrects, two days before the last step; once per Idempotency-Key.
    fix = _correction(5, "zwolnienie wpisane omyłkowo", mark="present", hours="7")
    keyed = {**cw, "Idempotency-Key": f"fix-{sick}"}
    first = await take_step(api, keyed, sick, fix)
    assert await take_step(api, keyed, sick, fix) == first
    # A day off is the head's act: a caseworker may not correct a day to one.
    refused = await api.post(
        f"/pathways/{sick}/actions", json=_correction(6, "urlop", mark="day_off"), headers=cw
    )
    assert refused.status_code == 403, refused.text

    assert await _benefit(api, staff, sick) == await _benefit(api, staff, present)
    view = (await api.get(f"/pathways/{sick}", headers=cw)).json()
    other = (await api.get(f"/pathways/{present}", headers=cw)).json()
    marked = next(e for e in view["timeline"] if e["type"] == "record_absence")
    fixing = [e for e in view["timeline"] if e["type"] == "correct_day"]
    assert len(fixing) == 1 and fixing[0]["data"]["reason"] == "zwolnienie wpisane omyłkowo"
    assert view["corrected_by"] == {str(marked["seq"]): fixing[0]["seq"]}
    assert view["totals"] == other["totals"]
    assert view["hours_flags"] == other["hours_flags"]


async def test_a_correction_of_a_closed_month_is_next_month_s_adjustment_with_its_reason(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    cw, sv = staff.caseworker, staff.supervisor
    pathway = await _admitted(api, staff)
    for day in WEEKDAYS:
        await take_step(api, cw, pathway, _day(day, sick=(28,)))

    async def complete() -> dict[str, Any] | None:
        found = (await api.get(f"/payroll/{OCTOBER}", headers=sv)).json()
        return found if found["lines"] and found["can_close"] else None

    october = await eventually(complete)
    paid = october["lines"][0]["statement"]["total"]
    closed = await api.post(f"/payroll/{OCTOBER}/close", headers=sv)
    assert closed.status_code == 200, closed.text

    # November goes on; then 28 October turns out to have been a day present.
    await take_step(api, cw, pathway, {"type": "record_attendance", "hours": "7",
                                   "occurred_on": "2026-11-02"})  # fmt: skip
    reason = "obecny według listy podpisanej przez uczestnika"
    await take_step(api, cw, pathway, _correction(28, reason, mark="present", hours="7"))

    async def adjusted() -> dict[str, Any] | None:
        found = (await api.get(f"/payroll/{NOVEMBER}", headers=sv)).json()
        return found if found["adjustments"] else None

    november = await eventually(adjusted)
    due_now = (await _benefit(api, staff, pathway))["total"]
    [adjustment] = november["adjustments"]
    assert adjustment["for_month"] == OCTOBER and adjustment["pathway_id"] == pathway
    assert (adjustment["paid_then"], adjustment["due_now"]) == (paid, due_now)
    assert Decimal(adjustment["amount"]) == Decimal(due_now) - Decimal(paid) > 0
    [why] = adjustment["reasons"]
    assert why.startswith(f"correct_day to present (group) (was record_absence (sick)): {reason}")
    assert f"on {OCTOBER}-28" in why
    # October itself stays as closed, and its day counts are those paid.
    again = (await api.get(f"/payroll/{OCTOBER}", headers=sv)).json()
    assert again["status"] == "closed" and again["lines"][0]["statement"]["total"] == paid
    assert date(2026, 10, 28) + timedelta(days=5) == date(2026, 11, 2)


async def test_a_corrected_class_list_supersedes_only_that_class_s_mark_of_the_day(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    cw = staff.caseworker
    pid, pathway = await cis_participant(api, staff)
    group = await group_with(api, staff, [pid])
    morning = (await weekly_workshop(api, staff, group))[0]  # Mondays, 6 h
    body = {"kind": "group_class", "title": "Kompetencje społeczne", "place": "Sala 2",
            "group_id": group, "starts_at": "14:00", "hours": "2", "weekday": 0,
            "first_day": "2026-11-02", "last_day": "2026-11-30"}  # fmt: skip
    made = await api.post("/classes", json=body, headers=cw)
    assert made.status_code == 201, made.text
    afternoon = made.json()["id"]
    day = "2026-11-02"
    for class_id, hours in ((morning, "6"), (afternoon, "2")):
        sent = {"day": day, "marks": [{"participant_id": pid, "mark": "present", "hours": hours}]}
        answer = (await api.post(f"/classes/{class_id}/attendance", json=sent, headers=cw)).json()
        assert answer["recorded"] == [pid], answer
    # The afternoon's list corrected: 3 hours, with a reason; the morning's mark stands.
    fix = {"day": day, "correction": 1, "reason": "zajęcia przedłużone",
           "marks": [{"participant_id": pid, "mark": "present", "hours": "3"}]}  # fmt: skip
    answer = (await api.post(f"/classes/{afternoon}/attendance", json=fix, headers=cw)).json()
    assert answer["recorded"] == [pid] and answer["not_recorded"] == [], answer

    view = (await api.get(f"/pathways/{pathway}", headers=cw)).json()
    marks = [e for e in view["timeline"] if e["occurred_on"] == day]
    assert [e["type"] for e in marks] == ["record_attendance", "record_attendance", "correct_day"]
    morning_mark, second, fixing = marks
    assert morning_mark["data"]["hours"] == "6"
    assert fixing["data"]["corrects"] == [second["seq"]]
    assert fixing["data"]["reason"] == "zajęcia przedłużone"
    assert view["corrected_by"] == {str(second["seq"]): fixing["seq"]}
    assert (view["totals"]["attendance_days"], Decimal(view["totals"]["attendance_hours"])) == (
        2, Decimal(9)
    )
    here = (await api.get("/attendance", params={"month": NOVEMBER}, headers=cw)).json()
    assert sorted(Decimal(r["hours"]) for r in here) == [Decimal(3), Decimal(6)]
