"""Participants' reminders: the outbox row, consent, the channel, once.

Delivery semantics (what "never a second copy" means per channel):
- The row is claimed by (pathway, reminder, due moment); a final status (sent, suppressed,
  dropped, failed, unconfirmed) is never sent again, whatever retries or replays ask.
- Before handing a message to a channel the row is committed as `sending`. A retry that finds
  a row still `sending` knows an earlier attempt died during the hand-over:
  - SMS: it sends again with the same `idx` (the outbox key) and `check_idx=1`; the gateway
    refuses a second message with that idx, and the refusal is recorded as sent.
  - E-mail: SMTP has no such refusal, so e-mail is at most once: the row becomes `unconfirmed`
    (the server may or may not have it) and is not sent again. Every copy would carry the same
    Message-ID (derived from the key), so a duplicate could always be told apart anyway.
- Nothing accepted (connection refused, 4xx): `retrying`, and Temporal retries with backoff;
  refused for good (5xx, bad number): `failed`. Errors are stored as codes, never addresses.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

import structlog
from pydantic import AliasChoices, BaseModel, ConfigDict, Field
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.channels import (
    Channels,
    DeliveryError,
    Email,
    PermanentError,
    Sms,
    TransientError,
    message_id_for,
)
from activities.sent_marks import SentMarks
from core.holidays import polish_holidays
from core.settings import DEV_SECRET, Settings
from core.signed_links import unsubscribe_token
from db import appointments
from db import notifications as outbox
from db.session import unit_of_work
from domain.appointments import Appointment, AppointmentKind
from domain.calendar import local_date
from domain.reminder_texts import Language, MessageContext, render
from domain.reminders import ReminderKind

log = structlog.get_logger(__name__)

# Temporal gives up after this many attempts (the workflow's retry policy says the same); the
# last attempt records the failure instead of raising.
MAX_ATTEMPTS = 8


class SendReminderInput(BaseModel):
    """One reminder to deliver (or to record as dropped). Ids and template data only."""

    pathway_id: str
    participant_id: str
    reminder: str
    kind: ReminderKind
    due_at: datetime
    scheduled_for: datetime | None = None
    sms_only: bool = False
    dropped_reason: str | None = None
    starts_at: datetime | None = None
    appointment_kind: AppointmentKind | None = Field(
        default=None, validation_alias=AliasChoices("appointment_kind", "session_kind")
    )
    place: str | None = None
    about_on: date | None = None


class SendReminderResult(BaseModel):
    """How the message ended (or stands, while Temporal retries)."""

    notification_id: str
    status: str
    reason: str | None = None


class HolidaysInput(BaseModel):
    """Years to fetch Poland's public holidays for."""

    years: list[int]


class HolidaysResult(BaseModel):
    """Poland's public holidays of the asked years."""

    holidays: dict[int, list[date]]


class AppointmentsSnapshot(BaseModel):
    """A pathway's appointments as its workflow holds them, for the read model."""

    model_config = ConfigDict(populate_by_name=True)

    pathway_id: str
    appointments: list[Appointment] = Field(
        validation_alias=AliasChoices("appointments", "sessions")
    )


@dataclass(frozen=True)
class LinkSettings:
    """What messages need from the settings: the link signing secret and the public API URL."""

    secret_key: str
    public_api_url: str
    sender: str

    @classmethod
    def of(cls, settings: Settings) -> LinkSettings:
        """From the process's settings."""
        return cls(settings.secret_key, settings.public_api_url, settings.smtp_from)


DEV_LINKS = LinkSettings(DEV_SECRET, "http://127.0.0.1:8000/api/v1", "przypomnienia@localhost")


