"""Caseworker tasks from the read model: lists, units' escalation rules, escalations recorded.

Every function takes a session."""

from __future__ import annotations

import uuid
from collections.abc import Set
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.holidays import polish_holidays
from db.leaves import responsible_on
from db.models import (
    Participant,
    Pathway,
    PathwayDeadline,
    TaskEscalation,
    TaskPolicy,
    User,
    utcnow,
)
from db.participants import in_caseload
from db.upsert import insert_ignoring
from domain.pathway import DeadlineKind
from domain.tasks import DEFAULT_TASK_POLICY, Task, TaskDue, is_escalation_due
from domain.tasks import TaskPolicy as TaskPolicyRule
from domain.working_days import working_days_after


@dataclass(frozen=True)
class TaskScope:
    """Whose tasks: a unit's, narrowed to a caseworker's caseload or to the pathways one holds."""

    unit_id: uuid.UUID
    # A caseworker whose unit limits them to their own caseload (api.deps.Caller.caseload_of).
    caseload_of: uuid.UUID | None = None
    # Only the pathways this caseworker answers for on the day (the daily digest).
    caseworker_id: uuid.UUID | None = None


def holidays_for(first: date, last: date) -> frozenset[date]:
    """Poland's public holidays from `first`'s year to `last`'s."""
    return polish_holidays(min(first, last).year, max(first, last).year)


def _escalated() -> ColumnElement[bool]:
    return (
        exists()
        .where(
            TaskEscalation.pathway_id == PathwayDeadline.pathway_id,
            TaskEscalation.kind == PathwayDeadline.kind,
            TaskEscalation.due_on == PathwayDeadline.due_on,
        )
        .correlate(PathwayDeadline)
    )


def _tasks_query(scope: TaskScope | None, due: TaskDue, today: date) -> Select[*tuple[Any, ...]]:
    query = (
        select(
            PathwayDeadline.pathway_id,
            Pathway.participant_id,
            Participant.first_name,
            Participant.last_name,
            PathwayDeadline.kind,
            PathwayDeadline.due_on,
            _escalated().label("escalated"),
            Pathway.caseworker_id,
            User.username,
        )
        .join(Pathway, Pathway.id == PathwayDeadline.pathway_id)
        .join(Participant, Participant.id == Pathway.participant_id)
        .join(User, User.id == Pathway.caseworker_id)
        .where(Pathway.closed_at.is_(None))
    )
    if due is TaskDue.TODAY:
        query = query.where(PathwayDeadline.due_on == today)
    else:
        # A deadline still in the read model after its day has nobody's step behind it yet.
        query = query.where(PathwayDeadline.due_on < today)
    if scope is not None:
        query = query.where(Pathway.unit_id == scope.unit_id)
        if scope.caseload_of is not None:
            query = query.where(in_caseload(scope.caseload_of))
        if scope.caseworker_id is not None:
            # Whose the task is today: the holder, or their deputy while they are away.
            query = query.where(responsible_on(scope.caseworker_id, today))
    return query.order_by(
        PathwayDeadline.due_on, Participant.last_name, Participant.first_name, Pathway.id
    )


def _task(row: Any, today: date, holidays: Set[date]) -> Task:
    return Task(
        pathway_id=row.pathway_id,
        participant_id=row.participant_id,
        participant_name=f"{row.first_name} {row.last_name}".strip(),
        kind=DeadlineKind(row.kind),
        due_on=row.due_on,
        working_days_overdue=working_days_after(row.due_on, today, holidays),
        escalated=bool(row.escalated),
        caseworker_id=row.caseworker_id,
        caseworker=row.username,
    )


async def list_tasks(
    session: AsyncSession,
    scope: TaskScope,
    due: TaskDue,
    today: date,
    holidays: Set[date] | None = None,
) -> list[Task]:
    """Tasks due `today` or overdue on it, oldest first; lateness in Polish working days."""
    rows = (await session.execute(_tasks_query(scope, due, today))).all()
    if holidays is None and rows:
        holidays = holidays_for(rows[0].due_on, today)
    return [_task(row, today, holidays or frozenset()) for row in rows]


