"""The caseworker's "Today": tasks due and overdue, today's sessions, reminders that failed."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.deps import CallerDep, SessionDep
from api.routes import tasks as api_tasks
from api.web.render import page
from domain.roles import Role
from domain.tasks import TaskDue

router = APIRouter(include_in_schema=False)


@router.get("/web/")
async def today(request: Request, session: SessionDep, caller: CallerDep) -> HTMLResponse:
    """What needs doing today, from the same functions as GET /tasks."""
    if caller.role is Role.ADMIN:
        return page(request, "admin.html", caller)
    due = await api_tasks.list_tasks(TaskDue.TODAY, session, caller)
    overdue = await api_tasks.list_tasks(TaskDue.OVERDUE, session, caller)
    return page(request, "today.html", caller, due=due, overdue=overdue)
