"""Caseworkers' tasks: every open deadline of a pathway in the caller's unit (or caseload)."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter

from api.deps import Casework, SessionDep
from db import tasks
from domain.calendar import local_date
from domain.tasks import TaskDue, TaskList

router = APIRouter(tags=["tasks"])


@router.get("/tasks")
async def list_tasks(due: TaskDue, session: SessionDep, caller: Casework) -> TaskList:
    """Tasks due today (Polish date) or overdue, oldest first, with working days overdue."""
    today = local_date(datetime.now(UTC))
    scope = tasks.TaskScope(unit_id=caller.unit_id, caseload_of=caller.caseload_of)
    items = await tasks.list_tasks(session, scope, due, today)
    return TaskList(today=today, due=due, items=items)
