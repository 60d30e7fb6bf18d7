"""Caseworkers' tasks: every open deadline of a pathway in the caller's unit (or caseload); and
each unit's rule for when a late task goes to its supervisors."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import Admin, Casework, ServicesDep
from domain.tasks import TaskDue, TaskList, TaskPolicyOut, TaskPolicyUpdate
from services import accounts, reports

router = APIRouter(tags=["tasks"])


@router.get("/tasks")
async def list_tasks(
    due: TaskDue,
    services: ServicesDep,
    caller: Casework,
    limit: Annotated[int, Query(ge=1, le=reports.TASK_PAGE_MAX)] = 200,
    cursor: str | None = None,
) -> TaskList:
    """Tasks due today (Polish date) or overdue, oldest first, with working days overdue;
    follow `next_cursor`."""
    return await reports.task_list(services, caller, due, limit, cursor)


@router.put("/units/{code}/task-policy")
async def set_task_policy(
    code: str, body: TaskPolicyUpdate, services: ServicesDep, caller: Admin
) -> TaskPolicyOut:
    """After how many working days a task left open goes to the unit's supervisors."""
    return await accounts.set_task_policy(services, caller, code, body)
