"""The supervisors' queries: KPIs and the annual report, from the read model only.

Callers: `api/routes/reports.py`, the web UI and `make bench`. Every function takes a session and
a `ReportScope` (the units the caller may see) and answers a domain model (domain/reports.py).
Persons are counted by PESEL, else by participant record, so a re-entrant counts once.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.effectiveness import effectiveness
from db.models import (
    Pathway,
    PathwayDeadline,
    PathwayMonth,
)
from db.report_scope import R, ReportScope, count_if, rows_in
from domain.calendar import local_date
from domain.reports import (
    Attendance,
    KpiReport,
    StageCount,
    rate,
)
from domain.rulebook import rulebook_for


async def kpi_report(
    session: AsyncSession, scope: ReportScope, start: date, end: date, today: date | None = None
) -> KpiReport:
    """KPIs for the period [start, end] (both days included); `today` is the 'as of' day."""
    as_of = today or local_date(datetime.now(UTC))
    rules = rulebook_for(end)
    counts = await _period_counts(session, scope, start, end)
    exits = await _exits_by_kind(session, scope, start, end)
    return KpiReport(
        units=list(scope.unit_codes),
        period_from=start,
        period_to=end,
        as_of=as_of,
        rulebook=rules.key,
        participants_by_stage=await _by_stage(session, scope),
        entries={
            "kis": counts["kis_entries"],
            "cis": counts["cis_entries"],
            "cis_referrals_from_kis": counts["cis_referrals"],
            "cis_admissions": counts["cis_admissions"],
        },
        exits_by_kind=exits,
        completions={
            "kis_completed": counts["kis_completed"],
            "kis_graduates": counts["kis_graduates"],
            "cis_completed": counts["cis_completed"],
            "cis_graduates": counts["cis_completed"],  # the certificate makes an absolwent CIS
        },
        terminations_by_ground={
            "breach": exits.get("terminated_breach", 0),
            "abandonment": exits.get("terminated_abandonment", 0),
            "withdrawal": exits.get("withdrawn", 0),
        },
        attendance=await _attendance(session, scope, start, end),
        overdue_tasks=await _overdue(session, scope),
        effectiveness=await effectiveness(session, scope, start, end, as_of, rules),
    )


async def _by_stage(session: AsyncSession, scope: ReportScope) -> list[StageCount]:
    query = (
        select(Pathway.programme, Pathway.stage, func.count())
        .where(Pathway.unit_id.in_(scope.unit_ids), Pathway.closed_at.is_(None))
        .group_by(Pathway.programme, Pathway.stage)
        .order_by(Pathway.programme, Pathway.stage)
    )
    return [StageCount(programme=p, stage=s, count=n) for p, s, n in await session.execute(query)]


async def _period_counts(
    session: AsyncSession, scope: ReportScope, start: date, end: date
) -> dict[str, int]:
    def within(column: Any) -> ColumnElement[bool]:
        return and_(column >= start, column <= end)

    columns = {
        "kis_entries": count_if(within(R.kis_entered_on)),
        "cis_entries": count_if(and_(within(R.cis_entered_on), R.kis_entered_on.is_(None))),
        "cis_referrals": count_if(and_(within(R.cis_entered_on), R.kis_entered_on.is_not(None))),
        "cis_admissions": count_if(within(R.cis_admitted_on)),
        "kis_completed": count_if(within(R.kis_completed_on)),
        "kis_graduates": count_if(and_(within(R.kis_completed_on), R.kis_graduate.is_(True))),
        "cis_completed": count_if(within(R.cis_completed_on)),
    }
    query = rows_in(scope).add_columns(*columns.values())
    row = (await session.execute(query)).one()
    return {name: int(value) for name, value in zip(columns, row, strict=True)}


async def _exits_by_kind(
    session: AsyncSession, scope: ReportScope, start: date, end: date
) -> dict[str, int]:
    query = (
        rows_in(scope)
        .add_columns(R.exit_kind, func.count())
        .where(R.exited_on >= start, R.exited_on <= end)
        .group_by(R.exit_kind)
    )
    return {str(kind): int(n) for kind, n in await session.execute(query)}


async def _attendance(
    session: AsyncSession, scope: ReportScope, start: date, end: date
) -> Attendance:
    m = PathwayMonth
    sums = [
        func.coalesce(func.sum(c), 0)
        for c in (
            m.attendance_days,
            m.attendance_hours,
            m.excused_days,
            m.sick_days,
            m.unexcused_days,
            m.days_off,
        )
    ]
    query = (
        select(*sums)
        .join(Pathway, Pathway.id == m.pathway_id)
        .where(
            Pathway.unit_id.in_(scope.unit_ids),
            m.month >= start.replace(day=1),
            m.month <= end,
        )
    )
    row = tuple((await session.execute(query)).one())
    present, hours, excused, sick, unexcused, days_off = row
    absent = int(excused) + int(sick) + int(unexcused)
    return Attendance(
        days_present=int(present),
        hours_present=Decimal(hours),
        days_excused=int(excused),
        days_sick=int(sick),
        days_unexcused=int(unexcused),
        days_off=int(days_off),
        rate=rate(int(present), int(present) + absent),
    )


async def _overdue(session: AsyncSession, scope: ReportScope) -> dict[str, int]:
    d = PathwayDeadline
    query = (
        select(d.kind, func.count())
        .join(Pathway, Pathway.id == d.pathway_id)
        .where(
            Pathway.unit_id.in_(scope.unit_ids),
            Pathway.closed_at.is_(None),
            d.overdue.is_(True),
        )
        .group_by(d.kind)
        .order_by(d.kind)
    )
    return {str(kind): int(n) for kind, n in await session.execute(query)}
