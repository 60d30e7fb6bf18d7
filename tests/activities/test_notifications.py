"""The send_reminder activity on the real database, a real SMTP server and a local SMS gateway:
once per key, consent first, and no second copy after a death in the middle of a send."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.channels import Channels, Email, LogChannel, SmsApiChannel, SmtpChannel
from activities.notifications import (
    MAX_ATTEMPTS,
    LinkSettings,
    NotificationActivities,
    SendReminderInput,
)
from core.signed_links import open_unsubscribe_token
from db.models import Notification
from domain.appointments import AppointmentKind
from domain.calendar import local_date
from domain.reminders import ReminderKind
from tests.notification_servers import (
    Gateway,
    Mailbox,
    free_port,
    seed_pathway,
    sms_gateway,
    smtp_server,
)

SECRET = "test-secret-key-long-enough-for-hs256"
LINKS = LinkSettings(secret_key=SECRET, public_api_url="https://x.example/api/v1", sender="p@c.pl")
DUE = datetime(2026, 11, 25, 17, 0, tzinfo=UTC)


@pytest.fixture
def mail() -> Iterator[tuple[Mailbox, int]]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def gateway() -> Iterator[tuple[Gateway, str]]:
    with sms_gateway() as server:
        yield server


@pytest.fixture
async def channels(
    mail: tuple[Mailbox, int], gateway: tuple[Gateway, str]
) -> AsyncIterator[Channels]:
    both = Channels(
        email=SmtpChannel(host="127.0.0.1", port=mail[1], sender="p@c.pl"),
        sms=SmsApiChannel(
            token="t", sender="C", base_url=gateway[1], duplicate_errors=frozenset({53})
        ),
    )
    yield both
    await both.close()


def job(pathway_id: uuid.UUID, participant_id: uuid.UUID, **changes: object) -> SendReminderInput:
    base = SendReminderInput(
        pathway_id=str(pathway_id),
        participant_id=str(participant_id),
        reminder="session_eve:s-1",
        kind=ReminderKind.APPOINTMENT_EVE,
        due_at=DUE,
        scheduled_for=DUE,
        starts_at=datetime(2026, 11, 26, 9, 0, tzinfo=UTC),
        appointment_kind=AppointmentKind.WORKSHOP,
        place="sala 12",
    )
    return base.model_copy(update=changes)


async def row_of(sessions: async_sessionmaker[AsyncSession], pathway_id: uuid.UUID) -> Notification:
    async with sessions() as session:
        return (
            await session.execute(select(Notification).where(Notification.pathway_id == pathway_id))
        ).scalar_one()


async def test_an_email_goes_once_however_often_it_is_asked(
    sessions: async_sessionmaker[AsyncSession], channels: Channels, mail: tuple[Mailbox, int]
) -> None:
    _, participant, pathway = await seed_pathway(sessions, consent_sms=False, language="en")
    activities = NotificationActivities(sessions, channels, LINKS)
    results = [
        await ActivityEnvironment().run(activities.send_reminder, job(pathway, participant))
        for _ in range(3)
    ]
    assert [r.status for r in results] == ["sent", "sent", "sent"]
    mailbox = mail[0]
    assert len(mailbox.messages) == 1
    message = mailbox.messages[0]
    assert message["To"] == "osoba@example.org"
    assert "Reminder of tomorrow's meeting" in str(message["Subject"])
    body = message.get_payload(decode=True)
    assert isinstance(body, bytes)
    assert "Tomorrow, 2026-11-26, at 10:00: a workshop, sala 12." in body.decode()
    token = str(message["List-Unsubscribe"]).strip("<>").rsplit("/", 1)[1]
    opened = open_unsubscribe_token(SECRET, token)
    assert opened is not None and (opened.participant_id, opened.channel) == (participant, "email")
    # It expires counting from the day it was sent (today, or yesterday just after midnight).
    assert opened.issued_on is not None
    assert opened.issued_on >= local_date(datetime.now(UTC)) - timedelta(days=1)
    row = await row_of(sessions, pathway)
    assert (row.status, row.channel, row.attempts, row.last_error) == ("sent", "email", 1, None)


async def test_sms_is_preferred_and_a_resend_after_a_death_is_refused_by_the_gateway(
    sessions: async_sessionmaker[AsyncSession], channels: Channels, gateway: tuple[Gateway, str]
) -> None:
    _, participant, pathway = await seed_pathway(sessions)
    activities = NotificationActivities(sessions, channels, LINKS)
    soon = job(
        pathway, participant, reminder="session_soon:s-1", kind=ReminderKind.APPOINTMENT_SOON
    )
    await ActivityEnvironment().run(activities.send_reminder, soon)
    # A worker killed after the gateway took the SMS and before the row said so: the row is
    # still `sending` when the activity is retried.
    async with sessions.begin() as session:
        row = (
            await session.execute(select(Notification).where(Notification.pathway_id == pathway))
        ).scalar_one()
        row.status = "sending"
    again = await ActivityEnvironment().run(activities.send_reminder, soon)
    assert again.status == "sent"
    fake = gateway[0]
    assert len(fake.delivered) == 1  # the gateway refused the second copy by its idx
    assert len(fake.requests) == 2
    assert fake.requests[0]["fields"]["idx"] == fake.requests[1]["fields"]["idx"]
    assert fake.delivered[0]["message"].startswith("Dziś o 10:00: zajęcia warsztatowe, sala 12.")
    assert (await row_of(sessions, pathway)).attempts == 2


class DiesAfterSending:
    """An e-mail channel whose worker dies right after the SMTP server accepted the message."""

    name = "smtp"

    def __init__(self, real: SmtpChannel) -> None:
        self.real = real

    async def send_email(self, email: Email) -> str:
        await self.real.send_email(email)
        raise SystemError("worker killed after the SMTP server accepted the message")

    async def close(self) -> None:
        await self.real.close()


async def test_an_activity_dying_after_the_smtp_server_accepted_never_sends_a_second_copy(
    sessions: async_sessionmaker[AsyncSession], channels: Channels, mail: tuple[Mailbox, int]
) -> None:
    _, participant, pathway = await seed_pathway(sessions, consent_sms=False)
    assert isinstance(channels.email, SmtpChannel)
    dying = NotificationActivities(
        sessions, Channels(email=DiesAfterSending(channels.email), sms=LogChannel()), LINKS
    )
    with pytest.raises(SystemError):
        await ActivityEnvironment().run(dying.send_reminder, job(pathway, participant))
    healthy = NotificationActivities(sessions, channels, LINKS)
    retried = await ActivityEnvironment().run(healthy.send_reminder, job(pathway, participant))
    assert retried.status == "unconfirmed"
    again = await ActivityEnvironment().run(healthy.send_reminder, job(pathway, participant))
    assert again.status == "unconfirmed"
    assert len(mail[0].messages) == 1
    assert max(mail[0].message_ids().values()) == 1


async def test_no_consent_no_address_and_dropped_send_nothing_and_say_why(
    sessions: async_sessionmaker[AsyncSession], channels: Channels, mail: tuple[Mailbox, int]
) -> None:
    activities = NotificationActivities(sessions, channels, LINKS)
    _, p1, w1 = await seed_pathway(sessions, consent_sms=False, consent_email=False)
    _, p2, w2 = await seed_pathway(sessions, phone=None, email=None)
    _, p3, w3 = await seed_pathway(sessions, consent_sms=False)
    _, p4, w4 = await seed_pathway(sessions)
    run = ActivityEnvironment().run
    assert (await run(activities.send_reminder, job(w1, p1))).reason == "no_consent"
    assert (await run(activities.send_reminder, job(w2, p2))).reason == "no_address"
    sms_only = job(w3, p3, reminder="session_soon:s-1", sms_only=True)
    assert (await run(activities.send_reminder, sms_only)).reason == "no_consent"
    dropped = job(w4, p4, dropped_reason="quiet_hours_no_slot")
    assert (await run(activities.send_reminder, dropped)).status == "dropped"
    for pathway, status, reason in [
        (w1, "suppressed", "no_consent"),
        (w2, "suppressed", "no_address"),
        (w3, "suppressed", "no_consent"),
        (w4, "dropped", "quiet_hours_no_slot"),
    ]:
        row = await row_of(sessions, pathway)
        assert (row.status, row.reason, row.attempts) == (status, reason, 0)
    assert mail[0].messages == []


async def test_an_unreachable_server_is_retried_then_failed_on_the_last_attempt(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    _, participant, pathway = await seed_pathway(sessions, consent_sms=False)
    dead = Channels(
        email=SmtpChannel(host="127.0.0.1", port=free_port(), sender="p@c.pl", timeout=2),
        sms=LogChannel(),
    )
    activities = NotificationActivities(sessions, dead, LINKS)
    with pytest.raises(ApplicationError, match="smtp_unreachable"):
        await ActivityEnvironment().run(activities.send_reminder, job(pathway, participant))
    row = await row_of(sessions, pathway)
    assert (row.status, row.last_error, row.attempts) == ("retrying", "smtp_unreachable", 1)
    last = ActivityEnvironment()
    last.info = dataclasses.replace(last.info, attempt=MAX_ATTEMPTS)
    final = await last.run(activities.send_reminder, job(pathway, participant))
    assert final.status == "failed"
    row = await row_of(sessions, pathway)
    assert (row.status, row.last_error, row.attempts) == ("failed", "smtp_unreachable", 2)


async def test_a_new_due_moment_is_a_new_message(
    sessions: async_sessionmaker[AsyncSession], channels: Channels, mail: tuple[Mailbox, int]
) -> None:
    _, participant, pathway = await seed_pathway(sessions, consent_sms=False)
    activities = NotificationActivities(sessions, channels, LINKS)
    moved = datetime(2026, 11, 27, 17, 0, tzinfo=UTC)
    await ActivityEnvironment().run(activities.send_reminder, job(pathway, participant))
    await ActivityEnvironment().run(
        activities.send_reminder, job(pathway, participant, due_at=moved)
    )
    assert len(mail[0].messages) == 2
    assert len(mail[0].message_ids()) == 2
    assert date(2026, 11, 27) == moved.date()
