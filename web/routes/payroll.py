"""The supervisor's payroll page: the month's statements, what is missing, closing, exports.

The same services as GET /payroll/{month}, POST /payroll/{month}/close and the exports, so the
page and the API can never disagree.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from domain.calendar import add_months, local_date
from domain.errors import DomainError
from domain.payroll import month_name
from services import payroll
from web.deps import ServicesDep, Supervisor
from web.i18n import Translator, language
from web.login import CsrfChecked
from web.render import page

router = APIRouter(include_in_schema=False)
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


def _last_month() -> str:
    today = local_date(datetime.now(UTC))
    return month_name(add_months(today.replace(day=1), -1))


@router.get("/web/payroll")
async def payroll_page(
    request: Request,
    services: ServicesDep,
    caller: Supervisor,
    month: Annotated[str, Query(pattern=MONTH)] = "",
) -> HTMLResponse:
    """The month's payroll (last month unless another is asked for)."""
    return await _render(request, services, caller, month or _last_month())


@router.post("/web/payroll/{month}/close", response_model=None)
async def close(
    request: Request,
    month: Annotated[str, Path(pattern=MONTH)],
    _: CsrfChecked,
    services: ServicesDep,
    caller: Supervisor,
) -> Response:
    """Close the month; a refusal shows the page again with its reason."""
    try:
        await payroll.close_month(services, caller, month)
    except DomainError as err:
        refusal = Translator(language(request)).error(err)
        return await _render(request, services, caller, month, refusal, 409)
    return RedirectResponse(f"/web/payroll?month={month}", 303)


@router.get("/web/payroll/{month}/export", response_model=None)
async def export(
    month: Annotated[str, Path(pattern=MONTH)],
    services: ServicesDep,
    caller: Supervisor,
    format: Literal["csv", "xlsx"] = "xlsx",
) -> Response:
    """The payroll as a file for the accounting system (audited)."""
    answer = await payroll.export(services, caller, month, format)
    return Response(
        answer.content,
        media_type=answer.media_type,
        headers={"Content-Disposition": f'attachment; filename="{answer.name}"'},
    )


async def _render(
    request: Request,
    services: ServicesDep,
    caller: Supervisor,
    month: str,
    refusal: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    found = await payroll.month_payroll(services, caller, month)
    return page(request, "payroll.html", caller, status, payroll=found, refusal=refusal)
