"""The supervisor's dashboard: the stage funnel and KPIs as SVG charts, overdue work, exports.

Figures come from the API's own report and task handlers (GET /reports/kpis, GET /tasks,
GET /reports/annual), so the page and the API can never disagree.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse

from api.audit import Auditor
from api.deps import Caller, SessionDep, SettingsDep, require
from api.routes import reports as api_reports
from api.routes import tasks as api_tasks
from api.web.charts import Bar, Share, bar_chart, share_chart
from api.web.i18n import Translator, language
from api.web.render import page
from domain.calendar import local_date
from domain.reports import KpiReport, Rate
from domain.roles import Role
from domain.stages import Stage
from domain.tasks import Task, TaskDue

router = APIRouter(include_in_schema=False)

Supervisor = Annotated[Caller, require(Role.SUPERVISOR)]


def _day(raw: str, default: date) -> date:
    try:
        return date.fromisoformat(raw) if raw else default
    except ValueError:
        return default


@router.get("/web/dashboard")
async def dashboard(
    request: Request,
    session: SessionDep,
    caller: Supervisor,
    settings: SettingsDep,
    start: Annotated[str, Query(alias="from", max_length=10)] = "",
    end: Annotated[str, Query(alias="to", max_length=10)] = "",
) -> HTMLResponse:
    """The unit at a glance, for the period chosen (this year so far unless asked otherwise)."""
    today = local_date(datetime.now(UTC))
    period_from, period_to = _day(start, date(today.year, 1, 1)), _day(end, today)
    report = await api_reports.kpis(
        session=session, caller=caller, start=period_from, end=period_to, unit=None
    )
    assert isinstance(report, KpiReport)  # a supervisor's: every count (admins get lines)
    overdue = await api_tasks.list_tasks(
        due=TaskDue.OVERDUE,
        session=session,
        caller=caller,
        settings=settings,
        limit=api_tasks.TASK_PAGE_MAX,
    )
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
    return bar_chart("funnel", t("dashboard.funnel"), bars), bars


def _shown(rate: Rate, t: Translator) -> str:
    if rate.rate_pct is None:
        return f"— (0/{rate.denominator})"
    return f"{t.decimal(rate.rate_pct)} % ({rate.numerator}/{rate.denominator})"


def _effectiveness(report: KpiReport, t: Translator) -> tuple[object, list[Share]]:
    rates = (
        (t("kpi.employment"), report.effectiveness.employment),
        (t("kpi.social"), report.effectiveness.social),
    )
    shares = [Share(label, r.rate_pct, r.target_pct, _shown(r, t)) for label, r in rates]
    return share_chart("effectiveness", t("kpi.effectiveness"), shares, t("kpi.target")), shares


def _exits(report: KpiReport, t: Translator) -> tuple[object, list[Bar]]:
    bars = [Bar(t.option(kind), n) for kind, n in sorted(report.exits_by_kind.items())]
    return bar_chart("exits", t("kpi.exits"), bars), bars


@router.get("/web/reports/annual", response_model=None)
async def annual_export(
    request: Request,
    session: SessionDep,
    caller: Supervisor,
    year: Annotated[int, Query(ge=2004, le=2100)],
    format: Literal["csv", "xlsx"] = "csv",
) -> Response:
    """The annual report file, from the API's handler (audited there as an export)."""
    answer = await api_reports.annual(
        request=request,
        session=session,
        caller=caller,
        audit=Auditor(session, caller),
        year=year,
        format=format,
        unit=None,
    )
    assert isinstance(answer, Response)
    return answer
