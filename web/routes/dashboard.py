"""The supervisor's dashboard: the stage funnel and KPIs as SVG charts, overdue work, exports.

Figures come from the same services as GET /reports/kpis, GET /tasks and GET /reports/annual,
so the page and the API can never disagree.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse

from domain.calendar import local_date
from domain.reports import KpiReport, Rate
from domain.stages import Stage
from domain.tasks import Task, TaskDue
from services import reports
from web.charts import Bar, Share, bar_chart, share_chart
from web.deps import ServicesDep, Supervisor
from web.i18n import Translator, language
from web.render import page

router = APIRouter(include_in_schema=False)


def _day(raw: str, default: date) -> date:
    try:
        return date.fromisoformat(raw) if raw else default
    except ValueError:
        return default


@router.get("/web/dashboard")
async def dashboard(
    request: Request,
    services: ServicesDep,
    caller: Supervisor,
    start: Annotated[str, Query(alias="from", max_length=10)] = "",
    end: Annotated[str, Query(alias="to", max_length=10)] = "",
) -> HTMLResponse:
    """The unit at a glance, for the period chosen (this year so far unless asked otherwise)."""
    today = local_date(datetime.now(UTC))
    period_from, period_to = _day(start, date(today.year, 1, 1)), _day(end, today)
    report = await reports.kpis(services, caller, period_from, period_to)
    assert isinstance(report, KpiReport)  # a supervisor's: every count (admins get lines)
    overdue = await reports.task_list(services, caller, TaskDue.OVERDUE, reports.TASK_PAGE_MAX)
    by_caseworker: dict[str, list[Task]] = defaultdict(list)
    for task in overdue.items:
        by_caseworker[task.caseworker].append(task)
    t = Translator(language(request))
    return page(
        request,
        "dashboard.html",
        caller,
        report=report,
        period_from=period_from.isoformat(),
        period_to=period_to.isoformat(),
        funnel=_funnel(report, t),
        effectiveness=_effectiveness(report, t),
        exits=_exits(report, t),
        overdue_by_caseworker=sorted(by_caseworker.items(), key=lambda item: -len(item[1])),
        # The same tasks as the list below (GET /tasks?due=overdue), so the page adds up.
        overdue_count=len(overdue.items),
        years=[today.year - 1, today.year],
    )


def _funnel(report: KpiReport, t: Translator) -> tuple[object, list[Bar]]:
    counts: dict[str, int] = defaultdict(int)
    for row in report.participants_by_stage:
        counts[row.stage] += row.count
    bars = [Bar(t.stage(stage), counts.get(stage, 0)) for stage in Stage if stage != Stage.CLOSED]
    return bar_chart("funnel", t.gettext("Participants by stage"), bars), bars


def _shown(rate: Rate, t: Translator) -> str:
    if rate.rate_pct is None:
        return f"— (0/{rate.denominator})"
    return f"{t.decimal(rate.rate_pct)} % ({rate.numerator}/{rate.denominator})"


def _effectiveness(report: KpiReport, t: Translator) -> tuple[object, list[Share]]:
    rates = (
        (t.gettext("Employment effectiveness"), report.effectiveness.employment),
        (t.gettext("Social effectiveness"), report.effectiveness.social),
    )
    shares = [Share(label, r.rate_pct, r.target_pct, _shown(r, t)) for label, r in rates]
    return share_chart(
        "effectiveness",
        t.gettext("Effectiveness of those who left in the period"),
        shares,
        t.gettext("target"),
    ), shares


def _exits(report: KpiReport, t: Translator) -> tuple[object, list[Bar]]:
    bars = [Bar(t.option(kind), n) for kind, n in sorted(report.exits_by_kind.items())]
    return bar_chart("exits", t.gettext("Exits by kind"), bars), bars


@router.get("/web/reports/annual", response_model=None)
async def annual_export(
    services: ServicesDep,
    caller: Supervisor,
    year: Annotated[int, Query(ge=2004, le=2100)],
    format: Literal["csv", "xlsx"] = "csv",
) -> Response:
    """The annual report file, from the same service as the API's (audited as an export)."""
    answer = await reports.annual(services, caller, year, format)
    assert isinstance(answer, reports.ReportFile)
    return Response(
        answer.content,
        media_type=answer.media_type,
        headers={"Content-Disposition": f'attachment; filename="{answer.name}"'},
    )
