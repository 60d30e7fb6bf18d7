"""Supervisors' reports: `GET /reports/kpis` and `GET /reports/annual` (JSON, CSV, XLSX)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from api.audit import AuditDep, Auditor
from api.deps import Caller, SessionDep, require
from api.report_files import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE, annual_csv, annual_xlsx
from db import reports
from db.annual_report import annual_report
from domain.calendar import local_date
from domain.errors import InvalidInput
from domain.kpi_suppression import SuppressedKpiReport, suppressed_kpis
from domain.reports import AnnualReport, KpiReport
from domain.roles import Role
from domain.rulebook import rulebook_for

router = APIRouter(tags=["reports"])

# Supervisors see their unit; admins may name any unit (`unit`), since reports hold aggregates.
Supervision = Annotated[Caller, require(Role.SUPERVISOR, Role.ADMIN)]
UnitCode = Annotated[str | None, Query(max_length=50, description="A unit code (admins only)")]


async def _scope(session: SessionDep, caller: Caller, unit: str | None) -> reports.ReportScope:
    return await reports.scope_of(session, caller.unit_id, unit, caller.role is Role.ADMIN)


@router.get("/reports/kpis")
async def kpis(
    session: SessionDep,
    caller: Supervision,
    start: Annotated[date, Query(alias="from")],
    end: Annotated[date, Query(alias="to")],
    unit: UnitCode = None,
    audit: Annotated[Auditor | None, Depends(Auditor)] = None,
) -> KpiReport | SuppressedKpiReport:
    """KPIs for the period `from`-`to` (both included), each with its definition.

    Administrators get them as lines with small counts suppressed, as in the annual report.
    """
    if end < start:
        raise InvalidInput("invalid_period", "The period must end on or after its start.")
    scope = await _scope(session, caller, unit)
    report = await reports.kpi_report(session, scope, start, end, local_date(datetime.now(UTC)))
    if caller.role is not Role.ADMIN:
        return report
    if audit is not None:  # the web's pages, for supervisors only, pass none
        await audit.record("report.kpis", [*scope.unit_codes], unit_id=scope.unit_ids[0])
    return suppressed_kpis(report, rulebook_for(end).report_min_cell_count)


@router.get(
    "/reports/annual",
    response_model=AnnualReport,
    responses={
        200: {
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}},
            }
        }
    },
)
async def annual(
    request: Request,
    session: SessionDep,
    caller: Supervision,
    audit: AuditDep,
    year: Annotated[int, Query(ge=2004, le=2100)],
    format: Literal["json", "csv", "xlsx"] | None = None,
    unit: UnitCode = None,
) -> AnnualReport | Response:
    """The data of the annual reports to the voivode; `format=csv|xlsx` or `Accept: text/csv`."""
    scope = await _scope(session, caller, unit)
    report = await annual_report(session, scope, year)
    chosen = format or ("csv" if "text/csv" in request.headers.get("accept", "") else "json")
    # Exports are audited: who took which year's figures of which unit, and in which form.
    await audit.record(
        "report.annual",
        [f"year:{year}", f"format:{chosen}", *scope.unit_codes],
        unit_id=scope.unit_ids[0],
    )
    name = f"annual-report-{year}-{'-'.join(scope.unit_codes)}"
    if chosen == "csv":
        return Response(
            annual_csv(report),
            media_type=CSV_MEDIA_TYPE,
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    if chosen == "xlsx":
        return Response(
            annual_xlsx(report),
            media_type=XLSX_MEDIA_TYPE,
            headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
        )
    return report
