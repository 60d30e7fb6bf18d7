"""Referrals between units on the real servers: a KIS refers to another unit's CIS; the CIS
sees only name, PESEL, date and reason (categories with consent), accepts (a new episode of its
own) or declines with a reason; neither unit sees the other's part."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.channels import LogChannel
from activities.digest import DEV_STAFF_MAIL, DigestActivities
from activities.morning import Untold
from activities.staff_mail import render_referral_declined
from core.settings import Settings
from db.caseload_models import HandoverCase, Referral
from db.models import StaffMessage, Unit, User
from db.session import unit_of_work
from domain.calendar import local_date
from services.context import open_services
from tests.api.test_caseload import colleague, handover_events, open_case
from tests.support import PASSWORD, Staff, eventually, login, person
from worker.morning import MorningActivities
from workflows.digest import CaseworkerDigestWorkflow, DigestRunInput


def _today() -> date:
    return local_date(datetime.now(UTC))


async def _head_of_other_unit(api: httpx.AsyncClient, staff: Staff) -> dict[str, str]:
    """A supervisor of the stranger's unit (the CIS)."""
    username = f"head-{uuid.uuid4().hex[:8]}"
    unit = f"CIS-{staff.unit_code.removeprefix('KIS-')}"
    body = {"username": username, "password": PASSWORD, "role": "supervisor", "unit_code": unit}
    made = await api.post("/users", headers=staff.admin, json=body)
    assert made.status_code == 201, made.text
    return await login(api, username)


async def _kis_participant(api: httpx.AsyncClient, staff: Staff) -> tuple[dict[str, Any], str]:
    body = person(categories=["homeless", "long_term_unemployed"], email="jan@example.pl")
    made = await api.post("/participants", json=body, headers=staff.caseworker)
    assert made.status_code == 201, made.text
    opened = await api.post(
        f"/participants/{made.json()['id']}/pathways",
        json={"programme": "kis", "start_date": (_today() - timedelta(days=200)).isoformat()},
        headers=staff.caseworker,
    )
    assert opened.status_code == 201, opened.text
    return {**body, "id": made.json()["id"]}, str(opened.json()["id"])


async def _incoming(
    api: httpx.AsyncClient, headers: dict[str, str], referral: str
) -> dict[str, Any]:
    answer = await api.get("/referrals", headers=headers)
    assert answer.status_code == 200, answer.text
    return next(r for r in answer.json()["incoming"] if r["id"] == referral)


async def _decisions(
    api: httpx.AsyncClient, headers: dict[str, str], pathway: str
) -> list[dict[str, Any]]:
    """The referral decisions on a pathway's timeline, once there is one."""

    async def found() -> list[dict[str, Any]]:
        answer = await api.get(f"/pathways/{pathway}", headers=headers)
        return [e for e in answer.json()["timeline"] if e["type"].startswith("referral_")]

    return await eventually(found)


def _referral(participant: str, to_unit: str, **fields: Any) -> dict[str, Any]:
    return {
        "participant_id": participant,
        "to_unit": to_unit,
        "referred_on": (_today() - timedelta(days=1)).isoformat(),
        "reason": "KIS ukończony, potrzebna reintegracja zawodowa",
        "consent_transfer": True,
        **fields,
    }


