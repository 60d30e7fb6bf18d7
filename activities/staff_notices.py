"""Telling a unit's supervisors, once, of an administrator's act in their unit.

The workflow names only the audit entry: the activity reads who did what from it, so no name or
address travels through Temporal. The entry is written in the act's own transaction, which may
not have committed when the activity first looks (it then retries) or may have been rolled back
(the workflow then gives up: the act did not happen).
"""

from __future__ import annotations

import uuid

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.channels import EmailChannel
from activities.digest import StaffMailSettings
from activities.staff_mail import AdminActNotice, render_admin_act, render_referral_declined
from activities.staff_sending import SendResult, SendStatus, StaffMailer
from db import audit, referrals, staff_messages, units
from db.session import unit_of_work
from domain.calendar import local_date
from domain.oversight import OVERSEEN_ACTIONS, StaffNoticeInput, supervisors_told
from domain.referrals import ReferralNoticeInput

log = structlog.get_logger(__name__)


class StaffNoticeActivities:
    """E-mail to a unit's supervisors, through the staff e-mail's send-once road."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        email: EmailChannel,
        settings: StaffMailSettings,
    ) -> None:
        self._sessions = sessions
        self._settings = settings
        self._mailer = StaffMailer(sessions, email, settings.sender)

    @activity.defn
    async def notify_supervisors(self, notice: StaffNoticeInput) -> SendResult:
        """E-mail the act's unit's active supervisors about it, once (key `admin-act:<entry>`)."""
        async with unit_of_work(self._sessions) as session:
            entry = await audit.entry(session, notice.audit_entry_id)
            if entry is None:
                raise ApplicationError(
                    "The audit entry is not there (not committed yet, or rolled back).",
                    type="audit_entry_missing",
                )
            if not supervisors_told(entry.role, entry.action, entry.unit_id, entry.actor_unit_id):
                return SendResult(status=SendStatus.NOTHING_TO_SEND)
            assert entry.actor_unit_id is not None
            addresses = await staff_messages.supervisor_addresses(session, entry.unit_id)
            unit = await units.unit_code(session, entry.unit_id)
            actor_unit = await units.unit_code(session, entry.actor_unit_id)
        at = entry.at
        mail = render_admin_act(
            AdminActNotice(
                entry_id=entry.id,
                actor=entry.actor,
                actor_unit=actor_unit,
                unit=unit,
                action_code=entry.action,
                action=OVERSEEN_ACTIONS[entry.action],
                at=at,
                details=tuple(entry.fields),
            ),
            self._settings.links,
        )
        message = staff_messages.StaffMessageKey(
            f"admin-act:{entry.id}", "admin_act", entry.unit_id, local_date(at)
        )
        status = await self._mailer.send_once(message, addresses, mail)
        log.info(
            "admin_act_notified",
            audit_entry_id=entry.id,
            unit_id=str(entry.unit_id),
            supervisors=len(addresses),
            status=status,
        )
        return SendResult(status=status)

    @activity.defn
    async def notify_referral_declined(self, notice: ReferralNoticeInput) -> SendResult:
        """E-mail the sending unit's supervisors and the referring caseworker that the
        referral was declined, once (key `referral-declined:<referral>`)."""
        referral_id = uuid.UUID(notice.referral_id)
        async with unit_of_work(self._sessions) as session:
            declined = await referrals.decline_notice(session, referral_id)
        if declined is None:
            return SendResult(status=SendStatus.NOTHING_TO_SEND)
        mail = render_referral_declined(
            declined.to_unit, declined.referred_on, declined.decided_on, self._settings.links
        )
        message = staff_messages.StaffMessageKey(
            f"referral-declined:{referral_id}",
            "referral_declined",
            declined.from_unit_id,
            declined.decided_on,
        )
        status = await self._mailer.send_once(message, declined.addresses, mail)
        log.info(
            "referral_decline_notified",
            referral_id=notice.referral_id,
            recipients=len(declined.addresses),
            status=status,
        )
        return SendResult(status=status)
