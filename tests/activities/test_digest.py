"""The digest's activities on the real database and aiosmtpd: a retry never sends twice, a claim
left by a dead attempt is taken over, failures end as the relay said."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.channels import SmtpChannel
from activities.digest import (
    DigestActivities,
    DigestRequest,
    EscalationRequest,
    LateTaskRef,
    SendStatus,
    StaffMailSettings,
)
from db import staff_messages
from db.models import StaffMessage
from db.session import unit_of_work
from domain.roles import Role
from tests.notification_servers import free_port, smtp_server
from tests.staff_data import Unit, make_pathway, make_unit

SENDER = "zadania@centrum.example"
MAIL = StaffMailSettings(sender=SENDER, links="https://pathways.example/api/v1")
DAY = date(2026, 11, 16)


async def _caseworker_with_a_task(sessions: async_sessionmaker[AsyncSession]) -> Unit:
    unit = await make_unit(sessions, {"anna": (Role.CASEWORKER, True)})
    await make_pathway(sessions, unit, "anna", {"trial_end": DAY})
    return unit


async def _status(sessions: async_sessionmaker[AsyncSession], key: str) -> tuple[str, int]:
    async with sessions() as session:
        row = await session.get(StaffMessage, key)
        assert row is not None
        return row.status, row.attempts


async def test_a_retried_digest_is_not_sent_again(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    unit = await _caseworker_with_a_task(sessions)
    request = DigestRequest(caseworker_id=unit.users["anna"], day=DAY)
    with smtp_server() as (box, port):
        channel = SmtpChannel(host="127.0.0.1", port=port, sender=SENDER)
        digest = DigestActivities(sessions, channel, MAIL)
        first = await ActivityEnvironment().run(digest.send_digest, request)
        again = await ActivityEnvironment().run(digest.send_digest, request)
        await channel.close()
    assert (first.status, again.status) == (SendStatus.SENT, SendStatus.ALREADY_DONE)
    assert len(box.messages) == 1
    assert await _status(sessions, f"digest:{unit.users['anna']}:{DAY}") == ("sent", 1)


async def test_a_claim_left_by_a_dead_attempt_waits_for_its_lease_then_is_taken_over(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    unit = await _caseworker_with_a_task(sessions)
    key = f"digest:{unit.users['anna']}:{DAY}"
    # An attempt claimed the digest and died before sending (or is still sending).
    async with unit_of_work(sessions) as session:
        message = staff_messages.StaffMessageKey(key, "digest", unit.id, DAY)
        claim = await staff_messages.claim_staff_message(session, message, 1, timedelta(minutes=2))
    assert claim is staff_messages.Claim.SEND
    request = DigestRequest(caseworker_id=unit.users["anna"], day=DAY)
    with smtp_server() as (box, port):
        channel = SmtpChannel(host="127.0.0.1", port=port, sender=SENDER)
        digest = DigestActivities(sessions, channel, MAIL)
        with pytest.raises(ApplicationError) as busy:
            await ActivityEnvironment().run(digest.send_digest, request)
        assert busy.value.type == "claimed" and not busy.value.non_retryable
        assert box.messages == []
        # The lease runs out: the next retry takes the message over and sends it, once.
        async with unit_of_work(sessions) as session:  # (date arithmetic in Python: SQLite too)
            query = select(StaffMessage).where(StaffMessage.key == key)
            claimed = (await session.execute(query)).scalar_one()
            claimed.claimed_at -= timedelta(minutes=3)
        taken = await ActivityEnvironment().run(digest.send_digest, request)
        await channel.close()
    assert taken.status is SendStatus.SENT
    assert len(box.messages) == 1
    assert await _status(sessions, key) == ("sent", 2)


async def test_an_unreachable_relay_is_retried_and_a_refused_address_is_not(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    unit = await _caseworker_with_a_task(sessions)
    request = DigestRequest(caseworker_id=unit.users["anna"], day=DAY)
    key = f"digest:{unit.users['anna']}:{DAY}"
    dead = SmtpChannel(host="127.0.0.1", port=free_port(), sender=SENDER, timeout=2)
    with pytest.raises(ApplicationError) as down:
        await ActivityEnvironment().run(DigestActivities(sessions, dead, MAIL).send_digest, request)
    assert not down.value.non_retryable
    assert await _status(sessions, key) == ("failed", 1)
    with smtp_server() as (box, port):
        channel = SmtpChannel(host="127.0.0.1", port=port, sender=SENDER)
        retried = await ActivityEnvironment().run(
            DigestActivities(sessions, channel, MAIL).send_digest, request
        )
        await channel.close()
    assert retried.status is SendStatus.SENT and len(box.messages) == 1

    other = await _caseworker_with_a_task(sessions)
    refused_request = DigestRequest(caseworker_id=other.users["anna"], day=DAY)
    with smtp_server() as (box, port):
        box.refuse.add(other.emails["anna"])
        channel = SmtpChannel(host="127.0.0.1", port=port, sender=SENDER)
        digest = DigestActivities(sessions, channel, MAIL)
        refused = await ActivityEnvironment().run(digest.send_digest, refused_request)
        again = await ActivityEnvironment().run(digest.send_digest, refused_request)
        await channel.close()
    assert (refused.status, again.status) == (
        SendStatus.FAILED_PERMANENTLY,
        SendStatus.ALREADY_DONE,
    )
    assert box.messages == []


async def test_a_late_task_escalates_to_every_supervisor_of_the_unit(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    people = {
        "anna": (Role.CASEWORKER, True),
        "kierownik": (Role.SUPERVISOR, True),
        "zastepca": (Role.SUPERVISOR, True),
    }
    unit = await make_unit(sessions, people)
    late = DAY - timedelta(days=7)  # a Monday: five working days before DAY
    pathway_id, _ = await make_pathway(sessions, unit, "anna", {"trial_end": late})
    task = LateTaskRef(pathway_id=pathway_id, kind="trial_end", due_on=late, unit_id=unit.id)
    with smtp_server() as (box, port):
        channel = SmtpChannel(host="127.0.0.1", port=port, sender=SENDER)
        digest = DigestActivities(sessions, channel, MAIL)
        result = await ActivityEnvironment().run(
            digest.escalate_task, EscalationRequest(task=task, day=DAY)
        )
        await channel.close()
    assert (result.recorded, result.status) == (True, SendStatus.SENT)
    supervisors = sorted([unit.emails["kierownik"], unit.emails["zastepca"]])
    assert [sorted(rcpt) for rcpt in box.envelopes] == [supervisors]
