"""The caseworker's "Today": tasks due and overdue, today's appointments, reminders that failed.

Tasks come from the same service as GET /tasks, appointments from the read model, limited to
the caller's caseload where the unit asks for that.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from domain.roles import Role
from domain.tasks import TaskDue
from services import reminders, reports
from web.deps import CallerDep, ServicesDep
from web.render import page

router = APIRouter(include_in_schema=False)


@router.get("/web/", response_model=None)
async def today(
    request: Request, services: ServicesDep, caller: CallerDep
) -> HTMLResponse | RedirectResponse:
    """What needs doing today, from the same services as GET /tasks."""
    if caller.role is Role.ADMIN:
        return page(request, "admin.html", caller)
    if caller.role is Role.INSTRUCTOR:  # their classes today: no tasks, no participants' list
        return RedirectResponse("/web/my-classes", 303)
    most = reports.TASK_PAGE_MAX
    due = await reports.task_list(services, caller, TaskDue.TODAY, most)
    overdue = await reports.task_list(services, caller, TaskDue.OVERDUE, most)
    planned = await reminders.appointments_on(services, caller, due.today)
    failed = await reminders.failed_messages(services, caller, days=7)
    return page(
        request,
        "today.html",
        caller,
        due=due,
        overdue=overdue,
        appointments=planned,
        failed=failed.items,
    )
