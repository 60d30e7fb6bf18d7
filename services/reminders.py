"""Participants' reminders: appointments, messages and how they went, consent (from the
caseworker, a STOP reply, the unsubscribe link)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from core.signed_links import open_unsubscribe_token
from db import appointments, audit, participants
from db import notifications as outbox
from db.models import Appointment, Notification
from db.session import unit_of_work
from domain.appointments import Appointment as HeldAppointment
from domain.appointments import AppointmentIn, AppointmentKind, AppointmentOut, AppointmentRequest
from domain.calendar import local_date
from domain.errors import Gone, NotFound
from domain.notifications import (
    FailedNotificationList,
    FailedNotificationOut,
    NotificationList,
    NotificationOut,
    PreferencesIn,
    UnsubscribeAnswer,
)
from services import audit_log, class_reminders, pathway_calls
from services.context import Caller, Services
from services.pathways import own_pathway, owner_of

# A reply whose first word is one of these withdraws SMS consent (Polish and English).
STOP_WORDS = frozenset({"STOP", "NIE", "REZYGNUJE", "REZYGNUJĘ", "REZYGNACJA", "UNSUBSCRIBE"})
_APPOINTMENT_IDS = uuid.UUID("5b0f7e6e-8f43-4c36-9a1e-3f1f0c7a4a11")


async def set_appointment(
    services: Services,
    caller: Caller,
    pathway_id: uuid.UUID,
    body: AppointmentIn,
    idempotency_key: str | None = None,
) -> AppointmentOut:
    """Set a workshop, an individual meeting or a review; its reminders follow. The same
    Idempotency-Key makes one appointment."""
    await own_pathway(services, caller, pathway_id)
    appointment_id = (
        uuid.uuid5(_APPOINTMENT_IDS, f"{caller.id}:{pathway_id}:{idempotency_key}")
        if idempotency_key
        else uuid.uuid4()
    )
    request = AppointmentRequest(
        op="schedule",
        appointment_id=str(appointment_id),
        starts_at=body.starts_at,
        kind=body.kind,
        place=body.place,
    )
    return await _change(services, caller, pathway_id, request)


async def cancel_appointment(
    services: Services, caller: Caller, pathway_id: uuid.UUID, appointment_id: uuid.UUID
) -> AppointmentOut:
    """Cancel an appointment: its reminders not yet sent are not sent."""
    await own_pathway(services, caller, pathway_id)
    request = AppointmentRequest(op="cancel", appointment_id=str(appointment_id))
    return await _change(services, caller, pathway_id, request)


async def _change(
    services: Services, caller: Caller, pathway_id: uuid.UUID, request: AppointmentRequest
) -> AppointmentOut:
    held = await pathway_calls.change_appointment(services.temporal, pathway_id, request)
    async with unit_of_work(services.sessions) as session:
        await audit.append(
            session, caller.actor, "pathway.appointment", ["appointments"], pathway_id=pathway_id
        )
    return held_appointment(pathway_id, held)


async def appointments_of(
    services: Services, caller: Caller, pathway_id: uuid.UUID
) -> list[AppointmentOut]:
    """The pathway's appointments from the read model (a moment behind the workflow)."""
    await own_pathway(services, caller, pathway_id)
    async with services.sessions() as session:
        rows = await appointments.appointments_of_pathway(session, pathway_id)
    return [listed_appointment(row) for row in rows]


async def appointments_on(services: Services, caller: Caller, day: date) -> list[AppointmentOut]:
    """The unit's appointments on a Polish calendar day (the caller's caseload's, if limited)."""
    async with services.sessions() as session:
        rows = await appointments.appointments_on_day(session, caller.unit_id, day)
    # Class days (issue 14) are in the timetable; Today lists the appointments caseworkers set.
    classes = await class_reminders.class_day_ids(services, caller.unit_id, day)
    rows = [r for r in rows if r.id not in classes]
    if caller.caseload_of is not None:
        caseworker = caller.caseload_of
        rows = [
            r for r in rows if (await owner_of(services, r.pathway_id)).caseworker_id == caseworker
        ]
    return [listed_appointment(row) for row in rows]


async def messages_of(
    services: Services, caller: Caller, participant_id: uuid.UUID
) -> NotificationList:
    """Every message to the participant and how it went (sent, suppressed or dropped, and why)."""
    async with unit_of_work(services.sessions) as session:
        person = await participants.participant_in_unit(
            session, caller.unit_id, participant_id, caller.caseload_of
        )
        rows = await outbox.notifications_of(session, participant_id)
        await audit.append(
            session, caller.actor, "participant.notifications", ["notifications"], participant_id
        )
    return NotificationList(
        consent_sms=person.consent_sms,
        consent_email=person.consent_email,
        language="en" if person.language == "en" else "pl",
        items=[_notification(row) for row in rows],
    )


