"""The morning's staff e-mail: each caseworker's digest of tasks, and late tasks escalated.

Every send is claimed first by a unique key in `staff_messages` (`digest:<user>:<day>`,
`escalation:<pathway>:<kind>:<due date>`), committed before the e-mail goes out: a retried
activity or a second run of the schedule finds the key taken and sends nothing. Inputs and
results carry ids, dates and counts only; addresses and names stay in the database.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import structlog
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity

from activities.channels import EmailChannel
from activities.place_reminders import remind_free_places
from activities.staff_mail import render_digest, render_escalation, task_line
from activities.staff_sending import SendResult, SendStatus, StaffMailer
from core.settings import Settings
from db import staff_messages, tasks
from db.session import unit_of_work
from domain.tasks import TaskDue

log = structlog.get_logger(__name__)

__all__ = ["DigestActivities", "SendResult", "SendStatus", "StaffMailSettings"]


class DigestDay(BaseModel):
    """The Polish date the morning run is for."""

    day: date


class DigestPlan(BaseModel):
    """Who gets a digest today."""

    caseworker_ids: list[uuid.UUID]


class DigestRequest(BaseModel):
    """One caseworker's digest of one day."""

    caseworker_id: uuid.UUID
    day: date


class LateTaskRef(BaseModel):
    """A task to escalate, by ids and dates."""

    pathway_id: uuid.UUID
    kind: str
    due_on: date
    unit_id: uuid.UUID


class EscalationPlan(BaseModel):
    """Late tasks not yet escalated."""

    tasks: list[LateTaskRef]


class EscalationRequest(BaseModel):
    """Escalate one late task on a day."""

    task: LateTaskRef
    day: date


class EscalationResult(BaseModel):
    """Whether the task was escalated now (False: it was before, or someone acted) and the mail."""

    recorded: bool
    status: SendStatus


@dataclass(frozen=True)
class StaffMailSettings:
    """Where staff e-mail comes from and where its links point (the API's public base URL)."""

    sender: str
    links: str

    @classmethod
    def of(cls, settings: Settings) -> StaffMailSettings:
        """From the process's settings (the SMTP sender and the public API URL)."""
        return cls(sender=settings.smtp_from, links=settings.public_api_url.rstrip("/"))


# Staff e-mail where no settings are given (tests' workers; the default sink is the log anyway).
DEV_STAFF_MAIL = StaffMailSettings(sender="zadania@localhost", links="http://127.0.0.1:8000/api/v1")


class DigestActivities:
    """Side effects of the morning run; each is one idempotent unit of work."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        email: EmailChannel,
        settings: StaffMailSettings,
    ) -> None:
        self._sessions = sessions
        self._settings = settings
        self._mailer = StaffMailer(sessions, email, settings.sender)

    def definitions(self) -> list[Callable[..., Awaitable[Any]]]:
        """Every activity, for a worker's list."""
        return [self.plan_escalations, self.escalate_task, self.plan_digests, self.send_digest]

    @activity.defn
    async def plan_digests(self, request: DigestDay) -> DigestPlan:
        """Caseworkers with an address and at least one task due or overdue on the day."""
        async with unit_of_work(self._sessions) as session:
            recipients = await staff_messages.caseworkers_with_tasks(session, request.day)
        return DigestPlan(caseworker_ids=[r.user_id for r in recipients])

    @activity.defn
    async def send_digest(self, request: DigestRequest) -> SendResult:
        """E-mail one caseworker the tasks of the pathways they hold: due today and overdue."""
        key = f"digest:{request.caseworker_id}:{request.day.isoformat()}"
        async with unit_of_work(self._sessions) as session:
            recipient = await staff_messages.staff_recipient(session, request.caseworker_id)
            if recipient is None:
                return SendResult(status=SendStatus.NO_RECIPIENT)
            scope = tasks.TaskScope(unit_id=recipient.unit_id, caseworker_id=recipient.user_id)
            due = await tasks.list_tasks(session, scope, TaskDue.TODAY, request.day)
            late = await tasks.list_tasks(session, scope, TaskDue.OVERDUE, request.day)
        if not due and not late:
            return SendResult(status=SendStatus.NOTHING_TO_SEND)
        links = self._settings.links
        mail = render_digest(
            request.day,
            [task_line(t, links) for t in due],
            [task_line(t, links) for t in late],
            links,
        )
        message = staff_messages.StaffMessageKey(key, "digest", recipient.unit_id, request.day)
        status = await self._mailer.send_once(message, [recipient.email], mail)
        log.info(
            "digest_processed",
            caseworker_id=str(request.caseworker_id),
            day=request.day.isoformat(),
            due=len(due),
            overdue=len(late),
            status=status,
        )
        return SendResult(status=status)

    @activity.defn
    async def plan_escalations(self, request: DigestDay) -> EscalationPlan:
        """Open tasks late by their unit's number of working days, not escalated yet; and the
        reminders of places free while people wait, sent once a day."""
        async with unit_of_work(self._sessions) as session:
            late = await tasks.tasks_to_escalate(session, request.day)
        # The supervisors' other morning news: a place free while people wait (issue 16).
        await remind_free_places(self._sessions, self._mailer, request.day, self._settings.links)
        refs = [
            LateTaskRef(pathway_id=t.pathway_id, kind=t.kind, due_on=t.due_on, unit_id=t.unit_id)
            for t in late
        ]
        return EscalationPlan(tasks=refs)

    @activity.defn
    async def escalate_task(self, request: EscalationRequest) -> EscalationResult:
        """Record the escalation (GET /tasks shows it) and e-mail the unit's supervisors once."""
        ref = request.task
        async with unit_of_work(self._sessions) as session:
            task = await tasks.open_task(session, ref.pathway_id, ref.kind, ref.due_on, request.day)
            if task is None:  # someone acted since the plan was made
                return EscalationResult(recorded=False, status=SendStatus.NOTHING_TO_SEND)
            late = tasks.LateTask(
                ref.pathway_id, ref.kind, ref.due_on, ref.unit_id, task.working_days_overdue
            )
            recorded = await tasks.record_escalation(session, late, request.day)
            addresses = await staff_messages.supervisor_addresses(session, ref.unit_id)
            policy = await tasks.task_policy(session, ref.unit_id)
        mail = render_escalation(
            task_line(task, self._settings.links),
            task.caseworker,
            policy.escalate_after_working_days,
        )
        key = f"escalation:{ref.pathway_id}:{ref.kind}:{ref.due_on.isoformat()}"
        message = staff_messages.StaffMessageKey(key, "escalation", ref.unit_id, request.day)
        status = await self._mailer.send_once(message, addresses, mail)
        log.info(
            "task_escalated",
            pathway_id=str(ref.pathway_id),
            kind=ref.kind,
            due_on=ref.due_on.isoformat(),
            working_days_overdue=task.working_days_overdue,
            recorded=recorded,
            supervisors=len(addresses),
            status=status,
        )
        return EscalationResult(recorded=recorded, status=status)
