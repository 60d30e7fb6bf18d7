"""A KIS day and a KIS day's PSU hours corrected through the API on the real servers
(`correct_day`, issue 14): new events that supersede the marks, never overwrites; corrected PSU
hours held to the caps of the law of the day (domain.md §3), refused over them with the numbers.
Anchored in October 2026 (under the 2025 act: 10 hours a week, no monthly cap)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx

from tests.api.test_group_week import cis_participant
from tests.support import Staff, person, take_step


async def _kis(api: httpx.AsyncClient, staff: Staff) -> str:
    """A KIS pathway from 1 October 2026, its social contract signed on the 2nd."""
    who = (await api.post("/participants", json=person(), headers=staff.caseworker)).json()
    opened = await api.post(f"/participants/{who['id']}/pathways", headers=staff.caseworker,
                            json={"programme": "kis", "start_date": "2026-10-01"})  # fmt: skip
    assert opened.status_code == 201, opened.text
    pathway: str = opened.json()["id"]
    for step in ({"type": "record_diagnosis", "occurred_on": "2026-10-01"},
                 {"type": "sign_social_contract", "occurred_on": "2026-10-02"}):  # fmt: skip
        await take_step(api, staff.caseworker, pathway, step)
    return pathway


def _fix(day: str, reason: str, **mark: Any) -> dict[str, Any]:
    return {"type": "correct_day", "occurred_on": day, "reason": reason, **mark}


async def test_a_kis_day_is_corrected_by_a_new_event(api: httpx.AsyncClient, staff: Staff) -> None:
    cw = staff.caseworker
    pathway = await _kis(api, staff)
    await take_step(api, cw, pathway, {"type": "record_attendance", "hours": "4",
                                   "occurred_on": "2026-10-05"})  # fmt: skip
    await take_step(api, cw, pathway, {"type": "record_absence", "kind": "unexcused",
                                   "occurred_on": "2026-10-06"})  # fmt: skip
    await take_step(api, cw, pathway, {"type": "record_attendance", "hours": "4",
                                   "occurred_on": "2026-10-07"})  # fmt: skip
    # 6 October was a day present after all: corrected after a later step, once per key.
    fix = _fix("2026-10-06", "lista obecności podpisana", mark="present", hours="3")
    keyed = {**cw, "Idempotency-Key": f"kis-fix-{pathway}"}
    first = await take_step(api, keyed, pathway, fix)
    assert await take_step(api, keyed, pathway, fix) == first

    view = (await api.get(f"/pathways/{pathway}", headers=cw)).json()
    absent = next(e for e in view["timeline"] if e["type"] == "record_absence")
    [fixing] = [e for e in view["timeline"] if e["type"] == "correct_day"]
    assert absent["data"]["kind"] == "unexcused"  # the earlier mark stays, shown corrected
    assert (fixing["occurred_on"], fixing["data"]["as"], fixing["data"]["hours"]) == (
        "2026-10-06",
        "record_attendance",
        "3",
    )
    assert fixing["data"]["corrects"] == [absent["seq"]]
    assert view["corrected_by"] == {str(absent["seq"]): fixing["seq"]}
    totals = view["totals"]
    assert (totals["attendance_days"], Decimal(totals["attendance_hours"])) == (3, Decimal(11))
    assert totals["absences"] == {}
    # Nothing to change, a KIS day off, or PSU hours on a day that has none: refused.
    same = await api.post(
        f"/pathways/{pathway}/actions",
        headers=cw,
        json=_fix("2026-10-05", "bez zmian", mark="present", hours="4"),
    )
    assert same.status_code == 422 and same.json()["error"]["code"] == "correction_changes_nothing"
    off = await api.post(f"/pathways/{pathway}/actions", headers=staff.supervisor,
                         json=_fix("2026-10-05", "urlop", mark="day_off"))  # fmt: skip
    assert off.status_code == 422 and off.json()["error"]["code"] == "day_off_outside_cis"
    before = await api.post(f"/pathways/{pathway}/actions", headers=cw,
                            json=_fix("2026-09-30", "przed KIS", mark="absent",
                                      absence="excused"))  # fmt: skip
    assert before.status_code == 422
    assert before.json()["error"]["code"] == "day_outside_participation"


async def test_a_kis_day_is_corrected_after_the_referral_to_a_cis(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    cw = staff.caseworker
    pathway = await _kis(api, staff)
    await take_step(api, cw, pathway, {"type": "record_absence", "kind": "unexcused",
                                   "occurred_on": "2026-10-06"})  # fmt: skip
    await take_step(api, cw, pathway, {"type": "refer", "to": "cis", "occurred_on": "2026-10-20"})
    await take_step(api, staff.supervisor, pathway, {"type": "sign_ipzs",
                                                     "occurred_on": "2026-10-21"})  # fmt: skip
    # 6 October, a day of the KIS, found to be a day present once the person is in the CIS.
    fixed = await take_step(api, cw, pathway, _fix("2026-10-06", "lista obecności KIS",
                                                   mark="present", hours="4"))  # fmt: skip
    assert fixed["stage"] == "cis_trial"
    assert (fixed["totals"]["attendance_days"], fixed["totals"]["absences"]) == (1, {})
    # The referral's day is the CIS's: before its admission, outside its participation.
    refused = await api.post(f"/pathways/{pathway}/actions", headers=cw,
                             json=_fix("2026-10-20", "dzień skierowania", mark="present",
                                       hours="4"))  # fmt: skip
    assert refused.status_code == 422
    assert refused.json()["error"]["details"]["first"] == "2026-10-21"


async def test_kis_psu_hours_are_corrected_within_the_weekly_cap(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    cw = staff.caseworker
    pathway = await _kis(api, staff)
    # Monday to Wednesday of one week: 4 + 4 + 2 = 10 hours, the week's cap; a class on Monday.
    await take_step(api, cw, pathway, {"type": "record_attendance", "hours": "2",
                                       "occurred_on": "2026-10-05"})  # fmt: skip
    for day, hours in (("2026-10-05", "4"), ("2026-10-06", "4"), ("2026-10-07", "2")):
        await take_step(api, cw, pathway, {"type": "record_psu_hours", "hours": hours,
                                           "occurred_on": day})  # fmt: skip
    raise_wed = _fix("2026-10-07", "godziny z karty pracy", mark="psu", hours="3")
    over = await api.post(f"/pathways/{pathway}/actions", json=raise_wed, headers=cw)
    assert over.status_code == 409, over.text
    assert over.json()["error"]["code"] == "psu_weekly_cap_exceeded"
    assert over.json()["error"]["details"] == {
        "period": "week",
        "already": "8",
        "requested": "3",
        "cap": "10",
        "regime": "URPSZ_2025",
    }
    # Tuesday was 1 hour: fewer hours are never refused; then Wednesday's 5 fit the week.
    await take_step(api, cw, pathway, _fix("2026-10-06", "pomyłka w karcie", mark="psu", hours="1"))
    fixed = await take_step(api, cw, pathway, {**raise_wed, "hours": "5"})
    assert fixed["stage"] == "kis_active"

    view = (await api.get(f"/pathways/{pathway}", headers=cw)).json()
    psu = [e for e in view["timeline"] if e["type"] == "record_psu_hours"]
    fixes = [e for e in view["timeline"] if e["type"] == "correct_day"]
    assert [e["data"]["hours"] for e in psu] == ["4", "4", "2"]  # never overwritten
    assert [(e["data"]["as"], e["data"]["hours"], e["data"]["corrects"]) for e in fixes] == [
        ("record_psu_hours", "1", [psu[1]["seq"]]),
        ("record_psu_hours", "5", [psu[2]["seq"]]),
    ]
    assert Decimal(view["totals"]["psu_hours"]) == Decimal(10)
    # The day's attendance is apart from its PSU hours: untouched by either.
    assert view["totals"]["attendance_days"] == 1
    assert set(view["corrected_by"]) == {str(psu[1]["seq"]), str(psu[2]["seq"])}
    # Still at the cap: one more hour on Monday is refused, with the numbers.
    again = await api.post(
        f"/pathways/{pathway}/actions",
        headers=cw,
        json=_fix("2026-10-05", "więcej", mark="psu", hours="5"),
    )
    assert again.status_code == 409
    assert again.json()["error"]["details"]["already"] == "6"


async def test_psu_hours_are_not_a_cis_day_s_correction(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    _, pathway = await cis_participant(api, staff)
    await take_step(api, staff.caseworker, pathway, {"type": "record_attendance", "hours": "6",
                                                 "occurred_on": "2026-10-05"})  # fmt: skip
    refused = await api.post(
        f"/pathways/{pathway}/actions",
        headers=staff.caseworker,
        json=_fix("2026-10-05", "PSU", mark="psu", hours="2"),
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["code"] == "psu_outside_kis"


async def test_corrected_lists_correct_a_kis_day_and_its_psu_hours(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    """A KIS participant's workshop and PSU lists of a day, then each list corrected: each
    changed mark supersedes the list's earlier one (no second day, no second PSU record), and
    PSU hours over the week's cap are not recorded, with the numbers."""
    cw = staff.caseworker
    pathway = await _kis(api, staff)
    pid = (await api.get(f"/pathways/{pathway}", headers=cw)).json()["participant_id"]
    group = (await api.post("/groups", json={"name": "KIS", "kind": "workshop"},
                            headers=cw)).json()["id"]  # fmt: skip
    await api.post(f"/groups/{group}/members", json={"participant_id": pid, "on": "2026-10-01"},
                   headers=cw)  # fmt: skip
    day, classes = "2026-10-05", {}
    for kind, start in (("workshop", "08:00"), ("psu", "12:00")):
        body = {"kind": kind, "title": kind, "place": "Sala 1", "group_id": group,
                "starts_at": start, "hours": "4", "on": day}  # fmt: skip
        classes[kind] = (await api.post("/classes", json=body, headers=cw)).json()["id"]
    for kind, correction, hours in (("workshop", 0, "4"), ("psu", 0, "4"),
                                    ("workshop", 1, "3"), ("psu", 1, "6")):  # fmt: skip
        sent = {
            "day": day,
            "correction": correction,
            "reason": "karta pracy",
            "marks": [{"participant_id": pid, "mark": "present", "hours": hours}],
        }
        if correction == 0:
            del sent["reason"]
        answer = (await api.post(f"/classes/{classes[kind]}/attendance", json=sent,
                                 headers=cw)).json()  # fmt: skip
        assert answer["recorded"] == [pid] and answer["not_recorded"] == [], answer
    # Tuesday's PSU list: 4 h, the week's 10 with Monday's 6; corrected to 5, over the cap.
    tuesday = {"kind": "psu", "title": "psu", "place": "Schronisko", "group_id": group,
               "starts_at": "12:00", "hours": "5", "on": "2026-10-06"}  # fmt: skip
    late = (await api.post("/classes", json=tuesday, headers=cw)).json()["id"]
    for correction, hours in ((0, "4"), (1, "5")):
        sent = {
            "day": "2026-10-06",
            "correction": correction,
            "reason": "karta pracy",
            "marks": [{"participant_id": pid, "mark": "present", "hours": hours}],
        }
        answer = (await api.post(f"/classes/{late}/attendance", json=sent, headers=cw)).json()
    assert answer["recorded"] == [], answer
    [refused] = answer["not_recorded"]
    assert refused["code"] == "psu_weekly_cap_exceeded"
    assert "6 h already in this week" in refused["message"] and "10 h" in refused["message"]
    view = (await api.get(f"/pathways/{pathway}", headers=cw)).json()
    marks = [(e["type"], e["data"].get("as"), e["data"]["hours"]) for e in view["timeline"]
             if e["occurred_on"] == day]  # fmt: skip
    assert marks == [("record_attendance", None, "4"), ("record_psu_hours", None, "4"),
                     ("correct_day", "record_attendance", "3"),
                     ("correct_day", "record_psu_hours", "6")]  # fmt: skip
    totals = view["totals"]
    assert totals["attendance_days"] == 1
    summed = (Decimal(totals["attendance_hours"]), Decimal(totals["psu_hours"]))
    assert summed == (Decimal(3), Decimal(10))


