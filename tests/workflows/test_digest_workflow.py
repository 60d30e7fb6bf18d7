"""The morning run on the real Temporal dev server and PostgreSQL, delivering to aiosmtpd: one
digest per caseworker per day however often it runs; late tasks go to supervisors once."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime
from email.header import decode_header, make_header
from email.message import Message

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import (
    Client,
    ScheduleActionExecutionStartWorkflow,
    ScheduleHandle,
    ScheduleOverlapPolicy,
)
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.channels import SmtpChannel
from activities.digest import DigestActivities, StaffMailSettings
from core.settings import Settings
from db import staff_messages, tasks
from db.session import unit_of_work
from domain.calendar import local_date
from domain.roles import Role
from domain.tasks import TaskDue, TaskPolicy
from services.context import open_services
from tests.notification_servers import Mailbox, smtp_server
from tests.security.journey import payloads_in
from tests.staff_data import make_pathway, make_unit
from tests.support import eventually, working_days_ago
from worker.morning import MorningActivities
from worker.schedules import DIGEST_HOUR, DIGEST_MINUTE, DIGEST_TIME_ZONE, ensure_schedules
from workflows.digest import CaseworkerDigestWorkflow, DigestRunInput, DigestRunResult

SENDER = "zadania@centrum.example"
LINKS = "https://pathways.example/api/v1"


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    with smtp_server() as server:
        yield server


@pytest.fixture
async def digest_worker(
    dev_server: WorkflowEnvironment,
    task_queue: str,
    sessions: async_sessionmaker[AsyncSession],
    mailbox: tuple[Mailbox, int],
    settings: Settings,
) -> AsyncIterator[None]:
    channel = SmtpChannel(host="127.0.0.1", port=mailbox[1], sender=SENDER)
    digest = DigestActivities(sessions, channel, StaffMailSettings(sender=SENDER, links=LINKS))
    async with (
        open_services(settings, dev_server.client) as services,
        Worker(
            dev_server.client,
            task_queue=task_queue,
            workflows=[CaseworkerDigestWorkflow],
            activities=[
                digest.plan_digests,
                digest.send_digest,
                digest.plan_escalations,
                digest.escalate_task,
                MorningActivities(services).tell_untold,
                MorningActivities(services).follow_timetables,
            ],
        ),
    ):
        yield
    await channel.close()


def _to(mailbox: Mailbox, address: str, subject: str = "") -> list[Message]:
    return [
        m
        for m in mailbox.messages
        if address in str(m["To"]) and _subject(m).startswith(subject)
    ]


def _subject(message: Message) -> str:
    return str(make_header(decode_header(str(message["Subject"]))))


def _text(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode("utf-8")


RUNS: list[str] = []


async def _run(client: Client, task_queue: str, day: date) -> DigestRunResult:
    RUNS.append(f"digest-test-{uuid.uuid4()}")
    return await client.execute_workflow(
        CaseworkerDigestWorkflow.run, DigestRunInput(day=day), id=RUNS[-1], task_queue=task_queue
    )


async def _opened_history(client: Client, workflow_id: str) -> bytes:
    """Every payload of a run's history, decrypted by the product's codec."""
    history = await client.get_workflow_handle(workflow_id).fetch_history()
    payloads = [p for event in history.events for p in payloads_in(event)]
    codec = client.data_converter.payload_codec
    assert codec is not None and payloads
    return b"".join(p.SerializeToString() for p in await codec.decode(payloads))


async def _scheduled_runs(
    handle: ScheduleHandle, count: int
) -> list[ScheduleActionExecutionStartWorkflow] | None:
    actions = [a.action for a in (await handle.describe()).info.recent_actions]
    runs = [a for a in actions if isinstance(a, ScheduleActionExecutionStartWorkflow)]
    return runs if len(runs) >= count else None


async def _result(client: Client, run: ScheduleActionExecutionStartWorkflow) -> DigestRunResult:
    handle = client.get_workflow_handle(
        run.workflow_id, run_id=run.first_execution_run_id, result_type=DigestRunResult
    )
    result: DigestRunResult = await handle.result()
    return result


async def _later_second(run: ScheduleActionExecutionStartWorkflow) -> bool:
    return datetime.now(UTC).replace(microsecond=0).isoformat() not in run.workflow_id.replace(
        "Z", "+00:00"
    )


async def test_the_schedule_fired_twice_sends_each_caseworker_one_digest(
    dev_server: WorkflowEnvironment,
    task_queue: str,
    sessions: async_sessionmaker[AsyncSession],
    mailbox: tuple[Mailbox, int],
    digest_worker: None,
) -> None:
    box, _ = mailbox
    unit = await make_unit(
        sessions,
        {
            "anna": (Role.CASEWORKER, True),
            "bartek": (Role.CASEWORKER, True),
            "celina": (Role.CASEWORKER, False),  # no address: no digest, nothing fails
            "kierownik": (Role.SUPERVISOR, True),
        },
    )
    today = local_date(datetime.now(UTC))  # the runs take theirs from the same clock
    anna_today, anna_name = await make_pathway(sessions, unit, "anna", {"trial_end": today})
    # One working day late whatever today is (due yesterday would be none on a Sunday).
    anna_late, _ = await make_pathway(
        sessions, unit, "anna", {"contract_review": working_days_ago(1, today)}
    )
    await make_pathway(sessions, unit, "bartek", {"participation_end": today})
    await make_pathway(sessions, unit, "celina", {"trial_end": today})
    client = dev_server.client
    schedule_id = f"digest-test-{uuid.uuid4().hex[:8]}"
    assert await ensure_schedules(client, task_queue, schedule_id) is True
    assert await ensure_schedules(client, task_queue, schedule_id) is False  # already there
    handle = client.get_schedule_handle(schedule_id)
    try:
        spec = (await handle.describe()).schedule.spec
        assert spec.time_zone_name == DIGEST_TIME_ZONE == "Europe/Warsaw"
        [calendar] = spec.calendars
        assert [(r.start, r.end) for r in calendar.hour] == [(DIGEST_HOUR, DIGEST_HOUR)]
        assert [(r.start, r.end) for r in calendar.minute] == [(DIGEST_MINUTE, DIGEST_MINUTE)]
        # The schedule's run and a run started by hand at once: only the claim in the database
        # stands between them.
        await handle.trigger(overlap=ScheduleOverlapPolicy.ALLOW_ALL)
        by_hand = await client.start_workflow(
            CaseworkerDigestWorkflow.run,
            DigestRunInput(),
            id=f"digest-test-{uuid.uuid4()}",
            task_queue=task_queue,
        )
        first = await eventually(lambda: _scheduled_runs(handle, 1))
        results = [await by_hand.result(), await _result(client, first[0])]
        # Then the schedule fired again (a second later: its runs are named by the second).
        await eventually(lambda: _later_second(first[0]))
        await handle.trigger(overlap=ScheduleOverlapPolicy.ALLOW_ALL)
        again = await eventually(lambda: _scheduled_runs(handle, 2))
        results.append(await _result(client, again[-1]))
    finally:
        await handle.delete()

    assert len(results) == 3 and all(r.day == today for r in results)
    assert sum(r.digests_sent for r in results) >= 2
    anna = _to(box, unit.emails["anna"])
    bartek = _to(box, unit.emails["bartek"])
    assert len(anna) == 1 and len(bartek) == 1
    assert not _to(box, unit.emails["kierownik"])  # nothing is late enough to escalate
    body = _text(anna[0])
    assert str(anna_today) in body and str(anna_late) in body
    assert "koniec okresu próbnego" in body and "1 dzień roboczy po terminie" in body
    # Initials only: the full name never leaves the product in a staff e-mail.
    assert "Z.T." in body
    assert anna_name.split()[1] not in body and "Zofia" not in body
    assert _subject(anna[0]) == f"Zadania na {today:%d.%m.%Y}: na dziś 1, po terminie 1"
    async with sessions() as session:
        settled = [
            m
            for m in await staff_messages.staff_messages_on(session, today)
            if m.unit_id == unit.id
        ]
    assert sorted(m.status for m in settled) == ["sent", "sent"]


async def test_a_task_three_working_days_late_goes_to_the_supervisors_once(
    dev_server: WorkflowEnvironment,
    task_queue: str,
    sessions: async_sessionmaker[AsyncSession],
    mailbox: tuple[Mailbox, int],
    digest_worker: None,
) -> None:
    box, _ = mailbox
    unit = await make_unit(
        sessions,
        {
            "anna": (Role.CASEWORKER, True),
            "kierownik": (Role.SUPERVISOR, True),
            "zastepca": (Role.SUPERVISOR, True),
        },
    )
    # Due on Monday 9 November 2026; Wednesday the 11th is Independence Day. Thursday is only the
    # second working day after; Friday the 13th is the third.
    holiday_case, name = await make_pathway(
        sessions, unit, "anna", {"trial_end": date(2026, 11, 9)}
    )
    # Due on Thursday 19 November: Friday is the first working day after, Monday the second
    # (the weekend does not count), Tuesday the 24th the third.
    weekend_case, _ = await make_pathway(
        sessions, unit, "anna", {"contract_review": date(2026, 11, 19)}
    )
    client = dev_server.client
    supervisors = unit.emails["kierownik"]

    def escalations(pathway: uuid.UUID) -> list[Message]:
        return [m for m in _to(box, supervisors, "Zadanie po terminie") if str(pathway) in _text(m)]

    await _run(client, task_queue, date(2026, 11, 12))
    assert escalations(holiday_case) == []
    await _run(client, task_queue, date(2026, 11, 13))
    await _run(client, task_queue, date(2026, 11, 13))  # the same morning again
    # Temporal holds ids, dates and counts: no name, no address, even once decrypted.
    opened = await _opened_history(client, RUNS[-2])
    assert str(holiday_case).encode() in opened
    for secret in (*name.split(), *unit.emails.values(), "Z.T."):
        assert secret.encode() not in opened
    [mail] = escalations(holiday_case)
    assert unit.emails["zastepca"] in str(mail["To"])  # one e-mail to all of the supervisors
    assert _subject(mail) == "Zadanie po terminie (3 dni robocze): koniec okresu próbnego"
    assert "jest 3 dni robocze po terminie" in _text(mail)
    assert "anna-" in _text(mail) and "Z.T." in _text(mail) and "Zofia" not in _text(mail)
    # That morning's digest already tells the caseworker the task went up.
    [digest] = _to(box, unit.emails["anna"], "Zadania na 13.11.2026")
    assert "przekazane kierownikowi" in _text(digest)

    await _run(client, task_queue, date(2026, 11, 23))
    assert escalations(weekend_case) == []
    await _run(client, task_queue, date(2026, 11, 24))
    await _run(client, task_queue, date(2026, 11, 25))
    assert len(escalations(weekend_case)) == 1
    assert len(escalations(holiday_case)) == 1

    # The unit's task list (what GET /tasks answers the supervisor) shows both as escalated.
    async with sessions() as session:
        listed = await tasks.list_tasks(
            session, tasks.TaskScope(unit_id=unit.id), TaskDue.OVERDUE, date(2026, 11, 25)
        )
    assert {(t.pathway_id, t.escalated) for t in listed} == {
        (holiday_case, True),
        (weekend_case, True),
    }


async def test_a_unit_may_wait_longer_before_escalating(
    dev_server: WorkflowEnvironment,
    task_queue: str,
    sessions: async_sessionmaker[AsyncSession],
    mailbox: tuple[Mailbox, int],
    digest_worker: None,
) -> None:
    box, _ = mailbox
    unit = await make_unit(
        sessions, {"anna": (Role.CASEWORKER, False), "kierownik": (Role.SUPERVISOR, True)}
    )
    async with unit_of_work(sessions) as session:
        await tasks.set_task_policy(session, unit.id, TaskPolicy(escalate_after_working_days=5))
    pathway, _ = await make_pathway(sessions, unit, "anna", {"trial_end": date(2026, 11, 9)})

    def escalated() -> int:
        return sum(str(pathway) in _text(m) for m in _to(box, unit.emails["kierownik"]))

    await _run(dev_server.client, task_queue, date(2026, 11, 13))  # 3 working days: not yet
    assert escalated() == 0
    await _run(dev_server.client, task_queue, date(2026, 11, 17))  # the 5th working day
    assert escalated() == 1
