"""Employment and social effectiveness of a period's leavers, once per person (domain.md §6.1),
beside the rulebook's targets and a unit's own."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, or_
from sqlalchemy.ext.asyncio import AsyncSession

from db.eligibility import unit_targets
from db.models import Participant, ParticipantCategory, Pathway
from db.report_scope import R, ReportScope, employed_after_exit, flag, person_key, rows_in
from domain.reports import CohortRates, Effectiveness, rate
from domain.rulebook import Rulebook
from domain.stages import Programme


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
            func.max(flag(employed)),
            func.max(flag(R.social_progress.is_(True))),
            func.min(flag(final)),
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