async def test_plain_psu_steps_are_held_to_the_weekly_cap_with_the_numbers(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    cw = staff.caseworker
    pathway = await _kis(api, staff)
    for day in ("2026-10-12", "2026-10-13"):  # Monday and Tuesday: 8 hours
        await take_step(api, cw, pathway, {"type": "record_psu_hours", "hours": "4",
                                           "occurred_on": day})  # fmt: skip
    wednesday = {"type": "record_psu_hours", "hours": "3", "occurred_on": "2026-10-14"}
    over = await api.post(f"/pathways/{pathway}/actions", json=wednesday, headers=cw)
    assert over.status_code == 409, over.text
    assert over.json()["error"]["code"] == "psu_weekly_cap_exceeded"
    assert over.json()["error"]["details"] == {
        "period": "week", "already": "8", "requested": "3", "cap": "10", "regime": "URPSZ_2025",
    }  # fmt: skip
    # Up to the cap is recorded, and the next week starts again from nothing.
    await take_step(api, cw, pathway, {**wednesday, "hours": "2"})
    await take_step(api, cw, pathway, {**wednesday, "occurred_on": "2026-10-19"})
    view = (await api.get(f"/pathways/{pathway}", headers=cw)).json()
    hours = [e["data"]["hours"] for e in view["timeline"] if e["type"] == "record_psu_hours"]
    assert hours == ["4", "4", "2", "3"]
