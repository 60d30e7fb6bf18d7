"""Staff e-mail from the read model: the digest's recipients, and the claim that lets each staff
e-mail go out once."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from sqlalchemy import exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.leaves import responsible_on
from db.models import (
    Pathway,
    PathwayDeadline,
    StaffMessage,
    User,
    utcnow,
)
from db.upsert import insert_ignoring
from domain.roles import Role

# --- the daily digest ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffRecipient:
    """A member of staff who can receive e-mail (the address stays in the database and in SMTP)."""

    user_id: uuid.UUID
    unit_id: uuid.UUID
    email: str


async def caseworkers_with_tasks(session: AsyncSession, today: date) -> list[StaffRecipient]:
    """Active caseworkers (and supervisors) with an e-mail address who answer for a pathway with
    a task due or overdue on the day: they hold it, or cover for its holder on leave."""
    holds_task = exists().where(
        responsible_on(User.id, today),
        Pathway.closed_at.is_(None),
        PathwayDeadline.pathway_id == Pathway.id,
        PathwayDeadline.due_on <= today,
    )
    query = (
        select(User.id, User.unit_id, User.email)
        .where(
            # A supervisor answers for a case whose holder, deputy and cover are all away.
            User.role.in_([Role.CASEWORKER, Role.SUPERVISOR]),
            User.active.is_(True),
            User.email.is_not(None),
            holds_task,
        )
        .order_by(User.id)
    )
    return [StaffRecipient(r.id, r.unit_id, r.email) for r in await session.execute(query)]


async def staff_recipient(session: AsyncSession, user_id: uuid.UUID) -> StaffRecipient | None:
    """An active member of staff with an e-mail address, if they still are one."""
    query = select(User.id, User.unit_id, User.email).where(
        User.id == user_id, User.active.is_(True), User.email.is_not(None)
    )
    row = (await session.execute(query)).one_or_none()
    return StaffRecipient(row.id, row.unit_id, row.email) if row else None


async def supervisor_addresses(session: AsyncSession, unit_id: uuid.UUID) -> list[str]:
    """E-mail addresses of the unit's active supervisors."""
    query = (
        select(User.email)
        .where(
            User.unit_id == unit_id,
            User.role == Role.SUPERVISOR,
            User.active.is_(True),
            User.email.is_not(None),
        )
        .order_by(User.username)
    )
    return [email for email in (await session.execute(query)).scalars() if email]


# --- staff e-mail, once -----------------------------------------------------------------------


class Claim(StrEnum):
    """What a sender may do with a staff message's key."""

    SEND = "send"  # this attempt owns the message now
    DONE = "done"  # it went out (or ended) before
    BUSY = "busy"  # another attempt is sending it right now


class MessageStatus(StrEnum):
    """Where a staff message stands."""

    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"  # nothing was accepted; may be claimed again
    FAILED_PERMANENTLY = "failed_permanently"
    UNCERTAIN = "uncertain"  # the relay may have it: never sent again, so never twice
    NO_RECIPIENT = "no_recipient"


_FINAL = frozenset(
    {
        MessageStatus.SENT,
        MessageStatus.FAILED_PERMANENTLY,
        MessageStatus.UNCERTAIN,
        MessageStatus.NO_RECIPIENT,
    }
)


@dataclass(frozen=True)
class StaffMessageKey:
    """What a staff message is about; `key` is unique."""

    key: str
    kind: str
    unit_id: uuid.UUID
    day: date


async def claim_staff_message(
    session: AsyncSession, message: StaffMessageKey, recipients: int, lease: timedelta
) -> Claim:
    """Take a staff message for sending, unless it went out or another attempt holds it.

    An attempt holds a message for `lease`; one that died holding it is taken over after that
    (longer than any attempt lasts, so two live attempts never both send).
    """
    now = utcnow()
    status = MessageStatus.SENDING if recipients else MessageStatus.NO_RECIPIENT
    inserted = await session.execute(
        insert_ignoring(session, StaffMessage, ["key"])
        .values(
            key=message.key,
            kind=message.kind,
            unit_id=message.unit_id,
            day=message.day,
            recipients=recipients,
            status=status,
            attempts=1,
            claimed_at=now,
            created_at=now,
        )
        .returning(StaffMessage.key)
    )
    if inserted.first() is not None:
        return Claim.SEND if recipients else Claim.DONE
    row = (
        await session.execute(
            select(StaffMessage).where(StaffMessage.key == message.key).with_for_update()
        )
    ).scalar_one()
    if row.status in _FINAL:
        return Claim.DONE
    if row.status == MessageStatus.SENDING and row.claimed_at > now - lease:
        return Claim.BUSY
    row.status, row.claimed_at, row.attempts = MessageStatus.SENDING, now, row.attempts + 1
    return Claim.SEND


async def finish_staff_message(session: AsyncSession, key: str, status: MessageStatus) -> None:
    """Record how a claimed send ended."""
    values: dict[str, object] = {"status": status}
    if status is MessageStatus.SENT:
        values["sent_at"] = utcnow()
    await session.execute(update(StaffMessage).where(StaffMessage.key == key).values(**values))


async def staff_messages_on(session: AsyncSession, day: date) -> list[StaffMessage]:
    """The staff messages about a day (tests and operators)."""
    query = select(StaffMessage).where(StaffMessage.day == day).order_by(StaffMessage.key)
    return list((await session.execute(query)).scalars())

