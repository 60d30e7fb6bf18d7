"""Caseworkers' tasks: every open deadline of a pathway in the caller's unit (or caseload); and
each unit's rule for when a late task goes to its supervisors."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import ConfigDict

from api.audit import AuditDep
from api.deps import Admin, Casework, SessionDep, SettingsDep
from core.cursors import open_cursor, seal_cursor
from db import queries, task_pages, tasks
from domain.calendar import local_date
from domain.errors import NotFound
from domain.tasks import TaskDue, TaskList, TaskPolicy

router = APIRouter(tags=["tasks"])


# A page of tasks; the web's pages ask for the most at once.
TASK_PAGE_MAX = 1000


@router.get("/tasks")
async def list_tasks(
    due: TaskDue,
    session: SessionDep,
    caller: Casework,
    settings: SettingsDep,
    limit: Annotated[int, Query(ge=1, le=TASK_PAGE_MAX)] = 200,
    cursor: str | None = None,
) -> TaskList:
    """Tasks due today (Polish date) or overdue, oldest first, with working days overdue;
    follow `next_cursor`."""
    today = local_date(datetime.now(UTC))
    scope = tasks.TaskScope(unit_id=caller.unit_id, caseload_of=caller.caseload_of)
    purpose = f"tasks:{due.value}"
    after = open_cursor(settings.secret_key, purpose, cursor) if cursor else None
    items, next_keys = await task_pages.page_of_tasks(session, scope, due, today, after, limit)
    return TaskList(
        today=today,
        due=due,
        items=items,
        next_cursor=seal_cursor(settings.secret_key, purpose, next_keys) if next_keys else None,
    )


class TaskPolicyUpdate(TaskPolicy):
    """A unit's new rule for late tasks."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class TaskPolicyOut(TaskPolicy):
    """A unit's rule for late tasks, with its unit."""

    unit_code: str


@router.put("/units/{code}/task-policy")
async def set_task_policy(
    code: str, body: TaskPolicyUpdate, session: SessionDep, _: Admin, audit: AuditDep
) -> TaskPolicyOut:
    """After how many working days a task left open goes to the unit's supervisors."""
    unit = await queries.unit_by_code(session, code)
    if unit is None:
        raise NotFound("unit_not_found", "No such unit.")
    await tasks.set_task_policy(session, unit.id, body)
    await audit.record("unit.task_policy", body.model_fields_set, unit_id=unit.id)
    return TaskPolicyOut(unit_code=unit.code, **body.model_dump())
