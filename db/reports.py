"""The supervisors' queries: KPIs and the annual report, from the read model only.

Callers: `api/routes/reports.py`, the web UI and `make bench`. Every function takes a session and
a `ReportScope` (the units the caller may see) and answers a domain model (domain/reports.py).
Persons are counted by PESEL, else by participant record, so a re-entrant counts once.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, String, and_, case, cast, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.eligibility import unit_targets
from db.models import (
    Participant,
    ParticipantCategory,
    Pathway,
    PathwayDeadline,
    PathwayMonth,
    PathwayReportRow,
    Unit,
)
from domain.calendar import local_date
from domain.errors import NotFound
from domain.pathway import OutcomeStatus
from domain.reports import (
    Attendance,
    CohortRates,
    Effectiveness,
    KpiReport,
    StageCount,
    rate,
)
from domain.rulebook import Rulebook, rulebook_for
from domain.stages import Programme

R = PathwayReportRow


@dataclass(frozen=True)
class ReportScope:
    """The units a report covers (today a supervisor's one unit)."""

    unit_ids: tuple[uuid.UUID, ...]
    unit_codes: tuple[str, ...]


async def scope_of(
    session: AsyncSession, own_unit_id: uuid.UUID, unit_code: str | None, any_unit: bool
) -> ReportScope:
    """The caller's own unit, or the unit named by `unit_code` if the caller may see it (else 404).

    Every user belongs to one unit today; only admins (`any_unit`) may name another.
    """
    query = select(Unit.id, Unit.code)
    if unit_code is None:
        query = query.where(Unit.id == own_unit_id)
    else:
        query = query.where(Unit.code == unit_code)
        if not any_unit:
            query = query.where(Unit.id == own_unit_id)
    row = (await session.execute(query)).one_or_none()
    if row is None:
        raise NotFound("unit_not_found", "No such unit.")
    return ReportScope(unit_ids=(row[0],), unit_codes=(row[1],))


def person_key() -> ColumnElement[str]:
    """Who a person is for counting: their PESEL, else their participant record."""
    return func.coalesce(Participant.pesel, cast(Participant.id, String))


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return case((condition, 1), else_=0)


def rows_in(scope: ReportScope, persons: bool = False) -> Any:
    """Report rows of the scope's pathways (with their participant, to count persons)."""
    query = select().select_from(R).join(Pathway, Pathway.id == R.pathway_id)
    if persons:
        query = query.join(Participant, Participant.id == Pathway.participant_id)
    return query.where(Pathway.unit_id.in_(scope.unit_ids))


def employed_after_exit() -> ColumnElement[bool]:
    """Qualifying work (domain.md §6.1): the recorded outcome, or a qualifying job started."""
    return or_(R.outcome == OutcomeStatus.EMPLOYED, R.job_qualifying.is_(True))


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
        "kis_entries": _count_if(within(R.kis_entered_on)),
        "cis_entries": _count_if(and_(within(R.cis_entered_on), R.kis_entered_on.is_(None))),
        "cis_referrals": _count_if(and_(within(R.cis_entered_on), R.kis_entered_on.is_not(None))),
        "cis_admissions": _count_if(within(R.cis_admitted_on)),
        "kis_completed": _count_if(within(R.kis_completed_on)),
        "kis_graduates": _count_if(and_(within(R.kis_completed_on), R.kis_graduate.is_(True))),
        "cis_completed": _count_if(within(R.cis_completed_on)),
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


@dataclass
class _Person:
    last_exit: date
    employed: bool
    progress: bool
    pending: bool

    def merge(self, other: _Person) -> _Person:
        """The same person's exits from another programme."""
        employed = self.employed or other.employed
        return _Person(
            last_exit=max(self.last_exit, other.last_exit),
            employed=employed,
            progress=self.progress or other.progress,
            pending=not employed and (self.pending or other.pending),
        )


async def _leavers(
    session: AsyncSession,
    scope: ReportScope,
    start: date,
    end: date,
    as_of: date,
    rules: Rulebook,
) -> list[tuple[str, str, str | None, _Person]]:
    """Persons who ended participation in the period: (person, programme, a category, outcome).

    A person with several categories comes once per category, with the same figures.
    """
    window_closed_before = as_of - timedelta(days=rules.outcome_window_days)
    employed = employed_after_exit()
    final = or_(employed, R.exited_on < window_closed_before, Pathway.closed_at.is_not(None))
    key = person_key()
    query = (
        rows_in(scope, persons=True)
        .outerjoin(ParticipantCategory, ParticipantCategory.participant_id == Participant.id)
        .add_columns(
            key,
            R.exit_programme,
            ParticipantCategory.category,
            func.max(R.exited_on),
            func.max(_flag(employed)),
            func.max(_flag(R.social_progress.is_(True))),
            func.min(_flag(final)),
        )
        .where(R.exited_on >= start, R.exited_on <= end)
        .group_by(key, R.exit_programme, ParticipantCategory.category)
    )
    out = []
    rows = await session.execute(query)
    for who, programme, category, last_exit, was_employed, progress, all_final in rows:
        person = _Person(
            last_exit=last_exit,
            employed=bool(was_employed),
            progress=bool(progress),
            pending=not was_employed and not all_final,
        )
        out.append((str(who), str(programme or Programme.KIS), category, person))
    return out


Targets = tuple[Decimal | None, Decimal | None]  # a unit's own: employment, social


def _rates(label: str, people: list[_Person], rules: Rulebook, own: Targets) -> CohortRates:
    employed = sum(1 for p in people if p.employed)
    pending = sum(1 for p in people if p.pending)
    progress = sum(1 for p in people if p.progress)
    return CohortRates(
        cohort=label,
        leavers=len(people),
        pending=pending,
        employment=rate(employed, len(people) - pending, rules.kpi_employment_target_pct, own[0]),
        social=rate(progress, len(people), rules.kpi_social_target_pct, own[1]),
    )


async def effectiveness(
    session: AsyncSession,
    scope: ReportScope,
    start: date,
    end: date,
    as_of: date,
    rules: Rulebook,
) -> Effectiveness:
    """Employment and social effectiveness of the period's leavers, once per person (§6.1);
    beside the rulebook's targets, the unit's own when the scope is one unit."""
    own = await unit_targets(session, list(scope.unit_ids))
    people: dict[str, _Person] = {}
    by_programme: dict[str, list[_Person]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    categories: dict[str, set[str]] = defaultdict(set)
    for who, programme, category, person in await _leavers(
        session, scope, start, end, as_of, rules
    ):
        if category is not None:
            categories[category].add(who)
        if (who, programme) in seen:
            continue
        seen.add((who, programme))
        by_programme[programme].append(person)
        people[who] = people[who].merge(person) if who in people else person
    cohorts: dict[str, list[_Person]] = defaultdict(list)
    for person in people.values():
        cohorts[person.last_exit.strftime("%Y-%m")].append(person)
    by_category = {c: [people[who] for who in whos] for c, whos in categories.items()}
    overall = _rates("all", list(people.values()), rules, own)
    return Effectiveness(
        leavers=overall.leavers,
        pending=overall.pending,
        employment=overall.employment,
        social=overall.social,
        by_programme={p: _rates(p, group, rules, own) for p, group in sorted(by_programme.items())},
        by_category={c: _rates(c, group, rules, own) for c, group in sorted(by_category.items())},
        by_cohort=[_rates(c, group, rules, own) for c, group in sorted(cohorts.items())],
    )
