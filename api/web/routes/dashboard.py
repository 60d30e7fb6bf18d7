"""The supervisor's dashboard: the stage funnel and KPIs as SVG charts, overdue work, exports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.deps import Caller, SessionDep, require
from api.web.render import page
from domain.roles import Role

router = APIRouter(include_in_schema=False)

Supervisor = Annotated[Caller, require(Role.SUPERVISOR)]


@router.get("/web/dashboard")
async def dashboard(request: Request, session: SessionDep, caller: Supervisor) -> HTMLResponse:
    """The unit at a glance."""
    return page(request, "dashboard.html", caller)
