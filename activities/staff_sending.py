"""Staff e-mail that goes out once: its key is claimed in `staff_messages` (committed) before the
e-mail is handed to the relay, and how the hand-over ended is recorded after.

The digest, escalations and notices of administrators' acts all send through here.
"""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.exceptions import ApplicationError

from activities.channels import (
    Email,
    EmailChannel,
    PermanentError,
    TransientError,
    UncertainError,
    message_id_for,
)
from activities.staff_mail import StaffMail
from db import staff_messages
from db.session import unit_of_work

# An attempt holds a claimed message this long; one that died holding it is taken over after.
# Longer than any send lasts (the activities' start-to-close timeout is 30 s), so two live
# attempts never both send.
CLAIM_LEASE = timedelta(minutes=2)


class SendStatus(StrEnum):
    """How one staff e-mail ended."""

    SENT = "sent"
    ALREADY_DONE = "already_done"  # sent (or settled) by an earlier attempt or run
    NOTHING_TO_SEND = "nothing_to_send"
    NO_RECIPIENT = "no_recipient"
    FAILED_PERMANENTLY = "failed_permanently"
    UNCERTAIN = "uncertain"


class SendResult(BaseModel):
    """How a staff e-mail ended."""

    status: SendStatus


class StaffMailer:
    """Sends a staff e-mail at most once per key."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], email: EmailChannel, sender: str
    ) -> None:
        self._sessions = sessions
        self._email = email
        self._sender = sender

    async def send_once(
        self, message: staff_messages.StaffMessageKey, addresses: list[str], mail: StaffMail
    ) -> SendStatus:
        """Claim the key (committed), send, record the end; a key already settled sends nothing."""
        async with unit_of_work(self._sessions) as session:
            claim = await staff_messages.claim_staff_message(
                session, message, len(addresses), CLAIM_LEASE
            )
        if claim is staff_messages.Claim.BUSY:
            # Another attempt holds it; retrying later finds it sent, or takes over a dead claim.
            raise ApplicationError("Another attempt is sending this message.", type="claimed")
        if claim is staff_messages.Claim.DONE:
            return SendStatus.NO_RECIPIENT if not addresses else SendStatus.ALREADY_DONE
        email = Email(
            outbox_id=message.key,
            to=", ".join(addresses),
            recipients=tuple(addresses),
            subject=mail.subject,
            body=mail.body,
            message_id=message_id_for(message.key, self._sender),
        )
        try:
            await self._email.send_email(email)
        except TransientError as err:
            await self._finish(message.key, staff_messages.MessageStatus.FAILED)
            raise ApplicationError(f"Delivery failed for now: {err.code}", type=err.code) from None
        except PermanentError:
            await self._finish(message.key, staff_messages.MessageStatus.FAILED_PERMANENTLY)
            return SendStatus.FAILED_PERMANENTLY
        except UncertainError:
            # The relay may have it: a second copy is worse than none for a staff summary.
            await self._finish(message.key, staff_messages.MessageStatus.UNCERTAIN)
            return SendStatus.UNCERTAIN
        await self._finish(message.key, staff_messages.MessageStatus.SENT)
        return SendStatus.SENT

    async def _finish(self, key: str, status: staff_messages.MessageStatus) -> None:
        async with unit_of_work(self._sessions) as session:
            await staff_messages.finish_staff_message(session, key, status)
