"""Queries of participants' reminders: the outbox, contact data and consent."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Notification, Participant, Pathway, Unit, utcnow
from db.upsert import dialect_insert

# Outbox statuses. Final ones are never sent again.
QUEUED, SENDING, SENT, RETRYING = "queued", "sending", "sent", "retrying"
FAILED, SUPPRESSED, DROPPED, UNCONFIRMED = "failed", "suppressed", "dropped", "unconfirmed"
FINAL = frozenset({SENT, FAILED, SUPPRESSED, DROPPED, UNCONFIRMED})


@dataclass(frozen=True)
class OutboxKey:
    """What identifies one message: the pathway, the reminder and its due moment."""

    pathway_id: uuid.UUID
    reminder: str
    due_at: datetime


@dataclass(frozen=True)
class Contact:
    """How to reach a participant and what they agreed to; personal data, never logged."""

    participant_id: uuid.UUID
    phone: str | None
    email: str | None
    consent_sms: bool
    consent_email: bool
    language: str
    centre_name: str
    centre_phone: str | None


@dataclass(frozen=True)
class Claimed:
    """An outbox row as a claim finds it."""

    id: uuid.UUID
    status: str
    reason: str | None
    channel: str | None
    attempts: int
    fresh: bool  # inserted by this claim


_NOTIFICATIONS = Notification.__table__
_KEY_COLUMNS = ["pathway_id", "reminder", "due_at"]
# Built once: the hot path of a thousand reminders at 08:00 runs these two statements.
_CLAIM = {
    dialect: dialect_insert(dialect, _NOTIFICATIONS)
    .on_conflict_do_nothing(index_elements=_KEY_COLUMNS)
    .returning(_NOTIFICATIONS.c.id)
    for dialect in ("postgresql", "sqlite")
}
_FIND = (
    select(
        Notification.id,
        Notification.status,
        Notification.reason,
        Notification.channel,
        Notification.attempts,
    )
    .where(
        Notification.pathway_id == bindparam("pathway_id"),
        Notification.reminder == bindparam("reminder"),
        Notification.due_at == bindparam("due_at"),
    )
    .with_for_update()
)


async def claim(
    session: AsyncSession,
    key: OutboxKey,
    participant_id: uuid.UUID,
    kind: str,
    scheduled_for: datetime | None,
    status: str,
    reason: str | None = None,
    channel: str | None = None,
) -> Claimed:
    """The outbox row of a message: inserted the first time (with the status the caller has
    decided), or found, locked, every later time."""
    now = utcnow()
    attempts = 1 if status == SENDING else 0
    row = {
        "id": uuid.uuid4(),
        "pathway_id": key.pathway_id,
        "participant_id": participant_id,
        "reminder": key.reminder,
        "kind": kind,
        "due_at": key.due_at,
        "scheduled_for": scheduled_for,
        "status": status,
        "reason": reason,
        "channel": channel,
        "attempts": attempts,
        "created_at": now,
        "updated_at": now,
        "sent_at": None,
        "last_error": None,
    }
    statement = _CLAIM[session.get_bind().dialect.name]
    inserted = (await session.execute(statement, row)).scalar_one_or_none()
    if inserted is not None:
        return Claimed(inserted, status, reason, channel, attempts, fresh=True)
    params = {"pathway_id": key.pathway_id, "reminder": key.reminder, "due_at": key.due_at}
    found = (await session.execute(_FIND, params)).one()
    return Claimed(*found, fresh=False)


async def mark(session: AsyncSession, notification_id: uuid.UUID, **values: Any) -> None:
    """Move a message on (status, channel, attempts, last_error, sent_at)."""
    values["updated_at"] = utcnow()
    await session.execute(
        update(Notification).where(Notification.id == notification_id).values(**values)
    )


async def mark_sent(session: AsyncSession, ids: list[uuid.UUID]) -> None:
    """Several delivered messages at once."""
    now = utcnow()
    await session.execute(
        update(Notification)
        .where(Notification.id.in_(ids))
        .values(status=SENT, sent_at=now, updated_at=now, last_error=None)
    )


_CONTACT = (
    select(
        Participant.id,
        Participant.phone,
        Participant.email,
        Participant.consent_sms,
        Participant.consent_email,
        Participant.language,
        Unit.name,
        Unit.phone,
    )
    .join(Unit, Unit.id == Participant.unit_id)
    .where(Participant.id == bindparam("participant_id"))
)


async def contact(session: AsyncSession, participant_id: uuid.UUID) -> Contact | None:
    """A participant's contact data, consent, language and their unit's name and phone."""
    row = (await session.execute(_CONTACT, {"participant_id": participant_id})).one_or_none()
    if row is None:
        return None
    language = row[5] if row[5] in ("pl", "en") else "pl"
    return Contact(row[0], row[1], row[2], row[3], row[4], language, row[6], row[7])


async def set_consent(
    session: AsyncSession, participant_id: uuid.UUID, channel: str, value: bool
) -> None:
    """Give or withdraw consent to one channel."""
    column = "consent_sms" if channel == "sms" else "consent_email"
    await session.execute(
        update(Participant)
        .where(Participant.id == participant_id)
        .values({column: value, "consent_changed_at": utcnow()})
    )


async def withdraw_sms_consent_by_phone(session: AsyncSession, phones: list[str]) -> int:
    """A STOP from a number: every participant with that number stops getting SMS."""
    result = await session.execute(
        update(Participant)
        .where(Participant.phone.in_(phones), Participant.consent_sms.is_(True))
        .values(consent_sms=False, consent_changed_at=utcnow())
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def set_preferences(
    session: AsyncSession, participant_id: uuid.UUID, values: dict[str, Any]
) -> None:
    """Language and consent as the caseworker records them."""
    if {"consent_sms", "consent_email"} & values.keys():
        values = {**values, "consent_changed_at": utcnow()}
    if values:
        await session.execute(
            update(Participant).where(Participant.id == participant_id).values(**values)
        )


async def notifications_of(session: AsyncSession, participant_id: uuid.UUID) -> list[Notification]:
    """A participant's messages, newest due first."""
    query = (
        select(Notification)
        .where(Notification.participant_id == participant_id)
        .order_by(Notification.due_at.desc(), Notification.reminder)
        .limit(500)
    )
    return list((await session.execute(query)).scalars())


async def failed_in_unit(
    session: AsyncSession, unit_id: uuid.UUID, since: datetime, caseworker_id: uuid.UUID | None
) -> list[tuple[Notification, Participant]]:
    """The unit's messages that failed or may not have arrived since `since`, newest first
    (one caseworker's cases only when `caseworker_id` is given)."""
    query = (
        select(Notification, Participant)
        .join(Participant, Participant.id == Notification.participant_id)
        .join(Pathway, Pathway.id == Notification.pathway_id)
        .where(
            Pathway.unit_id == unit_id,
            Notification.status.in_((FAILED, UNCONFIRMED)),
            Notification.updated_at >= since,
        )
        .order_by(Notification.updated_at.desc())
        .limit(200)
    )
    if caseworker_id is not None:
        query = query.where(Pathway.caseworker_id == caseworker_id)
    return [(row[0], row[1]) for row in await session.execute(query)]