async def failed_messages(services: Services, caller: Caller, days: int) -> FailedNotificationList:
    """Reminders of the unit (or of the caller's caseload) that failed or may not have arrived in
    the last `days` days: someone should ring the participant instead."""
    since = datetime.now(UTC) - timedelta(days=days)
    async with unit_of_work(services.sessions) as session:
        rows = await outbox.failed_in_unit(session, caller.unit_id, since, caller.caseload_of)
        shown = {"days": days}
        await audit_log.record_list_read(session, caller, "notifications_failed", shown, len(rows))
    return FailedNotificationList(
        since=since,
        items=[
            FailedNotificationOut(
                **_notification(row).model_dump(),
                participant_id=str(person.id),
                pathway_id=str(row.pathway_id),
                participant_name=f"{person.first_name} {person.last_name}",
            )
            for row, person in rows
        ],
    )


async def set_preferences(
    services: Services, caller: Caller, participant_id: uuid.UUID, body: PreferencesIn
) -> NotificationList:
    """Record the participant's language and consent per channel (given or withdrawn)."""
    values = body.model_dump(exclude_none=True)
    async with unit_of_work(services.sessions) as session:
        await participants.participant_in_unit(
            session, caller.unit_id, participant_id, caller.caseload_of
        )
        await outbox.set_preferences(session, participant_id, values)
        await audit.append(
            session, caller.actor, "participant.preferences", sorted(values), participant_id
        )
    return await messages_of(services, caller, participant_id)


async def stop_replied(services: Services, sender: str, text: str) -> int:
    """A reply to an SMS: `STOP` (or its Polish words) withdraws SMS consent for every
    participant with that number; how many."""
    words = text.strip().upper().split()
    if not words or words[0].strip(".!") not in STOP_WORDS:
        return 0
    async with unit_of_work(services.sessions) as session:
        return await outbox.withdraw_sms_consent_by_phone(session, _phone_variants(sender))


def opened_link(services: Services, token: str) -> tuple[uuid.UUID, str]:
    """The participant and channel of a signed unsubscribe link; a forged one is 404, one older
    than `unsubscribe_link_days` is 410."""
    opened = open_unsubscribe_token(services.settings.secret_key, token)
    if opened is None:
        raise NotFound("link_not_found", "This link is not valid.")
    if opened.expired(local_date(datetime.now(UTC)), services.settings.unsubscribe_link_days):
        raise Gone(
            "link_expired",
            "This link has expired. To stop the messages, tell your centre (its phone number "
            "is in every message).",
        )
    return opened.participant_id, opened.channel


async def unsubscribe(services: Services, token: str) -> UnsubscribeAnswer:
    """Withdraw consent to the link's channel (no login: the link is signed)."""
    participant_id, channel = opened_link(services, token)
    async with unit_of_work(services.sessions) as session:
        await outbox.set_consent(session, participant_id, channel, False)
    return UnsubscribeAnswer(
        channel="sms" if channel == "sms" else "email", withdrawn=True, on=date.today()
    )


def _phone_variants(raw: str) -> list[str]:
    """The ways a number may have been typed at registration (+48 600..., 48600..., 600...)."""
    digits = "".join(c for c in raw if c.isdigit())
    if len(digits) < 9:
        return []
    local = digits[-9:]
    return sorted({raw, digits, "+" + digits, local, "48" + local, "+48" + local})


def _notification(row: Notification) -> NotificationOut:
    return NotificationOut(
        id=str(row.id),
        kind=row.kind,
        reminder=row.reminder,
        due_at=row.due_at,
        scheduled_for=row.scheduled_for,
        channel="sms" if row.channel == "sms" else "email" if row.channel == "email" else None,
        status=row.status,
        reason=row.reason,
        attempts=row.attempts,
        last_error=row.last_error,
        sent_at=row.sent_at,
    )


def held_appointment(pathway_id: uuid.UUID, item: HeldAppointment) -> AppointmentOut:
    """An appointment as the workflow holds it."""
    return AppointmentOut(
        id=item.id,
        pathway_id=str(pathway_id),
        starts_at=item.starts_at,
        kind=item.kind,
        place=item.place,
        cancelled=item.cancelled,
    )


def listed_appointment(row: Appointment) -> AppointmentOut:
    """An appointment as the read model lists it."""
    return AppointmentOut(
        id=str(row.id),
        pathway_id=str(row.pathway_id),
        starts_at=row.starts_at,
        kind=AppointmentKind(row.kind),
        place=row.place,
        cancelled=row.cancelled_at is not None,
    )
