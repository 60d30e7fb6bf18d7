"""A caseworker founds a social cooperative over HTTP, on the real servers (domain.md §4)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx

from domain.calendar import add_months
from tests.support import Staff, eventually, local_today, person


async def _referred_participant(api: httpx.AsyncClient, staff: Staff, to: str) -> dict[str, Any]:
    """A KIS graduate referred onwards (`to`), with the pathway that referred them."""
    participant = (await api.post("/participants", json=person(), headers=staff.caseworker)).json()
    start = add_months(local_today(), -7)
    pathway = (
        await api.post(
            f"/participants/{participant['id']}/pathways",
            json={"programme": "kis", "start_date": start.isoformat()},
            headers=staff.caseworker,
        )
    ).json()
    for body in (
        {"type": "record_diagnosis", "occurred_on": (start + timedelta(days=1)).isoformat()},
        {"type": "sign_social_contract", "occurred_on": (start + timedelta(days=2)).isoformat()},
        {"type": "mark_contract_fulfilled"},
        {"type": "complete_kis"},
        {"type": "refer", "to": to},
    ):
        answer = await api.post(
            f"/pathways/{pathway['id']}/actions", json=body, headers=staff.caseworker
        )
        assert answer.status_code == 200, answer.text
    return {"id": participant["id"], "pathway_id": pathway["id"]}


async def _create(api: httpx.AsyncClient, staff: Staff, by: str = "natural") -> dict[str, Any]:
    answer = await api.post(
        "/cooperatives", json={"name": "Smaki Pomorza", "founded_by": by}, headers=staff.caseworker
    )
    assert answer.status_code == 201, answer.text
    result: dict[str, Any] = answer.json()
    return result


async def _outside(
    api: httpx.AsyncClient, staff: Staff, coop: dict[str, Any], excluded: bool
) -> httpx.Response:
    body = {"outside": {"kind": "natural", "name": "Ewa Nowak", "from_excluded_group": excluded}}
    return await api.post(
        f"/cooperatives/{coop['id']}/members", json=body, headers=staff.caseworker
    )


async def _join(
    api: httpx.AsyncClient, staff: Staff, coop: dict[str, Any], participant_id: str
) -> httpx.Response:
    return await api.post(
        f"/cooperatives/{coop['id']}/members",
        json={"participant_id": participant_id},
        headers=staff.caseworker,
    )


async def _step(
    api: httpx.AsyncClient, staff: Staff, coop: dict[str, Any], **body: Any
) -> httpx.Response:
    return await api.post(f"/cooperatives/{coop['id']}/steps", json=body, headers=staff.caseworker)


async def test_referred_participants_found_a_cooperative_and_their_pathways_learn_of_it(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    coop = await _create(api, staff)
    assert (coop["stage"], coop["next_step"], coop["members"]) == (
        "founding_group",
        "founding_meeting_held",
        [],
    )
    founder = await _referred_participant(api, staff, "cooperative")

    async def joined() -> httpx.Response | None:
        answer = await _join(api, staff, coop, founder["id"])
        return answer if answer.status_code == 200 else None  # once the referral is projected

    state = (await eventually(joined)).json()
    assert state["members"][0]["participant_id"] == founder["id"]
    assert state["members"][0]["founder"] is True
    again = await _join(api, staff, coop, founder["id"])
    assert (again.status_code, again.json()["error"]["code"]) == (409, "duplicate_member")

    for _ in range(2):
        assert (await _outside(api, staff, coop, excluded=True)).status_code == 200
    named = await api.get(f"/cooperatives/{coop['id']}", headers=staff.supervisor)
    assert [m["name"] for m in named.json()["members"]][1:] == ["Ewa Nowak", "Ewa Nowak"]

    meeting = await _step(api, staff, coop, type="founding_meeting_held")
    assert meeting.status_code == 200, meeting.text
    registered_early = await _step(api, staff, coop, type="registered")
    assert (registered_early.status_code, registered_early.json()["error"]["code"]) == (
        409,
        "step_not_allowed",
    )
    assert (await _step(api, staff, coop, type="court_filing_made")).status_code == 200
    done = (await _step(api, staff, coop, type="registered")).json()
    assert done["stage"] == "registered"
    assert [d["kind"] for d in done["deadlines"]] == ["members_deadline"]
    assert done["deadlines"][0]["due_on"] == add_months(local_today(), 12).isoformat()

    async def told() -> list[str] | None:
        got = await api.get(f"/pathways/{founder['pathway_id']}", headers=staff.caseworker)
        types = [e["type"] for e in got.json()["timeline"] if e["type"].startswith("cooperative_")]
        return types if len(types) == 4 else None

    assert await eventually(told) == [
        "cooperative_founder_added",
        "cooperative_founding_meeting_held",
        "cooperative_court_filing_made",
        "cooperative_registered",
    ]


async def test_a_participant_not_referred_to_a_cooperative_is_refused(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    coop = await _create(api, staff)
    to_work = await _referred_participant(api, staff, "employment")
    answer = await _join(api, staff, coop, to_work["id"])
    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "not_referred_to_cooperative"


async def test_a_founding_meeting_of_two_natural_persons_is_refused(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    coop = await _create(api, staff)
    for _ in range(2):
        await _outside(api, staff, coop, excluded=True)
    answer = await _step(api, staff, coop, type="founding_meeting_held")
    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "too_few_founders"
    future = await _step(
        api,
        staff,
        coop,
        type="founding_meeting_held",
        occurred_on=str(local_today() + timedelta(days=2)),
    )
    assert future.status_code == 422


async def test_more_than_half_from_outside_the_excluded_groups_is_refused(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    coop = await _create(api, staff)
    assert (await _outside(api, staff, coop, excluded=True)).status_code == 200
    half = await _outside(api, staff, coop, excluded=False)
    assert half.json()["outside_share_pct"] == 50
    over = await _outside(api, staff, coop, excluded=False)
    assert over.status_code == 409
    assert over.json()["error"]["code"] == "outside_share_exceeded"
    first = half.json()["members"][0]["member_id"]
    leaving = await api.delete(
        f"/cooperatives/{coop['id']}/members/{first}", headers=staff.caseworker
    )
    assert (leaving.status_code, leaving.json()["error"]["code"]) == (409, "outside_share_exceeded")
    outsider = half.json()["members"][1]["member_id"]
    gone = await api.delete(
        f"/cooperatives/{coop['id']}/members/{outsider}", headers=staff.caseworker
    )
    assert [m["member_id"] for m in gone.json()["members"]] == [first]


async def test_another_units_cooperative_is_not_found(api: httpx.AsyncClient, staff: Staff) -> None:
    coop = await _create(api, staff)
    for method, path, body in (
        ("GET", f"/cooperatives/{coop['id']}", None),
        ("POST", f"/cooperatives/{coop['id']}/steps", {"type": "founding_meeting_held"}),
        ("POST", f"/cooperatives/{coop['id']}/members", {"participant_id": coop["id"]}),
    ):
        answer = await api.request(method, path, json=body, headers=staff.stranger)
        assert answer.status_code == 404, (method, path)
        assert answer.json()["error"]["code"] == "cooperative_not_found"
    stranger_participant = (
        await api.post("/participants", json=person(), headers=staff.stranger)
    ).json()
    theirs = await _join(api, staff, coop, stranger_participant["id"])
    assert theirs.status_code == 404


async def test_a_three_founder_cooperative_owes_two_employed_members_from_the_groups(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    coop = await _create(api, staff)
    for _ in range(3):
        assert (await _outside(api, staff, coop, excluded=True)).status_code == 200
    for step in ("founding_meeting_held", "court_filing_made", "registered"):
        assert (await _step(api, staff, coop, type=step)).status_code == 200
    outsider = (await _outside(api, staff, coop, excluded=False)).json()["members"][-1]
    joined = (await _outside(api, staff, coop, excluded=True)).json()
    [duty] = joined["duties"]
    assert (duty["required"], duty["counted"], duty["met"]) == (2, 0, False)
    insider = joined["members"][-1]

    async def employ(member: dict[str, Any]) -> dict[str, Any]:
        answer = await api.post(
            f"/cooperatives/{coop['id']}/members/{member['member_id']}/employment",
            json={"contract_type": "employment"},
            headers=staff.caseworker,
        )
        assert answer.status_code == 200, answer.text
        result: dict[str, Any] = answer.json()
        return result

    assert (await employ(outsider))["duties"][0]["counted"] == 0  # outside members do not count
    after_one = await employ(insider)
    assert after_one["duties"][0]["counted"] == 1 and after_one["deadlines"]
    second = (await _outside(api, staff, coop, excluded=True)).json()["members"][-1]
    met = await employ(second)
    assert met["duties"] == [] and met["deadlines"] == []
    employed = [m for m in met["members"] if m["employed_since"]]
    assert {m["contract_type"] for m in employed} == {"employment"}
