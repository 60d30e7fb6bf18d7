"""Reminders from the pathway workflow on the time-skipping server, through the real send
activity, the real database, an aiosmtpd server and a local SMS gateway: months in seconds."""

from __future__ import annotations

import asyncio
import sys
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer, Worker

from activities.channels import Channels, SmsApiChannel, SmtpChannel
from activities.notifications import LinkSettings, NotificationActivities
from activities.read_model import ReadModelActivities
from core.holidays import polish_holidays
from core.temporal import data_converter
from db import appointments
from db.models import Notification
from domain.actions import ACTION_ADAPTER
from domain.appointments import AppointmentKind, AppointmentRequest
from domain.calendar import WARSAW, local_date
from domain.pathway import PathwayInput, PathwayResult, StepRequest
from domain.roles import Role
from domain.stages import Programme
from tests.notification_servers import Gateway, Mailbox, seed_pathway, sms_gateway, smtp_server
from tests.support import eventually, settings_for_tests
from worker.search_attributes import register_search_attributes
from workflows.pathway import ParticipantPathwayWorkflow

BIN = Path(sys.executable).parent
LINKS = LinkSettings("test-secret-key-long-enough-for-hs256", "https://x/api/v1", "p@c.pl")


@dataclass
class World:
    env: WorkflowEnvironment
    mailbox: Mailbox
    gateway: Gateway
    sessions: async_sessionmaker[AsyncSession]
    task_queue: str


@pytest.fixture(scope="module")
async def own_clock() -> AsyncIterator[WorkflowEnvironment]:
    """A time-skipping server of this module's own: workflows other tests leave behind (whose
    timers fire with no worker to run them) keep a shared server from skipping time."""
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=str(BIN / "temporal-test-server"),
        data_converter=data_converter(settings_for_tests(), None),
    )
    await register_search_attributes(env.client)
    yield env
    await env.shutdown()


@pytest.fixture
async def world(
    own_clock: WorkflowEnvironment,
    task_queue: str,
    sessions: async_sessionmaker[AsyncSession],
) -> AsyncIterator[World]:
    time_skipping = own_clock
    with smtp_server() as (mailbox, port), sms_gateway() as (gateway, url):
        channels = Channels(
            email=SmtpChannel(host="127.0.0.1", port=port, sender="p@c.pl"),
            sms=SmsApiChannel(
                token="t", sender="C", base_url=url, duplicate_errors=frozenset({53})
            ),
        )
        reminders = NotificationActivities(sessions, channels, LINKS)
        # The real projection: appointments reach the read model with the pathway's events.
        projection = ReadModelActivities(sessions)
        async with Worker(
            time_skipping.client,
            task_queue=task_queue,
            workflows=[ParticipantPathwayWorkflow],
            activities=[
                projection.project_pathway,
                reminders.send_reminder,
                reminders.holidays,
                reminders.project_appointments,
            ],
        ):
            yield World(time_skipping, mailbox, gateway, sessions, task_queue)
        await channels.close()


async def start(
    world: World, pathway_id: uuid.UUID, participant_id: uuid.UUID, programme: Programme
) -> WorkflowHandle[ParticipantPathwayWorkflow, PathwayResult]:
    today = local_date(await world.env.get_current_time())
    return await world.env.client.start_workflow(
        ParticipantPathwayWorkflow.run,
        PathwayInput(
            pathway_id=str(pathway_id),
            participant_id=str(participant_id),
            programme=programme,
            started_on=today,
            reminders=True,
        ),
        id=f"pathway-{pathway_id}",
        task_queue=world.task_queue,
    )


async def step(
    handle: WorkflowHandle[ParticipantPathwayWorkflow, PathwayResult],
    type_: str,
    role: Role = Role.CASEWORKER,
) -> None:
    action = ACTION_ADAPTER.validate_python({"type": type_})
    await handle.execute_update(
        ParticipantPathwayWorkflow.act, StepRequest(action=action, actor="anna", role=role)
    )


async def as_if_today_were(env: WorkflowEnvironment, month_day: tuple[int, int] | None) -> None:
    """Move the server's clock to the next such day at 09:00 in Warsaw (None: leave it)."""
    if month_day is None:
        return
    now = (await env.get_current_time()).astimezone(WARSAW)
    target = datetime(now.year, *month_day, 9, tzinfo=WARSAW)
    if target <= now:
        target = datetime(now.year + 1, *month_day, 9, tzinfo=WARSAW)
    await env.sleep(target - now)


async def rows(world: World, pathway_id: uuid.UUID) -> list[Notification]:
    async with world.sessions() as session:
        query = select(Notification).where(Notification.pathway_id == pathway_id)
        found = list((await session.execute(query.order_by(Notification.due_at))).scalars())
    for row in found:  # SQLite hands back naive UTC
        for name in ("due_at", "scheduled_for"):
            value = getattr(row, name)
            if value is not None and value.tzinfo is None:
                setattr(row, name, value.replace(tzinfo=UTC))
    return found


def ordinary_day(after: date) -> date:
    """A Tuesday-to-Saturday day after `after` whose eve is an ordinary working day."""
    holidays = polish_holidays(after.year, after.year + 1)
    day = after
    while not (1 <= day.weekday() <= 5 and {day, day - timedelta(days=1)}.isdisjoint(holidays)):
        day += timedelta(days=1)
    return day


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=WARSAW).astimezone(UTC)


