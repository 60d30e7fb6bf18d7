"""Reminders follow the timetable (issue 14), on the time-skipping server with the real send
activity, the real database, an SMS gateway and an SMTP server: a group's class is reminded once
at a decent hour to the members who may be told; when its day is cancelled only those already
told get a notice, once; no message names the programme or the class's title."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.worker import Replayer

from db import appointments
from db.group_tables import Group, GroupMembership, PlannedClassRow
from db.models import Notification, Participant, Pathway
from db.session import unit_of_work
from domain.calendar import WARSAW, local_date
from domain.pathway import PathwayInput
from domain.stages import Programme
from services.class_reminders import class_day_ids, follow_timetable
from services.context import Services, open_services
from tests.domain.test_reminder_texts import PATTERN
from tests.notification_servers import seed_pathway
from tests.support import eventually, settings_for_tests
from tests.workflows.test_reminders_workflow import World, at, ordinary_day, own_clock, world
from workflows.patches import NEW_PATHWAYS
from workflows.pathway import ParticipantPathwayWorkflow

# The reminders tests' own time-skipping server and their world on it (fixtures).
__all__ = ["own_clock", "world"]

# A title that would say why people attend: it must never reach a message.
TITLE = "Warsztat dla osób po terapii uzależnień"


@pytest.fixture
async def services(world: World, database_url: str) -> AsyncIterator[Services]:
    settings = settings_for_tests(database_url=database_url, temporal_task_queue=world.task_queue)
    async with open_services(settings, world.env.client) as opened:
        yield opened


async def member(
    sessions: async_sessionmaker[AsyncSession],
    unit: uuid.UUID,
    template: uuid.UUID,
    **fields: object,
) -> tuple[uuid.UUID, uuid.UUID]:
    """Another participant of the unit with a pathway (answers participant, pathway)."""
    async with unit_of_work(sessions) as session:
        first = await session.get(Participant, template)
        assert first is not None
        person = Participant(
            unit_id=unit, first_name="Ewa", last_name="Testowa", birth_date=date(1985, 1, 1),
            language="pl", created_by=first.created_by, **fields,
        )  # fmt: skip
        session.add(person)
        await session.flush()
        caseworker = (
            (await session.execute(select(Pathway.caseworker_id).where(Pathway.unit_id == unit)))
            .scalars()
            .first()
        )
        pathway = Pathway(
            id=uuid.uuid4(), participant_id=person.id, unit_id=unit, caseworker_id=caseworker,
            programme="cis", started_on=date(2026, 11, 2), stage="cis_trial",
        )  # fmt: skip
        session.add(pathway)
        await session.flush()
        return person.id, pathway.id


async def start(world: World, pathway: uuid.UUID, participant: uuid.UUID) -> None:
    today = local_date(await world.env.get_current_time())
    await world.env.client.start_workflow(
        ParticipantPathwayWorkflow.run,
        PathwayInput(
            pathway_id=str(pathway),
            participant_id=str(participant),
            programme=Programme.CIS,
            started_on=today,
            reminders=True,
            born_with=list(NEW_PATHWAYS),
        ),
        id=f"pathway-{pathway}",
        task_queue=world.task_queue,
    )


async def rows(world: World, pathway: uuid.UUID) -> list[tuple[str, str]]:
    async with world.sessions() as session:
        query = select(Notification).where(Notification.pathway_id == pathway)
        found = (await session.execute(query.order_by(Notification.due_at))).scalars()
        return [(r.reminder.split(":")[0], r.status) for r in found]


async def test_a_class_is_reminded_once_and_its_cancellation_tells_only_those_told(
    world: World, services: Services
) -> None:
    unit, told, told_path = await seed_pathway(world.sessions, phone="+48600100201")
    # In the group but without consent: never told, so never told of the cancellation either.
    untold, untold_path = await member(world.sessions, unit, told, consent_sms=False)
    # Left the group before the class: no appointment at all.
    gone, gone_path = await member(
        world.sessions, unit, told, phone="+48600100203", consent_sms=True
    )
    for person, path in ((told, told_path), (untold, untold_path), (gone, gone_path)):
        await start(world, path, person)
    now = await world.env.get_current_time()
    day = ordinary_day(local_date(now) + timedelta(days=3))
    async with unit_of_work(world.sessions) as session:
        group = Group(unit_id=unit, name="Grupa B", kind="workshop")
        session.add(group)
        await session.flush()
        joined = local_date(now) - timedelta(days=10)
        for person in (told, untold, gone):
            left = day - timedelta(days=1) if person == gone else None
            session.add(
                GroupMembership(group_id=group.id, participant_id=person, joined_on=joined,
                                left_on=left)
            )  # fmt: skip
        lesson = PlannedClassRow(
            unit_id=unit, kind="workshop", title=TITLE, place="sala 12", group_id=group.id,
            starts_at=time(9, 30), hours=Decimal(4), weekday=day.weekday(),
            first_day=day, last_day=day + timedelta(days=60), cancelled_days=[],
        )  # fmt: skip
        session.add(lesson)
        await session.flush()
        lesson_id = lesson.id

    first = await follow_timetable(services, unit, now)
    assert first.refused == 0 and first.scheduled >= 2

    async def listed() -> list[uuid.UUID] | None:
        async with world.sessions() as session:
            held = await appointments.appointments_on_day(session, unit, day)
            found = sorted(a.pathway_id for a in held)
            return found if len(found) >= 2 else None

    assert await eventually(listed) == sorted([told_path, untold_path])
    async with world.sessions() as session:
        on_the_day = {a.id for a in await appointments.appointments_on_day(session, unit, day)}
    assert on_the_day <= await class_day_ids(services, unit, day)  # Today leaves them out

    async def settled() -> bool:
        # Runs again (the read model may lag a moment) until nothing is new: same ids, no copy.
        return (await follow_timetable(services, unit, now)).scheduled == 0

    await eventually(settled)
    async with world.sessions() as session:
        held = await appointments.appointments_of_pathway(session, told_path)
    assert len(held) == first.scheduled // 2 == 2  # the day and a week later, once each

    # The eve at 18:10: the one who may be told has their SMS, at a decent hour.
    await world.env.sleep(at(day - timedelta(days=1), 18, 10) - now)
    await eventually(lambda: _delivered(world, 1))
    assert [d["message"][:5] for d in world.gateway.delivered] == ["Jutro"]

    # 19:00 on the eve: the day is called off.
    await world.env.sleep(timedelta(minutes=50))
    async with unit_of_work(world.sessions) as session:
        row = await session.get(PlannedClassRow, lesson_id)
        assert row is not None
        row.cancelled_days = [day.isoformat()]
    cancelled_at = await world.env.get_current_time()
    followed = await follow_timetable(services, unit, cancelled_at)
    assert followed.cancelled >= 2
    await world.env.sleep(timedelta(minutes=10))  # the notice goes now, give or take its jitter
    await eventually(lambda: _delivered(world, 2))
    # Past the class: nothing more (no "today" SMS for a cancelled day, no second notice).
    await world.env.sleep(at(day, 12) - cancelled_at - timedelta(minutes=10))
    # The window moved on with the clock: two weeks after the day, for the two still members.
    later = await follow_timetable(services, unit, await world.env.get_current_time())
    assert (later.scheduled, later.refused, later.unsent) == (2, 0, 0)
    messages = [d["message"] for d in world.gateway.delivered]
    assert len(messages) == 2, messages
    assert messages[0].startswith(f"Jutro, {day.strftime('%d.%m.%Y')}, o 09:30: zajęcia")
    assert messages[1].startswith(f"Odwołane: {day.strftime('%d.%m.%Y')}, 09:30: zajęcia")
    assert {d["to"] for d in world.gateway.delivered} == {"+48600100201"}
    assert world.mailbox.messages == []
    assert sorted(await rows(world, told_path)) == [
        ("session_cancelled", "sent"),
        ("session_eve", "sent"),
    ]
    assert await rows(world, untold_path) == [("session_eve", "suppressed")]
    assert await rows(world, gone_path) == []
    eve = await moment(world, told_path, "session_eve")
    assert at(day - timedelta(days=1), 18) <= eve < at(day - timedelta(days=1), 18, 5)
    notice = await moment(world, told_path, "session_cancelled")
    assert cancelled_at <= notice < cancelled_at + timedelta(minutes=5)  # 19:00-19:05, at once
    for text in messages:
        assert PATTERN.search(text) is None, text
        assert "terapii" not in text and "Warsztat dla" not in text and "CIS" not in text
    # The pathway's history with the class, its reminder and the notice replays.
    replayer = Replayer(
        workflows=[ParticipantPathwayWorkflow], data_converter=world.env.client.data_converter
    )
    handle = world.env.client.get_workflow_handle(f"pathway-{told_path}")
    await replayer.replay_workflow(await handle.fetch_history())
    for path in (told_path, untold_path, gone_path):
        await world.env.client.get_workflow_handle(f"pathway-{path}").terminate("test over")


async def moment(world: World, pathway: uuid.UUID, kind: str) -> datetime:
    """When the pathway's one message of a kind was to go (checked against quiet hours)."""
    async with world.sessions() as session:
        query = select(Notification).where(
            Notification.pathway_id == pathway, Notification.kind == kind
        )
        row = (await session.execute(query)).scalar_one()
    assert row.scheduled_for is not None
    when = row.scheduled_for
    when = when if when.tzinfo else when.replace(tzinfo=UTC)  # SQLite hands back naive UTC
    local = when.astimezone(WARSAW)
    assert time(8) <= local.time() < time(20) and local.weekday() != 6
    return when


async def _delivered(world: World, count: int) -> bool:
    return len(world.gateway.delivered) >= count
