"""Data subjects' rights: the art. 15 export, and erasure refused before its time."""

from __future__ import annotations

import json

import httpx

from tests.api.test_group_week import GROUP, cis_participant, group_with, weekly_workshop
from tests.security.journey import walk_to_closed
from tests.support import Staff, person


async def test_the_export_holds_everything_on_the_participant(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    journey = await walk_to_closed(api, staff.caseworker)
    answer = await api.get(
        f"/participants/{journey.participant_id}/export", headers=staff.supervisor
    )
    assert answer.status_code == 200, answer.text
    export = answer.json()
    text = json.dumps(export)
    assert all(secret in text for secret in journey.secrets)  # notes of the timeline included
    assert export["participant"]["categories"] == ["addicted_alcohol", "released_from_prison"]
    [pathway] = export["pathways"]
    assert pathway["id"] == journey.pathway_id and pathway["closed"]
    assert {"record_diagnosis", "withdraw", "record_outcome"} <= {
        e["type"] for e in pathway["events"]
    }
    assert {"participant.create", "pathway.action"} <= {a["action"] for a in export["access_log"]}
    [meeting] = export["sessions"]
    assert meeting["place"].endswith(journey.secrets[1])  # the surname typed as the place
    assert export["erased_at"] is None


async def test_only_supervisors_of_the_unit_export(api: httpx.AsyncClient, staff: Staff) -> None:
    pid = (await api.post("/participants", json=person(), headers=staff.caseworker)).json()["id"]
    for headers, status in ((staff.caseworker, 403), (staff.admin, 403), (staff.stranger, 403)):
        assert (await api.get(f"/participants/{pid}/export", headers=headers)).status_code == status


async def test_erasure_waits_for_closed_pathways_and_the_retention_period(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    pid = (await api.post("/participants", json=person(), headers=staff.caseworker)).json()["id"]
    await api.post(
        f"/participants/{pid}/pathways",
        json={"programme": "kis", "start_date": "2026-01-05"},
        headers=staff.caseworker,
    )
    open_ = await api.post(f"/participants/{pid}/erasure", headers=staff.supervisor)
    assert open_.status_code == 409
    assert open_.json()["error"]["code"] == "pathway_open"

    journey = await walk_to_closed(api, staff.caseworker)
    early = await api.post(
        f"/participants/{journey.participant_id}/erasure", headers=staff.supervisor
    )
    assert early.status_code == 409
    assert early.json()["error"]["code"] == "retention_period_running"
    assert early.json()["error"]["details"]["erasable_from"] > "2036-01-01"


async def test_the_export_holds_the_centre_s_week_groups_marks_and_psu_hours(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    """What issue 14 stores on a participant is theirs to see: their groups, the classes planned
    for them alone, every mark of the lists (each correction too), PSU hours and the certified
    weekly hours."""
    pid, _ = await cis_participant(api, staff)
    group = await group_with(api, staff, [pid])
    classes = await weekly_workshop(api, staff, group)
    url = f"/classes/{classes[0]}/attendance"
    sick = {"day": "2026-11-02", "marks": [{"participant_id": pid, "mark": "absent",
                                            "absence": "sick"}]}  # fmt: skip
    assert (await api.post(url, json=sick, headers=staff.caseworker)).status_code == 200
    fix = {"day": "2026-11-02", "correction": 1,
           "marks": [{"participant_id": pid, "mark": "present", "hours": "4"}]}  # fmt: skip
    assert (await api.post(url, json=fix, headers=staff.caseworker)).status_code == 200
    own = {"kind": "consultation", "title": "Porada prawna", "place": "Pokój 2",
           "participant_id": pid, "starts_at": "12:00", "hours": "1",
           "on": "2026-11-03"}  # fmt: skip
    assert (await api.post("/classes", json=own, headers=staff.caseworker)).status_code == 201
    agreement = {"host": "Dom Pomocy Społecznej w Łodzi", "signed_on": "2026-10-01",
                 "valid_from": "2026-10-01", "valid_until": "2027-09-30"}  # fmt: skip
    made = (await api.post("/psu/agreements", json=agreement, headers=staff.caseworker)).json()
    hours = {"participant_id": pid, "day": "2026-11-06", "hours": "3"}
    placed = await api.post(f"/psu/agreements/{made['id']}/hours", json=hours,
                            headers=staff.caseworker)  # fmt: skip
    assert placed.status_code == 200, placed.text
    await api.put(f"/participants/{pid}/certified-hours", json={"weekly_hours": "20"},
                  headers=staff.caseworker)  # fmt: skip

    export = (await api.get(f"/participants/{pid}/export", headers=staff.supervisor)).json()
    assert [(m["group_id"], m["group"], m["joined_on"], m["left_on"])
            for m in export["group_memberships"]] == [
        (group, GROUP["name"], "2026-10-01", None)
    ]  # fmt: skip
    assert [(c["title"], c["on"], c["place"]) for c in export["classes"]] == [
        ("Porada prawna", "2026-11-03", "Pokój 2")
    ]
    assert [(m["class_id"], m["class_title"], m["day"], m["correction"], m["mark"], m["hours"],
             m["absence"]) for m in export["class_marks"]] == [
        (classes[0], "Gastronomia", "2026-11-02", 0, "absent", None, "sick"),
        (classes[0], "Gastronomia", "2026-11-02", 1, "present", "4.00", None),
    ]  # fmt: skip
    assert [(h["host"], h["day"], h["hours"]) for h in export["psu_hours"]] == [
        ("Dom Pomocy Społecznej w Łodzi", "2026-11-06", "3.00")
    ]
    assert export["certified_weekly_hours"] == "20.0"
