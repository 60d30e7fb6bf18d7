"""Eligibility at intake (art. 1 ust. 3, 3a u.z.s.) and units' own targets, through the API."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db import eligibility, subjects
from db.models import Participant
from tests.support import Staff, eventually, local_today, person


async def register(api: httpx.AsyncClient, staff: Staff, exclusions: list[str]) -> str:
    answer = await api.post(
        "/participants", json=person(exclusions=exclusions), headers=staff.caseworker
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["exclusions"] == sorted(exclusions)
    return str(answer.json()["id"])


async def open_pathway(
    api: httpx.AsyncClient, staff: Staff, who: str, programme: str, days_ago: int = 40
) -> httpx.Response:
    return await api.post(
        f"/participants/{who}/pathways",
        headers=staff.caseworker,
        json={"programme": programme, "start_date": str(local_today() - timedelta(days=days_ago))},
    )


async def test_a_person_with_a_right_to_a_pension_may_join_a_kis_but_not_a_cis(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    who = await register(api, staff, ["incapacity_pension"])
    refused = await open_pathway(api, staff, who, "cis")
    assert refused.status_code == 409, refused.text
    error = refused.json()["error"]
    assert error["code"] == "excluded_from_cis"
    assert "art. 1 ust. 3 pkt 6" in error["message"]
    assert (await open_pathway(api, staff, who, "kis")).status_code == 201  # ust. 3a
    shown = await api.get(f"/participants/{who}", headers=staff.caseworker)
    assert shown.json()["exclusions"] == ["incapacity_pension"]


async def test_a_right_to_unemployment_benefit_bars_a_kis_too(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    who = await register(api, staff, ["unemployment_benefit"])
    refused = await open_pathway(api, staff, who, "kis")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "excluded_from_kis"


async def test_a_right_arising_in_the_cis_is_a_task_for_the_head_not_an_exit(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    who = await register(api, staff, [])
    opened = await open_pathway(api, staff, who, "cis")
    assert opened.status_code == 201, opened.text
    url = f"/pathways/{opened.json()['id']}"
    admitted = {"type": "sign_ipzs", "occurred_on": str(local_today() - timedelta(days=39))}
    passed = {"type": "pass_trial", "occurred_on": str(local_today() - timedelta(days=10))}
    for step in (admitted, passed):
        answer = await api.post(f"{url}/actions", json=step, headers=staff.supervisor)
        assert answer.status_code == 200, answer.text
    changed = await api.put(
        f"/participants/{who}/exclusions",
        json={"exclusions": ["unemployment_benefit"]},
        headers=staff.caseworker,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["exclusions"] == ["unemployment_benefit"]

    async def flagged() -> dict[str, Any] | None:
        state: dict[str, Any] = (await api.get(url, headers=staff.caseworker)).json()
        kinds = {d["kind"] for d in state["deadlines"]}
        return state if "eligibility_review" in kinds else None

    state = await eventually(flagged)
    assert state["stage"] == "cis_main"
    assert state["timeline"][-1]["type"] == "eligibility_changed"
    audit = await api.get(
        "/audit", params={"participant_id": who, "action": "participant.exclusions"},
        headers=staff.supervisor,
    )  # fmt: skip
    assert [e["fields"] for e in audit.json()["items"]] == [["exclusions"]]


async def test_exclusions_refuse_what_the_law_does_not_know_and_dates_ahead(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    who = await register(api, staff, [])
    unknown = await api.put(
        f"/participants/{who}/exclusions", json={"exclusions": ["lottery_win"]},
        headers=staff.caseworker,
    )  # fmt: skip
    assert unknown.status_code == 422
    ahead = await api.put(
        f"/participants/{who}/exclusions",
        json={"exclusions": [], "occurred_on": str(local_today() + timedelta(days=1))},
        headers=staff.caseworker,
    )
    assert ahead.status_code == 422
    assert ahead.json()["error"]["code"] == "occurred_on_in_future"
    stranger = await api.put(
        f"/participants/{who}/exclusions", json={"exclusions": []}, headers=staff.stranger
    )
    assert stranger.status_code == 404


async def test_erasure_removes_the_exclusions(
    api: httpx.AsyncClient, staff: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    who = await register(api, staff, ["old_age_pension"])
    async with sessions() as session, session.begin():
        participant = await session.get(Participant, uuid.UUID(who))
        assert participant is not None
        assert await eligibility.exclusions_of(session, participant.id) == ["old_age_pension"]
        await subjects.erase(session, participant, [], participant.created_by)
    async with sessions() as session:
        assert await eligibility.exclusions_of(session, participant.id) == []


async def test_a_unit_reports_against_its_own_target_beside_the_rulebooks(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    refused = await api.put(
        f"/units/{staff.unit_code}/targets", json={"employment_target_pct": "130"},
        headers=staff.admin,
    )  # fmt: skip
    assert refused.status_code == 422
    saved = await api.put(
        f"/units/{staff.unit_code}/targets", json={"employment_target_pct": "30"},
        headers=staff.admin,
    )  # fmt: skip
    assert saved.status_code == 200, saved.text
    period = {"from": str(local_today() - timedelta(days=365)), "to": str(local_today())}
    report = await api.get("/reports/kpis", params=period, headers=staff.supervisor)
    employment = report.json()["effectiveness"]["employment"]
    assert (employment["target_pct"], employment["unit_target_pct"]) == ("22", "30.00")
