"""Supervisors' reports: `GET /reports/kpis` and `GET /reports/annual` (JSON, CSV, XLSX)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from api.deps import ServicesDep, Supervision
from domain.kpi_suppression import SuppressedKpiReport
from domain.reports import AnnualReport, KpiReport
from services import reports
from services.report_files import XLSX_MEDIA_TYPE

router = APIRouter(tags=["reports"])

# Supervisors see their unit; admins may name any unit (`unit`), since reports hold aggregates.
UnitCode = Annotated[str | None, Query(max_length=50, description="A unit code (admins only)")]


@router.get("/reports/kpis")
async def kpis(
    services: ServicesDep,
    caller: Supervision,
    start: Annotated[date, Query(alias="from")],
    end: Annotated[date, Query(alias="to")],
    unit: UnitCode = None,
) -> KpiReport | SuppressedKpiReport:
    """KPIs for the period `from`-`to` (both included), each with its definition.

    Administrators get them as lines with small counts suppressed, as in the annual report.
    """
    return await reports.kpis(services, caller, start, end, unit)


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
    services: ServicesDep,
    caller: Supervision,
    year: Annotated[int, Query(ge=2004, le=2100)],
    format: Literal["json", "csv", "xlsx"] | None = None,
    unit: UnitCode = None,
) -> AnnualReport | Response:
    """The data of the annual reports to the voivode; `format=csv|xlsx` or `Accept: text/csv`."""
    chosen = format or ("csv" if "text/csv" in request.headers.get("accept", "") else "json")
    answer = await reports.annual(services, caller, year, chosen, unit)
    if isinstance(answer, AnnualReport):
        return answer
    return Response(
        answer.content,
        media_type=answer.media_type,
        headers={"Content-Disposition": f'attachment; filename="{answer.name}"'},
    )
