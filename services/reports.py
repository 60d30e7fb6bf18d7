"""Supervisors' reports and caseworkers' tasks, from the read model only (never Temporal)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from core.cursors import open_cursor, seal_cursor
from db import places, report_scope, reports, task_pages, tasks
from db.annual_report import annual_report
from db.session import unit_of_work
from domain.calendar import local_date
from domain.errors import InvalidInput
from domain.kpi_suppression import SuppressedKpiReport, suppressed_kpis
from domain.reports import AnnualReport, KpiReport
from domain.roles import Role
from domain.rulebook import rulebook_for
from domain.tasks import TaskDue, TaskList
from services import audit_log, oversight
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
) -> KpiReport | SuppressedKpiReport:
    """KPIs for the period `start`-`end` (both included), each with its definition.

    Supervisors see their unit with every count; admins may name any unit (`unit`) and get its
    figures as lines with small counts suppressed, as in the annual report (audited there).
    """
    if end < start:
        raise InvalidInput("invalid_period", "The period must end on or after its start.")
    async with unit_of_work(services.sessions) as session:
        scope = await _scope(session, caller, unit)
        report = await reports.kpi_report(session, scope, start, end, _today())
        if caller.role is not Role.ADMIN:
            waiting = await places.waiting_kpis(session, scope.unit_ids, start, end)
            return report.model_copy(update={"waiting_for_places": waiting})
        await oversight.record_act(
            services, session, caller, "report.kpis", scope.unit_codes, scope.unit_ids[0]
        )
    return suppressed_kpis(report, rulebook_for(end).report_min_cell_count)


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
        await oversight.record_act(
            services, session, caller, "report.annual", fields, scope.unit_ids[0]
        )
    name = f"annual-report-{year}-{'-'.join(scope.unit_codes)}"
    if chosen == "csv":
        return ReportFile(f"{name}.csv", CSV_MEDIA_TYPE, annual_csv(report))
    if chosen == "xlsx":
        return ReportFile(f"{name}.xlsx", XLSX_MEDIA_TYPE, annual_xlsx(report))
    return report


# A page of tasks; the web's pages ask for the most at once.
TASK_PAGE_MAX = 1000


async def task_list(
    services: Services,
    caller: Caller,
    due: TaskDue,
    limit: int = 200,
    cursor: str | None = None,
) -> TaskList:
    """Tasks due today (Polish date) or overdue, oldest first, with working days overdue; a
    page of `limit`, followed by `next_cursor` (signed, naming nobody)."""
    today = _today()
    scope = tasks.TaskScope(unit_id=caller.unit_id, caseload_of=caller.caseload_of)
    purpose = f"tasks:{due.value}"
    secret = services.settings.secret_key
    after = open_cursor(secret, purpose, cursor) if cursor else None
    async with unit_of_work(services.sessions) as session:
        items, next_keys = await task_pages.page_of_tasks(session, scope, due, today, after, limit)
        shown = {"due": due.value, "page": cursor and "next"}
        await audit_log.record_list_read(session, caller, "tasks", shown, len(items))
    next_cursor = seal_cursor(secret, purpose, next_keys) if next_keys else None
    return TaskList(today=today, due=due, items=items, next_cursor=next_cursor)


async def _scope(
    session: AsyncSession, caller: Caller, unit: str | None
) -> report_scope.ReportScope:
    return await report_scope.scope_of(session, caller.unit_id, unit, caller.role is Role.ADMIN)


def _today() -> date:
    return local_date(datetime.now(UTC))
