"""The worker process: connects to Temporal and the database, runs workflows and activities."""

from __future__ import annotations

import asyncio
import signal
from datetime import timedelta

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from activities.channels import (
    Channels,
    EmailChannel,
    LogChannel,
    build_email_channel,
    build_sms_channel,
)
from activities.digest import DEV_STAFF_MAIL, DigestActivities, StaffMailSettings
from activities.notifications import DEV_LINKS, LinkSettings, NotificationActivities
from activities.read_model import ReadModelActivities
from activities.staff_notices import StaffNoticeActivities
from core.codec import MasterKeys
from core.metrics import temporal_runtime
from core.settings import Settings
from core.temporal import connect_temporal
from core.tracing import shutdown_tracing
from db.keys import DatabaseKeyStore
from db.session import create_engine, create_sessionmaker
from services.context import open_services
from worker.morning import MorningActivities
from worker.schedules import ensure_schedules
from workflows.cooperative import CooperativeFoundingWorkflow
from workflows.digest import CaseworkerDigestWorkflow
from workflows.pathway import ParticipantPathwayWorkflow
from workflows.staff_notice import ReferralDeclinedWorkflow, StaffNoticeWorkflow

log = structlog.get_logger(__name__)

# In-flight activities get this long to finish when the worker is asked to stop; then they are
# cancelled and handed back to Temporal, which retries them on another worker. Keep it below the
# orchestrator's stop grace period (docker-compose.yml: 30 s) so the process is never SIGKILLed.
SHUTDOWN_GRACE = timedelta(seconds=20)
# The workflows' own modules are deterministic (no module state, no clock, no I/O: the replay
# tests hold them to it), so the sandbox takes them as they are instead of compiling and running
# them afresh for every new workflow, which cost a new pathway more than its whole first task.
WORKFLOW_RUNNER = SandboxedWorkflowRunner(
    restrictions=SandboxRestrictions.default.with_passthrough_modules("workflows")
)


def build_worker(
    client: Client,
    task_queue: str,
    sessions: async_sessionmaker[AsyncSession],
    *,
    staff_email: EmailChannel | None = None,
    staff_mail: StaffMailSettings | None = None,
    participant_channels: Channels | None = None,
    links: LinkSettings | None = None,
    morning: MorningActivities | None = None,
) -> Worker:
    """A worker with every workflow and activity of the product (staff e-mail to the log unless
    a channel is given; the morning run's catch-up only with `morning`, which needs the
    process's services)."""
    read_model = ReadModelActivities(sessions)
    reminders = NotificationActivities(
        sessions,
        participant_channels or Channels(email=LogChannel(), sms=LogChannel()),
        links or DEV_LINKS,
    )
    digest = DigestActivities(
        sessions,
        staff_email or LogChannel(),
        staff_mail or DEV_STAFF_MAIL,
    )
    notices = StaffNoticeActivities(
        sessions, staff_email or LogChannel(), staff_mail or DEV_STAFF_MAIL
    )
    return Worker(
        client,
        task_queue=task_queue,
        workflows=[
            ParticipantPathwayWorkflow,
            CooperativeFoundingWorkflow,
            CaseworkerDigestWorkflow,
            StaffNoticeWorkflow,
            ReferralDeclinedWorkflow,
        ],
        activities=[
            read_model.project_pathway,
            *digest.definitions(),
            notices.notify_supervisors,
            notices.notify_referral_declined,
            reminders.send_reminder,
            reminders.holidays,
            reminders.project_appointments,
            *([morning.tell_untold, morning.follow_timetables] if morning else []),
        ],
        graceful_shutdown_timeout=SHUTDOWN_GRACE,
        workflow_runner=WORKFLOW_RUNNER,
    )


async def run_worker(settings: Settings) -> None:
    """Run until SIGINT/SIGTERM, then let in-flight activities finish (or hand them back)."""
    engine = create_engine(settings.database_url)
    sessions = create_sessionmaker(engine)
    master = MasterKeys.from_settings(settings)
    keys = DatabaseKeyStore(sessions, master, settings.key_cache_seconds)
    client = await connect_temporal(settings, keys, runtime=temporal_runtime(settings))
    staff_email = build_email_channel(settings)
    sms = build_sms_channel(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        # The morning run's catch-up calls the use cases: the process's services, sharing the
        # worker's Temporal client.
        async with open_services(settings, client) as services:
            worker = build_worker(
                client,
                settings.temporal_task_queue,
                sessions,
                staff_email=staff_email,
                staff_mail=StaffMailSettings.of(settings),
                participant_channels=Channels(email=staff_email, sms=sms),
                links=LinkSettings.of(settings),
                morning=MorningActivities(services),
            )
            # The morning digest's Schedule, created by whichever worker starts first.
            await ensure_schedules(client, settings.temporal_task_queue)
            async with worker:
                log.info("worker_started", task_queue=settings.temporal_task_queue)
                await stop.wait()
                log.info("worker_stopping", grace_seconds=SHUTDOWN_GRACE.total_seconds())
            log.info("worker_stopped")
    finally:
        await staff_email.close()
        await sms.close()
        await engine.dispose()
        shutdown_tracing()