async def test_an_appointment_is_reminded_the_evening_before_and_by_sms_at_eight_not_seven_thirty(
    world: World,
) -> None:
    unit, participant, pathway = await seed_pathway(world.sessions)
    handle = await start(world, pathway, participant, Programme.CIS)
    now = await world.env.get_current_time()
    day = ordinary_day(local_date(now) + timedelta(days=3))
    appointment_id = str(uuid.uuid4())
    request = AppointmentRequest(
        op="schedule",
        appointment_id=appointment_id,
        starts_at=at(day, 9, 30),
        kind=AppointmentKind.WORKSHOP,
        place="sala 12",
    )
    await handle.execute_update(ParticipantPathwayWorkflow.appointment, request)

    # Projected for the web UI's "today" list.
    async def listed() -> list[str]:
        async with world.sessions() as session:
            return [str(s.id) for s in await appointments.appointments_on_day(session, unit, day)]

    assert await eventually(listed) == [appointment_id]

    await world.env.sleep(at(day - timedelta(days=1), 17, 0) - now)
    assert world.gateway.delivered == []  # nothing before its time
    await world.env.sleep(timedelta(hours=1, minutes=10))  # 18:10 on the eve
    await eventually(lambda: delivered(world, 1))
    await world.env.sleep(timedelta(hours=14, minutes=30))  # 08:40 on the day
    await eventually(lambda: delivered(world, 2))
    eve, soon = await rows(world, pathway)
    assert eve.scheduled_for is not None and soon.scheduled_for is not None
    assert (eve.reminder, eve.status, eve.channel) == (
        f"session_eve:{appointment_id}",
        "sent",
        "sms",
    )
    assert at(day - timedelta(days=1), 18) <= eve.scheduled_for < at(day - timedelta(days=1), 18, 5)
    # Due at 07:30, before the window opens: moved to 08:00 (and a few minutes of jitter).
    assert soon.due_at == at(day, 7, 30)
    assert at(day, 8) <= soon.scheduled_for < at(day, 8, 5)
    assert [m["message"][:5] for m in world.gateway.delivered] == ["Jutro", "Dziś "]
    assert world.mailbox.messages == []  # one channel per reminder
    await handle.terminate("test over")  # an idle workflow would hold the server's clock


async def delivered(world: World, count: int) -> bool:
    return len(world.gateway.delivered) >= count


# Today, and as if today were 2, 4 or 30 December: admitted on 4 December, the trial ends on
# 4 January and its review is due on New Year's Day, scheduled in the year before; the others
# cross the year's end with the trial or the check-ins.
@pytest.mark.parametrize(
    "today", [None, (12, 2), (12, 4), (12, 30)], ids=["today", "2-dec", "4-dec", "30-dec"]
)
async def test_months_of_a_cis_pathway_bring_the_trial_review_and_three_check_ins_once_each(
    world: World, today: tuple[int, int] | None
) -> None:
    await as_if_today_were(world.env, today)
    _, participant, pathway = await seed_pathway(world.sessions, consent_sms=False, language="en")
    handle = await start(world, pathway, participant, Programme.CIS)
    await step(handle, "sign_ipzs", Role.SUPERVISOR)
    await world.env.sleep(timedelta(days=35))  # past the trial's review reminder (-3 days)
    await eventually(lambda: mails(world, 1))
    await step(handle, "withdraw")
    # A month at a time, each check-in seen arriving.
    for sent_by_then, days in ((2, 31), (3, 30), (4, 30)):
        await world.env.sleep(timedelta(days=days))
        await eventually(lambda n=sent_by_then: mails(world, n))  # type: ignore[misc]
    # The outcome window closes; late evidence may come for 90 days more, then the workflow ends.
    result = await asyncio.wait_for(handle.result(), 30)
    assert result.stage == "closed"
    subjects = [str(m["Subject"]).split(" - ")[0] for m in world.mailbox.messages]
    assert (
        subjects
        == ["Meeting on " + subjects[0].rsplit(" ", 1)[1]] + ["How are you getting on?"] * 3
    )
    assert max(world.mailbox.message_ids().values()) == 1  # no message twice
    sent = await rows(world, pathway)
    assert [(r.kind, r.status, r.channel) for r in sent] == [
        ("trial_review", "sent", "email"),
        ("check_in", "sent", "email"),
        ("check_in", "sent", "email"),
        ("check_in", "sent", "email"),
    ]
    # The history with reminders replays deterministically (holidays came from an activity).
    replayer = Replayer(
        workflows=[ParticipantPathwayWorkflow], data_converter=world.env.client.data_converter
    )
    await replayer.replay_workflow(await handle.fetch_history())
    years = [r.scheduled_for.year for r in sent if r.scheduled_for is not None]
    holidays = polish_holidays(min(years), max(years))
    for row in sent:
        assert row.scheduled_for is not None
        local = row.scheduled_for.astimezone(WARSAW)
        assert time(8) <= local.time() < time(20)
        assert local.weekday() != 6 and local.date() not in holidays


async def mails(world: World, count: int) -> bool:
    return len(world.mailbox.messages) >= count