async def test_a_referral_accepted_starts_an_episode_the_sender_cannot_see_and_vice_versa(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    head = await _head_of_other_unit(api, staff)
    cis = f"CIS-{staff.unit_code.removeprefix('KIS-')}"
    someone, kis_pathway = await _kis_participant(api, staff)

    no_consent = _referral(someone["id"], cis, consent_transfer=False)
    refused = await api.post("/referrals", json=no_consent, headers=staff.caseworker)
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "consent_required"
    sent = await api.post(
        "/referrals", json=_referral(someone["id"], cis), headers=staff.caseworker
    )
    assert sent.status_code == 201, sent.text
    assert sent.json()["status"] == "pending" and sent.json()["to_unit"] == cis
    referral = sent.json()["id"]
    retried = await api.post(
        "/referrals", json=_referral(someone["id"], cis), headers=staff.caseworker
    )
    assert retried.status_code == 201 and retried.json() == sent.json()  # the same referral

    # The CIS sees only what it needs: no contact, no categories without consent.
    seen = await _incoming(api, staff.stranger, referral)
    assert seen == {
        "id": referral,
        "first_name": someone["first_name"],
        "last_name": someone["last_name"],
        "pesel": someone["pesel"],
        "referred_on": (_today() - timedelta(days=1)).isoformat(),
        "reason": "KIS ukończony, potrzebna reintegracja zawodowa",
        "programme": "cis",
        "from_unit": f"Unit {staff.unit_code}",
        "status": "pending",
        "categories": None,
        "decline_reason": None,
        "participant_id": None,
        "pathway_id": None,
    }
    for path in (f"/participants/{someone['id']}", f"/pathways/{kis_pathway}"):
        assert (await api.get(path, headers=staff.stranger)).status_code == 404
        assert (await api.get(path, headers=head)).status_code == 404

    start = {"start_date": _today().isoformat()}
    by_caseworker = await api.post(
        f"/referrals/{referral}/accept", json=start, headers=staff.stranger
    )
    assert by_caseworker.status_code == 403
    accepted = await api.post(f"/referrals/{referral}/accept", json=start, headers=head)
    assert accepted.status_code == 200, accepted.text
    answer = accepted.json()
    assert answer["status"] == "accepted" and answer["pathway_id"] and answer["participant_id"]
    again = await api.post(f"/referrals/{referral}/accept", json=start, headers=head)
    assert again.status_code == 200 and again.json() == answer  # nothing twice

    # A new episode in the CIS: its own record (no contact data, no categories) and pathway.
    new_pathway = await api.get(f"/pathways/{answer['pathway_id']}", headers=staff.stranger)
    assert new_pathway.status_code == 200, new_pathway.text
    assert new_pathway.json()["programme"] == "cis"
    record = await api.get(f"/participants/{answer['participant_id']}", headers=staff.stranger)
    assert record.status_code == 200, record.text
    assert record.json()["pesel"] == someone["pesel"]
    assert record.json()["email"] is None and record.json()["categories"] == []
    # The sender keeps its part and sees nothing of the CIS's.
    assert (await api.get(f"/pathways/{kis_pathway}", headers=staff.caseworker)).status_code == 200
    for path in (f"/participants/{answer['participant_id']}", f"/pathways/{answer['pathway_id']}"):
        assert (await api.get(path, headers=staff.caseworker)).status_code == 404
    outgoing = (await api.get("/referrals", headers=staff.caseworker)).json()["outgoing"]
    assert next(r for r in outgoing if r["id"] == referral)["status"] == "accepted"
    # One story: the sender's timeline records the decision, once (accepted twice above).
    events = await _decisions(api, staff.caseworker, kis_pathway)
    assert [(e["type"], e["data"]["to_unit"]) for e in events] == [("referral_accepted", cis)]


async def test_a_referral_declined_with_a_reason_is_told_to_the_sender(
    api: httpx.AsyncClient, staff: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    async with unit_of_work(sessions) as session:  # staff with addresses: the decline's e-mail
        for name in (staff.caseworker_name, staff.supervisor_name):
            await session.execute(
                update(User).where(User.username == name).values(email=f"{name}@kis.example.pl")
            )
    head = await _head_of_other_unit(api, staff)
    cis = f"CIS-{staff.unit_code.removeprefix('KIS-')}"
    someone, kis_pathway = await _kis_participant(api, staff)
    body = _referral(someone["id"], cis, consent_categories=True)
    referral = (await api.post("/referrals", json=body, headers=staff.caseworker)).json()["id"]

    seen = await _incoming(api, head, referral)
    assert seen["categories"] == ["homeless", "long_term_unemployed"]  # consented

    reason = {"reason": "Brak miejsc do końca kwartału"}
    declined = await api.post(f"/referrals/{referral}/decline", json=reason, headers=head)
    assert declined.status_code == 200, declined.text
    assert declined.json()["status"] == "declined"
    start = {"start_date": _today().isoformat()}
    late = await api.post(f"/referrals/{referral}/accept", json=start, headers=head)
    assert late.status_code == 409 and late.json()["error"]["code"] == "referral_decided"

    outgoing = (await api.get("/referrals", headers=staff.caseworker)).json()["outgoing"]
    told = next(r for r in outgoing if r["id"] == referral)
    assert (told["status"], told["decline_reason"]) == ("declined", reason["reason"])
    # The participant stays with the sender, their pathway as it was.
    kept = await api.get(f"/pathways/{kis_pathway}", headers=staff.caseworker)
    assert kept.status_code == 200 and kept.json()["programme"] == "kis"
    events = await _decisions(api, staff.caseworker, kis_pathway)
    assert [(e["type"], e["data"]["reason"]) for e in events] == [
        ("referral_declined", reason["reason"])
    ]

    # The sending unit's supervisor and the referring caseworker got one e-mail (declined
    # twice above: still one), naming neither the person nor their categories.
    async def notice() -> StaffMessage | None:
        async with sessions() as session:
            row = await session.get(StaffMessage, f"referral-declined:{referral}")
            return row if row is not None and row.status == "sent" else None

    sent = await eventually(notice)
    assert sent.recipients == 2 and sent.kind == "referral_declined"
    async with sessions() as session:
        sender = await session.get(Unit, sent.unit_id)
        assert sender is not None and sender.code == staff.unit_code
        told_at = await session.scalar(
            select(Referral.told_at).where(Referral.id == uuid.UUID(referral))
        )
        assert told_at is not None
    mail = render_referral_declined(cis, date(2026, 12, 1), date(2026, 12, 2), "https://x/api/v1")
    text = mail.subject + mail.body
    assert cis in text and "01.12.2026" in text
    for personal in (someone["last_name"], someone["pesel"], "homeless", reason["reason"]):
        assert personal not in text


async def test_the_morning_run_tells_what_was_left_untold_once(
    api: httpx.AsyncClient,
    staff: Staff,
    settings: Settings,
    dev_server: WorkflowEnvironment,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    # A hand-over and a decline, each as if the API had died between its commit and its Signal.
    taker, _ = await colleague(api, staff)
    case = await open_case(api, staff.caseworker)
    body = {"pathway_ids": [case], "to": [str(taker)]}
    moved = await api.post("/caseload/handovers", json=body, headers=staff.supervisor)
    assert moved.status_code == 200, moved.text
    head = await _head_of_other_unit(api, staff)
    cis = f"CIS-{staff.unit_code.removeprefix('KIS-')}"
    someone, kis_pathway = await _kis_participant(api, staff)
    referral = (
        await api.post("/referrals", json=_referral(someone["id"], cis), headers=staff.caseworker)
    ).json()["id"]
    declined = await api.post(f"/referrals/{referral}/decline", json={"reason": "Brak miejsc"},
                              headers=head)  # fmt: skip
    assert declined.status_code == 200, declined.text
    await _decisions(api, staff.caseworker, kis_pathway)
    await handover_events(api, staff.supervisor, case)
    async with unit_of_work(sessions) as session:
        await session.execute(
            update(HandoverCase)
            .where(HandoverCase.pathway_id == uuid.UUID(case))
            .values(told_at=None)
        )
        await session.execute(
            update(Referral).where(Referral.id == uuid.UUID(referral)).values(told_at=None)
        )

    queue = f"morning-{uuid.uuid4().hex[:8]}"
    digest = DigestActivities(sessions, LogChannel(), DEV_STAFF_MAIL)
    async with (
        open_services(settings, dev_server.client) as services,
        Worker(
            dev_server.client,
            task_queue=queue,
            workflows=[CaseworkerDigestWorkflow],
            activities=[
                *digest.definitions(),
                MorningActivities(services).tell_untold,
                MorningActivities(services).follow_timetables,
            ],
        ),
    ):
        for run in range(2):  # twice on the same day: nothing twice
            # A morning long before any test's deadlines: the shared database's digests and
            # escalations stay out of it (they are tests/workflows/test_digest_workflow.py's).
            result = await dev_server.client.execute_workflow(
                CaseworkerDigestWorkflow.run,
                DigestRunInput(day=date(2001, 1, 2), catch_up=True),
                id=f"morning-{uuid.uuid4()}",
                task_queue=queue,
                execution_timeout=timedelta(minutes=2),
            )
            assert result.untold == Untold(handover_cases=0, referral_decisions=0), run
            assert result.timetables.unsent == 0

    async with sessions() as session:
        handed = await session.scalar(
            select(HandoverCase.told_at).where(HandoverCase.pathway_id == uuid.UUID(case))
        )
        decided = await session.scalar(
            select(Referral.told_at).where(Referral.id == uuid.UUID(referral))
        )
    assert handed is not None and decided is not None
    assert len(await handover_events(api, staff.supervisor, case)) == 1
    assert len(await _decisions(api, staff.caseworker, kis_pathway)) == 1


async def test_a_referral_to_a_labour_office_outside_the_system_and_its_outcome_later(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    someone, _ = await _kis_participant(api, staff)
    body = {
        "participant_id": someone["id"],
        "institution": "Powiatowy Urząd Pracy w Radomiu",
        "referred_on": (_today() - timedelta(days=3)).isoformat(),
        "reason": "zatrudnienie wspierane po KIS",
        "consent_transfer": False,
    }
    refused = await api.post("/referrals/external", json=body, headers=staff.caseworker)
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "consent_required"
    body["consent_transfer"] = True
    sent = await api.post("/referrals/external", json=body, headers=staff.caseworker)
    assert sent.status_code == 201, sent.text
    referral = sent.json()
    assert (referral["programme"], referral["outcome"]) == ("supported_employment", None)
    again = await api.post("/referrals/external", json=body, headers=staff.caseworker)
    assert again.json()["id"] == referral["id"]  # a retry: the same referral

    # Weeks later the office answers; the unit records it once.
    answer = {"outcome": "accepted", "outcome_on": _today().isoformat(), "note": "od 1. dnia"}
    path = f"/referrals/external/{referral['id']}/outcome"
    for _ in range(2):
        recorded = await api.post(path, json=answer, headers=staff.supervisor)
        assert recorded.status_code == 200, recorded.text
        assert (recorded.json()["outcome"], recorded.json()["note"]) == ("accepted", "od 1. dnia")
    other = await api.post(path, json={**answer, "outcome": "declined"}, headers=staff.caseworker)
    assert other.status_code == 409 and other.json()["error"]["code"] == "referral_decided"

    listed = (await api.get("/referrals", headers=staff.caseworker)).json()["external"]
    assert [(r["id"], r["outcome"]) for r in listed] == [(referral["id"], "accepted")]
    # Another unit sees nothing of it and cannot record its outcome.
    assert (await api.get("/referrals", headers=staff.stranger)).json()["external"] == []
    foreign = await api.post(path, json=answer, headers=staff.stranger)
    assert foreign.status_code == 404
