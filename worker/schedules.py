"""Temporal Schedules of the product, created idempotently (worker start, `pathways schedules`)."""

from __future__ import annotations

import structlog
from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleCalendarSpec,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleRange,
    ScheduleSpec,
    ScheduleUpdate,
)
from temporalio.service import RPCError

from workflows.digest import CaseworkerDigestWorkflow, DigestRunInput

log = structlog.get_logger(__name__)

DIGEST_SCHEDULE_ID = "caseworker-digest"
DIGEST_TIME_ZONE = "Europe/Warsaw"
DIGEST_HOUR, DIGEST_MINUTE = 7, 30


def digest_schedule(task_queue: str, workflow_id: str = DIGEST_SCHEDULE_ID) -> Schedule:
    """Every day at 07:30 in Poland (the time zone's rules follow summer time): the digests and
    escalations, then the catch-up (untold hand-overs and referral decisions told, the class
    reminders' window moved on: `pathways timetable remind` need not be run by hand)."""
    return Schedule(
        action=ScheduleActionStartWorkflow(
            CaseworkerDigestWorkflow.run,
            DigestRunInput(catch_up=True),
            id=workflow_id,  # Temporal appends the scheduled time
            task_queue=task_queue,
        ),
        spec=ScheduleSpec(
            calendars=[
                ScheduleCalendarSpec(
                    hour=[ScheduleRange(DIGEST_HOUR)],
                    minute=[ScheduleRange(DIGEST_MINUTE)],
                    comment="caseworkers' digest and escalations, then what was left untold "
                    "and the class reminders' window",
                )
            ],
            time_zone_name=DIGEST_TIME_ZONE,
        ),
        # A run still going (a slow relay) is not doubled; the sends are idempotent anyway.
        policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.SKIP),
    )


async def ensure_schedules(
    client: Client, task_queue: str, schedule_id: str = DIGEST_SCHEDULE_ID
) -> bool:
    """Create the digest schedule, or bring an existing one up to this code's spec and queue
    (every worker calls this at start; any number may race). True when it was created now."""
    schedule = digest_schedule(task_queue, schedule_id)
    try:
        await client.create_schedule(schedule_id, schedule)
    except ScheduleAlreadyRunningError:
        try:
            await client.get_schedule_handle(schedule_id).update(
                lambda _: ScheduleUpdate(schedule=schedule)
            )
        except RPCError as err:
            # Another worker starting at the same moment updated it first: it holds this spec.
            log.warning("schedule_not_updated", schedule_id=schedule_id, status=err.status.name)
            return False
        log.info("schedule_updated", schedule_id=schedule_id, task_queue=task_queue)
        return False
    log.info("schedule_created", schedule_id=schedule_id, task_queue=task_queue)
    return True