async def open_task(
    session: AsyncSession, pathway_id: uuid.UUID, kind: str, due_on: date, today: date
) -> Task | None:
    """One task, if it is still open with this due date (nobody has acted on it)."""
    # No scope: the caller (an activity) names the pathway.
    query = _tasks_query(None, TaskDue.OVERDUE, today).where(
        PathwayDeadline.pathway_id == pathway_id,
        PathwayDeadline.kind == kind,
        PathwayDeadline.due_on == due_on,
    )
    row = (await session.execute(query)).one_or_none()
    return _task(row, today, holidays_for(due_on, today)) if row else None


# --- escalation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LateTask:
    """An overdue task past its unit's escalation threshold, not yet escalated."""

    pathway_id: uuid.UUID
    kind: str
    due_on: date
    unit_id: uuid.UUID
    working_days_overdue: int


async def task_policy(session: AsyncSession, unit_id: uuid.UUID) -> TaskPolicyRule:
    """The unit's task policy, or the default."""
    row = await session.get(TaskPolicy, unit_id)
    if row is None:
        return DEFAULT_TASK_POLICY
    return TaskPolicyRule(escalate_after_working_days=row.escalate_after_working_days)


async def set_task_policy(session: AsyncSession, unit_id: uuid.UUID, rule: TaskPolicyRule) -> None:
    """Set a unit's task policy."""
    row = await session.get(TaskPolicy, unit_id)
    if row is None:
        days = rule.escalate_after_working_days
        session.add(TaskPolicy(unit_id=unit_id, escalate_after_working_days=days))
    else:
        row.escalate_after_working_days = rule.escalate_after_working_days


async def tasks_to_escalate(
    session: AsyncSession, today: date, holidays: Set[date] | None = None
) -> list[LateTask]:
    """Every open task, in any unit, late by its unit's threshold and not escalated yet."""
    threshold = func.coalesce(
        TaskPolicy.escalate_after_working_days, DEFAULT_TASK_POLICY.escalate_after_working_days
    )
    # A working day is at most one calendar day: anything later than `threshold` calendar days
    # ago cannot be late enough yet, so SQL narrows and Python counts the working days.
    query = (
        select(
            PathwayDeadline.pathway_id,
            PathwayDeadline.kind,
            PathwayDeadline.due_on,
            Pathway.unit_id,
            threshold.label("threshold"),
        )
        .join(Pathway, Pathway.id == PathwayDeadline.pathway_id)
        .outerjoin(TaskPolicy, TaskPolicy.unit_id == Pathway.unit_id)
        .where(
            Pathway.closed_at.is_(None),
            PathwayDeadline.due_on < today - timedelta(days=1),
            ~_escalated(),
        )
        .order_by(PathwayDeadline.due_on, PathwayDeadline.pathway_id, PathwayDeadline.kind)
    )
    rows = (await session.execute(query)).all()
    if holidays is None and rows:
        holidays = holidays_for(rows[0].due_on, today)
    late = []
    for row in rows:
        policy = TaskPolicyRule(escalate_after_working_days=row.threshold)
        if is_escalation_due(row.due_on, today, policy, holidays or frozenset()):
            days = working_days_after(row.due_on, today, holidays or frozenset())
            late.append(LateTask(row.pathway_id, row.kind, row.due_on, row.unit_id, days))
    return late


async def record_escalation(session: AsyncSession, task: LateTask, today: date) -> bool:
    """Record that a task went to the supervisors; False if it already had."""
    inserted = await session.execute(
        insert_ignoring(session, TaskEscalation, ["pathway_id", "kind", "due_on"])
        .values(
            pathway_id=task.pathway_id,
            kind=task.kind,
            due_on=task.due_on,
            unit_id=task.unit_id,
            escalated_on=today,
            created_at=utcnow(),
        )
        .returning(TaskEscalation.pathway_id)
    )
    return inserted.first() is not None