class NotificationActivities:
    """Participants' reminders; each call is idempotent by its outbox key."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], channels: Channels, links: LinkSettings
    ) -> None:
        self._sessions = sessions
        self._channels = channels
        self._links = links
        self._sent = SentMarks(sessions)

    @activity.defn
    async def send_reminder(self, job: SendReminderInput) -> SendReminderResult:
        """Claim the reminder's outbox row, check consent, send once, record how it went."""
        key = outbox.OutboxKey(uuid.UUID(job.pathway_id), job.reminder, job.due_at)
        participant_id = uuid.UUID(job.participant_id)
        async with unit_of_work(self._sessions) as session:
            # Decide first, then claim: a new message's row is born `sending` (or suppressed,
            # or dropped) in one statement; an existing row is found, locked, and judged.
            person = None if job.dropped_reason else await outbox.contact(session, participant_id)
            channel, refusal = _channel_for(person, job.sms_only)
            if job.dropped_reason:
                status, reason = outbox.DROPPED, job.dropped_reason
            elif refusal is not None:
                status, reason = outbox.SUPPRESSED, refusal
            else:
                status, reason = outbox.SENDING, None
            row = await outbox.claim(
                session, key, participant_id, job.kind, job.scheduled_for, status, reason, channel
            )
            result = SendReminderResult(
                notification_id=str(row.id), status=row.status, reason=row.reason
            )
            if not row.fresh:
                if row.status in outbox.FINAL:
                    return result
                if row.status == outbox.SENDING and row.channel == "email":
                    await outbox.mark(session, row.id, status=outbox.UNCONFIRMED)
                    log.warning("notification_unconfirmed", outbox_id=str(row.id), channel="email")
                    return result.model_copy(update={"status": outbox.UNCONFIRMED})
                if status != outbox.SENDING:
                    await outbox.mark(session, row.id, status=status, reason=reason)
                else:
                    await outbox.mark(
                        session, row.id, status=status, channel=channel, attempts=row.attempts + 1
                    )
            if status != outbox.SENDING:
                log.info("notification_not_sent", outbox_id=str(row.id), reason=reason)
                return result.model_copy(update={"status": status, "reason": reason})
        assert person is not None and channel is not None
        return await self._deliver(job, row.id, channel, person)

    async def _deliver(
        self, job: SendReminderInput, outbox_id: uuid.UUID, channel: str, person: outbox.Contact
    ) -> SendReminderResult:
        key = f"{job.pathway_id}:{job.reminder}@{job.due_at.isoformat()}"
        token = unsubscribe_token(
            self._links.secret_key,
            person.participant_id,
            "email",
            local_date(datetime.now(UTC)),
        )
        language: Language = "en" if person.language == "en" else "pl"
        message = render(
            job.kind,
            language,
            MessageContext(
                centre_name=person.centre_name,
                centre_phone=person.centre_phone,
                starts_at=job.starts_at,
                place=job.place,
                appointment_kind=job.appointment_kind,
                about_on=job.about_on,
                unsubscribe_url=f"{self._links.public_api_url}/notifications/unsubscribe/{token}"
                if channel == "email"
                else None,
            ),
        )
        try:
            if channel == "sms":
                assert person.phone is not None
                idx = hashlib.sha256(key.encode()).hexdigest()[:32]
                sms = Sms(outbox_id=str(outbox_id), to=person.phone, text=message.sms, idx=idx)
                await self._channels.sms.send_sms(sms)
            else:
                assert person.email is not None
                url = f"{self._links.public_api_url}/notifications/unsubscribe/{token}"
                email = Email(
                    outbox_id=str(outbox_id),
                    to=person.email,
                    subject=message.subject,
                    body=message.body,
                    message_id=message_id_for(key, self._links.sender),
                    headers={
                        "List-Unsubscribe": f"<{url}>",
                        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                    },
                )
                await self._channels.email.send_email(email)
        except DeliveryError as err:
            return await self._failed(outbox_id, channel, err)
        await self._sent.mark(outbox_id)
        log.info("notification_sent", outbox_id=str(outbox_id), channel=channel)
        return SendReminderResult(notification_id=str(outbox_id), status=outbox.SENT)

    async def _failed(
        self, outbox_id: uuid.UUID, channel: str, err: DeliveryError
    ) -> SendReminderResult:
        last_attempt = activity.info().attempt >= MAX_ATTEMPTS
        if isinstance(err, PermanentError) or last_attempt:
            status = outbox.FAILED
        elif isinstance(err, TransientError) or channel == "sms":
            status = outbox.RETRYING  # nothing accepted, or SMS (its idx makes a resend safe)
        else:
            status = outbox.UNCONFIRMED  # e-mail that may have been accepted: never again
        async with unit_of_work(self._sessions) as session:
            await outbox.mark(session, outbox_id, status=status, last_error=err.code)
        log.warning(
            "notification_failed", outbox_id=str(outbox_id), channel=channel, error=err.code
        )
        if status == outbox.RETRYING:
            raise ApplicationError(f"delivery failed: {err.code}", type="delivery_retrying")
        return SendReminderResult(notification_id=str(outbox_id), status=status)

    @activity.defn
    async def holidays(self, request: HolidaysInput) -> HolidaysResult:
        """Poland's public holidays, so the workflow keeps them in its history (replays agree)."""
        return HolidaysResult(
            holidays={year: sorted(polish_holidays(year)) for year in sorted(set(request.years))}
        )

    # Registered under its first name: workflows started before issue 13 schedule it so.
    @activity.defn(name="project_sessions")
    async def project_appointments(self, snap: AppointmentsSnapshot) -> int:
        """Write the pathway's appointments to the read model; replays change nothing."""
        async with unit_of_work(self._sessions) as session:
            await appointments.project_appointments(
                session, uuid.UUID(snap.pathway_id), snap.appointments
            )
        log.info("appointments_projected", pathway_id=snap.pathway_id, count=len(snap.appointments))
        return len(snap.appointments)


def _channel_for(person: outbox.Contact | None, sms_only: bool) -> tuple[str | None, str | None]:
    """The channel to use, or why none: no consent to any usable channel, or no address."""
    if person is None:
        return None, "no_address"
    options = [("sms", person.consent_sms, person.phone)]
    if not sms_only:
        options.append(("email", person.consent_email, person.email))
    for name, consent, address in options:
        if consent and address:
            return name, None
    if not any(consent for _, consent, _ in options):
        return None, "no_consent"
    return None, "no_address"
