"""The month's payroll of a CIS: look (caseworkers too, to complete what is missing), close
and export (the supervisor)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Header, Path, Response

from api.deps import Casework, ServicesDep, Supervisor
from domain.payroll import Payroll
from domain.refunds import RefundClaim
from services import payroll, refunds
from services.report_files import XLSX_MEDIA_TYPE

router = APIRouter(tags=["payroll"])

Month = Annotated[str, Path(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", examples=["2026-10"])]


@router.get("/payroll/{month}")
async def get_payroll(month: Month, services: ServicesDep, caller: Casework) -> Payroll:
    """Every participant in the centre that month with their statement, the totals, the
    adjustments of closed months, and the working days still without a record."""
    return await payroll.month_payroll(services, caller, month)


@router.post("/payroll/{month}/close")
async def close_payroll(
    month: Month,
    services: ServicesDep,
    caller: Supervisor,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)] = None,
) -> Payroll:
    """Close the month (409 `payroll_incomplete` while a day is missing, `month_not_over`,
    `payroll_closed`); a later change to it is paid as an adjustment in the next open month."""
    return await payroll.close_month(services, caller, month, idempotency_key)


@router.get(
    "/payroll/{month}/export",
    response_class=Response,
    responses={
        200: {
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}},
            }
        }
    },
)
async def export_payroll(
    month: Month,
    services: ServicesDep,
    caller: Supervisor,
    format: Literal["csv", "xlsx"] = "csv",
) -> Response:
    """The payroll as CSV or XLSX for the accounting system (audited)."""
    answer = await payroll.export(services, caller, month, format)
    return Response(
        answer.content,
        media_type=answer.media_type,
        headers={"Content-Disposition": f'attachment; filename="{answer.name}"'},
    )


@router.get("/payroll/{month}/refunds")
async def refund_claim(month: Month, services: ServicesDep, caller: Supervisor) -> RefundClaim:
    """The month's refund claims: each payroll line split into the PUP's share, the
    municipality's and the centre's own (they add up to the payroll to the grosz), and the
    employers' refunds in supported employment by the tiers in force (audited)."""
    return await refunds.month_claim(services, caller, month)
