"""Telling a unit's supervisors of an administrator's act in their unit, and a sending unit's
staff of a referral another unit declined."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from activities.staff_notices import StaffNoticeActivities
    from activities.staff_sending import SendResult, SendStatus
    from domain.oversight import StaffNoticeInput
    from domain.referrals import ReferralNoticeInput

# The act's transaction commits within moments; an entry still missing after this was rolled
# back, and there is nothing to tell.
NOTICE_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    maximum_interval=timedelta(minutes=1),
    maximum_attempts=10,
)


@workflow.defn
class StaffNoticeWorkflow:
    """An administrator made an account in a unit, changed its rules or took its figures: its
    supervisors get one e-mail saying who, from which unit, did what and when."""

    @workflow.run
    async def run(self, notice: StaffNoticeInput) -> SendResult:
        """Send the notice once, or give up if the act never committed."""
        try:
            return await workflow.execute_activity_method(
                StaffNoticeActivities.notify_supervisors,
                notice,
                start_to_close_timeout=timedelta(seconds=30),
                retry_policy=NOTICE_RETRY,
            )
        except ActivityError:
            workflow.logger.warning(
                "admin_act_not_notified", extra={"audit_entry_id": notice.audit_entry_id}
            )
            return SendResult(status=SendStatus.NOTHING_TO_SEND)


def notice_workflow_id(audit_entry_id: int) -> str:
    """The notice's workflow id: the audit entry's number, nothing personal."""
    return f"staff-notice-{audit_entry_id}"


@workflow.defn
class ReferralDeclinedWorkflow:
    """Another unit declined a referral: the sending unit's supervisors and the referring
    caseworker get one e-mail (no name, no categories: the outgoing list shows the rest)."""

    @workflow.run
    async def run(self, notice: ReferralNoticeInput) -> SendResult:
        """Send the notice once; an unreachable relay is retried with growing pauses."""
        return await workflow.execute_activity_method(
            StaffNoticeActivities.notify_referral_declined,
            notice,
            start_to_close_timeout=timedelta(seconds=30),
            retry_policy=RetryPolicy(
                initial_interval=timedelta(seconds=5), maximum_interval=timedelta(minutes=10)
            ),
        )
