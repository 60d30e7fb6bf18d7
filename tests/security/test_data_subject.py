"""Data subjects' rights: the art. 15 export, and erasure refused before its time."""

from __future__ import annotations

import json

import httpx

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
