"""The caseworker's "Today": tasks due and overdue, today's sessions, reminders that failed.

Tasks come from the handler of GET /tasks, sessions from the reminders' read model query
(db/notifications.py), limited to the caller's caseload where the unit asks for that.
"""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.deps import CallerDep, Lookups, SessionDep, SettingsDep
from api.routes import notifications as api_notifications
from api.routes import tasks as api_tasks
from api.web.render import page
from db import notifications, queries
from domain.roles import Role
from domain.tasks import TaskDue

router = APIRouter(include_in_schema=False)


@router.get("/web/")
async def today(
    request: Request, session: SessionDep, caller: CallerDep, settings: SettingsDep
) -> HTMLResponse:
    """What needs doing today, from the same functions as GET /tasks."""
    if caller.role is Role.ADMIN:
        return page(request, "admin.html", caller)
    tasks = partial(
        api_tasks.list_tasks,
        session=session,
        caller=caller,
        settings=settings,
        limit=api_tasks.TASK_PAGE_MAX,
    )
    due = await tasks(due=TaskDue.TODAY)
    overdue = await tasks(due=TaskDue.OVERDUE)
    sessions = await notifications.sessions_on_day(session, caller.unit_id, due.today)
    if caller.caseload_of is not None:  # a unit that limits caseworkers to their own cases
        lookups: Lookups = request.app.state.lookups
        sessions = [
            s
            for s in sessions
            if (
                await lookups.pathway_owners.get(
                    s.pathway_id, partial(queries.owner_of_pathway, session, s.pathway_id)
                )
            ).caseworker_id
            == caller.caseload_of
        ]
    failed = await api_notifications.failed_notifications(caller=caller, session=session)
    return page(
        request,
        "today.html",
        caller,
        due=due,
        overdue=overdue,
        sessions=sessions,
        failed=failed.items,
    )
