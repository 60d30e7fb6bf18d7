"""Supervisors' reports and caseworkers' tasks, from the read model only (never Temporal)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from db import audit, reports, tasks
from db.annual_report import annual_report
from db.session import unit_of_work
from domain.calendar import local_date
from domain.errors import InvalidInput
from domain.reports import AnnualReport, KpiReport
from domain.roles import Role
from domain.tasks import TaskDue, TaskList
from services.context import Caller, Services
from services.report_files import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE, annual_csv, annual_xlsx

ReportFormat = Literal["json", "csv", "xlsx"]


@dataclass(frozen=True)
class ReportFile:
    """The annual report as a file to download."""

    name: str
    media_type: str
    content: bytes | str


async def kpis(
    services: Services, caller: Caller, start: date, end: date, unit: str | None = None
) -> KpiReport:
    """KPIs for the period `start`-`end` (both included), each with its definition.

    Supervisors see their unit; admins may name any unit (`unit`), since reports hold aggregates.
    """
    if end < start:
        raise InvalidInput("invalid_period", "The period must end on or after its start.")
    async with services.sessions() as session:
        scope = await _scope(session, caller, unit)
        return await reports.kpi_report(session, scope, start, end, _today())


async def annual(
    services: Services,
    caller: Caller,
    year: int,
    chosen: ReportFormat,
    unit: str | None = None,
) -> AnnualReport | ReportFile:
    """The data of the annual reports to the voivode, as JSON data or a CSV or XLSX file.

    Every export is audited: who took which year's figures of which unit, and in which form.
    """
    async with unit_of_work(services.sessions) as session:
        scope = await _scope(session, caller, unit)
        report = await annual_report(session, scope, year)
        fields = [f"year:{year}", f"format:{chosen}", *scope.unit_codes]
        await audit.append(session, caller.actor, "report.annual", fields)
    name = f"annual-report-{year}-{'-'.join(scope.unit_codes)}"
    if chosen == "csv":
        return ReportFile(f"{name}.csv", CSV_MEDIA_TYPE, annual_csv(report))
    if chosen == "xlsx":
        return ReportFile(f"{name}.xlsx", XLSX_MEDIA_TYPE, annual_xlsx(report))
    return report


async def task_list(services: Services, caller: Caller, due: TaskDue) -> TaskList:
    """Tasks due today (Polish date) or overdue, oldest first, with working days overdue."""
    today = _today()
    scope = tasks.TaskScope(unit_id=caller.unit_id, caseload_of=caller.caseload_of)
    async with services.sessions() as session:
        items = await tasks.list_tasks(session, scope, due, today)
    return TaskList(today=today, due=due, items=items)


async def _scope(session: AsyncSession, caller: Caller, unit: str | None) -> reports.ReportScope:
    return await reports.scope_of(session, caller.unit_id, unit, caller.role is Role.ADMIN)


def _today() -> date:
    return local_date(datetime.now(UTC))
